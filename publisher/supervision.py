"""What a serving process's supervisor offers the code that answers requests: watching a request's time,
and retiring the process.

pyoxigraph cannot interrupt a query, so work past its time limit is stopped the one way that always
works: the process running it goes. In a process started by :mod:`publisher.prefork`, a *supervision* is
installed that can

- :func:`watch` the current request: if the returned ticket is not :meth:`~Ticket.done` within the time
  given, the supervision answers the client itself with ``error`` and retires the process;
- :func:`retire` the process: it takes no new connections, lets the requests in hand finish, and exits,
  while the supervisor starts a fresh one.

Anywhere else (tests, the Flask test client, an application that embeds ours) nothing is installed:
:func:`watch` returns ``None``, so callers keep time themselves, and :func:`retire` only logs a warning.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from publisher.errors import PublisherError

log = logging.getLogger(__name__)


class Ticket(Protocol):
    def done(self) -> bool:
        """Mark the watched work finished; ``False`` if its time ran out first (the client was answered)."""


class Supervision(Protocol):
    def watch(self, seconds: float, error: PublisherError) -> Ticket | None: ...

    def retire(self, reason: str) -> None: ...


_installed: Supervision | None = None
clock = time.monotonic


def install(supervision: Supervision | None) -> None:
    """Make ``supervision`` (or nothing, with ``None``) this process's."""
    global _installed
    _installed = supervision


def watch(seconds: float, error: PublisherError) -> Ticket | None:
    """A ticket for the current request, or ``None`` where no supervision can answer for it."""
    return None if _installed is None else _installed.watch(seconds, error)


def retire(reason: str) -> None:
    """Ask for this process to be replaced, because ``reason``; only the first call of a process counts."""
    if _installed is None:
        log.warning("This process should be retired (%s), but no supervisor runs it.", reason)
        return
    _installed.retire(reason)
