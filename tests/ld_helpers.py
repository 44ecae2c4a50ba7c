"""Helpers for the Linked Data tests: a small HTML tree with attribute lookup, RDF parsing, ``Link`` headers."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

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


@dataclass
class Element:
    """An element of a parsed page: tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


class _Builder(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.parts.append(data)


def page(body: bytes) -> Element:
    builder = _Builder()
    builder.feed(body.decode("utf-8"))
    return builder.root


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
