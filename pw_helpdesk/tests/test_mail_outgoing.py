"""Headers of the mail we queue: Message-ID, threading, Auto-Submitted, sender and Reply-To."""

import email
import uuid
from email import policy

import frappe
from frappe.core.doctype.communication.email import make
from frappe.tests.utils import FrappeTestCase

from pw_helpdesk.intake.tickets import send_acknowledgement
from pw_helpdesk.mail import incoming
from pw_helpdesk.tests.test_mail_incoming import make_issue, raw_mail
from pw_helpdesk.tests.utils import make_outgoing_account, set_settings

SUPPORT = "help@performancewest.net"


def queued(issue: str, communication: str | None = None):
	"""(Email Queue row, parsed message) of the newest mail queued for the Issue."""
	filters = {"reference_doctype": "Issue", "reference_name": issue}
	if communication:
		filters["communication"] = communication
	row = frappe.get_last_doc("Email Queue", filters=filters)
	return row, email.message_from_string(row.message, policy=policy.default)


def agent_reply(issue: str) -> str:
	return make(
		doctype="Issue",
		name=issue,
		content="Here is the answer.",
		subject="Re: Mail threading",
		recipients="carol@mail-threading.example",
		send_email=True,
	)["name"]


class TestOutgoingHeaders(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_account()
		set_settings(support_email=SUPPORT)

	@classmethod
	def tearDownClass(cls):
		set_settings(support_email=None)
		super().tearDownClass()

	def test_acknowledgement_message_id_is_stored_on_the_queue(self):
		issue = make_issue(status="Open")
		send_acknowledgement(issue)
		row, msg = queued(issue)
		self.assertEqual(msg["Message-Id"], f"<{row.message_id}>")

	def test_acknowledgement_is_auto_submitted(self):
		issue = make_issue(status="Open")
		send_acknowledgement(issue)
		_, msg = queued(issue)
		self.assertEqual(msg["Auto-Submitted"], "auto-replied")

	def test_acknowledgement_comes_from_and_answers_to_the_support_address(self):
		issue = make_issue(status="Open")
		send_acknowledgement(issue)
		_, msg = queued(issue)
		self.assertEqual((msg["From"].addresses[0].addr_spec, str(msg["Reply-To"])), (SUPPORT, SUPPORT))

	def test_agent_reply_answers_the_customers_newest_mail(self):
		issue = make_issue()
		send_acknowledgement(issue)
		ack_id = queued(issue)[0].message_id
		customer = frappe.get_doc(
			"Communication", incoming.receive(raw_mail("Re: x", In_Reply_To=f"<{ack_id}>"))
		)
		_, msg = queued(issue, agent_reply(issue))
		self.assertEqual(msg["In-Reply-To"], f"<{customer.message_id}>")

	def test_agent_reply_references_the_whole_thread(self):
		issue = make_issue()
		send_acknowledgement(issue)
		ack_id = queued(issue)[0].message_id
		customer = frappe.get_doc(
			"Communication", incoming.receive(raw_mail("Re: x", In_Reply_To=f"<{ack_id}>"))
		)
		_, msg = queued(issue, agent_reply(issue))
		self.assertEqual(str(msg["References"]).split(), [f"<{ack_id}>", f"<{customer.message_id}>"])

	def test_agent_reply_carries_the_issue_reference_in_its_subject(self):
		issue = make_issue()
		_, msg = queued(issue, agent_reply(issue))
		self.assertEqual(str(msg["Subject"]), f"[{issue}] Re: Mail threading")

	def test_agent_reply_is_not_auto_submitted(self):
		issue = make_issue()
		_, msg = queued(issue, agent_reply(issue))
		self.assertIsNone(msg["Auto-Submitted"])

	def test_agent_reply_message_id_is_the_communications(self):
		issue = make_issue()
		comm = agent_reply(issue)
		_, msg = queued(issue, comm)
		self.assertEqual(msg["Message-Id"], f"<{frappe.db.get_value('Communication', comm, 'message_id')}>")

	def test_mail_of_other_documents_is_left_alone(self):
		frappe.sendmail(
			recipients=["x@example.com"], subject=f"Other {uuid.uuid4().hex[:6]}", message="m", delayed=True
		)
		row = frappe.get_last_doc("Email Queue")
		msg = email.message_from_string(row.message, policy=policy.default)
		self.assertIsNone(msg["In-Reply-To"])
