"""Incoming mail parsing and threading keys (pure Python, no frappe)."""

from email.message import EmailMessage

from pw_helpdesk.mail import parse


def build(subject="Question", headers=None, body="Hello\nthere", sender="Ann <Ann@Client.example>") -> bytes:
	msg = EmailMessage()
	msg["From"] = sender
	msg["To"] = "support@performancewest.net"
	msg["Subject"] = subject
	msg["Date"] = "Fri, 04 Dec 2026 10:00:00 +0000"
	for key, value in (headers or {}).items():
		msg[key] = value
	msg.set_content(body)
	return msg.as_bytes()


def bounce(original_id: str) -> bytes:
	"""A delivery status notification as Postfix sends it (RFC 3464), quoting the original message."""
	return f"""From: MAILER-DAEMON@mx.client.example (Mail Delivery System)
To: support@performancewest.net
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.client.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.client.example
Final-Recipient: rfc822; gone@client.example
Action: failed
Status: 5.1.1

--B
Content-Type: message/rfc822

From: support@performancewest.net
Subject: [ISS-2026-00001] Re: Question
Message-ID: <{original_id}>

Our answer
--B--
""".replace("\n", "\r\n").encode()


def test_message_ids_strips_brackets_and_keeps_order():
	assert parse.message_ids("<a@x> <b@y>\n <a@x>") == ["a@x", "b@y"]


def test_message_ids_of_garbage_is_empty():
	assert parse.message_ids("no ids here") == []


def test_issue_ref_found_in_subject():
	assert parse.issue_refs("Re: [ISS-2026-00042] Pricing") == ["ISS-2026-00042"]


def test_issue_ref_needs_brackets():
	assert parse.issue_refs("About ISS-2026-00042 again") == []


def test_parse_reads_threading_headers():
	raw = build(
		headers={"Message-ID": "<c1@client>", "In-Reply-To": "<s1@site>", "References": "<s0@site> <s1@site>"}
	)
	mail = parse.parse(raw)
	assert (mail.message_id, mail.in_reply_to, mail.references) == (
		"c1@client",
		("s1@site",),
		("s0@site", "s1@site"),
	)


def test_thread_keys_put_in_reply_to_first_then_newest_reference():
	raw = build(headers={"In-Reply-To": "<s2@site>", "References": "<s0@site> <s1@site> <s2@site>"})
	assert parse.parse(raw).thread_keys == ["s2@site", "s1@site", "s0@site"]


def test_thread_keys_from_references_only():
	raw = build(headers={"References": "<s0@site> <s1@site>"})
	assert parse.parse(raw).thread_keys == ["s1@site", "s0@site"]


def test_sender_is_lower_case_address():
	mail = parse.parse(build())
	assert (mail.sender, mail.sender_name) == ("ann@client.example", "Ann")


def test_missing_message_id_gets_a_stable_synthetic_one():
	raw = build()
	assert parse.parse(raw).message_id == parse.parse(raw).message_id
	assert parse.parse(raw).message_id.startswith("pw-sha256-")


def test_plain_text_body_becomes_escaped_html():
	mail = parse.parse(build(body="a <b> & c\nline 2"))
	assert mail.body_html().startswith("a &lt;b&gt; &amp; c<br>\nline 2")


def test_html_part_is_preferred():
	msg = EmailMessage()
	msg["From"] = "a@client.example"
	msg["Subject"] = "x"
	msg.set_content("plain")
	msg.add_alternative("<p>rich</p>", subtype="html")
	assert parse.parse(msg.as_bytes()).body_html().strip() == "<p>rich</p>"


def test_human_mail_is_not_automatic():
	assert not parse.parse(build()).automatic


def test_out_of_office_is_automatic():
	assert parse.parse(build(headers={"Auto-Submitted": "auto-replied"})).automatic


def test_precedence_bulk_is_automatic():
	assert parse.parse(build(headers={"Precedence": "bulk"})).automatic


def test_bounce_is_automatic():
	assert parse.parse(bounce("s1@site")).automatic


def test_bounce_yields_the_bounced_message_id_as_thread_key():
	assert "s1@site" in parse.parse(bounce("s1@site")).thread_keys


def test_folded_subject_is_one_line():
	raw = build(subject="A very long subject " * 6)
	assert "\n" not in parse.parse(raw).subject


def test_undecodable_body_does_not_raise():
	raw = b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=bogus\r\n\r\n\xff\xfe"
	assert parse.parse(raw).sender == "a@b.example"


def test_references_header_keeps_first_and_newest():
	ids = [f"m{i}@x" for i in range(30)]
	value = parse.references_header(ids, limit=5)
	assert value == "<m0@x> <m26@x> <m27@x> <m28@x> <m29@x>"
