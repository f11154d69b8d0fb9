"""Demo data for `dev/bench.sh up`: idempotent, so `up` can run it on every start."""

import frappe

DEMO_PASSWORD = "Demo-Portal-2026!"

DEMO_CUSTOMERS = [
	{
		"customer": "Northwind Telecom Inc.",
		"first_name": "Alice",
		"last_name": "Northwind",
		"email": "alice@northwind-telecom.example",
	},
	{
		"customer": "Maple Carrier Ltd.",
		"first_name": "Bob",
		"last_name": "Maple",
		"email": "bob@maple-carrier.example",
	},
]

DEMO_ISSUES = [
	("Sales Inquiry", "Medium", "Quote for CRTC registration and BITS licence"),
	("Support", "Medium", "Cannot download our 499 filing receipt"),
	("Support", "Low", "Change the billing contact on our account"),
	("Bug", "High", "Portal shows the wrong filing deadline"),
	("Feature Request", "Low", "Add French translations of the annual return"),
	("CRTC Correspondence", "High", "CRTC letter: telecommunications fees annual return"),
	("Accounting Support", "Medium", "Question about invoice INV-2026-0042"),
	("Compliance Alert", "High", "Review: payment request outside the platform"),
]


def make_demo_data() -> list[str]:
	log = []
	for spec in DEMO_CUSTOMERS:
		customer = ensure_customer(spec["customer"])
		user = ensure_portal_user(spec)
		ensure_contact(spec, customer, user)
		log.append(f"customer {customer}: portal login {user} / {DEMO_PASSWORD}")
		for issue_type, priority, subject in DEMO_ISSUES:
			name = ensure_issue(customer, spec["email"], issue_type, priority, subject)
			log.append(f"  issue {name}: [{issue_type}/{priority}] {subject}")
	return log


def ensure_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0})
				or "All Customer Groups",
				"territory": frappe.db.get_value("Territory", {"is_group": 0}) or "All Territories",
			}
		).insert(ignore_permissions=True)
	return name


def ensure_portal_user(spec: dict, password: str = DEMO_PASSWORD) -> str:
	email = spec["email"]
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": spec["first_name"],
				"last_name": spec["last_name"],
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		user.append("roles", {"role": "Customer"})
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	from frappe.utils.password import update_password

	update_password(email, password)
	return email


def ensure_contact(spec: dict, customer: str, user: str) -> str:
	# Frappe already made a Contact for the new website user; link it to the Customer.
	name = frappe.db.get_value("Contact", {"email_id": spec["email"]})
	contact = frappe.get_doc("Contact", name) if name else frappe.new_doc("Contact")
	contact.update({"first_name": spec["first_name"], "last_name": spec["last_name"], "user": user})
	if not contact.email_ids:
		contact.append("email_ids", {"email_id": spec["email"], "is_primary": 1})
	if not any(link.link_doctype == "Customer" and link.link_name == customer for link in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	contact.save(ignore_permissions=True)
	return contact.name


def ensure_issue(customer: str, raised_by: str, issue_type: str, priority: str, subject: str) -> str:
	name = frappe.db.get_value("Issue", {"customer": customer, "subject": subject})
	if name:
		return name
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"raised_by": raised_by,
			"customer": customer,
			"issue_type": issue_type,
			"priority": priority,
			"description": f"<p>Demo: {subject}.</p>",
		}
	)
	issue.flags.ignore_mandatory = True
	issue.insert(ignore_permissions=True)
	return issue.name
