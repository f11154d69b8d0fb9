"""Email addresses, plain or obfuscated ("name at domain dot com", [at], (dot), spaced letters)."""

import re
from collections.abc import Iterable

from ._text import SCAM, Doc

_AT_CHARS = "@\uff20\ufe6b"
_PLAIN = re.compile(
	rf"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}(?:[{_AT_CHARS}]| [{_AT_CHARS}] )"
	r"(?P<domain>[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})*\.(?P<tld>[A-Za-z]{2,24}))"
	r"(?![A-Za-z0-9-])"
)
_FILE_EXT = frozenset(
	"png jpg jpeg gif svg pdf doc docx xls xlsx csv txt zip webp heic mp4 mov json xml htm html js css "
	"py tif tiff bmp ico psd ai eps ppt pptx odt rtf md".split()
)

# Obfuscated separators. Spelled "at" needs surrounding spaces; bracketed forms do not.
_AT_OBF = r"(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+at\s+|\s*-at-\s*|\s*\*at\*\s*|\s+[@\uff20]\s+)"
_DOT_OBF = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+|\s*-dot-\s*|\s*\*dot\*\s*)"
_DOT_ANY = rf"(?:{_DOT_OBF}|\s?\.\s?)"
_TLDS = (
	"com|net|org|ca|io|me|co|us|uk|de|fr|info|biz|edu|gov|app|dev|ai|email|online|tech|xyz|ly|tv|cc|au|"
	"nz|in|ie|es|it|nl|be|ch|se|no|dk|fi|mx|br|jp|pro|live|mail|ph|sg|za|pl|pt|at|cloud|site|store"
)
_LABEL = r"[A-Za-z0-9][A-Za-z0-9_%+-]{0,63}"
# The obfuscated form is found from its "at": the domain is matched forward from it and the mailbox
# backward (a search anchored at the "at"), which is far cheaper than trying every start offset.
# The "at" itself, without the surrounding blanks (they are added back in _obfuscated); starting the
# pattern with the marker instead of optional whitespace keeps the scan fast.
_AT_CORE = re.compile(
	r"[\[({<]\s*(?:at|@)\s*[\])}>]|(?<=\s)at(?=\s)|-at-|\*at\*|(?<=\s)[@\uff20](?=\s)", re.IGNORECASE
)
_OBF_DOMAIN = re.compile(
	rf"(?P<domain>{_LABEL}(?:{_DOT_ANY}{_LABEL}){{0,3}}{_DOT_ANY}(?P<tld>{_TLDS}))(?![A-Za-z0-9-])",
	re.IGNORECASE,
)
# "jdoe at gmail", "jdoe@gmail": a well-known provider stands in for the whole domain.
_PROVIDER_ONLY = re.compile(
	r"(?P<domain>gmail|hotmail|outlook|yahoo|protonmail|proton|icloud|aol|gmx|yandex)(?![\w@.-])", re.I
)
_PLAIN_PROVIDER = re.compile(
	rf"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}[{_AT_CHARS}]"
	r"(?:gmail|hotmail|outlook|yahoo|protonmail|proton|icloud|aol|gmx|yandex)(?![\w@.-])",
	re.IGNORECASE,
)
_OBF_LOCAL = re.compile(rf"(?<![\w.%+-]){_LABEL}(?:{_DOT_ANY}{_LABEL}){{0,4}}\Z", re.IGNORECASE)
_DOT_NORMALISE = re.compile(_DOT_ANY, re.IGNORECASE)
_OBF_DOT_PRESENT = re.compile(_DOT_OBF, re.IGNORECASE)
# "my proton is t.adeyemi": the provider implies the domain.
_IMPLIED_GATE = ("gmail", "hotmail", "outlook", "yahoo", "proton", "icloud", "aol", "gmx", "msn")
_IMPLIED = re.compile(
	r"\b(?:my|our|the|personal|work)\s+(?:gmail|hotmail|outlook|yahoo|proton(?:mail)?|icloud|aol|gmx|msn)\s*"
	r"(?:(?:address|account|email|e-mail|handle|username)\s*)?(?:is\s|:)\s*"
	r"(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]{1,63}[A-Za-z0-9])",
	re.IGNORECASE,
)
_PROVIDERS = frozenset(
	"gmail googlemail hotmail outlook live msn yahoo ymail proton protonmail pm icloud me mac aol gmx "
	"mail zoho yandex fastmail hey tutanota rogers bell sympatico telus shaw videotron cogeco comcast "
	"verizon att sbcglobal cox charter earthlink".split()
)
# Words that end up before a spelled " at " without being a mailbox ("reach me at ...").
_STOP_LOCAL = frozenset(
	"me us you him her them it is be here there home work office mail email e-mail and or the a an that "
	"this which anyone someone name look looking arrive arrived meet available reach call based located "
	"stay staying was were am are one desk send sent only just".split()
)
_EMAIL_CUE = re.compile(r"\b(?:e-?mail|mail|inbox|address|reach|contact|write|send|cc|correspondence)\b")
# Spaced-out letters ("b e a . s o l i s @ ..."): collapsed before matching.
_SPACED = re.compile(r"(?<!\S)(?:\S ){4,}\S(?!\S)")
# Rule X: an address supplied as content for a filing.
_CONTENT = re.compile(
	r"\b(?:regulatory contact|compliance contact|contact (?:e-?mail )?(?:for|on) the (?:filing|form|"
	r"certification|499|registration)|on the (?:499|form|filing|certification|registration|return)|"
	r"(?:list|show|print|put)(?:ed)? (?:it |that )?(?:as|on) (?:the|our))\b",
)
_REACH = re.compile(r"\b(?:reach|contact|write|e-?mail|send|cc|correspondence) (?:me|us|to)\b")


def _collapse(text: str) -> tuple[str, list[int]] | None:
	"""Text with spaced-out letter runs closed up, plus a map from new to original offsets."""
	runs = list(_SPACED.finditer(text))
	if not runs:
		return None
	chars: list[str] = []
	index: list[int] = []
	pos = 0
	for m in runs:
		for i in range(pos, m.start()):
			chars.append(text[i])
			index.append(i)
		for i in range(m.start(), m.end()):
			if text[i] != " ":
				chars.append(text[i])
				index.append(i)
		pos = m.end()
	for i in range(pos, len(text)):
		chars.append(text[i])
		index.append(i)
	index.append(len(text))
	return "".join(chars), index


def is_platform(domain: str, platform_domains: Iterable[str]) -> bool:
	domain = domain.lower().rstrip(".")
	return any(domain == p or domain.endswith("." + p) for p in platform_domains)


def _obfuscated(text: str) -> list[tuple[int, int, str, str]]:
	"""(start, end, local, domain) of "name at domain dot com"-style addresses."""
	out = []
	for at in _AT_CORE.finditer(text):
		a_start, a_end = at.span()
		while a_start > 0 and text[a_start - 1].isspace():
			a_start -= 1
		while a_end < len(text) and text[a_end].isspace():
			a_end += 1
		dom = _OBF_DOMAIN.match(text, a_end) or _PROVIDER_ONLY.match(text, a_end)
		if not dom:
			continue
		loc = _OBF_LOCAL.search(text, max(0, a_start - 90), a_start)
		if not loc:
			continue
		out.append((loc.start(), dom.end(), loc.group(0), dom.group("domain")))
	return out


def _scan(text: str, low: str, platform: tuple[str, ...], src_low: str) -> list[tuple[int, int]]:
	out = []
	if "@" in text or "\uff20" in text or "\ufe6b" in text:
		for m in _PLAIN.finditer(text):
			if m.group("tld").lower() in _FILE_EXT or is_platform(m.group("domain"), platform):
				continue
			out.append(m.span())
		out.extend(m.span() for m in _PLAIN_PROVIDER.finditer(text))
	if "at" in low or "@" in text or "\uff20" in text:
		for s, e, raw_local, raw_domain in _obfuscated(text):
			local = _DOT_NORMALISE.sub(".", raw_local)
			domain = _DOT_NORMALISE.sub(".", raw_domain)
			if local.lower() in _STOP_LOCAL or is_platform(domain, platform):
				continue
			whole = text[s:e]
			if not any(c in whole for c in "[({<*@\uff20"):
				# A bare " at " needs more evidence than a bracketed one.
				provider = domain.split(".")[0].lower() in _PROVIDERS
				shaped = any(c in local for c in "._0123456789")
				if not (provider or shaped or _OBF_DOT_PRESENT.search(whole) or _EMAIL_CUE.search(src_low)):
					continue
			out.append((s, e))
	if any(g in low for g in _IMPLIED_GATE):
		for m in _IMPLIED.finditer(text):
			if m.group("local").lower() not in _STOP_LOCAL:
				out.append(m.span("local"))
	return out


def find_emails(doc: Doc, platform_domains: tuple[str, ...]) -> list[tuple[int, int]]:
	"""Spans of non-platform email addresses in the message."""
	text = doc.text
	spans = _scan(text, doc.low, platform_domains, doc.low)
	collapsed = _collapse(text) if " " in text else None
	if collapsed is not None:
		ctext, index = collapsed
		for s, e in _scan(ctext, ctext.lower(), platform_domains, doc.low):
			spans.append((index[s], index[e - 1] + 1))
	result = []
	for s, e in spans:
		sentence = doc.low_sentence(s)
		if SCAM.search(sentence) or (_CONTENT.search(sentence) and not _REACH.search(sentence)):
			continue
		result.append((s, e))
	return result
