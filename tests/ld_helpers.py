"""Helpers for the Linked Data tests: a small HTML tree with attribute lookup, RDF parsing, ``Link`` headers."""

from __future__ import annotations

import warnings
from pathlib import Path

from html_elements import Element, parse_html
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/shaanxi-unions/"
SUR = f"{BASE}resource/"
SUO = f"{BASE}ontology/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

EXTENSIONS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def page(body: bytes) -> Element:
    """The parsed page (see ``html_elements``)."""
    return parse_html(body.decode("utf-8"))


def parse_rdf(body: bytes, media_type: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser goes through its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=body, format=RDF_TYPES[media_type])


def links_of(header: str) -> dict[str, str]:
    """``Link`` header -> {type or rel: url}."""
    found = {}
    for part in header.split(", <"):
        url, _, params = part.lstrip("<").partition(">")
        fields = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        found[fields.get("type", fields.get("rel", "")).strip('"')] = url
    return found
