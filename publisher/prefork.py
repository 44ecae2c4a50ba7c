"""Serving from several processes that share the loaded data: a supervisor and its serving processes.

The supervisor is the process that loaded the data and made the app. It binds nothing itself: it is
given the listening socket, forks ``processes`` serving processes, and from then on only watches them.
Each serving process runs waitress with its request threads on the shared socket (the kernel hands each
new connection to one of them), and shares the store's memory with the supervisor copy-on-write.

Each serving process installs a :mod:`publisher.supervision` of its own. A request can be *watched*:
if its work (a query that cannot be interrupted, see :mod:`publisher.sparql.runner`) is still running
at its time limit, a watchdog thread answers the client itself, on the request's connection, with the
app's own error response, and closes that connection. Then the process *retires*: it tells the
supervisor on its pipe, which starts a replacement at once; it stops taking connections, closes its
idle ones, lets the other requests in hand finish (for at most ``drain_seconds``) and exits, which
stops the runaway work. A serving process that
dies (killed, or crashed) is replaced too; if processes keep dying right after they start, the
supervisor gives up rather than fork for ever. SIGINT and SIGTERM stop the supervisor and its processes.
"""

from __future__ import annotations

import contextlib
import ctypes
import email.utils
import gc
import http
import logging
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from waitress import create_server

from publisher import supervision
from publisher.errors import PublisherError

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
CRASH_WINDOW_SECONDS = 10.0
MAX_CRASHES_IN_WINDOW = 10
STOP_GRACE_SECONDS = 5.0
WATCH_INTERVAL_SECONDS = 0.02
# Work that has run this long loses CPU priority (nice + DEMOTION) until it ends, so that quick requests
# are not slowed by a few long queries: the scheduler then gives the cores to the quick ones first.
DEMOTE_AFTER_SECONDS = 0.02
DEMOTION = 10
IDLE_GRACE_SECONDS = 0.25  # a retiring process closes connections idle for this long
# Request threads run queries, whose parser and evaluator recurse; a large stack keeps the most complex
# query the guard admits far from its end (address space only: pages are used as the stack grows).
REQUEST_THREAD_STACK_BYTES = 256 * 1024 * 1024
SERVER_IDENT = "publisher"


class ServingFailed(PublisherError):
    """The serving processes keep dying as soon as they start."""

    status = 500


@dataclass
class _Child:
    pid: int
    notices: int  # our end of the pipe on which it says it retires
    retiring: bool = False


def _die_with_parent() -> None:
    """Have the kernel send SIGTERM to this process when the supervisor dies (Linux; elsewhere, nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _set_nice(thread: int, nice: int) -> None:
    os.setpriority(os.PRIO_PROCESS, thread, nice)  # on Linux, PRIO_PROCESS with a thread id: that thread alone


class _Watched:
    """A watched request: its deadline, its environ and connection, and what to answer when time runs out."""

    __slots__ = ("channel", "deadline", "environ", "error", "nice", "started", "state", "thread")

    PENDING, DONE, EXPIRED = 0, 1, 2

    def __init__(self, seconds: float, environ: dict[str, Any], channel: Any, error: PublisherError) -> None:
        self.started = supervision.clock()
        self.deadline = self.started + seconds
        self.environ = environ
        self.channel = channel
        self.error = error
        self.state = self.PENDING
        self.thread = threading.get_native_id()
        self.nice: int | None = None  # the thread's own nice value, once it was demoted


class _Ticket:
    __slots__ = ("_owner", "_watched")

    def __init__(self, owner: _ChildSupervision, watched: _Watched) -> None:
        self._owner = owner
        self._watched = watched

    def done(self) -> bool:
        return self._owner.finish(self._watched)


def raw_response(app: Flask, environ: dict[str, Any], error: PublisherError) -> bytes:
    """The whole HTTP/1.1 response (closing the connection) that ``app`` gives for ``error`` on this request."""
    with app.request_context(dict(environ)):
        response = app.process_response(app.make_response(app.handle_user_exception(error)))
    body = response.get_data()
    status = http.HTTPStatus(response.status_code)
    lines = [f"HTTP/1.1 {status.value} {status.phrase}"]
    skipped = {"content-length", "connection"}
    lines += [f"{name}: {value}" for name, value in response.headers.items() if name.lower() not in skipped]
    lines += [
        f"Content-Length: {len(body)}",
        "Connection: close",
        f"Date: {email.utils.formatdate(usegmt=True)}",
        f"Server: {SERVER_IDENT}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _ChildSupervision:
    """The supervision of one serving process: watches requests, answers those past their time, retires."""

    def __init__(self, app: Flask, notices: int, drain_seconds: float) -> None:
        self._app = app
        self._server: Any = None
        self._notices = notices
        self._drain_seconds = drain_seconds
        self._retiring = threading.Event()
        self._lock = threading.Lock()
        self._watched: set[_Watched] = set()
        self._local = threading.local()

    def start(self, server: Any) -> None:
        """Watch the requests of ``server`` (a waitress server) from now on."""
        self._server = server
        threading.Thread(target=self._watchdog, name="watchdog", daemon=True).start()

    @property
    def _may_demote(self) -> bool:
        """Whether this process may give a thread its priority back after lowering it (root or CAP_SYS_NICE)."""
        me = threading.get_native_id()
        try:
            own = os.getpriority(os.PRIO_PROCESS, me)
            _set_nice(me, min(own + 1, 19))
            _set_nice(me, own)
        except OSError:
            log.info("Long queries keep their CPU priority: this process may not raise a thread's priority again.")
            return False
        return True

    def track(self, app: Any) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
        """``app`` as a WSGI application that remembers, per thread, the request it is answering."""
        local = self._local

        def tracked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            local.environ = environ
            try:
                return app(environ, start_response)
            finally:
                local.environ = None

        return tracked

    def watch(self, seconds: float, error: PublisherError) -> _Ticket | None:
        environ = getattr(self._local, "environ", None)
        channel = getattr(environ.get("waitress.client_disconnected"), "__self__", None) if environ else None
        if channel is None:
            return None
        watched = _Watched(seconds, environ, channel, error)  # type: ignore[arg-type]
        with self._lock:
            self._watched.add(watched)
        return _Ticket(self, watched)

    def finish(self, watched: _Watched) -> bool:
        with self._lock:
            self._watched.discard(watched)
            if watched.state == _Watched.EXPIRED:
                return False
            watched.state = _Watched.DONE
            if watched.nice is not None:  # the thread serves other requests next, at its own priority
                _set_nice(watched.thread, watched.nice)
            return True

    def _demote(self, now: float) -> None:
        """Lower the CPU priority of the threads whose work has run for a while (called holding the lock)."""
        for watched in self._watched:
            if watched.nice is None and now - watched.started >= DEMOTE_AFTER_SECONDS:
                try:
                    watched.nice = os.getpriority(os.PRIO_PROCESS, watched.thread)
                    _set_nice(watched.thread, min(watched.nice + DEMOTION, 19))
                except OSError:  # the thread is gone, or its priority is not ours to change
                    watched.nice = None

    def _watchdog(self) -> None:
        demoting = self._may_demote
        while True:
            time.sleep(WATCH_INTERVAL_SECONDS)
            now = supervision.clock()
            with self._lock:
                expired = [w for w in self._watched if w.deadline <= now]
                for watched in expired:
                    watched.state = _Watched.EXPIRED
                    self._watched.discard(watched)
                if demoting:
                    self._demote(now)
            if expired:  # first stop taking connections, so that none comes in while the answer goes out
                self.retire("a request ran past its time limit, and its work cannot be interrupted")
            for watched in expired:
                self._answer(watched)

    def _answer(self, watched: _Watched) -> None:
        """Send the error response on the request's connection, then close it (its thread never answers)."""
        try:
            data = raw_response(self._app, watched.environ, watched.error)
            watched.channel.write_soon(data)
        except Exception:
            log.exception("Could not answer a request that ran past its time limit.")
        watched.channel.close_when_flushed = True
        self._server.pull_trigger()

    def retire(self, reason: str) -> None:
        if self._retiring.is_set():
            return
        self._retiring.set()
        log.warning("Serving process %d retires: %s.", os.getpid(), reason)
        with contextlib.suppress(OSError):
            os.write(self._notices, b"r")
        self._server.trigger.pull_trigger(self._stop_accepting)
        threading.Thread(target=self._drain, name="drain", daemon=True).start()

    def _stop_accepting(self) -> None:  # runs in waitress's loop thread
        self._server.accepting = False

    def _close_idle(self) -> None:  # runs in waitress's loop thread
        self._server.accepting = False
        quiet_since = time.time() - IDLE_GRACE_SECONDS  # a connection just accepted has not sent its request yet
        for channel in list(self._server.active_channels.values()):
            idle = not channel.requests and not channel.total_outbufs_len
            if idle and channel.last_activity < quiet_since:
                channel.will_close = True

    def _busy(self) -> bool:
        return bool(self._server.active_channels)

    def _drain(self) -> None:
        deadline = time.monotonic() + self._drain_seconds
        while time.monotonic() < deadline:
            self._server.trigger.pull_trigger(self._close_idle)
            time.sleep(WATCH_INTERVAL_SECONDS)
            if not self._busy():
                break
        os._exit(0)


def _serve_child(app: Flask, sock: socket.socket, threads: int, notices: int, drain_seconds: float) -> None:
    """The life of one serving process: waitress on ``sock`` until it retires or is told to stop."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the supervisor handles it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # not a warning per request under load
    ours = _ChildSupervision(app, notices, drain_seconds)
    previous = threading.stack_size(REQUEST_THREAD_STACK_BYTES)
    try:  # waitress starts its request threads here
        server = create_server(ours.track(app), sockets=[sock], threads=threads, ident=SERVER_IDENT)
    finally:
        threading.stack_size(previous)
    ours.start(server)
    supervision.install(ours)
    server.run()


class Supervisor:
    """Keeps ``processes`` serving processes running ``app`` on ``sock`` until it is told to stop."""

    def __init__(
        self,
        app: Any,
        sock: socket.socket,
        processes: int,
        threads: int,
        drain_seconds: float,
        out: Callable[[str], None] = print,
    ) -> None:
        self._app = app
        self._sock = sock
        self._processes = max(1, processes)
        self._threads = threads
        self._drain_seconds = drain_seconds
        self._out = out
        self._children: dict[int, _Child] = {}
        self._crashes: list[float] = []
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False

    def child_pids(self) -> list[int]:
        return list(self._children)

    def _spawn(self) -> None:
        notices_r, notices_w = os.pipe()
        # What the supervisor holds (the app, its caches, the loaded data's Python side: some 200,000
        # objects) lives as long as the serving process does. Frozen, the collector leaves it alone: no
        # full collection stalls a serving process for tens of milliseconds scanning it, and none writes
        # to those objects' headers, which would copy the pages they share with the supervisor.
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(notices_r)
                os.close(self._wake_r)
                os.close(self._wake_w)
                _serve_child(self._app, self._sock, self._threads, notices_w, self._drain_seconds)
                status = 0
            except BaseException:
                log.exception("A serving process failed.")
            finally:
                os._exit(status)
        os.close(notices_w)
        self._children[pid] = _Child(pid=pid, notices=notices_r)

    def _on_signal(self, signum: int, frame: object) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"s")

    def _active(self) -> int:
        return sum(1 for child in self._children.values() if not child.retiring)

    def _read_notices(self, ready: list[int]) -> None:
        for child in list(self._children.values()):
            if child.notices in ready:
                try:
                    said = os.read(child.notices, 64)
                except OSError:
                    said = b""
                child.retiring = child.retiring or bool(said)  # nothing said: the process is gone; _reap tells

    def _reap(self) -> None:
        while self._children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self._children.pop(pid, None)
            if child is None:
                continue
            os.close(child.notices)
            if not child.retiring and not self._stopping:
                self._crashed(pid, status)

    def _crashed(self, pid: int, status: int) -> None:
        code = os.waitstatus_to_exitcode(status)
        how = f"signal {-code}" if code < 0 else f"exit status {code}"
        log.warning("Serving process %d stopped (%s); starting another.", pid, how)
        now = time.monotonic()
        self._crashes = [t for t in self._crashes if now - t < CRASH_WINDOW_SECONDS] + [now]
        if len(self._crashes) > MAX_CRASHES_IN_WINDOW:
            raise ServingFailed(
                f"{len(self._crashes)} serving processes stopped within {CRASH_WINDOW_SECONDS:g} seconds; giving up."
            )

    def run(self) -> None:
        """Start the processes and keep their number up until SIGINT or SIGTERM; then stop them all."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not self._stopping:
                while self._active() < self._processes:
                    self._spawn()
                watched = [self._wake_r, *(c.notices for c in self._children.values() if not c.retiring)]
                try:
                    ready, _, _ = select.select(watched, [], [], 0.5)
                except InterruptedError:
                    ready = []
                if self._wake_r in ready:
                    os.read(self._wake_r, 64)
                self._read_notices(ready)
                self._reap()
        finally:
            self._stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop_children(self) -> None:
        self._stopping = True
        for pid in self._children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while self._children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in list(self._children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            os.close(self._children.pop(pid).notices)
