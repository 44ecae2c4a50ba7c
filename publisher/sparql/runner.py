"""Running queries in the serving process, each within its time limit.

Queries run in the process that serves the request: pyoxigraph releases the GIL while it evaluates and
serialises, so request threads answer in parallel on every core, with no hop to another process.
pyoxigraph cannot interrupt a query, though, so time is kept in one of two ways:

- In a serving process of :mod:`publisher.prefork`, the query runs on the request thread under a
  :func:`~publisher.supervision.watch` ticket. If it is still running at the time limit, the supervision
  answers the client with :class:`~publisher.errors.QueryTimeout` and *retires* the process: it takes no
  new connections, finishes the requests it holds, and exits, which stops the runaway query and frees
  its CPU; a fresh process has already taken its place.
- Anywhere else (tests, an embedding application), the query runs on a query thread of its own, and
  the request thread waits for it only until the time limit, then raises :class:`QueryTimeout`.

A process that holds too much memory of its own after a query retires the same way. Query threads get
a large stack, so that the parser's and evaluator's recursion on the most complex query the guard lets
through stays far from its end; request threads get the same from :mod:`publisher.prefork`.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from publisher import supervision
from publisher.errors import QueryTimeout

log = logging.getLogger(__name__)

QUERY_THREAD_STACK_BYTES = 256 * 1024 * 1024  # address space only; pages are used as the stack grows


@dataclass(frozen=True)
class Job:
    """One query to run: its text, its dataset, the answer's format and the result cap."""

    query: str
    form: str
    format_key: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    limit: int


@dataclass(frozen=True)
class Reply:
    """A query's answer: the serialised body, or the message and HTTP status of a query error."""

    body: bytes = b""
    truncated: bool = False
    error: str = ""
    error_status: int = 400


Runner = Callable[[ox.Store, Job], Reply]


# Reading /proc/self/smaps_rollup of a large process takes milliseconds, so memory is checked only after
# a query that ran long or answered much (those may touch, and so copy, much of a shared store), and
# after every CHECK_EVERY_JOBS queries (small ones add up).
CHECK_AFTER_SECONDS = 0.1
CHECK_AFTER_BYTES = 1_000_000
CHECK_EVERY_JOBS = 200


def private_memory() -> int:
    """Bytes of memory this process no longer shares with the process it was forked from."""
    try:
        with open("/proc/self/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Private_Dirty:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class _Pending:
    """A job handed to a query thread, and the slot its reply comes back in."""

    __slots__ = ("done", "job", "reply")

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = threading.Event()
        self.reply: Reply | None = None


class QueryRunner:
    """Runs jobs on ``store`` with ``run``, and gives up on a job after ``timeout`` seconds."""

    def __init__(self, store: ox.Store, timeout: float, run: Runner, memory_limit: int = 0) -> None:
        self._store = store
        self._timeout = timeout
        self._run = run
        self._memory_limit = memory_limit
        self._jobs: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._threads = 0
        self._counter = itertools.count(1)
        self._jobs_done = itertools.count(1)

    @property
    def memory_limit(self) -> int:
        """Bytes of its own memory past which this process retires (0: no limit)."""
        return self._memory_limit

    @property
    def threads(self) -> int:
        """How many query threads this process has started (busy and idle)."""
        return self._threads

    def _timeout_error(self) -> QueryTimeout:
        return QueryTimeout(
            f"The query ran longer than the limit of {self._timeout:g} seconds and was stopped. "
            "Make it more selective (add patterns or a LIMIT) and try again."
        )

    def run(self, job: Job) -> Reply:
        """Answer ``job``; past the time limit, the client gets :class:`QueryTimeout` and this process retires."""
        ticket = supervision.watch(self._timeout, self._timeout_error())
        if ticket is None:
            return self._run_on_query_thread(job)
        started = supervision.clock()
        reply = self._answer(job)
        if not ticket.done():  # the supervision has answered the client already, and this process retires
            threading.Event().wait()
        self._check_memory(reply, supervision.clock() - started)
        return reply

    def _answer(self, job: Job) -> Reply:
        try:
            return self._run(self._store, job)
        except OSError as exc:  # a SERVICE call that failed
            return Reply(error=f"A remote endpoint could not be queried: {exc}", error_status=502)
        except Exception as exc:
            return Reply(error=f"The query could not be evaluated: {exc}")

    def _run_on_query_thread(self, job: Job) -> Reply:
        pending = _Pending(job)
        with self._lock:
            if self._idle:
                self._idle -= 1
            else:
                self._start_thread()
        self._jobs.put(pending)
        if not pending.done.wait(self._timeout):
            supervision.retire("a query ran past the time limit and cannot be interrupted")
            raise self._timeout_error()
        assert pending.reply is not None
        return pending.reply

    def _start_thread(self) -> None:
        previous = threading.stack_size(QUERY_THREAD_STACK_BYTES)
        try:
            thread = threading.Thread(target=self._serve, name=f"query-{next(self._counter)}", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
        self._threads += 1

    def _serve(self) -> None:
        while True:
            pending = self._jobs.get()
            started = supervision.clock()
            pending.reply = reply = self._answer(pending.job)
            pending.done.set()
            self._check_memory(reply, supervision.clock() - started)
            with self._lock:
                self._idle += 1

    def _check_memory(self, reply: Reply, seconds: float) -> None:
        """Retire this process when it holds more memory of its own than allowed (checked now and then)."""
        if self._memory_limit <= 0:
            return
        jobs_done = next(self._jobs_done)
        large = seconds >= CHECK_AFTER_SECONDS or len(reply.body) >= CHECK_AFTER_BYTES
        if (large or jobs_done % CHECK_EVERY_JOBS == 0) and private_memory() > self._memory_limit:
            supervision.retire("it holds more memory of its own than WORKER_MEMORY_MB allows")
