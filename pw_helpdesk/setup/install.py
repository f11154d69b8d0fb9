"""Install and migrate steps: small named functions, each idempotent."""

import frappe

from pw_helpdesk.lifecycle.auto_close import stop_erpnext_auto_close
from pw_helpdesk.mail.watchdog import keep_scheduler_awake
from pw_helpdesk.portal.access import grant_portal_read
from pw_helpdesk.setup.custom_fields import make_custom_fields

SETTINGS = "PW Helpdesk Settings"
ROLES = {
	"PW Alert Reporter": "May raise alert Issues and report automation failures through the API.",
	"PW Compliance Admin": "Reviews off-platform flags and lifts accounting-support suspensions.",
}

# Created once, then the admins' to edit: migrate never overwrites them (fixtures would).
EMAIL_TEMPLATES = {
	"PW Ticket Acknowledgement": {
		"subject": "[{{ doc.name }}] We received your request: {{ doc.subject | e }}",
		"response_html": """<p>Hello{% if requester %} {{ requester | e }}{% endif %},</p>
<p>Thank you for contacting Performance West. We have opened ticket <b>{{ doc.name }}</b> for your request
"{{ doc.subject | e }}" and will answer you by email.</p>
<p>To add information, simply reply to this email and keep <b>[{{ doc.name }}]</b> in the subject.</p>
<p>— Performance West support</p>""",
	},
	"PW Off-platform Warning": {
		"subject": "[{{ doc.name }}] Please keep our conversation on the platform",
		"response_html": """<p>Hello,</p>
<p>For your protection and ours, all communication and payments for your account must stay on the
Performance West platform: this ticket thread, the customer portal, and the invoices we issue there.
Please do not send or ask for phone numbers, personal email addresses, messaging apps or payment outside
the platform.</p>
<p>Your message has been passed to our compliance team. Thank you for understanding.</p>
<p>— Performance West support</p>""",
	},
	"PW CRTC Alert": {
		"subject": "[{{ doc.name }}] CRTC mail received in {{ mailboxes }}: {{ doc.subject | e }}",
		"response_html": """<p>High-priority regulatory mail has arrived.</p>
<table>
<tr><td>Ticket</td><td><a href="{{ link }}">{{ doc.name }}</a></td></tr>
<tr><td>Mailbox</td><td>{{ mailboxes | e }}</td></tr>
<tr><td>From</td><td>{{ doc.raised_by | e }}</td></tr>
<tr><td>Subject</td><td>{{ doc.subject | e }}</td></tr>
</table>
<blockquote>{{ excerpt | e }}</blockquote>
<p>— Performance West CRTC mailroom</p>""",
	},
	"PW CRTC Digest": {
		"subject": "Daily CRTC mailroom digest for {{ customer | e }}: {{ items | length }} item(s)",
		"response_html": """<p>Mail received in your standard mailboxes since the last digest:</p>
<table>
<tr><th>Ticket</th><th>Priority</th><th>Mailbox</th><th>From</th><th>Subject</th></tr>
{% for item in items %}
<tr><td><a href="{{ base_url }}/app/issue/{{ item.name }}">{{ item.name }}</a></td><td>{{ item.priority }}</td>
<td>{{ (item.pw_mailboxes or "") | replace("\n", ", ") | e }}</td><td>{{ item.raised_by | e }}</td>
<td>{{ item.subject | e }}</td></tr>
{% endfor %}
</table>
<p>— Performance West CRTC mailroom</p>""",
	},
	"PW Auto-close Warning": {
		"subject": "[{{ doc.name }}] This ticket will close in {{ hours }} hours: {{ doc.subject | e }}",
		"response_html": """<p>Hello,</p>
<p>We have not heard back from you on ticket <b>{{ doc.name }}</b> ("{{ doc.subject | e }}"). It will be closed
automatically in {{ hours }} hours.</p>
<p>If you still need help, simply reply to this email and the ticket stays open.</p>
<p>— Performance West support</p>""",
	},
}


def after_install():
	run_steps()


def after_migrate():
	run_steps()


def run_steps():
	make_custom_fields()
	make_roles()
	make_email_templates()
	write_settings_defaults()
	stop_erpnext_auto_close()
	grant_portal_read()
	keep_scheduler_awake()


def make_roles():
	for role, description in ROLES.items():
		if not frappe.db.exists("Role", role):
			frappe.get_doc(
				{"doctype": "Role", "role_name": role, "desk_access": 0, "description": description}
			).insert(ignore_permissions=True)


def make_email_templates():
	for name, fields in EMAIL_TEMPLATES.items():
		if not frappe.db.exists("Email Template", name):
			frappe.get_doc({"doctype": "Email Template", "name": name, "use_html": 1, **fields}).insert(
				ignore_permissions=True
			)


def write_settings_defaults():
	"""Store each settings default that has no stored value yet; never overwrite an admin's choice."""
	stored = frappe.db.get_singles_dict(SETTINGS)
	for df in frappe.get_meta(SETTINGS).fields:
		if df.default is not None and df.fieldname not in stored:
			frappe.db.set_single_value(SETTINGS, df.fieldname, df.default)
	frappe.clear_document_cache(SETTINGS, SETTINGS)
