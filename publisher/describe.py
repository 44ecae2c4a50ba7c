"""The description of a resource: what the data says about it, what it points to, and what points to it.

:func:`describe_resource` reads the in-process Oxigraph store and returns a :class:`Description`: the
concise bounded description (every triple with the resource as subject, following blank nodes), the
labels of every resource it points to, and the triples that point to it, capped at :data:`INBOUND_LIMIT`
with a link to a SPARQL query for the rest. An IRI that names a graph is described by the graph's
triples as well (an ontology, a data file). Values reach queries through ``substitutions``, never text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from publisher.errors import NotAcceptable
from publisher.urls import canonical_sparql_url
from publisher.vocab import SCHEMA

INBOUND_LIMIT = 100
LABEL_PREDICATES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel, SCHEMA.name, DCTERMS.title, FOAF.name)
_OX_LABELS = tuple(ox.NamedNode(str(p)) for p in LABEL_PREDICATES)
_XSD_STRING = str(XSD.string)
_INBOUND_QUERY = "SELECT DISTINCT ?s ?p ?target WHERE { ?s ?p ?target } ORDER BY ?p ?s LIMIT "

RdfNode = URIRef | BNode | Literal


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> RdfNode:
    """The rdflib term for an Oxigraph term (quoted triples are not used by the publisher)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise ValueError("RDF-star quoted triples are not supported")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def to_oxigraph(node: RdfNode) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term for an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))


def _first(quads: object) -> object:
    return next(iter(quads), None)  # type: ignore[call-overload]


def resource_exists(store: ox.Store, iri: str) -> bool:
    """Whether ``iri`` appears in the data: as a subject, an object, a property used (so that a page's link to an
    undeclared property still answers), or the name of a graph. Never, if it is not an IRI."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return (
        _first(store.quads_for_pattern(node, None, None, None)) is not None
        or _first(store.quads_for_pattern(None, None, node, None)) is not None
        or _first(store.quads_for_pattern(None, node, None, None)) is not None
        or store.contains_named_graph(node)
    )


def triples_about(store: ox.Store, subject: RdfNode) -> set[tuple[RdfNode, RdfNode, RdfNode]]:
    """Every triple (in any graph) with ``subject`` as subject."""
    found = store.quads_for_pattern(to_oxigraph(subject), None, None, None)  # type: ignore[arg-type]
    return {(subject, URIRef(q.predicate.value), to_rdflib(q.object)) for q in found}


def cbd(store: ox.Store, subject: RdfNode) -> Graph:
    """The concise bounded description of ``subject``: its triples, and those of blank nodes reached from them."""
    graph = Graph(bind_namespaces="none")
    pending, seen = [subject], set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in triples_about(store, node):
            graph.add(triple)
            if isinstance(triple[2], BNode):
                pending.append(triple[2])
    return graph


def label_triples(store: ox.Store, node: RdfNode) -> set[tuple[RdfNode, RdfNode, RdfNode]]:
    """The label triples (rdfs:label, skos:prefLabel, schema:name, ...) of ``node``."""
    if not isinstance(node, URIRef):
        return set()
    subject = ox.NamedNode(str(node))
    return {
        (node, URIRef(predicate.value), to_rdflib(q.object))
        for predicate in _OX_LABELS
        for q in store.quads_for_pattern(subject, predicate, None, None)
    }


def graph_triples(store: ox.Store, iri: str) -> Graph:
    """The triples of the named graph ``iri`` (empty when there is no such graph)."""
    graph = Graph(bind_namespaces="none")
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
        graph.add((to_rdflib(q.subject), URIRef(q.predicate.value), to_rdflib(q.object)))  # type: ignore[arg-type]
    return graph


def inbound_query(iri: str) -> str:
    """The SPARQL query a person can run for every triple that points to ``iri`` (the IRI is ours, from the store)."""
    return f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?p ?s"


@dataclass
class Description:
    """What is said about one resource, for a page or an RDF document."""

    iri: str
    about: Graph
    inbound: list[tuple[URIRef | BNode, URIRef]]
    inbound_total: int
    graph: Graph = field(default_factory=Graph)
    is_graph_name: bool = False

    @property
    def inbound_truncated(self) -> bool:
        return self.inbound_total > len(self.inbound)


def inbound_links(store: ox.Store, iri: str, limit: int) -> tuple[list[tuple[URIRef | BNode, URIRef]], int]:
    """Up to ``limit`` (subject, predicate) pairs pointing to ``iri``, sorted, and how many there are in all."""
    target = ox.NamedNode(iri)
    total = len({(q.subject, q.predicate) for q in store.quads_for_pattern(None, None, target, None)})
    rows = store.query(
        _INBOUND_QUERY + str(int(limit)),
        substitutions={ox.Variable("target"): target},
        use_default_graph_as_union=True,
    )
    pairs = [(to_rdflib(row["s"]), URIRef(row["p"].value)) for row in rows]  # type: ignore[index,union-attr]
    return pairs, total  # type: ignore[return-value]


def describe_resource(store: ox.Store, iri: str, base: str, inbound_limit: int | None = None) -> Description:
    """The description of ``iri`` (see the module docstring); empty when the data does not mention it."""
    limit = INBOUND_LIMIT if inbound_limit is None else inbound_limit
    node = URIRef(iri)
    about = cbd(store, node)
    inbound, total = inbound_links(store, iri, limit)
    graph = Graph(bind_namespaces="none")
    is_graph_name = store.contains_named_graph(ox.NamedNode(iri))
    if is_graph_name:
        graph += graph_triples(store, iri)
    graph += about
    linked = {o for o in about.objects() if isinstance(o, URIRef)} | {URIRef(str(p)) for p in about.predicates()}
    for resource in linked:
        for triple in label_triples(store, resource):
            graph.add(triple)
    for subject, predicate in inbound:
        graph.add((subject, predicate, node))
        if isinstance(subject, BNode):
            for q in store.quads_for_pattern(None, None, ox.BlankNode(str(subject)), None):
                graph.add((to_rdflib(q.subject), URIRef(q.predicate.value), subject))  # type: ignore[arg-type]
        for triple in label_triples(store, subject):
            graph.add(triple)
    if total > len(inbound):
        graph.add((node, RDFS.seeAlso, URIRef(canonical_sparql_url(inbound_query(iri), base))))
    for triple in label_triples(store, node):
        graph.add(triple)
    return Description(iri, about, inbound, total, graph, is_graph_name)


def types_of(store: ox.Store, iri: str) -> list[URIRef]:
    """The rdf:type values of ``iri``, sorted."""
    found = store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(RDF.type)), None, None)
    return sorted({URIRef(q.object.value) for q in found if isinstance(q.object, ox.NamedNode)})


_RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


def serialize_graph(graph: Graph, format_key: str, namespaces: dict[str, str]) -> bytes:
    """``graph`` in one of the graph formats (``ttl``, ``nt``, ``jsonld``, ``rdf``), with the shared prefixes."""
    from publisher.vocab import all_prefixes, bind_prefixes

    bound = bind_prefixes(Graph(bind_namespaces="none"), namespaces)
    bound += graph
    rdflib_format = _RDFLIB_FORMATS[format_key]
    if rdflib_format == "json-ld":
        return bound.serialize(format="json-ld", context=all_prefixes(namespaces), auto_compact=True, encoding="utf-8")
    try:
        return bound.serialize(format=rdflib_format, encoding="utf-8")
    except ValueError as exc:  # RDF/XML cannot write a property IRI without a local name (``…/p/``)
        raise NotAcceptable(f"This description cannot be written as {format_key}: {exc}. Ask for Turtle.") from exc
