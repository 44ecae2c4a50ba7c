"""The SPARQL 1.1 Protocol at /sparql, through Flask's test client: requests, datasets, errors and refusals."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import parse_qsl, unquote_to_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from publisher import create_app
from publisher.errors import BadRequest
from publisher.sparql.protocol import _decode_pairs, percent_decoded
from publisher.store import get_data
from tests.conftest import ROOT, TEST_DATA

BASE = "https://w3id.org/shaanxi-unions/"
SAMPLE_GRAPH = f"{BASE}graph/sample"
EXTRA_GRAPH = f"{BASE}graph/extra"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = "application/sparql-results+json"


def make_sparql_app(folder: Path, **settings: object) -> Flask:
    """An app on ``sample.ttl`` and a second file with one triple, each in its own named graph."""
    extra = folder / "extra.ttl"
    extra.write_text(f'<{BASE}resource/extra> <{LABEL}> "Extra"@en .\n', encoding="utf-8")
    config: dict[str, object] = {
        "TESTING": True,
        "PROJECT_FILE": str(ROOT / "dataset.toml"),
        "DATA_FILES": [str(TEST_DATA / "sample.ttl"), str(extra)],
    }
    config.update(settings)
    return create_app(config)


@pytest.fixture(scope="module")
def sparql_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_sparql_app(tmp_path_factory.mktemp("sparql"))


@pytest.fixture
def client(sparql_app: Flask) -> FlaskClient:
    return sparql_app.test_client()


def count_of(response: TestResponse) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json(force=True)["results"]["bindings"][0]["n"]["value"])


def assert_clean_error(response: TestResponse, status: int, *words: str) -> str:
    """The response has ``status``, a plain message containing ``words``, and nothing of the server's insides."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    for word in words:
        assert word in text
    assert "Traceback" not in text and str(ROOT) not in text and 'File "' not in text
    return text


# How a query arrives


def test_query_by_get(client: FlaskClient) -> None:
    assert count_of(client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": JSON})) == 8


def test_query_by_post_form(client: FlaskClient) -> None:
    assert count_of(client.post("/sparql", data={"query": COUNT}, headers={"Accept": JSON})) == 8


def test_query_by_post_sparql_query_body(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=COUNT.encode(), headers={"Content-Type": "application/sparql-query", "Accept": JSON}
    )
    assert count_of(response) == 8


def test_sparql_query_body_with_charset_parameter(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=COUNT.encode(), headers={"Content-Type": "application/sparql-query; charset=UTF-8"}
    )
    assert count_of(response) == 8


# The dataset


def test_default_graph_is_the_union_of_the_named_graphs(client: FlaskClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{LABEL}> ?o }}"
    assert count_of(client.get("/sparql", query_string={"query": query})) == 5


def test_default_graph_uri_chooses_the_default_graph(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": EXTRA_GRAPH})
    assert count_of(response) == 1


def test_named_graph_uri_limits_the_named_graphs(client: FlaskClient) -> None:
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count_of(client.get("/sparql", query_string={"query": query})) == 2
    response = client.get("/sparql", query_string={"query": query, "named-graph-uri": SAMPLE_GRAPH})
    assert count_of(response) == 1


def test_graph_parameters_also_come_with_a_sparql_query_body(client: FlaskClient) -> None:
    response = client.post(
        f"/sparql?default-graph-uri={EXTRA_GRAPH}",
        data=COUNT.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert count_of(response) == 1


def test_from_a_graph_of_the_dataset_chooses_it(client: FlaskClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{EXTRA_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert count_of(client.get("/sparql", query_string={"query": query})) == 1


def test_a_graph_not_in_the_dataset_is_refused(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "http://elsewhere.example/g"})
    assert_clean_error(response, 400, "http://elsewhere.example/g", "names no graph")
    response = client.get("/sparql", query_string={"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"})
    assert_clean_error(response, 400, "file:///etc/passwd")


def test_service_to_an_endpoint_not_allowed_is_refused(client: FlaskClient) -> None:
    query = "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert_clean_error(client.get("/sparql", query_string={"query": query}), 400, "SERVICE_ALLOWLIST")


# Malformed requests


def test_post_without_a_query_is_a_bad_request(client: FlaskClient) -> None:
    response = client.post("/sparql", data={}, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_clean_error(response, 400, "No query")


@pytest.mark.parametrize("query", ["", "   \n "])
def test_an_empty_query_is_a_bad_request(client: FlaskClient, query: str) -> None:
    assert_clean_error(client.get("/sparql", query_string={"query": query}), 400, "empty")


def test_two_queries_are_a_bad_request(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert_clean_error(response, 400, "2 queries")
    response = client.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"})
    assert_clean_error(response, 400, "2 queries")


def test_an_unknown_body_media_type_is_unsupported(client: FlaskClient) -> None:
    response = client.post("/sparql", data=COUNT.encode(), headers={"Content-Type": "text/plain"})
    assert_clean_error(response, 415, "application/sparql-query", "text/plain")


def test_bytes_that_are_not_utf8_are_named(client: FlaskClient) -> None:
    assert_clean_error(client.get("/sparql?query=ASK%7B%7D%FF"), 400, "UTF-8")
    response = client.post("/sparql", data=b"ASK { \xff }", headers={"Content-Type": "application/sparql-query"})
    assert_clean_error(response, 400, "UTF-8")
    response = client.post(
        "/sparql", data=b"query=ASK%7B%FF%7D", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_clean_error(response, 400, "UTF-8")


def test_a_syntax_error_gives_line_and_column(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert_clean_error(response, 400, "does not parse", "line 2, column")


def test_an_oversized_body_is_413(client: FlaskClient, sparql_app: Flask) -> None:
    limit = sparql_app.config["MAX_BODY_BYTES"]
    body = ("ASK { ?s ?p ?o } #" + "x" * limit).encode()
    response = client.post("/sparql", data=body, headers={"Content-Type": "application/sparql-query"})
    assert_clean_error(response, 413)


def test_deep_nesting_is_refused_before_parsing(client: FlaskClient) -> None:
    query = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    response = client.post("/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert_clean_error(response, 400, "deep")


# Updates, however they arrive


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}}),
        ("get", {"query_string": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}}),
        (
            "post",
            {
                "data": b"INSERT DATA { <http://a> <http://b> <http://c> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("post", {"data": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}}),
        ("get", {"query_string": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("get", {"query_string": {"query": "DROP ALL"}}),
        ("get", {"query_string": {"query": "LOAD <http://example.org/x.ttl>"}}),
    ],
)
def test_updates_are_refused_and_change_nothing(
    client: FlaskClient, sparql_app: Flask, method: str, kwargs: dict[str, object]
) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert_clean_error(response, 403, "read-only")
    assert count_of(client.get("/sparql", query_string={"query": COUNT})) == 8
    with sparql_app.app_context():
        assert get_data().triple_count == 8


@pytest.mark.parametrize(("method", "path"), [("put", "/sparql"), ("delete", "/sparql"), ("patch", "/sparql")])
def test_other_methods_on_the_endpoint_are_not_allowed(client: FlaskClient, method: str, path: str) -> None:
    response = getattr(client, method)(path, data=b"<http://a> <http://b> <http://c> .")
    assert_clean_error(response, 405)


@pytest.mark.parametrize("path", ["/", "/resource/sample-city", "/dumps/", "/healthz"])
def test_writes_to_other_paths_are_not_allowed(client: FlaskClient, path: str) -> None:
    response = client.post(path, data=b"<http://a> <http://b> <http://c> .", headers={"Content-Type": "text/turtle"})
    assert response.status_code in {403, 405}
    assert count_of(client.get("/sparql", query_string={"query": COUNT})) == 8


# execute_query, for other views


def test_execute_query_answers_through_the_same_service(sparql_app: Flask) -> None:
    from publisher.sparql import execute_query

    with sparql_app.app_context():
        outcome = execute_query(COUNT, JSON)
        assert outcome.media_type == JSON and not outcome.truncated
        assert b'"8"' in outcome.body
        graph = execute_query("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle", default_graph_uris=[EXTRA_GRAPH])
        assert b"Extra" in graph.body and b"Sample" not in graph.body


def test_execute_query_refuses_what_the_endpoint_refuses(sparql_app: Flask) -> None:
    from publisher.errors import NotAcceptable, UpdateRefused
    from publisher.sparql import execute_query

    with sparql_app.app_context():
        with pytest.raises(UpdateRefused):
            execute_query("CLEAR ALL", JSON)
        with pytest.raises(NotAcceptable):
            execute_query(COUNT, "text/turtle")


def test_healthz_reports_the_loaded_data(client: FlaskClient, sparql_app: Flask) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    with sparql_app.app_context():
        assert response.get_json() == {"status": "ok", "triples": 8, "version": get_data().version}


FORM_FIELD_PIECES = (b"%", b"%4", b"%41", b"%e5%95%86", b"%zz", b"%%", b"\\", b"\\x41", b"%5C", b"%25", b"+", b"%2B")
FORM_FIELD_PIECES += (b"a", b"F", b"0", b"=", b"\n", b"\x00", b"\xe5", b"'", b'"', b" ")


def test_form_fields_decode_exactly_as_the_standard_decoder_does() -> None:
    rng = random.Random(2260)
    fields = [b"".join(rng.choice(FORM_FIELD_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    fields += [bytes(rng.randrange(256) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    for field in fields:
        assert percent_decoded(field) == unquote_to_bytes(field.replace(b"+", b" ")), field


@pytest.mark.parametrize(
    "raw",
    [
        b"query=SELECT+%3Fs+WHERE+%7B+%3Fs+%3Fp+%22%E5%95%86%E6%B4%9B%22%40zh+%7D&format=json",
        b"query=a%zzb&&default-graph-uri&named-graph-uri=&=x",
        b"query=%5Cx41%5C%5C&format=%2B+",
        b"query=50%&x=%%41",
    ],
)
def test_form_bodies_give_the_pairs_parse_qsl_gives(raw: bytes) -> None:
    expected = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    assert _decode_pairs(raw, "request body") == expected


def test_an_escape_that_is_not_utf8_is_named() -> None:
    with pytest.raises(BadRequest, match="request body is not valid UTF-8"):
        _decode_pairs(b"query=ASK%20%7B%7D%FF", "request body")
