import frappe
from frappe.model.document import Document
from frappe.utils import cint

SECURITY = ("SSL", "STARTTLS", "None")


class PWMailInbox(Document):
	def validate(self):
		if self.enabled and not (self.imap_host and self.imap_user):
			frappe.throw(frappe._("IMAP host and user are required to enable the support inbox"))
		if self.imap_security not in SECURITY:
			self.imap_security = "SSL"
		if not cint(self.imap_port):
			self.imap_port = 143 if self.imap_security != "SSL" else 993


def get_inbox() -> "PWMailInbox":
	return frappe.get_doc("PW Mail Inbox")
