"""Set up and run the project with nothing but Python 3.11+: ``python3 tasks.py run`` or ``test``.

``run``  makes ``.venv``, installs the package (and the query editor, when npm is there), builds the
         dataset and serves it at http://127.0.0.1:8000/.
``test`` makes ``.venv`` with the test extras, then runs ruff and the whole test suite.
``lint`` runs ruff and mypy only.
Extra arguments after the task go to ``publisher serve`` or ``pytest``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def sh(*cmd: str | Path, check: bool = True) -> int:
    """Run a command from the repository root, echoing it; return its exit status."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT)
    if check and code != 0:
        raise SystemExit(code)
    return code


def ensure_venv(extras: str) -> None:
    """Create ``.venv`` and install the package with ``extras``, unless already done for this pyproject."""
    if sys.version_info < (3, 11):
        raise SystemExit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    target = f".[{extras}]" if extras else "."
    sh(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PYTHON, "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(wanted)


def ensure_node_packages() -> None:
    """Install the front-end packages of ``package.json`` with npm, when npm is available."""
    if not (ROOT / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: the query page falls back to a plain form.", flush=True)
        return
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".installed"
    wanted = hashlib.sha256((lock if lock.exists() else ROOT / "package.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    command = "ci" if lock.exists() else "install"
    sh(npm, command, "--no-audit", "--no-fund", "--loglevel=error")
    stamp.write_text(wanted)


def run(extra: list[str]) -> int:
    ensure_venv("")
    ensure_node_packages()
    return sh(BIN / "publisher", "serve", *extra, check=False)


def lint() -> int:
    ensure_venv("test")
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "ruff", "format", "--check", ".")
    return sh(BIN / "mypy", check=False)


def test(extra: list[str]) -> int:
    ensure_venv("test")
    ensure_node_packages()
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "ruff", "format", "--check", ".")
    code = sh(PYTHON, "-m", "pytest", *extra, check=False)
    if code == 5:
        print("pytest collected no tests: that is a failure here.", file=sys.stderr)
        return 1
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "lint"}:
        print(__doc__)
        return 2
    task, extra = argv[0], argv[1:]
    if task == "run":
        return run(extra)
    if task == "lint":
        return lint()
    return test(extra)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
