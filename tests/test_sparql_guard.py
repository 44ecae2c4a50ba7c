"""The query guard: update refusal, nesting limits and the FROM/SERVICE allow-list, on a real tokenizer."""

from __future__ import annotations

import pytest

from publisher.errors import BadRequest, MalformedQuery, UpdateRefused
from publisher.sparql.guard import check_query, inspect_query

GRAPH = "https://example.org/graph/a"
SERVICE = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "delete where { ?s ?p ?o }",
        "LOAD <http://example.org/x.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://g>",
        "CREATE GRAPH <http://g>",
        "ADD DEFAULT TO <http://g>",
        "MOVE <http://a> TO <http://b>",
        "COPY <http://a> TO <http://b>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://ex/>\nSELECT * { ?s ?p ?o } ; INSERT DATA { ex:a ex:b ex:c }",
    ],
)
def test_update_keywords_are_refused(query: str) -> None:
    with pytest.raises(UpdateRefused) as refused:
        inspect_query(query, 64)
    assert refused.value.status == 403
    assert "read-only" in refused.value.message


def test_update_words_inside_strings_iris_comments_and_names_are_not_keywords() -> None:
    query = """PREFIX insert: <http://example.org/drop/>
    # DELETE everything? No: this is a comment.
    SELECT ?delete WHERE {
      ?delete insert:load "DROP ALL" , '''CLEAR
      GRAPH''' , <http://example.org/insert> .
      FILTER(?delete != "COPY")
    }"""
    facts = inspect_query(query, 64)
    assert facts.form == "SELECT"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("ask { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://a>", "DESCRIBE"),
        ("PREFIX select: <http://x/> CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * { ?s ?p ?o } } }", "CONSTRUCT"),
    ],
)
def test_query_form_is_the_first_form_keyword(query: str, form: str) -> None:
    assert inspect_query(query, 64).form == form


def test_nesting_deeper_than_the_limit_is_refused_with_its_position() -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    with pytest.raises(BadRequest) as refused:
        inspect_query(deep, 64)
    assert refused.value.status == 400
    assert "64" in refused.value.message and "line 1" in refused.value.message


def test_nesting_within_the_limit_is_accepted_and_measured() -> None:
    query = "SELECT * WHERE { { ?s ?p ?o FILTER((?o > 1)) } }"
    assert inspect_query(query, 4).depth == 4
    with pytest.raises(BadRequest):
        inspect_query(query, 3)


def test_braces_inside_strings_do_not_count_as_nesting() -> None:
    assert inspect_query('SELECT * { ?s ?p "{{{{{{{{{{" }', 2).depth == 1


def test_long_chains_of_prefix_operators_are_refused() -> None:
    with pytest.raises(BadRequest) as refused:
        inspect_query("ASK { FILTER(" + "!" * 10000 + "true) }", 64)
    assert "operators" in refused.value.message


@pytest.mark.parametrize(
    "query",
    [
        "ASK { " + " ".join(["OPTIONAL { ?s ?p ?o }"] * 3000) + " }",
        "SELECT * { " + " ".join(f"BIND({i} AS ?x{i})" for i in range(3000)) + " }",
        "ASK { FILTER(" + " || ".join(["true"] * 10000) + ") }",
        "ASK { ?s " + "/".join(["<http://p>"] * 10000) + " ?o }",
        "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }",
    ],
    ids=["optional", "bind", "or", "path", "union"],
)
def test_queries_with_thousands_of_operators_are_refused(query: str) -> None:
    """pyoxigraph 0.5 crashes (stack overflow) on each of these, so none may reach it."""
    with pytest.raises(BadRequest) as refused:
        inspect_query(query, 64)
    assert "more than 1000 operators" in refused.value.message


def test_long_lists_in_values_and_in_are_not_operators() -> None:
    values = "SELECT * { VALUES ?x { " + " ".join(str(i) for i in range(20000)) + " } }"
    assert inspect_query(values, 64).form == "SELECT"
    listed = "ASK { ?s ?p ?o FILTER(?o IN (" + ", ".join(str(i) for i in range(20000)) + ")) }"
    assert inspect_query(listed, 64).form == "ASK"


def test_an_unterminated_string_is_a_syntax_error_with_its_position() -> None:
    with pytest.raises(MalformedQuery) as malformed:
        inspect_query('SELECT * {\n ?s ?p "open INSERT }', 64)
    assert "line 2, column 8" in malformed.value.message


def test_from_and_service_iris_are_found_through_prefixes_and_base() -> None:
    query = """BASE <https://example.org/>
    PREFIX g: <https://example.org/graph/>
    SELECT * FROM g:a FROM NAMED <graph/b> WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"""
    facts = inspect_query(query, 64)
    assert facts.from_graphs == [GRAPH]
    assert facts.from_named_graphs == ["https://example.org/graph/b"]
    assert facts.services == [SERVICE]


def test_from_a_graph_in_the_store_is_allowed() -> None:
    facts = check_query(f"SELECT * FROM <{GRAPH}> {{ ?s ?p ?o }}", 64, {GRAPH}, ())
    assert facts.from_graphs == [GRAPH]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://elsewhere.example/data.ttl> { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }",
        "PREFIX e: <http://elsewhere.example/> SELECT * { SERVICE SILENT e:sparql { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_fetching_anything_not_allowed_is_refused(query: str) -> None:
    with pytest.raises(BadRequest) as refused:
        check_query(query, 64, {GRAPH}, {SERVICE})
    assert refused.value.status == 400


@pytest.mark.parametrize(
    "query",
    [
        r"SELECT * { SERVICE <http://127.0.0.1:9\u002Fsparql-not> { ?s ?p ?o } }",
        r"SELECT * { SERVICE <http:\u002F\u002Felsewhere.example/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE undeclared:sparql { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT ( <http://elsewhere.example/sparql> ) { ?s ?p ?o } }",
        r"SELECT * { \u0053ERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }",
    ],
)
def test_escapes_and_odd_spellings_do_not_slip_past_the_allow_list(query: str) -> None:
    with pytest.raises(BadRequest):
        check_query(query, 64, set(), {SERVICE})


def test_unicode_escapes_in_an_iri_are_read_as_the_parser_reads_them() -> None:
    facts = check_query(r"SELECT * { SERVICE <http://127.0.0.1:9\u002Fsparql> { ?s ?p ?o } }", 64, set(), {SERVICE})
    assert facts.services == [SERVICE]


def test_service_on_the_allow_list_is_allowed() -> None:
    facts = check_query(f"SELECT * {{ SERVICE <{SERVICE}> {{ ?s ?p ?o }} }}", 64, set(), {SERVICE})
    assert facts.services == [SERVICE]
