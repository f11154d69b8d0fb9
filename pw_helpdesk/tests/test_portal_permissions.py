"""Customer A's portal user tries every path to customer B's Issues, messages and files: zero leaks."""

import frappe
import frappe.client
from frappe.tests.utils import FrappeTestCase

from pw_helpdesk.portal import api as portal_api
from pw_helpdesk.tests.utils import make_portal_user

A_USER, B_USER = "a-user@perm-a.example", "b-user@perm-b.example"


def issue_for(customer: str, raised_by: str, subject: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"customer": customer,
				"raised_by": raised_by,
				"issue_type": "Support",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class PortalCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_portal_user("Perm Customer A", A_USER)
		make_portal_user("Perm Customer B", B_USER)
		cls.a_issue = issue_for("Perm Customer A", A_USER, "A's ticket")
		cls.b_issue = issue_for("Perm Customer B", B_USER, "B's secret ticket")
		cls.b_comm = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": B_USER,
				"content": "B's secret message",
				"reference_doctype": "Issue",
				"reference_name": cls.b_issue,
			}
		).insert(ignore_permissions=True)
		cls.b_comment = frappe.get_doc("Issue", cls.b_issue).add_comment("Comment", "B's internal note")
		cls.b_file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "b-secret.txt",
				"attached_to_doctype": "Issue",
				"attached_to_name": cls.b_issue,
				"is_private": 1,
				"content": b"secret",
			}
		).insert(ignore_permissions=True)

	def setUp(self):
		frappe.set_user(A_USER)

	def tearDown(self):
		frappe.set_user("Administrator")


class TestIssueReads(PortalCase):
	def test_get_list_shows_only_own_issues(self):
		names = frappe.get_list("Issue", pluck="name", limit_page_length=0)
		self.assertIn(self.a_issue, names)
		self.assertNotIn(self.b_issue, names)

	def test_client_get_list_filtered_to_other_issue_is_empty(self):
		self.assertEqual(frappe.client.get_list("Issue", filters={"name": self.b_issue}), [])

	def test_client_get_of_other_issue_is_refused(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Issue", self.b_issue)

	def test_client_get_of_own_issue_works(self):
		self.assertEqual(frappe.client.get("Issue", self.a_issue)["subject"], "A's ticket")

	def test_client_get_value_of_other_issue_reveals_nothing(self):
		try:
			value = frappe.client.get_value("Issue", "subject", {"name": self.b_issue})
		except frappe.PermissionError:
			value = None
		self.assertFalse(value)

	def test_client_get_count_counts_only_own(self):
		# What /api/method/frappe.client.get_count runs: the override from hooks.py.
		hook = frappe.get_hooks("override_whitelisted_methods")["frappe.client.get_count"][-1]
		get_count = frappe.get_attr(hook)
		self.assertEqual(get_count("Issue", filters={"name": self.b_issue}), 0)
		self.assertEqual(get_count("Issue", filters={"name": self.a_issue}), 1)
		self.assertEqual(get_count("Communication", filters={"reference_name": self.b_issue}), 0)

	def test_has_permission_on_other_issue_is_false(self):
		self.assertFalse(frappe.has_permission("Issue", "read", doc=self.b_issue))

	def test_website_permission_on_other_issue_is_false(self):
		self.assertFalse(frappe.has_website_permission(frappe.get_doc("Issue", self.b_issue), user=A_USER))


class TestIssueWrites(PortalCase):
	def test_cannot_change_priority_of_own_issue(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value("Issue", self.a_issue, "priority", "Urgent")

	def test_cannot_change_status_of_own_issue(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value("Issue", self.a_issue, "status", "Closed")

	def test_cannot_delete_own_issue(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.client.delete("Issue", self.a_issue)

	def test_cannot_reply_on_other_issue(self):
		with self.assertRaises(frappe.PermissionError):
			portal_api.reply(self.b_issue, "let me in")


class TestMessagesAndFiles(PortalCase):
	def test_communications_of_other_issue_are_not_listed(self):
		try:
			rows = frappe.client.get_list("Communication", filters={"reference_name": self.b_issue})
		except frappe.PermissionError:
			rows = []
		self.assertEqual(rows, [])

	def test_communication_of_other_issue_is_refused(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Communication", self.b_comm.name)

	def test_comments_of_other_issue_are_not_listed(self):
		try:
			rows = frappe.client.get_list(
				"Comment", filters={"reference_name": self.b_issue}, fields=["content"]
			)
		except frappe.PermissionError:
			rows = []
		self.assertEqual(rows, [])

	def test_comment_of_other_issue_is_refused(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Comment", self.b_comment.name)

	def test_private_file_of_other_issue_is_refused(self):
		self.assertFalse(frappe.has_permission("File", "read", doc=self.b_file.name))

	def test_file_list_hides_other_issue_files(self):
		try:
			rows = frappe.client.get_list("File", filters={"attached_to_name": self.b_issue})
		except frappe.PermissionError:
			rows = []
		self.assertEqual(rows, [])


class TestPortalReply(PortalCase):
	def test_reply_on_own_issue_is_a_received_communication(self):
		out = portal_api.reply(self.a_issue, "Here is more detail")
		comm = frappe.get_doc("Communication", out["communication"])
		self.assertEqual((comm.sent_or_received, comm.sender), ("Received", A_USER))
		self.assertEqual(out["status"], "Open")

	def test_reply_notifies_the_assigned_agent(self):
		from frappe.desk.form.assign_to import add as assign

		frappe.set_user("Administrator")
		assign({"doctype": "Issue", "name": self.a_issue, "assign_to": ["Administrator"]})
		frappe.set_user(A_USER)
		portal_api.reply(self.a_issue, "Any news?")
		frappe.set_user("Administrator")
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{
					"for_user": "Administrator",
					"document_name": self.a_issue,
					"subject": ["like", "%replied%"],
				},
			)
		)

	def test_new_issue_from_portal_is_medium_open_for_the_customer(self):
		out = portal_api.create_issue("Portal ticket", "Please help", "support")
		frappe.set_user("Administrator")
		issue = frappe.get_doc("Issue", out["issue"])
		self.assertEqual(
			(issue.customer, issue.priority, issue.status), ("Perm Customer A", "Medium", "Open")
		)

	def test_agent_sees_all_issues(self):
		frappe.set_user("Administrator")
		names = frappe.get_list("Issue", pluck="name", limit_page_length=0)
		self.assertIn(self.a_issue, names)
		self.assertIn(self.b_issue, names)
