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
