"""The worker pool: a query past its time limit is killed and replaced; a crashed worker too."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from publisher.errors import QueryTimeout
from publisher.sparql.executor import Job, QueryExecutor, Reply, WorkerCrashed


def pretend_runner(store: ox.Store, job: Job) -> Reply:
    """Sleeps for ``sleep N``, dies for ``crash``, else answers with the worker's pid and the store's size."""
    if job.query.startswith("sleep"):
        time.sleep(float(job.query.split()[1]))
    if job.query == "crash":
        os._exit(11)
    return Reply(body=f"{os.getpid()} {len(store)}".encode())


def make_job(query: str) -> Job:
    return Job(query, "SELECT", "json", None, None, 10)


@pytest.fixture
def executor() -> Iterator[QueryExecutor]:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c")))
    pool = QueryExecutor(store, size=2, timeout=0.5, run=pretend_runner)
    yield pool
    pool.close()


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process; a zombie, or one reaped mid-check, is not."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:  # gone before or while /proc was read (ENOENT or ESRCH)
        return False


def test_workers_see_the_store_loaded_before_they_were_forked(executor: QueryExecutor) -> None:
    pid, size = executor.run(make_job("hello")).body.decode().split()
    assert int(pid) != os.getpid()
    assert size == "1"


def test_a_query_past_the_time_limit_is_stopped_and_its_worker_killed(executor: QueryExecutor) -> None:
    executor.start()
    before = set(executor.worker_pids())
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as timed_out:
        executor.run(make_job("sleep 30"))
    assert time.monotonic() - started < 3
    assert timed_out.value.status == 503 and "0.5 seconds" in timed_out.value.message
    after = set(executor.worker_pids())
    killed = before - after
    assert len(killed) == 1 and len(after) == 2
    deadline = time.monotonic() + 5
    while alive(next(iter(killed))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(next(iter(killed)))
    assert executor.run(make_job("after")).body


def test_other_queries_are_answered_while_one_runs_away(executor: QueryExecutor) -> None:
    executor.start()
    errors: list[Exception] = []

    def run_away() -> None:
        try:
            executor.run(make_job("sleep 30"))
        except QueryTimeout as error:
            errors.append(error)

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert executor.run(make_job("quick")).body
    assert time.monotonic() - started < 0.3
    runaway.join()
    assert len(errors) == 1


def test_a_crashed_worker_is_an_error_with_a_message_and_is_replaced(executor: QueryExecutor) -> None:
    with pytest.raises(WorkerCrashed) as crashed:
        executor.run(make_job("crash"))
    assert "stopped" in crashed.value.message
    assert len(executor.worker_pids()) == 2
    answering = {int(executor.run(make_job("again")).body.split()[0]) for _ in range(4)}
    assert answering <= set(executor.worker_pids())


def test_close_stops_every_worker(executor: QueryExecutor) -> None:
    executor.start()
    pids = set(executor.worker_pids())
    executor.close()
    deadline = time.monotonic() + 2
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids)


def test_a_worker_holding_too_much_memory_after_a_long_query_is_replaced() -> None:
    store = ox.Store()
    pool = QueryExecutor(store, size=1, timeout=5, run=pretend_runner, memory_limit=1)
    try:
        first = int(pool.run(make_job("sleep 0.2")).body.split()[0])
        assert pool.worker_pids() != [first]
        second = int(pool.run(make_job("quick")).body.split()[0])
        assert second != first
        assert int(pool.run(make_job("quick")).body.split()[0]) == second  # a quick query is not checked
    finally:
        pool.close()


def test_without_a_memory_limit_workers_stay(executor: QueryExecutor) -> None:
    executor.start()
    before = executor.worker_pids()
    executor.run(make_job("sleep 0.2"))
    assert executor.worker_pids() == before


def test_a_dead_zygote_is_replaced_when_a_worker_is_needed(executor: QueryExecutor) -> None:
    executor.start()
    first_zygote = executor.zygote_pid
    os.kill(first_zygote, signal.SIGKILL)
    with pytest.raises(QueryTimeout):
        executor.run(make_job("sleep 30"))  # its worker is killed, and the replacement needs a zygote
    assert executor.zygote_pid not in {0, first_zygote}
    assert len(executor.worker_pids()) == 2
    for _ in range(4):
        assert executor.run(make_job("quick")).body


def test_memory_is_also_checked_every_so_many_quick_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    import publisher.sparql.executor as executor_module

    monkeypatch.setattr(executor_module, "CHECK_EVERY_JOBS", 3)  # the workers are forked after this
    pool = QueryExecutor(ox.Store(), size=1, timeout=5, run=pretend_runner, memory_limit=1)
    try:
        answering = [int(pool.run(make_job("quick")).body.split()[0]) for _ in range(4)]
        assert answering[0] == answering[1] == answering[2] != answering[3]
    finally:
        pool.close()
