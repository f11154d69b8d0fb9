"""Mailbox health: an alert Issue after N consecutive failures, a note when the mailbox recovers."""

import frappe

from pw_helpdesk.intake import alerts, core
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings


def _fingerprint(address: str) -> str:
	return f"crtc-mailbox:{address}"


def on_failure(address: str, failures: int, result) -> None:
	threshold = int(get_settings().crtc_failure_threshold or 3)
	if failures >= threshold:
		# Deduplicated: one open alert per mailbox, counting repeats. The mailbox stays enabled.
		alerts.raise_alert(
			title=f"CRTC mailbox failing: {address}",
			details=f"{failures} consecutive failures; last: [{result.error_kind}] {result.error}",
			source="crtc-mailroom",
			fingerprint=_fingerprint(address),
		)


def on_recovery(address: str, failures: int) -> None:
	key = core.dedup_key("alert", _fingerprint(address))
	issue = frappe.db.get_value("PW Dedup Key", key, "issue")
	if issue and frappe.db.get_value("Issue", issue, "status") not in ("Resolved", "Closed", None):
		frappe.get_doc("Issue", issue).add_comment(
			"Info", frappe._("Mailbox {0} recovered after {1} failed polls.").format(address, failures)
		)
