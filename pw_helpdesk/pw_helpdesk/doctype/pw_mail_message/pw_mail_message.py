from frappe.model.document import Document


class PWMailMessage(Document):
	pass
