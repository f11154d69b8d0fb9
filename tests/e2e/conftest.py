"""End-to-end fixtures: a real Frappe web server and worker on the test site, driven over HTTP."""

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

BENCH = Path(os.environ.get("FRAPPE_BENCH", Path.home() / "frappe-bench"))
SITE = os.environ.get("PW_TEST_SITE", "pw-test.localhost")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def frappe_cmd(*args: str) -> list[str]:
	return [str(BENCH / "env/bin/python"), "-m", "frappe.utils.bench_helper", "frappe", *args]


def run_frappe(*args: str, check: bool = True) -> subprocess.CompletedProcess:
	return subprocess.run(
		frappe_cmd(*args), cwd=BENCH / "sites", capture_output=True, text=True, check=check, timeout=600
	)


@pytest.fixture(scope="session", autouse=True)
def bench_present():
	if not (BENCH / "apps/frappe").is_dir():
		pytest.fail(f"no Frappe bench at {BENCH}: run dev/bench.sh build (see README)", pytrace=False)


@pytest.fixture(scope="session")
def site_db():
	"""A connection to the test site from this process, for arranging data and checking results."""
	cwd = os.getcwd()
	os.chdir(BENCH / "sites")
	import frappe

	frappe.init(site=SITE, sites_path=str(BENCH / "sites"))
	frappe.connect()
	yield frappe
	frappe.destroy()
	os.chdir(cwd)


@pytest.fixture(scope="session")
def demo_site():
	run_frappe("--site", SITE, "pw-helpdesk", "demo")
	return SITE


@contextlib.contextmanager
def process(cmd: list[str], log: Path):
	log.parent.mkdir(parents=True, exist_ok=True)
	with open(log, "wb") as out:
		proc = subprocess.Popen(
			cmd, cwd=BENCH / "sites", stdout=out, stderr=subprocess.STDOUT, start_new_session=True
		)
		try:
			yield proc
		finally:
			proc.terminate()
			try:
				proc.wait(timeout=20)
			except subprocess.TimeoutExpired:
				proc.kill()


@pytest.fixture(scope="session")
def server(demo_site):
	"""Web server of the test site on a free port; yields its base URL."""
	port = free_port()
	# Threaded, as gunicorn with several workers would be: concurrency tests need it.
	cmd = frappe_cmd("--site", SITE, "serve", "--port", str(port), "--noreload")
	with process(cmd, ARTIFACTS / "e2e-web.log") as proc:
		url = f"http://127.0.0.1:{port}"
		deadline = time.monotonic() + 60
		while time.monotonic() < deadline:
			if proc.poll() is not None:
				pytest.fail(f"web server exited; see {ARTIFACTS / 'e2e-web.log'}", pytrace=False)
			with contextlib.suppress(requests.ConnectionError):
				if requests.get(f"{url}/api/method/ping", timeout=5).ok:
					break
			time.sleep(0.3)
		else:
			pytest.fail("web server did not answer within 60 s", pytrace=False)
		yield url


@pytest.fixture(scope="session")
def worker():
	"""Two workers, as a bench runs them: short jobs are not stuck behind a long one."""
	with (
		process(frappe_cmd("worker", "--queue", "short,default"), ARTIFACTS / "e2e-worker.log") as short,
		process(frappe_cmd("worker", "--queue", "long,default"), ARTIFACTS / "e2e-worker-long.log") as long,
	):
		time.sleep(1)
		assert short.poll() is None and long.poll() is None, "a worker exited at start"
		yield short


class SmtpSink:
	"""A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts."""

	def __init__(self):
		from aiosmtpd.controller import Controller

		self.messages: list = []
		self.port = free_port()
		self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

	async def handle_DATA(self, server, session, envelope):
		import email
		from email import policy

		message = email.message_from_bytes(envelope.original_content, policy=policy.default)
		self.messages.append((envelope.rcpt_tos, message))
		return "250 OK"

	def wait_for(self, predicate, timeout: float = 30.0):
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			for rcpts, message in list(self.messages):
				if predicate(rcpts, message):
					return message
			time.sleep(0.2)
		return None


@pytest.fixture(scope="session")
def smtp_sink(site_db):
	"""The SMTP sink, wired to the test site as its default outgoing Email Account."""
	frappe = site_db
	sink = SmtpSink()
	sink.controller.start()
	name = "PW E2E Outgoing"
	# In-site tests that commit (the mailroom's) leave queued mail for a dead test port, and an account with
	# the same address (email_id is unique): start the sink on a clean queue.
	frappe.db.delete("Email Queue", {"status": ("in", ("Not Sent", "Error", "Partially Errored"))})
	for other in frappe.get_all("Email Account", {"email_id": "support@performancewest.net"}, pluck="name"):
		frappe.delete_doc("Email Account", other, force=True)
	if frappe.db.exists("Email Account", name):
		frappe.delete_doc("Email Account", name, force=True)
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": name,
			"email_id": "support@performancewest.net",
			"smtp_server": "127.0.0.1",
			"smtp_port": sink.port,
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield sink
	sink.controller.stop()


@pytest.fixture(scope="session")
def dovecot():
	"""A real IMAP server (Dovecot) holding the support inbox; see tests/e2e/mailservers.py."""
	from mailservers import Dovecot

	server = Dovecot().start()
	yield server
	(ARTIFACTS / "e2e-dovecot.log").write_text(server.logs())
	server.stop()


@pytest.fixture(scope="session")
def support_inbox(site_db, dovecot):
	"""PW Mail Inbox of the test site pointed at the Dovecot mailbox, checkpoint reset."""
	frappe = site_db
	inbox = frappe.get_doc("PW Mail Inbox")
	inbox.update(
		{
			"enabled": 1,
			"imap_host": "127.0.0.1",
			"imap_port": dovecot.port,
			"imap_security": "None",
			"imap_user": dovecot.user,
			"imap_password": dovecot.password,
			"imap_folder": "INBOX",
			"uidvalidity": None,
			"last_uid": 0,
		}
	)
	inbox.save(ignore_permissions=True)
	frappe.db.commit()
	yield dovecot
	frappe.db.set_single_value("PW Mail Inbox", "enabled", 0)
	frappe.db.commit()
