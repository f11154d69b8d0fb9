"""`bench --site SITE pw-helpdesk ...`: one click group; each capability adds its subcommands here."""

import click
from frappe.commands import get_site, pass_context


def _connect(context) -> str:
	import frappe

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	return site


@click.group("pw-helpdesk")
def pw_helpdesk():
	"""PW Helpdesk operations."""


@pw_helpdesk.command("demo")
@pass_context
def demo(context):
	"""Create (or complete) the demo data: customers, portal users, Issues of each type."""
	import frappe

	from pw_helpdesk.setup.demo import make_demo_data

	_connect(context)
	try:
		for line in make_demo_data():
			click.echo(line)
		frappe.db.commit()
	finally:
		frappe.destroy()


@pw_helpdesk.command("demo-logins")
@pass_context
def demo_logins(context):
	"""Print the demo portal logins."""
	import frappe

	from pw_helpdesk.setup.demo import DEMO_CUSTOMERS, DEMO_PASSWORD

	_connect(context)
	try:
		for customer in DEMO_CUSTOMERS:
			click.echo(f"{customer['email']} / {DEMO_PASSWORD}")
	finally:
		frappe.destroy()


commands = [pw_helpdesk]
