app_name = "pw_helpdesk"
app_title = "PW Helpdesk"
app_publisher = "Performance West"
app_description = "Support desk of a telecom-compliance firm on ERPNext's Issue"
app_email = "dev@performancewest.net"
app_license = "mit"

# Written "frappe/erpnext": a bare "erpnext" makes install-app look the app up on GitHub.
required_apps = ["frappe/erpnext"]

# ------------------------------------------------------------------ install / migrate
after_install = "pw_helpdesk.setup.install.after_install"
after_migrate = "pw_helpdesk.setup.install.after_migrate"

fixtures = [
	{
		"dt": "Issue Type",
		"filters": [
			[
				"name",
				"in",
				[
					"Sales Inquiry",
					"Support",
					"Bug",
					"Feature Request",
					"CRTC Correspondence",
					"Compliance Alert",
					"Accounting Support",
				],
			]
		],
	},
	{"dt": "Issue Priority", "filters": [["name", "in", ["Low", "Medium", "High", "Urgent"]]]},
]

# ------------------------------------------------------------------ desk
doctype_js = {"Customer": "public/js/customer.js", "Issue": "public/js/issue.js"}

# ------------------------------------------------------------------ portal and permissions
# /issues is ERPNext's Issue web form (customers could set priority there): ours replaces it.
website_route_rules = [
	{"from_route": "/issues", "to_route": "pw_portal/issues"},
	{"from_route": "/issues/<name>", "to_route": "pw_portal/issue"},
]
has_permission = {"Issue": "pw_helpdesk.portal.access.has_permission"}
permission_query_conditions = {"Issue": "pw_helpdesk.portal.access.permission_query_conditions"}
has_website_permission = {"Issue": "pw_helpdesk.portal.access.has_website_permission"}
# Frappe 15's frappe.client.get_count ignores permissions; ours counts what the caller may read.
override_whitelisted_methods = {"frappe.client.get_count": "pw_helpdesk.portal.access.get_count"}

# ------------------------------------------------------------------ requests and mail
after_request = ["pw_helpdesk.intake.http.after_request"]
make_email_body_message = "pw_helpdesk.mail.outgoing.add_headers"

# ------------------------------------------------------------------ documents
doc_events = {
	"Communication": {
		"before_insert": [
			"pw_helpdesk.lifecycle.status.remember_status",
			"pw_helpdesk.compliance.monitor.mark_pending",
		],
		# on_update, not after_insert: it runs after the controller's on_update, where core reopens Issues.
		"on_update": [
			"pw_helpdesk.lifecycle.status.apply_rules",
			"pw_helpdesk.compliance.monitor.scan_inline",
		],
	},
	"Issue": {
		"validate": "pw_helpdesk.lifecycle.status.stamp_resolution",
	},
}

# ------------------------------------------------------------------ scheduler
scheduler_events = {
	"cron": {
		"17 * * * *": ["pw_helpdesk.lifecycle.auto_close.scheduled"],
		"* * * * *": ["pw_helpdesk.mail.incoming.scheduled"],
		"*/5 * * * *": [
			"pw_helpdesk.mail.watchdog.scheduled",
			"pw_helpdesk.mailroom.poller.enqueue_polls",
		],
		"3 * * * *": ["pw_helpdesk.mailroom.notify.send_digests"],
		"*/15 * * * *": ["pw_helpdesk.compliance.monitor.sweep"],
	},
}
