"""Paying or being paid outside the platform: P2P handles, wallets, bank details, and proposals.

Artefacts (cashtags, checksum-valid wallet addresses, IBANs, bank numbers) count on their own. A payment
service named in a sentence counts only with a first/second-person proposal, and not in bookkeeping or
tax questions, scam reports or staff warnings (LABELING.md).
"""

import re

from ._crypto import is_base58_address, is_eth_address, is_iban, is_segwit_address
from ._messaging import fuzzy
from ._text import SCAM, Doc, negated_before

_B58 = "1-9A-HJ-NP-Za-km-z"
_CRYPTO_ADDR = re.compile(
	rf"(?<![\w$])(?:[13LM][{_B58}]{{25,34}}|T[{_B58}]{{33}}|D[{_B58}]{{33}}"
	r"|(?:bc|ltc|BC|LTC)1[a-zA-HJ-NP-Z0-9]{11,87}|0[xX][0-9a-fA-F]{40})(?![\w])"
)
# $cashtag: a letter first (so amounts never match); short all-caps tags are tickers or currencies.
_CASHTAG = re.compile(r"(?<![\w$])\$[A-Za-z][A-Za-z0-9_-]{1,19}(?![\w$])")
_TICKER = re.compile(r"\$[A-Z]{1,5}")
_CASH_APP_NEAR = re.compile(r"cash\s?app|cash\.app")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
# Bank coordinates for a direct transfer: a branch/routing number and an account number together.
_BANK_KEY = r"(?:transit|institution|inst|routing|aba|sort code|bsb|swift|bic)"
_ACCOUNT_KEY = r"(?:account|acct|a/c)"
_BANK_NUMBERS = re.compile(
	rf"\b{_BANK_KEY}\s*(?:#|no\.?|number|code)?\s*[:=]?\s*[A-Z0-9][\d\s-]{{2,14}}\d?[^.!?\n]{{0,40}}?"
	rf"\b{_ACCOUNT_KEY}\s*(?:#|no\.?|number)?\s*[:=]?\s*\d[\d\s-]{{3,20}}\d"
	rf"|\b{_ACCOUNT_KEY}\s*(?:#|no\.?|number)?\s*[:=]?\s*\d[\d\s-]{{3,20}}\d[^.!?\n]{{0,40}}?"
	rf"\b{_BANK_KEY}\s*(?:#|no\.?|number|code)?\s*[:=]?\s*\d[\d\s-]{{2,14}}\d",
	re.IGNORECASE,
)
_PAY_LINK = re.compile(
	r"(?:https?://)?(?:www\.)?(?:paypal\.me|venmo\.com|cash\.app|revolut\.me|wise\.com/pay|"
	r"buymeacoffee\.com|ko-fi\.com)/[^\s,;)]+",
	re.IGNORECASE,
)

# Person-to-person services: named with a proposal, they are a finding.
_P2P = re.compile(
	rf"(?<![A-Za-z])(?:{fuzzy('venmo')}|z[\s.\-_*]?[e3][\s.\-_*]?l[\s.\-_*]?l?[\s.\-_*]?[e3]"
	rf"|{fuzzy('cash')}[\s.\-_*]?{fuzzy('app')}|{fuzzy('paypal')}|pay pal|bit\s?coin|friends (?:and|&) family|f&f|apple cash|interac|"
	r"e-?\s?transfers?|etransfers?|e-transferts?|emt|virement|transferwise|revolut|wechat pay|alipay|"
	r"western union|moneygram|gift ?cards?|crypto(?:currency|currencies)?|bitcoin|btc|ethereum|eth|ether|"
	r"usdt|usdc|tether|stablecoins?|litecoin|ltc|doge(?:coin)?|solana|monero|xmr|coinbase|binance|"
	r"wallet address|my wallet|your wallet|(?:via|with|by|through|using|on) wise|wise(?= (?:me|you|it)\b)|bank draft)(?![A-Za-z])",
)
# Generic methods: they need a personal or off-platform target ("to my bank", "made out to me").
_GENERIC = re.compile(
	r"\b(?:wire|ach|bank transfer|direct deposit|eft|cheques?|checks? (?:made|payable)|cash|money order|bank|chequing|"
	r"checking|savings)\b",
)
_PERSONAL = re.compile(
	r"\b(?:to|into|in|at)\s+(?:me|my|him|her|my own|our personal|my personal)\b|\bmade (?:out|payable) to me\b|"
	r"\bpayable to me\b|\bin my name\b|\bpersonal(?:ly)?\b|\bdirectly\b|\bstraight\b|\bin cash\b|"
	r"\bcash in hand\b|\bpay (?:you |me )?cash\b|\bcash (?:is|works|payment|only)\b|"
	r"\b(?:drop off|bring|hand (?:you|over)) (?:the )?cash\b|"
	r"\b(?:not|instead of|rather than|no need for|skip)\s+(?:\w+\s+){0,2}?(?:the\s+)?(?:platform|portal)\b",
)
_STRONG_PERSONAL = re.compile(
	r"\b(?:made (?:out|payable)|payable) to me\b|\bin my (?:own )?name\b"
	r"|\b(?:to|into)\s+my\s+(?:own\s+|personal\s+)?(?:bank|account|chequing|checking|savings)\b",
)
_PAY_VERB = (
	r"(?:pay|send|transfer|e-?transfer|zelle|venmo|wire|do|use|settle|cover|give|take|accept|receive|prefer|"
	r"drop|bring|hand|mail|leave)"
)
# The writer proposes to pay or be paid: a first-person offer, a question to the other side, an
# imperative, or a handle given for the service.
_PROPOSAL = re.compile(
	rf"\b(?:i|we)(?:'ll|'d| will| can| could| would| shall| just| might| may| want to| wanna| rather)\b"
	rf"(?:\s+\w+){{0,4}}?\s+{_PAY_VERB}\b"
	rf"|\b(?:can|could|may|shall|should)\s+(?:i|we)\s+(?:\w+\s+){{0,2}}?{_PAY_VERB}\b"
	r"|\b(?:do|would|will|can|could) you\s+(?:\w+\s+)?(?:take|accept|prefer|want|like|do|be ok|be okay|mind|"
	r"have)\b"
	r"|\bwould (?:a|an|it|that|this)\b[^.?!]*\b(?:ok|okay|fine|work|alright|acceptable|possible)\b"
	r"|\b(?:is|are)\s+(?:\w+\s+){0,2}?(?:ok|okay|fine|alright|acceptable)\b"
	r"|(?:^|[.!?,;:]\s*|\b(?:just|please|pls|plz|then|and|or|so)\s+)(?:send|pay|transfer|e-?transfer|wire|"
	r"deposit|put|mail|zelle|venmo)\b"
	r"|\b(?:my|our)\s+(?:venmo|zelle|paypal|cash ?app|interac|e-?transfer|wallet|btc|eth|usdt|crypto)\s*"
	r"(?:address|handle|tag|email|id|username|account)?\s*(?:is|:)"
	r"|\byour\s+(?:\w+\s+){0,2}?(?:email|e-mail|phone|number|handle|tag|address|details|info|account)\s+"
	r"(?:for|on)\b|\b(?:what's|what is|send me|give me) your\b"
	r"|\b(?:instead|rather|prefer|easier|cheaper|quicker|faster|simpler|happy to|glad to|willing to|"
	r"let's|let us|how about|what about|any chance|send (?:me|you)|pay (?:me|you)|works? (?:for (?:me|us|you)|best|"
	r"better))\b|\b(?:ok|okay|alright|fine)\s*\?",
)
# Bookkeeping, tax, scam reports, staff warnings: a service named as a topic.
_TOPIC = re.compile(
	r"\b(?:scam\w*|phish\w*|fraud\w*|pretend\w*|impersonat\w*|claiming to be|fake|spoof\w*|suspicious|"
	r"never (?:ask|request|accept|send|pay)|will never|if (?:anyone|someone|somebody) (?:asks|tells|requests)|"
	r"won't ever|only (?:way|accept\w*|through|via)|polic(?:y|ies)|"
	r"how (?:should|do|would|can|are|is|to) (?:we |i |it |they |these |those |that )?(?:book|record|report|"
	r"treat|handle|categori[sz]e|account|enter|classify|tax|reconcile|code)|taxable|deductible|"
	r"reconcil\w*|bookkeeping|ledger|journal|revenue|income|reported|report (?:it|them|these|those)|"
	r"investments?|invest(?:ed|ing)|mining|customers? (?:who|that|pay|paid)|from (?:our |my )?(?:customers|"
	r"clients|buyers|tenants)|card reader|1099(?:-k)?|t4a?|receipts? from|held|hold|holdings?|"
	r"capital gains?|sales tax|treated|treatment|categor\w+|staff|employees|payroll|wages|landlord|"
	r"(?:our|my) (?:\w+ )?(?:customers|clients|tenants|buyers|members|patients|donors)|"
	r"(?:does|do|can|will) (?:the|your) (?:platform|portal|invoice|site|system) (?:take|accept|support))\b",
)

# Proposals with no named service: skip/avoid the platform, pay directly, discounts for going off it.
_OFF_PLATFORM = re.compile(
	r"\b(?:skip(?:ping)?|avoid(?:ing)?|bypass(?:ing)?|get(?:ting)? around|go(?:ing)? around|cut(?:ting)? out|"
	r"save (?:on )?|dodg\w+|without)\s+(?:\w+\s+){0,2}?(?:the\s+|your\s+|this\s+)?(?:platform|portal|site|"
	r"middleman|middle man)(?:'s)?(?:\s+(?:fees?|cut|commission|charges?))?"
	r"|\b(?:off|outside(?: of)?)[\s-]+(?:the\s+|this\s+)?(?:platform|portal|site|books|system)\b"
	r"|\b(?:doesn't|does not|don't|do not|without)\s+(?:involv\w*|us\w*|go\w* through)\s+(?:the\s+)?"
	r"(?:platform|portal|site|system)\b"
	r"|\bbetween (?:us|you and me|ourselves)\b|\bwork (?:something|this|it) out (?:privately|directly)\b"
	r"|\b(?:instead of|rather than|not|than)\s+(?:\w+\s+){0,2}?(?:the\s+|this\s+|your\s+)?"
	r"(?:platform|portal|invoice)\b"
	r"|\bno need for (?:the\s+)?(?:platform|portal)(?:\s+invoice)?\b"
	r"|\bdirect(?:ly)?\s+(?:with|to)\s+(?:you|me)\b|\b(?:to|with)\s+(?:you|me)\s+direct(?:ly)?\b"
	r"|\b(?:send|pay|transfer|wire|bill|invoice|settle)\b[^.?!]{0,30}\b(?:directly|straight|personally|"
	r"privately|on the side)\b"
	r"|\b(?:deal|work|do business|contract|go)\s+(?:\w+\s+){0,2}?direct(?:ly)?\b",
)
# Proposals that are about money by themselves (no money word needed in the sentence).
_OFF_PLATFORM_MONEY = re.compile(
	r"\b(?:skip(?:ping)?|avoid(?:ing)?|bypass(?:ing)?|save|dodg\w+|cut(?:ting)? out|no)\s+(?:\w+\s+){0,2}?"
	r"(?:the\s+|your\s+|their\s+)?(?:platform|portal|site|service|middleman|middle man)(?:'s)?\s*"
	r"(?:fees?|cut|commission|charges?|markup)?\b"
	r"|\b(?:cut(?:ting)? out|skip(?:ping)?|bypass(?:ing)?) (?:the )?middle ?man\b"
	r"|\bdirect (?:rate|deal|payment|price)\b|\bunder the table\b|\boff the books\b|\bcash deal\b"
	r"|\b(?:side|private) (?:deal|arrangement|agreement)\b",
)
_MONEY = re.compile(
	r"\b(?:pay|paying|payment|paid|invoice\w*|bill|billing|balance|fees?|money|cash|funds|deposit|transfer|"
	r"rate|price|quote|discount|cost|cheaper|charge|refund|overpayment|e-?transfer|chequing|checking|"
	r"retainer|cheques?|more|less|extra|commission|cut|markup|margin|%)\b|\$\d|\d\s?%",
)
# Paying the platform itself ("through the portal", "per the invoice") is not a bypass.
_PLATFORM_ROUTE = re.compile(
	r"\b(?:through|via|on|in|using|per)\s+(?:the|your)\s+(?:portal|platform|invoice|pay now)\b"
)
# "zelle to ...", "venmo: @x", "e-transfer 2 my phone": the service followed by its target.
_SERVICE_TAIL = re.compile(r"[\s:]*(?:to|2|me|you|it|over)\b|\s*[:=]?\s*[@$]\w")
_OFF_WORDS = re.compile(r"\b(?:instead|rather|not|no need|skip|off|outside)\b")
_WALLET_REQUEST = re.compile(r"\bwallet (?:address|addy)\b")


_P2P_STEMS = (
	"venmo", "zel", "cashapp", "paypal", "friendsandfamily", "friends&family", "f&f", "applecash", "interac",
	"transf", "virement", "revolut", "wechatpay", "alipay", "westernunion", "moneygram", "giftcard", "crypto",
	"bitcoin", "ethereum", "ether", "usdt", "usdc", "tether", "stablecoin", "litecoin", "doge", "solana",
	"monero", "coinbase", "binance", "wallet", "wise", "bankdraft",
)  # fmt: skip
_P2P_SHORT = re.compile(r"\b(?:eth|btc|ltc|emt|xmr|pay pal)\b")
_GENERIC_GATE = re.compile(
	r"\b(?:wire|ach|bank|eft|cheque|check|cash|money|chequing|checking|savings|deposit)"
)
_OFF_GATE = (
	"platform", "portal", "site", "middle", "books", "direct", "straight", "personally", "privately",
	"side", "table", "cash deal", "invoice", "middle", "deal", "fee", "commission", "arrangement",
)  # fmt: skip
_BANK_GATE = ("transit", "inst", "routing", "aba", "sort code", "bsb", "swift", "bic")


def _artefacts(doc: Doc) -> list[tuple[int, int]]:
	text, low = doc.text, doc.low
	out = []
	if doc.n_digits >= 2:
		for m in _CRYPTO_ADDR.finditer(text):
			addr = m.group(0)
			if addr[:2] in ("0x", "0X"):
				ok = is_eth_address(addr)
			elif addr[:3].lower() in ("bc1", "ltc"):
				ok = is_segwit_address(addr)
			else:
				ok = is_base58_address(addr)
			if ok:
				out.append(m.span())
	if "$" in text:
		for m in _CASHTAG.finditer(text):
			tag = m.group(0)
			if _TICKER.fullmatch(tag) and not _CASH_APP_NEAR.search(low):
				continue
			out.append(m.span())
	if doc.n_digits >= 10:
		out.extend(m.span() for m in _IBAN.finditer(text) if is_iban(m.group(0)))
	if doc.n_digits >= 6 and any(g in low for g in _BANK_GATE):
		out.extend(m.span() for m in _BANK_NUMBERS.finditer(text))
	if "/" in text:
		out.extend(m.span() for m in _PAY_LINK.finditer(text))
	return out


def find_payments(doc: Doc) -> list[tuple[int, int]]:
	"""Spans of off-platform payment artefacts and proposals."""
	low = doc.low
	out = [(s, e) for s, e in _artefacts(doc) if not SCAM.search(doc.low_sentence(s))]
	if doc.squashed_has(_P2P_STEMS) or _P2P_SHORT.search(low):
		for m in _P2P.finditer(low):
			sentence = doc.low_sentence(m.start())
			if _TOPIC.search(sentence) or negated_before(low, m.start()):
				continue
			if _PLATFORM_ROUTE.search(sentence) and not _OFF_WORDS.search(sentence):
				continue  # "can I pay the invoice by e-Transfer through the portal?"
			if _PROPOSAL.search(sentence) or _SERVICE_TAIL.match(low, m.end()):
				out.append(m.span())
	if _GENERIC_GATE.search(low):
		for m in _GENERIC.finditer(low):
			sentence = doc.low_sentence(m.start())
			if _TOPIC.search(sentence) or negated_before(low, m.start()):
				continue
			if _STRONG_PERSONAL.search(sentence) or (
				_PERSONAL.search(sentence) and _PROPOSAL.search(sentence)
			):
				out.append(m.span())
	if any(g in low for g in _OFF_GATE):
		for m in _OFF_PLATFORM.finditer(low):
			sentence = doc.low_sentence(m.start())
			if _TOPIC.search(sentence) or negated_before(low, m.start(), 60):
				continue
			if _PLATFORM_ROUTE.search(sentence) and not _OFF_WORDS.search(sentence):
				continue
			if _MONEY.search(sentence):
				out.append(m.span())
		for m in _OFF_PLATFORM_MONEY.finditer(low):
			sentence = doc.low_sentence(m.start())
			if not (_TOPIC.search(sentence) or negated_before(low, m.start(), 60)):
				out.append(m.span())
	if "wallet" in low:
		for m in _WALLET_REQUEST.finditer(low):
			if not _TOPIC.search(doc.low_sentence(m.start())):
				out.append(m.span())
	return out
