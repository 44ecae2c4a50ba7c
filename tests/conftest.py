"""Shared fixtures: the project, an app on a small graph, its test client and CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from publisher import create_app
from publisher.project import Project, load_project

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def project() -> Project:
    """The real project (``dataset.toml`` at the repository root)."""
    return load_project(ROOT / "dataset.toml")


@pytest.fixture
def app() -> Iterator[Flask]:
    """An app serving the small fixture graph ``tests/data/sample.ttl``."""
    app = create_app(
        {
            "TESTING": True,
            "PROJECT_FILE": str(ROOT / "dataset.toml"),
            "DATA_FILES": [str(TEST_DATA / "sample.ttl")],
        }
    )
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


TINY_PROJECT = TEST_DATA / "project"


def copy_tiny_project(folder: Path) -> Project:
    """A fresh copy of the tiny complete project of ``tests/data/project/`` in ``folder``."""
    import shutil

    shutil.copytree(TINY_PROJECT, folder, ignore=shutil.ignore_patterns("dist", "dist.*"))
    return load_project(folder / "dataset.toml")


@pytest.fixture
def tiny_project(tmp_path: Path) -> Project:
    """The tiny project (``tests/data/project/``) copied to a temporary folder, not yet built."""
    return copy_tiny_project(tmp_path / "tiny")


@pytest.fixture(scope="session")
def built_tiny_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The tiny project, copied and built once per session; tests must not change it."""
    from publisher.build import build_dataset

    project = copy_tiny_project(tmp_path_factory.mktemp("built") / "tiny")
    build_dataset(project, out=lambda _line: None)
    return project


LD_FILES = [TEST_DATA / "ld" / name for name in ("ontology.trig", "shapes.trig", "data.ttl")]


@pytest.fixture
def ld_app() -> Iterator[Flask]:
    """An app serving the Linked Data fixtures of ``tests/data/ld/`` (ontology, shapes, data) under the real base."""
    yield create_app(
        {
            "TESTING": True,
            "PROJECT_FILE": str(ROOT / "dataset.toml"),
            "DATA_FILES": [str(path) for path in LD_FILES],
        }
    )


@pytest.fixture
def ld_client(ld_app: Flask) -> FlaskClient:
    return ld_app.test_client()


QUERY_FIXTURES = TEST_DATA / "queries"


def write_project_file(folder: Path, **paths: Path) -> Path:
    """The real ``dataset.toml`` copied into ``folder`` with absolute paths, those named in ``paths`` replaced."""
    import json
    import re

    project = load_project(ROOT / "dataset.toml")
    absolute = {"source": project.source}
    for name in ("ontology", "data", "shapes", "queries", "dist"):
        absolute[name] = paths.get(name, getattr(project, f"{name}_dir"))
    lines = []
    for line in (ROOT / "dataset.toml").read_text(encoding="utf-8").splitlines():
        key = re.match(r"^(\w+) = \"", line)
        if key and key[1] in absolute:
            line = f"{key[1]} = {json.dumps(str(absolute[key[1]]))}"
        lines.append(line)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "dataset.toml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.fixture
def examples_project_file(tmp_path: Path) -> Path:
    """The real project file, but with the example queries of ``tests/data/queries/``."""
    return write_project_file(tmp_path / "project", queries=QUERY_FIXTURES)
