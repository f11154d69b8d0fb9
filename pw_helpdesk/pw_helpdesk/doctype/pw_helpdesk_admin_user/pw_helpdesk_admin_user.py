from frappe.model.document import Document


class PWHelpdeskAdminUser(Document):
	pass
