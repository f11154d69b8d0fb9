"""Dovecot with the 14 standard mailboxes of CRTC clients (one passwd-file user per mailbox)."""

from __future__ import annotations

from pathlib import Path

from mailservers import Dovecot

from pw_helpdesk.mailroom.core import STANDARD_MAILBOXES


class CrtcDovecot(Dovecot):
	"""One Dovecot serving `domains` x 14 mailboxes; every mailbox's password is `pw-<localpart>`."""

	def __init__(self, domains: list[str]):
		super().__init__(user=f"regulatory@{domains[0]}", password="pw-regulatory")
		self.domains = domains

	def _write_config(self) -> Path:
		conf = super()._write_config()
		passwd = self.root / "passwd"
		first = passwd.read_text().splitlines()[0].split(":")
		uid, gid = first[2], first[3]
		# One home (and INBOX) per mailbox, spelled out: no %-variables to depend on.
		lines = [
			f"{localpart}@{domain}:{{PLAIN}}pw-{localpart}:{uid}:{gid}::{self.root}/mail/{domain}/{localpart}"
			for domain in self.domains
			for localpart in STANDARD_MAILBOXES
		]
		passwd.write_text("\n".join(lines) + "\n")
		return conf

	def login_as(self, address: str):
		from imapclient import IMAPClient

		client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=60)
		client.login(address, f"pw-{address.split('@')[0]}")
		return client

	def deliver(self, address: str, raw: bytes) -> None:
		client = self.login_as(address)
		try:
			client.append("INBOX", raw)
		finally:
			client.logout()

	def seen_flags(self, address: str) -> int:
		client = self.login_as(address)
		try:
			client.select_folder("INBOX", readonly=True)
			return len(client.search(["SEEN"]))
		finally:
			client.logout()

	def passwords_file(self) -> str:
		return "".join(f"{lp} pw-{lp}\n" for lp in STANDARD_MAILBOXES)

	def renumber(self, address: str) -> None:
		"""Make the server give the mailbox a new UIDVALIDITY, as after a restore or a migration: drop
		Dovecot's UID list and indexes, so it renumbers every message on the next login."""
		localpart, domain = address.split("@")
		maildir = self.root / "mail" / domain / localpart / "Maildir"
		for path in maildir.glob("dovecot*"):
			path.unlink()
