"""Tiny jobs that prove the background machinery runs (used by tests and the mail-flow watchdog)."""

import frappe

WORKER_PING_KEY = "pw_helpdesk:worker_ping"


def worker_ping(token: str) -> None:
	"""Enqueued by a test or a health check; a worker running it stores the token."""
	frappe.cache.set_value(WORKER_PING_KEY, token, expires_in_sec=3600)


def check(timeout: float = 30.0) -> dict:
	"""Scheduler state and a worker round trip: enqueue a ping and wait for a worker to store it."""
	import time
	import uuid

	from frappe.utils.scheduler import is_scheduler_disabled

	token = uuid.uuid4().hex
	frappe.enqueue("pw_helpdesk.setup.health.worker_ping", queue="short", token=token)
	started = time.monotonic()
	while time.monotonic() - started < timeout:
		if frappe.cache.get_value(WORKER_PING_KEY, expires=True) == token:
			break
		time.sleep(0.2)
	worker_ok = frappe.cache.get_value(WORKER_PING_KEY, expires=True) == token
	return {
		"scheduler_enabled": not is_scheduler_disabled(verbose=False),
		"worker_ok": worker_ok,
		"worker_seconds": round(time.monotonic() - started, 2),
	}
