"""The compliance monitor inside a real site: inline and sweep paths, actions, escalation, review."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from pw_helpdesk.compliance import actions, api, monitor
from pw_helpdesk.portal import api as portal_api
from pw_helpdesk.portal.holds import AccountingSuspended
from pw_helpdesk.tests.utils import make_outgoing_account, make_portal_user

BYPASS = "Can you just call me at 416-555-0123 instead? Easier than this portal."
CLEAN = "Thanks, the invoice INV-2026-0042 for $1,250.00 looks right."


class ComplianceCase(FrappeTestCase):
	customer = "Compliance Co"
	user = "client@compliance-co.example"

	def setUp(self):
		make_outgoing_account()
		make_portal_user(self.customer, self.user)
		frappe.db.set_value("Customer", self.customer, "pw_accounting_suspended", 0)
		frappe.db.delete("PW Bypass Flag", {"customer": self.customer})
		# FrappeTestCase rolls back per class: earlier tests' unscanned messages must not leak in.
		comm = frappe.qb.DocType("Communication")
		frappe.qb.update(comm).set(comm.pw_bypass_pending, 0).where(comm.pw_bypass_pending == 1).run()
		self.issue = self.accounting_issue()

	def tearDown(self):
		frappe.set_user("Administrator")

	def accounting_issue(self, issue_type="Accounting Support") -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Invoice question",
					"issue_type": issue_type,
					"customer": self.customer,
					"raised_by": self.user,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def client_message(self, content: str, issue: str | None = None, inline: bool = True):
		doc = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": self.user,
				"content": content,
				"reference_doctype": "Issue",
				"reference_name": issue or self.issue,
			}
		)
		if not inline:
			doc.flags.pw_skip_inline = True
		with (
			patch.object(monitor, "scan_inline", side_effect=lambda *a, **k: None) if not inline else _noop()
		):
			doc.insert(ignore_permissions=True)
		return doc

	def flag_now(self, content=BYPASS) -> str:
		with patch("frappe.enqueue"):
			comm = self.client_message(content)
		self.assertTrue(actions.process(comm.name))
		return comm.name

	def flags(self) -> list[str]:
		return frappe.get_all("PW Bypass Flag", filters={"customer": self.customer}, pluck="name")


class _noop:
	def __enter__(self):
		return self

	def __exit__(self, *exc):
		return False


class TestScanning(ComplianceCase):
	def test_client_message_on_accounting_issue_is_marked_pending(self):
		with patch("frappe.enqueue"):
			comm = self.client_message(BYPASS)
		self.assertEqual(frappe.db.get_value("Communication", comm.name, "pw_bypass_pending"), 1)

	def test_clean_message_is_cleared_inline(self):
		comm = self.client_message(CLEAN)
		self.assertEqual(frappe.db.get_value("Communication", comm.name, "pw_bypass_pending"), 0)
		self.assertEqual(self.flags(), [])

	def test_flagged_message_is_enqueued_inline(self):
		with patch("frappe.enqueue") as enqueue:
			comm = self.client_message(BYPASS)
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.kwargs["communication"], comm.name)

	def test_other_issue_types_are_not_scanned(self):
		issue = self.accounting_issue("Support")
		comm = self.client_message(BYPASS, issue=issue)
		self.assertEqual(frappe.db.get_value("Communication", comm.name, "pw_bypass_pending"), 0)

	def test_agent_messages_are_not_scanned(self):
		comm = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"content": BYPASS,
				"reference_doctype": "Issue",
				"reference_name": self.issue,
			}
		).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Communication", comm.name, "pw_bypass_pending"), 0)

	def test_quoted_mail_is_not_the_clients_words(self):
		content = "<p>Thanks, all clear now.</p><blockquote>Call me at 416-555-0123</blockquote>"
		self.assertEqual(monitor.scan(monitor.client_words(content)), [])

	def test_hook_error_never_fails_the_insert(self):
		with patch.object(monitor, "scan", side_effect=RuntimeError("detector broke")):
			comm = self.client_message(BYPASS)
		self.assertTrue(frappe.db.exists("Communication", comm.name))
		self.assertTrue(frappe.db.exists("Error Log", {"method": ["like", "%inline scan%"]}))


class TestActions(ComplianceCase):
	def test_flag_records_evidence_and_actions(self):
		flag = frappe.get_doc("PW Bypass Flag", self.flag_now())
		self.assertEqual((flag.issue, flag.customer, flag.kinds), (self.issue, self.customer, "phone"))
		self.assertIn("416-555-0123", flag.matches)
		self.assertTrue(flag.detector_version)
		self.assertIn("warning", flag.actions_taken)

	def test_warning_reply_is_in_the_thread_and_automatic(self):
		flag = frappe.get_doc("PW Bypass Flag", self.flag_now())
		warning = frappe.get_doc("Communication", flag.warning_communication)
		self.assertEqual(
			(warning.reference_name, warning.sent_or_received, warning.pw_automatic), (self.issue, "Sent", 1)
		)
		queued = frappe.get_last_doc("Email Queue", filters={"communication": warning.name})
		self.assertIn("Auto-Submitted: auto-replied", queued.message)

	def test_first_flag_raises_a_high_compliance_alert(self):
		flag = frappe.get_doc("PW Bypass Flag", self.flag_now())
		alert = frappe.get_doc("Issue", flag.alert_issue)
		self.assertEqual((alert.issue_type, alert.priority), ("Compliance Alert", "High"))
		self.assertIn("416-555-0123", alert.description)
		self.assertFalse(frappe.db.get_value("Customer", self.customer, "pw_accounting_suspended"))

	def test_processing_twice_acts_once(self):
		name = self.flag_now()
		self.assertFalse(actions.process(name))
		self.assertEqual(len(self.flags()), 1)
		self.assertEqual(
			frappe.db.count("Issue", {"pw_reference_name": self.issue, "issue_type": "Compliance Alert"}), 1
		)

	def test_repeat_is_urgent_and_suspends(self):
		self.flag_now()
		second = frappe.get_doc(
			"PW Bypass Flag", self.flag_now("Send it by Zelle to my personal account please")
		)
		self.assertEqual(frappe.db.get_value("Issue", second.alert_issue, "priority"), "Urgent")
		self.assertTrue(second.escalated)
		self.assertEqual(frappe.db.get_value("Customer", self.customer, "pw_accounting_suspended"), 1)
		self.assertEqual(frappe.db.get_value("Issue", self.issue, "pw_customer_suspended"), 1)

	def test_false_positive_does_not_count_as_repeat(self):
		api.mark_false_positive(self.flag_now(), "It was our own office number")
		second = frappe.get_doc("PW Bypass Flag", self.flag_now())
		self.assertFalse(second.escalated)
		self.assertEqual(frappe.db.get_value("Issue", second.alert_issue, "priority"), "High")

	def test_review_is_audit_logged(self):
		name = self.flag_now()
		api.mark_false_positive(name, "our number")
		self.assertTrue(frappe.db.exists("Version", {"ref_doctype": "PW Bypass Flag", "docname": name}))


class TestReport(ComplianceCase):
	def test_report_counts_flags_by_customer_and_outcome(self):
		from pw_helpdesk.pw_helpdesk.report.pw_bypass_flags.pw_bypass_flags import execute

		api.mark_false_positive(self.flag_now(), "ours")
		self.flag_now()
		rows = {r["customer"]: r for r in execute()[1]}
		row = rows[self.customer]
		self.assertEqual((row["flags"], row["pending"], row["false_positive"]), (2, 1, 1))


class TestSweep(ComplianceCase):
	def test_sweep_catches_a_message_missed_inline(self):
		comm = self.client_message(BYPASS, inline=False)
		self.assertEqual(monitor.sweep()["flagged"], 1)
		self.assertEqual(self.flags(), [comm.name])
		self.assertEqual(frappe.db.get_value("PW Bypass Flag", comm.name, "detected_via"), "Sweep")

	def test_second_sweep_flags_nothing_again(self):
		self.client_message(BYPASS, inline=False)
		monitor.sweep()
		self.assertEqual(monitor.sweep(), {"scanned": 0, "flagged": 0})
		self.assertEqual(len(self.flags()), 1)

	def test_sweep_skips_closed_issues(self):
		self.client_message(BYPASS, inline=False)
		frappe.db.set_value("Issue", self.issue, "status", "Closed")
		self.assertNotIn(
			self.issue, [frappe.db.get_value("Communication", c, "reference_name") for c in monitor.pending()]
		)

	def test_one_failing_message_does_not_stop_the_sweep(self):
		bad = self.client_message(BYPASS, inline=False)
		good = self.client_message("My personal email is jo.client@gmail.com", inline=False)
		real = actions.process

		def flaky(name, via="Inline"):
			if name == bad.name:
				raise RuntimeError("boom")
			return real(name, via)

		with patch("pw_helpdesk.compliance.actions.process", side_effect=flaky):
			counts = monitor.sweep()
		self.assertEqual(counts["flagged"], 1)
		self.assertEqual(self.flags(), [good.name])


class TestSuspension(ComplianceCase):
	def suspend(self):
		actions.suspend(self.customer, "test")

	def test_portal_reply_on_accounting_issue_is_refused(self):
		self.suspend()
		frappe.set_user(self.user)
		with self.assertRaises(AccountingSuspended):
			portal_api.reply(self.issue, "hello?")

	def test_portal_cannot_open_accounting_issue(self):
		self.suspend()
		frappe.set_user(self.user)
		with self.assertRaises(AccountingSuspended):
			portal_api.create_issue("New invoice question", "hi", "accounting")

	def test_portal_can_still_open_support_issue(self):
		self.suspend()
		frappe.set_user(self.user)
		self.assertTrue(portal_api.create_issue("Other question", "hi", "support")["issue"])

	def test_email_is_recorded_but_held(self):
		self.suspend()
		frappe.db.set_value("Issue", self.issue, "status", "Replied")
		comm = self.client_message(CLEAN)
		self.assertEqual(frappe.db.get_value("Communication", comm.name, "pw_held_for_review"), 1)
		self.assertEqual(frappe.db.get_value("Issue", self.issue, "status"), "Replied")

	def test_lifting_restores_access_and_is_logged(self):
		self.suspend()
		api.lift_suspension(self.customer, "Reviewed with the client")
		self.assertEqual(frappe.db.get_value("Customer", self.customer, "pw_accounting_suspended"), 0)
		frappe.set_user(self.user)
		self.assertTrue(portal_api.reply(self.issue, "thanks")["communication"])
		frappe.set_user("Administrator")
		comments = frappe.get_all("Comment", filters={"reference_name": self.customer}, pluck="content")
		self.assertTrue(any("Reviewed with the client" in c for c in comments))

	def test_only_reviewers_lift(self):
		self.suspend()
		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			api.lift_suspension(self.customer, "let me out")
