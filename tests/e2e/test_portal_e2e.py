"""The customer portal over real HTTP and in a real browser (Debian's Chromium, driven by Playwright)."""

import uuid

import pytest
import requests

from pw_helpdesk.setup.demo import DEMO_CUSTOMERS, DEMO_PASSWORD

ALICE, BOB = DEMO_CUSTOMERS


def login(server: str, email: str) -> requests.Session:
	s = requests.Session()
	r = s.post(f"{server}/api/method/login", data={"usr": email, "pwd": DEMO_PASSWORD}, timeout=30)
	assert r.status_code == 200, r.text
	return s


@pytest.fixture(scope="module")
def tickets(site_db, demo_site):
	"""One Issue of each demo customer, with a private file on Bob's."""
	frappe = site_db
	frappe.db.rollback()
	alice_issue = frappe.db.get_value("Issue", {"customer": ALICE["customer"], "issue_type": "Support"})
	bob_issue = frappe.db.get_value("Issue", {"customer": BOB["customer"], "issue_type": "Support"})
	file_name = "bob-contract.txt"
	file = frappe.db.get_value("File", {"file_name": file_name, "attached_to_name": bob_issue}, "file_url")
	if not file:
		file = (
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": file_name,
					"attached_to_doctype": "Issue",
					"attached_to_name": bob_issue,
					"is_private": 1,
					"content": b"bob's contract",
				}
			)
			.insert(ignore_permissions=True)
			.file_url
		)
	frappe.db.commit()
	return {"alice": alice_issue, "bob": bob_issue, "bob_file": file}


def test_rest_list_shows_only_own_customer(server, tickets):
	s = login(server, ALICE["email"])
	r = s.get(f"{server}/api/resource/Issue", params={"limit_page_length": 0}, timeout=30)
	names = {row["name"] for row in r.json()["data"]}
	assert tickets["alice"] in names
	assert tickets["bob"] not in names


def test_rest_get_of_other_customer_is_403(server, tickets):
	s = login(server, ALICE["email"])
	assert s.get(f"{server}/api/resource/Issue/{tickets['bob']}", timeout=30).status_code == 403


def test_rest_update_of_own_issue_is_refused(server, tickets):
	s = login(server, ALICE["email"])
	r = s.put(f"{server}/api/resource/Issue/{tickets['alice']}", json={"priority": "Urgent"}, timeout=30)
	assert r.status_code == 403


def test_get_count_over_http_does_not_reveal_other_issues(server, tickets):
	s = login(server, ALICE["email"])
	r = s.get(
		f"{server}/api/method/frappe.client.get_count",
		params={"doctype": "Issue", "filters": f'{{"name": "{tickets["bob"]}"}}'},
		timeout=30,
	)
	assert r.status_code == 200 and r.json()["message"] == 0


def test_private_file_of_other_customer_is_refused(server, tickets):
	s = login(server, ALICE["email"])
	r = s.get(server + tickets["bob_file"], timeout=30)
	assert r.status_code == 403
	assert b"bob's contract" not in r.content


def test_own_private_file_downloads(server, tickets):
	s = login(server, BOB["email"])
	r = s.get(server + tickets["bob_file"], timeout=30)
	assert r.status_code == 200 and r.content == b"bob's contract"


def test_portal_page_of_other_customer_is_refused(server, tickets):
	s = login(server, ALICE["email"])
	r = s.get(f"{server}/issues/{tickets['bob']}", timeout=30)
	assert r.status_code == 403
	assert "pw-subject" not in r.text and "pw-thread" not in r.text


def test_portal_list_page_shows_only_own(server, tickets):
	s = login(server, ALICE["email"])
	page = s.get(f"{server}/issues", timeout=30).text
	assert tickets["alice"] in page
	assert tickets["bob"] not in page


def test_guest_is_sent_to_login(server, tickets):
	r = requests.get(f"{server}/issues/{tickets['alice']}", allow_redirects=False, timeout=30)
	assert r.status_code in (301, 302) and "/login" in r.headers["Location"]


@pytest.fixture(scope="module")
def browser():
	import os
	import shutil

	from playwright.sync_api import sync_playwright

	# Debian's chromium here; on GitHub's runners, their google-chrome. Never a downloaded browser.
	executable = os.environ.get("PW_CHROMIUM") or next(
		(p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
	)
	assert executable, "no Chromium: apt-get install chromium (or set PW_CHROMIUM)"
	with sync_playwright() as p:
		browser = p.chromium.launch(
			executable_path=executable,
			headless=True,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-quic",
				"--no-first-run",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
			],
		)
		yield browser
		browser.close()


def test_browser_login_open_reply_and_refusal(server, tickets, browser, site_db):
	from conftest import ARTIFACTS

	page = browser.new_page()
	page.goto(f"{server}/login")
	page.fill("#login_email", ALICE["email"])
	page.fill("#login_password", DEMO_PASSWORD)
	page.click(".btn-login")
	page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)

	page.goto(f"{server}/issues")
	page.click(f"a[href='/issues/{tickets['alice']}']")
	page.wait_for_selector(".pw-subject")
	reply = f"Browser reply {uuid.uuid4().hex[:8]}: the filing receipt is attached now, thanks!"
	page.fill("#pw-message", reply)
	page.set_input_files(
		"#pw-reply input[type=file]",
		files=[{"name": "receipt.txt", "mimeType": "text/plain", "buffer": b"filing receipt 2026"}],
	)
	page.click("#pw-reply button[type=submit]")
	page.wait_for_load_state("networkidle")
	page.screenshot(path=str(ARTIFACTS / "portal-after-reply.png"), full_page=True)
	page.wait_for_selector(f".pw-thread :text('{reply}')", timeout=30_000)
	assert page.inner_text(".pw-status") == "Open"
	assert "receipt.txt" in page.inner_text(".pw-files")
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	page.screenshot(path=str(ARTIFACTS / "portal-reply.png"), full_page=True)

	response = page.goto(f"{server}/issues/{tickets['bob']}")
	assert response.status == 403
	assert "B's" not in page.content()
	page.screenshot(path=str(ARTIFACTS / "portal-refused.png"))

	site_db.db.rollback()
	senders = site_db.get_all(
		"Communication",
		filters={"reference_name": tickets["alice"], "content": ["like", f"%{reply.split(':')[0]}%"]},
		pluck="sender",
	)
	assert senders == [ALICE["email"]]
