"""Install/migrate fixtures, settings defaults and demo data, inside a real ERPNext site."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.fixtures import sync_fixtures

from pw_helpdesk.setup.install import SETTINGS, after_migrate

ISSUE_TYPES = {
	"Sales Inquiry",
	"Support",
	"Bug",
	"Feature Request",
	"CRTC Correspondence",
	"Compliance Alert",
	"Accounting Support",
}
PRIORITIES = {"Low", "Medium", "High", "Urgent"}


def count(doctype: str, names: set[str]) -> dict[str, int]:
	rows = frappe.get_all(doctype, filters={"name": ("in", list(names))}, pluck="name")
	return {name: rows.count(name) for name in names}


class TestFixtures(FrappeTestCase):
	def test_install_creates_the_seven_issue_types(self):
		self.assertEqual(count("Issue Type", ISSUE_TYPES), dict.fromkeys(ISSUE_TYPES, 1))

	def test_install_creates_the_four_priorities(self):
		self.assertEqual(count("Issue Priority", PRIORITIES), dict.fromkeys(PRIORITIES, 1))

	def test_migrate_twice_leaves_one_of_each(self):
		for _ in range(2):
			sync_fixtures("pw_helpdesk")
			after_migrate()
		self.assertEqual(count("Issue Type", ISSUE_TYPES), dict.fromkeys(ISSUE_TYPES, 1))
		self.assertEqual(count("Issue Priority", PRIORITIES), dict.fromkeys(PRIORITIES, 1))
		singles = frappe.qb.DocType("Singles")
		rows = (
			frappe.qb.from_(singles)
			.select(singles.value)
			.where((singles.doctype == SETTINGS) & (singles.field == "auto_close_days"))
			.run()
		)
		self.assertEqual(len(rows), 1)


class TestSettingsDefaults(FrappeTestCase):
	def setUp(self):
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def test_defaults_are_stored_on_install(self):
		stored = frappe.db.get_singles_dict(SETTINGS)
		self.assertEqual(int(stored.get("auto_close_days")), 7)
		self.assertEqual(
			stored.get("platform_domains").split("\n"), ["performancewest.net", "carrierone.com"]
		)

	def test_migrate_keeps_an_admins_choice(self):
		frappe.db.set_single_value(SETTINGS, "auto_close_days", 3)
		after_migrate()
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "auto_close_days"), 3)

	def test_invalid_admin_email_is_refused(self):
		settings = frappe.get_doc(SETTINGS)
		settings.admin_emails = "ops@performancewest.net\nnot-an-address"
		with self.assertRaisesRegex(frappe.ValidationError, "not-an-address"):
			settings.save()

	def test_admin_recipients_merge_users_and_addresses(self):
		settings = frappe.get_doc(SETTINGS)
		settings.admin_emails = "ops@performancewest.net, Administrator@example.com"
		settings.set("admin_users", [{"user": "Administrator"}])
		settings.save()
		admin_email = frappe.db.get_value("User", "Administrator", "email")
		recipients = settings.admin_recipients()
		self.assertEqual(recipients[0], admin_email)
		self.assertIn("ops@performancewest.net", recipients)
		self.assertEqual(len(recipients), len(set(recipients)))


class TestWorkspace(FrappeTestCase):
	def test_workspace_links_issue_types_and_settings(self):
		ws = frappe.get_doc("Workspace", "PW Helpdesk")
		urls = {s.url for s in ws.shortcuts if s.url}
		self.assertIn("/app/issue?issue_type=CRTC%20Correspondence", urls)
		self.assertIn("PW Helpdesk Settings", {s.link_to for s in ws.shortcuts})
