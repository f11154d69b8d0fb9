"""What the benchmarks share: the benchmark site, its connection, and the measuring helpers.

The scripts run as `python bench/NAME.py`, so this folder is on sys.path and they `import _site`.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(os.environ.get("FRAPPE_BENCH", Path.home() / "frappe-bench"))
SITES = BENCH / "sites"
SITE = "pw-bench.localhost"


def say(message: str = "") -> None:
	print(message, flush=True)


# ---------------------------------------------------------------------------------------------- site


def ensure_site() -> None:
	if (SITES / SITE / "site_config.json").is_file():
		return
	say(f"site {SITE} missing: creating it with dev/bench.sh fresh-site (about a minute)")
	subprocess.run([str(REPO / "dev/bench.sh"), "fresh-site", SITE], check=True)


def connect():
	os.chdir(SITES)
	import frappe

	frappe.init(site=SITE, sites_path=str(SITES))
	frappe.connect()
	frappe.set_user("Administrator")
	if "pw_helpdesk" not in frappe.get_installed_apps():
		frappe.destroy()
		subprocess.run(
			[str(REPO / "dev/bench.sh"), "frappe", "--site", SITE, "install-app", "pw_helpdesk"], check=True
		)
		frappe.init(site=SITE, sites_path=str(SITES))
		frappe.connect()
		frappe.set_user("Administrator")
	return frappe


# ---------------------------------------------------------------------------------------------- measuring


def pct(samples: list[float], p: float) -> float:
	ordered = sorted(samples)
	return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]  # nearest rank


def stats(samples: list[float]) -> tuple[float, float, float, float]:
	"""median, min, max, p90"""
	ordered = sorted(samples)
	return statistics.median(ordered), ordered[0], ordered[-1], pct(ordered, 90)


def timed(fn, repeat: int) -> tuple[list[float], object]:
	samples, result = [], None
	for _ in range(repeat):
		started = time.perf_counter()
		result = fn()
		samples.append((time.perf_counter() - started) * 1000)
	return samples, result


def capture_queries(frappe, fn, table: str) -> list[tuple[str, object]]:
	"""The SQL (and parameters) on `table` that fn sends, as frappe.qb's run() hands it to frappe.db.sql."""
	sent = []
	real = frappe.db.sql

	def spy(query, values=(), *args, **kwargs):
		sent.append((str(query), values))
		return real(query, values, *args, **kwargs)

	with mock.patch.object(frappe.local.db, "sql", spy):
		fn()
	return [(q, v) for q, v in sent if table in q]


def handler_reads(frappe) -> dict[str, int]:
	rows = frappe.db.sql("SHOW SESSION STATUS LIKE 'Handler_read%%'")
	return {name: int(value) for name, value in rows}


def rows_read_by(frappe, fn) -> dict[str, int]:
	"""Storage-engine row reads of fn (session Handler_read_* counters, minus SHOW STATUS's own reads)."""
	a = handler_reads(frappe)
	b = handler_reads(frappe)
	fn()
	c = handler_reads(frappe)
	return {k: (c[k] - b[k]) - (b[k] - a[k]) for k in a}


def table(rows: list[dict], columns: list[str]) -> str:
	cells = [[("NULL" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
	widths = [max(len(c), *(len(row[k]) for row in cells)) for k, c in enumerate(columns)]
	lines = ["  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
	lines += ["  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
	return "\n".join(lines)
