"""The server the browser tests talk to: ``python -m publisher serve`` in a subprocess on a free loopback
port, ready once ``/healthz`` answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import requests
from processes import stop_process

from tests.conftest import LD_FILES, ROOT, TEST_DATA

SERVED_FILES = [*LD_FILES, TEST_DATA / "sample.ttl"]
START_TIMEOUT = 60.0


@dataclass
class LiveServer:
    """A running server: its URL and how to stop it."""

    url: str
    stop: Callable[[], None]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until ``/healthz`` answers, or say why the server stopped."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")
            raise RuntimeError(f"The server exited with status {process.returncode}:\n{output}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"The server at {url} did not answer within {START_TIMEOUT} seconds.")


def start_server(project_file: Path, files: list[Path], settings: Mapping[str, str]) -> LiveServer:
    """Start the publisher on a free loopback port with ``settings`` (names without the prefix)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **{f"PUBLISHER_{name}": value for name, value in settings.items()}}
    command = [sys.executable, "-m", "publisher", "--project", str(project_file), "serve"]
    command += ["--port", str(port), "--data", *[str(f) for f in files]]
    descriptor, log_name = tempfile.mkstemp(prefix="publisher-serve-", suffix=".log")
    os.close(descriptor)
    log = Path(log_name)
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)

    def stop() -> None:
        stop_process(process)
        log.unlink(missing_ok=True)

    try:
        _wait_until_up(url, process, log)
    except RuntimeError:
        stop()
        raise
    return LiveServer(url, stop)
