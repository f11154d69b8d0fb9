"""Talking to one IMAP mailbox: new messages by UID, read-only, nothing changed on the server. No frappe."""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass, field

from imapclient import IMAPClient, imap4
from imapclient import tls as imap_tls

FOLDER = "INBOX"
_GREETING_CAPABILITIES = re.compile(rb"\[CAPABILITY ([^\]]+)\]")


class _GreetingCapabilities:
	"""imaplib asks CAPABILITY right after the greeting, although servers (Dovecot among them) list their
	capabilities in it: one round trip per mailbox per poll, a quarter of an idle poll. Use the greeting's."""

	def _get_capabilities(self):
		match = _GREETING_CAPABILITIES.search(self.welcome or b"")
		if not match:
			return super()._get_capabilities()
		self.capabilities = tuple(match.group(1).decode("ascii", "replace").upper().split())


class _IMAP4(_GreetingCapabilities, imap4.IMAP4WithTimeout):
	pass


class _IMAP4TLS(_GreetingCapabilities, imap_tls.IMAP4_TLS):
	pass


class _Client(IMAPClient):
	def _create_IMAP4(self):
		connect_timeout = getattr(self._timeout, "connect", None)
		if self.ssl:
			return _IMAP4TLS(self.host, self.port, self.ssl_context, connect_timeout)
		return _IMAP4(self.host, self.port, connect_timeout)


@dataclass
class MailboxResult:
	address: str
	uidvalidity: int | None = None
	uidnext: int | None = None
	messages: list[tuple[int, bytes]] = field(default_factory=list)  # (uid, raw), ascending uid
	error: str | None = None
	error_kind: str | None = None  # connect, auth, timeout, tls, protocol


def _classify(exc: BaseException) -> str:
	if isinstance(exc, ssl.SSLError | ssl.CertificateError):
		return "tls"
	if isinstance(exc, socket.timeout | TimeoutError):
		return "timeout"
	if isinstance(exc, ConnectionError | OSError):
		return "connect"
	name = type(exc).__name__.lower()
	if "login" in name or "auth" in str(exc).lower():
		return "auth"
	return "protocol"


def fetch_new(
	address: str,
	host: str,
	port: int,
	password: str,
	*,
	tls: str = "implicit",
	verify: bool = True,
	last_uid: int = 0,
	uidvalidity: int | None = None,
	timeout: float = 30.0,
	batch: int = 50,
	max_messages: int = 500,
) -> MailboxResult:
	"""New messages since `last_uid` (all of them again when UIDVALIDITY changed). Never raises.

	One STATUS round trip tells whether there is anything new; only then the folder is examined (read-only)
	and the messages fetched with BODY.PEEK[], which leaves \\Seen alone.
	"""
	result = MailboxResult(address)
	context = None
	if tls in ("implicit", "starttls"):
		context = ssl.create_default_context()
		if not verify:
			context.check_hostname = False
			context.verify_mode = ssl.CERT_NONE
	client = None
	try:
		client = _Client(host, port=port, ssl=tls == "implicit", ssl_context=context, timeout=timeout)
		if tls == "starttls":
			client.starttls(context)
		client.login(address, password)
		status = client.folder_status(FOLDER, [b"UIDVALIDITY", b"UIDNEXT"])
		result.uidvalidity = int(status[b"UIDVALIDITY"])
		result.uidnext = int(status[b"UIDNEXT"])
		start = last_uid + 1 if result.uidvalidity == uidvalidity else 1
		if result.uidnext <= start:
			return result  # nothing new, the common case: greeting, LOGIN, STATUS
		client.select_folder(FOLDER, readonly=True)
		uids = sorted(u for u in client.search(["UID", f"{start}:*"]) if u >= start)[:max_messages]
		for i in range(0, len(uids), batch):
			chunk = uids[i : i + batch]
			fetched = client.fetch(chunk, [b"BODY.PEEK[]"])
			for uid in chunk:
				data = fetched.get(uid, {})
				raw = data.get(b"BODY[]")
				if raw is None:
					raise RuntimeError(f"server returned no body for UID {uid}")
				result.messages.append((uid, bytes(raw)))
	except Exception as exc:
		result.error_kind = _classify(exc)
		# The exception text never carries the password (imapclient does not echo it); keep it short.
		result.error = f"{type(exc).__name__}: {str(exc)[:300]}"
	finally:
		if client is not None:
			try:
				client.shutdown()
			except Exception:
				pass
	return result
