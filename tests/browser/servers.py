"""The server the browser tests talk to: ``python -m publisher serve`` in a subprocess when that command
exists, else waitress in a thread; either way on a free loopback port, and ready once it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

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


def _wait_until_up(url: str, process: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> None:
    """Wait until ``/healthz`` answers (a 404 also shows the server is up, where that route is missing)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = log.read_text(errors="replace") if log else ""
            raise RuntimeError(f"The server exited with status {process.returncode}:\n{output}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code in (200, 404):
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"The server at {url} did not answer within {START_TIMEOUT} seconds.")


def _serve_command_exists() -> bool:
    from publisher.cli import COMMANDS

    return "serve" in COMMANDS


def start_server(project_file: Path, files: list[Path], settings: Mapping[str, str]) -> LiveServer:
    """Start the publisher on a free loopback port with ``settings`` (names without the prefix)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if _serve_command_exists():
        env = {**os.environ, **{f"PUBLISHER_{name}": value for name, value in settings.items()}}
        command = [sys.executable, "-m", "publisher", "--project", str(project_file), "serve"]
        command += ["--port", str(port), "--data", *[str(f) for f in files]]
        descriptor, log_name = tempfile.mkstemp(prefix="publisher-serve-", suffix=".log")
        os.close(descriptor)
        log = Path(log_name)
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)

        def stop() -> None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.unlink(missing_ok=True)

        try:
            _wait_until_up(url, process, log)
        except RuntimeError:
            stop()
            raise
        return LiveServer(url, stop)
    from waitress.server import create_server

    from publisher import create_app

    app = create_app({"PROJECT_FILE": str(project_file), "DATA_FILES": [str(f) for f in files], **settings})
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def stop_thread() -> None:
        server.close()
        thread.join(timeout=10)

    _wait_until_up(url)
    return LiveServer(url, stop_thread)
