"""Requests to move the conversation to a chat/DM channel, and handles/links for such channels.

A channel name alone is a topic, not a finding: the sentence must also ask, offer or propose (LABELING.md),
or carry a handle/link for the channel. Refusals, warnings and negations cancel the proposal.
"""

import re

from ._text import Doc, negated_before

_SEP_CHARS = r"[\s.\-_*'\u00b7]"
_SEP = _SEP_CHARS + "?"
_SEP2 = _SEP_CHARS + "{0,2}"
_LEET = {
	"a": "[a@4\u00e0\u00e1\u00e2\u00e4]",
	"e": "[e3\u00e9\u00e8\u20ac]",
	"i": "[i1!|\u00ed]",
	"o": "[o0\u00f6\u00f3]",
	"s": "[s5$]",
	"t": "[t7]",
	"l": "[l1|]",
	"y": "[y\u00a5]",
	"g": "[g9]",
}


def fuzzy(word: str) -> str:
	"""Pattern for `word` with leetspeak look-alikes and one optional separator between letters."""
	return _SEP.join(_LEET.get(c, re.escape(c)) for c in word)


_A, _T, _S, _E, _SP = _LEET["a"], _LEET["t"], _LEET["s"], _LEET["e"], _SEP
# Channels whose name is rarely anything else.
_DISTINCT = (
	# whatsapp, wats app, whtsapp, wh@tsapp, W.h.a.t.s.A.p.p; "whatapp" only unspaced ("what app" is English)
	rf"w{_SP}h?{_SP}{_A}?{_SP}{_T}{{1,2}}{_SP}(?:{_S}|'s|z){_SEP2}{_A}{_SP}p{_SP}p?"
	rf"|wh?{_A}tt?{_A}pp?"
	rf"|{_T}{_SP}{_E}{_SP}l{_SP}{_E}?{_SEP2}g{_SP}r{_SP}{_A}?{_SP}m+"
	rf"|w{_E}[.\-_]?ch{_A}t|(?:(?<=\bon )|(?<=\bmy )|(?<=\bvia )|(?<=\bover )|(?<=\buse ))we chat"
	rf"|weixin|wei xin|line (?:app|id)"
	rf"|sk{_SP}[yi\u00a5]{_SP}p{_SP}{_E}|{fuzzy('viber')}|i-?{fuzzy('message')}|facetime|kakao(?:talk)?"
	rf"|threema|google chat|hangouts|snapchat|instagram|insta|the gram|linkedin|facebook messenger"
)
# Names that are also ordinary words or products discussed as topics.
_AMBIGUOUS = (
	rf"{fuzzy('signal')}|{fuzzy('discord')}|{fuzzy('slack')}|messenger|facebook|fb|ig|snap|tg|twitter|teams"
)
_CHANNEL = re.compile(
	rf"(?<![A-Za-z])(?:(?P<d>{_DISTINCT})|(?P<a>{_AMBIGUOUS}))(?![A-Za-z])",
)
_LINK = re.compile(
	r"(?:https?://)?(?:www\.)?(?:wa\.me|api\.whatsapp\.com/send|chat\.whatsapp\.com|t\.me|telegram\.me|"
	r"telegram\.dog|discord\.gg|discord(?:app)?\.com/(?:users|invite)|m\.me|signal\.me|line\.me|"
	r"join\.skype\.com|u\.wechat\.com|ig\.me|instagram\.com|snapchat\.com/add|viber\.click|"
	r"invite\.viber\.com)/[^\s,;)]+"
	r"|\blive:[A-Za-z0-9._-]{3,}|\bskype:[A-Za-z0-9._-]{3,}",
	re.IGNORECASE,
)
_HANDLE = r"@?[A-Za-z0-9][A-Za-z0-9_.-]{1,31}[A-Za-z0-9_]"
# "my discord is X", "WeChat: X", "Telegram, @x", "@x on Telegram".
_HANDLE_AFTER = re.compile(
	rf"\s*(?:(?:id|handle|username|user ?name|name|number|account)\s*)?(?:is|[:=\-\u2013]|,)\s*(?:just\s+)?"
	rf"(?P<h>{_HANDLE}|\+?\d[\d\s().-]{{6,}}\d)",
)
_AT_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{3,32}(?![\w@.]*\.[A-Za-z]{2})")
_HANDLE_SHAPE = re.compile(r"[._@\d]")
_OWNER = re.compile(r"\b(?:my|your)\s+$")
_AT_HANDLE_BEFORE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{3,32}\s+(?:on|in|at)\s+$")
_VERB_ME = re.compile(r"[\s,]*(?:me|us)\b")
_VERB_ME_OBJECT = re.compile(r"[\s,]*(?:me|us)\s+(?:a|an|the|some|your|this|that)\b")
_PREP_BEFORE = re.compile(r"\b(?:on|over|via|through|in|into|onto|use|using|to|my|your|by)\s+(?:the\s+)?$")
_ME_VERB = re.compile(
	r"\b(?:message|msg|ping|dm|pm|text|txt|add|find|reach|contact|hit|call|chat with|talk to|talk with|"
	r"write|buzz|follow|friend|connect with|catch|hmu|holler at|shoot|ask|find|look)\s+(?:me|us)\b"
	r"|\bhit (?:me|us) up\b|\bhmu\b|\b(?:drop|send|shoot) (?:me|us) an? (?:line|message|note|dm|msg|pm)\b",
)
_PREFERRED_AFTER = re.compile(
	r"\s*(?:pls|please|plz|works|work|is (?:easier|better|best|quicker|faster|fine|good|great)|"
	r"would be (?:easier|better|great)|instead|\?|(?:is|would be) (?:my|the) (?:preference|preferred)|"
	r"(?:is |would be )?(?:ok|okay|alright|fine)\b)",
)
_PREFERRED_BEFORE = re.compile(
	r"\b(?:prefer|quickest is|easiest is|best is|fastest is|better is|rather|do you have|do you use|"
	r"are you on|you on|i'm on|i am on|we're on|we are on|available on|active on|reach me on|find me on|"
	r"is there|have you got|what's|what is|send me|share|do you do|sent you|send you|i'll send you)"
	r"\s+(?:the\s+|a\s+|an\s+|your\s+)?$",
)
_PROPOSAL = re.compile(
	r"\b(?:can|could|would|shall|should|let's|lets|let us|please|pls|plz|prefer|preferred|rather|easier|"
	r"easiest|quicker|quickest|faster|fastest|better|best|works|if you want|happy to|feel free|how about|"
	r"what about|why don't|maybe|open to|instead|do you have|do you use|are you on|you on|switch|move|"
	r"continue|continuing|outside|off here|off the portal|i'm on|i am on|we're on|we are on|available on|"
	r"you can|find me|reach me|i'll|we'll|i will|we will|i can|we can)\b",
)
_REFUSAL = re.compile(
	r"\b(?:polic(?:y|ies)|not allowed|isn't allowed|aren't allowed|prohibit\w*|forbid\w*|"
	r"stays? (?:in|on) (?:the|this)|only (?:through|via|in|on) (?:the|this)|scam\w*|phish\w*|fraud\w*|"
	r"pretend\w*|impersonat\w*|claiming to be|spoof\w*|fake|suspicious|thanks for offering|"
	r"we can(?:no|')t|unable to|never (?:ask|request|contact|use)|declin\w+|refus\w+|not permitted|"
	r"(?:must|has to|have to|needs? to) stay|(?:keep|kept|keeping) (?:all |our |the )?(?:communication|"
	r"conversations?|messages|this|it|everything|things) (?:in|on|here|within))\b",
)
# A channel discussed as a product, bill or piece of infrastructure.
_TOPIC = re.compile(
	r"\b(?:subscription|bots?|plans?|billed|billing|charges?|invoice|deductib\w*|expense\w*|revenue|"
	r"internally|internal|engineers|community|server|workspace|integration|traffic|10dlc|a2p|carrier|"
	r"network|outage|notices|api|marketing|campaign|customers|channel|group|fees?|tax|taxes|sr&ed|cost|"
	r"price|pricing|wi-?fi|calls? (?:don't|do not|doesn't|aren't|won't|keep|drop)|information service|"
	r"weak|cell signal|signal strength|signal is|no signal|page|ads?|advert\w*|followers)\b",
)
# SMS as the channel: "text me", "send me a text" (not "the portal texts me a code").
_SMS = re.compile(
	r"\b(?:text|txt|sms|imessage)\s+(?:me|us)\b(?!\s+(?:a|the|your|my)\s+(?:\w+\s+)?(?:code|otp|pin|link|"
	r"verification|password))"
	r"|\b(?:send|shoot|drop|flick|fire)\s+(?:me|us)\s+an?\s+(?:quick\s+)?(?:text|sms|txt)\b"
	r"|\b(?:call|ring|phone)\s*(?:or|/|&)\s*text\b|\btext\s*(?:or|/|&)\s*call\b"
	r"|\b(?:i|we)(?:'ll| will| can| could)\s+text\s+you\b|\bcan i text you\b"
	r"|\b(?:dm|pm|inbox|direct message|private message)\s+(?:me|us)\b"
	r"|\btext (?:this|that|my|the following) (?:number|cell|phone|mobile)\b"
	r"|\btext (?:at |on )?(?=\+?\(?\d{3})|\btext(?:ing)? (?:instead|is (?:easier|better|best|fine))\b"
	r"|\b(?:send|shoot|drop) (?:me|us) an? (?:dm|pm|direct message|private message)\b"
	r"|\bslide into (?:my|our) dms\b",
)
# "continue over text": SMS named as the channel, which needs a proposal in the sentence.
_SMS_WEAK = re.compile(
	r"\b(?:over|via|by|through|to|in|into) (?:the )?(?:text(?: message)?|sms|imessage|dm|direct message|"
	r"private message)s?\b",
)
_REACHABLE = re.compile(r"\b(?:reach|reachable|contact|available)\b")
_SMS_SUBJECT = re.compile(r"\b(?:portal|system|app|it|bank|they|site|platform|service)\s+(?:will\s+)?$")


def _channel_ok(sentence: str, start: int, end: int, name: str, ambiguous: bool) -> bool:
	"""Is the channel `name` at sentence[start:end] an offer to talk there? `sentence` is lower-cased."""
	before, after = sentence[:start], sentence[end:]
	owned = bool(_OWNER.search(before))
	h = _HANDLE_AFTER.match(after)
	if h and (owned or ":" in after[: h.start("h")] or _HANDLE_SHAPE.search(h.group("h"))):
		return True
	if _AT_HANDLE.search(after[:30]) or _AT_HANDLE_BEFORE.search(before):
		return True
	if _VERB_ME.match(after) and not (ambiguous and _VERB_ME_OBJECT.match(after)):
		return True  # the channel used as a verb: "whatsapp me", "signal me"
	if ambiguous:
		# Common words need a preposition or a capitalised name to be a channel at all.
		prep = _PREP_BEFORE.search(before)
		if not prep and (not name[0].isupper() or name.lower() in ("ig", "tg", "fb", "snap")):
			return False
	if _ME_VERB.search(sentence) and (_PREP_BEFORE.search(before) or not _TOPIC.search(sentence)):
		return True
	if _TOPIC.search(sentence):
		return False
	if owned and not ambiguous:
		return True
	# A modal or preference counts only when the channel is the place being proposed ("over WhatsApp"),
	# is praised right after its name ("whatsapp pls", "WhatsApp works best"), or is asked about.
	if _PREFERRED_AFTER.match(after) or _PREFERRED_BEFORE.search(before):
		return True
	return bool(_PREP_BEFORE.search(before)) and bool(_PROPOSAL.search(sentence))


# Gates on Doc.squashed (leet folded, separators dropped) so the fuzzy channel regex runs only when a
# channel could be present at all.
_CHANNEL_STEMS = (
	"tsap", "tzap", "tapp", "sapp", "gram", "grm", "teleg", "telg", "chat", "weixin", "lineapp", "lineid",
	"skype", "skipe", "viber", "message", "messeng", "facetime", "kakao", "threema", "hangouts", "snap",
	"insta", "linkedin", "facebook", "signal", "discord", "slack", "twitter", "teams",
)  # fmt: skip
_LINK_GATE = (
	"wa.me", "whatsapp.com", "t.me", "telegram.", "discord", "m.me", "signal.me", "line.me", "skype",
	"wechat.com", "ig.me", "instagram.com", "snapchat.com", "viber", "live:",
)  # fmt: skip
_SHORT_CHANNEL = re.compile(r"\b(?:fb|ig|tg)\b")
_SMS_GATE = ("text", "txt", "sms", "message", "dm", "pm", "inbox")


def find_messaging(doc: Doc) -> list[tuple[int, int]]:
	"""Spans of off-platform chat proposals, handles and links."""
	text, low = doc.text, doc.low
	out = []
	if any(g in low for g in _LINK_GATE):
		out.extend(m.span() for m in _LINK.finditer(text))
	if doc.squashed_has(_CHANNEL_STEMS) or _SHORT_CHANNEL.search(low):
		for m in _CHANNEL.finditer(low):
			s0, s1 = doc.span(m.start())
			sentence = low[s0:s1]
			if _REFUSAL.search(sentence) or negated_before(low, m.start()):
				continue
			name = text[m.start() : m.end()]
			if _channel_ok(sentence, m.start() - s0, m.end() - s0, name, m.group("a") is not None):
				out.append(m.span())
	if any(g in low for g in _SMS_GATE):
		for m in _SMS.finditer(low):
			s0, s1 = doc.span(m.start())
			if _REFUSAL.search(low, s0, s1) or negated_before(low, m.start()):
				continue
			if _SMS_SUBJECT.search(low, s0, m.start()):
				continue
			out.append(m.span())
		for m in _SMS_WEAK.finditer(low):
			sentence = doc.low_sentence(m.start())
			if (_PROPOSAL.search(sentence) or _REACHABLE.search(sentence)) and not (
				_TOPIC.search(sentence) or _REFUSAL.search(sentence)
			):
				out.append(m.span())
	return out
