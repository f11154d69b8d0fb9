"""The website ticket method and the alert API over real HTTP."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

METHOD = "/api/method/pw_helpdesk.api.create_ticket"
ORIGIN = "https://www.performancewest.net"
SETTINGS = "PW Helpdesk Settings"


def body(**overrides):
	return {
		"email": f"visitor-{uuid.uuid4().hex[:8]}@example.com",
		"subject": "Pricing question",
		"message": "How much is a CRTC registration?\nThanks",
		"category": "question",
		**overrides,
	}


@pytest.fixture(scope="module", autouse=True)
def intake_settings(site_db):
	frappe = site_db
	values = {
		"allowed_origins": ORIGIN,
		"rate_limit_email_count": 3,
		"rate_limit_email_seconds": 600,
		"rate_limit_ip_count": 1000,
		"rate_limit_ip_seconds": 3600,
	}
	for field, value in values.items():
		frappe.db.set_single_value(SETTINGS, field, value)
	frappe.db.commit()
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def issue(site_db, name):
	site_db.db.rollback()  # a fresh snapshot: see what the server committed
	return site_db.get_doc("Issue", name)


def test_json_post_creates_an_open_ticket(server, site_db):
	r = requests.post(server + METHOD, json=body(), timeout=30)
	assert r.status_code == 200, r.text
	out = r.json()["message"]
	assert out["status"] == "Open"
	assert issue(site_db, out["ticket"]).issue_type == "Sales Inquiry"


def test_form_post_works_too(server):
	r = requests.post(server + METHOD, data=body(category="support"), timeout=30)
	assert r.status_code == 200, r.text


def test_caller_cannot_set_protected_fields(server, site_db):
	protected = {
		"priority": "Urgent",
		"status": "Closed",
		"customer": "Anything Inc",
		"owner": "Administrator",
		"issue_type": "Compliance Alert",
		"docstatus": 1,
		"doctype": "User",
	}
	r = requests.post(server + METHOD, json=body(**protected), timeout=30)
	assert r.status_code == 200, r.text
	doc = issue(site_db, r.json()["message"]["ticket"])
	assert (doc.priority, doc.status, doc.issue_type, doc.docstatus) == ("Medium", "Open", "Sales Inquiry", 0)
	assert not doc.customer
	assert doc.owner == "Guest"


@pytest.mark.parametrize(
	("overrides", "field"),
	[
		({"email": None}, "email"),
		({"email": "not an email"}, "email"),
		({"category": "complaint"}, "category"),
		({"subject": ""}, "subject"),
		({"subject": "s" * 141}, "subject"),
		({"message": "m" * 20_001}, "message"),
	],
)
def test_bad_field_gets_400_naming_it_and_creates_nothing(server, site_db, overrides, field):
	site_db.db.rollback()
	before = site_db.db.count("Issue")
	payload = {k: v for k, v in body(**overrides).items() if v is not None}
	r = requests.post(server + METHOD, json=payload, timeout=30)
	assert r.status_code == 400, r.text
	assert field in json.dumps(r.json())
	site_db.db.rollback()
	assert site_db.db.count("Issue") == before


def test_non_utf8_body_gets_400(server):
	raw = b'{"email": "a@example.com", "subject": "caf\xe9", "message": "x", "category": "support"}'
	r = requests.post(server + METHOD, data=raw, headers={"Content-Type": "application/json"}, timeout=30)
	assert r.status_code == 400, r.text
	assert "body" in r.json()["message"]


def test_broken_json_gets_400(server):
	r = requests.post(
		server + METHOD, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=30
	)
	assert r.status_code == 400, r.text
	assert "JSON" in r.json()["message"]


def test_binary_garbage_gets_4xx(server):
	r = requests.post(
		server + METHOD, data=bytes(range(256)) * 4, headers={"Content-Type": "application/json"}, timeout=30
	)
	assert 400 <= r.status_code < 500 and r.status_code != 417, r.text


def test_wrongly_typed_field_gets_400(server):
	r = requests.post(server + METHOD, json=body(email=["a@example.com"]), timeout=30)
	assert r.status_code == 400, r.text


def test_wrong_content_type_gets_415(server):
	r = requests.post(
		server + METHOD, data="email=a@example.com", headers={"Content-Type": "text/plain"}, timeout=30
	)
	assert r.status_code == 415, r.text


def test_get_gets_405(server):
	r = requests.get(server + METHOD, params=body(), timeout=30)
	assert r.status_code == 405, r.text
	assert "POST" in r.headers.get("Allow", "")


def test_preflight_from_allowed_origin_is_granted(server):
	r = requests.options(
		server + METHOD,
		headers={
			"Origin": ORIGIN,
			"Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "content-type,idempotency-key",
		},
		timeout=30,
	)
	assert r.status_code == 200
	assert r.headers.get("Access-Control-Allow-Origin") == ORIGIN
	assert "POST" in r.headers.get("Access-Control-Allow-Methods", "")
	assert "Idempotency-Key" in r.headers.get("Access-Control-Allow-Headers", "")


def test_preflight_from_other_origin_gets_no_grant(server):
	r = requests.options(
		server + METHOD,
		headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
		timeout=30,
	)
	assert "Access-Control-Allow-Origin" not in r.headers


def test_post_from_allowed_origin_carries_the_grant(server):
	r = requests.post(server + METHOD, json=body(), headers={"Origin": ORIGIN}, timeout=30)
	assert r.status_code == 200
	assert r.headers.get("Access-Control-Allow-Origin") == ORIGIN


def test_rate_limit_per_email_gets_429_with_retry_after(server):
	payload = body()
	codes = [requests.post(server + METHOD, json=payload, timeout=30).status_code for _ in range(4)]
	assert codes[:3] == [200, 200, 200]
	r = requests.post(server + METHOD, json=payload, timeout=30)
	assert r.status_code == 429
	assert 0 < int(r.headers["Retry-After"]) <= 600


def test_honeypot_creates_nothing(server, site_db):
	site_db.db.rollback()
	before = site_db.db.count("Issue")
	r = requests.post(server + METHOD, json=body(website="http://spam.example"), timeout=30)
	assert r.status_code == 200
	assert r.json()["message"]["ticket"] is None
	site_db.db.rollback()
	assert site_db.db.count("Issue") == before


def test_idempotency_key_header_makes_retries_safe(server):
	payload, key = body(), uuid.uuid4().hex
	first = requests.post(server + METHOD, json=payload, headers={"Idempotency-Key": key}, timeout=30)
	again = requests.post(server + METHOD, json=payload, headers={"Idempotency-Key": key}, timeout=30)
	assert first.json()["message"]["ticket"] == again.json()["message"]["ticket"]


def test_concurrent_retries_with_one_key_give_one_ticket(server):
	payload, key = body(), uuid.uuid4().hex

	def post(_):
		return requests.post(server + METHOD, json=payload, headers={"Idempotency-Key": key}, timeout=60)

	with ThreadPoolExecutor(6) as pool:
		answers = list(pool.map(post, range(6)))
	tickets = {a.json()["message"]["ticket"] for a in answers if a.status_code == 200}
	assert len(tickets) == 1, [a.text for a in answers]


def test_acknowledgement_reaches_the_sender_marked_auto_replied(server, site_db, smtp_sink, worker):
	payload = body()
	ticket = requests.post(server + METHOD, json=payload, timeout=30).json()["message"]["ticket"]
	site_db.db.rollback()
	from frappe.email.queue import flush

	def arrived(rcpts, message):
		return payload["email"] in rcpts and f"[{ticket}]" in message["Subject"]

	message = None
	for _ in range(30):  # the worker queues it; flush sends it, as the scheduler would
		flush()
		site_db.db.commit()
		message = smtp_sink.wait_for(arrived, timeout=1)
		if message:
			break
	assert message is not None, "no acknowledgement reached the SMTP sink"
	assert message["Auto-Submitted"] == "auto-replied"
	assert message["Message-Id"]


@pytest.fixture(scope="module")
def reporter(site_db):
	frappe = site_db
	email = "alerts-bot@performancewest.net"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": "Alerts", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles("PW Alert Reporter")
	secret = frappe.generate_hash(length=15)
	user.api_key = user.api_key or frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	frappe.db.commit()
	return {"Authorization": f"token {user.api_key}:{secret}"}


def test_guest_cannot_raise_an_alert(server):
	r = requests.post(
		server + "/api/method/pw_helpdesk.api.raise_alert",
		json={"title": "x", "details": "y", "source": "z"},
		timeout=30,
	)
	assert r.status_code == 403


def test_concurrent_identical_alerts_give_one_issue(server, site_db, reporter):
	fingerprint = uuid.uuid4().hex

	def post(i):
		return requests.post(
			server + "/api/method/pw_helpdesk.api.raise_alert",
			json={"title": "Disk full", "details": f"run {i}", "source": "cron", "fingerprint": fingerprint},
			headers=reporter,
			timeout=60,
		)

	with ThreadPoolExecutor(8) as pool:
		answers = list(pool.map(post, range(8)))
	assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
	names = {a.json()["message"] for a in answers}
	assert len(names) == 1
	site_db.db.rollback()
	assert site_db.db.get_value("Issue", names.pop(), "pw_occurrences") == 8


def test_bad_alert_argument_gets_400_naming_it(server, reporter):
	r = requests.post(
		server + "/api/method/pw_helpdesk.api.raise_alert",
		json={"title": "x", "details": "y", "source": "z", "priority": "Whenever"},
		headers=reporter,
		timeout=30,
	)
	assert r.status_code == 400, r.text
	assert "priority" in r.text
