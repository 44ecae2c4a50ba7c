"""Resource IRIs and local paths: one mapping both ways, explicit format suffixes, the mount point."""

from __future__ import annotations

import pytest
from flask import Flask

from publisher.negotiation import HTML, JSONLD, NTRIPLES, RDFXML, TURTLE, Format
from publisher.urls import format_url, iri_for, is_local, local_url, path_for, sparql_url, split_format

BASE = "https://w3id.org/example/"


def test_iri_under_the_base_becomes_a_local_path() -> None:
    assert path_for(f"{BASE}resource/xian", BASE) == "/resource/xian"
    assert path_for(f"{BASE}ontology", BASE) == "/ontology"


def test_iri_outside_the_base_has_no_local_path() -> None:
    assert path_for("http://www.wikidata.org/entity/Q5826", BASE) is None
    assert not is_local("https://w3id.org/other/resource/x", BASE)


def test_local_path_becomes_the_canonical_iri() -> None:
    assert iri_for("/resource/xian", BASE) == f"{BASE}resource/xian"
    assert iri_for("resource/xian", BASE) == f"{BASE}resource/xian"


def test_non_ascii_iri_round_trips_through_its_percent_encoded_path() -> None:
    iri = f"{BASE}resource/西安"
    path = path_for(iri, BASE)
    assert path == "/resource/%E8%A5%BF%E5%AE%89"
    assert iri_for(path, BASE) == iri


def test_hash_base_is_the_root_document_and_terms_its_fragments() -> None:
    base = "https://example.org/vocab#"
    assert path_for("https://example.org/vocab#Term", base) == "/#Term"
    assert iri_for("/", base) == "https://example.org/vocab"


@pytest.mark.parametrize(
    ("path", "stem", "fmt"),
    [
        ("resource/x.ttl", "resource/x", TURTLE),
        ("resource/x.nt", "resource/x", NTRIPLES),
        ("resource/x.jsonld", "resource/x", JSONLD),
        ("resource/x.rdf", "resource/x", RDFXML),
        ("resource/x.html", "resource/x", HTML),
    ],
)
def test_format_suffix_is_split_off(path: str, stem: str, fmt: Format) -> None:
    found_stem, found = split_format(path)
    assert found is not None
    assert (found_stem, found.media_type) == (stem, fmt.media_type)


@pytest.mark.parametrize("path", ["resource/x", "resource/x.pdf", "data.v1/x", "resource/x."])
def test_path_without_a_known_suffix_is_kept(path: str) -> None:
    assert split_format(path) == (path, None)


def test_local_url_keeps_foreign_iris_and_adds_the_mount_point(app: Flask) -> None:
    with app.test_request_context("/", base_url="http://localhost/lod"):
        assert local_url(f"{BASE}resource/xian", BASE) == "/lod/resource/xian"
        assert local_url("http://www.wikidata.org/entity/Q5826", BASE) == "http://www.wikidata.org/entity/Q5826"
        assert format_url(f"{BASE}resource/xian", BASE, TURTLE) == "/lod/resource/xian.ttl"
        assert sparql_url("SELECT * {}").startswith("/lod/sparql#query=SELECT")  # the editor, for people


def test_format_url_of_a_foreign_iri_is_an_error() -> None:
    with pytest.raises(ValueError, match="not under the base"):
        format_url("http://example.com/x", BASE, TURTLE)
