"""Each competency question gives its pinned answer through the SPARQL endpoint, in JSON and in CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from competency import compact_term, project_prefixes
from flask import Flask
from test_competency import EXPECTED

from publisher import create_app
from publisher.project import Project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real_app() -> Iterator[Flask]:
    files = sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "data").glob("*.ttl"))
    yield create_app(
        {"TESTING": True, "PROJECT_FILE": str(ROOT / "dataset.toml"), "DATA_FILES": [str(f) for f in files]}
    )


def compact_binding(binding: dict[str, str] | None, prefixes: dict[str, str]) -> str:
    if binding is None:
        return ""
    return compact_term(binding["value"], binding.get("datatype"), binding["type"] == "uri", prefixes)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_question_answers_through_the_endpoint_in_json(name: str, real_app: Flask, project: Project) -> None:
    query = (project.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    response = real_app.test_client().post(
        "/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    body = response.get_json(force=True)
    names = body["head"]["vars"]
    prefixes = project_prefixes(project)
    rows = [tuple(compact_binding(b.get(v), prefixes) for v in names) for b in body["results"]["bindings"]]
    assert rows == EXPECTED[name]


@pytest.mark.parametrize("name", ["four-seasons-funds", "shangluo-epidemic-relief-total", "job-fairs-by-city"])
def test_question_answers_through_the_endpoint_in_csv(name: str, real_app: Flask, project: Project) -> None:
    query = (project.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    response = real_app.test_client().get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))[1:]
    prefixes = project_prefixes(project)
    expected = [
        tuple(
            value
            if not value.startswith(tuple(f"{p}:" for p in prefixes))
            else prefixes[value.split(":", 1)[0]] + value.split(":", 1)[1]
            for value in row
        )
        for row in EXPECTED[name]
    ]
    assert [tuple(r) for r in rows] == expected
