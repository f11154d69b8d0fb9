"""Portal methods for logged-in customers: open a ticket, reply, attach files."""

import frappe
from frappe import _

from pw_helpdesk.intake.core import MAX_MESSAGE, MAX_SUBJECT, text_to_safe_html
from pw_helpdesk.portal.access import can_see, is_website_user, user_email

TOPICS = {"support": "Support", "accounting": "Accounting Support"}
MAX_FILES = 5


class PortalError(frappe.ValidationError):
	http_status_code = 400


def _require_portal_user() -> str:
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Please log in"), frappe.AuthenticationError)
	return user


def _check_text(value: str | None, field: str, limit: int) -> str:
	value = (value or "").strip()
	if not value:
		frappe.throw(_("{0}: is required").format(field), PortalError)
	if len(value) > limit:
		frappe.throw(_("{0}: must be at most {1} characters").format(field, limit), PortalError)
	return value


@frappe.whitelist(methods=["POST"])
def reply(issue: str, message: str) -> dict:
	"""A customer's reply on their Issue: a received Communication, so the lifecycle rules apply."""
	user = _require_portal_user()
	if not frappe.db.exists("Issue", issue) or not can_see(issue, user):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	message = _check_text(message, "message", MAX_MESSAGE)
	from pw_helpdesk.portal.holds import check_portal_reply_allowed

	check_portal_reply_allowed(issue)
	doc = frappe.db.get_value("Issue", issue, ["name", "subject", "_assign"], as_dict=True)
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"sender": user_email(user),
			"sender_full_name": frappe.utils.get_fullname(user),
			"subject": f"Re: {doc.subject}",
			"content": text_to_safe_html(message),
			"reference_doctype": "Issue",
			"reference_name": issue,
		}
	)
	communication.insert(ignore_permissions=True)
	files = _save_uploads("Issue", communication.reference_name)
	_notify_assignees(communication.reference_name, doc.subject, user)
	return {
		"communication": communication.name,
		"issue": communication.reference_name,
		"status": frappe.db.get_value("Issue", communication.reference_name, "status"),
		"files": files,
	}


@frappe.whitelist(methods=["POST"])
def create_issue(subject: str, message: str, topic: str = "support") -> dict:
	"""A new ticket from the portal, for the user's Customer. Priority and status are the desk's."""
	user = _require_portal_user()
	if not is_website_user(user) and "System Manager" not in frappe.get_roles(user):
		frappe.throw(_("Only portal users open tickets here"), frappe.PermissionError)
	subject = _check_text(subject, "subject", MAX_SUBJECT)
	message = _check_text(message, "message", MAX_MESSAGE)
	if topic not in TOPICS:
		frappe.throw(_("topic: must be one of {0}").format(", ".join(TOPICS)), PortalError)
	from pw_helpdesk.portal.access import portal_customers
	from pw_helpdesk.portal.holds import check_new_issue_allowed

	customers = portal_customers(user)
	customer = customers[0] if len(customers) == 1 else None
	check_new_issue_allowed(customer, TOPICS[topic])
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"description": text_to_safe_html(message),
			"issue_type": TOPICS[topic],
			"priority": "Medium",
			"raised_by": user_email(user),
			"customer": customer,
			"pw_channel": "Portal",
		}
	)
	issue.insert(ignore_permissions=True)
	files = _save_uploads("Issue", issue.name)
	return {"issue": issue.name, "status": issue.status, "files": files}


def _save_uploads(doctype: str, name: str) -> list[str]:
	"""Files posted with the form, as private Files on the Issue."""
	from frappe.core.api.file import get_max_file_size

	request = getattr(frappe, "request", None)
	# An empty <input type=file> still posts a part, with no name and no bytes.
	uploads = [f for f in request.files.getlist("file") if f.filename] if request else []
	if len(uploads) > MAX_FILES:
		frappe.throw(_("files: at most {0} per message").format(MAX_FILES), PortalError)
	saved = []
	for upload in uploads:
		content = upload.stream.read()
		if len(content) > get_max_file_size():
			frappe.throw(_("files: {0} is too large").format(upload.filename), PortalError)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": upload.filename,
				"attached_to_doctype": doctype,
				"attached_to_name": name,
				"is_private": 1,
				"content": content,
			}
		)
		file.insert(ignore_permissions=True)
		saved.append(file.file_url)
	return saved


def _notify_assignees(issue: str, subject: str, user: str) -> None:
	"""The assigned agents hear of the customer's reply (desk notification and its email)."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	assignees = frappe.parse_json(frappe.db.get_value("Issue", issue, "_assign") or "[]")
	# Frappe looks the recipients up by email address, not by user id.
	emails = frappe.get_all("User", filters={"name": ("in", assignees), "enabled": 1}, pluck="email")
	if emails:
		enqueue_create_notification(
			emails,
			{
				"type": "Alert",
				"document_type": "Issue",
				"document_name": issue,
				"subject": _("{0} replied on {1}: {2}").format(
					frappe.utils.get_fullname(user), issue, subject
				),
				"from_user": user,
			},
		)
