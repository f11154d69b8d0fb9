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
@click.option(
	"--mail-imap-port", type=int, help="Also wire the site to dev/demo_mail.py's Dovecot on this port."
)
@click.option("--mail-smtp-port", type=int, help="... and its SMTP sink on this port.")
@pass_context
def demo(context, mail_imap_port, mail_smtp_port):
	"""Create (or complete) the demo data: customers, portal users, Issues of each type."""
	import frappe

	from pw_helpdesk.setup.demo import configure_demo_mail, make_demo_data

	_connect(context)
	try:
		for line in make_demo_data():
			click.echo(line)
		if mail_imap_port and mail_smtp_port:
			for line in configure_demo_mail(mail_imap_port, mail_smtp_port):
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


@pw_helpdesk.command("health")
@pass_context
def health(context):
	"""Is the scheduler on, and does a worker run a job? Exits 1 if not."""
	import frappe

	from pw_helpdesk.setup.health import check

	_connect(context)
	try:
		result = check()
	finally:
		frappe.destroy()
	click.echo(f"scheduler: {'enabled' if result['scheduler_enabled'] else 'DISABLED'}")
	worker = (
		f"OK, ran a test job in {result['worker_seconds']} s"
		if result["worker_ok"]
		else "NO worker ran the test job"
	)
	click.echo(f"worker: {worker}")
	if not (result["scheduler_enabled"] and result["worker_ok"]):
		raise SystemExit(1)


@pw_helpdesk.command("auto-close")
@click.option("--dry-run", is_flag=True, help="Print what would be warned or closed, change nothing.")
@pass_context
def auto_close(context, dry_run):
	"""Warn and close Issues with no customer reply (the scheduled job, now)."""
	import frappe

	from pw_helpdesk.lifecycle.auto_close import run

	_connect(context)
	try:
		report = run(dry_run=dry_run)
		if not dry_run:
			frappe.db.commit()
	finally:
		frappe.destroy()
	verb = {"warn": "would warn" if dry_run else "warned", "close": "would close" if dry_run else "closed"}
	for name, action, reason in report:
		click.echo(f"{name}: {verb[action]} ({reason})")
	click.echo(f"{len(report)} issue(s){' (dry run)' if dry_run else ''}")


@pw_helpdesk.command("sweep")
@pass_context
def sweep(context):
	"""Scan client messages on Accounting Support Issues that were not scanned yet (the 15-minute job)."""
	import frappe

	from pw_helpdesk.compliance.monitor import sweep as run_sweep

	_connect(context)
	try:
		counts = run_sweep()
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(f"scanned {counts['scanned']} message(s), flagged {counts['flagged']}")


@pw_helpdesk.command("mail-poll")
@pass_context
def mail_poll(context):
	"""Poll the support inbox now (the every-minute job): file new mail onto Issues."""
	import frappe

	from pw_helpdesk.mail.incoming import poll

	_connect(context)
	try:
		result = poll()
	finally:
		frappe.destroy()
	if not result.get("enabled"):
		click.echo("support inbox disabled (PW Mail Inbox)")
	else:
		click.echo(f"{result['seen']} new message(s), {result['filed']} filed")


@pw_helpdesk.command("mail-watchdog")
@pass_context
def mail_watchdog(context):
	"""Check the mail flow (scheduler, inbox poll, Email Queue); raise or note alert Issues. Run from cron."""
	import frappe

	from pw_helpdesk.mail.watchdog import check, describe

	_connect(context)
	try:
		result = check()
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(describe(result))


def _add_capability_commands():
	from pw_helpdesk.mailroom.commands import COMMANDS

	for command in COMMANDS:
		pw_helpdesk.add_command(command)


_add_capability_commands()

commands = [pw_helpdesk]
