"""Query worker processes: each query runs in a process that can be killed when its time limit passes.

pyoxigraph cannot interrupt a query, so queries never run in the web server's own process. When the
pool starts (after the data is loaded), it forks a *zygote*: a single-threaded copy of the process that
holds the loaded store. The zygote forks the workers, so every worker shares the store's memory with
the server copy-on-write instead of loading its own. A worker takes one :class:`Job` at a time over a
socket and answers with a :class:`Reply`. When a query runs past its time limit, the worker is killed
(its CPU freed at once), the client gets :class:`~publisher.errors.QueryTimeout`, and the zygote forks a
replacement; a worker that dies on its own (say, a parser stack overflow) is replaced the same way.
A query that scans much of the store makes the worker's copy of those pages private; a worker whose
private memory passes ``memory_limit`` after a query retires, and a fresh fork takes its place.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import os
import pickle
import queue
import signal
import socket
import struct
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

from publisher.errors import PublisherError, QueryTimeout

log = logging.getLogger(__name__)


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
    """A worker's answer: the serialised body, or the message and HTTP status of a query error."""

    body: bytes = b""
    truncated: bool = False
    error: str = ""
    error_status: int = 400
    retire: bool = False


class WorkerCrashed(PublisherError):
    """The worker process running the query stopped without answering."""

    status = 500


class ServerBusy(PublisherError):
    """Every worker stayed busy for longer than a query may run."""

    status = 503


Runner = Callable[[ox.Store, Job], Reply]


@dataclass
class _Worker:
    pid: int
    conn: Connection


# Reading /proc/self/smaps_rollup of a large process takes milliseconds, so memory is checked only after
# a query that ran long or answered much (those touch, and so copy, much of the store), and after every
# CHECK_EVERY_JOBS queries (small ones add up: about 20 KB each at 1e6 triples, measured).
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


def _should_retire(reply: Reply, seconds: float, jobs_done: int, memory_limit: int) -> bool:
    if memory_limit <= 0:
        return False
    large = seconds >= CHECK_AFTER_SECONDS or len(reply.body) >= CHECK_AFTER_BYTES
    return (large or jobs_done % CHECK_EVERY_JOBS == 0) and private_memory() > memory_limit


def _worker_loop(store: ox.Store, conn: Connection, run: Runner, memory_limit: int) -> None:
    """Answer jobs until the server closes the socket, or until this worker holds too much memory of its own."""
    for jobs_done in itertools.count(1):
        try:
            job = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        started = time.monotonic()
        try:
            reply = run(store, job)
        except OSError as exc:  # a SERVICE call that failed
            reply = Reply(error=f"A remote endpoint could not be queried: {exc}", error_status=502)
        except Exception as exc:
            reply = Reply(error=f"The query could not be evaluated: {exc}")
        if _should_retire(reply, time.monotonic() - started, jobs_done, memory_limit):
            reply = dataclasses.replace(reply, retire=True)
        conn.send_bytes(pickle.dumps(reply))
        if reply.retire:
            return


def _child_setup() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which closes our sockets
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _zygote_loop(store: ox.Store, control: socket.socket, run: Runner, memory_limit: int) -> None:
    """Fork a worker for each byte the server sends; pass back its pid and socket."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished workers
    while True:
        try:
            request = control.recv(1)
        except OSError:
            return
        if not request:
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _worker_loop(store, Connection(theirs.detach()), run, memory_limit)
            finally:
                os._exit(0)
        theirs.close()
        socket.send_fds(control, [struct.pack("!i", pid)], [ours.fileno()])
        ours.close()


@dataclass
class _Processes:
    """The pool's processes, kept apart from the pool so that its finalizer can stop them."""

    zygote_pid: int = 0
    control: socket.socket | None = None
    workers: list[_Worker] = field(default_factory=list)


def _close_all(processes: _Processes) -> None:
    for worker in processes.workers:
        _kill(worker)
    processes.workers.clear()
    if processes.control is not None:
        processes.control.close()
        processes.control = None
    if processes.zygote_pid:
        _kill_pid(processes.zygote_pid)
        processes.zygote_pid = 0


def _kill_pid(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    worker.conn.close()


class QueryExecutor:
    """A pool of worker processes sharing ``store``; :meth:`run` answers one job within ``timeout`` seconds."""

    def __init__(self, store: ox.Store, size: int, timeout: float, run: Runner, memory_limit: int = 0) -> None:
        self._store = store
        self._memory_limit = memory_limit
        self._size = max(1, size)
        self._timeout = timeout
        self._run = run
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._processes = _Processes()
        weakref.finalize(self, _close_all, self._processes)  # when the app goes, and at exit

    @property
    def started(self) -> bool:
        return self._processes.control is not None

    def worker_pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._lock:
            return [worker.pid for worker in self._processes.workers]

    @property
    def zygote_pid(self) -> int:
        """The process id of the zygote that forks the workers (0 before :meth:`start`)."""
        return self._processes.zygote_pid

    def start(self) -> None:
        """Fork the zygote and the workers (idempotent). Call it before the server starts threads."""
        with self._lock:
            if self._processes.control is not None:
                return
            self._fork_zygote_locked()
            for _ in range(self._size):
                self._idle.put(self._spawn_locked())

    def _fork_zygote_locked(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:
                _child_setup()
                ours.close()
                _zygote_loop(self._store, theirs, self._run, self._memory_limit)
            finally:
                os._exit(0)
        theirs.close()
        self._processes.zygote_pid, self._processes.control = pid, ours

    def _spawn_locked(self) -> _Worker:
        """A new worker from the zygote; a zygote that died is replaced once (forked from this process)."""
        for _attempt in range(2):
            control = self._processes.control
            assert control is not None
            try:
                control.send(b"w")
                message, fds, _flags, _addr = socket.recv_fds(control, 16, 1)
            except OSError:
                fds = []
            if fds:
                worker = _Worker(pid=struct.unpack("!i", message)[0], conn=Connection(fds[0]))
                self._processes.workers.append(worker)
                return worker
            log.warning("The process that forks query workers stopped; starting another.")
            control.close()
            _kill_pid(self._processes.zygote_pid)
            self._fork_zygote_locked()
        raise WorkerCrashed("The query service could not start a worker process. Try again later.")

    def _replace(self, worker: _Worker) -> None:
        _kill(worker)
        with self._lock:
            if worker in self._processes.workers:
                self._processes.workers.remove(worker)
            if self._processes.control is None:
                return
            self._idle.put(self._spawn_locked())

    def run(self, job: Job) -> Reply:
        """Run ``job`` on a free worker; raise :class:`QueryTimeout` when it runs too long (the worker is killed)."""
        self.start()
        try:
            worker = self._idle.get(timeout=self._timeout)
        except queue.Empty:
            raise ServerBusy("Every query worker is busy with other queries. Try again in a few seconds.") from None
        try:
            worker.conn.send_bytes(pickle.dumps(job))
            if not worker.conn.poll(self._timeout):
                self._replace(worker)
                raise QueryTimeout(
                    f"The query ran longer than the limit of {self._timeout:g} seconds and was stopped. "
                    "Make it more selective (add patterns or a LIMIT) and try again."
                )
            reply: Reply = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            log.warning("A query worker stopped while running a query; starting another.")
            self._replace(worker)
            raise WorkerCrashed(
                "The query engine stopped while running this query, so it was not answered. "
                "Simplify the query (fewer nested groups) and try again."
            ) from None
        if reply.retire:
            self._replace(worker)  # a fresh fork shares the store's memory again
        else:
            self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop the workers and the zygote; a later query starts them again."""
        with self._lock:
            _close_all(self._processes)
            while not self._idle.empty():
                self._idle.get_nowait()
