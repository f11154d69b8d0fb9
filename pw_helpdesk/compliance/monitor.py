"""The compliance monitor in the site: which client messages are scanned, inline and by the sweep.

A client message on an Accounting Support Issue is marked `pw_bypass_pending` when it is inserted (no extra
write). Inline, the detector runs right away: a clean message is unmarked; a flagged one is handed to a
background job. The 15-minute sweep scans whatever is still marked, so a message missed inline (worker
down, hook error) is still caught. Flags are named after their Communication: a second attempt to flag
the same message fails on the primary key, so every action happens exactly once.
"""

import frappe
from frappe.core.utils import html2text

from pw_helpdesk.compliance import detector
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import (
	get_settings,
	split_lines,
)

ACCOUNTING = "Accounting Support"
WATCHED_STATUSES = ("Open", "Replied")


def client_words(html: str) -> str:
	"""The client's own words: HTML to text, quoted earlier mail and signatures removed."""
	return detector.strip_quoted(html2text(html or "", wrap=False))


def scan(text: str) -> list[detector.Finding]:
	domains = split_lines(get_settings().platform_domains)
	return detector.detect(text, platform_domains=domains)


def mark_pending(doc, method=None) -> None:
	"""Communication before_insert: scan a client's message on an Accounting Support Issue right here.

	Most messages are clean: scanned before they are written, they cost no further query or write. A
	flagged message, one whose scan failed, or one on an Issue that is not Open/Replied yet (the lifecycle
	rules may reopen it or move the message to a follow-up) is written *pending*: on_update enqueues the
	actions or looks again, and the sweep catches whatever is left.
	"""
	if doc.reference_doctype != "Issue" or not doc.reference_name or doc.sent_or_received != "Received":
		return
	if doc.communication_type != "Communication" or doc.get("pw_automatic"):
		return
	issue = frappe.qb.DocType("Issue")
	customer = frappe.qb.DocType("Customer")
	row = (
		frappe.qb.from_(issue)
		.left_join(customer)
		.on(customer.name == issue.customer)
		.select(issue.issue_type, issue.status, customer.pw_accounting_suspended)
		.where(issue.name == doc.reference_name)
		.run(as_dict=True)
	)
	if not row or row[0].issue_type != ACCOUNTING:
		return
	if row[0].pw_accounting_suspended:
		# Recorded, never lost, but held for review: it reopens nothing until the suspension is lifted.
		doc.pw_held_for_review = 1
	if row[0].status not in WATCHED_STATUSES:
		doc.pw_bypass_pending = 1
		doc.flags.pw_scan_inline = "recheck"
		return
	try:
		flagged = bool(scan(client_words(doc.content)))
	except Exception:
		doc.pw_bypass_pending = 1  # the sweep tries again
		frappe.log_error(title=f"Compliance monitor: inline scan of a message on {doc.reference_name} failed")
		return
	if flagged:
		doc.pw_bypass_pending = 1
		doc.flags.pw_scan_inline = "enqueue"


def scan_inline(doc, method=None) -> None:
	"""Communication on_update (the insert's): never blocks or fails the insert; the actions are enqueued."""
	action = doc.flags.pop("pw_scan_inline", None)
	if not action:
		return
	try:
		if action == "recheck":
			# The lifecycle hook ran in between: the Issue may be open again, or a follow-up may hold the message.
			issue = frappe.db.get_value("Communication", doc.name, "reference_name")
			if frappe.db.get_value("Issue", issue, "status") not in WATCHED_STATUSES:
				return  # left pending: the sweep picks it up if the Issue is reopened
			if not scan(client_words(doc.content)):
				frappe.db.set_value("Communication", doc.name, "pw_bypass_pending", 0, update_modified=False)
				return
		frappe.enqueue(
			"pw_helpdesk.compliance.actions.process",
			queue="short",
			communication=doc.name,
			via="Inline",
			enqueue_after_commit=True,
		)
	except Exception:
		frappe.log_error(title=f"Compliance monitor: inline scan of {doc.name} failed")


def pending(limit: int = 1000) -> list[str]:
	"""Marked client messages on watched Issues: an index lookup, so cheap when nothing is new."""
	comm = frappe.qb.DocType("Communication")
	issue = frappe.qb.DocType("Issue")
	return (
		frappe.qb.from_(comm)
		.join(issue)
		.on(issue.name == comm.reference_name)
		.select(comm.name)
		.where(
			(comm.pw_bypass_pending == 1)
			& (comm.reference_doctype == "Issue")
			& (issue.issue_type == ACCOUNTING)
			& issue.status.isin(WATCHED_STATUSES)
		)
		.orderby(comm.creation)
		.limit(limit)
		.run(pluck=True)
	)


def sweep() -> dict[str, int]:
	"""Scheduled every 15 minutes (hooks.py), and `bench --site SITE pw-helpdesk sweep`."""
	from pw_helpdesk.compliance.actions import process

	counts = {"scanned": 0, "flagged": 0}
	for name in pending():
		counts["scanned"] += 1
		frappe.db.savepoint("pw_sweep")
		try:
			if process(name, via="Sweep"):
				counts["flagged"] += 1
		except Exception:
			# One bad message must not undo the others, nor stop the batch.
			frappe.db.rollback(save_point="pw_sweep")
			frappe.log_error(title=f"Compliance monitor: sweep of {name} failed")
	return counts
