"""CRTC mailboxes by health: lag since the last successful poll, failures, last error."""

import frappe
from frappe import _
from frappe.utils import now_datetime, time_diff_in_seconds


def execute(filters=None):
	columns = [
		{
			"fieldname": "mailbox",
			"label": _("Mailbox"),
			"fieldtype": "Link",
			"options": "PW CRTC Mailbox",
			"width": 260,
		},
		{
			"fieldname": "client",
			"label": _("Client"),
			"fieldtype": "Link",
			"options": "PW CRTC Client",
			"width": 160,
		},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 80},
		{"fieldname": "lag_minutes", "label": _("Minutes Since Success"), "fieldtype": "Float", "width": 150},
		{"fieldname": "consecutive_failures", "label": _("Failures"), "fieldtype": "Int", "width": 80},
		{"fieldname": "last_success", "label": _("Last Success"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "last_error", "label": _("Last Error"), "fieldtype": "Data", "width": 360},
	]
	now = now_datetime()
	rows = frappe.get_all(
		"PW CRTC Mailbox",
		filters={"enabled": 1},
		fields=[
			"name as mailbox",
			"client",
			"priority",
			"consecutive_failures",
			"last_success",
			"last_error",
		],
	)
	for row in rows:
		row.lag_minutes = (
			round(time_diff_in_seconds(now, row.last_success) / 60, 1) if row.last_success else None
		)
	# Worst first: never succeeded, then the longest lag, then the most failures.
	rows.sort(
		key=lambda r: (r.lag_minutes is not None, -(r.lag_minutes or 0), -(r.consecutive_failures or 0))
	)
	return columns, rows
