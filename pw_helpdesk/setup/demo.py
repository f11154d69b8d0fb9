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


DEMO_CRTC_DOMAIN = "northwind-telecom.example"
SUPPORT_ADDRESS = ("support@performancewest.net", "support-demo")


def configure_demo_mail(imap_port: int, smtp_port: int) -> list[str]:
	"""Point the demo site at the local mail servers of dev/demo_mail.py (idempotent)."""
	from pw_helpdesk.mailroom.core import STANDARD_MAILBOXES

	if not frappe.db.exists("Email Account", "PW Demo Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "PW Demo Outgoing",
				"email_id": SUPPORT_ADDRESS[0],
				"smtp_server": "127.0.0.1",
				"smtp_port": smtp_port,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	inbox = frappe.get_doc("PW Mail Inbox")
	inbox.update(
		{
			"enabled": 1,
			"imap_host": "127.0.0.1",
			"imap_port": imap_port,
			"imap_security": "None",
			"imap_user": SUPPORT_ADDRESS[0],
			"imap_password": SUPPORT_ADDRESS[1],
			"imap_folder": "INBOX",
		}
	)
	inbox.save(ignore_permissions=True)
	settings = frappe.get_doc("PW Helpdesk Settings")
	settings.admin_emails = settings.admin_emails or "compliance-team@performancewest.net"
	settings.support_email = SUPPORT_ADDRESS[0]
	settings.save(ignore_permissions=True)
	customer = DEMO_CUSTOMERS[0]["customer"]
	if not frappe.db.exists("PW CRTC Client", DEMO_CRTC_DOMAIN):
		frappe.get_doc(
			{
				"doctype": "PW CRTC Client",
				"customer": customer,
				"domain": DEMO_CRTC_DOMAIN,
				"imap_host": "127.0.0.1",
				"imap_port": imap_port,
				"tls_mode": "none",
			}
		).insert(ignore_permissions=True)
	client = frappe.get_doc("PW CRTC Client", DEMO_CRTC_DOMAIN)
	client.imap_port = imap_port
	client.save(ignore_permissions=True)
	client.seed_mailboxes({lp: f"pw-{lp}" for lp in STANDARD_MAILBOXES})
	return [
		f"mail: outgoing via 127.0.0.1:{smtp_port}, support inbox {SUPPORT_ADDRESS[0]} on 127.0.0.1:{imap_port}",
		f"CRTC client {DEMO_CRTC_DOMAIN} ({customer}): 14 mailboxes on 127.0.0.1:{imap_port}",
	]
