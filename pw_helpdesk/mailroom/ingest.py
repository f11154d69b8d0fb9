"""One stored CRTC message becomes an Issue (or joins one): dedup across mailboxes, threading, files."""

from __future__ import annotations

import frappe
from frappe.utils import escape_html, now_datetime
from frappe.utils.html_utils import sanitize_html

from pw_helpdesk.intake.core import MAX_SUBJECT, dedup_key
from pw_helpdesk.mail.parse import parse
from pw_helpdesk.mailroom import core
from pw_helpdesk.pw_helpdesk.doctype.pw_dedup_key.pw_dedup_key import lock_key
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

ISSUE_TYPE = "CRTC Correspondence"


def ingest(message: str, raw: bytes) -> str:
	"""Returns 'ingested' (new Issue or reply added) or 'skipped' (a copy of something we already have)."""
	stored = frappe.get_doc("PW Mail Message", message)
	mailbox = frappe.get_cached_doc("PW CRTC Mailbox", stored.mailbox)
	client = frappe.get_cached_doc("PW CRTC Client", stored.client)
	mail = parse(raw)
	# Copies of one message (several mailboxes, or a re-read after UIDVALIDITY changed) serialise here.
	lock_key(dedup_key("crtc-msg", client.name, mail.message_id), "CRTC message identity")
	# Another poller (or its retry pass) may have ingested this very row while we waited for the lock.
	if frappe.db.get_value("PW Mail Message", stored.name, "status", for_update=True) in (
		"Ingested",
		"Duplicate",
	):
		return "skipped"
	first = frappe.db.get_value(
		"PW Mail Message",
		{
			"client": client.name,
			"message_id": stored.message_id,
			"status": ("in", ("Ingested", "Duplicate")),
			"name": ("!=", stored.name),
		},
		["name", "issue", "mailbox", "content_hash"],
		as_dict=True,
		for_update=True,
	)
	if first and first.issue:
		merge_copy(first.issue, mailbox)
		stored.db_set({"status": "Duplicate", "issue": first.issue, "error": None})
		return "skipped"

	issue = thread_issue(mail)
	if issue:
		add_message(issue, mail, raw, mailbox)
	else:
		issue = new_issue(mail, client, mailbox)
		add_message(issue, mail, raw, mailbox)
	stored.db_set({"status": "Ingested", "issue": issue, "error": None})
	if not mail.automatic:
		from pw_helpdesk.mailroom.notify import alert_if_high

		alert_if_high(issue, mail, mailbox)
	return "ingested"


def merge_copy(issue: str, mailbox) -> None:
	"""The same message reached another mailbox: list it, and take the higher priority."""
	values = frappe.db.get_value("Issue", issue, ["priority", "pw_mailboxes"], as_dict=True, for_update=True)
	boxes = [b for b in (values.pw_mailboxes or "").splitlines() if b]
	if mailbox.address not in boxes:
		boxes.append(mailbox.address)
	priority = core.highest([values.priority or "Low", mailbox.priority])
	frappe.db.set_value("Issue", issue, {"pw_mailboxes": "\n".join(sorted(boxes)), "priority": priority})
	if priority != values.priority:
		from pw_helpdesk.mailroom.notify import alert_if_high

		alert_if_high(issue, None, mailbox)


def thread_issue(mail) -> str | None:
	"""The Issue a reply belongs to: a Communication with a Message-ID the reply names. No subject matching."""
	keys = mail.thread_keys
	if not keys:
		return None
	return frappe.db.get_value(
		"Communication", {"message_id": ("in", keys), "reference_doctype": "Issue"}, "reference_name"
	)


def new_issue(mail, client, mailbox) -> str:
	subject = mail.subject or "(no subject)"
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject[:MAX_SUBJECT],
			"description": f"<p>{escape_html(core.excerpt(mail.text or '', 2000))}</p>",
			"issue_type": ISSUE_TYPE,
			"priority": mailbox.priority,
			"customer": client.customer,
			"raised_by": mail.sender if "@" in mail.sender else None,
			"pw_channel": "CRTC Mailbox",
			"pw_crtc_client": client.name,
			"pw_mailboxes": mailbox.address,
			"pw_automatic_mail": int(mail.automatic),
		}
	)
	issue.flags.ignore_permissions = True
	issue.flags.ignore_mandatory = True
	issue.insert()
	return issue.name


def add_message(issue: str, mail, raw: bytes, mailbox) -> str:
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"pw_automatic": int(mail.automatic),
			"subject": (mail.subject or "(no subject)")[:500],
			"sender": mail.sender or None,
			"sender_full_name": mail.sender_name or None,
			"recipients": ", ".join(mail.to) or mailbox.address,
			"cc": ", ".join(mail.cc) or None,
			# Plain text preferred; HTML only when there is no text part, and then sanitised.
			"content": sanitize_html(mail.body_html() if not mail.text.strip() else _text_html(mail.text)),
			"message_id": mail.message_id[:500],
			"communication_date": mail.date.replace(tzinfo=None) if mail.date else now_datetime(),
			"reference_doctype": "Issue",
			"reference_name": issue,
		}
	)
	comm.flags.in_receive = True
	comm.insert(ignore_permissions=True)
	save_attachments(issue, raw)
	return comm.name


def _text_html(text: str) -> str:
	from pw_helpdesk.mail.parse import text_to_html

	return text_to_html(text)


def save_attachments(issue: str, raw: bytes) -> None:
	from frappe.core.api.file import get_max_file_size

	# Never above Frappe's own File limit, which would refuse the file and fail the whole message.
	cap = min(int(get_settings().crtc_attachment_cap_mb or 10) * 1024 * 1024, get_max_file_size())
	over = []
	for attachment in core.attachments(raw):
		if len(attachment.content) > cap:
			over.append(f"{attachment.filename} ({len(attachment.content) / 1048576:.1f} MB)")
			continue
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": attachment.filename,
				"attached_to_doctype": "Issue",
				"attached_to_name": issue,
				"is_private": 1,
				"content": attachment.content,
			}
		).insert(ignore_permissions=True)
	if over:
		frappe.get_doc("Issue", issue).add_comment(
			"Info",
			frappe._("Attachments over the {0} MB cap are kept only in the raw message: {1}").format(
				cap // 1048576, ", ".join(escape_html(o) for o in over)
			),
		)
