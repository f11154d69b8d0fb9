import frappe
from frappe import _

from pw_helpdesk.portal.access import is_website_user

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/issues"
		raise frappe.Redirect
	# The user's own permissions: the Issue permission hooks keep the list to their Customer's Issues.
	context.issues = frappe.get_list(
		"Issue",
		fields=["name", "subject", "status", "modified", "issue_type"],
		order_by="modified desc",
		limit_page_length=200,
	)
	context.title = _("My tickets")
	context.show_sidebar = True
	context.is_portal_user = is_website_user(frappe.session.user)
	return context
