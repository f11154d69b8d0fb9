"""Review of the compliance monitor's flags and suspensions, for the admin team."""

import frappe
from frappe import _

from pw_helpdesk.compliance import actions

REVIEWER_ROLES = ("PW Compliance Admin", "System Manager")


def _require_reviewer() -> None:
	if not set(frappe.get_roles()) & set(REVIEWER_ROLES):
		frappe.throw(_("Only a PW Compliance Admin may review flags"), frappe.PermissionError)


@frappe.whitelist(methods=["POST"])
def mark_false_positive(flag: str, notes: str) -> None:
	"""A false positive no longer counts as a previous offence."""
	_require_reviewer()
	if not (notes or "").strip():
		frappe.throw(_("notes: say why it is a false positive"))
	actions.review(flag, "False Positive", notes)


@frappe.whitelist(methods=["POST"])
def confirm_flag(flag: str, notes: str | None = None) -> None:
	_require_reviewer()
	actions.review(flag, "Confirmed", notes)


@frappe.whitelist(methods=["POST"])
def lift_suspension(customer: str, reason: str) -> None:
	"""Give the customer back accounting support; the reason is kept on the Customer's timeline."""
	_require_reviewer()
	if not (reason or "").strip():
		frappe.throw(_("reason: is required to lift a suspension"))
	if not frappe.db.get_value("Customer", customer, "pw_accounting_suspended"):
		frappe.throw(_("customer: {0} is not suspended").format(customer))
	actions.lift(customer, reason.strip())
