"""What /sparql answers: every format by Accept or ``format``, the service description, the result cap,
ETags and 304, gzip, CORS and the result cache."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from publisher.negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format
from publisher.sparql.results import GRAPH_SERIALISATIONS, RESULT_SERIALISATIONS
from tests.test_sparql_protocol import EXTRA_GRAPH, SAMPLE_GRAPH, make_sparql_app

SELECT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
SD = "http://www.w3.org/ns/sparql-service-description#"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def sparql_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_sparql_app(tmp_path_factory.mktemp("responses"))


@pytest.fixture
def client(sparql_app: Flask) -> FlaskClient:
    return sparql_app.test_client()


def make_app(folder: Path, **settings: object) -> Flask:
    return make_sparql_app(folder, **settings)


# Formats


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda fmt: fmt.key)
def test_select_in_each_result_format_by_accept(client: FlaskClient, fmt: Format) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{fmt.media_type}; charset=utf-8"
    if fmt.key == "csv":
        assert response.get_data(as_text=True).splitlines()[0] == "s,o"
    else:
        rows = list(ox.parse_query_results(response.data, format=RESULT_SERIALISATIONS[fmt.key]))
        assert len(rows) == 8


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda fmt: fmt.key)
def test_construct_in_each_graph_format_by_accept(client: FlaskClient, fmt: Format) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    assert len(list(ox.parse(response.data, format=GRAPH_SERIALISATIONS[fmt.key]))) == 8


@pytest.mark.parametrize("fmt", [RESULT_FORMATS[0], RESULT_FORMATS[1]], ids=lambda fmt: fmt.key)
def test_ask_in_json_and_xml(client: FlaskClient, fmt: Format) -> None:
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200 and response.mimetype == fmt.media_type
    assert b"true" in response.data


def test_describe_answers_a_graph(client: FlaskClient) -> None:
    query = "DESCRIBE <https://w3id.org/shaanxi-unions/resource/sample-city>"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert b"Sample City" in response.data


def test_q_values_choose_the_format(client: FlaskClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, application/sparql-results+xml;q=0.1"
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.mimetype == "text/csv"


def test_no_accept_gives_json_for_results_and_turtle_for_graphs(client: FlaskClient) -> None:
    assert client.get("/sparql", query_string={"query": SELECT}).mimetype == "application/sparql-results+json"
    assert client.get("/sparql", query_string={"query": CONSTRUCT}).mimetype == "text/turtle"


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": SELECT, "format": "tsv"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.mimetype == "text/tab-separated-values"


def test_an_unsatisfiable_accept_is_406_listing_what_is_offered(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    for fmt in RESULT_FORMATS:
        assert fmt.media_type in text
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406 and "text/turtle" in response.get_data(as_text=True)


# The result cap


def test_a_result_cut_at_the_limit_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path, RESULT_LIMIT=3)
    client = app.test_client()
    response = client.get(
        "/sparql", query_string={"query": SELECT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.headers["SPARQL-Results-Truncated"] == "true"
    assert "3" in response.headers["Warning"]
    body = response.get_json(force=True)
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 3
    graph = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert graph.headers["SPARQL-Results-Truncated"] == "true"
    assert len(list(ox.parse(graph.data, format=ox.RdfFormat.TURTLE))) == 3
    small = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 2"})
    assert "SPARQL-Results-Truncated" not in small.headers


# The service description


def description(client: FlaskClient, accept: str = "text/turtle", **query: str) -> ox.Store:
    response = client.get("/sparql", query_string=query, headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    store = ox.Store()
    fmt = next(f for f in GRAPH_FORMATS if f.media_type == response.mimetype)
    store.load(response.data, format=GRAPH_SERIALISATIONS[fmt.key])
    return store


def objects(store: ox.Store, predicate: str) -> set[str]:
    return {quad.object.value for quad in store.quads_for_pattern(None, ox.NamedNode(SD + predicate), None)}


def test_service_description_names_the_endpoint_language_and_formats(client: FlaskClient) -> None:
    store = description(client)
    assert objects(store, "endpoint") == {"http://localhost/sparql"}
    assert objects(store, "supportedLanguage") == {SD + "SPARQL11Query"}
    assert len(objects(store, "resultFormat")) == len(RESULT_FORMATS) + len(GRAPH_FORMATS)
    assert objects(store, "feature") == {SD + "UnionDefaultGraph"}
    assert objects(store, "name") == {SAMPLE_GRAPH, EXTRA_GRAPH}


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda fmt: fmt.key)
def test_service_description_in_each_rdf_format(client: FlaskClient, fmt: Format) -> None:
    assert objects(description(client, fmt.media_type), "endpoint") == {"http://localhost/sparql"}


def test_service_description_honours_public_url_and_the_allow_list(tmp_path: Path) -> None:
    app = make_app(tmp_path, PUBLIC_URL="https://data.example.org/", SERVICE_ALLOWLIST=["http://127.0.0.1:9/sparql"])
    store = description(app.test_client())
    assert objects(store, "endpoint") == {"https://data.example.org/sparql"}
    assert SD + "BasicFederatedQuery" in objects(store, "feature")


def test_a_browser_gets_the_query_page(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200 and response.mimetype == "text/html"


# ETag, gzip, CORS, cache


def test_etag_and_a_conditional_request_answered_with_304(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": SELECT})
    etag = first.headers["ETag"]
    again = client.get("/sparql", query_string={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data and again.headers["ETag"] == etag
    other_format = client.get("/sparql", query_string={"query": SELECT, "format": "csv"})
    other_query = client.get("/sparql", query_string={"query": SELECT + " LIMIT 1"})
    other_graph = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": EXTRA_GRAPH})
    assert len({etag, other_format.headers["ETag"], other_query.headers["ETag"], other_graph.headers["ETag"]}) == 4


def test_large_answers_are_gzipped_for_clients_that_accept_it(client: FlaskClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o . ?x ?y ?z }"
    plain = client.get("/sparql", query_string={"query": query})
    assert len(plain.data) > 1024 and "Content-Encoding" not in plain.headers
    zipped = client.get("/sparql", query_string={"query": query}, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"), [("gzip;q=0.5", True), ("*", True), ("gzip;q=0", False), ("br", False)]
)
def test_gzip_follows_the_accept_encoding_q_values(client: FlaskClient, accept_encoding: str, gzipped: bool) -> None:
    query = "SELECT * WHERE { ?s ?p ?o . ?x ?y ?z }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept-Encoding": accept_encoding})
    assert (response.headers.get("Content-Encoding") == "gzip") is gzipped


def test_small_answers_are_not_gzipped(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


def test_cors_allows_any_origin_without_credentials(client: FlaskClient) -> None:
    for response in (
        client.get("/sparql", query_string={"query": SELECT}, headers={"Origin": "https://elsewhere.example"}),
        client.post("/sparql", data={"query": SELECT}, headers={"Origin": "https://elsewhere.example"}),
        client.get("/sparql", query_string={"query": ""}, headers={"Origin": "https://elsewhere.example"}),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_the_result_cache_answers_identical_queries_without_running_them(tmp_path: Path) -> None:
    app = make_app(tmp_path, RESULT_CACHE=4)
    service = app.extensions["publisher.sparql"]
    runs: list[str] = []
    real_run = service.runner.run

    def counting_run(job):  # type: ignore[no-untyped-def]
        runs.append(job.query)
        return real_run(job)

    service.runner.run = counting_run
    client = app.test_client()
    first = client.get("/sparql", query_string={"query": SELECT})
    second = client.get("/sparql", query_string={"query": SELECT})
    assert first.data == second.data and len(runs) == 1
    client.get("/sparql", query_string={"query": SELECT, "format": "xml"})
    assert len(runs) == 2


def test_without_the_cache_every_query_runs(client: FlaskClient, sparql_app: Flask) -> None:
    service = sparql_app.extensions["publisher.sparql"]
    assert service.cache.size == 0
    client.get("/sparql", query_string={"query": SELECT})
    assert len(service.cache) == 0
    assert json.loads(client.get("/sparql", query_string={"query": "ASK {}"}).data)["boolean"] is True
