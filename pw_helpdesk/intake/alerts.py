"""Script alerts and automation failures: deduplicated Issues for ops scripts and workers."""

import frappe
from frappe.utils import escape_html

from pw_helpdesk.intake import core
from pw_helpdesk.pw_helpdesk.doctype.pw_dedup_key.pw_dedup_key import lock_key, point_key

CLOSED_STATUSES = ("Resolved", "Closed")


class AlertInputError(frappe.ValidationError):
	"""A bad argument from the caller: 400 over HTTP (frappe's ValidationError would answer 417)."""

	http_status_code = 400


MAX_DETAILS = 50_000


def open_or_bump(
	key: str,
	*,
	subject: str,
	details: str,
	priority: str,
	issue_type: str,
	channel: str,
	source: str | None = None,
	fingerprint: str | None = None,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> tuple[str, bool]:
	"""One open Issue per key: a repeat adds a Comment and counts; after Resolved/Closed a new Issue opens.

	Returns (issue name, created). Concurrent callers with the same key serialise on the key's row lock.
	"""
	row = lock_key(key, f"{channel}: {subject}")
	# A locking read: a plain one would use this transaction's snapshot, which may predate the Issue
	# that the previous holder of the key lock created.
	status = row.issue and frappe.db.get_value("Issue", row.issue, "status", for_update=True)
	if status and status not in CLOSED_STATUSES:
		issue = frappe.get_doc("Issue", row.issue, for_update=True)
		occurrences = (issue.pw_occurrences or 1) + 1
		issue.db_set("pw_occurrences", occurrences, update_modified=False)
		issue.add_comment("Comment", text=_details_html(f"Occurred again (#{occurrences})", details))
		point_key(row.name, issue.name, occurrences)
		return issue.name, False

	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject[: core.MAX_SUBJECT],
			"description": _details_html(subject, details),
			"issue_type": issue_type,
			"priority": priority,
			"status": "Open",
			"raised_by": frappe.db.get_value("User", frappe.session.user, "email") or None,
			"pw_channel": channel,
			"pw_source": (source or "")[:140] or None,
			"pw_fingerprint": (fingerprint or "")[:140] or None,
			"pw_occurrences": 1,
			"pw_reference_doctype": reference_doctype,
			"pw_reference_name": reference_name,
		}
	)
	issue.flags.ignore_permissions = True
	issue.insert()
	point_key(row.name, issue.name, 1)
	return issue.name, True


def _details_html(title: str, details: str) -> str:
	details = (details or "")[:MAX_DETAILS]
	return f"<p><b>{escape_html(title)}</b></p><pre>{escape_html(details)}</pre>"


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
	title = (title or "").strip()
	if not title:
		frappe.throw(frappe._("title: is required"), AlertInputError)
	if not (source or "").strip():
		frappe.throw(frappe._("source: is required"), AlertInputError)
	for doctype, value in (("Issue Priority", priority), ("Issue Type", issue_type)):
		if not frappe.db.exists(doctype, value):
			frappe.throw(
				frappe._("{0}: unknown {1} {2}").format(doctype.split()[-1].lower(), doctype, value),
				AlertInputError,
			)
	if reference_doctype or reference_name:
		check_reference(reference_doctype, reference_name)
	key = core.dedup_key("alert", fingerprint or f"{source}\x1f{title}")
	name, _ = open_or_bump(
		key,
		subject=title,
		details=details,
		priority=priority,
		issue_type=issue_type,
		channel="Script Alert",
		source=source,
		fingerprint=fingerprint,
		reference_doctype=reference_doctype,
		reference_name=reference_name,
	)
	return name


def alert_account_broken(account: str, error: str) -> str:
	"""An account (mailbox, API credential, integration) stopped working."""
	return raise_alert(
		title=f"Account broken: {account}",
		details=str(error),
		source="account-monitor",
		fingerprint=f"account-broken:{account}",
		priority="High",
		issue_type="Bug",
	)


def check_reference(reference_doctype: str | None, reference_name: str | None) -> None:
	if not reference_doctype or not frappe.db.exists("DocType", reference_doctype):
		frappe.throw(
			frappe._("reference_doctype: {0} is not a DocType").format(reference_doctype),
			AlertInputError,
		)
	if not reference_name or not frappe.db.exists(reference_doctype, reference_name):
		frappe.throw(
			frappe._("reference_name: {0} {1} does not exist").format(reference_doctype, reference_name),
			frappe.DoesNotExistError,
		)


def report_automation_failure(
	reference_doctype: str, reference_name: str, error: str, step: str | None = None
) -> str:
	check_reference(reference_doctype, reference_name)
	subject = f"Automation failed: {reference_doctype} {reference_name}" + (f" ({step})" if step else "")
	name, created = open_or_bump(
		core.dedup_key("automation", reference_doctype, reference_name, step or ""),
		subject=subject,
		details=str(error),
		priority="High",
		issue_type="Bug",
		channel="Automation",
		source=step,
		reference_doctype=reference_doctype,
		reference_name=reference_name,
	)
	if created:
		frappe.get_doc(reference_doctype, reference_name).add_comment(
			"Comment",
			text=frappe._("Automation failure{0} reported in Issue <a href='/app/issue/{1}'>{1}</a>").format(
				f" ({escape_html(step)})" if step else "", name
			),
		)
	return name
