"""A serving process's supervision, without the processes: it watches requests, lowers the priority of
long ones and gives it back, answers a request past its time on its own connection, and retires."""

from __future__ import annotations

import gc
import http.client
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from publisher import prefork
from publisher.errors import QueryTimeout
from publisher.prefork import Supervisor, _ChildSupervision, raw_response
from publisher.server import request_threads

MIB = 1024 * 1024


class FakeChannel:
    """What the supervision uses of a waitress channel."""

    def __init__(self) -> None:
        self.written = b""
        self.close_when_flushed = False

    def check_client_disconnected(self) -> None:
        pass

    def write_soon(self, data: bytes) -> None:
        self.written += data


class FakeServer:
    def __init__(self) -> None:
        self.pulls = 0

    def pull_trigger(self) -> None:
        self.pulls += 1


def request_environ(channel: FakeChannel, accept: str = "application/json") -> dict[str, Any]:
    environ = EnvironBuilder(path="/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept}).get_environ()
    environ["waitress.client_disconnected"] = channel.check_client_disconnected
    return environ


@pytest.fixture
def supervision(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[_ChildSupervision, list[str]]]:
    """A supervision watching a fake server; retiring is recorded instead of ending the test process."""
    retired: list[str] = []
    monkeypatch.setattr(_ChildSupervision, "retire", lambda self, reason: retired.append(reason))
    read, write = os.pipe()
    ours = _ChildSupervision(app, write, drain_seconds=1.0)
    ours.start(FakeServer())
    yield ours, retired
    os.close(read)
    os.close(write)


def watched_call(ours: _ChildSupervision, environ: dict[str, Any], seconds: float, work: float) -> dict[str, Any]:
    """Run ``work`` seconds of watched work on a thread; report its nice values and the ticket's verdict."""
    seen: dict[str, Any] = {}

    def request() -> None:
        ours._local.environ = environ
        me = threading.get_native_id()
        seen["before"] = os.getpriority(os.PRIO_PROCESS, me)
        ticket = ours.watch(seconds, QueryTimeout("The query ran longer than the limit and was stopped."))
        assert ticket is not None
        time.sleep(work / 2)
        seen["during"] = os.getpriority(os.PRIO_PROCESS, me)
        time.sleep(work / 2)
        seen["done"] = ticket.done()
        seen["after"] = os.getpriority(os.PRIO_PROCESS, me)

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    return seen


def test_a_long_request_loses_cpu_priority_and_gets_it_back_when_done(
    supervision: tuple[_ChildSupervision, list[str]],
) -> None:
    ours, retired = supervision
    if not ours._may_demote:
        pytest.skip("this process may not raise a thread's priority again")
    seen = watched_call(ours, request_environ(FakeChannel()), seconds=5, work=0.3)
    assert seen["during"] == min(seen["before"] + prefork.DEMOTION, 19)
    assert seen["done"] is True and seen["after"] == seen["before"]
    assert retired == []


def test_a_quick_request_keeps_its_priority(supervision: tuple[_ChildSupervision, list[str]]) -> None:
    ours, _retired = supervision
    seen = watched_call(ours, request_environ(FakeChannel()), seconds=5, work=0.0)
    assert seen["during"] == seen["before"] == seen["after"] and seen["done"] is True


def test_a_request_past_its_time_is_answered_on_its_connection_and_the_process_retires(
    supervision: tuple[_ChildSupervision, list[str]],
) -> None:
    ours, retired = supervision
    channel = FakeChannel()
    seen = watched_call(ours, request_environ(channel), seconds=0.05, work=0.3)
    assert seen["done"] is False  # the request's own thread must not answer as well
    assert channel.close_when_flushed and ours._server.pulls >= 1
    response = http.client.HTTPResponse(FakeSocket(channel.written))
    response.begin()
    assert response.status == 503 and response.getheader("Connection") == "close"
    assert b"stopped" in response.read()
    assert len(retired) == 1 and "time limit" in retired[0]


def test_watch_needs_a_request_of_a_waitress_channel(supervision: tuple[_ChildSupervision, list[str]]) -> None:
    ours, _retired = supervision
    assert ours.watch(1.0, QueryTimeout("x")) is None  # not inside a request: the caller keeps time itself
    ours._local.environ = {"PATH_INFO": "/sparql"}
    assert ours.watch(1.0, QueryTimeout("x")) is None


def test_the_raw_answer_is_the_app_s_own_error_response(app: Flask) -> None:
    environ = request_environ(FakeChannel(), accept="text/plain")
    data = raw_response(app, environ, QueryTimeout("Too slow, stopped."))
    response = http.client.HTTPResponse(FakeSocket(data))
    response.begin()
    body = response.read()
    assert response.status == 503 and body == b"Too slow, stopped.\n"
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert response.getheader("Access-Control-Allow-Origin") == "*"  # the endpoint's CORS, as on every answer
    assert int(response.getheader("Content-Length")) == len(body)


class FakeSocket:
    def __init__(self, data: bytes) -> None:
        self._file = io.BytesIO(data)

    def makefile(self, mode: str) -> io.BytesIO:
        return self._file


@pytest.mark.parametrize(("data_mib", "threads"), [(2, 8), (40, 8), (384, 32)])
def test_large_data_gets_more_request_threads(data_mib: int, threads: int) -> None:
    assert request_threads(data_mib * MIB) == threads


def test_what_the_supervisor_holds_is_frozen_out_of_the_collector_before_a_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.unfreeze()
    monkeypatch.setattr(os, "fork", lambda: 2**22 + 1)  # the parent's side of a fork, without the child
    supervisor = Supervisor(None, socket.socket(), processes=1, threads=1, drain_seconds=0.1)
    try:
        supervisor._spawn()
        assert supervisor.child_pids() == [2**22 + 1]
        assert gc.get_freeze_count() > 10_000  # the interpreter, pytest, Flask, ...
    finally:
        gc.unfreeze()
        supervisor._sock.close()
        for fd in (supervisor._wake_r, supervisor._wake_w, *(c.notices for c in supervisor._children.values())):
            os.close(fd)
