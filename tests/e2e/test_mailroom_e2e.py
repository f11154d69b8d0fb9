"""The CRTC mailroom against a real Dovecot: lossless, no duplicates, nothing changed on the server."""

import os
import signal
import subprocess
import time
import uuid

import pytest
from conftest import ARTIFACTS, BENCH, SITE, frappe_cmd, run_frappe
from crtc_servers import CrtcDovecot
from tcpproxy import DelayProxy

DOMAIN = "e2e-crtc.example"
CUSTOMER = "E2E CRTC Telecom"


def mail(
	subject: str, to: str = f"regulatory@{DOMAIN}", message_id: str | None = None, body: str = "Notice"
) -> bytes:
	message_id = message_id or f"<{uuid.uuid4().hex}@crtc.gc.example>"
	return (
		f"From: Secretary General <sg@crtc.gc.example>\r\nTo: {to}\r\nSubject: {subject}\r\n"
		f"Message-ID: {message_id}\r\nDate: Fri, 04 Dec 2026 10:00:00 -0500\r\n\r\n{body}\r\n"
	).encode()


@pytest.fixture(scope="module")
def imap():
	server = CrtcDovecot([DOMAIN]).start()
	yield server
	(ARTIFACTS / "e2e-crtc-dovecot.log").write_text(server.logs())
	server.stop()


@pytest.fixture(scope="module")
def crtc_client(site_db, imap, tmp_path_factory):
	frappe = site_db
	frappe.db.rollback()
	if not frappe.db.exists("Customer", CUSTOMER):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": CUSTOMER,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
	for name in frappe.get_all("PW CRTC Mailbox", {"client": DOMAIN}, pluck="name"):
		frappe.delete_doc("PW CRTC Mailbox", name, force=True)
	if frappe.db.exists("PW CRTC Client", DOMAIN):
		frappe.delete_doc("PW CRTC Client", DOMAIN, force=True)
	frappe.db.commit()
	passwords = tmp_path_factory.mktemp("crtc") / "passwords.txt"
	passwords.write_text(imap.passwords_file())
	out = run_frappe(
		"--site", SITE, "pw-helpdesk", "add-crtc-client", "--customer", CUSTOMER, "--domain", DOMAIN,
		"--imap-host", "127.0.0.1", "--imap-port", str(imap.port), "--tls", "none", "--passwords", str(passwords),
	)  # fmt: skip
	assert "14 mailboxes" in out.stdout, out.stdout + out.stderr
	return DOMAIN


def poll(*extra: str) -> str:
	out = run_frappe("--site", SITE, "pw-helpdesk", "poll", "--client", DOMAIN, *extra, check=False)
	assert out.returncode == 0, out.stdout + out.stderr
	return out.stdout


def issues_with(frappe, subject: str) -> list[str]:
	frappe.db.rollback()
	return frappe.get_all("Issue", {"subject": subject, "pw_crtc_client": DOMAIN}, pluck="name")


def set_port(frappe, port: int) -> None:
	frappe.db.set_value("PW CRTC Client", DOMAIN, "imap_port", port)
	frappe.db.commit()


def test_new_mail_becomes_issues_once_and_nothing_is_marked_seen(site_db, imap, crtc_client):
	subjects = [f"Letter {i} {uuid.uuid4().hex[:6]}" for i in range(3)]
	for i, subject in enumerate(subjects):
		imap.deliver(f"{('regulatory', 'billing', 'info')[i]}@{DOMAIN}", mail(subject))
	report = poll()
	assert "regulatory@" in report
	for subject in subjects:
		assert len(issues_with(site_db, subject)) == 1
	poll()
	for subject in subjects:
		assert len(issues_with(site_db, subject)) == 1
	assert imap.seen_flags(f"regulatory@{DOMAIN}") == 0
	priorities = {site_db.db.get_value("Issue", issues_with(site_db, s)[0], "priority") for s in subjects}
	assert priorities == {"High", "Medium", "Low"}


def test_one_message_to_three_mailboxes_is_one_issue(site_db, imap, crtc_client):
	subject, message_id = f"Shared {uuid.uuid4().hex[:6]}", f"<{uuid.uuid4().hex}@crtc.gc.example>"
	for box in ("info", "crtc", "billing"):
		imap.deliver(f"{box}@{DOMAIN}", mail(subject, message_id=message_id))
	poll()
	(issue,) = issues_with(site_db, subject)
	doc = site_db.get_doc("Issue", issue)
	assert doc.priority == "High"
	assert len(doc.pw_mailboxes.splitlines()) == 3


def test_doctor_prints_a_status_table(imap, crtc_client):
	out = run_frappe("--site", SITE, "pw-helpdesk", "doctor", "--client", DOMAIN)
	rows = [line for line in out.stdout.splitlines() if line.endswith(DOMAIN) or f"@{DOMAIN} " in line]
	assert len(rows) == 14, out.stdout
	assert all(" OK " in row for row in rows), out.stdout


def test_wrong_password_is_a_counted_failure_without_the_password(site_db, imap, crtc_client):
	frappe = site_db
	box = f"abuse@{DOMAIN}"
	mb = frappe.get_doc("PW CRTC Mailbox", box)
	mb.password = "not-the-password-42"
	mb.save(ignore_permissions=True)
	frappe.db.commit()
	try:
		poll()
		frappe.db.rollback()
		state = frappe.db.get_value(
			"PW CRTC Mailbox", box, ["consecutive_failures", "last_error"], as_dict=True
		)
		assert state.consecutive_failures >= 1
		assert "not-the-password-42" not in (state.last_error or "")
	finally:
		mb.password = "pw-abuse"
		mb.save(ignore_permissions=True)
		frappe.db.commit()


def test_server_down_alerts_after_threshold_then_recovers(site_db, imap, crtc_client):
	frappe = site_db
	frappe.db.set_single_value("PW Helpdesk Settings", "crtc_failure_threshold", 2)
	frappe.db.commit()
	set_port(frappe, 1)  # nothing listens there
	try:
		poll()
		poll()
	finally:
		set_port(frappe, imap.port)
	frappe.db.rollback()
	alert = frappe.db.get_value("Issue", {"subject": f"CRTC mailbox failing: noc@{DOMAIN}"}, "name")
	assert alert
	subject = f"After outage {uuid.uuid4().hex[:6]}"
	imap.deliver(f"noc@{DOMAIN}", mail(subject))
	poll()
	assert len(issues_with(frappe, subject)) == 1
	comments = frappe.get_all("Comment", {"reference_name": alert}, pluck="content")
	assert any("recovered" in c for c in comments)
	assert frappe.db.get_value("PW CRTC Mailbox", f"noc@{DOMAIN}", "consecutive_failures") == 0


def test_uidvalidity_change_rereads_without_duplicates(site_db, imap, crtc_client):
	frappe = site_db
	box = f"ccts@{DOMAIN}"
	before = f"Before renumbering {uuid.uuid4().hex[:6]}"
	imap.deliver(box, mail(before, to=box))
	poll()
	old_validity = frappe.db.get_value("PW CRTC Mailbox", box, "uidvalidity")
	time.sleep(1.1)  # Dovecot derives a new UIDVALIDITY from the clock
	imap.renumber(box)
	after = f"After renumbering {uuid.uuid4().hex[:6]}"
	imap.deliver(box, mail(after, to=box))
	report = poll()
	frappe.db.rollback()
	assert frappe.db.get_value("PW CRTC Mailbox", box, "uidvalidity") != old_validity
	line = next(x for x in report.splitlines() if x.startswith(box))
	fetched, ingested, skipped = (int(n) for n in line.split()[1:4])
	assert fetched >= 2 and ingested == 1 and skipped == fetched - 1, report
	assert len(issues_with(frappe, before)) == 1
	assert len(issues_with(frappe, after)) == 1


def test_connection_cut_mid_fetch_loses_nothing(site_db, imap, crtc_client):
	frappe = site_db
	box = f"corpadmin@{DOMAIN}"
	subjects = [f"Cut {i} {uuid.uuid4().hex[:6]}" for i in range(4)]
	for subject in subjects:
		imap.deliver(box, mail(subject, to=box, body="x" * 20_000))
	with DelayProxy(imap.port, cut_after=30_000) as proxy:
		set_port(frappe, proxy.port)
		try:
			poll()
		finally:
			set_port(frappe, imap.port)
	assert frappe.db.get_value("PW CRTC Mailbox", box, "consecutive_failures") >= 1
	poll()
	for subject in subjects:
		assert len(issues_with(frappe, subject)) == 1, subject


def test_two_pollers_at_once_create_no_duplicates(site_db, imap, crtc_client):
	subjects = [f"Race {i} {uuid.uuid4().hex[:6]}" for i in range(10)]
	for i, subject in enumerate(subjects):
		imap.deliver(f"{('admin', 'sales')[i % 2]}@{DOMAIN}", mail(subject))
	cmd = frappe_cmd("--site", SITE, "pw-helpdesk", "poll", "--client", DOMAIN)
	procs = [
		subprocess.Popen(cmd, cwd=BENCH / "sites", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
		for _ in range(2)
	]
	for p in procs:
		p.communicate(timeout=300)
	for subject in subjects:
		assert len(issues_with(site_db, subject)) == 1, subject


def test_poller_killed_mid_batch_resumes_without_loss(site_db, imap, crtc_client):
	box = f"registeredoffice@{DOMAIN}"
	subjects = [f"Killed {i} {uuid.uuid4().hex[:6]}" for i in range(30)]
	for subject in subjects:
		imap.deliver(box, mail(subject, to=box))
	cmd = frappe_cmd("--site", SITE, "pw-helpdesk", "poll", "--client", DOMAIN)
	proc = subprocess.Popen(cmd, cwd=BENCH / "sites", stdout=subprocess.DEVNULL, start_new_session=True)
	deadline = time.monotonic() + 60
	while time.monotonic() < deadline and len(issues_with(site_db, subjects[2])) == 0:
		time.sleep(0.05)
	os.killpg(proc.pid, signal.SIGKILL)
	proc.wait()
	poll()
	for subject in subjects:
		assert len(issues_with(site_db, subject)) == 1, subject


def test_25_mb_attachment_is_kept(site_db, imap, crtc_client):
	import base64

	subject = f"Big filing {uuid.uuid4().hex[:6]}"
	payload = base64.encodebytes(os.urandom(25 * 1024 * 1024)).replace(b"\n", b"\r\n")
	raw = (
		(
			f"From: sg@crtc.gc.example\r\nTo: admin@{DOMAIN}\r\nSubject: {subject}\r\n"
			f"Message-ID: <{uuid.uuid4().hex}@x>\r\nMIME-Version: 1.0\r\n"
			'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee attached\r\n'
			'--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="filing.pdf"\r\n'
			"Content-Transfer-Encoding: base64\r\n\r\n"
		).encode()
		+ payload
		+ b"\r\n--B--\r\n"
	)
	imap.deliver(f"admin@{DOMAIN}", raw)
	poll()
	(issue,) = issues_with(site_db, subject)
	stored = site_db.db.get_value("PW Mail Message", {"issue": issue}, ["status", "size"], as_dict=True)
	assert stored.status == "Ingested" and stored.size > 25 * 1024 * 1024
	comments = site_db.get_all("Comment", {"reference_name": issue}, pluck="content")
	assert any("filing.pdf" in c for c in comments)
