"""US/Canada street addresses and PO / rural-route boxes."""

import re

from ._text import NUMBER_WORD_RE, Doc

_STATES = (
	"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
	"NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_PROVINCES = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|PQ|NF"
_POSTAL = r"(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d|\d{5}(?:-\d{4})?)"

# Abbreviated and ambiguous street types must be capitalised ("5 dollars each way" is not an address);
# only unmistakable full words may be lower case ("nineteen Front street east").
_TYPE_ABBR = (
	r"St|ST|Ave|AVE|Av|Rd|RD|Blvd|BLVD|Dr|DR|Ln|LN|Ct|CT|Crt|Cres|Pl|PL|Terr|Ter|Trl|Hwy|HWY|Pkwy|Cir|"
	r"Sq|Cl|Gt|Gdns|Pky|Expy|Fwy|Tpke|Ctr|Mews|Row|Walk|Hts"
)
_TYPE_FULL = (
	r"street|avenue|road|boulevard|crescent|terrace|highway|parkway|sideroad|side road|concession road"
)
_TYPE_CAPITALISED = (
	r"Drive|Lane|Court|Place|Trail|Circle|Square|Close|Gate|Grove|Gardens|Heights|Way|Plaza|Pike|Loop|Path|"
	r"Point|Ridge|Crossing|Common|Commons|Route|DRIVE|LANE|COURT|PLACE|WAY"
)
_DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|north|south|east|west|Est|Ouest)\.?"
# Civic number: digits (with an optional unit-civic pair "3200 - 665") or a spelled-out number.
_CIVIC_DIGITS = r"\d(?<![\w$.,]\d)\d{0,5}[A-Za-z]?(?:\s?-\s?\d{1,6}[A-Za-z]?)?"
_CIVIC_WORDS = rf"(?<![\w$.,])(?i:{NUMBER_WORD_RE})"
_NAME_WORD = (
	r"(?!(?i:the|a|an|on|of|to|in|for|and|or|at|my|our|your|their|this|that|with|from|by|is|are|was|per|"
	r"more|big|long|short|new|old|other|different|lane|way|hours?|minutes?|miles?|km|days?|blocks?|units|"
	r"times|years|months|weeks)\b)"
	r"(?:[A-Z][\w'\u00c0-\u00ff.-]*|\d{1,3}(?:st|nd|rd|th)|[a-z][a-z'-]+)"
)
_UNIT_CORE = (
	r"(?:(?i:suite|ste|unit|apt|apartment|floor|fl|bureau|room|rm|office|bldg|building)\.?\s*#?\s*"
	r"\w{1,6}|#\s?\w{1,6}|\d{1,3}(?:st|nd|rd|th)\s+(?i:floor))"
)
_UNIT = rf"(?:,?\s*{_UNIT_CORE})"
_TAIL = (
	rf"{_UNIT}{{0,2}}"
	rf"(?:,?\s+(?:[A-Z][a-z\u00e0-\u00ff'.-]+(?:[ -][A-Z][a-z\u00e0-\u00ff'.-]+){{0,2}}))?"
	rf"(?:,?\s+(?:{_STATES}|{_PROVINCES})\b)?(?:,?\s+{_POSTAL})?"
)
_STREET_BODY = (
	rf"\s+(?:{_DIRECTION}\s+)?(?:{_NAME_WORD}\s+){{1,3}}(?:(?:{_TYPE_ABBR}|{_TYPE_CAPITALISED})\b\.?|(?i:{_TYPE_FULL})\b)"
	rf"(?:\s+{_DIRECTION}(?![\w']))?{_TAIL}"
	# French-style: "77 Rue Principale", "1200 boul. Laurier".
	rf"|,?\s+(?i:rue|rang|chemin|ch\.|boulevard|boul\.|av\.|avenue|mont\u00e9e|c\u00f4te|promenade)\s+(?:(?:de la|du|des|de l'|d'|de)\s*)?[A-Z][\w'\u00c0-\u00ff-]+"
	rf"(?:\s+[A-Z][\w'\u00c0-\u00ff-]+)?{_TAIL}"
	# No street type, but city + state/province + ZIP/postal code close the address.
	rf"|\s+(?:[A-Z][\w'-]+\s+){{1,3}}[A-Z][\w'-]+,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?"
	rf",?\s+(?:{_STATES}|{_PROVINCES})\s+{_POSTAL}"
)
# Two compiled forms so the common digit case starts with a plain digit (fast scan); the spelled-out
# form runs only when the message has number words.
_STREET_DIGITS = re.compile(rf"{_CIVIC_DIGITS}(?:{_STREET_BODY})")
_STREET_WORDS = re.compile(rf"{_CIVIC_WORDS}(?:{_STREET_BODY})")
_BOX = re.compile(
	r"\b(?:P\.?\s?O\.?|Post\s+Office|Postal)\s*Box\s*#?\s*\d{1,6}"
	r"|\b(?:RR|R\.R\.|Rural\s+Route)\s*#?\s*\d{1,3}\b"
	r"|\b(?:Box|Bo\u00eete postale|C\.?P\.?)\s*\d{1,6},?\s+(?:Stn|Station|Succ|Succursale|RR|Site)\b",
	re.IGNORECASE,
)
_BOX_TAIL = re.compile(
	rf"(?:,?\s+(?:Stn|Station|Succ\.?)\s+[A-Z]\w+(?:\s[A-Z]\w+)?)?"
	rf"(?:,?\s+[A-Z][a-z'.-]+(?:[ -][A-Z][a-z'.-]+){{0,2}})?(?:,?\s+(?:{_STATES}|{_PROVINCES})\b)?"
	rf"(?:,?\s+{_POSTAL})?"
)
# Rule X: the address is content for a filing or the subject of a tax question.
_CONTENT = re.compile(
	r"\b(?:registered office|principal office|head office address|registered address|records office|"
	r"annual (?:return|report)|499-?a|incorporation|articles|rental|condo|property|properties|sold|lease|"
	r"leased|leasehold|rent|rented|"
	r"purchased|bought|tenant|landlord|capital gain|mortgage|depreciation|repairs|principal place of business|"
	r"(?:on|for|in) (?:the|our) (?:\w+ ){0,2}(?:form|filing|return|certificate|registration|annual report|"
	r"application|articles))\b",
)
_SEND_HERE = re.compile(
	r"\b(?:send|mail|courier|ship|deliver|drop|meet|swing by|stop by|come by|pop by|visit|pick up|"
	r"bring|pay|correspondence|forward|find us|located|we're at|i'm at|we are at|i am at|come to|"
	r"address is|our office|my office|my place|my home|new address)\b",
)


# A spelled-out civic number is rare; look for it only next to an unmistakable street word.
_WORD_CIVIC_TYPES = (
	"street",
	"avenue",
	"road",
	"drive",
	"boulevard",
	"lane",
	"crescent",
	"st ",
	"st.",
	"st,",
	"ave",
	"rd",
	"blvd",
	"rue",
	"chemin",
	"way",
	"court",
	"place",
)
_BOX_GATE = ("box", "rr", "r.r", "rural", "c.p", "cp ")


def find_addresses(doc: Doc) -> list[tuple[int, int]]:
	"""Spans of street addresses and PO boxes offered as a place to meet, send or pay."""
	text = doc.text
	if not doc.n_digits and not doc.has_number_word:
		return []
	spans = []
	if doc.n_digits:
		spans.extend(m.span() for m in _STREET_DIGITS.finditer(text))
		if any(g in doc.low for g in _BOX_GATE):
			for m in _BOX.finditer(text):
				tail = _BOX_TAIL.match(text, m.end())
				spans.append((m.start(), tail.end() if tail else m.end()))
	if doc.has_number_word and any(t in doc.low for t in _WORD_CIVIC_TYPES):
		spans.extend(m.span() for m in _STREET_WORDS.finditer(text))
	out = []
	for s, e in spans:
		sentence = doc.low_sentence(s)
		if _CONTENT.search(sentence) and not _SEND_HERE.search(sentence):
			continue
		out.append((s, e))
	return out
