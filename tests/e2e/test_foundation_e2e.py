"""The running site answers, logs demo users in and runs background jobs."""

import time
import uuid

import requests

from pw_helpdesk.setup.demo import DEMO_CUSTOMERS, DEMO_PASSWORD


def test_ping_answers_pong(server):
	assert requests.get(f"{server}/api/method/ping", timeout=10).json() == {"message": "pong"}


def test_demo_portal_user_logs_in(server):
	user = DEMO_CUSTOMERS[0]
	s = requests.Session()
	r = s.post(f"{server}/api/method/login", data={"usr": user["email"], "pwd": DEMO_PASSWORD}, timeout=20)
	assert r.status_code == 200, r.text
	who = s.get(f"{server}/api/method/frappe.auth.get_logged_user", timeout=10).json()
	assert who["message"] == user["email"]


def test_wrong_password_is_refused(server):
	user = DEMO_CUSTOMERS[0]
	r = requests.post(f"{server}/api/method/login", data={"usr": user["email"], "pwd": "wrong"}, timeout=20)
	assert r.status_code == 401


def test_worker_consumes_an_enqueued_job(site_db, worker):
	frappe = site_db
	token = uuid.uuid4().hex
	frappe.enqueue("pw_helpdesk.setup.health.worker_ping", queue="short", token=token)
	frappe.db.commit()
	deadline = time.monotonic() + 30
	while (
		time.monotonic() < deadline
		and frappe.cache.get_value("pw_helpdesk:worker_ping", expires=True) != token
	):
		time.sleep(0.2)
	assert frappe.cache.get_value("pw_helpdesk:worker_ping", expires=True) == token
