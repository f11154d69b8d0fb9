"""Public methods. Thin: each checks who may call it, then hands over to its capability package."""

import frappe

from pw_helpdesk.intake import alerts, tickets
from pw_helpdesk.intake.http import check_request

ALERT_ROLES = ("PW Alert Reporter", "System Manager")


def require_alert_role() -> None:
	# Not frappe.only_for: it lets everyone through while tests run, which would hide a hole.
	if not set(frappe.get_roles()) & set(ALERT_ROLES):
		frappe.throw(frappe._("Only a PW Alert Reporter may report alerts"), frappe.PermissionError)


@frappe.whitelist(allow_guest=True, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def create_ticket(
	email: str | None = None,
	subject: str | None = None,
	message: str | None = None,
	category: str | None = None,
	name: str | None = None,
	page_url: str | None = None,
	channel: str | None = None,
	website: str | None = None,
	idempotency_key: str | None = None,
) -> dict:
	"""The website widget's and contact form's ticket method. Arguments beyond these are ignored."""
	# Every method is whitelisted so that a wrong one gets 405 from us rather than frappe's 403.
	check_request()
	return tickets.create_web_ticket(
		{
			"email": email,
			"subject": subject,
			"message": message,
			"category": category,
			"name": name,
			"page_url": page_url,
			"channel": channel,
			"idempotency_key": idempotency_key or frappe.get_request_header("Idempotency-Key"),
		},
		honeypot=website,
		ip=frappe.local.request_ip,
	)


@frappe.whitelist(methods=["POST"])
def raise_alert(
	title: str,
	details: str,
	source: str,
	fingerprint: str | None = None,
	priority: str = "High",
	issue_type: str = "Bug",
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> str:
	"""Open (or count again) an alert Issue. Python callers in the bench use the same function."""
	require_alert_role()
	return alerts.raise_alert(
		title, details, source, fingerprint, priority, issue_type, reference_doctype, reference_name
	)


@frappe.whitelist(methods=["POST"])
def report_automation_failure(
	reference_doctype: str, reference_name: str, error: str, step: str | None = None
) -> str:
	"""An automation failed on a document: an Issue linked to it, deduplicated per (document, step)."""
	require_alert_role()
	return alerts.report_automation_failure(reference_doctype, reference_name, error, step)


def alert_account_broken(account: str, error: str) -> str:
	return alerts.alert_account_broken(account, error)
