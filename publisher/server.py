"""Production serving: the app under waitress (not Flask's development server), in several processes.

The app, with its data loaded, is made once; :class:`publisher.prefork.Supervisor` then forks the
serving processes, which share the data copy-on-write and the listening socket.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable

from flask import Flask

from publisher.errors import ConfigurationError
from publisher.prefork import Supervisor
from publisher.store import COPIED_SHARE

LISTEN_BACKLOG = 1024
PROCESS_BYTES = 48 * 1024 * 1024


def serving_processes(data_bytes: int, budget_bytes: int, cores: int) -> int:
    """How many serving processes to start: one per core, as far as the memory budget allows, at least one.

    The supervisor holds the data (``data_bytes``) and an app; each serving process may come to copy
    :data:`COPIED_SHARE` of the data.
    """
    left = budget_bytes - data_bytes - PROCESS_BYTES
    each = COPIED_SHARE * data_bytes + PROCESS_BYTES
    return max(1, min(cores, int(left // each)))


# Threads per serving process. On small data every request is short and mostly Python, so more threads
# only contend for the interpreter (measured: 8 serve the article 20-25% faster than 32). On large data
# queries run long outside the interpreter, and more threads let quick queries start beside them instead
# of queueing (measured at 1e6 triples, 16 clients: the look-ups' p50 falls from 60 to 20 ms).
SMALL_DATA_THREADS = 8
LARGE_DATA_THREADS = 32
LARGE_DATA_BYTES = 100 * 1024 * 1024


def request_threads(data_bytes: int) -> int:
    """How many request threads each serving process runs, for data that takes ``data_bytes``."""
    return LARGE_DATA_THREADS if data_bytes > LARGE_DATA_BYTES else SMALL_DATA_THREADS


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def site_urls(app: Flask, host: str, port: int) -> dict[str, str]:
    """The addresses to open: the home page, the SPARQL endpoint and the dumps."""
    public = str(app.config["PUBLIC_URL"]).rstrip("/")
    shown_host = "127.0.0.1" if host in {"0.0.0.0", ""} else f"[{host}]" if ":" in host else host
    root = public or f"http://{shown_host}:{port}"
    return {"home": f"{root}/", "sparql": f"{root}/sparql", "dumps": f"{root}/dumps/"}


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``; an address that cannot be used is a :class:`ConfigurationError`."""
    if not 0 <= port <= 65535:
        raise ConfigurationError(f"The port must be a number from 0 to 65535, not {port}.")
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as error:
        raise ConfigurationError(f"Cannot listen on {host}:{port}: {error.strerror or error}.") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as error:
        sock.close()
        raise ConfigurationError(f"Cannot listen on {host}:{port}: {error.strerror or error}.") from None
    return sock


def serve_app(
    app: Flask, host: str, port: int, threads: int, processes: int, out: Callable[[str], None] = print
) -> None:
    """Print the URLs, and serve ``app`` from ``processes`` processes of ``threads`` threads until interrupted."""
    sock = listening_socket(host, port)
    actual_port = int(sock.getsockname()[1])
    for name, url in site_urls(app, host, actual_port).items():
        out(f"{name:>7}: {url}")
    out("Press Ctrl-C to stop.")
    sys.stdout.flush()  # whoever started us may be waiting for the URLs on a pipe
    drain_seconds = float(app.config["QUERY_TIMEOUT"]) + 1.0
    try:
        Supervisor(app, sock, processes, threads, drain_seconds).run()
    finally:
        sock.close()
