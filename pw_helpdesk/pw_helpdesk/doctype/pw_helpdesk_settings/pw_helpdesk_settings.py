import frappe
from frappe.model.document import Document
from frappe.utils import validate_email_address


def split_lines(value: str | None) -> list[str]:
	"""One entry per line (commas also accepted), blanks dropped, order kept."""
	items = (value or "").replace(",", "\n").splitlines()
	return [item.strip() for item in items if item.strip()]


class PWHelpdeskSettings(Document):
	def validate(self):
		for email in split_lines(self.admin_emails):
			if not validate_email_address(email):
				frappe.throw(
					frappe._("Admin email addresses: {0} is not a valid email address").format(email)
				)
		self.platform_domains = "\n".join(d.lower().lstrip("@") for d in split_lines(self.platform_domains))
		for origin in split_lines(self.allowed_origins):
			if not origin.startswith(("http://", "https://")) or origin.rstrip("/").count("/") != 2:
				frappe.throw(
					frappe._("Allowed website origins: {0} must look like https://host[:port]").format(origin)
				)

	def admin_recipients(self) -> list[str]:
		"""Every address of the admin team: enabled users' emails, then the extra addresses."""
		users = [row.user for row in self.admin_users]
		emails = []
		if users:
			emails = frappe.get_all("User", filters={"name": ("in", users), "enabled": 1}, pluck="email")
		return list(dict.fromkeys([*emails, *split_lines(self.admin_emails)]))


def get_settings() -> PWHelpdeskSettings:
	return frappe.get_cached_doc("PW Helpdesk Settings")
