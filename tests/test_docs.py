"""The README stays true: its settings table, its two commands, the commands and URLs it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher import create_app
from publisher.cli import COMMANDS
from publisher.config import SETTINGS
from publisher.project import Project

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `PUBLISHER_(?P<name>[A-Z_]+)` \| `(?P<default>[^`]*)` \| (?P<help>.+) \|$", re.M)


def shown(default: object) -> str:
    if default in ("", []):
        return "(none)"
    return ", ".join(default) if isinstance(default, list) else str(default)


def test_readme_lists_every_setting_with_its_default_and_help() -> None:
    rows = {m["name"]: (m["default"], m["help"]) for m in ROW.finditer(README)}
    assert rows == {s.name: (shown(s.default), s.help) for s in SETTINGS}


def test_readme_gives_the_two_commands_and_tasks_py_knows_them() -> None:
    assert "python3 tasks.py run" in README and "python3 tasks.py test" in README
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    assert '{"run", "test", "lint"}' in tasks
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_publisher_command_in_the_readme_exists() -> None:
    named = set(re.findall(r"^publisher (\w+)", README, re.M)) | set(re.findall(r"`publisher (\w+)", README))
    assert named and named <= set(COMMANDS)


@pytest.mark.parametrize("path", ["/", "/ontology", "/shapes", "/dumps/", "/.well-known/void", "/healthz"])
def test_urls_the_readme_names_answer(path: str, built_tiny_project: Project) -> None:
    assert f"`{path}`" in README or f"{path})" in README or path == "/"
    app = create_app({"TESTING": True, "PROJECT_FILE": str(built_tiny_project.root / "dataset.toml")})
    assert app.test_client().get(path).status_code == 200
