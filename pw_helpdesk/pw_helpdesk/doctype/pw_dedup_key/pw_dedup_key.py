import frappe
from frappe.model.document import Document
from frappe.utils import now_datetime


class PWDedupKey(Document):
	pass


def lock_key(key: str, description: str = "") -> frappe._dict:
	"""Make sure the row for `key` exists, then lock it until this transaction ends.

	Writers with the same key serialise on that one row lock, and the locking read returns the row as
	the previous writer committed it. The row is created on a connection of its own, committed at once:
	creating it inside this transaction would take gap locks, and concurrent first writers deadlock on
	those. A row lock on an existing row cannot deadlock with another writer of the same key.
	"""
	if not frappe.db.exists("PW Dedup Key", key):
		_create_row(key, description)
	return frappe.db.sql(
		"select name, issue, occurrences, modified from `tabPW Dedup Key` where name = %s for update",
		key,
		as_dict=True,
	)[0]


def _create_row(key: str, description: str) -> None:
	from frappe.database import get_db

	conf = frappe.local.conf
	side = get_db(
		socket=conf.db_socket,
		host=conf.db_host,
		port=conf.db_port,
		user=conf.db_name,
		password=conf.db_password,
		cur_db_name=conf.db_name,
	)
	try:
		now = now_datetime()
		side.sql(
			"""insert ignore into `tabPW Dedup Key`
			(name, creation, modified, owner, modified_by, docstatus, idx, occurrences, description)
			values (%s, %s, %s, 'Administrator', 'Administrator', 0, 0, 0, %s)""",
			(key, now, now, description[:500]),
		)
		side.commit()
	finally:
		side.close()


def point_key(key: str, issue: str, occurrences: int) -> None:
	frappe.db.set_value(
		"PW Dedup Key", key, {"issue": issue, "occurrences": occurrences}, update_modified=True
	)
