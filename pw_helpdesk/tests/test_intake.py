"""Website tickets, script alerts and automation failures inside a real site."""

import uuid

import frappe
from frappe.tests.utils import FrappeTestCase

from pw_helpdesk import api
from pw_helpdesk.intake import alerts, tickets
from pw_helpdesk.intake.http import TicketFieldError, TooManyTickets
from pw_helpdesk.tests.utils import make_customer, make_outgoing_account, set_settings

RUN = uuid.uuid4().hex[:8]

FIELDS = {
	"email": "jane@northwind.example",
	"subject": "Need help with our 499 filing",
	"message": "Hello,\n<b>bold</b> <script>x()</script>\nThanks",
	"category": "issue",
	"name": "Jane",
	"page_url": "https://performancewest.net/filing",
	"channel": None,
	"idempotency_key": None,
}


def web_ticket(**overrides) -> dict:
	return tickets.create_web_ticket({**FIELDS, **overrides}, honeypot=None, ip="198.51.100.7")


class TestWebTicket(FrappeTestCase):
	def setUp(self):
		frappe.cache.delete_keys("pw_helpdesk:rl:")
		set_settings(rate_limit_email_count=5, rate_limit_ip_count=20)

	def test_creates_an_open_medium_issue_of_the_mapped_type(self):
		out = web_ticket()
		issue = frappe.get_doc("Issue", out["ticket"])
		self.assertEqual(out["status"], "Open")
		self.assertEqual(
			(issue.issue_type, issue.priority, issue.status, issue.raised_by),
			("Bug", "Medium", "Open", "jane@northwind.example"),
		)

	def test_records_page_url_and_channel(self):
		issue = frappe.get_doc("Issue", web_ticket()["ticket"])
		self.assertEqual(issue.pw_page_url, "https://performancewest.net/filing")
		self.assertEqual(issue.pw_channel, "Web Widget")

	def test_description_is_escaped_html_with_line_breaks(self):
		description = frappe.db.get_value("Issue", web_ticket()["ticket"], "description")
		self.assertNotIn("<script", description)
		self.assertNotIn("<b>", description)
		self.assertIn("&lt;b&gt;bold&lt;/b&gt;", description)
		self.assertIn("<br>", description)

	def test_links_the_customer_of_the_only_contact(self):
		make_customer("Intake Single Co", "solo@single.example")
		issue = frappe.get_doc("Issue", web_ticket(email="solo@single.example")["ticket"])
		self.assertEqual(issue.customer, "Intake Single Co")

	def test_leaves_customer_empty_when_the_address_belongs_to_two(self):
		make_customer("Intake Twin A", "shared@twins.example")
		make_customer("Intake Twin B", "shared@twins.example")
		issue = frappe.get_doc("Issue", web_ticket(email="shared@twins.example")["ticket"])
		self.assertFalse(issue.customer)

	def test_bad_field_raises_a_400_naming_it(self):
		with self.assertRaises(TicketFieldError) as caught:
			web_ticket(category="complaint")
		self.assertEqual(caught.exception.http_status_code, 400)
		self.assertIn("category", str(caught.exception))

	def test_bad_input_creates_nothing(self):
		before = frappe.db.count("Issue")
		with self.assertRaises(TicketFieldError):
			web_ticket(email="nope")
		self.assertEqual(frappe.db.count("Issue"), before)

	def test_honeypot_creates_no_issue(self):
		before = frappe.db.count("Issue")
		out = tickets.create_web_ticket(FIELDS, honeypot="http://spam.example", ip="198.51.100.8")
		self.assertIsNone(out["ticket"])
		self.assertEqual(frappe.db.count("Issue"), before)

	def test_same_idempotency_key_returns_the_first_ticket(self):
		first = web_ticket(idempotency_key="abc-123")
		again = web_ticket(idempotency_key="abc-123", subject="changed")
		self.assertEqual(first["ticket"], again["ticket"])
		self.assertEqual(frappe.db.count("Issue", {"name": first["ticket"]}), 1)

	def test_idempotency_key_older_than_a_day_opens_a_new_ticket(self):
		first = web_ticket(idempotency_key="old-key")
		key = frappe.db.get_value("PW Dedup Key", {"issue": first["ticket"]})
		frappe.db.set_value("PW Dedup Key", key, "modified", "2020-01-01 00:00:00", update_modified=False)
		self.assertNotEqual(web_ticket(idempotency_key="old-key")["ticket"], first["ticket"])

	def test_email_rate_limit_answers_429_with_retry_after(self):
		set_settings(rate_limit_email_count=2, rate_limit_email_seconds=600)
		web_ticket(email="burst@example.com")
		web_ticket(email="burst@example.com")
		with self.assertRaises(TooManyTickets) as caught:
			web_ticket(email="burst@example.com")
		self.assertEqual(caught.exception.http_status_code, 429)
		self.assertTrue(0 < frappe.local.pw_retry_after <= 600)

	def test_acknowledgement_is_queued_threaded_and_auto_replied(self):
		make_outgoing_account()
		name = web_ticket()["ticket"]
		tickets.send_acknowledgement(name, "Jane")
		queued = frappe.get_last_doc("Email Queue", filters={"reference_name": name})
		self.assertEqual(queued.reference_doctype, "Issue")
		self.assertIn(f"[{name}]", queued.message)
		self.assertIn("Auto-Submitted: auto-replied", queued.message)
		self.assertEqual([r.recipient for r in queued.recipients], ["jane@northwind.example"])


class TestScriptAlerts(FrappeTestCase):
	def alert(self, **kw):
		args = {
			"title": "Backup failed",
			"details": "disk full",
			"source": "backup.sh",
			"fingerprint": "bk-1",
			**kw,
		}
		# Unique per run: dedup keys are committed (on their own connection) and outlive the test.
		args["fingerprint"] = f"{args['fingerprint']}-{RUN}"
		return alerts.raise_alert(**args)

	def test_alert_opens_a_high_bug(self):
		issue = frappe.get_doc("Issue", self.alert(fingerprint="fp-new"))
		self.assertEqual(
			(issue.priority, issue.issue_type, issue.pw_channel), ("High", "Bug", "Script Alert")
		)
		self.assertEqual(issue.pw_occurrences, 1)

	def test_repeat_while_open_comments_and_counts(self):
		first = self.alert(fingerprint="fp-repeat")
		second = self.alert(fingerprint="fp-repeat", details="disk still full")
		self.assertEqual(first, second)
		self.assertEqual(frappe.db.get_value("Issue", first, "pw_occurrences"), 2)
		comments = frappe.get_all(
			"Comment", filters={"reference_name": first, "comment_type": "Comment"}, pluck="content"
		)
		self.assertTrue(any("disk still full" in c for c in comments))

	def test_repeat_after_resolution_opens_a_new_issue(self):
		first = self.alert(fingerprint="fp-resolved")
		frappe.db.set_value("Issue", first, "status", "Resolved")
		self.assertNotEqual(self.alert(fingerprint="fp-resolved"), first)

	def test_unknown_priority_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			self.alert(priority="Whenever")

	def test_account_broken_is_deduplicated_per_account(self):
		a = alerts.alert_account_broken(f"imap:crtc@{RUN}.example", "auth failed")
		b = alerts.alert_account_broken(f"imap:crtc@{RUN}.example", "auth failed again")
		c = alerts.alert_account_broken(f"imap:noc@{RUN}.example", "auth failed")
		self.assertEqual(a, b)
		self.assertNotEqual(a, c)

	def test_guest_cannot_raise_alerts(self):
		frappe.set_user("Guest")
		try:
			with self.assertRaises(frappe.PermissionError):
				api.raise_alert("t", "d", "s")
		finally:
			frappe.set_user("Administrator")

	def test_user_without_the_reporter_role_cannot_raise_alerts(self):
		user = "pw-no-role@example.com"
		if not frappe.db.exists("User", user):
			frappe.get_doc({"doctype": "User", "email": user, "first_name": "NoRole"}).insert(
				ignore_permissions=True
			)
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				api.raise_alert("t", "d", "s")
		finally:
			frappe.set_user("Administrator")


class TestAutomationFailures(FrappeTestCase):
	def setUp(self):
		self.todo = frappe.get_doc({"doctype": "ToDo", "description": "formation step"}).insert()

	def test_failure_links_the_document_and_comments_on_it(self):
		name = alerts.report_automation_failure("ToDo", self.todo.name, "Traceback: boom", step="file")
		issue = frappe.get_doc("Issue", name)
		self.assertEqual((issue.pw_reference_doctype, issue.pw_reference_name), ("ToDo", self.todo.name))
		self.assertEqual((issue.priority, issue.issue_type), ("High", "Bug"))
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "ToDo", "reference_name": self.todo.name},
			pluck="content",
		)
		self.assertTrue(any(name in c for c in comments))

	def test_deduplicated_per_document_and_step(self):
		a = alerts.report_automation_failure("ToDo", self.todo.name, "e1", step="file")
		b = alerts.report_automation_failure("ToDo", self.todo.name, "e2", step="file")
		c = alerts.report_automation_failure("ToDo", self.todo.name, "e3", step="pay")
		self.assertEqual(a, b)
		self.assertNotEqual(a, c)

	def test_missing_document_is_a_clear_error(self):
		with self.assertRaisesRegex(frappe.DoesNotExistError, "reference_name"):
			alerts.report_automation_failure("ToDo", "no-such-todo", "e")
