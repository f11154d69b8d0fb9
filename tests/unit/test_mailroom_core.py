import pytest

from pw_helpdesk.mailroom import core


def test_fourteen_standard_mailboxes_with_their_priorities():
	assert len(core.STANDARD_MAILBOXES) == 14
	high = {k for k, v in core.STANDARD_MAILBOXES.items() if v == "High"}
	low = {k for k, v in core.STANDARD_MAILBOXES.items() if v == "Low"}
	assert high == {"regulatory", "crtc", "ccts", "abuse", "noc"}
	assert low == {"info", "sales", "support"}


def test_highest_priority_wins():
	assert core.highest(["Low", "High", "Medium"]) == "High"


def test_passwords_file_is_parsed():
	text = "# comment\nregulatory s3cret with spaces\n\ncrtc@client.ca pw2\n"
	assert core.parse_passwords(text) == {"regulatory": "s3cret with spaces", "crtc": "pw2"}


@pytest.mark.parametrize("line", ["regulatory", "marketing pw"])
def test_bad_passwords_line_is_named(line):
	with pytest.raises(ValueError, match="line 1"):
		core.parse_passwords(line)


def test_attachments_are_extracted():
	raw = (
		b"From: a@b.ca\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
		b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
		b'--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="letter.pdf"\r\n'
		b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n--B--\r\n"
	)
	(att,) = core.attachments(raw)
	assert (att.filename, att.content) == ("letter.pdf", b"%PDF-1.4")


def test_broken_mime_gives_no_attachments_and_no_error():
	assert core.attachments(b"\xff\xfe garbage \x00 no headers") == []


def test_excerpt_is_bounded():
	assert len(core.excerpt("word " * 1000, 100)) == 100
