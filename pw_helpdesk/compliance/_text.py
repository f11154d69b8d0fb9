"""Shared text helpers: sentence spans, number words, clause-local negation."""

import bisect
import re

# Sentence ends: terminal punctuation followed by whitespace, or a line break. Dots inside tokens
# ("wa.me", "3.5") and after common abbreviations ("Main St. location") do not end a sentence.
_ABBREVIATIONS = (
	"St", "Ave", "Av", "Rd", "Dr", "Blvd", "Mr", "Mrs", "Ms", "Inc", "Ltd", "Co", "No", "e.g", "i.e", "vs",
	"Ste", "Apt", "Corp", "approx", "Jr", "Sr", "etc", "Pl", "Cres", "Hwy", "W", "E", "N", "S", "ext",
)  # fmt: skip
_ABBREVIATION_SET = frozenset(_ABBREVIATIONS)
_SENT_END = re.compile(r"[.!?]+(?=\s)|\n")
_WORD_BEFORE_DOT = re.compile(r"(?<![A-Za-z.])[A-Za-z.]{1,6}\Z")

UNITS = {
	"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
	"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

_UNIT_WORDS = "zero|one|two|three|four|five|six|seven|eight|nine"
_TEEN_WORDS = "|".join(TEENS)
_TENS_WORDS = "|".join(TENS)

# A spelled-out number below 1000 ("nineteen", "twenty-two", "five hundred").
NUMBER_WORD_RE = (
	rf"(?:(?:{_UNIT_WORDS})[\s-]+hundred(?:[\s-]+(?:and[\s-]+)?"
	rf"(?:(?:{_TENS_WORDS})(?:[\s-]?(?:{_UNIT_WORDS}))?|{_TEEN_WORDS}|{_UNIT_WORDS}))?"
	rf"|(?:{_TENS_WORDS})(?:[\s-]?(?:{_UNIT_WORDS}))?|{_TEEN_WORDS}|{_UNIT_WORDS})"
)
# Phone numbers are read digit by digit, so "eight hundred five five five" is 800-555, not 805-55.
PHONE_WORD_RE = rf"(?:(?:{_UNIT_WORDS})[\s-]+hundred|(?:{_TENS_WORDS})(?:[\s-]?(?:{_UNIT_WORDS}))?|{_TEEN_WORDS}|{_UNIT_WORDS})"
_WORD_SPLIT = re.compile(r"[\s-]+")


def words_to_int(words: str) -> int | None:
	"""Value of a spelled-out number matched by NUMBER_WORD_RE."""
	total = 0
	current = 0
	for w in _WORD_SPLIT.split(words.lower()):
		if not w or w == "and":
			continue
		if w in UNITS:
			current += UNITS[w]
		elif w in TEENS:
			current += TEENS[w]
		elif w in TENS:
			current += TENS[w]
		elif w == "hundred":
			current = max(current, 1) * 100
		else:
			return None
	return total + current


_DIGIT = re.compile(r"\d")
_WINDOW = 200
_NUMBER_WORD_GATE = re.compile(rf"\b(?:{_UNIT_WORDS}|{_TEEN_WORDS}|{_TENS_WORDS}|oh|double|triple)\b")
# Leetspeak folded and separators dropped: "wh@tsapp", "T e l e g r a m", "zel.le" -> plain letters.
_LEET_FOLD = str.maketrans(
	{"@": "a", "4": "a", "3": "e", "0": "o", "1": "i", "!": "i", "|": "l", "$": "s", "5": "s", "7": "t",
	 "\u00a5": "y", "9": "g", "\u20ac": "e"}
)  # fmt: skip
_NON_LETTERS = re.compile(r"[^a-z&]+")


class Doc:
	"""One message with its sentence spans and cheap, lazily computed gates shared by the finders.

	The gates (`low`, `squashed`, `n_digits`, `n_number_words`) only decide whether a finder runs at all;
	every reported offset comes from regexes run on the original text.
	"""

	def __init__(self, text: str) -> None:
		self.text = text
		# Lower-cased copy with the same offsets: cue regexes run on it without re.IGNORECASE, which is
		# several times faster. The rare characters whose lower case is longer ("\u0130") are kept as is.
		low = text.lower()
		if len(low) != len(text):
			low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
		self.low = low
		starts = [0]
		ends = []
		for m in _SENT_END.finditer(text):
			if m.group(0) == ".":
				w = _WORD_BEFORE_DOT.search(text, max(0, m.start() - 7), m.start())
				if w and w.group(0) in _ABBREVIATION_SET:
					continue
			ends.append(m.end())
			starts.append(m.end())
		ends.append(len(text))
		self._starts = starts
		self._ends = ends
		self._n_digits: int | None = None
		self._n_number_words: int | None = None
		self._squashed: str | None = None

	def span(self, pos: int) -> tuple[int, int]:
		"""Sentence around `pos`, clamped to a window so huge unpunctuated texts stay linear."""
		i = bisect.bisect_right(self._starts, pos) - 1
		return max(self._starts[i], pos - _WINDOW), min(self._ends[i], pos + _WINDOW)

	def sentence(self, pos: int) -> str:
		s, e = self.span(pos)
		return self.text[s:e]

	def low_sentence(self, pos: int) -> str:
		"""Lower-cased sentence around `pos`, for cue regexes."""
		s, e = self.span(pos)
		return self.low[s:e]

	@property
	def n_digits(self) -> int:
		if self._n_digits is None:
			self._n_digits = len(_DIGIT.findall(self.text))
		return self._n_digits

	@property
	def n_number_words(self) -> int:
		if self._n_number_words is None:
			self._n_number_words = len(_NUMBER_WORD_GATE.findall(self.low))
		return self._n_number_words

	@property
	def has_number_word(self) -> bool:
		return self.n_number_words > 0

	@property
	def squashed(self) -> str:
		if self._squashed is None:
			self._squashed = _NON_LETTERS.sub("", self.low.translate(_LEET_FOLD))
		return self._squashed

	def squashed_has(self, stems: tuple[str, ...]) -> bool:
		sq = self.squashed
		return any(stem in sq for stem in stems)


# Scam and phishing reports quote the scammer's number, address or handle; nothing is offered.
SCAM = re.compile(
	r"\b(?:scam\w*|phish\w*|fraud\w*|pretend\w*|impersonat\w*|claiming to be|fake|spoof\w*|suspicious)\b"
)


# Negation that governs what follows it within the same clause ("please don't text me").
_NEGATION = re.compile(
	r"\b(?:don'?t|do not|doesn'?t|does not|never|won'?t|will not|can'?t|cannot|can not|shouldn'?t|"
	r"should not|not|no longer|stop)\b[^,;:.!?()\n]*$"
)


def negated_before(low: str, start: int, window: int = 40) -> bool:
	"""True when a negation sits in the same clause shortly before `start` (`low` is lower-cased)."""
	return bool(_NEGATION.search(low, max(0, start - window), start))
