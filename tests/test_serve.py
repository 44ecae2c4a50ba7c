"""``publisher serve``: builds a stale dataset first, serves through waitress, prints the URLs to open,
and stops with a clear message when a --data file is missing or broken."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from flask import Flask
from processes import printed_urls, stop_process

from publisher.cli import main
from publisher.commands import serve
from publisher.project import Project
from publisher.server import site_urls
from tests.conftest import ROOT, TEST_DATA


def test_a_missing_data_file_stops_the_start_with_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    assert main(["serve", "--data", str(missing), "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "missing.ttl" in error and "no such file" in error
    assert "Traceback" not in error


def test_a_data_file_that_does_not_parse_stops_the_start_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    assert main(["serve", "--data", str(broken), "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "broken.ttl" in error and "does not parse" in error


def test_site_urls_name_home_sparql_and_dumps(app: Flask) -> None:
    assert site_urls(app, "0.0.0.0", 8123) == {
        "home": "http://127.0.0.1:8123/",
        "sparql": "http://127.0.0.1:8123/sparql",
        "dumps": "http://127.0.0.1:8123/dumps/",
    }
    app.config["PUBLIC_URL"] = "https://data.example.org/"
    assert site_urls(app, "127.0.0.1", 8123)["sparql"] == "https://data.example.org/sparql"


@pytest.mark.parametrize("stale", [True, False])
def test_the_dataset_is_built_only_when_stale(
    tiny_project: Project, monkeypatch: pytest.MonkeyPatch, stale: bool
) -> None:
    import publisher.build

    built: list[Project] = []
    monkeypatch.setattr(publisher.build, "is_stale", lambda project: stale)
    monkeypatch.setattr(publisher.build, "build_dataset", lambda project, out: built.append(project))
    serve.build_if_stale(str(tiny_project.root / "dataset.toml"))
    assert [project.root for project in built] == ([tiny_project.root] if stale else [])


def test_a_build_that_finds_invalid_data_stops_the_start(
    tiny_project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import publisher.build
    from publisher.errors import BuildError

    def fail(project: Project, out: object) -> None:
        raise BuildError("ex:thing has no label")

    monkeypatch.setattr(publisher.build, "is_stale", lambda project: True)
    monkeypatch.setattr(publisher.build, "build_dataset", fail)
    assert main(["--project", str(tiny_project.root / "dataset.toml"), "serve", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "ex:thing has no label" in error and "does not conform" in error


def test_serve_builds_a_missing_dataset_then_serves_it_with_waitress(tiny_project: Project) -> None:
    assert not (tiny_project.dist_dir / "dataset.trig").exists()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "publisher",
            "--project",
            str(tiny_project.root / "dataset.toml"),
            "serve",
            "--port",
            "0",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        urls = printed_urls(process.stdout)
        assert set(urls) == {"home", "sparql", "dumps"}
        assert (tiny_project.dist_dir / "dataset.trig").exists()
        root = urls["home"].rstrip("/")
        deadline = time.monotonic() + 10
        while True:
            try:
                health = requests.get(f"{root}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert health.status_code == 200 and health.json()["triples"] > 0
        assert health.headers["Server"] == "publisher"  # waitress with our ident, not Werkzeug's server
        answer = requests.get(urls["sparql"], params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
        assert answer.json()["boolean"] is True
    finally:
        stop_process(process)


def test_serve_is_a_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "publisher", "serve", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for option in ("--host", "--port", "--workers", "--threads", "--data"):
        assert option in result.stdout


def test_a_port_in_use_stops_the_start_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["serve", "--data", str(TEST_DATA / "sample.ttl"), "--port", str(port), "--workers", "1"])
    assert status == 2
    error = capsys.readouterr().err
    assert f"Cannot listen on 127.0.0.1:{port}" in error and "in use" in error and "Traceback" not in error


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [("--port", "99999", "0 to 65535"), ("--host", "no-such-host.invalid", "Cannot listen")],
)
def test_a_bad_address_stops_the_start_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], option: str, value: str, words: str
) -> None:
    args = ["serve", "--data", str(TEST_DATA / "sample.ttl"), "--workers", "1", option, value]
    assert main(args + (["--port", "0"] if option == "--host" else [])) == 2
    assert words in capsys.readouterr().err
