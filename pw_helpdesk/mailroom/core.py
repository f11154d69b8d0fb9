"""CRTC mailroom rules, pure: the 14 standard mailboxes, priorities, attachments. No frappe here."""

from __future__ import annotations

import email
import hashlib
from dataclasses import dataclass
from email import policy

# Each Canadian client domain has these mailboxes; the priority decides alert vs digest.
STANDARD_MAILBOXES: dict[str, str] = {
	"regulatory": "High",
	"crtc": "High",
	"ccts": "High",
	"abuse": "High",
	"noc": "High",
	"corpadmin": "Medium",
	"registeredoffice": "Medium",
	"accounting": "Medium",
	"billing": "Medium",
	"postmaster": "Medium",
	"admin": "Medium",
	"info": "Low",
	"sales": "Low",
	"support": "Low",
}
PRIORITY_RANK = {"Low": 1, "Medium": 2, "High": 3, "Urgent": 4}


def highest(priorities) -> str:
	return max(priorities, key=lambda p: PRIORITY_RANK.get(p, 0))


def content_hash(raw: bytes) -> str:
	return hashlib.sha256(raw).hexdigest()


def parse_passwords(text: str) -> dict[str, str]:
	"""`localpart password` per line (blank lines and # comments skipped); localpart may carry @domain."""
	out: dict[str, str] = {}
	for number, line in enumerate(text.splitlines(), 1):
		line = line.strip()
		if not line or line.startswith("#"):
			continue
		parts = line.split(None, 1)
		if len(parts) != 2:
			raise ValueError(f"line {number}: expected 'localpart password'")
		localpart = parts[0].split("@", 1)[0].lower()
		if localpart not in STANDARD_MAILBOXES:
			raise ValueError(f"line {number}: {localpart} is not one of the 14 standard mailboxes")
		out[localpart] = parts[1]
	return out


@dataclass(frozen=True)
class Attachment:
	filename: str
	content_type: str
	content: bytes


def attachments(raw: bytes) -> list[Attachment]:
	"""Every attachment of a message, best effort: a part that cannot be decoded is skipped, not fatal."""
	try:
		msg = email.message_from_bytes(raw, policy=policy.default)
	except Exception:
		return []
	found = []
	for index, part in enumerate(msg.walk()):
		try:
			if part.is_multipart() or part.get_content_disposition() not in ("attachment", "inline"):
				continue
			if part.get_content_disposition() == "inline" and not part.get_filename():
				continue
			content = part.get_payload(decode=True)
			if content is None:
				continue
			name = (part.get_filename() or f"attachment-{index}").replace("/", "_").replace("\\", "_")
			found.append(Attachment(name[:140], part.get_content_type(), content))
		except Exception:
			continue
	return found


def excerpt(text: str, limit: int = 500) -> str:
	text = " ".join((text or "").split())
	return text if len(text) <= limit else text[: limit - 1] + "…"
