"""The support inbox: an IMAP poller that threads customer mail onto Issues.

Threading: In-Reply-To / References (and the original of a bounce) against the Message-IDs we stored on
Communication and Email Queue, then an [ISS-YYYY-NNNNN] reference in the subject; never subject
similarity. Anything else opens a new Support Issue. The mailbox is opened read-only and checkpointed by
UID under its UIDVALIDITY: nothing on the server changes (no \\Seen flag, no move, no delete).
"""

from __future__ import annotations

import frappe
from frappe.utils import cint, get_datetime, now_datetime
from frappe.utils.html_utils import sanitize_html

from pw_helpdesk.mail import parse

INBOX = "PW Mail Inbox"
FETCH_BATCH = 50
POLL_LOCK = "pw_mail_poll"


# ------------------------------------------------------------------------------------------- threading


def issue_for_message_id(message_id: str) -> tuple[str | None, str | None]:
	"""(Issue, Communication) that a Message-ID we know belongs to: a Communication's, else an Email Queue's."""
	row = frappe.db.get_value(
		"Communication",
		{"message_id": message_id, "reference_doctype": "Issue"},
		["reference_name", "name"],
		order_by="creation desc",
	)
	if row and row[0]:
		return row[0], row[1]
	row = frappe.db.get_value(
		"Email Queue",
		{"message_id": message_id, "reference_doctype": "Issue"},
		["reference_name", "communication"],
		order_by="creation desc",
	)
	if row and row[0]:
		return row[0], row[1]
	return None, None


def find_issue(mail: parse.Mail) -> tuple[str | None, str | None, str]:
	"""(Issue, the Communication answered, how it was found: "header", "subject" or "")."""
	for key in mail.thread_keys:
		issue, communication = issue_for_message_id(key)
		if issue and frappe.db.exists("Issue", issue):
			return issue, communication, "header"
	for ref in mail.issue_refs:
		if frappe.db.exists("Issue", ref):
			return ref, None, "subject"
	return None, None, ""


# ------------------------------------------------------------------------------------------- intake


def receive(raw: bytes) -> str | None:
	"""File one raw message: the name of the Communication made, or None (duplicate, or unthreaded robot mail)."""
	mail = parse.parse(raw)
	if frappe.db.exists("Communication", {"message_id": mail.message_id, "sent_or_received": "Received"}):
		return None  # seen before (a re-poll after UIDVALIDITY changed)
	issue, answered, how = find_issue(mail)
	if not issue:
		if mail.automatic:
			# An auto-reply or bounce to nothing of ours: never open an Issue for a robot, never answer it.
			frappe.logger("pw_helpdesk.mail").info(
				{"skipped_automatic": mail.message_id, "sender": mail.sender, "subject": mail.subject}
			)
			return None
		issue = new_issue(mail).name
		how = "new"
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"subject": mail.subject[:140] or "(no subject)",
			"content": sanitize_html(mail.body_html()),
			"sender": mail.sender,
			"sender_full_name": mail.sender_name or None,
			"recipients": ", ".join(mail.to) or None,
			"cc": ", ".join(mail.cc) or None,
			"communication_date": _naive(mail.date) or now_datetime(),
			"reference_doctype": "Issue",
			"reference_name": issue,
			"message_id": mail.message_id,
			"in_reply_to": answered if answered and frappe.db.exists("Communication", answered) else None,
			"pw_automatic": int(mail.automatic),
		}
	)
	comm.flags.pw_threaded_by = how
	comm.insert(ignore_permissions=True)
	if how == "new" and cint(frappe.db.get_single_value(INBOX, "acknowledge_new_mail")):
		from pw_helpdesk.intake.tickets import send_acknowledgement

		send_acknowledgement(issue, requester=mail.sender_name or None)
	return comm.name


def new_issue(mail: parse.Mail):
	from pw_helpdesk.intake.tickets import customer_for_email

	customer, contact = customer_for_email(mail.sender)
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": (mail.subject or "(no subject)")[:140],
			"description": sanitize_html(mail.body_html()),
			"issue_type": "Support",
			"priority": "Medium",
			"status": "Open",
			"raised_by": mail.sender,
			"customer": customer,
			"contact": contact,
			"pw_channel": "Email",
			"opening_date": (_naive(mail.date) or now_datetime()).date(),
		}
	)
	issue.flags.ignore_permissions = True
	issue.flags.ignore_mandatory = True
	issue.insert()
	return issue


def _naive(value):
	"""An aware datetime in the system's time zone, naive (as Frappe stores them)."""
	if not value:
		return None
	from frappe.utils import convert_utc_to_system_timezone

	try:
		from datetime import timezone

		return convert_utc_to_system_timezone(value.astimezone(timezone.utc)).replace(tzinfo=None)
	except Exception:
		return None


# ------------------------------------------------------------------------------------------- IMAP


def connect(inbox):
	from imapclient import IMAPClient

	security = inbox.imap_security or "SSL"
	client = IMAPClient(
		inbox.imap_host, port=cint(inbox.imap_port) or None, ssl=security == "SSL", timeout=60
	)
	if security == "STARTTLS":
		client.starttls()
	client.login(inbox.imap_user, inbox.get_password("imap_password", raise_exception=False) or "")
	return client


def poll() -> dict:
	"""Fetch every message past the checkpoint and file it; commits after each message (a job, not a hook)."""
	from frappe.utils.synchronization import filelock

	inbox = frappe.get_doc(INBOX)
	if not inbox.enabled:
		return {"enabled": False, "filed": 0}
	with filelock(POLL_LOCK, timeout=5):
		try:
			result = _poll(inbox)
		except Exception as e:
			frappe.db.rollback()
			frappe.db.set_single_value(
				INBOX, "last_poll_error", f"{now_datetime():%Y-%m-%d %H:%M:%S} {e!r}"[:1000]
			)
			frappe.db.commit()
			frappe.log_error(title="PW support inbox poll failed")
			raise
	frappe.db.set_single_value(INBOX, {"last_poll_ok": now_datetime(), "last_poll_error": None})
	frappe.db.commit()
	return result


def _poll(inbox) -> dict:
	client = connect(inbox)
	filed = seen = 0
	try:
		info = client.select_folder(inbox.imap_folder or "INBOX", readonly=True)
		uidvalidity = str(info.get(b"UIDVALIDITY", ""))
		last_uid = cint(inbox.last_uid) if str(inbox.uidvalidity or "") == uidvalidity else 0
		uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
		for start in range(0, len(uids), FETCH_BATCH):
			batch = uids[start : start + FETCH_BATCH]
			fetched = client.fetch(batch, ["BODY.PEEK[]"])
			for uid in batch:
				raw = (fetched.get(uid) or {}).get(b"BODY[]")
				seen += 1
				if raw is not None:
					filed += _file_one(raw, uid)
				frappe.db.set_single_value(INBOX, {"uidvalidity": uidvalidity, "last_uid": uid})
				frappe.db.commit()
		if not uids and str(inbox.uidvalidity or "") != uidvalidity:
			frappe.db.set_single_value(INBOX, {"uidvalidity": uidvalidity, "last_uid": 0})
	finally:
		try:
			client.logout()
		except Exception:
			pass
	return {"enabled": True, "seen": seen, "filed": filed}


def _file_one(raw: bytes, uid: int) -> int:
	"""File one message; a broken one is logged and skipped so that it does not block the inbox."""
	try:
		return int(bool(receive(raw)))
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title=f"PW support inbox: message UID {uid} could not be filed")
		return 0


def scheduled() -> None:
	"""Scheduler entry (every minute)."""
	poll()


def last_poll_ok():
	value = frappe.db.get_single_value(INBOX, "last_poll_ok")
	return get_datetime(value) if value else None
