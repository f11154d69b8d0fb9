"""Status rules and auto-close inside a real site."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from pw_helpdesk.lifecycle import auto_close
from pw_helpdesk.tests.utils import make_outgoing_account, set_settings


def make_issue(status="Open", issue_type="Support", **values) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": "Lifecycle test",
			"raised_by": "client@lifecycle.example",
			"issue_type": issue_type,
			"priority": "Medium",
			**values,
		}
	).insert(ignore_permissions=True)
	if status != "Open":
		doc.status = status
		doc.save(ignore_permissions=True)
	return doc.name


def message(issue: str, received: bool, automatic: bool = False, content: str = "Hello"):
	return frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received" if received else "Sent",
			"sender": "client@lifecycle.example" if received else "agent@performancewest.net",
			"subject": "Re: Lifecycle test",
			"content": content,
			"reference_doctype": "Issue",
			"reference_name": issue,
			"pw_automatic": int(automatic),
		}
	).insert(ignore_permissions=True)


def status(issue: str) -> str:
	return frappe.db.get_value("Issue", issue, "status")


class TestStatusRules(FrappeTestCase):
	def setUp(self):
		set_settings(reopen_grace_days=7)

	def test_agent_reply_sets_replied_and_stamps(self):
		issue = make_issue()
		message(issue, received=False)
		self.assertEqual(status(issue), "Replied")
		self.assertIsNotNone(frappe.db.get_value("Issue", issue, "pw_last_agent_reply"))

	def test_customer_reply_sets_open_and_stamps(self):
		issue = make_issue("Replied")
		message(issue, received=True)
		self.assertEqual(status(issue), "Open")
		self.assertIsNotNone(frappe.db.get_value("Issue", issue, "pw_last_customer_reply"))

	def test_customer_reply_reopens_on_hold(self):
		issue = make_issue("On Hold")
		message(issue, received=True)
		self.assertEqual(status(issue), "Open")

	def test_customer_reply_reopens_resolved_within_grace(self):
		issue = make_issue("Resolved")
		message(issue, received=True)
		self.assertEqual(status(issue), "Open")

	def test_customer_reply_to_closed_opens_a_linked_follow_up(self):
		issue = make_issue("Closed", customer=None)
		comm = message(issue, received=True, content="Another question")
		self.assertEqual(status(issue), "Closed")
		follow_up = frappe.get_doc("Issue", {"pw_follow_up_of": issue})
		self.assertEqual((follow_up.status, follow_up.issue_type), ("Open", "Support"))
		self.assertEqual(frappe.db.get_value("Communication", comm.name, "reference_name"), follow_up.name)
		comments = frappe.get_all("Comment", filters={"reference_name": issue}, pluck="content")
		self.assertTrue(any(follow_up.name in c for c in comments))

	def test_customer_reply_to_resolved_after_grace_opens_a_follow_up(self):
		issue = make_issue("Resolved")
		frappe.db.set_value("Issue", issue, "pw_resolved_on", add_to_date(now_datetime(), days=-8))
		message(issue, received=True)
		self.assertEqual(status(issue), "Resolved")
		self.assertTrue(frappe.db.exists("Issue", {"pw_follow_up_of": issue}))

	def test_automatic_mail_changes_no_status(self):
		for before in ("Replied", "Closed", "Resolved"):
			issue = make_issue(before)
			message(issue, received=True, automatic=True)
			self.assertEqual(status(issue), before)
			self.assertFalse(frappe.db.exists("Issue", {"pw_follow_up_of": issue}))

	def test_resolving_stamps_the_resolution_time(self):
		issue = make_issue("Resolved")
		self.assertIsNotNone(frappe.db.get_value("Issue", issue, "pw_resolved_on"))


class TestAutoClose(FrappeTestCase):
	def setUp(self):
		make_outgoing_account()
		set_settings(
			auto_close_days=7, auto_close_warning_hours=24, auto_close_excluded_types="Compliance Alert"
		)

	def replied(self, agent_days_ago: float, customer_days_ago: float | None = None, **kw) -> str:
		issue = make_issue("Replied", **kw)
		now = now_datetime()
		frappe.db.set_value(
			"Issue",
			issue,
			{
				"pw_last_agent_reply": now - timedelta(days=agent_days_ago),
				"pw_last_customer_reply": (
					now - timedelta(days=customer_days_ago) if customer_days_ago is not None else None
				),
			},
		)
		return issue

	def actions(self, dry_run=False) -> dict[str, str]:
		return {name: action for name, action, _ in auto_close.run(dry_run=dry_run)}

	def test_due_issue_is_warned_first(self):
		issue = self.replied(6.5)
		self.assertEqual(self.actions().get(issue), "warn")
		self.assertIsNotNone(frappe.db.get_value("Issue", issue, "pw_close_warning_sent"))
		self.assertEqual(status(issue), "Replied")
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": issue}))

	def test_warned_issue_is_closed_after_the_warning_period(self):
		issue = self.replied(8)
		frappe.db.set_value("Issue", issue, "pw_close_warning_sent", add_to_date(now_datetime(), hours=-25))
		self.assertEqual(self.actions().get(issue), "close")
		self.assertEqual(status(issue), "Closed")
		comments = frappe.get_all("Comment", filters={"reference_name": issue}, pluck="content")
		self.assertTrue(any("Closed automatically" in c for c in comments))

	def test_not_closed_until_warned_long_enough(self):
		issue = self.replied(30)
		frappe.db.set_value("Issue", issue, "pw_close_warning_sent", add_to_date(now_datetime(), hours=-2))
		self.assertNotIn(issue, self.actions())
		self.assertEqual(status(issue), "Replied")

	def test_not_due_issue_is_untouched(self):
		issue = self.replied(2)
		self.assertNotIn(issue, self.actions())

	def test_excluded_type_is_never_closed(self):
		issue = self.replied(30, issue_type="Compliance Alert")
		self.assertNotIn(issue, self.actions())

	def test_customer_reply_after_warning_cancels_the_close(self):
		issue = self.replied(8)
		frappe.db.set_value("Issue", issue, "pw_close_warning_sent", add_to_date(now_datetime(), hours=-25))
		message(issue, received=True)
		self.assertNotIn(issue, self.actions())
		self.assertEqual(status(issue), "Open")
		self.assertIsNone(frappe.db.get_value("Issue", issue, "pw_close_warning_sent"))

	def test_edit_does_not_reset_the_clock(self):
		issue = self.replied(8)
		frappe.db.set_value("Issue", issue, "pw_close_warning_sent", add_to_date(now_datetime(), hours=-25))
		doc = frappe.get_doc("Issue", issue)
		doc.priority = "High"
		doc.save(ignore_permissions=True)
		self.assertEqual(self.actions().get(issue), "close")

	def test_zero_days_switches_it_off(self):
		issue = self.replied(30)
		set_settings(auto_close_days=0)
		self.assertEqual(self.actions(), {})
		self.assertEqual(status(issue), "Replied")

	def test_dry_run_changes_nothing(self):
		issue = self.replied(8)
		frappe.db.set_value("Issue", issue, "pw_close_warning_sent", add_to_date(now_datetime(), hours=-25))
		self.assertEqual(self.actions(dry_run=True).get(issue), "close")
		self.assertEqual(status(issue), "Replied")

	def test_resolved_issue_past_the_limit_is_closed_after_warning(self):
		issue = make_issue("Resolved")
		frappe.db.set_value(
			"Issue",
			issue,
			{
				"pw_resolved_on": add_to_date(now_datetime(), days=-9),
				"pw_close_warning_sent": add_to_date(now_datetime(), hours=-30),
			},
		)
		self.assertEqual(self.actions().get(issue), "close")

	def test_erpnext_job_is_stopped(self):
		stopped = frappe.get_all(
			"Scheduled Job Type", filters={"method": auto_close.ERPNEXT_JOB}, pluck="stopped"
		)
		self.assertEqual(stopped, [1])
