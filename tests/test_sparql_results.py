"""Answers serialised in a worker: every format, the result cap and how a cut result says so."""

from __future__ import annotations

import csv
import io
import itertools
import json
import xml.etree.ElementTree as ET
from typing import IO

import pyoxigraph as ox
import pytest
import rdflib

from publisher.sparql.results import GRAPH_SERIALISATIONS, RESULT_SERIALISATIONS, run_job, syntax_error_message
from publisher.sparql.runner import Job

EX = "http://example.org/"
GRAPH = ox.NamedNode(EX + "graph")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for number in range(5):
        subject = ox.NamedNode(f"{EX}item{number}")
        store.add(ox.Quad(subject, ox.NamedNode(EX + "label"), ox.Literal(f'item {number}\n\t"quoted"'), GRAPH))
    return store


def job(query: str, format_key: str, limit: int = 100, default: tuple[str, ...] | None = None) -> Job:
    form = query.split()[0].upper()
    return Job(query, form, format_key, default, None if default is None else (), limit)


SELECT = f"SELECT ?s ?l WHERE {{ ?s <{EX}label> ?l }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT WHERE {{ ?s <{EX}label> ?l }}"


def test_select_in_json_has_every_row_and_is_not_truncated(store: ox.Store) -> None:
    reply = run_job(store, job(SELECT, "json"))
    parsed = json.loads(reply.body)
    assert parsed["head"]["vars"] == ["s", "l"]
    assert [row["s"]["value"] for row in parsed["results"]["bindings"]] == [f"{EX}item{n}" for n in range(5)]
    assert parsed["results"]["bindings"][0]["l"]["value"] == 'item 0\n\t"quoted"'
    assert not reply.truncated and "truncated" not in parsed


@pytest.mark.parametrize("format_key", sorted(RESULT_SERIALISATIONS))
def test_select_is_cut_at_the_limit_in_every_result_format(store: ox.Store, format_key: str) -> None:
    reply = run_job(store, job(SELECT, format_key, limit=2))
    assert reply.truncated
    if format_key == "csv":  # CSV is lossy, so pyoxigraph does not read it back
        subjects = [row[0] for row in csv.reader(io.StringIO(reply.body.decode()))][1:]
    else:
        parsed = ox.parse_query_results(reply.body, format=RESULT_SERIALISATIONS[format_key])
        subjects = [row["s"].value for row in parsed]
    assert subjects == [f"{EX}item0", f"{EX}item1"]


def test_csv_keeps_values_with_newlines_and_quotes(store: ox.Store) -> None:
    rows = list(csv.reader(io.StringIO(run_job(store, job(SELECT, "csv")).body.decode())))
    assert rows[0] == ["s", "l"]
    assert rows[1] == [f"{EX}item0", 'item 0\n\t"quoted"']


def test_a_cut_json_result_says_so_in_its_body(store: ox.Store) -> None:
    assert json.loads(run_job(store, job(SELECT, "json", limit=2)).body)["truncated"] is True


def test_a_cut_xml_result_says_so_in_a_comment_and_stays_valid_xml(store: ox.Store) -> None:
    body = run_job(store, job(SELECT, "xml", limit=2)).body
    assert b"<!-- Results truncated: only the first 2" in body
    ET.fromstring(body)


def test_a_result_exactly_at_the_limit_is_not_truncated(store: ox.Store) -> None:
    assert not run_job(store, job(SELECT, "json", limit=5)).truncated


def test_ask_answers_a_boolean(store: ox.Store) -> None:
    assert json.loads(run_job(store, job("ASK { ?s ?p ?o }", "json")).body)["boolean"] is True


@pytest.mark.parametrize("format_key", sorted(GRAPH_SERIALISATIONS))
def test_construct_in_every_graph_format_parses_to_the_same_graph(store: ox.Store, format_key: str) -> None:
    body = run_job(store, job(CONSTRUCT, format_key)).body
    triples = list(ox.parse(body, format=GRAPH_SERIALISATIONS[format_key]))
    assert len(triples) == 5


def test_a_cut_graph_has_the_limit_of_triples_and_a_comment(store: ox.Store) -> None:
    reply = run_job(store, job(CONSTRUCT, "ttl", limit=3))
    assert reply.truncated
    assert reply.body.startswith(b"# Results truncated")
    assert len(rdflib.Graph().parse(data=reply.body, format="turtle")) == 3


def test_an_explicit_default_graph_replaces_the_union(store: ox.Store) -> None:
    empty = run_job(store, job(SELECT, "json", default=(EX + "other",)))
    assert json.loads(empty.body)["results"]["bindings"] == []
    full = run_job(store, job(SELECT, "json", default=(GRAPH.value,)))
    assert len(json.loads(full.body)["results"]["bindings"]) == 5


def test_a_syntax_error_is_a_reply_with_line_and_column(store: ox.Store) -> None:
    reply = run_job(store, job("SELECT * WHERE {\n ?s ?p }", "json"))
    assert reply.error.startswith("The query does not parse: line 2, column")
    assert not reply.body


def test_syntax_error_message_without_a_position_keeps_the_text() -> None:
    assert syntax_error_message(SyntaxError("odd")) == "The query does not parse: odd"


def test_a_serialiser_is_stopped_just_past_the_cap() -> None:
    from publisher.sparql.results import _first_lines

    written: list[int] = []

    def endless(sink: IO[bytes]) -> None:
        for number in itertools.count():
            written.append(number)
            sink.write(f"line {number}\n".encode())

    kept, truncated = _first_lines(endless, 3)
    assert kept == b"line 0\nline 1\nline 2\n" and truncated
    assert len(written) == 4


class CountingStore:
    """A store that counts how often a query is run on it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.runs = 0

    def query(self, *args: object, **kwargs: object) -> object:
        self.runs += 1
        return self.store.query(*args, **kwargs)  # type: ignore[arg-type]


def unbound_rows(count: int) -> str:
    """A query whose ``count`` rows bind nothing: the fewest bytes a row can take in every format."""
    return "SELECT ?x WHERE { VALUES ?x { " + "UNDEF " * count + "} }"


def row_count(body: bytes, format_key: str) -> int:
    if format_key == "csv":
        return body.count(b"\r\n") - 1
    return len(list(ox.parse_query_results(body, format=RESULT_SERIALISATIONS[format_key])))


@pytest.mark.parametrize("format_key", sorted(RESULT_SERIALISATIONS))
@pytest.mark.parametrize("rows", [0, 1, 99, 100, 101, 3000])
def test_rows_of_the_smallest_size_are_cut_exactly_at_the_cap(store: ox.Store, format_key: str, rows: int) -> None:
    reply = run_job(store, job(unbound_rows(rows), format_key, limit=100))
    assert reply.truncated == (rows > 100)
    assert row_count(reply.body, format_key) == min(rows, 100)


@pytest.mark.parametrize("format_key", ["json", "xml", "csv"])
def test_a_small_answer_is_written_in_one_run_of_the_query(store: ox.Store, format_key: str) -> None:
    counting = CountingStore(store)
    reply = run_job(counting, job(SELECT, format_key, limit=10000))  # type: ignore[arg-type]
    assert counting.runs == 1 and not reply.truncated and row_count(reply.body, format_key) == 5


def test_an_answer_too_large_to_be_sure_of_is_run_again_and_cut_exactly(store: ox.Store) -> None:
    counting = CountingStore(store)
    reply = run_job(counting, job(SELECT + " # seen for the first time", "json", limit=4))  # type: ignore[arg-type]
    assert counting.runs == 2 and reply.truncated and row_count(reply.body, "json") == 4


def test_a_query_whose_answer_was_too_large_goes_straight_to_the_exact_cut_next_time(store: ox.Store) -> None:
    query = SELECT + " # large next time too"
    run_job(CountingStore(store), job(query, "xml", limit=3))  # type: ignore[arg-type]
    again = CountingStore(store)
    reply = run_job(again, job(query, "xml", limit=3))  # type: ignore[arg-type]
    assert again.runs == 1 and reply.truncated and row_count(reply.body, "xml") == 3


def test_the_memory_of_large_answers_keeps_a_bounded_number_of_small_keys() -> None:
    from publisher.sparql.results import _LargeAnswers

    seen = _LargeAnswers(3)
    jobs = [job(f"SELECT * WHERE {{ ?s ?p ?o }} # {'x' * 100_000} {n}", "json") for n in range(5)]
    for each in jobs:
        seen.add(each)
    assert [each in seen for each in jobs] == [False, False, True, True, True]
    assert all(len(key) == 32 for key in seen._keys)
