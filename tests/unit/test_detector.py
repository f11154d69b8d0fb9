"""Unit tests for the off-platform bypass detector (pure Python; labelling rules in
/work/shared/bypass/LABELING.md). All numbers and addresses below are invented."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pw_helpdesk.compliance import _crypto
from pw_helpdesk.compliance.detector import DETECTOR_VERSION, Finding, detect, strip_quoted

REPO = Path(__file__).resolve().parents[2]


def kinds(text: str, **kwargs) -> set[str]:
	return {f.kind for f in detect(text, **kwargs)}


def matches(text: str, kind: str) -> list[str]:
	return [f.match for f in detect(text) if f.kind == kind]


# --- phone ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"text",
	[
		"You can reach me on my mobile, 604.555.0199.",
		"Give me a call, (867) 555-0127.",
		"call me at 1 (800) 555-0123",
		"+1 (587) 555-0134 is my direct line",
		"If you're in Dublin ring me on +353 87 555 0142.",
		"tel:+16045550123",
		"The best way to get me is 343 555 0106.",
	],
	ids=["dotted", "parens", "leading-1", "plus-1", "international", "tel-link", "plain"],
)
def test_phone_common_formats(text):
	assert "phone" in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"call me on 4 0 3 - 5 5 5 - 0 1 6 6 tomorrow",
		"six oh four, five five five, zero one three three",
		"four one six five five five zero one nine nine is my cell",
		"my number is 604-555-01 twenty three",
		"604 triple five 0188 is my cell",
		"my cell: 5I4-555-Ol23",
		"It's 425-555-O1O9, the O's are zeros",
		"My area code is 587. The rest is 555-0149.",
		"first three are 431, then 555, then 0162",
		"one eight hundred five five five zero one nine nine",
	],
	ids=[
		"spaced-digits",
		"words-with-oh",
		"all-words",
		"mixed-words-digits",
		"triple",
		"lookalike-I-l-O",
		"lookalike-O",
		"split-across-sentences",
		"split-with-then",
		"eight-hundred",
	],
)
def test_phone_obfuscations(text):
	assert "phone" in kinds(text)


def test_phone_extension_is_part_of_the_match():
	assert matches("Office 319.555.0104 x221", "phone") == ["319.555.0104 x221"]


def test_phone_in_whatsapp_link_is_phone_and_messaging():
	assert kinds("Quickest is WhatsApp: wa.me/13855550116") == {"phone", "messaging"}


@pytest.mark.parametrize(
	"text",
	[
		"Invoice INV-2025-000214 was paid, ticket 4165550123 is still open.",
		"Order 9725550131 in the portal is stuck.",
		"Account 1234567890 shows a credit.",
		"Confirmation 6042219937 from the E-File system.",
		"The transaction ID from the refund is 8185550124.",
		"EIN 27-4410938 belongs to the operating company.",
		"HST number 745912338RT0001 should be on every invoice.",
		"Our BN is 123456789RC0001.",
		"FRN 0031672209, Filer ID 835517.",
		"Our 499 Filer ID is 829301.",
		"Our CRTC registration file is 8663-R12-202408815.",
		"ZIP code for the new office is 46222.",
		"Our remote desktop host is 192.0.2.77.",
		"Firmware version 10.4.2.3 on the SBC.",
		"Revenue of $1,603,555.20 for the year, 41% interstate.",
		"Meeting at 10:30 on 2025-03-04; payroll ran on 01/15 and 01/31.",
		"47 U.S.C. 254 and 47 CFR 54.706 apply.",
		"Card ending 4242 was charged twice.",
		"Loan 7805550123 was paid off in March.",
	],
	ids=[
		"invoice-ticket",
		"order",
		"account",
		"confirmation",
		"transaction",
		"ein",
		"hst",
		"bn",
		"frn",
		"filer-id",
		"crtc-file",
		"zip",
		"ip",
		"version",
		"amount",
		"dates-times",
		"citation",
		"card-last-four",
		"loan",
	],
)
def test_phone_shaped_identifiers_are_not_phones(text):
	assert "phone" not in kinds(text)


def test_phone_as_filing_content_is_not_flagged():
	# Rule X: the toll-free number printed on the 499-A is content, not a way to reach the writer.
	assert kinds("Please show our toll-free customer service number on the 499-A as 1-877-555-0190.") == set()


def test_phone_named_as_reference_number_is_not_flagged():
	assert kinds("The USAC reference number is 3105550199.") == set()


def test_scam_callers_number_is_not_flagged():
	assert kinds("We got a call from 604-555-0188 claiming to be from the CRA, is that a scam?") == set()


def test_phone_being_ported_is_not_flagged():
	assert kinds("We ported 604-555-0111 and 604-555-0112 to the new carrier last week.") == set()


# --- email ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"text",
	[
		"contact: mike.r@northwind-telecom.ca",
		"you can email me at owen dot pryce at hotmail dot com",
		"moss.j(at)telus(dot)net",
		"fvasquez [at] outlook [dot] com is better",
		"k.wong AT shaw DOT ca",
		"b e a . s o l i s @ y a h o o . c o m",
		"write to mail\uff20coastalnet.ca please",
		"my gmail is priya.n.92",
		"jdoe at gmail, just email me there",
		"jlee @ northwind . ca",
	],
	ids=[
		"plain",
		"at-dot-words",
		"parenthesised",
		"bracketed",
		"upper-case-words",
		"spaced-letters",
		"fullwidth-at",
		"implied-domain",
		"provider-only",
		"spaced-at",
	],
)
def test_email_plain_and_obfuscated(text):
	assert "email" in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"I sent the documents to support@performancewest.net since the upload failed.",
		"Got a notice from alerts@mail.carrierone.com, is it legit?",
		"support at performancewest dot net never answered",
		"The image file header@3x.png is the one for the invoice template.",
		"We sold 2,500 units @ $4.99 each.",
		"@Tomasz the GST return is ready to file.",
		"Our website is www.northwindtelecom.ca.",
	],
	ids=[
		"platform",
		"platform-subdomain",
		"platform-obfuscated",
		"file-name",
		"at-price",
		"mention",
		"website",
	],
)
def test_email_negatives(text):
	assert "email" not in kinds(text)


def test_platform_domains_can_be_overridden():
	assert kinds("write to help@example.org", platform_domains=("example.org",)) == set()
	assert kinds("write to help@example.org", platform_domains=()) == {"email"}
	assert kinds("write to help@example.org", platform_domains="example.org") == set()


# --- address ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"text",
	[
		"Ship it to 4410 Oak Ridge Dr, Austin, TX 78731.",
		"Our office: 120 Adelaide St W, Suite 2500, Toronto, ON M5H 1T1",
		"Please courier the minute book to 350 Bay St, 11th Floor, Toronto ON M5H 2S6.",
		"Stop by 77 Rue Principale, Gatineau QC J9H 3L3 any time.",
		"the office is at nineteen Front street east, unit 4",
		"P O Box 5150, Yellowknife NT X1A 2R3, send the paper notices there",
		"Mailing address: RR 2, Olds AB T4H 1P3",
		"Best,\nTom Reyes\n9800 Ridgeway Road\nSpringfield IL 62704",
	],
	ids=[
		"us-street",
		"unit-and-postal",
		"floor",
		"french",
		"number-words",
		"po-box",
		"rural-route",
		"signature",
	],
)
def test_address_positives(text):
	assert "address" in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"ZIP 90210 is right for the new branch.",
		"We moved to Suite 400 in the same building.",
		"Box 44 on the T4 shows union dues.",
		"PO 4500027716 must be on your invoice.",
		"Lot 5, Concession 3 is the farm parcel.",
		"We're on King Street now.",
		"The 499-A for 2024 shows Block 3 Line 303 at $48,000.",
		"We drove 200 km on the highway to the client.",
	],
	ids=[
		"zip-alone",
		"suite-alone",
		"tax-box",
		"purchase-order",
		"land-description",
		"no-civic",
		"line",
		"km",
	],
)
def test_address_negatives(text):
	assert "address" not in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"I paid 5 dollars each way.",
		"I bought 2 USB drive units.",
		"We have 3 locations: Calgary and Red Deer.",
	],
	ids=["each-way", "usb-drive", "count"],
)
def test_quantities_are_not_addresses(text):
	assert "address" not in kinds(text)


def test_address_as_filing_content_is_not_flagged():
	text = (
		"For the BC annual report, the registered office should be 1055 W Georgia St, Vancouver BC V6E 3P3."
	)
	assert kinds(text) == set()


def test_rental_property_address_is_not_flagged():
	assert kinds("The rental condo at 88 Harbord St, Toronto had $3,400 in repairs this year.") == set()


# --- messaging --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"text",
	[
		"Would you be open to continuing over WhatsApp?",
		"Could we use Signal for the payroll files?",
		"Find me on Telegram, @granitepeak_ops.",
		"Add me on WeChat: chenyu_osprey",
		"My discord is quarrylane_tom if you want to chat outside of here",
		"Can you add me on Skype? live:cid.1234abcd",
		"t.me/lakeshore_rosa, message me there",
		"Text me once the filing is done.",
		"Send me a text when it's filed.",
		"Are you on WhatsApp?",
		"dm me on the gram",
	],
	ids=[
		"whatsapp-proposal",
		"signal-proposal",
		"telegram-handle",
		"wechat-id",
		"discord-username",
		"skype-live-id",
		"telegram-link",
		"sms-text-me",
		"sms-send-text",
		"question",
		"slang",
	],
)
def test_messaging_positives(text):
	assert "messaging" in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"whtsapp pls, i'm never at my desk",
		"wats app me pls",
		"W.h.a.t.s.A.p.p me",
		"wh@tsapp me",
		"ping me on T e l e g r a m",
		"telegrm me",
		"tele gram me",
		"sk\u00a5pe: live:aurora.north.accts",
		"S i g n a l me when you're free",
	],
	ids=[
		"whtsapp",
		"wats-app",
		"dotted",
		"at-for-a",
		"spaced",
		"telegrm",
		"tele-gram",
		"yen-skype",
		"signal-spaced",
	],
)
def test_messaging_obfuscations(text):
	assert "messaging" in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"Can we talk in the PM?",
		"Could you call me by 5 pm?",
		"Can we chat about the T2 on Monday in this ticket?",
	],
	ids=["afternoon", "time", "chat-in-ticket"],
)
def test_everyday_words_are_not_messaging(text):
	assert "messaging" not in kinds(text)


def test_text_me_at_number_is_phone_and_messaging():
	assert kinds("Just text me at 867-555-0127 when you're ready.") == {"phone", "messaging"}


@pytest.mark.parametrize(
	"text",
	[
		"Thanks for offering your WhatsApp, but our policy is that all client communication stays in the ticket.",
		"Our Telegram channel for outage notices, is the bot subscription deductible?",
		"Weak cell signal at the office means I sometimes miss portal notifications.",
		"Signal and WhatsApp calls don't work on our guest Wi-Fi.",
		"Our engineers live in Slack, so I'll copy your question over to them.",
		"The portal texts me a code every time I log in.",
		"Does the FCC treat SMS as an information service for 499 purposes now?",
		"There's a discord between the two filings.",
		"We don't use WhatsApp for business anymore.",
		"A client got a scam message over WhatsApp pretending to be us.",
		"Can you resend the text of section 4?",
		"What app do you use for the receipts?",
	],
	ids=[
		"refusal",
		"topic-bot",
		"common-noun-signal",
		"infrastructure",
		"internal-use",
		"portal-codes",
		"telecom-product",
		"common-noun-discord",
		"negation",
		"scam",
		"text-of-rule",
		"what-app",
	],
)
def test_messaging_negatives(text):
	assert "messaging" not in kinds(text)


# --- payment ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"text",
	[
		"Would a Venmo for the $275 be ok?",
		"I can Zelle you today if you send me your phone or email.",
		"$TimberlineTess on Cash App, put the overpayment there.",
		"Pay me through PayPal friends and family.",
		"Send the e-transfer to accounting.kf@rogers.com, I'll accept it right away.",
		"Any chance we can pay you in crypto instead of through the platform?",
		"Just send it to my personal chequing, transit 00012 institution 003 account 1029384.",
		"Mail a cheque made out to me, not the platform.",
		"I'll pay the balance in cash, no need for the portal.",
		"If we keep this off the platform I'll pay you 10% more than the quote.",
		"I'll give you a discount if we skip the platform fee.",
		"Is there a cheaper way to pay if we do it directly with you instead of through the platform?",
	],
	ids=[
		"venmo-question",
		"zelle-offer",
		"cashtag",
		"paypal-ff",
		"e-transfer",
		"crypto-request",
		"bank-numbers",
		"cheque-to-person",
		"cash",
		"off-platform-premium",
		"skip-fee",
		"pay-directly",
	],
)
def test_payment_positives(text):
	assert "payment" in kinds(text)


@pytest.mark.parametrize(
	"text",
	[
		"i can do v e n m o",
		"happy to zel.le it over tonight",
		"ca$h app me the refund",
		"p@ypal works for me",
	],
	ids=["spaced-venmo", "dotted-zelle", "cash-app-leet", "paypal-leet"],
)
def test_payment_obfuscations(text):
	assert "payment" in kinds(text)


@pytest.mark.parametrize(
	("text", "address"),
	[
		(
			"Pay to bc1ql3g2ckgx3fujwlcj3f8cu0nltxpc06qmg9hqac please.",
			"bc1ql3g2ckgx3fujwlcj3f8cu0nltxpc06qmg9hqac",
		),
		("BTC address: 12dgqjGWCaKFKkq4f5apbdBFNSDqwZsxFU", "12dgqjGWCaKFKkq4f5apbdBFNSDqwZsxFU"),
		("USDT TRC20: TMngut8tEbmYB2M2rv7MKxyvR4yKc99t6X", "TMngut8tEbmYB2M2rv7MKxyvR4yKc99t6X"),
		("ETH: 0x151b6d4757681616a33d53b6a5b14fa5acf5164e", "0x151b6d4757681616a33d53b6a5b14fa5acf5164e"),
		("ETH: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
	],
	ids=["bech32", "p2pkh", "tron", "eth-lower", "eth-eip55"],
)
def test_checksum_valid_wallets_are_payment(text, address):
	assert matches(text, "payment") == [address]


@pytest.mark.parametrize(
	"text",
	[
		"The sync log shows request id 13jQ7KFte4qvRjCqvfjmcwT2bwXqX2X2nz failed.",
		"Wallet-like id 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD failed the check.",
		"Our integration broke after commit e8032f26760bc5821bfa52d117f59d9c45803290.",
		"The Xero export fails with error 0x80004005.",
		"Stripe charge ch_3NkX2aLkdf8 failed, can you retry?",
	],
	ids=["bad-base58-checksum", "bad-eip55-checksum", "git-hash", "windows-error", "stripe-id"],
)
def test_hash_like_strings_are_not_payment(text):
	assert kinds(text) == set()


@pytest.mark.parametrize(
	"text",
	[
		"Heads up, I got a scam text claiming to be Zelle about a pending payment.",
		"We got an Interac e-Transfer phishing email with your logo on it.",
		"How should we book Venmo payments we receive from our customers?",
		"Customers who e-Transfer us for installs: should those go to sales or deposits?",
		"Our staff will never request Venmo, Zelle or crypto. Pay Now on the invoice is the only way.",
		"We hold a little bitcoin as a company investment. How is that reported?",
		"Is the PayPal Zettle card reader fee an expense?",
		"We paid the platform by wire on Monday using the bank details in the invoice PDF.",
		"Why does the invoice include a $30 wire charge?",
		"$AAPL and $MSFT are in the corporate account.",
		"Cheque #2231 to our landlord for $4,160.00 is missing from the ledger.",
		"Can you explain how Venmo fees work for sole proprietors?",
	],
	ids=[
		"scam-mention",
		"phishing",
		"bookkeeping",
		"customers-pay-client",
		"staff-warning",
		"holdings",
		"card-reader",
		"wire-per-invoice",
		"wire-fee",
		"tickers",
		"cheque-to-landlord",
		"question-about-service",
	],
)
def test_payment_negatives(text):
	assert "payment" not in kinds(text)


# --- findings and offsets ---------------------------------------------------------------------------


def test_multi_kind_signature():
	text = (
		"Warm regards,\nDarnell Okoye, CPA\n500 N Akard St, Suite 1800, Dallas TX 75201\n"
		"214-555-0159 | darnell@summitledger.com"
	)
	assert kinds(text) == {"phone", "email", "address"}


@pytest.mark.parametrize(
	"text",
	[
		"Mail a cheque made out to me at 14 Birch Rd, Whitehorse YT Y1A 3T5.",
		"call: (two five six) five five five - zero one nine five",
		"b e a . s o l i s @ y a h o o . c o m",
		"Zelle to pedro.alvarez.home@gmail.com and we're good",
	],
)
def test_offsets_slice_the_original_text(text):
	findings = detect(text)
	assert findings
	for f in findings:
		assert text[f.start : f.end] == f.match


def test_spaced_email_offsets_cover_the_spaced_text():
	text = "mail: b e a . s o l i s @ y a h o o . c o m thanks"
	(f,) = [f for f in detect(text) if f.kind == "email"]
	assert f.match == "b e a . s o l i s @ y a h o o . c o m"


def test_finding_is_frozen():
	f = Finding("phone", "206-555-0113", 0, 12)
	with pytest.raises(AttributeError):
		f.kind = "email"


def test_findings_are_sorted_and_kinds_are_known():
	findings = detect("Zelle to 206-555-0113 or ruth_k AT gmx DOT com, or stop by 12 King St W, Toronto.")
	assert [f.start for f in findings] == sorted(f.start for f in findings)
	assert {f.kind for f in findings} <= {"phone", "email", "address", "messaging", "payment"}


@pytest.mark.parametrize("text", ["", "Hello, any news on our amended return?", "Thanks!"])
def test_benign_text_has_no_findings(text):
	assert detect(text) == []


def test_detector_version_is_a_string():
	assert isinstance(DETECTOR_VERSION, str) and DETECTOR_VERSION


# --- strip_quoted -----------------------------------------------------------------------------------


def test_strip_quoted_drops_angle_quoted_lines():
	assert strip_quoted("Thanks, done.\n> call me at 206-555-0113\n>> older") == "Thanks, done."


def test_strip_quoted_cuts_at_on_wrote():
	text = "See attached.\n\nOn Mon, Jan 6, 2025 at 9:14 AM Jane Roe <jane@example.com> wrote:\nhi there"
	assert strip_quoted(text) == "See attached."


def test_strip_quoted_cuts_at_wrapped_on_wrote():
	text = "See attached.\nOn Mon, Jan 6, 2025 at 9:14 AM Jane Roe\n<jane@example.com> wrote:\nold text"
	assert strip_quoted(text) == "See attached."


def test_strip_quoted_cuts_at_original_message():
	text = "Approved.\n-----Original Message-----\nFrom: a@example.com\nCall 206-555-0113"
	assert strip_quoted(text) == "Approved."


def test_strip_quoted_cuts_at_outlook_header():
	text = (
		"Approved.\n\nFrom: Jane Roe <jane@example.com>\nSent: Monday, January 6, 2025 9:14 AM\nTo: us\nold"
	)
	assert strip_quoted(text) == "Approved."


def test_strip_quoted_keeps_a_from_line_without_header():
	text = "From: the accounting team, thanks for the help.\nAll good."
	assert strip_quoted(text) == text


def test_strip_quoted_cuts_at_french_headers():
	assert (
		strip_quoted("Merci!\nLe lun. 6 janv. 2025, \u00e0 09 h 14, Jane <j@x.ca> a \u00e9crit :\n> vieux")
		== "Merci!"
	)
	assert strip_quoted("Ok.\nDe : Jane Roe\nEnvoy\u00e9 : lundi\n\u00c0 : nous\nold") == "Ok."


def test_strip_quoted_drops_signature():
	assert strip_quoted("Sounds good.\n-- \nJane Roe\nCell 206-555-0113") == "Sounds good."


def test_strip_quoted_keeps_own_words():
	text = "Please call me at 206-555-0113.\nThanks"
	assert strip_quoted(text) == text
	assert "phone" in kinds(strip_quoted(text))


def test_detect_does_not_strip_quotes_itself():
	assert "phone" in kinds("Thanks.\n> call me at 206-555-0113")


# --- crypto helpers ---------------------------------------------------------------------------------


def test_keccak256_matches_known_vector():
	assert _crypto.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_bech32m_taproot_address_is_valid():
	assert _crypto.is_segwit_address("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297")


def test_iban_checksum():
	assert _crypto.is_iban("GB82 WEST 1234 5698 7654 32")
	assert not _crypto.is_iban("GB82 WEST 1234 5698 7654 33")


# --- properties -------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=400))
def test_detect_never_raises_and_offsets_slice_original(text):
	for f in detect(text):
		assert f.kind in {"phone", "email", "address", "messaging", "payment"}
		assert 0 <= f.start < f.end <= len(text)
		assert text[f.start : f.end] == f.match


_PIECES = st.sampled_from(
	[
		" ",
		"\n",
		"call me at ",
		"206-555-0113",
		"five five five",
		" at ",
		" dot com",
		"@",
		"gmail",
		"WhatsApp",
		"$",
		"Zelle",
		"12 King St W",
		"P O Box 12",
		"\u0130",
		"\uff20",
		"O1O9",
		"(",
		")",
	]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_detect_on_adversarial_fragments(text):
	for f in detect(text):
		assert text[f.start : f.end] == f.match


# --- module boundaries and the line protocol --------------------------------------------------------


def test_detector_does_not_import_frappe():
	code = "import sys, pw_helpdesk.compliance.detector; assert 'frappe' not in sys.modules"
	subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_line_protocol_answers_each_line():
	lines = [
		{"id": "__warmup__", "text": "Hi"},
		{"id": "a~r1", "text": "text me at 867-555-0127"},
		{"id": "b", "text": "Thanks, all good."},
	]
	stdin = "".join(json.dumps(x) + "\n" for x in lines)
	proc = subprocess.run(
		[sys.executable, "-m", "pw_helpdesk.bypass"],
		input=stdin,
		capture_output=True,
		text=True,
		cwd=REPO,
		check=True,
		timeout=60,
	)
	answers = [json.loads(line) for line in proc.stdout.splitlines()]
	assert [a["id"] for a in answers] == ["__warmup__", "a~r1", "b"]
	assert {f["kind"] for f in answers[1]["findings"]} == {"phone", "messaging"}
	assert answers[2]["findings"] == []
	for f in answers[1]["findings"]:
		assert lines[1]["text"][f["start"] : f["end"]] == f["match"]
