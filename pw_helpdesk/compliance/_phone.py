"""Phone numbers in any spelling: digits, spaced/dotted groups, number words, look-alike letters.

Candidates are runs of digit-like tokens joined by separators; every token-aligned window of 7-15 digits
is validated with `phonenumbers`, so bare digit strings that are not dialable numbers never match.
Context then drops numbers named as something else (invoice, EIN, FRN, ...) and Rule X content.
"""

import re
from functools import lru_cache

import phonenumbers

from ._text import PHONE_WORD_RE, SCAM, Doc, words_to_int

# One token: a digit group (O/o and l/I accepted as look-alikes once a real digit is present),
# a spelled-out number, "oh", or a double/triple multiplier.
_DIGIT_TOKEN = re.compile(r"(?<![A-Za-z0-9])[0-9OoIl]*[0-9][0-9OoIl]*(?![A-Za-z0-9])")
# Word tokens are only scanned for when the message contains a number word (see Doc.has_number_word).
_WORD_TOKEN = re.compile(rf"\b(?:(?P<m>double|triple)|(?P<w>{PHONE_WORD_RE}|oh))\b")
# What may sit between two tokens of one number.
_GAP = re.compile(
	r"(?:[\s\-.()\u2010-\u2015,\u00b7\u2022_*~/]|\b(?:then|and|dash|hyphen|followed by|after that|double|triple|"
	r"(?:the )?rest (?:is|being))\b)*",
)
_LOOKALIKE = str.maketrans("OoIl", "0011")

# Digit strings that are not phone numbers: amounts, percentages, dates, times, IPs, citations,
# thousands-separated figures.
_MASK = re.compile(
	r"[$\u20ac\u00a3\u00a5]\s?\d[\d,]*(?:\.\d+)?"
	r"|(?<![\d,.])\d[\d,]*(?:\.\d+)?\s?%"
	r"|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b"
	r"|\b\d{1,3}(?:\.\d{1,3}){3}\b"
	r"|\b\d+\s*(?:CFR|C\.F\.R\.|U\.?S\.?C\.?)\s*\u00a7*\s*[\d.]+|\u00a7\s*[\d.]+"
	r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b",
	re.IGNORECASE,
)
_EXT = re.compile(r"\s*,?\s*(?:x|ext\.?|extension|poste)\s*#?\s*\d{1,6}\b")

# Labels that say a number is an identifier, not a phone.
_ID_WORDS = re.compile(
	r"\b(?:invoice|inv|order|ticket|account|acct|a/c|customer|client|id|confirmation|conf|"
	r"transaction|txn|receipt|case|loan|po|p\.o\.|purchase order|tracking|waybill|shipment|parcel|"
	r"ein|tin|ssn|sin|itin|bn|gst|hst|qst|pst|rt|frn|filer|crtc|docket|file|spid|ocn|licen[cs]e|key|"
	r"serial|reference|ref|batch|claim|member|employee|routing|transit|institution|iban|swift|card|"
	r"cheque|check|envelope|request|job|project|registration|permit|certificate|sku|model|part|"
	r"version|build|error|pin|otp|code|vin|meter|policy|contract|agreement|statement|deposit|"
	r"wire|payment|ach|eft|tax|business number|naics|sic|duns|cage|npa|lrn)\b",
)
_ID_AFTER = re.compile(
	r"[\s,:;)(-]*(?:(?:is|was|are)\s+)?(?:(?:our|my|the|your|an?)\s+)?(?:old\s+|new\s+)?" + _ID_WORDS.pattern,
)
# Cues that a number is offered as a way to reach someone.
_REACH_WORDS = re.compile(
	r"\b(?:call|calling|ring|phone|cell|cellphone|mobile|mob|tel|telephone|text|txt|sms|reach|contact|"
	r"dial|whatsapp|signal|bell|fax|direct|line|area code|(?:my|our|best|cell|phone|mobile|direct|contact) number|picks up|pick up|"
	r"zelle)\b|\btel:|#\s*is\b|\bmy #",
)
# Rule X: numbers as telecom inventory or as content for a filing.
_INVENTORY = re.compile(
	r"\b(?:port(?:ed|ing|s)?|port-?(?:in|out)|provision(?:ed|ing)?|dids?|lnp|loa|block of numbers|"
	r"number inventory|toll[- ]free (?:customer )?(?:service )?number|(?:on|for|in) (?:the|our) (?:\w+ )?"
	r"(?:499|form|filing|return|certification|registration|application|listing)|499-?[aq]|"
	r"show (?:our|the) .{0,30}number)\b",
)
_STRONG_REACH = re.compile(
	r"\b(?:call|ring|reach|contact) (?:me|us)\b|\b(?:my|our) (?:cell|mobile|direct)\b|\btext me\b",
)


@lru_cache(maxsize=4096)
def _valid(digits: str, intl: bool) -> bool:
	try:
		if intl:
			if not 8 <= len(digits) <= 15:
				return False
			num = phonenumbers.parse("+" + digits, None)
		else:
			if digits.startswith("011") and len(digits) >= 11:
				num = phonenumbers.parse("+" + digits[3:], None)
			elif digits.startswith("00") and len(digits) >= 11:
				num = phonenumbers.parse("+" + digits[2:], None)
			elif len(digits) == 10 or (len(digits) == 11 and digits[0] == "1"):
				num = phonenumbers.parse(digits, "US")
			else:
				return False
	except phonenumbers.NumberParseException:
		return False
	return phonenumbers.is_valid_number(num)


def _tokens(doc: Doc, masked: list[tuple[int, int]]) -> list[tuple[int, int, str] | None]:
	"""Digit tokens (start, end, digits) in text order; None marks a break (a masked token)."""
	text = doc.text
	matches = [(m.start(), m.end(), m.group(0).translate(_LOOKALIKE), 0) for m in _DIGIT_TOKEN.finditer(text)]
	if doc.n_number_words:
		for m in _WORD_TOKEN.finditer(doc.low):
			if m.group("m"):
				matches.append((m.start(), m.end(), "", 2 if m.group("m").lower() == "double" else 3))
				continue
			w = m.group("w").lower()
			value = 0 if w == "oh" else words_to_int(w)
			if value is not None:
				matches.append((m.start(), m.end(), str(value), 0))
		matches.sort()
	out: list[tuple[int, int, str] | None] = []
	pending_mult = 1
	k = 0  # masked spans are sorted and disjoint, tokens sorted: one sweep keeps this linear
	for s, e, digits, mult in matches:
		while k < len(masked) and masked[k][1] <= s:
			k += 1
		if k < len(masked) and masked[k][0] < e:
			out.append(None)
			continue
		if mult:
			pending_mult = mult
			continue
		out.append((s, e, digits * pending_mult))
		pending_mult = 1
	return out


def _runs(low: str, toks: list[tuple[int, int, str] | None]) -> list[list[tuple[int, int, str]]]:
	runs: list[list[tuple[int, int, str]]] = []
	cur: list[tuple[int, int, str]] = []
	for t in toks:
		if t is None:
			if cur:
				runs.append(cur)
			cur = []
			continue
		if cur:
			gap = low[cur[-1][1] : t[0]]
			if len(gap) > 24 or not _GAP.fullmatch(gap):
				runs.append(cur)
				cur = []
		cur.append(t)
	if cur:
		runs.append(cur)
	return runs


def _is_identifier(low: str, doc: Doc, start: int, end: int) -> bool:
	"""True when context names the number as an identifier or as Rule X content (`low` is lower-cased)."""
	s_start, s_end = doc.span(start)
	before = low[max(s_start, start - 60) : start]
	after = low[end : min(s_end, end + 30)]
	neg = None
	for m in _ID_WORDS.finditer(before):
		neg = m.end()
	pos = None
	for m in _REACH_WORDS.finditer(before):
		pos = m.end()
	if neg is not None and (pos is None or neg > pos):
		return True
	if pos is None and _ID_AFTER.match(after):
		return True
	sentence = low[s_start:s_end]
	if SCAM.search(sentence):
		return True
	return bool(_INVENTORY.search(sentence)) and not _STRONG_REACH.search(sentence)


def find_phones(doc: Doc) -> list[tuple[int, int]]:
	"""Spans of phone numbers offered in the message."""
	text = doc.text
	# A spelled-out number word can stand for two digits ("twenty-two").
	if doc.n_digits + 2 * doc.n_number_words < 7:
		return []
	runs = [r for r in _runs(doc.low, _tokens(doc, [])) if sum(len(t[2]) for t in r) >= 7]
	if not runs:
		return []
	# Only now pay for the amount/date/IP mask, and re-tokenise with it.
	masked = [m.span() for m in _MASK.finditer(text)]
	if masked:
		runs = [r for r in _runs(doc.low, _tokens(doc, masked)) if sum(len(t[2]) for t in r) >= 7]
	found: list[tuple[int, int]] = []
	for run in runs:
		i = 0
		while i < len(run):
			start = run[i][0]
			intl = text[max(0, start - 2) : start].rstrip().endswith("+")
			best = None
			digits = ""
			for j in range(i, len(run)):
				digits += run[j][2]
				if len(digits) > 15:
					break
				if _valid(digits, intl):
					best = j
			if best is None:
				i += 1
				continue
			s, e = start, run[best][1]
			if intl:
				s = text.rindex("+", 0, s)
			elif s > 0 and text[s - 1] == "(":
				s -= 1
			if e < len(text) and text[e] == ")":
				e += 1
			ext = _EXT.match(doc.low, e)
			if ext:
				e = ext.end()
			if not _is_identifier(doc.low, doc, s, e):
				found.append((s, e))
			i = best + 1
	return found
