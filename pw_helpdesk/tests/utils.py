"""Factories for tests inside a site."""

import frappe

SETTINGS = "PW Helpdesk Settings"


def make_customer(name: str, *emails: str) -> str:
	"""A Customer with one Contact per email address."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
	for email in emails:
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": email.split("@")[0],
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": name}],
			}
		).insert(ignore_permissions=True)
	return name


def make_outgoing_account(port: int = 2525, email: str = "support@performancewest.net") -> str:
	name = frappe.db.get_value("Email Account", {"default_outgoing": 1}) or "PW Test Outgoing"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": email,
				"smtp_server": "127.0.0.1",
				"smtp_port": port,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	return name


def set_settings(**values) -> None:
	for field, value in values.items():
		frappe.db.set_single_value(SETTINGS, field, value)
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def make_portal_user(customer: str, email: str, password: str = "Portal-Test-2026!") -> str:
	"""A Customer, a website user with the Customer role, and a Contact linking the two."""
	from pw_helpdesk.setup.demo import ensure_contact, ensure_customer, ensure_portal_user

	spec = {"customer": customer, "email": email, "first_name": email.split("@")[0], "last_name": "Portal"}
	ensure_customer(customer)
	ensure_portal_user(spec, password)
	ensure_contact(spec, customer, email)
	return email
