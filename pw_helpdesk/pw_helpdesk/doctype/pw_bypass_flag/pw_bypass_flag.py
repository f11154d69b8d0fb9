from frappe.model.document import Document


class PWBypassFlag(Document):
	"""One per flagged client message (named after the Communication: the key of exactly-once)."""
