"""Local mail servers for the demo site: Dovecot (IMAP) and an aiosmtpd sink (SMTP), as daemons.

    python dev/demo_mail.py start    # idempotent; prints the ports
    python dev/demo_mail.py stop
    python dev/demo_mail.py reply    # answer the newest mail the desk sent, as the customer would

Dovecot holds the support inbox (support@performancewest.net) and the 14 CRTC mailboxes of the demo
client's domain; the SMTP sink keeps every message the desk sends in a Maildir. `reply` takes the newest
message in it and puts a customer reply to it (In-Reply-To, References, "Re:") in the support
inbox, so a person can watch the round trip: the next poll files it on the same Issue.
Run with the bench's Python (it has imapclient and aiosmtpd): ~/frappe-bench/env/bin/python.
"""

from __future__ import annotations

import argparse
import grp
import mailbox
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
from email.utils import make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pw_helpdesk.mailroom.core import STANDARD_MAILBOXES

# Not under the bench: Dovecot's unprivileged processes must traverse it, and /root is 0700.
ROOT = Path(os.environ.get("PW_DEMO_MAIL_ROOT", "/var/lib/pw_helpdesk/demo-mail"))
IMAP_PORT = int(os.environ.get("PW_DEMO_IMAP_PORT", 1143))
SMTP_PORT = int(os.environ.get("PW_DEMO_SMTP_PORT", 2525))
SUPPORT = ("support@performancewest.net", "support-demo")
CRTC_DOMAIN = "northwind-telecom.example"


def users() -> list[tuple[str, str]]:
	return [SUPPORT, *((f"{lp}@{CRTC_DOMAIN}", f"pw-{lp}") for lp in STANDARD_MAILBOXES)]


def listening(port: int) -> bool:
	with socket.socket() as s:
		s.settimeout(0.5)
		return s.connect_ex(("127.0.0.1", port)) == 0


def write_dovecot_config() -> Path:
	mail_user = pwd.getpwnam("mail")
	ROOT.mkdir(parents=True, exist_ok=True)
	for folder in (ROOT, *ROOT.parents):
		if folder == Path("/"):
			break
		os.chmod(folder, os.stat(folder).st_mode | 0o055)
	maildir = ROOT / "mail"
	maildir.mkdir(exist_ok=True)
	os.chown(maildir, mail_user.pw_uid, mail_user.pw_gid)
	(ROOT / "passwd").write_text(
		"".join(
			f"{user}:{{PLAIN}}{pw}:{mail_user.pw_uid}:{mail_user.pw_gid}::{maildir}/{user}\n"
			for user, pw in users()
		)
	)
	conf = ROOT / "dovecot.conf"
	conf.write_text(
		f"""protocols = imap
listen = 127.0.0.1
base_dir = {ROOT}/run
state_dir = {ROOT}/state
log_path = {ROOT}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {"dovenull" if _exists("dovenull") else "nobody"}
default_internal_user = {"dovecot" if _exists("dovecot") else "nobody"}
first_valid_uid = 1
mail_uid = {mail_user.pw_uid}
mail_gid = {mail_user.pw_gid}
mail_privileged_group = {grp.getgrgid(mail_user.pw_gid).gr_name}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {ROOT}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {ROOT}/passwd
}}
service imap-login {{
  inet_listener imap {{
    port = {IMAP_PORT}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
	)
	return conf


def _exists(user: str) -> bool:
	try:
		pwd.getpwnam(user)
		return True
	except KeyError:
		return False


def start() -> None:
	if not listening(IMAP_PORT):
		# The daemon keeps the fds it is given: not our stdout, or `up | tee` would never see EOF.
		subprocess.run(
			["dovecot", "-c", str(write_dovecot_config())],
			check=True,
			stdin=subprocess.DEVNULL,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
	if not listening(SMTP_PORT):
		log = open(ROOT / "smtp.log", "ab")
		proc = subprocess.Popen(
			[
				sys.executable,
				"-m",
				"aiosmtpd",
				"-n",
				"-l",
				f"127.0.0.1:{SMTP_PORT}",
				"-c",
				"aiosmtpd.handlers.Mailbox",
				str(ROOT / "sent"),
			],
			stdin=subprocess.DEVNULL,
			stdout=log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		(ROOT / "smtp.pid").write_text(str(proc.pid))
	for _ in range(50):
		if listening(IMAP_PORT) and listening(SMTP_PORT):
			break
		time.sleep(0.2)
	else:
		sys.exit(f"demo mail servers did not start; see {ROOT}/dovecot.log and {ROOT}/smtp.log")
	seed_crtc_mail()
	print(f"imap 127.0.0.1:{IMAP_PORT}  smtp 127.0.0.1:{SMTP_PORT}  sent mail (Maildir): {ROOT / 'sent'}")


def seed_crtc_mail() -> None:
	"""A few letters in the demo client's CRTC mailboxes, once."""
	marker = ROOT / "seeded"
	if marker.exists():
		return
	letters = [
		(
			"regulatory",
			"Telecom Notice of Consultation CRTC 2026-112",
			"Comments are due by 15 January 2027.",
		),
		("ccts", "CCTS complaint 2026-55812: billing dispute", "Please respond within 10 business days."),
		("billing", "Telecommunications fees: annual return reminder", "The annual return is due 31 March."),
		("info", "Newsletter: regulatory calendar", "Upcoming dates for registered carriers."),
	]
	for localpart, subject, body in letters:
		raw = (
			f"From: CRTC <no-reply@crtc.gc.example>\r\nTo: {localpart}@{CRTC_DOMAIN}\r\nSubject: {subject}\r\n"
			f"Message-ID: {make_msgid(domain='crtc.gc.example')}\r\n\r\n{body}\r\n"
		).encode()
		append(f"{localpart}@{CRTC_DOMAIN}", f"pw-{localpart}", raw)
	marker.write_text("1")


def append(user: str, password: str, raw: bytes) -> None:
	from imapclient import IMAPClient

	client = IMAPClient("127.0.0.1", port=IMAP_PORT, ssl=False, timeout=30)
	client.login(user, password)
	try:
		client.append("INBOX", raw)
	finally:
		client.logout()


def stop() -> None:
	subprocess.run(["doveadm", "-c", str(ROOT / "dovecot.conf"), "stop"], check=False, capture_output=True)
	pid_file = ROOT / "smtp.pid"
	if pid_file.exists():
		try:
			os.killpg(int(pid_file.read_text()), signal.SIGTERM)
		except (ProcessLookupError, ValueError):
			pass
		pid_file.unlink()


def reply() -> None:
	box = mailbox.Maildir(ROOT / "sent", create=False)
	messages = sorted((m for m in box if m["Message-ID"]), key=lambda m: m.get_date())
	if not messages:
		sys.exit("the desk has sent no mail yet")
	original = messages[-1]
	customer = original["To"].split(",")[0].strip()
	references = f"{original.get('References', '')} {original['Message-ID']}".strip()
	raw = (
		f"From: {customer}\r\nTo: {SUPPORT[0]}\r\nSubject: Re: {original['Subject']}\r\n"
		f"Message-ID: {make_msgid(domain='customer.example')}\r\nIn-Reply-To: {original['Message-ID']}\r\n"
		f"References: {references}\r\n\r\nThanks, here is the extra information you asked for.\r\n"
	).encode()
	append(*SUPPORT, raw)
	print(f"replied as {customer} to {original['Subject']!r}; the next support-inbox poll files it")


if __name__ == "__main__":
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("action", choices=["start", "stop", "reply"])
	{"start": start, "stop": stop, "reply": reply}[parser.parse_args().action]()
