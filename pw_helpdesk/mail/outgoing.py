"""Outgoing mail: every automatic message we send is marked (RFC 3834) so no mail robot answers it, and
every message on an Issue is threaded (In-Reply-To / References, [ISS-…] in the subject) and sent from,
with replies to, the support address."""

from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formataddr, parseaddr

import frappe

from pw_helpdesk.mail.parse import ISSUE_REF, message_ids, references_header


@contextmanager
def auto_submitted(kind: str = "auto-generated") -> Iterator[None]:
	"""Mark the mail built inside this block as automatic: `auto-replied` or `auto-generated`."""
	previous = frappe.flags.pw_auto_submitted
	frappe.flags.pw_auto_submitted = kind
	try:
		yield
	finally:
		frappe.flags.pw_auto_submitted = previous


@contextmanager
def on_issue(issue: str | None) -> Iterator[None]:
	"""Mail built inside this block belongs to the thread of `issue` (for mail that has no Communication)."""
	previous = frappe.flags.pw_thread_issue
	frappe.flags.pw_thread_issue = issue
	try:
		yield
	finally:
		frappe.flags.pw_thread_issue = previous


def add_headers(email) -> None:
	"""`make_email_body_message` hook: runs for every message frappe builds, after its Message-ID is set."""
	if kind := frappe.flags.pw_auto_submitted:
		email.set_header("Auto-Submitted", kind)
		# Exchange and Outlook honour this one instead of RFC 3834.
		email.set_header("X-Auto-Response-Suppress", "All")
	own = message_ids(email.msg_root["Message-Id"])
	issue = frappe.flags.pw_thread_issue or _issue_of_communication(own[0] if own else None)
	if issue:
		thread(email, issue, own[0] if own else None)
	if issue or kind:
		from_support_address(email)


def _issue_of_communication(message_id: str | None) -> str | None:
	"""The Issue of the Communication that this message sends (agent replies from the desk)."""
	if not message_id:
		return None
	return frappe.db.get_value(
		"Communication", {"message_id": message_id, "reference_doctype": "Issue"}, "reference_name"
	)


def thread_ids(issue: str, exclude: str | None = None) -> tuple[list[str], str | None]:
	"""(every Message-ID of the Issue's thread, oldest first; the one to answer: the customer's newest).

	The thread is the Issue's mail Communications (received and sent) and the queued mail that has no
	Communication (acknowledgements, warnings).
	"""
	comms = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Issue",
			"reference_name": issue,
			"communication_type": "Communication",
			"message_id": ("is", "set"),
		},
		fields=["message_id", "sent_or_received", "creation"],
		order_by="creation asc",
	)
	queued = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Issue", "reference_name": issue, "message_id": ("is", "set")},
		fields=["message_id", "creation"],
		order_by="creation asc",
	)
	rows = sorted(
		[(c.creation, c.message_id.strip(" <>"), c.sent_or_received == "Received") for c in comms]
		+ [(q.creation, q.message_id.strip(" <>"), False) for q in queued],
		key=lambda row: row[0],
	)
	rows = [row for row in rows if row[1] and row[1] != exclude]
	ids = list(dict.fromkeys(mid for _, mid, _ in rows))
	received = [mid for _, mid, got in rows if got]
	answer = received[-1] if received else (ids[-1] if ids else None)
	return ids, answer


def thread(email, issue: str, own_id: str | None) -> None:
	"""In-Reply-To and References of the Issue's thread, and [ISS-…] in the subject."""
	ids, answer = thread_ids(issue, exclude=own_id)
	if answer:
		if not email.msg_root["In-Reply-To"]:
			email.set_header("In-Reply-To", f"<{answer}>")
		ordered = [i for i in ids if i != answer] + [answer]
		email.set_header("References", references_header(ordered))
	subject = str(email.msg_root["Subject"] or "")
	if not ISSUE_REF.search(subject):
		email.set_header("Subject", f"[{issue}] {subject}".strip())


def support_address() -> str | None:
	from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

	return get_settings().support_email or frappe.db.get_value(
		"Email Account", {"default_outgoing": 1, "enable_outgoing": 1}, "email_id"
	)


def from_support_address(email) -> None:
	"""From (display name kept) and Reply-To: the support address, so that every answer reaches the inbox."""
	address = support_address()
	if not address:
		return
	name, _ = parseaddr(str(email.sender or ""))
	email.sender = formataddr((name or "Performance West Support", address))
	email.set_header("From", email.sender)
	email.reply_to = address
	email.set_header("Reply-To", address)


def send_template(
	template: str,
	recipients: list[str],
	args: dict,
	*,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	kind: str = "auto-generated",
) -> None:
	"""Render an (editable) Email Template and queue it through Frappe's Email Queue."""
	doc = frappe.get_cached_doc("Email Template", template)
	subject = frappe.render_template(doc.subject, args)
	message = frappe.render_template(doc.response_html if doc.use_html else doc.response, args)
	with auto_submitted(kind), on_issue(reference_name if reference_doctype == "Issue" else None):
		frappe.sendmail(
			recipients=recipients,
			subject=subject,
			message=message,
			reference_doctype=reference_doctype,
			reference_name=reference_name,
			expose_recipients="header",
			delayed=True,
		)
