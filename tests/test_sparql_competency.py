"""Every example query gives the same answer through the endpoint (pyoxigraph in a worker) as rdflib's
SPARQL engine, the reference, gives on the same files: the project's ``queries/*.rq`` on its data and
ontology, and the fixture queries of ``tests/data/queries/`` on ``sample.ttl``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from publisher import create_app
from publisher.project import load_project
from tests.conftest import QUERY_FIXTURES, ROOT, TEST_DATA

PROJECT = load_project(ROOT / "dataset.toml")
PROJECT_FILES = PROJECT.ttl_files(PROJECT.ontology_dir) + PROJECT.ttl_files(PROJECT.data_dir)
CASES = [(path, tuple(PROJECT_FILES)) for path in sorted(PROJECT.queries_dir.glob("*.rq"))] + [
    (path, (TEST_DATA / "sample.ttl",)) for path in sorted(QUERY_FIXTURES.glob("*.rq"))
]
CASE_IDS = [f"{'fixture' if path.is_relative_to(TEST_DATA) else 'project'}/{path.stem}" for path, _ in CASES]


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[tuple[Path, ...], Flask]]:
    """One app per set of data files, made when first needed."""
    made: dict[tuple[Path, ...], Flask] = {}
    yield made


def reference_dataset(files: tuple[Path, ...]) -> Dataset:
    """The files in rdflib, one named graph each as the publisher names them, the default graph their union."""
    dataset = Dataset(default_union=True)
    for path in files:
        graph = dataset.graph(URIRef(f"{PROJECT.base}graph/{path.name.split('.')[0]}"))
        graph.parse(path, format="turtle")
    return dataset


def comparable(term: object) -> object:
    """A term as both engines must agree on it: numbers by value, blank nodes as such, the rest exactly."""
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return ("number", float(value))
        return ("literal", str(term), term.language, str(term.datatype or ""))
    return None if term is None else str(term)


def rows_of(result: Result) -> list[tuple[object, ...]]:
    return sorted((tuple(comparable(value) for value in row) for row in result), key=repr)  # type: ignore[union-attr]


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")  # inside rdflib's query
@pytest.mark.parametrize(("query_file", "files"), CASES, ids=CASE_IDS)
def test_example_query_answers_as_the_reference_engine_does(
    apps: dict[tuple[Path, ...], Flask], query_file: Path, files: tuple[Path, ...]
) -> None:
    if files not in apps:
        apps[files] = create_app(
            {"TESTING": True, "PROJECT_FILE": str(ROOT / "dataset.toml"), "DATA_FILES": [str(f) for f in files]}
        )
    query = query_file.read_text(encoding="utf-8")
    expected = reference_dataset(files).query(query)
    client = apps[files].test_client()
    if expected.type == "CONSTRUCT" or expected.type == "DESCRIBE":
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert "SPARQL-Results-Truncated" not in response.headers
        assert isomorphic(Graph().parse(data=response.data, format="nt"), expected.graph)  # type: ignore[arg-type]
        return
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "SPARQL-Results-Truncated" not in response.headers
    answer = Result.parse(io.BytesIO(response.data), format="json")
    if expected.type == "ASK":
        assert answer.askAnswer == expected.askAnswer
    else:
        assert [str(v) for v in answer.vars or []] == [str(v) for v in expected.vars or []]
        assert rows_of(answer) == rows_of(expected)
