"""The description of a resource: its CBD, the labels of what it points to, and what points to it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, XSD

from publisher import describe
from publisher.describe import (
    cbd,
    describe_resource,
    resource_exists,
    serialize_graph,
    to_oxigraph,
    to_rdflib,
)
from publisher.errors import NotAcceptable
from publisher.project import Project
from publisher.store import load_files
from publisher.vocab import SCHEMA

LD = Path(__file__).resolve().parent / "data" / "ld"
SUR = "https://w3id.org/shaanxi-unions/resource/"
SUO = "https://w3id.org/shaanxi-unions/ontology/"
PROV_ATTRIBUTED = URIRef("http://www.w3.org/ns/prov#wasAttributedTo")


@pytest.fixture
def store(project: Project) -> ox.Store:
    return load_files(project, [LD / "ontology.trig", LD / "shapes.trig", LD / "data.ttl"])


def test_cbd_follows_blank_nodes(store: ox.Store) -> None:
    graph = cbd(store, URIRef(f"{SUR}shaanxi-ftu"))
    addresses = list(graph.objects(URIRef(f"{SUR}shaanxi-ftu"), SCHEMA.address))
    assert len(addresses) == 1 and isinstance(addresses[0], BNode)
    assert (addresses[0], SCHEMA.postalCode, Literal("710000")) in graph


def test_description_holds_every_triple_with_the_resource_as_subject(store: ox.Store, project: Project) -> None:
    iri = f"{SUR}figure-golden-autumn-grants-money"
    graph = describe_resource(store, iri, project.base).graph
    subject = URIRef(iri)
    assert (subject, SCHEMA.value, Literal("6800000", datatype=XSD.decimal)) in graph
    assert (subject, URIRef(f"{SUO}originalWording"), Literal("680余万元")) in graph
    assert (subject, RDF.type, URIRef(f"{SUO}Figure")) in graph


def test_description_carries_the_labels_of_what_it_points_to(store: ox.Store, project: Project) -> None:
    graph = describe_resource(store, f"{SUR}shaanxi-ftu", project.base).graph
    assert (URIRef(f"{SUR}xian"), RDFS.label, Literal("西安市", lang="zh")) in graph
    assert (URIRef(f"{SUO}TradeUnionFederation"), RDFS.label, Literal("trade union federation", lang="en")) in graph


def test_description_holds_the_triples_that_point_to_it(store: ox.Store, project: Project) -> None:
    description = describe_resource(store, f"{SUR}shaanxi-ftu", project.base)
    subject = URIRef(f"{SUR}figure-golden-autumn-grants-money")
    assert (subject, PROV_ATTRIBUTED, URIRef(f"{SUR}shaanxi-ftu")) in description.graph
    assert (subject, RDFS.label, Literal("Golden Autumn grants paid", lang="en")) in description.graph
    assert description.inbound_total == 2
    assert not description.inbound_truncated


def test_inbound_links_are_capped_and_the_rest_linked_by_a_query(store: ox.Store, project: Project) -> None:
    iri = f"{SUR}golden-autumn-grants"
    description = describe_resource(store, iri, project.base, inbound_limit=1)
    assert len(description.inbound) == 1
    assert description.inbound_total == 2
    see_also = [str(o) for o in description.graph.objects(URIRef(iri), RDFS.seeAlso)]
    assert len(see_also) == 1
    assert see_also[0].startswith(f"{project.base}sparql?query=")


def test_default_inbound_limit_applies(store: ox.Store, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(describe, "INBOUND_LIMIT", 1)
    assert describe_resource(store, f"{SUR}golden-autumn-grants", project.base).inbound_truncated


@pytest.mark.parametrize(
    ("iri", "exists"),
    [
        (f"{SUR}shaanxi-ftu", True),
        (f"{SUR}only-mentioned", True),
        (f"{SUO}measureWord", True),  # used as a property, declared nowhere in the fixtures
        ("https://w3id.org/shaanxi-unions/graph/data", True),
        (f"{SUR}nowhere", False),
    ],
)
def test_a_resource_exists_as_subject_object_property_or_graph_name(store: ox.Store, iri: str, exists: bool) -> None:
    assert resource_exists(store, iri) is exists


def test_a_graph_name_is_described_by_its_triples(store: ox.Store, project: Project) -> None:
    description = describe_resource(store, f"{project.base}ontology", project.base)
    assert description.is_graph_name
    assert (URIRef(f"{SUO}TradeUnion"), RDF.type, OWL.Class) in description.graph


def test_an_unknown_iri_has_an_empty_description(store: ox.Store, project: Project) -> None:
    description = describe_resource(store, f"{SUR}nowhere", project.base)
    assert len(description.graph) == 0 and description.inbound_total == 0


@pytest.mark.parametrize(
    ("key", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")]
)
def test_every_graph_format_round_trips(store: ox.Store, project: Project, key: str, rdflib_format: str) -> None:
    graph = describe_resource(store, f"{SUR}shaanxi-ftu", project.base).graph
    with warnings.catch_warnings():  # rdflib's JSON-LD parser goes through its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = Graph().parse(data=serialize_graph(graph, key, project.namespaces), format=rdflib_format)
    assert isomorphic(parsed, graph)


@pytest.mark.parametrize(
    "node",
    [
        URIRef(f"{SUR}xian"),
        Literal("西安", lang="zh"),
        Literal("6800000", datatype=XSD.decimal),
        Literal("plain"),
    ],
)
def test_terms_convert_both_ways(node: URIRef | Literal) -> None:
    assert to_rdflib(to_oxigraph(node)) == node


def test_rdf_xml_that_cannot_be_written_is_refused_not_crashed(project: Project) -> None:
    graph = Graph()
    graph.add((URIRef(f"{SUR}x"), URIRef("http://example.org/p/"), Literal("v")))
    with pytest.raises(NotAcceptable, match="Turtle"):
        serialize_graph(graph, "rdf", project.namespaces)
    assert serialize_graph(graph, "ttl", project.namespaces)
