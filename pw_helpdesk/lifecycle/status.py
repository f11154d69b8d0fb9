"""Issue status on every new Communication: Replied/Open/reopen/follow-up, whatever core did before us.

Frappe core sets an Issue to Open on any received Communication (even a Closed one) in the
Communication's own on_update. We note the Issue's status before the insert, and write our decision in
the Communication's `on_update` doc_event, which runs after the controller's on_update: ours is the
last word, and it is computed from the status before anyone touched it.
"""

import frappe
from frappe.utils import get_datetime, now_datetime

from pw_helpdesk.lifecycle import rules
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings


def _is_issue_message(doc) -> bool:
	return (
		doc.reference_doctype == "Issue"
		and bool(doc.reference_name)
		and doc.communication_type == "Communication"
	)


def remember_status(doc, method=None) -> None:
	"""Communication before_insert."""
	if _is_issue_message(doc):
		doc.flags.pw_status_before = frappe.db.get_value("Issue", doc.reference_name, "status")


def apply_rules(doc, method=None) -> None:
	"""Communication on_update: acts once, on the save that inserted it."""
	before = doc.flags.pop("pw_status_before", None)
	if not before or not _is_issue_message(doc):
		return
	issue = frappe.db.get_value(
		"Issue", doc.reference_name, ["name", "status", "pw_resolved_on", "modified"], as_dict=True
	)
	now = now_datetime()
	decision = rules.on_message(
		before,
		from_customer=doc.sent_or_received == "Received",
		# Held messages (suspended customer) are recorded like robots' mail: they move nothing.
		automatic=bool(doc.get("pw_automatic") or doc.get("pw_held_for_review")),
		resolved_on=get_datetime(issue.pw_resolved_on or issue.modified) if before == "Resolved" else None,
		now=now,
		grace_days=int(get_settings().reopen_grace_days or 0),
	)
	values = {"status": decision.status}
	stamp = get_datetime(doc.communication_date or doc.creation or now)
	if decision.stamp == "agent":
		values["pw_last_agent_reply"] = stamp
	elif decision.stamp == "customer":
		values["pw_last_customer_reply"] = stamp
	if decision.cancel_close_warning:
		values["pw_close_warning_sent"] = None
	if decision.status not in ("Resolved", "Closed"):
		values["pw_resolved_on"] = None
	frappe.db.set_value("Issue", issue.name, values, update_modified=decision.status != issue.status)
	if decision.follow_up:
		open_follow_up(issue.name, doc, stamp)


def open_follow_up(old_name: str, communication, stamp) -> str:
	"""A reply to a finished Issue: a new Issue linked to the old one, and the message moves to it."""
	old = frappe.get_doc("Issue", old_name)
	new = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": f"Follow-up: {old.subject}"[:140],
			"description": communication.content,
			"status": "Open",
			"priority": old.priority,
			"issue_type": old.issue_type,
			"customer": old.customer,
			"contact": old.contact,
			"raised_by": communication.sender or old.raised_by,
			"pw_follow_up_of": old.name,
			"pw_channel": "Portal" if communication.communication_medium == "Other" else "Email",
			"pw_last_customer_reply": stamp,
		}
	)
	new.flags.ignore_permissions = True
	new.flags.ignore_mandatory = True
	new.insert()
	frappe.db.set_value(
		"Communication", communication.name, "reference_name", new.name, update_modified=False
	)
	old.add_comment(
		"Info",
		frappe._("The customer wrote again after this Issue was {0}: follow-up {1}").format(
			old.status.lower(), f"<a href='/app/issue/{new.name}'>{new.name}</a>"
		),
	)
	return new.name


def stamp_resolution(doc, method=None) -> None:
	"""Issue validate: remember when it was resolved (auto-close and the reopen window count from it)."""
	if doc.status == "Resolved" and (doc.is_new() or doc.has_value_changed("status")):
		doc.pw_resolved_on = now_datetime()
	elif doc.status not in ("Resolved", "Closed"):
		doc.pw_resolved_on = None
