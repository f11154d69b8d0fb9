"""Benchmark: guest `create_ticket` against the generic `POST /api/resource/Issue` as Administrator.

Both run on the same server, interleaved in rounds so that drift hits both alike; the rates are medians
over the rounds. Rate limits are switched off for the run and restored afterwards.

    python bench/intake_rate.py --url http://127.0.0.1:8000 --n 200 --rounds 5

Target (issue 3): create_ticket at >= 0.8x the generic insert's rate.
"""

import argparse
import statistics
import time
import uuid

import requests

SETTINGS_URL = "/api/resource/PW Helpdesk Settings/PW Helpdesk Settings"
LIMITS = ("rate_limit_email_count", "rate_limit_ip_count")


def admin_session(url: str, password: str) -> requests.Session:
	s = requests.Session()
	s.post(
		f"{url}/api/method/login", data={"usr": "Administrator", "pwd": password}, timeout=30
	).raise_for_status()
	return s


def run_ours(url: str, n: int) -> float:
	s = requests.Session()
	started = time.perf_counter()
	for i in range(n):
		r = s.post(
			f"{url}/api/method/pw_helpdesk.api.create_ticket",
			json={
				"email": f"bench-{uuid.uuid4().hex[:10]}@example.com",
				"subject": f"Benchmark ticket {i}",
				"message": "How much is a CRTC registration?\nThanks",
				"category": "question",
			},
			timeout=30,
		)
		r.raise_for_status()
	return n / (time.perf_counter() - started)


def run_generic(url: str, n: int, admin: requests.Session) -> float:
	started = time.perf_counter()
	for i in range(n):
		r = admin.post(
			f"{url}/api/resource/Issue",
			json={
				"subject": f"Generic benchmark ticket {i}",
				"raised_by": f"bench-{uuid.uuid4().hex[:10]}@example.com",
				"description": "<p>How much is a CRTC registration?<br>Thanks</p>",
				"issue_type": "Sales Inquiry",
				"priority": "Medium",
			},
			timeout=30,
		)
		r.raise_for_status()
	return n / (time.perf_counter() - started)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--admin-password", default="admin")
	parser.add_argument("--n", type=int, default=200, help="requests per path per round")
	parser.add_argument("--rounds", type=int, default=5)
	args = parser.parse_args()

	admin = admin_session(args.url, args.admin_password)
	saved = admin.get(args.url + SETTINGS_URL, timeout=30).json()["data"]
	admin.put(args.url + SETTINGS_URL, json=dict.fromkeys(LIMITS, 0), timeout=30).raise_for_status()
	try:
		run_ours(args.url, 10)  # warm-up: imports, caches, connections
		run_generic(args.url, 10, admin)
		ours, generic = [], []
		for _ in range(args.rounds):
			ours.append(run_ours(args.url, args.n))
			generic.append(run_generic(args.url, args.n, admin))
	finally:
		admin.put(args.url + SETTINGS_URL, json={k: saved.get(k) for k in LIMITS}, timeout=30)

	ratios = [o / g for o, g in zip(ours, generic, strict=True)]
	print(f"{'round':>5} {'create_ticket/s':>16} {'resource Issue/s':>17} {'ratio':>6}")
	for i, (o, g, r) in enumerate(zip(ours, generic, ratios, strict=True), 1):
		print(f"{i:>5} {o:>16.1f} {g:>17.1f} {r:>6.2f}")
	print(
		f"median: create_ticket {statistics.median(ours):.1f}/s, generic {statistics.median(generic):.1f}/s, "
		f"ratio {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f}); target >= 0.80"
	)


if __name__ == "__main__":
	main()
