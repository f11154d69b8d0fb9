import pytest

from pw_helpdesk.intake import core

GOOD = {"email": "Jane@Example.com", "subject": "Help", "message": "Line 1\nLine 2", "category": "support"}


def ticket(**overrides):
	return core.validate_ticket(**{**GOOD, **overrides})


@pytest.mark.parametrize(
	("category", "issue_type"),
	[
		("question", "Sales Inquiry"),
		("support", "Support"),
		("issue", "Bug"),
		("service_request", "Feature Request"),
		("quote", "Sales Inquiry"),
	],
)
def test_category_maps_to_issue_type(category, issue_type):
	assert ticket(category=category).issue_type == issue_type


def test_email_is_normalised_to_lower_case():
	assert ticket().email == "jane@example.com"


@pytest.mark.parametrize(
	("field", "value"),
	[
		("email", None),
		("email", "not-an-email"),
		("email", "a@b"),
		("email", "a b@example.com"),
		("subject", ""),
		("subject", "x" * 141),
		("subject", "two\nlines"),
		("message", "   "),
		("message", "x" * 20_001),
		("message", "binary\x00data"),
		("category", "complaint"),
		("category", None),
		("page_url", "javascript:alert(1)"),
		("channel", "fax"),
		("name", ["a", "list"]),
	],
)
def test_bad_field_is_named(field, value):
	with pytest.raises(core.FieldError) as caught:
		ticket(**{field: value})
	assert caught.value.field == field


def test_limits_are_inclusive():
	t = ticket(subject="s" * 140, message="m" * 20_000)
	assert len(t.subject) == 140
	assert len(t.message) == 20_000


def test_replacement_character_from_a_non_utf8_body_is_refused():
	with pytest.raises(core.FieldError) as caught:
		ticket(message="caf\ufffd")
	assert caught.value.field == "message"


def test_channel_defaults_to_widget_when_a_page_url_is_given():
	assert ticket(page_url="https://performancewest.net/pricing").channel == "Web Widget"
	assert ticket().channel == "API"
	assert ticket(channel="contact_form").channel == "Contact Form"


def test_safe_html_escapes_markup_and_keeps_line_breaks():
	html = core.text_to_safe_html('<script>alert(1)</script>\n<img src="http://x/y.png" onerror=z>\n\nBye')
	assert "<script" not in html and "<img" not in html
	assert "&lt;script&gt;" in html
	assert html.count("<p>") == 2
	assert "<br>" in html


def test_dedup_key_is_stable_and_short():
	assert core.dedup_key("alert", "a", "b") == core.dedup_key("alert", "a", "b")
	assert core.dedup_key("alert", "a", "b") != core.dedup_key("alert", "ab")
	assert len(core.dedup_key("alert", "x" * 10_000)) < 140


def test_window_retry_after():
	assert core.window_retry_after(1000.0, 600) == (1, 200)
	assert core.window_retry_after(1199.5, 600)[1] == 1
