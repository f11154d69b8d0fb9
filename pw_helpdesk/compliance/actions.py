"""What a flagged client message sets off, exactly once: warning, admin alert, escalation on repeat."""

import json

import frappe
from frappe.utils import add_to_date, escape_html, now_datetime

from pw_helpdesk.compliance import detector
from pw_helpdesk.compliance.monitor import client_words, scan

WARNING_TEMPLATE = "PW Off-platform Warning"
NOT_COUNTED = ("False Positive",)


def process(communication: str, via: str = "Inline") -> bool:
	"""Scan one pending message and act on it. Returns True when it was flagged by this call."""
	comm = frappe.get_doc("Communication", communication)
	findings = scan(client_words(comm.content))
	if not findings:
		comm.db_set("pw_bypass_pending", 0, update_modified=False)
		return False
	issue = frappe.db.get_value(
		"Issue", comm.reference_name, ["name", "customer", "subject", "raised_by"], as_dict=True
	)
	flag = frappe.get_doc(
		{
			"doctype": "PW Bypass Flag",
			"communication": comm.name,
			"issue": issue.name,
			"customer": issue.customer,
			"detected_via": via,
			"detector_version": detector.DETECTOR_VERSION,
			"kinds": ", ".join(sorted({f.kind for f in findings})),
			"matches": json.dumps(
				[{"kind": f.kind, "match": f.match, "start": f.start, "end": f.end} for f in findings],
				indent=1,
			),
		}
	)
	try:
		# The flag's name is the Communication's: a concurrent or repeated attempt stops here.
		flag.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:
		comm.db_set("pw_bypass_pending", 0, update_modified=False)
		return False

	repeat = bool(issue.customer) and is_repeat(issue.customer, flag.name)
	actions = []
	flag.warning_communication = send_warning(issue, comm)
	actions.append(f"warning {flag.warning_communication}")
	flag.alert_issue = raise_compliance_alert(issue, comm, findings, repeat)
	actions.append(f"alert {flag.alert_issue} ({'Urgent' if repeat else 'High'})")
	if repeat:
		suspend(issue.customer, flag.name)
		flag.escalated = 1
		actions.append("accounting-support access suspended")
	flag.actions_taken = "; ".join(actions)
	flag.save(ignore_permissions=True)
	comm.db_set("pw_bypass_pending", 0, update_modified=False)
	return True


def is_repeat(customer: str, current_flag: str) -> bool:
	from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

	days = int(get_settings().bypass_repeat_window_days or 0)
	filters = {
		"customer": customer,
		"name": ("!=", current_flag),
		"review_outcome": ("not in", NOT_COUNTED),
	}
	if days:
		filters["creation"] = (">=", add_to_date(now_datetime(), days=-days))
	return bool(frappe.db.exists("PW Bypass Flag", filters))


def send_warning(issue, comm) -> str | None:
	"""An automated reply in the thread: recorded on the Issue, mailed to the client, auto-replied."""
	from pw_helpdesk.mail.outgoing import auto_submitted

	template = frappe.get_cached_doc("Email Template", WARNING_TEMPLATE)
	args = {"doc": issue}
	recipient = comm.sender or issue.raised_by
	warning = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"pw_automatic": 1,
			"subject": frappe.render_template(template.subject, args),
			"content": frappe.render_template(template.response_html or template.response, args),
			"recipients": recipient,
			"reference_doctype": "Issue",
			"reference_name": issue.name,
			"in_reply_to": comm.name,
		}
	)
	warning.insert(ignore_permissions=True)
	if recipient and warning.get_outgoing_email_account():
		with auto_submitted("auto-replied"):
			warning.send_email()
	return warning.name


def raise_compliance_alert(issue, comm, findings, repeat: bool) -> str:
	evidence = "".join(
		f"<li><b>{escape_html(f.kind)}</b>: <code>{escape_html(f.match)}</code></li>" for f in findings
	)
	description = (
		f"<p>Possible attempt to move contact or payment off the platform"
		f"{' — <b>repeat offence: accounting support suspended</b>' if repeat else ''}.</p>"
		f"<p>Customer: {escape_html(issue.customer or 'unknown')}<br>"
		f"Source Issue: <a href='/app/issue/{issue.name}'>{issue.name}</a> ({escape_html(issue.subject)})<br>"
		f"Message: <a href='/app/communication/{comm.name}'>{comm.name}</a> from {escape_html(comm.sender or '')}"
		f"</p><ul>{evidence}</ul>"
	)
	alert = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": f"Off-platform attempt: {issue.customer or comm.sender} on {issue.name}"[:140],
			"description": description,
			"issue_type": "Compliance Alert",
			"priority": "Urgent" if repeat else "High",
			"customer": issue.customer,
			"pw_channel": "Compliance Monitor",
			"pw_reference_doctype": "Issue",
			"pw_reference_name": issue.name,
		}
	)
	alert.flags.ignore_permissions = True
	alert.flags.ignore_mandatory = True
	alert.insert()
	notify_admins(alert)
	return alert.name


def notify_admins(alert) -> None:
	from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

	recipients = get_settings().admin_recipients()
	if not recipients or not frappe.db.get_value("Email Account", {"default_outgoing": 1}):
		return
	from pw_helpdesk.mail.outgoing import auto_submitted

	with auto_submitted("auto-generated"):
		frappe.sendmail(
			recipients=recipients,
			subject=f"[{alert.name}] {alert.subject}",
			message=alert.description,
			reference_doctype="Issue",
			reference_name=alert.name,
		)


def suspend(customer: str, flag: str) -> None:
	frappe.db.set_value(
		"Customer",
		customer,
		{
			"pw_accounting_suspended": 1,
			"pw_suspended_on": now_datetime(),
			"pw_suspension_reason": f"Repeated off-platform attempts (flag {flag}); pending review",
		},
	)
	frappe.get_doc("Customer", customer).add_comment(
		"Info",
		frappe._("Accounting support suspended pending review: repeated off-platform attempts ({0}).").format(
			flag
		),
	)
	_mark_issues(customer, 1)


def _mark_issues(customer: str, suspended: int) -> None:
	"""The flag agents see on the Customer's Accounting Support Issues."""
	issue = frappe.qb.DocType("Issue")
	(
		frappe.qb.update(issue)
		.set(issue.pw_customer_suspended, suspended)
		.where((issue.customer == customer) & (issue.issue_type == "Accounting Support"))
		.run()
	)


def lift(customer: str, reason: str) -> None:
	frappe.db.set_value(
		"Customer",
		customer,
		{"pw_accounting_suspended": 0, "pw_suspended_on": None, "pw_suspension_reason": None},
	)
	frappe.get_doc("Customer", customer).add_comment(
		"Info",
		frappe._("Accounting-support suspension lifted by {0}: {1}").format(
			frappe.session.user, escape_html(reason)
		),
	)
	_mark_issues(customer, 0)


def review(flag: str, outcome: str, notes: str | None = None) -> None:
	doc = frappe.get_doc("PW Bypass Flag", flag)
	doc.review_outcome = outcome
	doc.reviewed_by = frappe.session.user
	doc.reviewed_on = now_datetime()
	doc.review_notes = notes
	doc.save(ignore_permissions=True, ignore_version=False)  # the audit trail (Version), always
