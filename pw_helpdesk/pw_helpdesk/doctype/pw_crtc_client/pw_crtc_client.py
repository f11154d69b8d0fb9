import frappe
from frappe.model.document import Document

from pw_helpdesk.mailroom.core import STANDARD_MAILBOXES


class PWCRTCClient(Document):
	def validate(self):
		self.domain = (self.domain or "").strip().lower().lstrip("@")
		if "." not in self.domain or " " in self.domain:
			frappe.throw(frappe._("domain: {0} is not a mail domain").format(self.domain))
		if self.tls_mode == "none" and self.imap_host not in ("127.0.0.1", "localhost", "::1"):
			frappe.throw(frappe._("tls_mode: 'none' is only for local test servers"))

	def after_insert(self):
		self.seed_mailboxes()

	def seed_mailboxes(self, passwords: dict[str, str] | None = None) -> list[str]:
		"""The 14 standard mailboxes with their priorities (idempotent)."""
		passwords = passwords or {}
		names = []
		for localpart, priority in STANDARD_MAILBOXES.items():
			address = f"{localpart}@{self.domain}"
			if frappe.db.exists("PW CRTC Mailbox", address):
				mailbox = frappe.get_doc("PW CRTC Mailbox", address)
			else:
				mailbox = frappe.new_doc("PW CRTC Mailbox")
				mailbox.update(
					{"client": self.name, "address": address, "localpart": localpart, "priority": priority}
				)
			if localpart in passwords:
				mailbox.password = passwords[localpart]
			mailbox.save(ignore_permissions=True)
			names.append(mailbox.name)
		return names
