import frappe
from frappe import _
from frappe.utils.html_utils import sanitize_html

from pw_helpdesk.portal.access import can_see
from pw_helpdesk.portal.api import TOPICS

no_cache = 1


def get_context(context):
	name = frappe.form_dict.name
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = f"/login?redirect-to=/issues/{name}"
		raise frappe.Redirect
	context.csrf_token = frappe.sessions.get_csrf_token()
	context.show_sidebar = True
	if name == "new":
		context.new = True
		context.topics = TOPICS
		context.title = _("New ticket")
		return context
	# One answer for "missing" and "someone else's": nothing about other customers' tickets leaks.
	if not frappe.db.exists("Issue", name) or not can_see(name, frappe.session.user):
		raise frappe.PermissionError(_("You are not permitted to see this ticket"))
	issue = frappe.db.get_value(
		"Issue",
		name,
		["name", "subject", "status", "issue_type", "priority", "creation", "description"],
		as_dict=True,
	)
	communications = frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Issue", "reference_name": name, "communication_type": "Communication"},
		fields=["name", "sender", "sender_full_name", "sent_or_received", "content", "communication_date"],
		order_by="communication_date asc",
	)
	for c in communications:
		c.content = sanitize_html(c.content or "")
	context.issue = issue
	context.description = sanitize_html(issue.description or "")
	context.communications = communications
	context.files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Issue", "attached_to_name": name},
		fields=["file_name", "file_url"],
		order_by="creation asc",
	)
	context.title = f"{issue.name}: {issue.subject}"
	return context
