"""Benchmark: the CRTC mailroom (`pw_helpdesk.mailroom.poller`) against a real Dovecot.

Runs on its own site (pw-bench.localhost, created with `dev/bench.sh fresh-site` when missing) with one
Dovecot (tests/e2e/crtc_servers.py, process limits raised) serving every benchmark domain, and measures:

1. The poll cycle with no new mail: 100 clients x 14 mailboxes, 50 ms added each way between poller and
   Dovecot (tests/e2e/tcpproxy.py). As in production, one `poll_client` job per client; the jobs are run by
   K worker processes (default 4, a typical bench), each job doing frappe.init/connect/destroy as Frappe's
   job runner does. Wall time of the whole cycle, median of 3 after a settling cycle; beside it the serial
   time, every mailbox one by one (crtc_pool_size 1, one client after another), measured on a sample of
   clients and extrapolated when the whole would take more than 5 minutes.
2. Ingestion of 1,000 messages into Issues by our poller, side by side with Frappe's own Email Account
   (IMAP, Append To: Issue, sync rule UNSEEN) pulling the same 1,000 messages (other Message-IDs) from
   another mailbox of the same Dovecot, no added latency.
3. Peak memory of one poll job (fresh process) over a client whose mailboxes hold 200 new messages, one of
   them with a 5 MB attachment: tracemalloc peak, and the ru_maxrss delta (in a second fresh process,
   without tracemalloc, over another 200 such messages).

    ~/frappe-bench/env/bin/python bench/mailroom.py [--clients 100] [--latency-ms 50] [--messages 1000]

Targets (issue): 1. the cycle under 30 s; 2. our rate >= 1.0x Frappe's Email Account; 3. the peak memory of
a poll job, reported against --memory-budget-mb (no figure in the issue; 256 MB assumed).

Data left on the site: clients `bench-crtc-NNN.example`, `bench-ingest.example` and `bench-mem.example`
(customer "PW Bench CRTC Telecom"), the Email Account "PW Bench Frappe Inbox", and the Issues made; the
clients and the Email Account are disabled at the end (their Dovecot is gone). Dovecot runs in a temporary
folder, removed at the end.
"""

import argparse
import base64
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path

from _site import REPO, SITE, SITES, connect, ensure_site, say

SETTINGS = "PW Helpdesk Settings"
CUSTOMER = "PW Bench CRTC Telecom"
INGEST_DOMAIN = "bench-ingest.example"
MEM_DOMAIN = "bench-mem.example"
FRAPPE_DOMAIN = "bench-frappe.example"
INGEST_BOX = "support"  # a Low mailbox, like a support inbox: no High-priority alert mail per message
EMAIL_ACCOUNT = "PW Bench Frappe Inbox"
SEED = 20261204
CYCLE_TARGET_S = 30.0
RATE_TARGET = 1.0
SERIAL_LIMIT_S = 300.0
MB = 1024 * 1024

sys.path.insert(0, str(REPO / "tests" / "e2e"))


def client_domain(i: int) -> str:
	return f"bench-crtc-{i:03d}.example"


# ---------------------------------------------------------------------------------------------- Dovecot


def make_dovecot(domains: list[str], limit: int):
	from crtc_servers import CrtcDovecot

	class BenchDovecot(CrtcDovecot):
		"""CrtcDovecot with room for many concurrent logins (imap-login, imap, auth)."""

		def _write_config(self):
			conf = super()._write_config()
			text = conf.read_text().replace("process_limit = 200", f"process_limit = {limit}")
			conf.write_text(
				f"default_process_limit = {limit}\ndefault_client_limit = {4 * limit}\n"
				+ text
				+ f"service imap {{\n  process_limit = {limit}\n}}\n"
			)
			return conf

	return BenchDovecot(domains)


def deliver_many(server, address: str, raws: list[bytes]) -> None:
	"""APPEND every message over one IMAP session as the mailbox user."""
	client = server.login_as(address)
	try:
		for raw in raws:
			client.append("INBOX", raw)
	finally:
		client.logout()


# ---------------------------------------------------------------------------------------------- mail

TOPICS = [
	"Question about my invoice",
	"Porting request for 3 numbers",
	"CRTC filing deadline reminder",
	"Service outage in Sherbrooke",
	"Update our registered office address",
	"Abuse report: spam from your network",
	"Request for call detail records",
	"Billing dispute, account 4471",
	"Demande de renseignements - forfait affaires",
	"Annual return: documents attached",
	"Unsolicited telecommunications complaint",
	"911 address update for new site",
	"Change of signing officer",
	"Quote for SIP trunking",
	"Facture de septembre - question",
]
SENDERS = [
	("Marie Tremblay", "marie.tremblay@videotron.example"),
	("Jean-François Côté", "jf.cote@bell.example"),
	("Priya Natarajan", "priya@northwind-telecom.example"),
	("Secretary General", "sg@crtc.gc.example"),
	("CCTS Complaints", "complaints@ccts-cprst.example"),
	("Hélène Bouchard", "helene.bouchard@gmail.example"),
	("Tom O'Brien", "tobrien@rogers.example"),
	("Accounts Payable", "ap@maple-logistics.example"),
	("Wei Zhang", "wei.zhang@outlook.example"),
	("Network Operations", "noc@upstream-transit.example"),
]
PARAGRAPHS = [
	"Hello,\n\nCould you please confirm that the change was recorded on your side? We need it before the end "
	"of the month for our own records.",
	"Bonjour,\n\nNous avons reçu votre avis et aimerions obtenir plus de détails sur les prochaines étapes. "
	"Merci de nous répondre dès que possible.",
	"As discussed on the phone this morning, please find the details below.\n\n- Account: 4471-22\n- Lines: 3"
	"\n- Requested date: next Tuesday",
	"We noticed repeated calls from one of your numbers to our customers between 9:00 and 17:00. Please "
	"investigate and let us know what you find.",
	"Thank you for your quick reply. One more question: is the fee the same for each additional number, or "
	"is there a volume discount?",
	"This is a reminder that the filing is due within 30 days of this notice. Failure to file may result in "
	"further action.",
]


def build_message(i: int, token: str, to: str, message_id: str) -> bytes:
	"""Message number i of a run: small and varied (text, text+HTML, HTML only, a small PDF attached)."""
	rng = random.Random(SEED * 7919 + i)
	name, address = rng.choice(SENDERS)
	msg = EmailMessage()
	msg["From"] = formataddr((name, address))
	msg["To"] = to
	if rng.random() < 0.2:
		msg["Cc"] = formataddr(rng.choice(SENDERS))
	msg["Subject"] = f"{rng.choice(TOPICS)} (ref {token}-{i:04d})"
	msg["Date"] = formatdate(time.time() - rng.uniform(0, 86400), localtime=True)
	msg["Message-ID"] = message_id
	text = "\n\n".join(rng.sample(PARAGRAPHS, rng.randint(1, 3))) + f"\n\nRegards,\n{name}\n"
	kind = i % 10
	if kind == 8:
		msg.set_content(f"<html><body><p>{text.replace(chr(10), '<br>')}</p></body></html>", subtype="html")
	else:
		msg.set_content(text)
		if kind in (6, 7):
			msg.add_alternative(
				f"<html><body><p>{text.replace(chr(10), '<br>')}</p></body></html>", subtype="html"
			)
		elif kind == 9:
			msg.add_attachment(
				rng.randbytes(rng.randint(8_000, 40_000)),
				maintype="application",
				subtype="pdf",
				filename=f"document-{i}.pdf",
			)
	return bytes(msg)


def big_message(token: str, to: str, size: int) -> bytes:
	msg = EmailMessage()
	msg["From"] = formataddr(("Secretary General", "sg@crtc.gc.example"))
	msg["To"] = to
	msg["Subject"] = f"Filing with a large attachment (ref {token}-big)"
	msg["Date"] = formatdate(localtime=True)
	msg["Message-ID"] = f"<{token}.big@bench.example>"
	msg.set_content("Please find the filing attached.\n")
	msg.add_attachment(os.urandom(size), maintype="application", subtype="pdf", filename="filing.pdf")
	return bytes(msg)


# ---------------------------------------------------------------------------------------------- site


def ensure_customer(frappe) -> None:
	if frappe.db.exists("Customer", CUSTOMER):
		return
	frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": CUSTOMER,
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}),
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()


def ensure_clients(frappe, domains: list[str], port: int) -> int:
	"""The clients (+14 mailboxes, passwords pw-<localpart>), enabled and pointed at 127.0.0.1:port."""
	from pw_helpdesk.mailroom.core import STANDARD_MAILBOXES

	ensure_customer(frappe)
	secrets = {localpart: f"pw-{localpart}" for localpart in STANDARD_MAILBOXES}
	boxes = dict(
		frappe.db.sql(
			"SELECT client, COUNT(*) FROM `tabPW CRTC Mailbox` WHERE client IN %s GROUP BY client",
			(tuple(domains),),
		)
	)
	made = 0
	for domain in domains:
		if frappe.db.exists("PW CRTC Client", domain):
			if boxes.get(domain, 0) < len(STANDARD_MAILBOXES):
				frappe.get_doc("PW CRTC Client", domain).seed_mailboxes(secrets)
		else:
			doc = frappe.get_doc(
				{
					"doctype": "PW CRTC Client",
					"customer": CUSTOMER,
					"domain": domain,
					"imap_host": "127.0.0.1",
					"imap_port": port,
					"tls_mode": "none",
					"verify_certificate": 0,
				}
			)
			doc.flags.pw_passwords = secrets
			doc.insert(ignore_permissions=True)
			doc.seed_mailboxes(secrets)
			made += 1
		frappe.db.commit()
	frappe.db.sql(
		"UPDATE `tabPW CRTC Client` SET imap_host = %s, imap_port = %s, tls_mode = 'none', enabled = 1 "
		"WHERE name IN %s",
		("127.0.0.1", port, tuple(domains)),
	)
	frappe.db.sql("UPDATE `tabPW CRTC Mailbox` SET enabled = 1 WHERE client IN %s", (tuple(domains),))
	frappe.db.commit()
	for domain in domains:
		frappe.clear_document_cache("PW CRTC Client", domain)
	return made


def disable_clients(frappe, domains: list[str]) -> None:
	frappe.db.sql("UPDATE `tabPW CRTC Client` SET enabled = 0 WHERE name IN %s", (tuple(domains),))
	frappe.db.commit()
	for domain in domains:
		frappe.clear_document_cache("PW CRTC Client", domain)


def set_pool_size(frappe, value) -> None:
	frappe.db.set_single_value(SETTINGS, "crtc_pool_size", value)
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	frappe.db.commit()


def failing_mailboxes(frappe, domains: list[str]) -> list[tuple[str, str]]:
	return frappe.db.sql(
		"SELECT name, last_error FROM `tabPW CRTC Mailbox` WHERE client IN %s AND enabled = 1 "
		"AND consecutive_failures > 0 ORDER BY name",
		(tuple(domains),),
	)


# ---------------------------------------------------------------------------------------------- jobs
# Run in worker processes (spawned: no connection shared with the parent). Each job does what Frappe's
# job runner (frappe.utils.background_jobs.execute_job) does around the method: init, connect, run,
# commit, destroy.


def _worker_init(sites: str) -> None:
	os.chdir(sites)


def poll_job(client: str) -> tuple[str, float, int, int, list[str]]:
	import frappe

	started = time.perf_counter()
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		from pw_helpdesk.mailroom.poller import poll_client

		report = poll_client(client)
		frappe.db.commit()
	finally:
		frappe.destroy()
	errors = [f"{row['mailbox']}: {row['error']}" for row in report if row.get("error")]
	fetched = sum(row["fetched"] for row in report)
	return client, time.perf_counter() - started, len(report), fetched, errors


def memory_job(client: str, trace: bool) -> dict:
	"""One poll job in this fresh process: ru_maxrss before/after, and the tracemalloc peak when tracing."""
	import resource
	import tracemalloc

	os.chdir(SITES)
	import frappe

	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		import pw_helpdesk.mail.parse
		import pw_helpdesk.mailroom.ingest
		from pw_helpdesk.mailroom.poller import poll_client

		before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
		if trace:
			tracemalloc.start()
		started = time.perf_counter()
		report = poll_client(client)
		frappe.db.commit()
		elapsed = time.perf_counter() - started
		peak = tracemalloc.get_traced_memory()[1] if trace else None
		if trace:
			tracemalloc.stop()
		after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
	finally:
		frappe.destroy()
	return {
		"before": before,
		"after": after,
		"peak": peak,
		"elapsed": elapsed,
		"fetched": sum(r["fetched"] for r in report),
		"ingested": sum(r["ingested"] for r in report),
		"failed": sum(r["failed"] for r in report),
		"errors": [r["error"] for r in report if r.get("error")],
	}


def _memory_entry(client: str, trace: bool, queue) -> None:
	queue.put(memory_job(client, trace))


# ---------------------------------------------------------------------------------------------- part 1


def run_cycle(pool, clients: list[str]) -> tuple[float, list]:
	started = time.perf_counter()
	results = pool.map(poll_job, clients, chunksize=1)
	return time.perf_counter() - started, results


def cycle_errors(results) -> list[str]:
	return [e for *_, errors in results for e in errors]


def part_cycle(frappe, args, dovecot, ctx) -> dict:
	from tcpproxy import DelayProxy

	domains = [client_domain(i) for i in range(args.clients)]
	delay = args.latency_ms / 1000
	out = {}
	with DelayProxy(dovecot.port, delay=delay) as proxy:
		started = time.perf_counter()
		made = ensure_clients(frappe, domains, proxy.port)
		say(
			f"  clients: {len(domains)} x 14 mailboxes ({made} created, {time.perf_counter() - started:.1f} s), "
			f"imap_port -> proxy {proxy.port} (+{args.latency_ms} ms each way) -> Dovecot {dovecot.port}"
		)
		pool_size = frappe.db.get_single_value(SETTINGS, "crtc_pool_size")
		threads = int(pool_size or 14)
		say(f"  workers K = {args.workers} processes; crtc_pool_size = {threads} IMAP threads per job")
		with ctx.Pool(args.workers, initializer=_worker_init, initargs=(str(SITES),)) as pool:
			settle_s, settle = run_cycle(pool, domains)
			fetched = sum(r[3] for r in settle)
			say(f"  settling cycle (checkpoints, no new mail): {settle_s:.2f} s, {fetched} messages fetched")
			bad = failing_mailboxes(frappe, domains)
			if bad:
				say(f"  WARNING: {len(bad)} mailboxes failing after settling, e.g. {bad[:3]}")
			cycles, job_times, errors, mailboxes = [], [], [], 0
			for n in range(args.repeat):
				wall, results = run_cycle(pool, domains)
				cycles.append(wall)
				job_times += [r[1] for r in results]
				errors += cycle_errors(results)
				mailboxes = sum(r[2] for r in results)
				say(
					f"  cycle {n + 1}: {wall:.2f} s wall, {mailboxes} mailboxes, "
					f"{sum(r[3] for r in results)} fetched, {len(cycle_errors(results))} mailbox errors"
				)
		out.update(
			clients=len(domains),
			mailboxes=mailboxes,
			cycles=cycles,
			median=statistics.median(cycles),
			job_median=statistics.median(job_times),
			job_max=max(job_times),
			errors=errors,
			workers=args.workers,
			threads=threads,
		)
		say(
			f"  per-client job: median {out['job_median']:.2f} s, max {out['job_max']:.2f} s "
			f"(init + connect + {threads} threads x IMAP + DB)"
		)

		# Serial: every mailbox one by one (pool size 1), one client after another.
		set_pool_size(frappe, 1)
		try:
			with ctx.Pool(1, initializer=_worker_init, initargs=(str(SITES),)) as pool:
				pool.map(poll_job, domains[:1])  # warm the process (imports), not timed
				sample = domains[: min(args.serial_sample, len(domains))]
				wall, results = run_cycle(pool, sample)
				per_client = wall / len(sample)
				projected = per_client * len(domains)
				serial_errors = cycle_errors(results)
				if len(sample) < len(domains) and projected <= SERIAL_LIMIT_S:
					more_wall, more = run_cycle(pool, domains[len(sample) :])
					wall += more_wall
					serial_errors += cycle_errors(more)
					out.update(serial=wall, serial_note=f"measured, all {len(domains)} clients")
				elif len(sample) < len(domains):
					out.update(
						serial=projected,
						serial_note=(
							f"extrapolated from {len(sample)} clients ({len(sample) * 14} mailboxes) in "
							f"{wall:.1f} s, {per_client * 1000 / 14:.0f} ms per mailbox"
						),
					)
				else:
					out.update(serial=wall, serial_note=f"measured, all {len(domains)} clients")
		finally:
			set_pool_size(frappe, pool_size)
		out["serial_errors"] = serial_errors
		say(f"  serial, one mailbox at a time: {out['serial']:.1f} s ({out['serial_note']})")
	return out


# ---------------------------------------------------------------------------------------------- part 2


def ensure_email_account(frappe, port: int) -> None:
	"""Frappe's own incoming Email Account: IMAP, INBOX appended to Issue, default sync rule (UNSEEN)."""
	if frappe.db.exists("Email Account", EMAIL_ACCOUNT):
		doc = frappe.get_doc("Email Account", EMAIL_ACCOUNT)
	else:
		doc = frappe.new_doc("Email Account")
		doc.email_account_name = EMAIL_ACCOUNT
	doc.update(
		{
			"email_id": f"support@{FRAPPE_DOMAIN}",
			"password": "pw-support",
			"awaiting_password": 0,
			"enable_incoming": 1,
			"use_imap": 1,
			"use_ssl": 0,
			"use_starttls": 0,
			"email_server": "127.0.0.1",
			"incoming_port": port,
			"email_sync_option": "UNSEEN",
			"enable_outgoing": 0,
			"default_incoming": 0,
			"enable_auto_reply": 0,
			"create_contact": 0,  # ours creates no Contact either; Frappe's default (1) would only slow it
			"attachment_limit": 25,
		}
	)
	doc.set("imap_folder", [{"folder_name": "INBOX", "append_to": "Issue"}])  # new UIDVALIDITY: reset
	doc.save(ignore_permissions=True)
	frappe.db.commit()


def frappe_pulled(frappe, since) -> int:
	return frappe.db.sql(
		"SELECT COUNT(*) FROM `tabCommunication` WHERE email_account = %s AND sent_or_received = 'Received' "
		"AND creation >= %s",
		(EMAIL_ACCOUNT, since),
	)[0][0]


def frappe_issues(frappe, since) -> int:
	return frappe.db.sql(
		"SELECT COUNT(DISTINCT i.name) FROM `tabIssue` i JOIN `tabCommunication` c "
		"ON c.reference_doctype = 'Issue' AND c.reference_name = i.name "
		"WHERE c.email_account = %s AND c.creation >= %s AND i.creation >= %s",
		(EMAIL_ACCOUNT, since, since),
	)[0][0]


def our_issues(frappe, since) -> int:
	return frappe.db.sql(
		"SELECT COUNT(*) FROM `tabIssue` WHERE pw_crtc_client = %s AND creation >= %s", (INGEST_DOMAIN, since)
	)[0][0]


def run_ours(frappe, n: int) -> tuple[float, int, int, list[str]]:
	from pw_helpdesk.mailroom.poller import poll_client

	started = time.perf_counter()
	ingested = failed = rounds = 0
	errors = []
	while ingested + failed < n and rounds < n // 100 + 10:
		report = poll_client(INGEST_DOMAIN)
		frappe.db.commit()
		rounds += 1
		ingested += sum(r["ingested"] for r in report)
		failed += sum(r["failed"] for r in report)
		errors += [r["error"] for r in report if r.get("error")]
		if not any(r["fetched"] for r in report):
			break
	return time.perf_counter() - started, ingested, rounds, errors


def run_frappe(frappe, n: int) -> tuple[float, int, int, list[str]]:
	from frappe.utils import now_datetime

	since = now_datetime()
	started = time.perf_counter()
	pulled = rounds = 0
	errors = []
	while pulled < n and rounds < n // 100 + 10:
		try:
			frappe.get_doc("Email Account", EMAIL_ACCOUNT).receive()
		except Exception as exc:
			errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
		frappe.db.commit()
		rounds += 1
		now = frappe_pulled(frappe, since)
		if now == pulled:
			break
		pulled = now
	return time.perf_counter() - started, pulled, rounds, errors


def part_ingest(frappe, args, dovecot) -> dict:
	from frappe.utils import now_datetime

	ensure_clients(frappe, [INGEST_DOMAIN], dovecot.port)
	ensure_email_account(frappe, dovecot.port)
	ours_box, theirs_box = f"{INGEST_BOX}@{INGEST_DOMAIN}", f"support@{FRAPPE_DOMAIN}"
	token = uuid.uuid4().hex[:8]

	def batch(count: int, first: int, tag: str) -> tuple[list[bytes], list[bytes]]:
		ours = [build_message(i, tag, ours_box, f"<{tag}.{i}.o@bench.example>") for i in range(first, count)]
		theirs = [
			build_message(i, tag, theirs_box, f"<{tag}.{i}.f@bench.example>") for i in range(first, count)
		]
		return ours, theirs

	# Settle both (checkpoints / UIDVALIDITY), then warm both paths up with 5 messages each, untimed.
	from pw_helpdesk.mailroom.poller import poll_client

	poll_client(INGEST_DOMAIN)
	frappe.get_doc("Email Account", EMAIL_ACCOUNT).receive()
	frappe.db.commit()
	warm_ours, warm_theirs = batch(5, 0, f"{token}w")
	deliver_many(dovecot, ours_box, warm_ours)
	deliver_many(dovecot, theirs_box, warm_theirs)
	run_ours(frappe, 5)
	run_frappe(frappe, 5)

	ours_raw, theirs_raw = batch(args.messages, 0, token)
	size = sum(len(r) for r in ours_raw)
	started = time.perf_counter()
	deliver_many(dovecot, ours_box, ours_raw)
	deliver_many(dovecot, theirs_box, theirs_raw)
	say(
		f"  delivered {args.messages} messages ({size / MB:.1f} MB, {size // args.messages} bytes on average) "
		f"to {ours_box} and the same with other Message-IDs to {theirs_box} "
		f"in {time.perf_counter() - started:.1f} s"
	)
	since = now_datetime()
	ours_s, ours_n, ours_rounds, ours_errors = run_ours(frappe, args.messages)
	ours_issues = our_issues(frappe, since)
	say(
		f"  ours: poll_client x {ours_rounds}: {ours_n} ingested, {ours_issues} Issues in {ours_s:.1f} s "
		f"= {ours_n / ours_s:.1f} msg/s" + (f"; errors: {ours_errors[:3]}" if ours_errors else "")
	)
	since = now_datetime()
	theirs_s, theirs_n, theirs_rounds, theirs_errors = run_frappe(frappe, args.messages)
	theirs_issues = frappe_issues(frappe, since)
	say(
		f"  Frappe Email Account: receive() x {theirs_rounds}: {theirs_n} Communications, {theirs_issues} "
		f"Issues in {theirs_s:.1f} s = {theirs_n / theirs_s:.1f} msg/s"
		+ (f"; errors: {theirs_errors[:3]}" if theirs_errors else "")
	)
	frappe.db.set_value("Email Account", EMAIL_ACCOUNT, "enable_incoming", 0)  # its Dovecot goes away
	frappe.db.commit()
	ours_rate, theirs_rate = ours_n / ours_s, theirs_n / theirs_s
	return {
		"n": args.messages,
		"ours_rate": ours_rate,
		"ours_s": ours_s,
		"ours_n": ours_n,
		"ours_issues": ours_issues,
		"theirs_rate": theirs_rate,
		"theirs_s": theirs_s,
		"theirs_n": theirs_n,
		"theirs_issues": theirs_issues,
		"ratio": ours_rate / theirs_rate if theirs_rate else math.inf,
		"complete": ours_issues == args.messages and theirs_issues == args.messages,
	}


# ---------------------------------------------------------------------------------------------- part 3


def part_memory(frappe, args, dovecot, ctx) -> dict:
	from pw_helpdesk.mailroom.core import STANDARD_MAILBOXES
	from pw_helpdesk.mailroom.poller import poll_client

	ensure_clients(frappe, [MEM_DOMAIN], dovecot.port)
	poll_client(MEM_DOMAIN)  # settle the checkpoints
	frappe.db.commit()
	boxes = [f"{lp}@{MEM_DOMAIN}" for lp in STANDARD_MAILBOXES]
	runs = {}
	for trace in (False, True):
		token = uuid.uuid4().hex[:8]
		per_box: dict[str, list[bytes]] = {box: [] for box in boxes}
		per_box[f"info@{MEM_DOMAIN}"].append(
			big_message(token, f"info@{MEM_DOMAIN}", args.attachment_mb * MB)
		)
		for i in range(args.memory_messages - 1):
			box = boxes[i % len(boxes)]
			per_box[box].append(build_message(i, token, box, f"<{token}.{i}.m@bench.example>"))
		size = sum(len(r) for raws in per_box.values() for r in raws)
		for box, raws in per_box.items():
			deliver_many(dovecot, box, raws)
		queue = ctx.Queue()
		proc = ctx.Process(target=_memory_entry, args=(MEM_DOMAIN, trace, queue))
		proc.start()
		result = queue.get(timeout=1800)
		proc.join(60)
		result["size"] = size
		runs["trace" if trace else "rss"] = result
		say(
			f"  {'tracemalloc' if trace else 'ru_maxrss  '} run: {result['fetched']} fetched, "
			f"{result['ingested']} ingested, {result['failed']} failed in {result['elapsed']:.1f} s "
			f"({size / MB:.1f} MB of mail); ru_maxrss {result['before'] / MB:.1f} -> {result['after'] / MB:.1f} MB"
			+ (f"; tracemalloc peak {result['peak'] / MB:.1f} MB" if trace else "")
			+ (f"; errors: {result['errors'][:3]}" if result["errors"] else "")
		)
	rss, traced = runs["rss"], runs["trace"]
	return {
		"messages": args.memory_messages,
		"size": rss["size"],
		"peak": traced["peak"],
		"rss_delta": rss["after"] - rss["before"],
		"rss_after": rss["after"],
		"complete": rss["ingested"] == args.memory_messages and traced["ingested"] == args.memory_messages,
	}


# ---------------------------------------------------------------------------------------------- main


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--clients", type=int, default=100, help="CRTC clients in the poll cycle")
	parser.add_argument("--latency-ms", type=float, default=50, help="added each way to Dovecot (part 1)")
	parser.add_argument("--messages", type=int, default=1000, help="messages ingested by each (part 2)")
	parser.add_argument("--workers", type=int, default=4, help="worker processes running the poll jobs")
	parser.add_argument("--repeat", type=int, default=3, help="timed poll cycles")
	parser.add_argument("--serial-sample", type=int, default=10, help="clients timed for the serial figure")
	parser.add_argument("--memory-messages", type=int, default=200, help="new messages in the memory run")
	parser.add_argument("--attachment-mb", type=int, default=5, help="the large attachment (memory run)")
	parser.add_argument("--memory-budget-mb", type=float, default=256, help="peak memory budget of a job")
	parser.add_argument("--parts", default="1,2,3", help="which parts to run, e.g. 2,3")
	args = parser.parse_args()
	parts = {int(p) for p in args.parts.split(",") if p.strip()}

	ensure_site()
	frappe = connect()
	ctx = multiprocessing.get_context("spawn")
	say(
		f"CRTC mailroom benchmark: site {SITE}, MariaDB {frappe.db.sql('SELECT VERSION()')[0][0]}, "
		f"{os.cpu_count()} CPUs, Dovecot {subprocess.run(['dovecot', '--version'], capture_output=True, text=True).stdout.split()[0]}"
	)
	domains = [client_domain(i) for i in range(args.clients)] + [INGEST_DOMAIN, MEM_DOMAIN, FRAPPE_DOMAIN]
	limit = max(1000, 2 * args.workers * 14)
	dovecot = make_dovecot(domains, limit).start()
	say(f"Dovecot on {dovecot.port}: {len(domains)} domains x 14 mailboxes, process limits {limit}")
	results = {}
	try:
		if 1 in parts:
			say("")
			say(
				f"1. poll cycle, {args.clients} clients x 14 mailboxes, no new mail, +{args.latency_ms:g} ms each way"
			)
			results[1] = part_cycle(frappe, args, dovecot, ctx)
		if 2 in parts:
			say("")
			say(
				f"2. ingestion of {args.messages} messages: ours vs Frappe's Email Account (no added latency)"
			)
			results[2] = part_ingest(frappe, args, dovecot)
		if 3 in parts:
			say("")
			say(
				f"3. peak memory of a poll job: {args.memory_messages} new messages over 14 mailboxes, "
				f"one with a {args.attachment_mb} MB attachment"
			)
			results[3] = part_memory(frappe, args, dovecot, ctx)
	finally:
		dovecot.stop()
		disable_clients(frappe, [*domains[: args.clients], INGEST_DOMAIN, MEM_DOMAIN])

	ok = True
	say("")
	say("=" * 100)
	say("summary")
	if 1 in results:
		r = results[1]
		passed = r["median"] < CYCLE_TARGET_S and not r["errors"]
		ok &= passed
		say(
			f"1. poll cycle, {r['clients']} clients x 14 = {r['mailboxes']} mailboxes, no new mail, "
			f"+{args.latency_ms:g} ms each way: median {r['median']:.2f} s "
			f"({', '.join(f'{c:.2f}' for c in r['cycles'])}) with K = {r['workers']} workers x "
			f"{r['threads']} threads; serial one by one {r['serial']:.1f} s ({r['serial_note']}); "
			f"{len(r['errors'])} mailbox errors -> target < {CYCLE_TARGET_S:.0f} s: "
			+ ("PASS" if passed else "FAIL")
		)
	if 2 in results:
		r = results[2]
		passed = r["ratio"] >= RATE_TARGET and r["complete"]
		ok &= passed
		say(
			f"2. ingestion of {r['n']} messages: ours {r['ours_rate']:.1f} msg/s ({r['ours_s']:.1f} s, "
			f"{r['ours_issues']} Issues), Frappe Email Account {r['theirs_rate']:.1f} msg/s ({r['theirs_s']:.1f} s, "
			f"{r['theirs_issues']} Issues): ratio {r['ratio']:.2f}x -> target >= {RATE_TARGET:.1f}x: "
			+ ("PASS" if passed else "FAIL")
		)
	if 3 in results:
		r = results[3]
		worst = max(r["peak"], r["rss_delta"]) / MB
		passed = worst <= args.memory_budget_mb and r["complete"]
		ok &= passed
		say(
			f"3. peak memory of a poll job ({r['messages']} new messages, {r['size'] / MB:.1f} MB, one "
			f"{args.attachment_mb} MB attachment): tracemalloc peak {r['peak'] / MB:.1f} MB, ru_maxrss delta "
			f"{r['rss_delta'] / MB:.1f} MB (process {r['rss_after'] / MB:.1f} MB) -> budget "
			f"{args.memory_budget_mb:g} MB (assumed): " + ("PASS" if passed else "FAIL")
		)
	say("=" * 100)
	frappe.destroy()
	return 0 if ok else 1


if __name__ == "__main__":
	sys.exit(main())
