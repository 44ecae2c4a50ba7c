"""The query runner: answers within the time limit, gives up past it (retiring the process), turns
engine errors into replies, and runs on the request thread under a supervision's watch where there is one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask

from publisher import supervision
from publisher.errors import PublisherError, QueryTimeout
from publisher.sparql.runner import Job, QueryRunner, Reply
from publisher.sparql.views import SERVICE_KEY
from publisher.store import COPIED_SHARE, EXTENSION_KEY


def make_job(query: str) -> Job:
    return Job(query=query, form="SELECT", format_key="json", default_graphs=None, named_graphs=None, limit=10)


def pretend_runner(store: ox.Store, job: Job) -> Reply:
    """Answers ``sleep N`` after N seconds, ``fail`` and ``remote`` with errors, anything else at once."""
    word, _, arg = job.query.partition(" ")
    if word == "sleep":
        time.sleep(float(arg))
    if word == "fail":
        raise ValueError("no such function")
    if word == "remote":
        raise ConnectionRefusedError("connection refused")
    return Reply(body=f"{threading.current_thread().name} {len(store)}".encode())


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c")))
    return store


@pytest.fixture
def retired(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The reasons given to :func:`publisher.supervision.retire` during the test."""
    reasons: list[str] = []

    class Recorder:
        def watch(self, seconds: float, error: PublisherError) -> None:
            return None

        def retire(self, reason: str) -> None:
            reasons.append(reason)

    supervision.install(Recorder())
    yield reasons
    supervision.install(None)


def test_a_query_is_answered_on_a_query_thread_with_the_store(store: ox.Store, retired: list[str]) -> None:
    thread, size = QueryRunner(store, 2.0, pretend_runner).run(make_job("hello")).body.decode().split()
    assert thread.startswith("query-") and size == "1"
    assert retired == []


def test_past_the_time_limit_the_client_gets_503_at_once_and_the_process_retires(
    store: ox.Store, retired: list[str]
) -> None:
    runner = QueryRunner(store, 0.3, pretend_runner)
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as timed_out:
        runner.run(make_job("sleep 3"))
    assert time.monotonic() - started < 1.5
    assert timed_out.value.status == 503 and "0.3 seconds" in timed_out.value.message
    assert len(retired) == 1 and "time limit" in retired[0]


def test_a_stuck_query_thread_does_not_hold_up_the_next_query(store: ox.Store, retired: list[str]) -> None:
    runner = QueryRunner(store, 0.3, pretend_runner)
    with pytest.raises(QueryTimeout):
        runner.run(make_job("sleep 3"))
    started = time.monotonic()
    assert runner.run(make_job("hello")).body.endswith(b" 1")
    assert time.monotonic() - started < 0.3
    assert runner.threads == 2


def test_idle_query_threads_are_reused(store: ox.Store, retired: list[str]) -> None:
    runner = QueryRunner(store, 2.0, pretend_runner)
    for _ in range(20):
        runner.run(make_job("hello"))
        time.sleep(0.001)
    assert runner.threads <= 2


def test_engine_errors_and_failed_remote_calls_become_replies(store: ox.Store, retired: list[str]) -> None:
    runner = QueryRunner(store, 2.0, pretend_runner)
    failed = runner.run(make_job("fail"))
    assert failed.error_status == 400 and "no such function" in failed.error
    remote = runner.run(make_job("remote"))
    assert remote.error_status == 502 and "remote endpoint" in remote.error


def test_a_process_holding_too_much_memory_retires(
    store: ox.Store, retired: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import publisher.sparql.runner as runner_module

    monkeypatch.setattr(runner_module, "private_memory", lambda: 500 * 1024 * 1024)
    runner = QueryRunner(store, 2.0, pretend_runner, memory_limit=100 * 1024 * 1024)
    runner.run(make_job("sleep 0.15"))  # a long query is followed by a memory check
    deadline = time.monotonic() + 2
    while not retired and time.monotonic() < deadline:
        time.sleep(0.01)
    assert retired and "WORKER_MEMORY_MB" in retired[0]


class Watching:
    """A supervision that watches requests: records what it was asked, and says whether time ran out."""

    def __init__(self, expired: bool) -> None:
        self.expired = expired
        self.watched: list[tuple[float, PublisherError]] = []

    def watch(self, seconds: float, error: PublisherError) -> Watching:
        self.watched.append((seconds, error))
        return self

    def done(self) -> bool:
        return not self.expired

    def retire(self, reason: str) -> None:
        raise AssertionError("the supervision retires the process itself when time runs out")


def test_under_a_watch_the_query_runs_on_the_request_thread(store: ox.Store) -> None:
    watching = Watching(expired=False)
    supervision.install(watching)
    try:
        reply = QueryRunner(store, 2.5, pretend_runner).run(make_job("hello"))
    finally:
        supervision.install(None)
    assert reply.body.decode().split()[0] == threading.current_thread().name
    [(seconds, error)] = watching.watched
    assert seconds == 2.5 and isinstance(error, QueryTimeout) and "2.5 seconds" in error.message


def test_under_a_watch_a_query_whose_time_ran_out_never_answers(store: ox.Store) -> None:
    watching = Watching(expired=True)
    supervision.install(watching)
    answered: list[Reply] = []
    try:
        runner = QueryRunner(store, 2.5, pretend_runner)
        thread = threading.Thread(target=lambda: answered.append(runner.run(make_job("hello"))), daemon=True)
        thread.start()
        thread.join(0.5)
    finally:
        supervision.install(None)
    assert thread.is_alive() and answered == []  # the client has its 503 already; this process retires


def test_a_serving_process_may_copy_its_share_of_the_store_before_it_counts_as_too_large(app: Flask) -> None:
    data = app.extensions[EXTENSION_KEY]
    limit = app.extensions[SERVICE_KEY].runner.memory_limit
    assert limit == app.config["WORKER_MEMORY_MB"] * 1024 * 1024 + int(COPIED_SHARE * data.memory_bytes)
    assert data.memory_bytes > 0
