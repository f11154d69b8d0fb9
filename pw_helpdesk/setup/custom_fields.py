"""Custom Fields that pw_helpdesk adds to ERPNext's DocTypes, created on install and kept by migrate."""

from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

CHANNELS = "\n".join(
	[
		"",
		"Web Widget",
		"Contact Form",
		"API",
		"Email",
		"Portal",
		"Script Alert",
		"Automation",
		"CRTC Mailbox",
		"Compliance Monitor",
	]
)

CUSTOM_FIELDS = {
	"Issue": [
		{
			"fieldname": "pw_section",
			"fieldtype": "Section Break",
			"label": "PW Helpdesk",
			"insert_after": "description",
			"collapsible": 1,
		},
		{
			"fieldname": "pw_channel",
			"fieldtype": "Select",
			"label": "Channel",
			"options": CHANNELS,
			"insert_after": "pw_section",
			"read_only": 1,
			"in_standard_filter": 1,
		},
		{
			"fieldname": "pw_page_url",
			"fieldtype": "Small Text",
			"label": "Page URL",
			"insert_after": "pw_channel",
			"read_only": 1,
		},
		{
			"fieldname": "pw_source",
			"fieldtype": "Data",
			"label": "Alert Source",
			"insert_after": "pw_page_url",
			"read_only": 1,
		},
		{
			"fieldname": "pw_occurrences",
			"fieldtype": "Int",
			"label": "Occurrences",
			"insert_after": "pw_source",
			"read_only": 1,
			"description": "How many times the same alert or failure was reported while this Issue was open.",
		},
		{
			"fieldname": "pw_column_break",
			"fieldtype": "Column Break",
			"insert_after": "pw_occurrences",
		},
		{
			"fieldname": "pw_reference_doctype",
			"fieldtype": "Link",
			"label": "Failing Document Type",
			"options": "DocType",
			"insert_after": "pw_column_break",
			"read_only": 1,
		},
		{
			"fieldname": "pw_reference_name",
			"fieldtype": "Dynamic Link",
			"label": "Failing Document",
			"options": "pw_reference_doctype",
			"insert_after": "pw_reference_doctype",
			"read_only": 1,
			"search_index": 1,
		},
		{
			"fieldname": "pw_follow_up_of",
			"fieldtype": "Link",
			"label": "Follow-up of",
			"options": "Issue",
			"insert_after": "pw_reference_name",
			"read_only": 1,
		},
		{
			"fieldname": "pw_last_agent_reply",
			"fieldtype": "Datetime",
			"label": "Last Agent Reply",
			"insert_after": "pw_follow_up_of",
			"read_only": 1,
		},
		{
			"fieldname": "pw_last_customer_reply",
			"fieldtype": "Datetime",
			"label": "Last Customer Reply",
			"insert_after": "pw_last_agent_reply",
			"read_only": 1,
		},
		{
			"fieldname": "pw_resolved_on",
			"fieldtype": "Datetime",
			"label": "Resolved On",
			"insert_after": "pw_last_customer_reply",
			"read_only": 1,
		},
		{
			"fieldname": "pw_close_warning_sent",
			"fieldtype": "Datetime",
			"label": "Auto-close Warning Sent",
			"insert_after": "pw_resolved_on",
			"read_only": 1,
		},
		{
			"fieldname": "pw_customer_suspended",
			"fieldtype": "Check",
			"label": "Customer's Accounting Support Suspended",
			"insert_after": "customer",
			"read_only": 1,
			"depends_on": "pw_customer_suspended",
		},
		{
			"fieldname": "pw_crtc_client",
			"fieldtype": "Link",
			"label": "CRTC Client",
			"options": "PW CRTC Client",
			"insert_after": "pw_channel",
			"read_only": 1,
			"search_index": 1,
		},
		{
			"fieldname": "pw_mailboxes",
			"fieldtype": "Small Text",
			"label": "CRTC Mailboxes",
			"insert_after": "pw_crtc_client",
			"read_only": 1,
		},
		{
			"fieldname": "pw_automatic_mail",
			"fieldtype": "Check",
			"label": "Automatic Mail",
			"insert_after": "pw_mailboxes",
			"read_only": 1,
		},
		{
			"fieldname": "pw_alert_sent",
			"fieldtype": "Datetime",
			"label": "CRTC Alert Sent",
			"insert_after": "pw_automatic_mail",
			"read_only": 1,
		},
		{
			"fieldname": "pw_digest_sent",
			"fieldtype": "Datetime",
			"label": "In CRTC Digest Of",
			"insert_after": "pw_alert_sent",
			"read_only": 1,
		},
		{
			"fieldname": "pw_fingerprint",
			"fieldtype": "Data",
			"label": "Fingerprint",
			"insert_after": "pw_close_warning_sent",
			"read_only": 1,
		},
	],
	"Customer": [
		{
			"fieldname": "pw_compliance_section",
			"fieldtype": "Section Break",
			"label": "Compliance",
			"insert_after": "customer_details",
			"collapsible": 1,
			"collapsible_depends_on": "pw_accounting_suspended",
		},
		{
			"fieldname": "pw_accounting_suspended",
			"fieldtype": "Check",
			"label": "Accounting Support Suspended",
			"insert_after": "pw_compliance_section",
			"read_only": 1,
			"description": "Set by the compliance monitor on a repeated off-platform attempt. Lift it from the "
			"Customer's menu with a reason.",
		},
		{
			"fieldname": "pw_suspended_on",
			"fieldtype": "Datetime",
			"label": "Suspended On",
			"insert_after": "pw_accounting_suspended",
			"read_only": 1,
			"depends_on": "pw_accounting_suspended",
		},
		{
			"fieldname": "pw_suspension_reason",
			"fieldtype": "Small Text",
			"label": "Suspension Reason",
			"insert_after": "pw_suspended_on",
			"read_only": 1,
			"depends_on": "pw_accounting_suspended",
		},
	],
	"Communication": [
		{
			"fieldname": "pw_bypass_pending",
			"fieldtype": "Check",
			"label": "Compliance Scan Pending",
			"insert_after": "sent_or_received",
			"read_only": 1,
			"search_index": 1,
			"hidden": 1,
		},
		{
			"fieldname": "pw_held_for_review",
			"fieldtype": "Check",
			"label": "Held for Compliance Review",
			"insert_after": "pw_bypass_pending",
			"read_only": 1,
		},
		{
			"fieldname": "pw_automatic",
			"fieldtype": "Check",
			"label": "Automatic Mail",
			"insert_after": "sent_or_received",
			"read_only": 1,
			"description": "Auto-reply, bounce, list or other robot mail: recorded, changes no status.",
		},
	],
}

# Composite indexes for the auto-close query: (status, timestamp) ranges.
INDEXES = {
	"Issue": [["status", "pw_last_agent_reply"], ["status", "pw_resolved_on"]],
	"PW Mail Message": [["mailbox", "uidvalidity", "uid"]],
	# ERPNext looks up an Issue's Communications by reference_name alone on every insert (first response
	# time); Frappe's index starts with reference_doctype, so that was a full table scan.
	"Communication": [["reference_name"]],
}


def make_custom_fields() -> None:
	import frappe

	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True, update=True)
	for doctype, indexes in INDEXES.items():
		for columns in indexes:
			frappe.db.add_index(doctype, columns, index_name="pw_" + "_".join(columns))
