"""Tiny jobs that prove the background machinery runs (used by tests and the mail-flow watchdog)."""

import frappe

WORKER_PING_KEY = "pw_helpdesk:worker_ping"


def worker_ping(token: str) -> None:
	"""Enqueued by a test or a health check; a worker running it stores the token."""
	frappe.cache.set_value(WORKER_PING_KEY, token, expires_in_sec=3600)
