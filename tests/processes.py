"""Starting and stopping the servers that tests run as child processes: one way of doing it for all."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a child server, kill it if it does not stop within 10 s, and close its output pipe."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


def printed_urls(lines: Iterable[str]) -> dict[str, str]:
    """The URLs ``publisher serve`` prints before it says ``Press Ctrl-C to stop.``: name -> URL."""
    printed = []
    for line in lines:
        printed.append(line)
        if "Ctrl-C" in line:
            break
    return dict(re.findall(r"^\s*(\w+): (\S+)$", "".join(printed), re.MULTILINE))
