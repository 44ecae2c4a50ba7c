"""The load generator's HTTP client: whole answers read, by length or in chunks, and connections reopened."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from bench.client import KeepAliveClient, ResponseError, post_request


class CannedServer:
    """Answers each request on a connection with the next canned answer; counts connections and requests."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = list(answers)
        self.requests: list[bytes] = []
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while self.answers:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                while self.answers:
                    request = self._read_request(conn)
                    if request is None:
                        break
                    self.requests.append(request)
                    answer = self.answers.pop(0)
                    conn.sendall(answer)
                    if b"Connection: close" in answer or answer.startswith(b"HTTP/1.0"):
                        break

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line for line in head.split(b"\r\n") if line.startswith(b"Content-Length")).split(b":")[1])
        while len(body) < length:
            body += conn.recv(65536)
        return head + b"\r\n\r\n" + body

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def canned() -> Iterator[list[CannedServer]]:
    made: list[CannedServer] = []
    yield made
    for server in made:
        server.close()


def serve(canned: list[CannedServer], *answers: bytes) -> CannedServer:
    server = CannedServer(list(answers))
    canned.append(server)
    return server


def send_three(server: CannedServer, body: bytes) -> list[tuple[int, int]]:
    """What a client reads for three requests with ``body`` to ``server``."""
    client = KeepAliveClient("127.0.0.1", server.port)
    request = post_request("127.0.0.1", server.port, "/q", body, {})
    try:
        return [client.send(request) for _ in range(3)]
    finally:
        client.close()


def test_the_request_is_a_complete_http_post() -> None:
    request = post_request("127.0.0.1", 8000, "/sparql", b"query=ASK%7B%7D", {"Accept": "text/csv"})
    assert request == (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Length: 15\r\nAccept: text/csv\r\n\r\n"
        b"query=ASK%7B%7D"
    )


def test_answers_by_length_and_in_chunks_are_read_whole_on_one_connection(canned: list[CannedServer]) -> None:
    server = serve(
        canned,
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n4\r\ndefg\r\n0\r\nTrailer: 1\r\n\r\n",
        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n",
    )
    assert send_three(server, b"x=1") == [(200, 5), (200, 7), (500, 0)]
    assert server.connections == 1 and server.requests == [post_request("127.0.0.1", server.port, "/q", b"x=1", {})] * 3


def test_a_connection_the_server_closes_is_opened_again(canned: list[CannedServer]) -> None:
    server = serve(
        canned,
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    )
    assert send_three(server, b"") == [(200, 2)] * 3
    assert server.connections == 3


@pytest.mark.parametrize(
    "answer",
    [b"garbage\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", b"HTTP/1.1 200 OK\r\nContent-Le"],
)
def test_an_answer_that_is_not_http_or_is_cut_short_is_an_error(canned: list[CannedServer], answer: bytes) -> None:
    server = serve(canned, answer)
    client = KeepAliveClient("127.0.0.1", server.port, timeout=5)
    with pytest.raises(ResponseError):  # an OSError, which the load generator counts as a failed request
        client.send(post_request("127.0.0.1", server.port, "/q", b"", {}))
    client.close()
