"""Benchmark: the auto-close job (`pw_helpdesk.lifecycle.auto_close`) over a large Issue table.

Fills its own site (pw-bench.localhost, created with `dev/bench.sh fresh-site` when missing) to N Issues
with batched multi-row INSERTs, none of them due for auto-close unless `--due K` makes K of them due, then
times `auto_close.run(dry_run=True)` and the raw `candidates()` query in this process, and prints the
EXPLAIN of the two candidate queries as auto_close.py sends them.

    ~/frappe-bench/env/bin/python bench/auto_close.py                 # 100,000 Issues, none due
    ~/frappe-bench/env/bin/python bench/auto_close.py --due 50 --repeat 30

Target (issue: "touches only due Issues"): with 100,000 Issues and none due, the median run takes < 1 s.

Benchmark rows are named `bench-autoclose-0000000`... with subject `bench-autoclose #...` and are reused by
later runs: their timestamps are shifted to the current time so that none becomes due by ageing. The
settings (auto-close after 7 days, warning 24 h) and the rows made due are restored afterwards.
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from _site import SITE, capture_queries, connect, ensure_site, rows_read_by, say, stats, table, timed

SETTINGS = "PW Helpdesk Settings"
ANCHOR_KEY = (
	"pw_bench_autoclose_anchor"  # when the benchmark rows' timestamps were last set (tabDefaultValue)
)
PREFIX = "bench-autoclose"
NAME_LIKE = PREFIX + "-%"
SEED = 20260415
DAYS, WARN_HOURS = 7, 24
TARGET_MS = 1000.0
BATCH = 2000
DAY = 86400.0
SPAN_DAYS = 58.0  # every timestamp of a row lies within the last 60 days
FRESH_DAYS = 5.9  # under DAYS - WARN_HOURS (6 days): not even due for the warning

STATUS_MIX = {"Closed": 50, "Open": 17, "Replied": 15, "Resolved": 10, "On Hold": 8}
ISSUE_TYPES = {
	"Support": 40,
	"Bug": 15,
	"Sales Inquiry": 15,
	"Accounting Support": 10,
	"Feature Request": 8,
	"CRTC Correspondence": 7,
	"Compliance Alert": 5,
}
PRIORITIES = {"Low": 20, "Medium": 55, "High": 20, "Urgent": 5}
CHANNELS = {"Email": 45, "Web Widget": 20, "Contact Form": 15, "Portal": 10, "Script Alert": 5, "API": 5}
COLUMNS = (
	"name",
	"creation",
	"modified",
	"modified_by",
	"owner",
	"naming_series",
	"subject",
	"raised_by",
	"status",
	"priority",
	"issue_type",
	"description",
	"opening_date",
	"opening_time",
	"first_responded_on",
	"resolution_date",
	"pw_channel",
	"pw_last_agent_reply",
	"pw_last_customer_reply",
	"pw_resolved_on",
	"pw_close_warning_sent",
)
# Datetime columns moved forward when reused rows are brought up to date (opening_* follow `creation`).
SHIFTED = (
	"creation",
	"modified",
	"first_responded_on",
	"resolution_date",
	"pw_last_agent_reply",
	"pw_last_customer_reply",
	"pw_resolved_on",
	"pw_close_warning_sent",
)


# ---------------------------------------------------------------------------------------------- site


# ---------------------------------------------------------------------------------------------- rows


def row_name(i: int) -> str:
	return f"{PREFIX}-{i:07d}"


def pick(rng: random.Random, weights: dict[str, int]) -> str:
	return rng.choices(list(weights), list(weights.values()))[0]


def make_row(i: int, anchor: datetime) -> dict:
	"""Issue number i, relative to `anchor` (the time of filling): never due for auto-close or its warning."""
	rng = random.Random(SEED * 1_000_003 + i)

	def ago(lo_days: float, hi_days: float) -> datetime:
		return anchor - timedelta(seconds=rng.uniform(lo_days * DAY, hi_days * DAY))

	def before(moment: datetime, max_days: float) -> datetime:
		room = min(max_days * DAY, (moment - (anchor - timedelta(days=SPAN_DAYS))).total_seconds())
		return moment - timedelta(seconds=rng.uniform(0, max(room, 0)))

	status = pick(rng, STATUS_MIX)
	agent = customer = resolved = warned = None
	if status == "Replied":
		if rng.random() < 0.03:
			# The customer wrote after an old agent reply but the status stayed Replied: in the index range of
			# the query (status, agent reply), excluded by its customer-reply condition.
			agent = ago(FRESH_DAYS + 1, SPAN_DAYS - 1)
			customer = agent + timedelta(seconds=rng.uniform(60, (anchor - agent).total_seconds()))
		else:
			agent = ago(0.01, FRESH_DAYS)
			customer = before(agent, 3) if rng.random() < 0.7 else None
	elif status == "Resolved":
		resolved = ago(0.01, FRESH_DAYS)
		agent = before(resolved, 2)
		customer = before(agent, 3) if rng.random() < 0.6 else None
	elif status == "Closed":
		resolved = ago(0, SPAN_DAYS - 2)
		agent = before(resolved, 2)
		customer = before(agent, 3) if rng.random() < 0.6 else None
		if rng.random() < 0.3:  # closed by the job after its warning
			warned = min(resolved + timedelta(days=DAYS - 1), anchor)
	elif status == "Open":
		customer = ago(0, SPAN_DAYS - 1)
		agent = before(customer, 3) if rng.random() < 0.5 else None
	else:  # On Hold
		agent = ago(0, SPAN_DAYS - 1)
		customer = before(agent, 3) if rng.random() < 0.5 else None
	return finish_row(rng, i, anchor, status, agent, customer, resolved, warned)


def make_due_row(i: int, j: int, anchor: datetime) -> dict:
	"""Issue number i, the j-th made due: Replied or Resolved 8-30 days ago; about half already warned two
	days ago (run() closes them), the others not yet (run() warns them)."""
	rng = random.Random(SEED * 1_000_003 + i)
	status = "Replied" if j % 2 == 0 else "Resolved"
	warned = anchor - timedelta(days=2) if j % 4 < 2 else None
	moment = anchor - timedelta(seconds=rng.uniform((DAYS + 1) * DAY, 30 * DAY))
	agent = moment if status == "Replied" else moment - timedelta(hours=rng.uniform(1, 48))
	resolved = moment if status == "Resolved" else None
	row = finish_row(rng, i, anchor, status, agent, None, resolved, warned)
	row["issue_type"] = "Support"  # not an excluded type
	return row


def finish_row(rng, i, anchor, status, agent, customer, resolved, warned) -> dict:
	events = [t for t in (agent, customer, resolved, warned) if t]
	first = min(events) if events else anchor - timedelta(seconds=rng.uniform(0, SPAN_DAYS * DAY))
	creation = first - timedelta(seconds=rng.uniform(0, 2 * DAY))
	issue_type = pick(rng, ISSUE_TYPES)
	return {
		"name": row_name(i),
		"creation": creation,
		"modified": max([creation, *events]),
		"modified_by": "Administrator",
		"owner": "Administrator",
		"naming_series": "ISS-.YYYY.-",
		"subject": f"{PREFIX} #{i}: {issue_type.lower()} question",
		"raised_by": f"customer{rng.randrange(5000)}@example.com",
		"status": status,
		"priority": pick(rng, PRIORITIES),
		"issue_type": issue_type,
		"description": "<p>Benchmark Issue for the auto-close job.</p>",
		"opening_date": creation.date(),
		"opening_time": creation.time(),
		"first_responded_on": agent,
		"resolution_date": resolved,
		"pw_channel": pick(rng, CHANNELS),
		"pw_last_agent_reply": agent,
		"pw_last_customer_reply": customer,
		"pw_resolved_on": resolved,
		"pw_close_warning_sent": warned,
	}


def upsert(frappe, rows: list[dict]) -> None:
	"""Batched multi-row INSERT ... ON DUPLICATE KEY UPDATE, every value a %s parameter."""
	columns = ", ".join(f"`{c}`" for c in COLUMNS)
	updates = ", ".join(f"`{c}` = VALUES(`{c}`)" for c in COLUMNS if c != "name")
	one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
	for start in range(0, len(rows), BATCH):
		batch = rows[start : start + BATCH]
		values = tuple(row[c] for row in batch for c in COLUMNS)
		frappe.db.sql(
			f"INSERT INTO `tabIssue` ({columns}) VALUES {', '.join([one] * len(batch))} "
			f"ON DUPLICATE KEY UPDATE {updates}",
			values,
		)
		frappe.db.commit()


def due_bench_rows(frappe, now: datetime) -> list[str]:
	"""Benchmark rows due for auto-close or its warning (left over by --due or an interrupted run)."""
	limit = now + timedelta(hours=WARN_HOURS) - timedelta(days=DAYS)
	return frappe.db.sql(
		"""SELECT name FROM `tabIssue` WHERE name LIKE %(like)s AND (
			(status = 'Replied' AND pw_last_agent_reply < %(limit)s
				AND (pw_last_customer_reply IS NULL OR pw_last_customer_reply < pw_last_agent_reply))
			OR (status = 'Resolved' AND pw_resolved_on < %(limit)s))""",
		{"like": NAME_LIKE, "limit": limit},
		pluck=True,
	)


def restore_rows(frappe, names: list[str], anchor: datetime) -> None:
	upsert(frappe, [make_row(int(name.rsplit("-", 1)[1]), anchor) for name in names])


def prepare(frappe, n: int, due: int) -> tuple[datetime, str, list[int]]:
	"""N benchmark Issues, timestamps relative to now, `due` of them due. Returns (anchor, what was done, due)."""
	from frappe.utils import get_datetime, now_datetime

	started = time.perf_counter()
	now = now_datetime()

	def count() -> int:
		return frappe.db.sql("SELECT COUNT(*) FROM `tabIssue` WHERE name LIKE %s", NAME_LIKE)[0][0]

	existing = count()
	anchor = frappe.db.get_global(ANCHOR_KEY)
	done = []
	if existing and not anchor:
		frappe.db.sql("DELETE FROM `tabIssue` WHERE name LIKE %s", NAME_LIKE)
		done.append(f"deleted {existing:,} benchmark rows of unknown age")
		existing = 0
	if existing:
		shift = now - get_datetime(anchor)
		micro = shift // timedelta(microseconds=1)
		sets = ", ".join(f"`{c}` = `{c}` + INTERVAL %(micro)s MICROSECOND" for c in SHIFTED)
		frappe.db.sql(
			f"UPDATE `tabIssue` SET {sets}, opening_date = DATE(creation), opening_time = TIME(creation) "
			"WHERE name LIKE %(like)s",
			{"micro": micro, "like": NAME_LIKE},
		)
		done.append(f"reused {existing:,} rows, timestamps moved forward by {shift}")
	frappe.db.set_global(ANCHOR_KEY, now.isoformat(sep=" "))
	frappe.db.commit()
	leftovers = due_bench_rows(frappe, now)
	if leftovers:
		restore_rows(frappe, leftovers, now)
		done.append(f"restored {len(leftovers)} rows left due by an earlier run")
	if existing > n:
		frappe.db.sql("DELETE FROM `tabIssue` WHERE name LIKE %s AND name >= %s", (NAME_LIKE, row_name(n)))
		done.append(f"deleted {existing - n:,} rows over --issues")
	elif existing < n:
		fill_started = time.perf_counter()
		upsert(frappe, [make_row(i, now) for i in range(existing, n)])
		if count() != n:  # gaps from an interrupted fill: write them all
			upsert(frappe, [make_row(i, now) for i in range(n)])
		done.append(
			f"inserted {n - existing:,} rows in {time.perf_counter() - fill_started:.1f} s "
			f"(batched INSERTs of {BATCH} rows)"
		)
	if existing != n:
		frappe.db.sql("ANALYZE TABLE `tabIssue`")  # fresh index statistics after the bulk change
		done.append("ANALYZE TABLE")
	frappe.db.commit()
	due_ids = [j * (n // due) for j in range(due)] if due else []
	if due_ids:
		upsert(frappe, [make_due_row(i, j, now) for j, i in enumerate(due_ids)])
		done.append(f"made {due} rows due")
	done.append(f"{time.perf_counter() - started:.1f} s")
	return now, "; ".join(done), due_ids


# ---------------------------------------------------------------------------------------------- measuring


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--issues", type=int, default=100_000, help="benchmark Issues on the site")
	parser.add_argument("--due", type=int, default=0, help="how many of them are due for auto-close")
	parser.add_argument("--repeat", type=int, default=15, help="timed runs (after 2 warm-up runs)")
	args = parser.parse_args()
	if not 0 <= args.due <= args.issues or args.issues < 1 or args.repeat < 1:
		parser.error("need --issues >= 1, 0 <= --due <= --issues, --repeat >= 1")

	ensure_site()
	frappe = connect()
	from frappe.utils import now_datetime

	from pw_helpdesk.lifecycle import auto_close
	from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import split_lines

	say(f"auto-close benchmark: site {SITE}, MariaDB {frappe.db.sql('SELECT VERSION()')[0][0]}")
	anchor, done, due_ids = prepare(frappe, args.issues, args.due)
	say(f"data: {done}")

	saved = {
		f: frappe.db.get_single_value(SETTINGS, f) for f in ("auto_close_days", "auto_close_warning_hours")
	}
	frappe.db.set_single_value(SETTINGS, {"auto_close_days": DAYS, "auto_close_warning_hours": WARN_HOURS})
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	frappe.db.commit()
	try:
		settings = auto_close.get_settings()
		excluded = split_lines(settings.auto_close_excluded_types)

		def query():
			# What run() asks: Issues due within the warning period, i.e. now + warning hours.
			lead = now_datetime() + timedelta(hours=int(settings.auto_close_warning_hours))
			return auto_close.candidates(int(settings.auto_close_days), lead, excluded)

		def job():
			return auto_close.run(dry_run=True)

		for _ in range(2):  # warm-up: imports, caches, buffer pool
			job()
			query()
		run_ms, report = timed(job, args.repeat)
		query_ms, found = timed(query, args.repeat)
		reads = rows_read_by(frappe, job)
		sent = capture_queries(frappe, query, "tabIssue")
		explained = []
		for sql, values in sent:
			plan = frappe.db.sql("EXPLAIN " + sql, values, as_dict=True)
			analyzed = frappe.db.sql("ANALYZE " + sql, values, as_dict=True)
			explained.append((frappe.db.mogrify(sql, values), plan, analyzed))
		total = frappe.db.sql("SELECT COUNT(*) FROM `tabIssue`")[0][0]
		by_status = frappe.db.sql(
			"SELECT status, COUNT(*) FROM `tabIssue` GROUP BY status ORDER BY COUNT(*) DESC"
		)
		indexes = frappe.db.sql("SHOW INDEX FROM `tabIssue` WHERE Key_name LIKE 'pw\\_%%'", as_dict=True)
	finally:
		frappe.db.set_single_value(SETTINGS, dict(saved))  # set_single_value adds `modified` to its dict
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		if due_ids:
			restore_rows(frappe, [row_name(i) for i in due_ids], anchor)
		frappe.db.commit()

	actions = {}
	for _, action, _ in report:
		actions[action] = actions.get(action, 0) + 1
	say(
		f"Issues: {total:,} in tabIssue ({args.issues:,} benchmark rows); "
		+ ", ".join(f"{s} {c:,}" for s, c in by_status)
	)
	say(f"due for auto-close or its warning: {args.due} (--due {args.due})")
	say(
		f"settings: auto-close after {DAYS} days, warning {WARN_HOURS} h, excluded types {excluded} "
		f"(restored afterwards to {saved})"
	)
	index_cols = {}
	for row in indexes:
		index_cols.setdefault(row.Key_name, []).append(row.Column_name)
	say("indexes: " + ", ".join(f"{k} ({', '.join(v)})" for k, v in index_cols.items()))
	say("")
	say(f"timings over {args.repeat} runs after 2 warm-up runs, in one process (ms):")
	say(f"  {'':26}{'median':>9}{'min':>9}{'max':>9}{'p90':>9}")
	for label, samples in (("run(dry_run=True)", run_ms), ("candidates() query", query_ms)):
		say(f"  {label:26}" + "".join(f"{v:9.2f}" for v in stats(samples)))
	say(
		f"Issues acted on by run(dry_run=True): {len(report)} "
		f"({', '.join(f'{a} {c}' for a, c in sorted(actions.items())) or 'none'}); "
		f"candidates() rows: {len(found)}; expected {args.due}"
	)
	say(
		"rows read by one run (session Handler_read_* deltas): "
		+ ", ".join(f"{k.removeprefix('Handler_read_')} {v}" for k, v in reads.items() if v)
		+ " (rnd_next = full-scan reads)"
		if any(reads.values())
		else "rows read by one run: none"
	)
	for title, (sql, plan, analyzed) in zip(("Replied", "Resolved"), explained, strict=False):
		say("")
		say(f"EXPLAIN of the {title} query, as auto_close.candidates() sends it:")
		say("  " + " ".join(sql.split()))
		say(
			table(
				plan,
				["id", "select_type", "table", "type", "possible_keys", "key", "key_len", "rows", "Extra"],
			)
		)
		say(
			"ANALYZE (executed): "
			+ "; ".join(f"r_rows {r.get('r_rows')}, r_filtered {r.get('r_filtered')}" for r in analyzed)
		)
	median = stats(run_ms)[0]
	ok = median < TARGET_MS and len(report) == args.due
	say("")
	say(
		f"target: median of run(dry_run=True) < {TARGET_MS:.0f} ms with {args.issues:,} Issues, "
		f"acting on exactly the {args.due} due -> {median:.2f} ms, {len(report)} acted on: "
		+ ("PASS" if ok else "FAIL")
	)
	frappe.destroy()
	return 0 if ok else 1


if __name__ == "__main__":
	sys.exit(main())
