import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import check_password

from pw_helpdesk.setup.demo import DEMO_CUSTOMERS, DEMO_ISSUES, DEMO_PASSWORD, make_demo_data


class TestDemoData(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_demo_data()

	def test_each_customer_has_a_contact_with_a_portal_user(self):
		for spec in DEMO_CUSTOMERS:
			contact = frappe.get_doc("Contact", {"email_id": spec["email"]})
			self.assertEqual(contact.user, spec["email"])
			self.assertEqual([link.link_name for link in contact.links], [spec["customer"]])
			self.assertEqual(frappe.db.get_value("User", spec["email"], "user_type"), "Website User")

	def test_portal_password_is_the_documented_one(self):
		self.assertEqual(
			check_password(DEMO_CUSTOMERS[0]["email"], DEMO_PASSWORD), DEMO_CUSTOMERS[0]["email"]
		)

	def test_running_it_again_creates_nothing_more(self):
		before = frappe.db.count("Issue")
		make_demo_data()
		self.assertEqual(frappe.db.count("Issue"), before)
		for spec in DEMO_CUSTOMERS:
			self.assertEqual(frappe.db.count("Issue", {"customer": spec["customer"]}), len(DEMO_ISSUES))
