"""Outgoing mail: every automatic message we send is marked (RFC 3834) so no mail robot answers it."""

from collections.abc import Iterator
from contextlib import contextmanager

import frappe


@contextmanager
def auto_submitted(kind: str = "auto-generated") -> Iterator[None]:
	"""Mark the mail built inside this block as automatic: `auto-replied` or `auto-generated`."""
	previous = frappe.flags.pw_auto_submitted
	frappe.flags.pw_auto_submitted = kind
	try:
		yield
	finally:
		frappe.flags.pw_auto_submitted = previous


def add_headers(email) -> None:
	"""`make_email_body_message` hook: runs for every message frappe builds, after its Message-ID is set."""
	if kind := frappe.flags.pw_auto_submitted:
		email.set_header("Auto-Submitted", kind)
		# Exchange and Outlook honour this one instead of RFC 3834.
		email.set_header("X-Auto-Response-Suppress", "All")


def send_template(
	template: str,
	recipients: list[str],
	args: dict,
	*,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	kind: str = "auto-generated",
) -> None:
	"""Render an (editable) Email Template and queue it through Frappe's Email Queue."""
	doc = frappe.get_cached_doc("Email Template", template)
	subject = frappe.render_template(doc.subject, args)
	message = frappe.render_template(doc.response_html if doc.use_html else doc.response, args)
	with auto_submitted(kind):
		frappe.sendmail(
			recipients=recipients,
			subject=subject,
			message=message,
			reference_doctype=reference_doctype,
			reference_name=reference_name,
			expose_recipients="header",
			delayed=True,
		)
