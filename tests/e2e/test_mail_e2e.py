"""Email round trip over real servers: SMTP sink (aiosmtpd) out, Dovecot (IMAP) in, the site in between."""

import time
import uuid
from email.message import EmailMessage

import pytest
import requests
from conftest import ARTIFACTS, SITE, frappe_cmd, process, run_frappe

METHOD = "/api/method/pw_helpdesk.api.create_ticket"
SUPPORT = "support@performancewest.net"


def flush_until(site_db, smtp_sink, predicate, tries: int = 30):
	"""Send the Email Queue (as the scheduler's flush job would) until the sink holds a matching message."""
	from frappe.email.queue import flush

	for _ in range(tries):
		site_db.db.rollback()
		flush()
		site_db.db.commit()
		if message := smtp_sink.wait_for(predicate, timeout=1):
			return message
	return None


def poll_once() -> str:
	"""One pull of the support inbox, as the every-minute job does, in its own process."""
	out = run_frappe("--site", SITE, "pw-helpdesk", "mail-poll")
	return out.stdout


def reply_to(original, body: str, subject: str | None = None, **headers) -> bytes:
	"""The customer's mail client answering `original`: Re: subject, In-Reply-To, References."""
	msg = EmailMessage()
	msg["From"] = original["To"]
	msg["To"] = str(original["Reply-To"] or original["From"])
	msg["Subject"] = subject or f"Re: {original['Subject']}"
	msg["Message-ID"] = f"<{uuid.uuid4().hex}@client.example>"
	msg["In-Reply-To"] = original["Message-Id"]
	msg["References"] = " ".join(filter(None, [str(original["References"] or ""), original["Message-Id"]]))
	msg["Date"] = "Fri, 04 Dec 2026 10:00:00 +0000"
	for key, value in headers.items():
		msg[key.replace("_", "-")] = value
	msg.set_content(body)
	return msg.as_bytes()


CUSTOMER = "Mail Round Trip Ltd"


@pytest.fixture(scope="module")
def customer_email(site_db):
	"""A Customer of its own with one Contact (the demo customers are the portal tests')."""
	frappe = site_db
	email = "dana@mail-roundtrip.example"
	if not frappe.db.exists("Customer", CUSTOMER):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": CUSTOMER,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Contact Email", {"email_id": email}):
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Dana",
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": CUSTOMER}],
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	return email


@pytest.fixture(scope="module")
def round_trip(server, site_db, smtp_sink, worker, support_inbox, customer_email):
	"""Ticket -> acknowledgement -> customer reply in the inbox -> one poll. Shared by the tests below."""
	payload = {
		"email": customer_email,
		"subject": f"Port-out question {uuid.uuid4().hex[:6]}",
		"message": "Can you help with a port-out?",
		"category": "support",
	}
	r = requests.post(server + METHOD, json=payload, timeout=30)
	assert r.status_code == 200, r.text
	ticket = r.json()["message"]["ticket"]
	ack = flush_until(
		site_db, smtp_sink, lambda rcpts, m: customer_email in rcpts and f"[{ticket}]" in m["Subject"]
	)
	assert ack is not None, "no acknowledgement reached the SMTP sink"
	# The agent set the Issue to Replied meanwhile; the customer's answer must reopen it.
	site_db.db.set_value("Issue", ticket, "status", "Replied")
	site_db.db.commit()
	reply = reply_to(ack, "Yes, the number is +1 613 555 0100.")
	support_inbox.append(reply)
	poll_output = poll_once()
	site_db.db.rollback()
	return {"ticket": ticket, "ack": ack, "reply": reply, "poll": poll_output}


def received(site_db, ticket: str, **filters):
	site_db.db.rollback()
	return site_db.get_all(
		"Communication",
		filters={
			"reference_doctype": "Issue",
			"reference_name": ticket,
			"sent_or_received": "Received",
			**filters,
		},
		fields=["name", "message_id", "pw_automatic", "subject"],
	)


def test_acknowledgement_has_a_message_id(round_trip):
	assert round_trip["ack"]["Message-Id"].startswith("<")


def test_acknowledgement_is_auto_replied(round_trip):
	assert round_trip["ack"]["Auto-Submitted"] == "auto-replied"


def test_acknowledgement_comes_from_and_answers_to_the_support_inbox(round_trip):
	ack = round_trip["ack"]
	assert (ack["From"].addresses[0].addr_spec, ack["Reply-To"].addresses[0].addr_spec) == (SUPPORT, SUPPORT)


def test_reply_becomes_a_received_communication_on_the_same_issue(round_trip, site_db):
	assert len(received(site_db, round_trip["ticket"])) == 1, round_trip["poll"]


def test_reply_reopens_the_issue(round_trip, site_db):
	assert site_db.db.get_value("Issue", round_trip["ticket"], "status") == "Open"


def test_poll_changes_nothing_on_the_server(round_trip, support_inbox):
	assert all(b"\\Seen" not in flags for flags in support_inbox.flags().values())


def test_second_poll_files_nothing_again(round_trip, site_db):
	poll_once()
	assert len(received(site_db, round_trip["ticket"])) == 1


def test_agent_reply_reaches_the_customer_threaded(round_trip, server, site_db, smtp_sink, customer_email):
	s = requests.Session()
	assert s.post(f"{server}/api/method/login", data={"usr": "Administrator", "pwd": "admin"}, timeout=20).ok
	ticket = round_trip["ticket"]
	r = s.post(
		f"{server}/api/method/frappe.core.doctype.communication.email.make",
		data={
			"doctype": "Issue",
			"name": ticket,
			"subject": f"Re: {round_trip['ack']['Subject']}",
			"content": "We have started the port-out.",
			"recipients": customer_email,
			"send_email": 1,
		},
		timeout=30,
	)
	assert r.ok, r.text
	reply_id = received(site_db, ticket)[0].message_id

	def answer(rcpts, m):
		return customer_email in rcpts and "started the port-out" in str(
			m.get_body(("html", "plain")).get_content()
		)

	message = flush_until(site_db, smtp_sink, answer)
	assert message is not None, "the agent reply did not reach the SMTP sink"
	assert message["In-Reply-To"] == f"<{reply_id}>"
	assert f"<{reply_id}>" in str(message["References"]).split()
	assert round_trip["ack"]["Message-Id"] in str(message["References"]).split()
	assert message["Auto-Submitted"] is None


def test_out_of_office_is_recorded_without_status_change(round_trip, site_db, support_inbox):
	ticket = round_trip["ticket"]
	site_db.db.set_value("Issue", ticket, "status", "Replied")
	site_db.db.commit()
	support_inbox.append(
		reply_to(round_trip["ack"], "I am away.", "Out of office", Auto_Submitted="auto-replied")
	)
	poll_once()
	assert [c.pw_automatic for c in received(site_db, ticket, subject="Out of office")] == [1]
	assert site_db.db.get_value("Issue", ticket, "status") == "Replied"


def test_reply_with_a_rewritten_subject_threads_by_its_headers(round_trip, site_db, support_inbox):
	support_inbox.append(reply_to(round_trip["ack"], "Another detail.", "Something else entirely"))
	poll_once()
	assert len(received(site_db, round_trip["ticket"], subject="Something else entirely")) == 1


def test_reply_with_only_references_threads(round_trip, site_db, support_inbox):
	raw = reply_to(round_trip["ack"], "Refs only.", "Refs only reply")
	raw = b"\r\n".join(line for line in raw.split(b"\r\n") if not line.lower().startswith(b"in-reply-to:"))
	support_inbox.append(raw)
	poll_once()
	assert len(received(site_db, round_trip["ticket"], subject="Refs only reply")) == 1


def test_bounce_of_our_mail_is_recorded_as_automatic(round_trip, site_db, support_inbox):
	ack_id = round_trip["ack"]["Message-Id"]
	bounce = (
		"From: MAILER-DAEMON@mx.client.example\r\nTo: support@performancewest.net\r\n"
		f"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <{uuid.uuid4().hex}@mx>\r\n"
		'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
		"--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
		f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {ack_id}\r\n\r\n--B--\r\n"
	).encode()
	support_inbox.append(bounce)
	poll_once()
	assert [
		c.pw_automatic for c in received(site_db, round_trip["ticket"], subject=("like", "Undelivered%"))
	] == [1]


def test_reply_to_a_closed_issue_opens_a_follow_up(round_trip, site_db, support_inbox):
	ticket = round_trip["ticket"]
	site_db.db.set_value("Issue", ticket, "status", "Closed")
	site_db.db.commit()
	try:
		support_inbox.append(reply_to(round_trip["ack"], "One more thing after closing.", "After closing"))
		poll_once()
		site_db.db.rollback()
		follow_ups = site_db.get_all("Issue", filters={"pw_follow_up_of": ticket}, pluck="name")
		assert len(follow_ups) == 1
		assert len(received(site_db, follow_ups[0], subject="After closing")) == 1
	finally:
		site_db.db.set_value("Issue", ticket, "status", "Open")
		site_db.db.commit()


def test_new_mail_opens_a_support_issue_for_the_customer(support_inbox, site_db, customer_email):
	msg = EmailMessage()
	msg["From"] = customer_email
	msg["To"] = SUPPORT
	msg["Subject"] = f"Brand new topic {uuid.uuid4().hex[:6]}"
	msg["Message-ID"] = f"<{uuid.uuid4().hex}@client.example>"
	msg.set_content("A new question by mail.")
	support_inbox.append(msg.as_bytes())
	poll_once()
	site_db.db.rollback()
	issue = site_db.get_all(
		"Issue", filters={"subject": msg["Subject"]}, fields=["issue_type", "customer", "pw_channel"]
	)
	assert len(issue) == 1
	assert (issue[0].issue_type, issue[0].customer, issue[0].pw_channel) == ("Support", CUSTOMER, "Email")


# ------------------------------------------------------------------------------------------- watchdog


def watchdog_run() -> str:
	return run_frappe("--site", SITE, "pw-helpdesk", "mail-watchdog").stdout


def site_scheduler_cmd() -> list[str]:
	"""Frappe's scheduler loop for this one site (`bench schedule` would tick every site of the bench)."""
	code = (
		"import sys, time, frappe\n"
		"from frappe.utils.scheduler import enqueue_events_for_site\n"
		"while True:\n"
		f"    enqueue_events_for_site({SITE!r})\n"
		"    time.sleep(5)\n"
	)
	return [frappe_cmd()[0], "-c", code]


def open_alert(site_db, kind: str):
	site_db.db.rollback()
	from pw_helpdesk.mail.watchdog import open_alert as find

	return find(kind)


def test_stopped_scheduler_raises_an_alert_and_its_recovery_is_noted(site_db, support_inbox, smtp_sink):
	from pw_helpdesk.mail.watchdog import RECOVERED

	run_frappe("--site", SITE, "disable-scheduler")
	try:
		watchdog_run()
		issue = open_alert(site_db, "scheduler")
		assert issue, "no alert Issue for the stopped scheduler"
		watchdog_run()
		assert open_alert(site_db, "scheduler") == issue  # deduplicated
	finally:
		run_frappe("--site", SITE, "enable-scheduler")
	# Restart: the scheduler ticks this site and a worker runs the jobs; the watchdog notes the recovery.
	with (
		process(site_scheduler_cmd(), ARTIFACTS / "e2e-mail-scheduler.log"),
		process(frappe_cmd("worker", "--queue", "short,default,long"), ARTIFACTS / "e2e-mail-worker.log"),
	):
		deadline = time.monotonic() + 150
		noted = False
		while time.monotonic() < deadline and not noted:
			time.sleep(5)
			watchdog_run()
			site_db.db.rollback()
			noted = bool(
				site_db.db.exists(
					"Comment",
					{
						"reference_name": issue,
						"comment_type": "Comment",
						"content": ("like", f"%{RECOVERED}%"),
					},
				)
			)
	assert noted, "the recovery was not noted on the alert Issue"
