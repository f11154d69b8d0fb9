"""Pure status rules of an Issue's lifecycle. No frappe here: the adapter feeds plain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

ACTIVE = ("Open", "Replied", "On Hold")
DONE = ("Resolved", "Closed")

_AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")


def is_automatic_mail(headers: Mapping[str, str], sender: str = "") -> bool:
	"""RFC 3834 and the de-facto markers of robots: auto-replies, lists, bounces, delivery reports."""
	h = {k.lower(): (v or "").strip().lower() for k, v in headers.items()}
	if h.get("auto-submitted", "no") not in ("", "no"):
		return True
	if h.get("precedence") in _AUTOMATIC_PRECEDENCE:
		return True
	if any(k in h for k in ("x-autoreply", "x-autorespond", "x-auto-response-suppress-reply")):
		return True
	if "report-type=delivery-status" in h.get("content-type", "") or h.get("content-type", "").startswith(
		"multipart/report"
	):
		return True
	if h.get("return-path") == "<>":
		return True
	return sender.lower().startswith(_BOUNCE_SENDERS)


@dataclass(frozen=True)
class Decision:
	"""What a new Communication does to its Issue."""

	status: str  # the Issue's status afterwards
	follow_up: bool = False  # open a follow-up Issue and move the message there
	stamp: str | None = None  # "agent" or "customer": which last-reply timestamp to write
	cancel_close_warning: bool = False


def on_message(
	status: str,
	*,
	from_customer: bool,
	automatic: bool,
	resolved_on: datetime | None,
	now: datetime,
	grace_days: int,
) -> Decision:
	"""The lifecycle rules for one message on an Issue whose status was `status` before it."""
	if automatic:
		return Decision(status)  # recorded, changes nothing
	if not from_customer:
		return Decision("Replied" if status in ACTIVE else status, stamp="agent", cancel_close_warning=True)
	if status in ACTIVE:
		return Decision("Open", stamp="customer", cancel_close_warning=True)
	if status == "Resolved" and resolved_on and now - resolved_on <= timedelta(days=grace_days):
		return Decision("Open", stamp="customer", cancel_close_warning=True)
	# Closed, or Resolved past the grace window: the old Issue stays as it is.
	return Decision(status, follow_up=True)


def close_reason(
	status: str,
	*,
	last_agent_reply: datetime | None,
	last_customer_reply: datetime | None,
	resolved_on: datetime | None,
	now: datetime,
	days: int,
) -> str | None:
	"""Why this Issue is due for auto-close, or None. Mirrors the indexed query of the adapter."""
	if days <= 0:
		return None
	limit = now - timedelta(days=days)
	if status == "Replied" and last_agent_reply and last_agent_reply < limit:
		if last_customer_reply is None or last_customer_reply < last_agent_reply:
			return f"no customer reply for {days} days since the agent's reply of {last_agent_reply:%Y-%m-%d %H:%M}"
	if status == "Resolved" and resolved_on and resolved_on < limit:
		return f"resolved on {resolved_on:%Y-%m-%d %H:%M}, more than {days} days ago"
	return None
