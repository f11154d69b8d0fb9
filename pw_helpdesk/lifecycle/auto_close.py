"""Auto-close, replacing ERPNext's `auto_close_tickets` (which keys on `modified` and cannot be switched off).

Only due Issues are read: two indexed range queries, so a run over 100,000 Issues with none due is cheap.
"""

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from pw_helpdesk.lifecycle import rules
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import (
	get_settings,
	split_lines,
)

WARNING_TEMPLATE = "PW Auto-close Warning"
ERPNEXT_JOB = "erpnext.support.doctype.issue.issue.auto_close_tickets"


def candidates(days: int, now, excluded: list[str]) -> list[frappe._dict]:
	"""Replied Issues whose last agent reply, and Resolved Issues whose resolution, is older than `days`."""
	issue = frappe.qb.DocType("Issue")
	limit = now - timedelta(days=days)
	fields = [
		issue.name,
		issue.status,
		issue.subject,
		issue.raised_by,
		issue.issue_type,
		issue.pw_last_agent_reply,
		issue.pw_last_customer_reply,
		issue.pw_resolved_on,
		issue.pw_close_warning_sent,
	]
	replied = (
		frappe.qb.from_(issue)
		.select(*fields)
		.where((issue.status == "Replied") & (issue.pw_last_agent_reply < limit))
		.where(
			issue.pw_last_customer_reply.isnull() | (issue.pw_last_customer_reply < issue.pw_last_agent_reply)
		)
	)
	resolved = (
		frappe.qb.from_(issue)
		.select(*fields)
		.where((issue.status == "Resolved") & (issue.pw_resolved_on < limit))
	)
	rows = replied.run(as_dict=True) + resolved.run(as_dict=True)
	return [row for row in rows if row.issue_type not in excluded]


def run(dry_run: bool = False) -> list[tuple[str, str, str]]:
	"""Warn, then close, due Issues. Returns (issue, action, reason) for each one acted on (or that would be)."""
	settings = get_settings()
	days = int(settings.auto_close_days or 0)
	if days <= 0:
		return []
	warn_hours = int(settings.auto_close_warning_hours or 0)
	excluded = split_lines(settings.auto_close_excluded_types)
	now = now_datetime()
	report = []
	# Issues that reach their close time within the warning period get the warning now.
	lead = now + timedelta(hours=warn_hours)

	def reason_at(row, when):
		return rules.close_reason(
			row.status,
			last_agent_reply=row.pw_last_agent_reply,
			last_customer_reply=row.pw_last_customer_reply,
			resolved_on=row.pw_resolved_on,
			now=when,
			days=days,
		)

	for row in candidates(days, lead, excluded):
		reason = reason_at(row, lead)
		if not reason:
			continue
		if warn_hours and not row.pw_close_warning_sent:
			report.append((row.name, "warn", reason))
			if not dry_run:
				warn(row, warn_hours)
			continue
		due = reason_at(row, now)
		warned_long_enough = not warn_hours or row.pw_close_warning_sent <= now - timedelta(hours=warn_hours)
		if due and warned_long_enough:
			report.append((row.name, "close", due))
			if not dry_run:
				close(row.name, due)
	return report


def warn(row, warn_hours: int) -> None:
	from pw_helpdesk.mail.outgoing import send_template

	if row.raised_by:
		send_template(
			WARNING_TEMPLATE,
			[row.raised_by],
			{"doc": row, "hours": warn_hours},
			reference_doctype="Issue",
			reference_name=row.name,
		)
	frappe.db.set_value("Issue", row.name, "pw_close_warning_sent", now_datetime(), update_modified=False)


def close(name: str, reason: str) -> None:
	doc = frappe.get_doc("Issue", name)
	doc.status = "Closed"
	doc.flags.ignore_permissions = True
	doc.flags.ignore_mandatory = True
	doc.save()
	doc.add_comment("Info", frappe._("Closed automatically: {0}.").format(reason))


def scheduled() -> None:
	"""Scheduler entry point (cron in hooks.py). The job runner commits on success."""
	run()


def stop_erpnext_auto_close() -> None:
	"""ERPNext's own daily job would close on `modified` regardless of our settings."""
	for name in frappe.get_all("Scheduled Job Type", filters={"method": ERPNEXT_JOB}, pluck="name"):
		frappe.db.set_value("Scheduled Job Type", name, "stopped", 1)
