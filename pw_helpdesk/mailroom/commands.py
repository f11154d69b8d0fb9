"""`bench --site SITE pw-helpdesk add-crtc-client | poll | doctor | replay`."""

import click
from frappe.commands import get_site, pass_context


def _connect(context):
	import frappe

	frappe.init(site=get_site(context))
	frappe.connect()


@click.command("add-crtc-client")
@click.option("--customer", required=True)
@click.option("--domain", required=True)
@click.option("--imap-host", required=True)
@click.option("--imap-port", type=int, default=993, show_default=True)
@click.option(
	"--tls", type=click.Choice(["implicit", "starttls", "none"]), default="implicit", show_default=True
)
@click.option("--no-verify", is_flag=True, help="Do not verify the server's certificate.")
@click.option("--passwords", type=click.File("r"), required=True, help="One 'localpart password' per line.")
@pass_context
def add_crtc_client(context, customer, domain, imap_host, imap_port, tls, no_verify, passwords):
	"""Create a CRTC client and its 14 standard mailboxes."""
	import frappe

	from pw_helpdesk.mailroom.core import parse_passwords

	try:
		secrets = parse_passwords(passwords.read())
	except ValueError as e:
		raise click.BadParameter(str(e), param_hint="--passwords")
	_connect(context)
	try:
		if not frappe.db.exists("Customer", customer):
			raise click.BadParameter(f"no Customer {customer!r}", param_hint="--customer")
		doc = frappe.get_doc(
			{
				"doctype": "PW CRTC Client",
				"customer": customer,
				"domain": domain,
				"imap_host": imap_host,
				"imap_port": imap_port,
				"tls_mode": tls,
				"verify_certificate": 0 if no_verify else 1,
			}
		)
		doc.flags.pw_passwords = secrets
		doc.insert(ignore_permissions=True)
		doc.seed_mailboxes(secrets)
		frappe.db.commit()
		missing = sorted(
			set(frappe.get_all("PW CRTC Mailbox", {"client": doc.name}, pluck="localpart")) - set(secrets)
		)
		click.echo(f"CRTC client {doc.name} ({customer}): 14 mailboxes")
		if missing:
			click.echo(f"no password given for: {', '.join(missing)} (set them on the mailboxes)")
	finally:
		frappe.destroy()


@click.command("poll")
@click.option("--client", help="Only this CRTC client (its domain).")
@pass_context
def poll(context, client):
	"""Poll CRTC mailboxes now and print, per mailbox, what was fetched, ingested, skipped and failed."""
	import frappe

	from pw_helpdesk.mailroom.poller import poll_client

	_connect(context)
	try:
		clients = [client] if client else frappe.get_all("PW CRTC Client", {"enabled": 1}, pluck="name")
		click.echo(f"{'mailbox':<40} {'fetched':>7} {'ingested':>8} {'skipped':>7} {'failed':>6}  error")
		for name in clients:
			for row in poll_client(name):
				click.echo(
					f"{row['mailbox']:<40} {row['fetched']:>7} {row['ingested']:>8} {row['skipped']:>7} "
					f"{row['failed']:>6}  {row.get('error', '')}"
				)
	finally:
		frappe.destroy()


@click.command("doctor")
@click.option("--client", help="Only this CRTC client (its domain).")
@pass_context
def doctor(context, client):
	"""Connect to every mailbox and print a status table (changes nothing)."""
	import frappe
	from frappe.utils.password import get_decrypted_password

	from pw_helpdesk.mailroom.imap import fetch_new

	_connect(context)
	try:
		filters = {"client": client} if client else {}
		click.echo(f"{'mailbox':<40} {'status':<8} {'UIDNEXT':>8} {'last UID':>8} {'fails':>5}  detail")
		for mb in frappe.get_all(
			"PW CRTC Mailbox", filters, ["name", "client", "last_uid", "consecutive_failures"]
		):
			c = frappe.get_cached_doc("PW CRTC Client", mb.client)
			r = fetch_new(
				mb.name,
				c.imap_host,
				int(c.imap_port),
				get_decrypted_password("PW CRTC Mailbox", mb.name, "password", raise_exception=False) or "",
				tls=c.tls_mode,
				verify=bool(c.verify_certificate),
				last_uid=10**12,  # only STATUS: fetch nothing
				uidvalidity=None,
				timeout=15,
			)
			status = "OK" if not r.error else r.error_kind.upper()
			click.echo(
				f"{mb.name:<40} {status:<8} {r.uidnext or '-':>8} {mb.last_uid or 0:>8} "
				f"{mb.consecutive_failures or 0:>5}  {r.error or ''}"
			)
	finally:
		frappe.destroy()


@click.command("replay")
@click.option("--status", default="Failed", show_default=True, help="Stored messages with this status.")
@click.option("--message", "messages", multiple=True, help="These PW Mail Message names.")
@pass_context
def replay(context, status, messages):
	"""Re-process stored raw messages (after a fix, or to retry failures now)."""
	import frappe

	from pw_helpdesk.mailroom.poller import ingest_stored

	_connect(context)
	try:
		names = list(messages) or frappe.get_all("PW Mail Message", {"status": status}, pluck="name")
		for name in names:
			click.echo(f"{name}: {ingest_stored(name)}")
	finally:
		frappe.destroy()


COMMANDS = [add_crtc_client, poll, doctor, replay]
