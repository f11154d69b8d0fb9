from datetime import datetime, timedelta

import pytest

from pw_helpdesk.lifecycle import rules

NOW = datetime(2026, 12, 4, 12, 0)


def decide(status, *, customer=True, automatic=False, resolved_days_ago=None, grace=7):
	resolved_on = NOW - timedelta(days=resolved_days_ago) if resolved_days_ago is not None else None
	return rules.on_message(
		status,
		from_customer=customer,
		automatic=automatic,
		resolved_on=resolved_on,
		now=NOW,
		grace_days=grace,
	)


@pytest.mark.parametrize("status", ["Open", "Replied", "On Hold"])
def test_agent_reply_sets_replied(status):
	d = decide(status, customer=False)
	assert (d.status, d.stamp, d.follow_up) == ("Replied", "agent", False)


@pytest.mark.parametrize("status", ["Open", "Replied", "On Hold"])
def test_customer_reply_sets_open(status):
	d = decide(status)
	assert (d.status, d.stamp) == ("Open", "customer")


def test_customer_reply_within_grace_reopens_resolved():
	assert decide("Resolved", resolved_days_ago=3).status == "Open"


def test_customer_reply_after_grace_opens_a_follow_up():
	d = decide("Resolved", resolved_days_ago=8)
	assert (d.status, d.follow_up) == ("Resolved", True)


def test_customer_reply_to_closed_opens_a_follow_up():
	d = decide("Closed")
	assert (d.status, d.follow_up) == ("Closed", True)


@pytest.mark.parametrize("status", ["Open", "Replied", "Resolved", "Closed"])
def test_automatic_mail_changes_nothing(status):
	d = decide(status, automatic=True, resolved_days_ago=1)
	assert (d.status, d.follow_up, d.stamp) == (status, False, None)


@pytest.mark.parametrize(
	"headers",
	[
		{"Auto-Submitted": "auto-replied"},
		{"Auto-Submitted": "auto-generated"},
		{"Precedence": "bulk"},
		{"Precedence": "list"},
		{"Precedence": "auto_reply"},
		{"X-Autoreply": "yes"},
		{"Content-Type": 'multipart/report; report-type=delivery-status; boundary="x"'},
		{"Return-Path": "<>"},
	],
)
def test_automatic_mail_is_recognised(headers):
	assert rules.is_automatic_mail(headers)


def test_bounce_sender_is_automatic():
	assert rules.is_automatic_mail({}, "MAILER-DAEMON@mx.example.com")


@pytest.mark.parametrize("headers", [{}, {"Auto-Submitted": "no"}, {"Precedence": "first-class"}])
def test_person_mail_is_not_automatic(headers):
	assert not rules.is_automatic_mail(headers, "jane@example.com")


def close(status, agent=None, customer=None, resolved=None, days=7):
	ago = lambda d: NOW - timedelta(days=d) if d is not None else None  # noqa: E731
	return rules.close_reason(
		status,
		last_agent_reply=ago(agent),
		last_customer_reply=ago(customer),
		resolved_on=ago(resolved),
		now=NOW,
		days=days,
	)


def test_replied_past_the_limit_is_due():
	assert close("Replied", agent=8)


def test_replied_within_the_limit_is_not_due():
	assert close("Replied", agent=6) is None


def test_customer_reply_after_the_agent_blocks_close():
	assert close("Replied", agent=9, customer=8) is None


def test_resolved_past_the_limit_is_due():
	assert close("Resolved", resolved=8)


def test_zero_days_switches_auto_close_off():
	assert close("Replied", agent=100, days=0) is None
