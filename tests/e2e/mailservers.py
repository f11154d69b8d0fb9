"""Real mail servers for end-to-end tests: Dovecot (IMAP) as the support inbox.

Dovecot runs as a normal daemon in the foreground (`dovecot -F`) with a config, a passwd-file and
maildirs under a temporary folder, listening on a free loopback port without TLS. Test mail is delivered
by APPENDing over IMAP as the mailbox user: real, and no MTA needed.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def _account(*names: str) -> str:
	for name in names:
		with contextlib.suppress(KeyError):
			pwd.getpwnam(name)
			return name
	raise RuntimeError(f"none of the users {names} exists")


class Dovecot:
	"""One IMAP server with one mailbox user; `append` delivers a message into its INBOX."""

	def __init__(self, user: str = "support@performancewest.net", password: str = "inbox-test-pw"):
		self.user, self.password = user, password
		self.port = _free_port()
		self.root = Path(tempfile.mkdtemp(prefix="pw-dovecot-"))
		self.log = self.root / "dovecot.log"
		self.proc: subprocess.Popen | None = None

	def _write_config(self) -> Path:
		mail_user = pwd.getpwnam(_account("mail", "nobody"))
		mail_group = grp.getgrgid(mail_user.pw_gid).gr_name
		login_user = _account("dovenull", "nobody")
		internal_user = _account("dovecot", "nobody")
		maildir = self.root / "mail"
		maildir.mkdir(parents=True, exist_ok=True)
		os.chown(maildir, mail_user.pw_uid, mail_user.pw_gid)
		# The temp folder must be traversable by the unprivileged processes.
		os.chmod(self.root, 0o755)
		passwd = self.root / "passwd"
		passwd.write_text(
			f"{self.user}:{{PLAIN}}{self.password}:{mail_user.pw_uid}:{mail_user.pw_gid}::{maildir}/%d/%n\n"
		)
		conf = self.root / "dovecot.conf"
		conf.write_text(
			f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log}
info_log_path = {self.log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
first_valid_gid = 1
mail_uid = {mail_user.pw_uid}
mail_gid = {mail_user.pw_gid}
mail_location = maildir:~/Maildir
mail_privileged_group = {mail_group}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  process_limit = 200
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
		)
		return conf

	def start(self) -> Dovecot:
		conf = self._write_config()
		self.proc = subprocess.Popen(
			[DOVECOT, "-F", "-c", str(conf)],
			stdout=open(self.root / "stdout.log", "wb"),
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		deadline = time.monotonic() + 20
		while time.monotonic() < deadline:
			if self.proc.poll() is not None:
				raise RuntimeError(f"dovecot exited: {self.logs()}")
			with (
				contextlib.suppress(OSError),
				socket.create_connection(("127.0.0.1", self.port), timeout=1) as s,
			):
				if s.recv(100).startswith(b"* OK"):
					return self
			time.sleep(0.2)
		raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.logs()}")

	def stop(self) -> None:
		if self.proc and self.proc.poll() is None:
			self.proc.terminate()
			try:
				self.proc.wait(timeout=10)
			except subprocess.TimeoutExpired:
				self.proc.kill()
		shutil.rmtree(self.root, ignore_errors=True)

	def logs(self) -> str:
		parts = [p.read_text(errors="replace") for p in (self.log, self.root / "stdout.log") if p.exists()]
		return "\n".join(parts)[-4000:]

	def client(self):
		from imapclient import IMAPClient

		client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
		client.login(self.user, self.password)
		return client

	def append(self, raw: bytes, folder: str = "INBOX") -> None:
		client = self.client()
		try:
			client.append(folder, raw)
		finally:
			client.logout()

	def flags(self, folder: str = "INBOX") -> dict:
		"""{uid: flags} of every message: to prove the poller changed nothing on the server."""
		client = self.client()
		try:
			client.select_folder(folder, readonly=True)
			uids = client.search(["ALL"])
			return (
				{uid: data[b"FLAGS"] for uid, data in client.fetch(uids, ["FLAGS"]).items()} if uids else {}
			)
		finally:
			client.logout()
