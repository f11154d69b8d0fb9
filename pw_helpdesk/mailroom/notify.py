"""Immediate alerts for High-priority CRTC mail, and one daily digest per client for the rest."""

from __future__ import annotations

import frappe
from frappe.utils import get_url, now_datetime

from pw_helpdesk.mail.outgoing import send_template
from pw_helpdesk.mailroom import core
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

ALERT_TEMPLATE = "PW CRTC Alert"
DIGEST_TEMPLATE = "PW CRTC Digest"


def client_recipients(customer: str | None) -> list[str]:
	"""Email addresses of the Customer's Contacts."""
	if not customer:
		return []
	link = frappe.qb.DocType("Dynamic Link")
	contact = frappe.qb.DocType("Contact")
	return (
		frappe.qb.from_(link)
		.join(contact)
		.on(contact.name == link.parent)
		.select(contact.email_id)
		.distinct()
		.where(
			(link.parenttype == "Contact")
			& (link.link_doctype == "Customer")
			& (link.link_name == customer)
			& contact.email_id.isnotnull()
			& (contact.email_id != "")
		)
		.run(pluck=True)
	)


def alert_if_high(issue: str, mail, mailbox) -> bool:
	"""Exactly once per Issue: the row lock on the Issue decides who sends it."""
	values = frappe.db.get_value(
		"Issue",
		issue,
		[
			"name",
			"subject",
			"priority",
			"customer",
			"raised_by",
			"pw_alert_sent",
			"pw_automatic_mail",
			"pw_mailboxes",
		],
		as_dict=True,
		for_update=True,
	)
	if values.priority not in ("High", "Urgent") or values.pw_alert_sent or values.pw_automatic_mail:
		return False
	recipients = list(
		dict.fromkeys([*client_recipients(values.customer), *get_settings().admin_recipients()])
	)
	frappe.db.set_value("Issue", issue, "pw_alert_sent", now_datetime(), update_modified=False)
	if recipients:
		send_template(
			ALERT_TEMPLATE,
			recipients,
			{
				"doc": values,
				"link": get_url(f"/app/issue/{issue}"),
				"mailboxes": (values.pw_mailboxes or mailbox.address).replace("\n", ", "),
				"excerpt": core.excerpt(mail.text if mail else "", 600),
			},
			reference_doctype="Issue",
			reference_name=issue,
		)
	return True


def digest_due_clients(now) -> list[str]:
	if now.hour != int(get_settings().crtc_digest_hour or 7):
		return []
	return frappe.get_all("PW CRTC Client", filters={"enabled": 1}, pluck="name")


def send_digests() -> None:
	"""Hourly (hooks.py); acts in the configured hour."""
	for client in digest_due_clients(now_datetime()):
		send_digest(client)


def send_digest(client: str) -> int:
	"""Every Medium/Low item not yet in a digest, once; nothing to send, no email."""
	issue = frappe.qb.DocType("Issue")
	items = (
		frappe.qb.from_(issue)
		.select(
			issue.name, issue.subject, issue.priority, issue.raised_by, issue.pw_mailboxes, issue.creation
		)
		.where(
			(issue.pw_crtc_client == client)
			& issue.priority.isin(["Medium", "Low"])
			& issue.pw_digest_sent.isnull()
		)
		.orderby(issue.creation)
		.run(as_dict=True)
	)
	if not items:
		return 0
	customer = frappe.db.get_value("PW CRTC Client", client, "customer")
	recipients = list(dict.fromkeys([*client_recipients(customer), *get_settings().admin_recipients()]))
	if not recipients:
		return 0
	# If queueing fails this raises, nothing is marked, and the items go out in the next digest.
	send_template(
		DIGEST_TEMPLATE,
		recipients,
		{"client": client, "customer": customer, "items": items, "base_url": get_url()},
	)
	now = now_datetime()
	for item in items:
		frappe.db.set_value("Issue", item.name, "pw_digest_sent", now, update_modified=False)
	frappe.db.set_value("PW CRTC Client", client, "last_digest_on", now, update_modified=False)
	return len(items)
