"""Off-platform bypass detector: finds contact details and payment channels that take a client off the
platform (phone, email, address, messaging, payment).

Pure Python (phonenumbers is the only dependency) so it runs in the web worker, in the mail intake and as
the `python -m pw_helpdesk.bypass` filter alike. Labelling rules: /work/shared/bypass/LABELING.md -- a kind
is reported when the message offers or asks for an off-platform channel, not when it merely names one.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._address import find_addresses
from ._email import find_emails
from ._messaging import find_messaging
from ._payment import find_payments
from ._phone import find_phones
from ._text import Doc

DETECTOR_VERSION = "1.0.0"
KINDS = ("phone", "email", "address", "messaging", "payment")
DEFAULT_PLATFORM_DOMAINS = ("performancewest.net", "carrierone.com")


@dataclass(frozen=True, slots=True)
class Finding:
	kind: str
	match: str
	start: int
	end: int


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
	"""Overlapping spans of one kind collapse into one."""
	merged: list[tuple[int, int]] = []
	for s, e in sorted(spans):
		if merged and s < merged[-1][1]:
			merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
		else:
			merged.append((s, e))
	return merged


def detect(text: str, platform_domains: Iterable[str] = DEFAULT_PLATFORM_DOMAINS) -> list[Finding]:
	"""Findings in `text`, sorted by offset; offsets index the original string."""
	if not text or not isinstance(text, str):
		return []
	if isinstance(platform_domains, str):
		platform_domains = (platform_domains,)  # a lone domain, not an iterable of characters
	platform = tuple(d.lower().strip(". ") for d in platform_domains if d and d.strip(". "))
	doc = Doc(text)
	per_kind = {
		"phone": find_phones(doc),
		"email": find_emails(doc, platform),
		"address": find_addresses(doc),
		"messaging": find_messaging(doc),
		"payment": find_payments(doc),
	}
	findings = []
	for kind, spans in per_kind.items():
		for s, e in _merge(spans):
			# Trim whitespace and trailing punctuation that the patterns may carry along.
			while e > s and text[e - 1] in " \t\r\n,;:":
				e -= 1
			while s < e and text[s] in " \t\r\n,;:":
				s += 1
			if e > s:
				findings.append(Finding(kind, text[s:e], s, e))
	findings.sort(key=lambda f: (f.start, f.end, f.kind))
	return findings


# --- quoted mail -------------------------------------------------------------------------------------

# English and French (Canadian clients) mail-client quote headers.
_QUOTE_HEADER = re.compile(
	r"^\s*(?:On|Le)\b.{0,300}?(?:\bwrote|\ba \u00e9crit)\s?:\s*$", re.IGNORECASE | re.DOTALL
)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}\s*$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:From|De)\s?:\*?\s+\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
	r"^\s*\*?(?:Sent|Date|To|Subject|Envoy\u00e9|\u00c0|Objet)\s?:\*?\s", re.IGNORECASE
)
_SIG_DELIM = re.compile(r"^-- ?$")


def strip_quoted(text: str) -> str:
	"""The writer's own words: drops quoted lines ("> "), everything from an "On ... wrote:" line, an
	"-----Original Message-----" or an Outlook "From: ... Sent: ..." header on, and a signature after "-- ".
	"""
	if not text:
		return ""
	lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
	kept: list[str] = []
	for i, line in enumerate(lines):
		if _SIG_DELIM.match(line) or _ORIGINAL.match(line):
			break
		# "On <date>, <name> wrote:" is often wrapped over two lines by the mail client.
		if _QUOTE_HEADER.match(line) or (
			line.lstrip().startswith(("On ", "Le "))
			and i + 1 < len(lines)
			and _QUOTE_HEADER.match(line + " " + lines[i + 1])
		):
			break
		if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(nxt) for nxt in lines[i + 1 : i + 5]):
			break
		if line.lstrip().startswith(">"):
			continue
		kept.append(line)
	return "\n".join(kept).rstrip()
