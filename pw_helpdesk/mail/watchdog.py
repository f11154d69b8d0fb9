"""Mail flow watchdog: one deduplicated alert Issue per problem, and a note on it when the flow recovers.

Problems (each its own fingerprint `mail-flow:<kind>`):
- scheduler: the scheduler is disabled/paused, or none of our jobs started for `poll_stale_minutes`
  (the scheduler or the workers died, or Frappe dropped the site to daily-only runs: see `dormant`);
- dormant: Frappe considers the site inactive (no login for `dormant_days`) and runs jobs once a day;
- poll: the support inbox is enabled and no poll completed for `poll_stale_minutes` (no worker, IMAP down);
- queue: the Email Queue holds mail not sent for more than `queue_stale_minutes`.

It runs every 5 minutes from the scheduler and from `bench --site SITE pw-helpdesk mail-watchdog`
(system cron), because a stopped scheduler cannot report itself.
"""

from __future__ import annotations

import frappe
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

from pw_helpdesk.intake import core
from pw_helpdesk.intake.alerts import CLOSED_STATUSES, raise_alert

INBOX = "PW Mail Inbox"
SOURCE = "mail-flow-watchdog"
# Frappe stamps Scheduled Job Type.last_execution when a worker starts the job: a fresh stamp proves that
# the scheduler enqueued it and a worker ran it. The poll job runs every minute, even with the inbox off.
HEARTBEAT_JOBS = ("pw_helpdesk.mail.incoming.scheduled", "pw_helpdesk.mail.watchdog.scheduled")
RECOVERED = "Mail flow recovered"
KINDS = ("scheduler", "dormant", "poll", "queue")
TITLES = {
	"scheduler": "Mail flow: the scheduler or the workers are not running our jobs",
	"dormant": "Mail flow: Frappe runs this site's jobs only once a day (dormant site)",
	"poll": "Mail flow: the support inbox has not been polled",
	"queue": "Mail flow: outgoing mail is stuck in the Email Queue",
}


def _minutes(field: str, default: int) -> int:
	value = frappe.db.get_single_value(INBOX, field)
	return default if value in (None, "") else cint(value)


def problems(now=None) -> dict[str, str]:
	"""{kind: details} for every mail flow problem found now."""
	from frappe.utils.scheduler import is_dormant, is_scheduler_inactive

	now = now or now_datetime()
	found: dict[str, str] = {}
	stale = _minutes("poll_stale_minutes", 15)

	if is_scheduler_inactive(verbose=False):
		found["scheduler"] = (
			"The scheduler is disabled, paused (site config pause_scheduler) or the site is in maintenance mode."
		)
	else:
		jobs = frappe.get_all(
			"Scheduled Job Type",
			filters={"method": ("in", HEARTBEAT_JOBS)},
			fields=["last_execution", "creation"],
		)
		ran = [get_datetime(j.last_execution) for j in jobs if j.last_execution]
		since = max(ran) if ran else min((get_datetime(j.creation) for j in jobs), default=None)
		if stale and since and since < add_to_date(now, minutes=-stale):
			found["scheduler"] = (
				f"None of our scheduled jobs started since {since:%Y-%m-%d %H:%M}{'' if ran else ' (never ran)'}: "
				"are `bench schedule` and the workers running?"
			)
	if is_dormant(check_time=now):
		found["dormant"] = (
			"No user activity for System Settings › dormant_days: Frappe now runs scheduled jobs once a day, "
			"so the inbox is polled once a day. Raise dormant_days (pw_helpdesk sets 36500 on install; its "
			"watchdog records an Activity Log heartbeat)."
		)

	if cint(frappe.db.get_single_value(INBOX, "enabled")) and stale:
		last = frappe.db.get_single_value(INBOX, "last_poll_ok")
		reference = (
			get_datetime(last) if last else get_datetime(frappe.db.get_value("DocType", INBOX, "modified"))
		)
		if reference < add_to_date(now, minutes=-stale):
			error = frappe.db.get_single_value(INBOX, "last_poll_error") or ""
			found["poll"] = (
				f"No poll of the support inbox completed since {last or 'ever'} "
				f"(threshold {stale} min). Last error: {error or 'none'}"
			)

	queue_minutes = _minutes("queue_stale_minutes", 30)
	if queue_minutes:
		cutoff = add_to_date(now, minutes=-queue_minutes)
		queue = frappe.qb.DocType("Email Queue")
		rows = (
			frappe.qb.from_(queue)
			.select(queue.name, queue.creation)
			.where(queue.status == "Not Sent")
			.where(queue.creation < cutoff)
			.where(queue.send_after.isnull() | (queue.send_after < cutoff))
			.orderby(queue.creation)
			.limit(20)
			.run(as_dict=True)
		)
		if rows:
			found["queue"] = (
				f"{len(rows)}{'+' if len(rows) == 20 else ''} mail(s) not sent for more than {queue_minutes} "
				f"minutes; oldest {rows[0].name} queued at {rows[0].creation:%Y-%m-%d %H:%M}."
			)
	return found


def open_alert(kind: str) -> str | None:
	"""The open alert Issue of this kind, through its PW Dedup Key row."""
	issue = frappe.db.get_value("PW Dedup Key", core.dedup_key("alert", f"mail-flow:{kind}"), "issue")
	if issue and frappe.db.get_value("Issue", issue, "status") not in CLOSED_STATUSES:
		return issue
	return None


def _recovered(issue: str) -> bool:
	"""Was the newest note on this alert Issue our recovery note?"""
	last = frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Issue", "reference_name": issue, "comment_type": "Comment"},
		fields=["content"],
		order_by="creation desc",
		limit=1,
	)
	return bool(last) and RECOVERED in (last[0].content or "")


def keep_site_active(now=None) -> bool:
	"""Record an Activity Log heartbeat before Frappe could call the site dormant; True when one was written.

	Frappe measures activity by the newest Activity Log row (logins). A desk fed by mail may see no login
	for weeks, and Log Settings deletes old Activity Log rows: with no row at all the site is dormant
	whatever dormant_days says, and its jobs (our inbox poll) run once a day.
	"""
	now = now or now_datetime()
	days = cint(frappe.get_system_settings("dormant_days")) or 4
	newest = frappe.db.get_value("Activity Log", {}, "modified", order_by="modified desc")
	if newest and get_datetime(newest) > add_to_date(now, days=-min(max(days // 2, 1), 30)):
		return False
	frappe.get_doc(
		{
			"doctype": "Activity Log",
			"subject": "PW Helpdesk mail flow: heartbeat that keeps scheduled jobs running",
			"user": "Administrator",
			"status": "Success",
		}
	).insert(ignore_permissions=True)
	from frappe.utils.scheduler import schedule_jobs_based_on_activity

	schedule_jobs_based_on_activity.clear_cache()
	return True


def check(now=None) -> dict[str, str]:
	"""Raise or note each kind; returns {kind: "raised" | "recovered" | "still" | "ok"}."""
	keep_site_active(now)
	found = problems(now)
	result = {}
	for kind in KINDS:
		issue = open_alert(kind)
		if kind in found:
			if issue and not _recovered(issue):
				result[kind] = "still"  # already raised: no new Issue, no noise
				continue
			raise_alert(
				TITLES[kind],
				details=found[kind],
				source=SOURCE,
				fingerprint=f"mail-flow:{kind}",
				priority="High",
				issue_type="Bug",
			)
			result[kind] = "raised"
		elif issue and not _recovered(issue):
			frappe.get_doc("Issue", issue).add_comment(
				"Comment", text=f"<p><b>{RECOVERED}</b> at {now or now_datetime():%Y-%m-%d %H:%M}.</p>"
			)
			result[kind] = "recovered"
		else:
			result[kind] = "ok"
	return result


def scheduled() -> None:
	"""Scheduler entry (every 5 minutes)."""
	check()


def keep_scheduler_awake() -> None:
	"""Install/migrate step: Frappe drops a site without logins for `dormant_days` (default 4) to daily jobs.

	A support inbox must be polled every minute whether or not anybody logs in: raise the limit to 100
	years unless an admin chose a longer one.
	"""
	if cint(frappe.db.get_single_value("System Settings", "dormant_days")) < 36500:
		frappe.db.set_single_value("System Settings", "dormant_days", 36500)
		forget_system_settings()
	keep_site_active()


def forget_system_settings() -> None:
	"""Drop the cached System Settings (frappe.get_system_settings keeps them per request)."""
	frappe.clear_document_cache("System Settings", "System Settings")
	if hasattr(frappe.local, "system_settings"):
		del frappe.local.system_settings


def describe(result: dict[str, str]) -> str:
	return ", ".join(f"{kind}: {state}" for kind, state in result.items())
