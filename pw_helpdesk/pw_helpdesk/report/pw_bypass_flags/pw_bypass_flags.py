"""Off-platform flags by customer and review outcome, with each customer's suspension state."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum


def execute(filters=None):
	columns = [
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 220,
		},
		{"fieldname": "flags", "label": _("Flags"), "fieldtype": "Int", "width": 80},
		{"fieldname": "pending", "label": _("Pending Review"), "fieldtype": "Int", "width": 120},
		{"fieldname": "confirmed", "label": _("Confirmed"), "fieldtype": "Int", "width": 100},
		{"fieldname": "false_positive", "label": _("False Positive"), "fieldtype": "Int", "width": 120},
		{"fieldname": "escalated", "label": _("Escalated"), "fieldtype": "Int", "width": 100},
		{"fieldname": "last_flagged", "label": _("Last Flagged"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "suspended", "label": _("Suspended"), "fieldtype": "Check", "width": 100},
	]
	return columns, rows()


def rows() -> list[dict]:
	flag = frappe.qb.DocType("PW Bypass Flag")
	customer = frappe.qb.DocType("Customer")

	def outcome(value):
		return Sum(Case().when(flag.review_outcome == value, 1).else_(0))

	query = (
		frappe.qb.from_(flag)
		.left_join(customer)
		.on(customer.name == flag.customer)
		.select(
			flag.customer,
			Count("*").as_("flags"),
			outcome("Pending Review").as_("pending"),
			outcome("Confirmed").as_("confirmed"),
			outcome("False Positive").as_("false_positive"),
			Sum(flag.escalated).as_("escalated"),
			Max(flag.creation).as_("last_flagged"),
			Max(customer.pw_accounting_suspended).as_("suspended"),
		)
		.groupby(flag.customer)
		.orderby(Max(flag.creation), order=frappe.qb.desc)
	)
	return query.run(as_dict=True)
