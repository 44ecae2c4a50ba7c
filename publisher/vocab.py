"""Namespaces: the well-known vocabularies, the dataset's own (from ``dataset.toml``), and one binder.

Every graph the publisher serialises passes through :func:`bind_prefixes`, so prefixes are the same
in every dump, page and response.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SH,
    SKOS,
    SOSA,
    TIME,
    VOID,
    XSD,
)

SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
GEONAMES = Namespace("https://www.geonames.org/ontology#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

WELL_KNOWN: dict[str, Namespace] = {
    "dcat": Namespace(str(DCAT)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "gn": GEONAMES,
    "oa": OA,
    "org": Namespace(str(ORG)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "qb": Namespace(str(QB)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA,
    "sd": SD,
    "sh": Namespace(str(SH)),
    "skos": Namespace(str(SKOS)),
    "sosa": Namespace(str(SOSA)),
    "time": Namespace(str(TIME)),
    "void": Namespace(str(VOID)),
    "wd": WIKIDATA,
    "xsd": Namespace(str(XSD)),
}


def all_prefixes(own: Mapping[str, str]) -> dict[str, str]:
    """The dataset's own prefixes (first) and the well-known ones, as prefix -> namespace IRI."""
    merged = {prefix: str(ns) for prefix, ns in WELL_KNOWN.items()}
    merged.update(own)
    return dict(sorted(merged.items()))


def bind_prefixes(graph: Graph, own: Mapping[str, str]) -> Graph:
    """Bind every known prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in all_prefixes(own).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
