"""Website tickets: the adapter between the guest method and ERPNext's Issue."""

import time

import frappe
from frappe.utils import add_to_date, get_datetime, now_datetime

from pw_helpdesk.intake import core
from pw_helpdesk.intake.http import TooManyTickets, fail, field_error
from pw_helpdesk.pw_helpdesk.doctype.pw_dedup_key.pw_dedup_key import lock_key, point_key
from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import get_settings

ACK_TEMPLATE = "PW Ticket Acknowledgement"
IDEMPOTENCY_HOURS = 24


def create_web_ticket(fields: dict, honeypot: str | None, ip: str | None) -> dict:
	try:
		ticket = core.validate_ticket(**fields)
	except core.FieldError as e:
		field_error(e.field, e.message)
	if honeypot:
		# A real browser leaves the hidden field empty. Answer like a success, so bots learn nothing.
		frappe.logger("pw_helpdesk.intake").info({"honeypot": True, "ip": ip, "email": ticket.email})
		frappe.cache.incr(f"pw_helpdesk:honeypot:{now_datetime():%Y-%m-%d}")
		return {"ticket": None, "status": "Open"}

	key_row = None
	if ticket.idempotency_key:
		key_row = lock_key(
			core.dedup_key("idem", ticket.email, ticket.idempotency_key), "website idempotency key"
		)
		fresh = get_datetime(key_row.modified) > add_to_date(now_datetime(), hours=-IDEMPOTENCY_HOURS)
		# Locking read: see the Issue even if this transaction's snapshot predates it.
		status = (
			key_row.issue and fresh and frappe.db.get_value("Issue", key_row.issue, "status", for_update=True)
		)
		if status:
			return {"ticket": key_row.issue, "status": status}

	enforce_rate_limits(ticket.email, ip)
	issue = insert_issue(ticket)
	if key_row:
		point_key(key_row.name, issue.name, 1)
	frappe.enqueue(
		"pw_helpdesk.intake.tickets.send_acknowledgement",
		queue="short",
		issue=issue.name,
		requester=ticket.name,
		enqueue_after_commit=True,
	)
	return {"ticket": issue.name, "status": issue.status}


def enforce_rate_limits(email: str, ip: str | None) -> None:
	settings = get_settings()
	limits = [("email", email, settings.rate_limit_email_count, settings.rate_limit_email_seconds)]
	if ip:
		limits.append(("ip", ip, settings.rate_limit_ip_count, settings.rate_limit_ip_seconds))
	now = time.time()
	for kind, value, limit, seconds in limits:
		if not limit or not seconds:
			continue  # 0 switches a limit off
		window, retry_after = core.window_retry_after(now, seconds)
		key = frappe.cache.make_key(f"pw_helpdesk:rl:{kind}:{core.dedup_key(kind, value)}:{window}")
		pipe = frappe.cache.pipeline()
		pipe.incr(key)
		pipe.expire(key, int(seconds) + 1)
		count = pipe.execute()[0]
		if count > limit:
			frappe.local.pw_retry_after = retry_after
			fail(TooManyTickets, kind, f"too many tickets; try again in {retry_after} seconds")


def customer_for_email(email: str) -> tuple[str | None, str | None]:
	"""(customer, contact): the Customer only when the address's Contacts point at exactly one."""
	contact_email = frappe.qb.DocType("Contact Email")
	link = frappe.qb.DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(contact_email)
		.left_join(link)
		.on(
			(link.parent == contact_email.parent)
			& (link.parenttype == "Contact")
			& (link.link_doctype == "Customer")
		)
		.select(contact_email.parent, link.link_name)
		.where(contact_email.email_id == email)
		.run()
	)
	contacts = {contact for contact, _ in rows}
	customers = {customer for _, customer in rows if customer}
	customer = customers.pop() if len(customers) == 1 else None
	contact = next((c for c, cust in rows if cust == customer), None) if customer else None
	return customer, contact or (sorted(contacts)[0] if contacts else None)


def insert_issue(ticket: core.TicketInput):
	customer, contact = customer_for_email(ticket.email)
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": ticket.subject,
			"description": core.text_to_safe_html(ticket.message),
			"issue_type": ticket.issue_type,
			"priority": "Medium",
			"status": "Open",
			"raised_by": ticket.email,
			"customer": customer,
			"contact": contact,
			"pw_channel": ticket.channel,
			"pw_page_url": ticket.page_url or None,
		}
	)
	issue.flags.ignore_permissions = True
	issue.insert()
	return issue


def send_acknowledgement(issue: str, requester: str | None = None) -> None:
	"""Background job: the acknowledgement, threaded to the Issue (reference + [ISSUE] in the subject)."""
	from pw_helpdesk.mail.outgoing import send_template

	doc = frappe.get_doc("Issue", issue)
	send_template(
		ACK_TEMPLATE,
		[doc.raised_by],
		{"doc": doc, "requester": requester or ""},
		reference_doctype="Issue",
		reference_name=doc.name,
		kind="auto-replied",
	)
