"""Who may see which Issue: a portal user sees the Issues of their Customer(s) and those they raised.

The same rule backs every path: `permission_query_conditions` (lists, counts, get_value), `has_permission`
(documents, their Communications and attached files) and `has_website_permission` (portal pages).
Hooks can only deny; website users get read (never write) on Issue from the Customer role.
"""

import frappe

PORTAL_ROLE = "Customer"


def is_website_user(user: str) -> bool:
	return frappe.get_cached_value("User", user, "user_type") == "Website User"


def portal_customers(user: str) -> list[str]:
	"""Customers linked to the Contacts of this user."""
	contact = frappe.qb.DocType("Contact")
	link = frappe.qb.DocType("Dynamic Link")
	return (
		frappe.qb.from_(link)
		.join(contact)
		.on(link.parent == contact.name)
		.select(link.link_name)
		.distinct()
		.where(
			(link.parenttype == "Contact")
			& (link.link_doctype == "Customer")
			& ((contact.user == user) | (contact.email_id == user))
		)
		.run(pluck=True)
	)


def user_email(user: str) -> str:
	return frappe.get_cached_value("User", user, "email") or user


def can_see(issue, user: str) -> bool:
	if isinstance(issue, str):
		issue = frappe.db.get_value("Issue", issue, ["name", "customer", "raised_by"], as_dict=True)
		if not issue:
			return False
	if issue.raised_by and issue.raised_by.lower() == user_email(user).lower():
		return True
	return bool(issue.customer) and issue.customer in portal_customers(user)


def has_permission(doc, ptype=None, user=None, debug=False):
	"""Issue `has_permission` hook: website users read their own Issues and nothing else."""
	user = user or frappe.session.user
	if not is_website_user(user):
		return None
	if ptype not in ("read", "print") or not can_see(doc, user):
		return False
	return None


def permission_query_conditions(user=None) -> str:
	"""Issue list/count/get_value filter for website users."""
	user = user or frappe.session.user
	if not is_website_user(user):
		return ""
	email = frappe.db.escape(user_email(user))
	customers = portal_customers(user)
	condition = f"`tabIssue`.`raised_by` = {email}"
	if customers:
		quoted = ", ".join(frappe.db.escape(c) for c in customers)
		condition = f"({condition} or `tabIssue`.`customer` in ({quoted}))"
	return condition


def has_website_permission(doc, ptype, user, verbose=False) -> bool:
	return ptype == "read" and can_see(doc, user)


def grant_portal_read() -> None:
	"""Customer role: read on Issue (scoped by the hooks above). Idempotent."""
	from frappe.permissions import add_permission

	exists = frappe.db.exists(
		"Custom DocPerm", {"parent": "Issue", "role": PORTAL_ROLE, "permlevel": 0, "if_owner": 0}
	)
	if not exists:
		add_permission("Issue", PORTAL_ROLE, 0, "read")
	frappe.db.set_value(
		"Custom DocPerm",
		{"parent": "Issue", "role": PORTAL_ROLE, "permlevel": 0},
		{
			"read": 1,
			"write": 0,
			"create": 0,
			"delete": 0,
			"submit": 0,
			"cancel": 0,
			"amend": 0,
			"report": 0,
			"export": 0,
			"import": 0,
			"share": 0,
			"print": 0,
			"email": 0,
			"select": 0,
		},
	)
	frappe.clear_cache(doctype="Issue")


@frappe.whitelist()
def get_count(
	doctype: str, filters: str | dict | list | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""Replaces `frappe.client.get_count`, which in Frappe 15 counts rows without any permission check
	(a portal user could probe other customers' Issues by name). Counts through get_list instead,
	which applies role permissions and permission_query_conditions."""
	from frappe.client import get_safe_filters

	rows = frappe.get_list(
		doctype, filters=get_safe_filters(filters), fields=["count(*) as total"], order_by=""
	)
	return rows[0].total if rows else 0
