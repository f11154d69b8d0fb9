"""Pure rules of ticket intake: field validation, category mapping, safe HTML. No frappe here."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

CATEGORY_TO_ISSUE_TYPE = {
	"question": "Sales Inquiry",
	"support": "Support",
	"issue": "Bug",
	"service_request": "Feature Request",
	"quote": "Sales Inquiry",
}
CHANNELS = {"widget": "Web Widget", "contact_form": "Contact Form", "api": "API"}

MAX_SUBJECT = 140
MAX_MESSAGE = 20_000
MAX_NAME = 140
MAX_EMAIL = 254
MAX_PAGE_URL = 2_000
MAX_IDEMPOTENCY_KEY = 200

# Deliberately strict: one @, a dotted domain, no spaces or quotes. Mail servers accept more, but a
# web form that accepts `"a b"@[1.2.3.4]` only creates tickets nobody can answer.
_EMAIL = re.compile(
	r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FieldError(ValueError):
	"""Bad input, naming the field at fault."""

	def __init__(self, field: str, message: str):
		super().__init__(f"{field}: {message}")
		self.field = field
		self.message = message


@dataclass(frozen=True)
class TicketInput:
	email: str
	subject: str
	message: str
	category: str
	issue_type: str
	name: str
	page_url: str
	channel: str
	idempotency_key: str


def _text(value, field: str, *, required: bool, limit: int) -> str:
	if value is None:
		value = ""
	if not isinstance(value, str):
		raise FieldError(field, "must be a string")
	if "\x00" in value or "\ufffd" in value:
		raise FieldError(field, "must be UTF-8 text")
	value = value.strip()
	if required and not value:
		raise FieldError(field, "is required")
	if len(value) > limit:
		raise FieldError(field, f"must be at most {limit} characters (got {len(value)})")
	return value


def valid_email(email: str) -> bool:
	return len(email) <= MAX_EMAIL and bool(_EMAIL.match(email))


def validate_ticket(
	*,
	email,
	subject,
	message,
	category,
	name=None,
	page_url=None,
	channel=None,
	idempotency_key=None,
) -> TicketInput:
	"""Check every field of a website ticket; raise FieldError naming the first bad one."""
	email = _text(email, "email", required=True, limit=MAX_EMAIL).lower()
	if not valid_email(email):
		raise FieldError("email", "must be a valid email address")
	subject = _text(subject, "subject", required=True, limit=MAX_SUBJECT)
	if _CONTROL.search(subject) or "\n" in subject or "\r" in subject:
		raise FieldError("subject", "must be a single line of text")
	message = _text(message, "message", required=True, limit=MAX_MESSAGE)
	if _CONTROL.search(message):
		raise FieldError("message", "must be text, not binary data")
	category = _text(category, "category", required=True, limit=40).lower()
	if category not in CATEGORY_TO_ISSUE_TYPE:
		raise FieldError("category", f"must be one of {', '.join(CATEGORY_TO_ISSUE_TYPE)}")
	name = _text(name, "name", required=False, limit=MAX_NAME)
	page_url = _text(page_url, "page_url", required=False, limit=MAX_PAGE_URL)
	if page_url and not page_url.lower().startswith(("http://", "https://")):
		raise FieldError("page_url", "must be an http(s) URL")
	channel = _text(channel, "channel", required=False, limit=40).lower()
	if channel and channel not in CHANNELS:
		raise FieldError("channel", f"must be one of {', '.join(CHANNELS)}")
	idempotency_key = _text(idempotency_key, "idempotency_key", required=False, limit=MAX_IDEMPOTENCY_KEY)
	return TicketInput(
		email=email,
		subject=subject,
		message=message,
		category=category,
		issue_type=CATEGORY_TO_ISSUE_TYPE[category],
		name=name,
		page_url=page_url,
		channel=CHANNELS[channel] if channel else ("Web Widget" if page_url else "API"),
		idempotency_key=idempotency_key,
	)


def text_to_safe_html(text: str) -> str:
	"""Plain text as HTML: everything escaped (so no tags, handlers or remote content), line breaks kept."""
	paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
	return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())


def dedup_key(kind: str, *parts: str) -> str:
	"""A short stable key for deduplication rows: kind plus a hash of the parts."""
	digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]
	return f"{kind}:{digest}"


def window_retry_after(now: float, seconds: int) -> tuple[int, int]:
	"""Fixed-window rate limiting: (index of the current window, seconds until it ends)."""
	seconds = max(int(seconds), 1)
	index = int(now // seconds)
	return index, max(1, int((index + 1) * seconds - now))
