"""The compliance monitor with real workers and concurrent sweeps."""

import subprocess
import time
from unittest.mock import patch

import pytest
from conftest import BENCH, SITE, frappe_cmd

from pw_helpdesk.setup.demo import DEMO_CUSTOMERS

ALICE = DEMO_CUSTOMERS[0]
BYPASS = "Let's settle this outside: WhatsApp me at +1 416 555 0188 and I'll pay by Zelle."


@pytest.fixture
def accounting_issue(site_db, demo_site):
	frappe = site_db
	frappe.db.rollback()
	frappe.db.set_value("Customer", ALICE["customer"], "pw_accounting_suspended", 0)
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": "Payment plan",
			"issue_type": "Accounting Support",
			"customer": ALICE["customer"],
			"raised_by": ALICE["email"],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return issue.name


def client_message(frappe, issue: str, content: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"sender": ALICE["email"],
			"content": content,
			"reference_doctype": "Issue",
			"reference_name": issue,
		}
	).insert(ignore_permissions=True)
	return doc.name


def test_inline_flag_is_acted_on_by_a_worker(site_db, worker, accounting_issue):
	frappe = site_db
	comm = client_message(frappe, accounting_issue, BYPASS)
	frappe.db.commit()
	deadline = time.monotonic() + 60
	while time.monotonic() < deadline:
		frappe.db.rollback()
		if frappe.db.get_value("PW Bypass Flag", comm, "alert_issue"):
			break
		time.sleep(0.5)
	flag = frappe.get_doc("PW Bypass Flag", comm)
	assert flag.detected_via == "Inline"
	assert set(flag.kinds.split(", ")) >= {"messaging", "payment"}
	assert frappe.db.get_value("Issue", flag.alert_issue, "issue_type") == "Compliance Alert"


def test_two_concurrent_sweeps_act_once_per_message(site_db, accounting_issue):
	frappe = site_db
	# Flagged inline, but their jobs are dropped, as if no worker ever ran them: the sweeps must do it all.
	with patch("frappe.enqueue"):
		comms = [client_message(frappe, accounting_issue, f"{BYPASS} (#{i})") for i in range(5)]
	frappe.db.commit()
	assert all(frappe.db.get_value("Communication", c, "pw_bypass_pending") for c in comms)

	cmd = frappe_cmd("--site", SITE, "pw-helpdesk", "sweep")
	procs = [subprocess.Popen(cmd, cwd=BENCH / "sites", stdout=subprocess.PIPE, text=True) for _ in range(2)]
	outputs = [p.communicate(timeout=300)[0] for p in procs]
	assert all(p.returncode == 0 for p in procs), outputs

	frappe.db.rollback()
	flags = frappe.get_all("PW Bypass Flag", filters={"communication": ("in", comms)}, pluck="name")
	assert sorted(flags) == sorted(comms)
	alerts = frappe.db.count(
		"Issue", {"pw_reference_name": accounting_issue, "issue_type": "Compliance Alert"}
	)
	assert alerts == len(comms)
	warnings = frappe.db.count("Communication", {"reference_name": accounting_issue, "pw_automatic": 1})
	assert warnings == len(comms)
