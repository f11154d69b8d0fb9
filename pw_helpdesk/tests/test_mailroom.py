"""CRTC mailroom ingestion inside a real site, from raw messages (IMAP is covered end to end)."""

import uuid
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from pw_helpdesk.mailroom import health, ingest, notify, poller
from pw_helpdesk.tests.utils import make_customer, make_outgoing_account, set_settings

DOMAIN = "crtc-test.example"
CUSTOMER = "CRTC Test Telecom"


def raw_mail(subject="Notice of hearing", body="The Commission hereby gives notice.", **headers) -> bytes:
	message_id = headers.pop("message_id", f"<{uuid.uuid4().hex}@crtc.gc.example>")
	lines = [
		"From: Secretary General <sg@crtc.gc.example>",
		f"To: regulatory@{DOMAIN}",
		f"Subject: {subject}",
		"Date: Fri, 04 Dec 2026 10:00:00 -0500",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
	]
	if message_id:
		lines.append(f"Message-ID: {message_id}")
	lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
	return ("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode()


class MailroomCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER, f"owner@{DOMAIN}")
		if not frappe.db.exists("PW CRTC Client", DOMAIN):
			frappe.get_doc(
				{
					"doctype": "PW CRTC Client",
					"customer": CUSTOMER,
					"domain": DOMAIN,
					"imap_host": "127.0.0.1",
					"imap_port": 1143,
					"tls_mode": "none",
				}
			).insert(ignore_permissions=True)
		cls.client = frappe.get_doc("PW CRTC Client", DOMAIN)

	def setUp(self):
		make_outgoing_account()
		set_settings(admin_emails="compliance-team@performancewest.net", crtc_attachment_cap_mb=1)
		self.uid = frappe.db.count("PW Mail Message") + 1000

	def deliver(self, raw: bytes, localpart: str = "regulatory") -> str:
		"""Store and ingest, as a poll does after fetching the message from the mailbox."""
		mb = frappe.get_doc("PW CRTC Mailbox", f"{localpart}@{DOMAIN}")
		self.uid += 1
		stored = poller.store_raw(self.client, mb, 1, self.uid, raw)
		poller.ingest_stored(stored, raw)
		return stored

	def issue_of(self, stored: str):
		return frappe.get_doc("Issue", frappe.db.get_value("PW Mail Message", stored, "issue"))


class TestModel(MailroomCase):
	def test_client_gets_its_fourteen_mailboxes(self):
		boxes = frappe.get_all("PW CRTC Mailbox", {"client": DOMAIN}, ["localpart", "priority"])
		self.assertEqual(len(boxes), 14)
		self.assertEqual({b.localpart: b.priority for b in boxes}["ccts"], "High")
		self.assertEqual({b.localpart: b.priority for b in boxes}["sales"], "Low")

	def test_raw_message_is_stored_in_the_private_folder(self):
		raw = raw_mail()
		stored = self.deliver(raw)
		self.assertEqual(poller.raw_of(stored), raw)
		self.assertTrue(frappe.db.get_value("PW Mail Message", stored, "raw_path").startswith("private/"))


class TestIngestion(MailroomCase):
	def test_message_becomes_a_crtc_issue_with_the_mailbox_priority(self):
		issue = self.issue_of(
			self.deliver(raw_mail(subject="=?utf-8?q?Avis_d=E2=80=99audience?="), "billing")
		)
		self.assertEqual(
			(issue.issue_type, issue.priority, issue.customer), ("CRTC Correspondence", "Medium", CUSTOMER)
		)
		self.assertEqual(issue.subject, "Avis d’audience")
		self.assertEqual((issue.raised_by, issue.pw_mailboxes), ("sg@crtc.gc.example", f"billing@{DOMAIN}"))

	def test_body_is_a_received_communication(self):
		issue = self.issue_of(self.deliver(raw_mail(body="Line one\nLine two")))
		comm = frappe.get_doc("Communication", {"reference_name": issue.name})
		self.assertEqual(comm.sent_or_received, "Received")
		self.assertIn("Line one", comm.content)

	def test_one_message_in_three_mailboxes_is_one_issue_at_the_highest_priority(self):
		raw = raw_mail()
		names = [self.deliver(raw, box) for box in ("info", "billing", "crtc")]
		issues = {frappe.db.get_value("PW Mail Message", n, "issue") for n in names}
		self.assertEqual(len(issues), 1)
		issue = frappe.get_doc("Issue", issues.pop())
		self.assertEqual(issue.priority, "High")
		self.assertEqual(
			issue.pw_mailboxes.splitlines(), sorted(f"{b}@{DOMAIN}" for b in ("info", "billing", "crtc"))
		)

	def test_the_same_message_again_is_skipped(self):
		raw = raw_mail()
		first = self.deliver(raw)
		again = self.deliver(raw)
		self.assertEqual(frappe.db.get_value("PW Mail Message", again, "status"), "Duplicate")
		self.assertEqual(self.issue_of(first).name, self.issue_of(again).name)

	def test_reply_threads_onto_the_issue(self):
		first_id = f"<{uuid.uuid4().hex}@crtc.gc.example>"
		issue = self.issue_of(self.deliver(raw_mail(message_id=first_id)))
		reply = self.deliver(raw_mail(subject="Completely different", In_Reply_To=first_id))
		self.assertEqual(self.issue_of(reply).name, issue.name)

	def test_same_subject_without_thread_headers_is_a_new_issue(self):
		a = self.issue_of(self.deliver(raw_mail(subject="Same subject")))
		b = self.issue_of(self.deliver(raw_mail(subject="Same subject")))
		self.assertNotEqual(a.name, b.name)

	def test_missing_message_id_is_ingested(self):
		issue = self.issue_of(self.deliver(raw_mail(message_id=None)))
		self.assertEqual(issue.issue_type, "CRTC Correspondence")

	def test_broken_mime_and_charsets_are_ingested(self):
		raw = (
			b"From: weird@example.ca\r\nSubject: caf\xe9 \xff\r\nContent-Type: text/plain; charset=x-unknown\r\n"
			b"Message-ID: <" + uuid.uuid4().hex.encode() + b"@x>\r\n\r\n\xe9t\xe9 \xff\xfe body\r\n"
		)
		stored = self.deliver(raw)
		self.assertEqual(frappe.db.get_value("PW Mail Message", stored, "status"), "Ingested")

	def test_empty_body_is_ingested(self):
		stored = self.deliver(raw_mail(body=""))
		self.assertEqual(frappe.db.get_value("PW Mail Message", stored, "status"), "Ingested")

	def test_attachment_over_the_cap_stays_in_the_raw_message(self):
		big = "A" * (2 * 1024 * 1024)
		raw = (
			f"From: sg@crtc.gc.example\r\nSubject: big\r\nMessage-ID: <{uuid.uuid4().hex}@x>\r\nMIME-Version: 1.0\r\n"
			'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee file\r\n'
			'--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="small.txt"\r\n\r\nsmall\r\n'
			'--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="big.txt"\r\n\r\n'
			f"{big}\r\n--B--\r\n"
		).encode()
		issue = self.issue_of(self.deliver(raw))
		files = frappe.get_all(
			"File", {"attached_to_doctype": "Issue", "attached_to_name": issue.name}, pluck="file_name"
		)
		self.assertEqual(files, ["small.txt"])
		comments = frappe.get_all("Comment", {"reference_name": issue.name}, pluck="content")
		self.assertTrue(any("big.txt" in c for c in comments))

	def test_failed_ingestion_keeps_the_message_and_is_retried(self):
		raw = raw_mail()
		with patch.object(ingest, "new_issue", side_effect=RuntimeError("db hiccup")):
			stored = self.deliver(raw)
		self.assertEqual(frappe.db.get_value("PW Mail Message", stored, "status"), "Failed")
		self.assertEqual(poller.raw_of(stored), raw)
		self.assertEqual(poller.ingest_stored(stored), "ingested")
		self.assertEqual(frappe.db.get_value("PW Mail Message", stored, "status"), "Ingested")

	def test_repeated_failure_raises_an_alert(self):
		with patch.object(ingest, "new_issue", side_effect=RuntimeError("always")):
			stored = self.deliver(raw_mail())
			for _ in range(2):
				poller.ingest_stored(stored)
		self.assertTrue(frappe.db.exists("Issue", {"subject": f"CRTC message cannot be ingested: {stored}"}))


class TestAlertsAndDigest(MailroomCase):
	def alerts_for(self, issue: str) -> int:
		return frappe.db.count(
			"Email Queue", {"reference_name": issue, "message": ["like", "%High-priority regulatory%"]}
		)

	def test_high_mail_alerts_client_and_admins_once(self):
		raw = raw_mail()
		issue = self.issue_of(self.deliver(raw, "regulatory")).name
		self.deliver(raw, "crtc")
		self.assertEqual(self.alerts_for(issue), 1)
		queued = frappe.get_last_doc("Email Queue", filters={"reference_name": issue})
		recipients = {r.recipient for r in queued.recipients}
		self.assertIn(f"owner@{DOMAIN}", recipients)
		self.assertIn("compliance-team@performancewest.net", recipients)
		self.assertIn("Auto-Submitted: auto-generated", queued.message)

	def test_automatic_mail_raises_no_alert(self):
		issue = self.issue_of(self.deliver(raw_mail(Auto_Submitted="auto-replied"), "regulatory"))
		self.assertEqual(self.alerts_for(issue.name), 0)
		self.assertFalse(issue.pw_alert_sent)

	def test_low_mail_waits_for_the_digest(self):
		issue = self.issue_of(self.deliver(raw_mail(), "info"))
		self.assertEqual(self.alerts_for(issue.name), 0)
		sent = notify.send_digest(DOMAIN)
		self.assertGreaterEqual(sent, 1)
		self.assertTrue(frappe.db.get_value("Issue", issue.name, "pw_digest_sent"))

	def test_each_item_is_in_one_digest_and_empty_digests_are_not_sent(self):
		self.deliver(raw_mail(), "sales")
		notify.send_digest(DOMAIN)
		before = frappe.db.count("Email Queue")
		self.assertEqual(notify.send_digest(DOMAIN), 0)
		self.assertEqual(frappe.db.count("Email Queue"), before)


class TestMailboxHealth(MailroomCase):
	def test_alert_after_threshold_and_note_on_recovery(self):
		set_settings(crtc_failure_threshold=3)
		address = f"noc-{uuid.uuid4().hex[:8]}@{DOMAIN}"  # the poller commits: keep runs apart
		result = frappe._dict(error="ConnectionRefusedError: refused", error_kind="connect")
		for failures in (1, 2):
			health.on_failure(address, failures, result)
		self.assertFalse(frappe.db.exists("Issue", {"subject": f"CRTC mailbox failing: {address}"}))
		for failures in (3, 4):
			health.on_failure(address, failures, result)
		alerts = frappe.get_all(
			"Issue", {"subject": f"CRTC mailbox failing: {address}"}, ["name", "pw_occurrences"]
		)
		self.assertEqual(len(alerts), 1)
		self.assertEqual(alerts[0].pw_occurrences, 2)
		health.on_recovery(address, 4)
		comments = frappe.get_all("Comment", {"reference_name": alerts[0].name}, pluck="content")
		self.assertTrue(any("recovered" in c for c in comments))

	def test_report_lists_mailboxes_worst_first(self):
		from pw_helpdesk.pw_helpdesk.report.mailbox_health.mailbox_health import execute

		rows = execute()[1]
		self.assertGreaterEqual(len(rows), 14)


class TestScheduling(MailroomCase):
	def test_one_deduplicated_long_job_per_enabled_client(self):
		with patch("frappe.enqueue") as enqueue:
			poller.enqueue_polls()
		calls = {c.kwargs["client"]: c.kwargs for c in enqueue.call_args_list}
		self.assertIn(DOMAIN, calls)
		self.assertEqual(calls[DOMAIN]["job_id"], f"pw-crtc-poll::{DOMAIN}")
		self.assertTrue(calls[DOMAIN]["deduplicate"])
		self.assertEqual(calls[DOMAIN]["queue"], "long")
