"""A small userspace TCP proxy for tests and benchmarks: adds latency, or cuts connections mid-stream.

These kernels have no `tc netem`, so latency between the poller and Dovecot is added here: every chunk is
forwarded `delay` seconds after it arrived, in each direction, keeping order. `cut_after` closes both sides
once that many bytes have come from the server on one connection (a connection dropped in the middle of a
FETCH).
"""

from __future__ import annotations

import asyncio
import socket
import threading


class DelayProxy:
	def __init__(self, target_port: int, delay: float = 0.0, cut_after: int | None = None):
		self.target_port = target_port
		self.delay = delay
		self.cut_after = cut_after
		self.connections = 0
		with socket.socket() as s:
			s.bind(("127.0.0.1", 0))
			self.port = s.getsockname()[1]
		self._loop = asyncio.new_event_loop()
		self._ready = threading.Event()
		self._thread = threading.Thread(target=self._run, daemon=True)

	def __enter__(self) -> DelayProxy:
		self._thread.start()
		self._ready.wait(10)
		return self

	def __exit__(self, *exc) -> None:
		self._loop.call_soon_threadsafe(self._loop.stop)
		self._thread.join(10)

	def _run(self) -> None:
		asyncio.set_event_loop(self._loop)
		server = self._loop.run_until_complete(
			asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=2048)
		)
		self._ready.set()
		try:
			self._loop.run_forever()
		finally:
			server.close()

	async def _handle(self, client_reader, client_writer) -> None:
		self.connections += 1
		try:
			server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
		except OSError:
			client_writer.close()
			return
		cut = asyncio.Event()
		await asyncio.gather(
			self._pipe(client_reader, server_writer, cut, count=False),
			self._pipe(server_reader, client_writer, cut, count=True),
			return_exceptions=True,
		)
		for writer in (client_writer, server_writer):
			writer.close()

	async def _pipe(self, reader, writer, cut: asyncio.Event, count: bool) -> None:
		queue: asyncio.Queue = asyncio.Queue()
		loop = asyncio.get_running_loop()

		async def sender():
			while True:
				due, data = await queue.get()
				if data is None:
					break
				wait = due - loop.time()
				if wait > 0:
					await asyncio.sleep(wait)
				writer.write(data)
				await writer.drain()
			writer.close()

		task = asyncio.create_task(sender())
		seen = 0
		try:
			while not cut.is_set():
				data = await reader.read(65536)
				if not data:
					break
				if count and self.cut_after is not None:
					if seen + len(data) >= self.cut_after:
						queue.put_nowait((loop.time() + self.delay, data[: max(0, self.cut_after - seen)]))
						cut.set()
						break
					seen += len(data)
				queue.put_nowait((loop.time() + self.delay, data))
		finally:
			queue.put_nowait((0, None))
			await asyncio.gather(task, return_exceptions=True)
			if cut.is_set():
				writer.transport.abort()
