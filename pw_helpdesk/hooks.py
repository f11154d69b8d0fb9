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

# ------------------------------------------------------------------ requests and mail
after_request = ["pw_helpdesk.intake.http.after_request"]
make_email_body_message = "pw_helpdesk.mail.outgoing.add_headers"
