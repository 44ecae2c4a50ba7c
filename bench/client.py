"""The load generator's HTTP/1.1 client: pre-built requests on one keep-alive connection, answers read whole.

``http.client`` spends more Python time on a request (building headers, parsing the answer's headers
with the email parser) than the fastest servers spend answering it, so at one client the benchmark
measured partly itself. This client sends bytes built once per query, reads the status line and the
two headers it needs (``Content-Length`` or ``Transfer-Encoding: chunked``, and ``Connection``), and
reads the body to its end, as any client must for the next answer on the same connection.
"""

from __future__ import annotations

import socket

READ_BYTES = 65536


class ResponseError(OSError):
    """The server's answer could not be read as HTTP/1.1."""


def post_request(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """The bytes of a POST of ``body`` to ``path``, with ``headers``, ready to send again and again."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class KeepAliveClient:
    """Sends pre-built requests to ``host``:``port`` on one connection, opened again when the server closed it."""

    def __init__(self, host: str, port: int, timeout: float = 60.0) -> None:
        self._address = (host, port)
        self._timeout = timeout
        self._sock: socket.socket | None = None
        self._buffer = bytearray()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._buffer.clear()

    def send(self, request: bytes) -> tuple[int, int]:
        """Send ``request`` and read its whole answer: the status and the body's length in bytes."""
        if self._sock is None:
            self._sock = socket.create_connection(self._address, timeout=self._timeout)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self._sock.sendall(request)
            status, length, closes = self._read_answer()
        except OSError:
            self.close()
            raise
        if closes:
            self.close()
        return status, length

    def _fill(self) -> None:
        assert self._sock is not None
        data = self._sock.recv(READ_BYTES)
        if not data:
            raise ResponseError("the server closed the connection in the middle of an answer")
        self._buffer += data

    def _take(self, count: int) -> bytes:
        while len(self._buffer) < count:
            self._fill()
        taken = bytes(self._buffer[:count])
        del self._buffer[:count]
        return taken

    def _take_line(self) -> bytes:
        while (end := self._buffer.find(b"\r\n")) < 0:
            self._fill()
        return self._take(end + 2)[:-2]

    def _read_answer(self) -> tuple[int, int, bool]:
        status_line = self._take_line()
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise ResponseError(f"not an HTTP/1.1 status line: {status_line[:80]!r}")
        content_length: int | None = None
        chunked = False
        closes = parts[0] == b"HTTP/1.0"
        while line := self._take_line():
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                content_length = int(value)
            elif name == b"transfer-encoding":
                chunked = value.endswith(b"chunked")
            elif name == b"connection":
                closes = value == b"close"
        if chunked:
            length = self._read_chunks()
        elif content_length is not None:
            length = len(self._take(content_length))
        else:  # the body runs to the end of the connection
            while True:
                try:
                    self._fill()
                except ResponseError:
                    break
            length, closes = len(self._buffer), True
            self._buffer.clear()
        return int(parts[1]), length, closes

    def _read_chunks(self) -> int:
        length = 0
        while True:
            size = int(self._take_line().split(b";", 1)[0], 16)
            if size == 0:
                while self._take_line():  # trailers, up to the empty line
                    pass
                return length
            length += len(self._take(size))
            if self._take(2) != b"\r\n":
                raise ResponseError("a chunk did not end with CRLF")
