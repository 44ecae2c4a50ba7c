"""Content negotiation: q-values, wildcards, aliases, the format parameter, 406 with the list."""

from __future__ import annotations

import pytest

from publisher.errors import NotAcceptable
from publisher.negotiation import (
    GRAPH_FORMATS,
    HTML,
    JSONLD,
    NTRIPLES,
    RESULT_FORMATS,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    negotiate,
)


@pytest.mark.parametrize(
    ("accept", "offered", "expected"),
    [
        (None, GRAPH_FORMATS, TURTLE),
        ("", GRAPH_FORMATS, TURTLE),
        ("*/*", GRAPH_FORMATS, TURTLE),
        ("application/ld+json", GRAPH_FORMATS, JSONLD),
        ("text/html;q=0.5, text/turtle", (HTML, *GRAPH_FORMATS), TURTLE),
        ("text/html, text/turtle;q=0.5", (HTML, *GRAPH_FORMATS), HTML),
        ("application/n-triples;q=0.9, application/ld+json;q=0.2", GRAPH_FORMATS, NTRIPLES),
        ("application/json", RESULT_FORMATS, SPARQL_JSON),
        ("text/xml", RESULT_FORMATS, SPARQL_XML),
        ("text/tab-separated-values", RESULT_FORMATS, TSV),
        ("application/*", RESULT_FORMATS, SPARQL_JSON),
    ],
)
def test_negotiate_picks_the_best_offered_format(accept, offered, expected) -> None:
    assert negotiate(accept, offered) is expected


def test_format_parameter_overrides_accept() -> None:
    assert negotiate("text/turtle", GRAPH_FORMATS, format_param="jsonld") is JSONLD
    assert negotiate("text/turtle", GRAPH_FORMATS, format_param="application/n-triples") is NTRIPLES


def test_unknown_format_parameter_is_refused_listing_the_keys() -> None:
    with pytest.raises(NotAcceptable, match="Use one of: ttl, nt, jsonld, rdf"):
        negotiate(None, GRAPH_FORMATS, format_param="pdf")


def test_unacceptable_accept_is_refused_listing_the_media_types() -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate("image/png", GRAPH_FORMATS)
    assert caught.value.status == 406
    assert "text/turtle" in caught.value.message and "application/rdf+xml" in caught.value.message


def test_a_zero_quality_excludes_a_format() -> None:
    assert negotiate("text/turtle;q=0, */*;q=0.1", GRAPH_FORMATS) is not TURTLE


def test_text_formats_state_their_charset() -> None:
    assert TURTLE.content_type == "text/turtle; charset=utf-8"
