"""The mail flow watchdog: one alert Issue per problem, a recovery note when it goes away."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from pw_helpdesk.mail import watchdog
from pw_helpdesk.tests.utils import make_outgoing_account

INBOX = "PW Mail Inbox"


def healthy():
	"""Everything fine: scheduler on and recently running, inbox polled, no old unsent mail."""
	frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
	frappe.db.set_single_value("System Settings", "dormant_days", 36500)
	watchdog.forget_system_settings()
	for method in watchdog.HEARTBEAT_JOBS:
		frappe.db.set_value("Scheduled Job Type", {"method": method}, "last_execution", now_datetime())
	frappe.db.set_single_value(
		INBOX, {"enabled": 1, "last_poll_ok": now_datetime(), "poll_stale_minutes": 15}
	)
	frappe.db.set_single_value(INBOX, "queue_stale_minutes", 30)
	frappe.db.delete("Email Queue", {"status": "Not Sent"})


def alert_count(kind: str) -> int:
	return frappe.db.count("Issue", {"pw_fingerprint": f"mail-flow:{kind}"})


class TestWatchdog(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_account()

	def setUp(self):
		healthy()
		for kind in watchdog.KINDS:  # start from no open alert
			if issue := watchdog.open_alert(kind):
				frappe.db.set_value("Issue", issue, "status", "Closed")

	def test_healthy_flow_raises_nothing(self):
		self.assertEqual(watchdog.check(), dict.fromkeys(watchdog.KINDS, "ok"))

	def test_disabled_scheduler_raises_an_alert(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		self.assertEqual(watchdog.check()["scheduler"], "raised")
		self.assertIsNotNone(watchdog.open_alert("scheduler"))

	def test_stopped_scheduler_process_raises_an_alert(self):
		for method in watchdog.HEARTBEAT_JOBS:
			frappe.db.set_value(
				"Scheduled Job Type",
				{"method": method},
				"last_execution",
				add_to_date(now_datetime(), minutes=-20),
			)
		self.assertEqual(watchdog.check()["scheduler"], "raised")

	def test_repeated_check_keeps_one_alert_issue(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		before = alert_count("scheduler")
		watchdog.check()
		self.assertEqual(watchdog.check()["scheduler"], "still")
		self.assertEqual(alert_count("scheduler"), before + 1)

	def test_recovery_is_noted_on_the_alert_issue(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		watchdog.check()
		issue = watchdog.open_alert("scheduler")
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		self.assertEqual(watchdog.check()["scheduler"], "recovered")
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_name": issue,
					"comment_type": "Comment",
					"content": ("like", f"%{watchdog.RECOVERED}%"),
				},
			)
		)

	def test_recovery_is_noted_once(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		watchdog.check()
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		watchdog.check()
		self.assertEqual(watchdog.check()["scheduler"], "ok")

	def test_stale_poll_raises_an_alert(self):
		frappe.db.set_single_value(INBOX, "last_poll_ok", add_to_date(now_datetime(), minutes=-16))
		self.assertEqual(watchdog.check()["poll"], "raised")

	def test_disabled_inbox_is_not_watched(self):
		frappe.db.set_single_value(
			INBOX, {"enabled": 0, "last_poll_ok": add_to_date(now_datetime(), days=-1)}
		)
		self.assertEqual(watchdog.check()["poll"], "ok")

	def test_old_unsent_mail_raises_an_alert(self):
		frappe.sendmail(recipients=["x@example.com"], subject="stuck", message="m", delayed=True)
		row = frappe.get_last_doc("Email Queue")
		frappe.db.set_value("Email Queue", row.name, "creation", add_to_date(now_datetime(), minutes=-31))
		self.assertEqual(watchdog.check()["queue"], "raised")

	def test_fresh_unsent_mail_is_fine(self):
		frappe.sendmail(recipients=["x@example.com"], subject="fresh", message="m", delayed=True)
		self.assertEqual(watchdog.check()["queue"], "ok")

	def test_dormant_site_is_a_problem(self):
		frappe.db.set_single_value("System Settings", "dormant_days", 1)
		watchdog.forget_system_settings()
		later = add_to_date(now_datetime(), days=30)
		self.assertIn("dormant", watchdog.problems(now=later))

	def test_site_without_activity_is_kept_active(self):
		from frappe.utils.scheduler import is_dormant

		frappe.db.delete("Activity Log")
		watchdog.check()
		self.assertFalse(is_dormant())

	def test_install_keeps_the_site_awake(self):
		frappe.db.set_single_value("System Settings", "dormant_days", 4)
		watchdog.keep_scheduler_awake()
		self.assertEqual(frappe.db.get_single_value("System Settings", "dormant_days"), 36500)
