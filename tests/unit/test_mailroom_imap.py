"""fetch_new against a scripted IMAP server: what it sends, and that it never changes the mailbox."""

import socket
import threading

from pw_helpdesk.mailroom.imap import fetch_new

GREETING = b"* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN] ready\r\n"


class ScriptedServer:
	"""Answers LOGIN, STATUS and LOGOUT; records every command it is sent."""

	def __init__(self, uidnext: int = 5, greeting: bytes = GREETING):
		self.commands: list[str] = []
		self.uidnext, self.greeting = uidnext, greeting
		self.sock = socket.socket()
		self.sock.bind(("127.0.0.1", 0))
		self.sock.listen(1)
		self.port = self.sock.getsockname()[1]
		threading.Thread(target=self.serve, daemon=True).start()

	def serve(self):
		conn, _ = self.sock.accept()
		conn.sendall(self.greeting)
		buffer = b""
		while True:
			data = conn.recv(4096)
			if not data:
				break
			buffer += data
			while b"\r\n" in buffer:
				line, buffer = buffer.split(b"\r\n", 1)
				tag, command = line.decode().split(" ", 2)[:2]
				self.commands.append(command.upper())
				if command.upper() == "CAPABILITY":
					conn.sendall(b"* CAPABILITY IMAP4rev1\r\n" + f"{tag} OK done\r\n".encode())
				elif command.upper() == "STATUS":
					conn.sendall(
						f'* STATUS "INBOX" (UIDVALIDITY 7 UIDNEXT {self.uidnext})\r\n{tag} OK done\r\n'.encode()
					)
				elif command.upper() == "LOGOUT":
					conn.sendall(f"* BYE\r\n{tag} OK bye\r\n".encode())
					conn.close()
					return
				else:
					conn.sendall(f"{tag} OK done\r\n".encode())


def poll(server, **kw):
	args = {"tls": "none", "last_uid": 4, "uidvalidity": 7, "timeout": 5}
	return fetch_new("info@x.example", "127.0.0.1", server.port, "pw", **{**args, **kw})


def test_idle_poll_is_login_and_status_only():
	server = ScriptedServer()
	result = poll(server)
	assert result.error is None
	assert (result.uidvalidity, result.uidnext, result.messages) == (7, 5, [])
	assert server.commands[:2] == ["LOGIN", "STATUS"]
	assert "CAPABILITY" not in server.commands


def test_nothing_that_changes_the_mailbox_is_sent():
	server = ScriptedServer()
	poll(server)
	assert not {"STORE", "EXPUNGE", "COPY", "MOVE", "SELECT"} & set(server.commands)


def test_greeting_without_capabilities_falls_back_to_asking():
	server = ScriptedServer(greeting=b"* OK ready\r\n")
	assert poll(server).error is None
	assert server.commands[0] == "CAPABILITY"


def test_refused_connection_is_a_connect_error():
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	result = fetch_new("info@x.example", "127.0.0.1", port, "pw", tls="none", timeout=2)
	assert result.error_kind == "connect"
