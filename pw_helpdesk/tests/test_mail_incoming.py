"""The support inbox's threading rules inside a real site: which Issue a received mail lands on."""

import uuid
from email.message import EmailMessage

import frappe
from frappe.tests.utils import FrappeTestCase

from pw_helpdesk.intake.tickets import send_acknowledgement
from pw_helpdesk.mail import incoming
from pw_helpdesk.tests.utils import make_customer, make_outgoing_account, set_settings

CUSTOMER_EMAIL = "carol@mail-threading.example"


def raw_mail(
	subject: str, sender: str = CUSTOMER_EMAIL, body: str = "Thanks, one more thing.", **headers
) -> bytes:
	msg = EmailMessage()
	msg["From"] = f"Carol <{sender}>"
	msg["To"] = "support@performancewest.net"
	msg["Subject"] = subject
	msg["Message-ID"] = f"<{uuid.uuid4().hex}@client.example>"
	msg["Date"] = "Fri, 04 Dec 2026 10:00:00 +0000"
	for key, value in headers.items():
		msg[key.replace("_", "-")] = value
	msg.set_content(body)
	return msg.as_bytes()


def make_issue(subject: str = "Mail threading", status: str = "Replied") -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"raised_by": CUSTOMER_EMAIL,
			"issue_type": "Support",
			"priority": "Medium",
		}
	).insert(ignore_permissions=True)
	if status != "Open":
		doc.db_set("status", status)
	return doc.name


def ack_message_id(issue: str) -> str:
	"""Queue the acknowledgement of `issue` and return its Message-ID (as the customer's client sees it)."""
	send_acknowledgement(issue)
	return frappe.db.get_value(
		"Email Queue",
		{"reference_doctype": "Issue", "reference_name": issue},
		"message_id",
		order_by="creation desc",
	)


def comm_of(name: str):
	return frappe.get_doc("Communication", name)


class TestThreading(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_account()
		set_settings(reopen_grace_days=7)
		frappe.db.set_single_value("PW Mail Inbox", "acknowledge_new_mail", 1)
		if not frappe.db.exists("Customer", "Mail Threading Ltd"):
			make_customer("Mail Threading Ltd", CUSTOMER_EMAIL)

	def test_reply_by_in_reply_to_lands_on_the_issue(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		comm = comm_of(incoming.receive(raw_mail(f"Re: [{issue}] Mail threading", In_Reply_To=f"<{ack}>")))
		self.assertEqual(comm.reference_name, issue)

	def test_reply_reopens_a_replied_issue(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		incoming.receive(raw_mail("Re: hello", In_Reply_To=f"<{ack}>"))
		self.assertEqual(frappe.db.get_value("Issue", issue, "status"), "Open")

	def test_received_communication_keeps_its_message_id(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		raw = raw_mail("Re: hello", In_Reply_To=f"<{ack}>")
		comm = comm_of(incoming.receive(raw))
		self.assertEqual((comm.sent_or_received, comm.communication_medium), ("Received", "Email"))
		self.assertTrue(comm.message_id.endswith("@client.example"))

	def test_reply_with_only_references_lands_on_the_issue(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		comm = comm_of(incoming.receive(raw_mail("Re: something", References=f"<other@x> <{ack}>")))
		self.assertEqual(comm.reference_name, issue)

	def test_rewritten_subject_still_threads_by_header(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		comm = comm_of(incoming.receive(raw_mail("Totally new words", In_Reply_To=f"<{ack}>")))
		self.assertEqual(comm.reference_name, issue)

	def test_reply_to_an_agent_message_threads_and_links_it(self):
		issue = make_issue()
		agent = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Answer",
				"content": "Our answer",
				"sender": "agent@performancewest.net",
				"reference_doctype": "Issue",
				"reference_name": issue,
				"message_id": f"{uuid.uuid4().hex}@pw-mail.localhost",
			}
		).insert(ignore_permissions=True)
		comm = comm_of(incoming.receive(raw_mail("Re: Answer", In_Reply_To=f"<{agent.message_id}>")))
		self.assertEqual((comm.reference_name, comm.in_reply_to), (issue, agent.name))

	def test_subject_reference_threads_when_headers_are_missing(self):
		issue = make_issue()
		comm = comm_of(incoming.receive(raw_mail(f"Re: [{issue}] Mail threading")))
		self.assertEqual(comm.reference_name, issue)

	def test_forwarded_message_threads_by_its_subject_reference(self):
		issue = make_issue()
		comm = comm_of(
			incoming.receive(raw_mail(f"Fwd: [{issue}] Mail threading", body="---------- Forwarded"))
		)
		self.assertEqual(comm.reference_name, issue)

	def test_header_wins_over_subject_reference(self):
		issue, other = make_issue(), make_issue()
		ack = ack_message_id(issue)
		comm = comm_of(incoming.receive(raw_mail(f"Re: [{other}] x", In_Reply_To=f"<{ack}>")))
		self.assertEqual(comm.reference_name, issue)

	def test_same_subject_without_thread_opens_a_new_issue(self):
		subject = f"Unique subject {uuid.uuid4().hex[:6]}"
		issue = make_issue(subject)
		comm = comm_of(incoming.receive(raw_mail(subject)))
		self.assertNotEqual(comm.reference_name, issue)

	def test_reply_to_closed_issue_opens_a_follow_up(self):
		issue = make_issue(status="Closed")
		ack = ack_message_id(issue)
		comm = comm_of(incoming.receive(raw_mail("Re: closed one", In_Reply_To=f"<{ack}>")))
		self.assertEqual(frappe.db.get_value("Issue", comm.reference_name, "pw_follow_up_of"), issue)
		self.assertEqual(frappe.db.get_value("Issue", issue, "status"), "Closed")

	def test_out_of_office_is_recorded_without_status_change(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		comm = comm_of(
			incoming.receive(raw_mail("Out of office", In_Reply_To=f"<{ack}>", Auto_Submitted="auto-replied"))
		)
		self.assertEqual((comm.reference_name, comm.pw_automatic), (issue, 1))
		self.assertEqual(frappe.db.get_value("Issue", issue, "status"), "Replied")

	def test_out_of_office_is_not_answered(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		queued = frappe.db.count("Email Queue", {"reference_doctype": "Issue", "reference_name": issue})
		incoming.receive(raw_mail("Out of office", In_Reply_To=f"<{ack}>", Auto_Submitted="auto-replied"))
		self.assertEqual(
			frappe.db.count("Email Queue", {"reference_doctype": "Issue", "reference_name": issue}), queued
		)

	def test_bounce_is_recorded_on_the_issue_of_the_bounced_mail(self):
		issue = make_issue()
		ack = ack_message_id(issue)
		bounce = (
			"From: MAILER-DAEMON@mx.client.example\r\nTo: support@performancewest.net\r\n"
			"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b-"
			+ uuid.uuid4().hex
			+ "@mx>\r\nMIME-Version: 1.0\r\n"
			'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
			"--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
			"--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
			f"From: support@performancewest.net\r\nMessage-ID: <{ack}>\r\n\r\n--B--\r\n"
		).encode()
		comm = comm_of(incoming.receive(bounce))
		self.assertEqual((comm.reference_name, comm.pw_automatic), (issue, 1))
		self.assertEqual(frappe.db.get_value("Issue", issue, "status"), "Replied")

	def test_unthreaded_automatic_mail_opens_no_issue(self):
		before = frappe.db.count("Issue")
		self.assertIsNone(incoming.receive(raw_mail("Auto: away", Auto_Submitted="auto-replied")))
		self.assertEqual(frappe.db.count("Issue"), before)

	def test_new_mail_opens_a_support_issue_for_the_contacts_customer(self):
		comm = comm_of(incoming.receive(raw_mail(f"New question {uuid.uuid4().hex[:6]}")))
		issue = frappe.get_doc("Issue", comm.reference_name)
		self.assertEqual(
			(issue.issue_type, issue.customer, issue.raised_by, issue.pw_channel),
			("Support", "Mail Threading Ltd", CUSTOMER_EMAIL, "Email"),
		)

	def test_new_mail_is_acknowledged(self):
		comm = comm_of(incoming.receive(raw_mail(f"New question {uuid.uuid4().hex[:6]}")))
		self.assertTrue(
			frappe.db.exists(
				"Email Queue", {"reference_doctype": "Issue", "reference_name": comm.reference_name}
			)
		)

	def test_unknown_sender_gets_an_issue_without_customer(self):
		comm = comm_of(incoming.receive(raw_mail("Hello", sender=f"{uuid.uuid4().hex[:8]}@nobody.example")))
		self.assertFalse(frappe.db.get_value("Issue", comm.reference_name, "customer"))

	def test_same_message_twice_is_filed_once(self):
		raw = raw_mail(f"Dup {uuid.uuid4().hex[:6]}")
		self.assertIsNotNone(incoming.receive(raw))
		self.assertIsNone(incoming.receive(raw))
