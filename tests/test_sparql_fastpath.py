"""The fast path answers plain successful queries without Flask, byte for byte as the Flask view does,
and leaves every other request (and every error) to the view, without running a failed query twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client

from publisher.sparql.fastpath import SparqlFastPath
from tests.test_sparql_protocol import EXTRA_GRAPH, make_sparql_app

SELECT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
FORM = "application/x-www-form-urlencoded"

# (method, query string, body, content type, headers): requests the fast path answers itself
PLAIN_REQUESTS: list[tuple[str, dict[str, str], dict[str, str] | str | None, str | None, dict[str, str]]] = [
    ("GET", {"query": SELECT}, None, None, {}),
    ("GET", {"query": SELECT}, None, None, {"Accept": "application/sparql-results+xml"}),
    ("GET", {"query": SELECT, "format": "csv"}, None, None, {}),
    ("GET", {"query": SELECT}, None, None, {"Accept": "text/tab-separated-values;q=0.9, text/csv;q=0.2"}),
    ("GET", {"query": SELECT}, None, None, {"Accept-Encoding": "gzip", "Origin": "https://x.example"}),
    ("GET", {"query": "ASK { ?s ?p ?o }"}, None, None, {"Accept": "application/sparql-results+json"}),
    ("GET", {"query": CONSTRUCT}, None, None, {"Accept": "text/turtle"}),
    ("GET", {"query": CONSTRUCT}, None, None, {"Accept": "application/ld+json", "Accept-Encoding": "gzip"}),
    ("GET", {"query": CONSTRUCT, "default-graph-uri": EXTRA_GRAPH}, None, None, {"Accept": "application/n-triples"}),
    ("POST", {}, {"query": SELECT}, FORM, {"Accept": "application/sparql-results+json"}),
    ("POST", {}, {"query": CONSTRUCT, "format": "rdf"}, FORM, {}),
    ("POST", {}, SELECT, "application/sparql-query", {"Accept": "text/csv"}),
    ("POST", {"default-graph-uri": EXTRA_GRAPH}, SELECT, "application/sparql-query; charset=utf-8", {}),
]

# requests the fast path leaves to the Flask view
OTHER_REQUESTS: list[tuple[str, dict[str, str], dict[str, str] | str | None, str | None, dict[str, str]]] = [
    ("GET", {}, None, None, {"Accept": "text/turtle"}),  # the service description
    ("GET", {"query": SELECT}, None, None, {"Accept": "image/png"}),  # 406
    ("GET", {"query": "SELECT * WHERE { ?s ?p ?o "}, None, None, {}),  # a syntax error
    ("GET", {"query": "INSERT DATA { <a:b> <a:b> <a:b> }"}, None, None, {}),  # an update
    ("GET", {"query": SELECT}, None, None, {"If-None-Match": '"x"'}),  # conditional
    ("POST", {}, SELECT, "text/plain", {}),  # a wrong media type
    ("OPTIONS", {}, None, None, {"Origin": "https://x.example"}),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_sparql_app(tmp_path_factory.mktemp("fastpath"), RESULT_LIMIT=3)


def send(wsgi: Any, request: tuple[str, dict[str, str], Any, str | None, dict[str, str]]) -> Any:
    method, query_string, body, content_type, headers = request
    data = body if body is not None else None
    return Client(wsgi).open(
        "/sparql", method=method, query_string=query_string, data=data, content_type=content_type, headers=headers
    )


def counting(wsgi: Any, calls: list[str]) -> Any:
    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        calls.append(environ["PATH_INFO"])
        return wsgi(environ, start_response)

    return counted


@pytest.mark.parametrize("request_", PLAIN_REQUESTS, ids=lambda r: f"{r[0]}-{sorted(r[1])}-{r[3]}-{r[4]}")
def test_the_fast_path_answers_plain_queries_exactly_as_the_view_does(app: Flask, request_: Any) -> None:
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    view_calls: list[str] = []
    ours = send(SparqlFastPath(app, counting(fast._wrapped, view_calls)), request_)
    theirs = send(fast._wrapped, request_)
    assert view_calls == []  # answered without Flask
    assert ours.status_code == theirs.status_code == 200
    assert sorted(ours.headers.items()) == sorted(theirs.headers.items())
    assert ours.get_data() == theirs.get_data()


@pytest.mark.parametrize("request_", OTHER_REQUESTS, ids=lambda r: f"{r[0]}-{sorted(r[1])}-{r[3]}-{r[4]}")
def test_other_requests_go_to_the_view_unchanged(app: Flask, request_: Any) -> None:
    fast = app.wsgi_app
    view_calls: list[str] = []
    ours = send(SparqlFastPath(app, counting(fast._wrapped, view_calls)), request_)
    theirs = send(fast._wrapped, request_)
    assert view_calls == ["/sparql"]
    assert ours.status_code == theirs.status_code
    assert ours.get_data() == theirs.get_data()


def test_a_query_that_fails_in_the_engine_runs_once_and_the_view_answers_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_sparql_app(tmp_path)
    service = app.extensions["publisher.sparql"]
    runs: list[str] = []
    real_run = service.runner.run
    monkeypatch.setattr(service.runner, "run", lambda job: runs.append(job.query) or real_run(job))
    response = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s <nope:x ?o }"})
    assert response.status_code == 400 and "does not parse" in response.get_data(as_text=True)
    assert len(runs) == 1


def test_other_paths_are_not_touched(app: Flask) -> None:
    view_calls: list[str] = []
    fast = SparqlFastPath(app, counting(app.wsgi_app._wrapped, view_calls))  # type: ignore[attr-defined]
    Client(fast).get("/healthz")
    Client(fast).get("/sparql/", query_string={"query": SELECT})
    assert view_calls == ["/healthz", "/sparql/"]
