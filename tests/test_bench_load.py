"""The benchmark's measuring: every client's answers are counted, errors apart, selective ones too; memory
of a whole process tree."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from bench.queries import BenchQuery
from bench.run import Sample, Server, load, tree_pss_bytes


class Answering(BaseHTTPRequestHandler):
    """Answers a query containing "fail" with 500, any other with 200, on keep-alive connections."""

    protocol_version = "HTTP/1.1"
    queries: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        query = urllib.parse.parse_qs(body.decode())["query"][0]
        Answering.queries.append(query)
        status = 500 if "fail" in query else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield Server("fake", [], "/sparql", port=httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def test_load_counts_answers_errors_and_selective_queries_from_every_client(server: Server) -> None:
    Answering.queries = []
    mix = (
        BenchQuery("pick", True, "ASK {}"),
        BenchQuery("scan", False, "SELECT * {}"),
        BenchQuery("bad", False, "fail"),
    )
    sample = Sample()
    load(server, mix, 3, 0.5, sample)
    sent = len(Answering.queries)
    assert sent > 30
    assert len(sample.latencies) + sample.errors == sent
    assert sample.errors == Answering.queries.count("fail") > 0
    assert len(sample.selective) == Answering.queries.count("ASK {}") > 0
    assert 0.5 <= sample.seconds < 5


def test_memory_of_a_process_tree_counts_its_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; data = bytearray(64 << 20); time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while tree_pss_bytes(child.pid) < 64 << 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_pss_bytes(child.pid) >= 64 << 20
        assert tree_pss_bytes(os.getpid()) >= tree_pss_bytes(child.pid) + (1 << 20)  # ours, and the child's
    finally:
        child.kill()
        child.wait()
