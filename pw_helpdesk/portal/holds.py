"""Portal actions refused while a customer's accounting-support access is suspended (compliance monitor)."""

import frappe
from frappe import _

ACCOUNTING = "Accounting Support"
MESSAGE = _(
	"Your accounting support access is suspended pending a compliance review. "
	"Please contact us by phone through your account manager."
)


class AccountingSuspended(frappe.PermissionError):
	http_status_code = 403


def is_suspended(customer: str | None) -> bool:
	return bool(customer) and bool(frappe.db.get_value("Customer", customer, "pw_accounting_suspended"))


def check_portal_reply_allowed(issue: str) -> None:
	values = frappe.db.get_value("Issue", issue, ["issue_type", "customer"], as_dict=True)
	if values.issue_type == ACCOUNTING and is_suspended(values.customer):
		frappe.throw(MESSAGE, AccountingSuspended)


def check_new_issue_allowed(customer: str | None, issue_type: str) -> None:
	if issue_type == ACCOUNTING and is_suspended(customer):
		frappe.throw(MESSAGE, AccountingSuspended)
