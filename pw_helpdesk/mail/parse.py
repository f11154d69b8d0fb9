"""Incoming mail, pure: MIME parsing, threading keys, Issue references, automatic-mail detection.

No frappe here: the adapter (`mail/incoming.py`) feeds raw bytes and gets plain values back.
"""

from __future__ import annotations

import email
import hashlib
import html
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from pw_helpdesk.lifecycle.rules import is_automatic_mail

ISSUE_REF = re.compile(r"\[(ISS-\d{4}-\d{5})\]")
_MSG_ID = re.compile(r"<([^<>\s]+)>")
# Headers that decide whether a message is automatic (lifecycle.rules.is_automatic_mail reads them).
_AUTOMATIC_HEADERS = (
	"Auto-Submitted",
	"Precedence",
	"X-Autoreply",
	"X-Autorespond",
	"X-Auto-Response-Suppress-Reply",
	"Content-Type",
	"Return-Path",
)
MAX_REFERENCES = 20


@dataclass(frozen=True)
class Mail:
	"""What the desk needs from one received message."""

	message_id: str  # without <>; synthetic ("pw-sha256-…@inbox") when the message has none
	in_reply_to: tuple[str, ...]
	references: tuple[str, ...]  # oldest first, as in the header
	subject: str
	sender: str  # address only, lower-case
	sender_name: str
	to: tuple[str, ...]
	cc: tuple[str, ...]
	date: object | None  # datetime (aware) or None
	text: str
	html: str
	automatic: bool
	bounced_message_ids: tuple[str, ...] = field(default=())  # Message-IDs quoted inside a bounce report

	@property
	def thread_keys(self) -> list[str]:
		return thread_keys(self)

	@property
	def issue_refs(self) -> list[str]:
		return issue_refs(self.subject)

	def body_html(self) -> str:
		"""The message as HTML: its HTML part, else its text part escaped with line breaks kept."""
		if self.html.strip():
			return self.html
		return text_to_html(self.text)


def message_ids(value: str | None) -> list[str]:
	"""Every <id> in a Message-ID / In-Reply-To / References header, without the brackets, in order."""
	seen: dict[str, None] = {}
	for match in _MSG_ID.findall(str(value or "")):
		seen.setdefault(match.strip(), None)
	return list(seen)


def issue_refs(subject: str | None) -> list[str]:
	"""Issue names written as [ISS-YYYY-NNNNN] in a subject, in order of appearance."""
	return list(dict.fromkeys(ISSUE_REF.findall(subject or "")))


def thread_keys(mail: Mail) -> list[str]:
	"""Message-IDs that may name the thread, most specific first.

	In-Reply-To (the message answered), then References newest to oldest, then the Message-IDs quoted in a
	bounce report (the message that bounced). Our own Message-ID of this mail is not among them.
	"""
	keys = [*mail.in_reply_to, *reversed(mail.references), *mail.bounced_message_ids]
	keys = [k for k in dict.fromkeys(keys) if k and k != mail.message_id]
	return keys[: MAX_REFERENCES * 2]


def text_to_html(text: str) -> str:
	return html.escape(text or "").replace("\r\n", "\n").replace("\n", "<br>\n")


def _header(msg: Message, name: str) -> str:
	try:
		value = msg.get(name)
	except Exception:  # a header the policy cannot parse: keep its raw text
		value = msg.get_all(name, failobj=[""])[0] if hasattr(msg, "get_all") else ""
	return str(value or "").strip()


def _addresses(msg: Message, name: str) -> tuple[str, ...]:
	values = [str(v) for v in (msg.get_all(name) or [])]
	return tuple(addr.lower() for _, addr in getaddresses(values) if addr)


def _part_text(part: Message) -> str:
	try:
		return part.get_content()
	except Exception:
		payload = part.get_payload(decode=True) or b""
		try:
			return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
		except LookupError:  # an unknown charset
			return payload.decode("utf-8", errors="replace")


def _bodies(msg: EmailMessage) -> tuple[str, str]:
	text = html_body = ""
	try:
		part = msg.get_body(preferencelist=("plain",))
		if part is not None:
			text = _part_text(part)
		part = msg.get_body(preferencelist=("html",))
		if part is not None:
			html_body = _part_text(part)
	except Exception:
		pass
	if not (text or html_body) and not msg.is_multipart():
		text = _part_text(msg)
	return text, html_body


def _bounced_ids(msg: Message) -> tuple[str, ...]:
	"""Message-IDs of the original message inside a delivery report (message/rfc822, text/rfc822-headers)."""
	if not msg.is_multipart():
		return ()
	ids: list[str] = []
	for part in msg.walk():
		ctype = part.get_content_type()
		if ctype == "message/rfc822":
			payload = part.get_payload()
			inner = payload[0] if isinstance(payload, list) and payload else None
			if isinstance(inner, Message):
				ids += message_ids(inner.get("Message-ID"))
		elif ctype == "text/rfc822-headers":
			inner = email.message_from_string(_part_text(part), policy=policy.default)
			ids += message_ids(inner.get("Message-ID"))
	return tuple(dict.fromkeys(ids))


def parse(raw: bytes) -> Mail:
	"""Parse one RFC 5322 message; never raises on odd input (a best-effort Mail comes back)."""
	msg = email.message_from_bytes(raw, policy=policy.default)
	name, sender = parseaddr(_header(msg, "From"))
	headers = {h: _header(msg, h) for h in _AUTOMATIC_HEADERS if msg.get(h) is not None}
	own_ids = message_ids(_header(msg, "Message-ID"))
	message_id = own_ids[0] if own_ids else f"pw-sha256-{hashlib.sha256(raw).hexdigest()[:32]}@inbox"
	try:
		date = parsedate_to_datetime(_header(msg, "Date"))
	except (TypeError, ValueError, IndexError):
		date = None
	text, html_body = _bodies(msg)
	automatic = is_automatic_mail(headers, sender)
	return Mail(
		message_id=message_id,
		in_reply_to=tuple(message_ids(_header(msg, "In-Reply-To"))),
		references=tuple(message_ids(_header(msg, "References"))[-MAX_REFERENCES:]),
		subject=" ".join(_header(msg, "Subject").split()),
		sender=sender.lower(),
		sender_name=name,
		to=_addresses(msg, "To"),
		cc=_addresses(msg, "Cc"),
		date=date,
		text=text,
		html=html_body,
		automatic=automatic,
		bounced_message_ids=_bounced_ids(msg) if automatic else (),
	)


def references_header(ids: list[str], limit: int = MAX_REFERENCES) -> str:
	"""A References header value from Message-IDs (oldest first); keeps the first and the newest ones."""
	ids = [i for i in dict.fromkeys(ids) if i]
	if len(ids) > limit:
		ids = [ids[0], *ids[-(limit - 1) :]]
	return " ".join(f"<{i}>" for i in ids)
