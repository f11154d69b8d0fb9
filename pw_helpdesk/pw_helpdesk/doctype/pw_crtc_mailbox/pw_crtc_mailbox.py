from frappe.model.document import Document


class PWCRTCMailbox(Document):
	pass
