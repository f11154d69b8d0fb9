"""Polling a CRTC client's mailboxes and ingesting what arrives, losslessly.

Per mailbox: fetch new messages by UID (threads, IMAP only); then, in this job's one DB connection, for
each message: store the raw copy and commit, ingest it (Issue + Communication) and commit, then move the
mailbox's checkpoint. A message that cannot be ingested stays stored with its error and is retried on the
next cycles; an alert Issue is raised after a few failures. Nothing on the server is changed.

This job commits per message on purpose: a message's raw copy and the checkpoint must survive a crash of
the rest of the batch.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import frappe
from frappe.utils import now_datetime
from frappe.utils.password import get_decrypted_password

from pw_helpdesk.intake.core import dedup_key
from pw_helpdesk.mailroom import core, ingest
from pw_helpdesk.mailroom.imap import MailboxResult, fetch_new
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

MAX_ATTEMPTS_BEFORE_ALERT = 3


def enqueue_polls() -> None:
	"""Every 5 minutes (hooks.py): one job per enabled client, not twice while the previous one runs."""
	for client in frappe.get_all("PW CRTC Client", filters={"enabled": 1}, pluck="name"):
		frappe.enqueue(
			"pw_helpdesk.mailroom.poller.poll_client",
			queue="long",
			job_id=f"pw-crtc-poll::{client}",  # frappe prefixes the site
			deduplicate=True,
			timeout=1800,
			client=client,
		)


def _fetch(args) -> MailboxResult:
	return fetch_new(**args)


def poll_client(client: str) -> list[dict]:
	"""One cycle for one client: returns per mailbox what was fetched, ingested, skipped and failed."""
	settings = get_settings()
	doc = frappe.get_doc("PW CRTC Client", client)
	mailboxes = frappe.get_all(
		"PW CRTC Mailbox",
		filters={"client": client, "enabled": 1},
		fields=["name", "address", "priority", "uidvalidity", "last_uid", "consecutive_failures"],
		order_by="address",
	)
	jobs = []
	for mb in mailboxes:
		jobs.append(
			{
				"address": mb.address,
				"host": doc.imap_host,
				"port": int(doc.imap_port),
				"password": get_decrypted_password(
					"PW CRTC Mailbox", mb.name, "password", raise_exception=False
				)
				or "",
				"tls": doc.tls_mode,
				"verify": bool(doc.verify_certificate),
				"last_uid": int(mb.last_uid or 0),
				"uidvalidity": int(mb.uidvalidity) if mb.uidvalidity else None,
				"timeout": float(settings.crtc_timeout_seconds or 30),
			}
		)
	pool = max(1, min(int(settings.crtc_pool_size or 14), len(jobs) or 1))
	with ThreadPoolExecutor(pool) as executor:
		results = list(executor.map(_fetch, jobs))
	report = [record(doc, mb, result) for mb, result in zip(mailboxes, results, strict=True)]
	retry_failed(client)
	return report


def record(client, mb, result: MailboxResult) -> dict:
	counts = {
		"mailbox": mb.address,
		"fetched": len(result.messages),
		"ingested": 0,
		"skipped": 0,
		"failed": 0,
	}
	now = now_datetime()
	last_uid = int(mb.last_uid or 0)
	if result.uidvalidity is not None and str(result.uidvalidity) != (mb.uidvalidity or ""):
		# A new UIDVALIDITY: the server renumbered. Re-read from 1; ingestion skips what we already have.
		last_uid = 0
		frappe.db.set_value(
			"PW CRTC Mailbox",
			mb.name,
			{"uidvalidity": str(result.uidvalidity), "last_uid": 0},
			update_modified=False,
		)
		frappe.db.commit()
	for uid, raw in result.messages:
		try:
			stored = store_raw(client, mb, result.uidvalidity, uid, raw)
		except Exception as exc:
			# Not stored, so the checkpoint stays before it: the next cycle fetches it again.
			frappe.db.rollback()
			frappe.log_error(title=f"CRTC mailroom: cannot store UID {uid} of {mb.address}")
			result.error, result.error_kind = f"storing UID {uid}: {exc}", "storage"
			break
		if stored:
			outcome = ingest_stored(stored, raw)
			counts[outcome] += 1
		else:
			counts["skipped"] += 1
		last_uid = max(last_uid, uid)
		frappe.db.set_value("PW CRTC Mailbox", mb.name, "last_uid", last_uid, update_modified=False)
		frappe.db.commit()
	update_health(mb, result, now)
	frappe.db.commit()
	if result.error:
		counts["error"] = result.error
	return counts


def store_raw(client, mb, uidvalidity, uid: int, raw: bytes) -> str | None:
	"""The raw message, before anything parses it. None when this (mailbox, UIDVALIDITY, UID) is stored."""
	if frappe.db.exists("PW Mail Message", {"mailbox": mb.name, "uidvalidity": str(uidvalidity), "uid": uid}):
		return None
	# Serialise with a concurrent poller of the same mailbox: one of us stores it.
	from pw_helpdesk.pw_helpdesk.doctype.pw_dedup_key.pw_dedup_key import lock_key

	lock_key(dedup_key("crtc-uid", mb.name, str(uidvalidity), str(uid)), "CRTC mailbox UID")
	if frappe.db.get_value(
		"PW Mail Message",
		{"mailbox": mb.name, "uidvalidity": str(uidvalidity), "uid": uid},
		"name",
		for_update=True,
	):
		frappe.db.rollback()
		return None
	from pw_helpdesk.mail.parse import parse

	try:
		mail = parse(raw)
		message_id, subject, sender = mail.message_id, mail.subject[:500], mail.sender[:140]
	except Exception:
		message_id, subject, sender = None, "", ""
	doc = frappe.get_doc(
		{
			"doctype": "PW Mail Message",
			"mailbox": mb.name,
			"client": client.name,
			"uidvalidity": str(uidvalidity),
			"uid": uid,
			"status": "Pending",
			"message_id": (message_id or "")[:500] or None,
			"content_hash": core.content_hash(raw),
			"subject": subject,
			"sender": sender,
			"size": len(raw),
		}
	).insert(ignore_permissions=True)
	doc.db_set("raw_path", write_raw(client.name, doc.name, raw), update_modified=False)
	frappe.db.commit()
	return doc.name


def write_raw(client: str, message: str, raw: bytes) -> str:
	"""The .eml on disk, written whole (temp file, fsync, rename); returns its path relative to the site.

	Not a File document: Frappe caps Files at its upload limit (25 MB by default), and a message of any
	size must be kept.
	"""
	relative = os.path.join("private", "pw_mailroom", client, f"{message}.eml")
	path = frappe.get_site_path(relative)
	os.makedirs(os.path.dirname(path), exist_ok=True)
	tmp = f"{path}.tmp"
	with open(tmp, "wb") as f:
		f.write(raw)
		f.flush()
		os.fsync(f.fileno())
	os.replace(tmp, path)
	return relative


def raw_of(message: str) -> bytes:
	with open(frappe.get_site_path(frappe.db.get_value("PW Mail Message", message, "raw_path")), "rb") as f:
		return f.read()


def ingest_stored(message: str, raw: bytes | None = None) -> str:
	"""Ingest one stored message; returns 'ingested', 'skipped' or 'failed'. Never raises."""
	raw = raw if raw is not None else raw_of(message)
	try:
		outcome = ingest.ingest(message, raw)
		frappe.db.commit()
		return outcome
	except Exception as exc:
		frappe.db.rollback()
		attempts = (frappe.db.get_value("PW Mail Message", message, "attempts") or 0) + 1
		frappe.db.set_value(
			"PW Mail Message",
			message,
			{"status": "Failed", "attempts": attempts, "error": f"{type(exc).__name__}: {str(exc)[:500]}"},
			update_modified=False,
		)
		frappe.log_error(title=f"CRTC mailroom: cannot ingest {message}")
		if attempts == MAX_ATTEMPTS_BEFORE_ALERT:
			from pw_helpdesk.intake.alerts import raise_alert

			raise_alert(
				title=f"CRTC message cannot be ingested: {message}",
				details=f"{attempts} attempts; last error: {exc}\nThe raw message is kept on PW Mail Message {message}.",
				source="crtc-mailroom",
				fingerprint=f"crtc-ingest:{message}",
			)
		frappe.db.commit()
		return "failed"


def retry_failed(client: str) -> int:
	failed = frappe.get_all(
		"PW Mail Message", filters={"client": client, "status": ("in", ("Failed", "Pending"))}, pluck="name"
	)
	return sum(ingest_stored(name) == "ingested" for name in failed)


def update_health(mb, result: MailboxResult, now) -> None:
	from pw_helpdesk.mailroom import health

	if result.error:
		failures = int(mb.consecutive_failures or 0) + 1
		frappe.db.set_value(
			"PW CRTC Mailbox",
			mb.name,
			{
				"last_poll": now,
				"consecutive_failures": failures,
				"last_error": f"[{result.error_kind}] {result.error}",
			},
			update_modified=False,
		)
		health.on_failure(mb.address, failures, result)
	else:
		frappe.db.set_value(
			"PW CRTC Mailbox",
			mb.name,
			{"last_poll": now, "last_success": now, "consecutive_failures": 0, "last_error": None},
			update_modified=False,
		)
		if int(mb.consecutive_failures or 0):
			health.on_recovery(mb.address, int(mb.consecutive_failures))
