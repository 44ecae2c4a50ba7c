"""What HTML pages share: labels in the page's language, values as links, and the Jinja set-up.

:class:`Labeller` names any node for a person: its label in the page language, else in the other, else
its prefixed name. :func:`property_views` turns a resource's triples into rows for a template, with our
IRIs as local links. :func:`install` gives every template ``lang``, ``t`` (the interface strings),
``url_for_language`` (the language switch), ``nav`` and the ``local`` filter; pages built on
``base.html`` by other blueprints get the same.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Flask, has_request_context, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from werkzeug.wrappers import Response as BaseResponse

from publisher.describe import LABEL_PREDICATES, to_oxigraph, to_rdflib
from publisher.humanize import humanize_date
from publisher.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    choose_language,
    language_was_asked,
    other_language,
    translate,
)
from publisher.term_labels import term_label
from publisher.urls import local_url
from publisher.vocab import all_prefixes

_PLAIN_DATATYPES = {str(XSD.string), str(RDF.langString)}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_NESTING = 3
# Names and descriptions come first in a property table; the other properties follow by label.
_FIRST = {
    str(iri): rank
    for rank, iri in enumerate(
        (RDFS.label, SKOS.prefLabel, SKOS.altLabel, RDFS.comment, SKOS.definition, DCTERMS.title, DCTERMS.description)
    )
}


@dataclass(frozen=True)
class Label:
    """A name to show, with the language of its text (empty when it is an IRI or prefixed name)."""

    text: str
    lang: str = ""


@dataclass
class ValueView:
    """One value of a property, ready for a template."""

    text: str
    lang: str = ""
    href: str = ""
    note: str = ""
    nested: list[PropertyView] = field(default_factory=list)
    items: list[ValueView] = field(default_factory=list)


@dataclass
class PropertyView:
    """One property of a resource and its values."""

    label: Label
    curie: str
    href: str
    values: list[ValueView]
    iri: str = ""


class Labeller:
    """Names nodes for one page: labels from the store, in ``language`` first; cached per page."""

    def __init__(self, store: ox.Store, base: str, namespaces: dict[str, str], language: str) -> None:
        self.store = store
        self.base = base
        self.language = language
        self.prefixes = sorted(all_prefixes(namespaces).items(), key=lambda item: -len(item[1]))
        self._labels: dict[str, dict[str, str]] = {}

    def curie(self, iri: str) -> str:
        """``prefix:local`` for an IRI in a known namespace, else the IRI."""
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def labels(self, iri: str) -> dict[str, str]:
        """The label of ``iri`` per language tag (the first label predicate that has one wins)."""
        if iri not in self._labels:
            found: dict[str, str] = {}
            subject = ox.NamedNode(iri)
            for predicate in LABEL_PREDICATES:
                for quad in self.store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, None):
                    if isinstance(quad.object, ox.Literal):
                        tag = (quad.object.language or "").split("-")[0].lower()
                        found.setdefault(tag, quad.object.value)
            self._labels[iri] = found
        return self._labels[iri]

    def label_in(self, iri: str, language: str) -> Label | None:
        """The label in exactly ``language``, if there is one."""
        text = self.labels(iri).get(language)
        return Label(text, language) if text else None

    def label(self, node: URIRef | BNode | str) -> Label:
        """The best name for ``node``: page language, other language, untagged, then the prefixed name."""
        iri = str(node)
        if isinstance(node, BNode):
            return Label("[…]")
        labels = self.labels(iri)
        for language in (self.language, other_language(self.language)):
            if labels.get(language):
                return Label(labels[language], language)
        if labels.get(""):
            return Label(labels[""])
        if labels:
            tag, text = sorted(labels.items())[0]
            return Label(text, tag)
        return Label(self.curie(iri))

    def property_label(self, iri: str) -> Label:
        """A property's label in the page language only (so the table reads in one language): from the data's
        ontology, else the display name of a reused vocabulary's term, else its prefixed name."""
        own = self.label_in(iri, self.language)
        if own is not None:
            return own
        reused = term_label(iri, self.language)
        return Label(reused, self.language) if reused else Label(self.curie(iri))

    def link(self, node: URIRef | BNode | str) -> ValueView:
        """A linked value: the node's label, pointing at its local page (or the foreign IRI)."""
        label = self.label(node)
        return ValueView(text=label.text, lang=label.lang, href=local_url(str(node), self.base))

    def literal(self, node: Literal) -> ValueView:
        """A literal: its text, its language tag, or its datatype as a discreet note. Untagged Chinese text is
        marked ``zh`` for screen readers; dates read as people write them."""
        if node.language:
            return ValueView(text=str(node), lang=node.language, note=node.language)
        datatype = str(node.datatype) if node.datatype else str(XSD.string)
        note = "" if datatype in _PLAIN_DATATYPES else self.curie(datatype)
        text = humanize_date(str(node), self.language) if datatype == str(XSD.date) else str(node)
        return ValueView(text=text, lang="zh" if _HAN.search(str(node)) else "", note=note)


def value_view(graph: Graph, node: object, labeller: Labeller, depth: int = 0) -> ValueView:
    """The view of one object: a link, a literal, or a blank node shown with its own properties."""
    if isinstance(node, Literal):
        return labeller.literal(node)
    if isinstance(node, BNode):
        items = rdf_list(graph, node)
        if items is not None:
            return ValueView(text="", items=[value_view(graph, item, labeller, depth + 1) for item in items])
        nested = property_views(graph, node, labeller, depth + 1) if depth < MAX_NESTING else []
        return ValueView(text="", nested=nested)
    return labeller.link(node)  # type: ignore[arg-type]


def rdf_list(graph: Graph, node: BNode) -> list[object] | None:
    """The members of the RDF list that starts at ``node``, or ``None`` when ``node`` is not a well-formed list."""
    items: list[object] = []
    seen: set[BNode] = set()
    current: object = node
    while current != RDF.nil:
        if not isinstance(current, BNode) or current in seen:
            return None
        seen.add(current)
        first = list(graph.objects(current, RDF.first))
        rest = list(graph.objects(current, RDF.rest))
        if len(first) != 1 or len(rest) != 1:
            return None
        items.append(first[0])
        current = rest[0]
    return items


def _value_order(view: ValueView, language: str) -> tuple[int, str]:
    return (0 if view.lang == language else 1, view.text)


def property_views(
    graph: Graph, subject: URIRef | BNode, labeller: Labeller, depth: int = 0, skip: frozenset[str] = frozenset()
) -> list[PropertyView]:
    """Every property of ``subject`` in ``graph`` (but those in ``skip``) with its values, sorted by label."""
    by_predicate: dict[str, list[ValueView]] = defaultdict(list)
    for predicate, obj in graph.predicate_objects(subject):
        if str(predicate) not in skip:
            by_predicate[str(predicate)].append(value_view(graph, obj, labeller, depth))
    views = [
        PropertyView(
            label=labeller.property_label(predicate),
            curie=labeller.curie(predicate),
            href=local_url(predicate, labeller.base),
            values=sorted(values, key=lambda v: _value_order(v, labeller.language)),
            iri=predicate,
        )
        for predicate, values in by_predicate.items()
    ]
    return sorted(views, key=lambda v: (_FIRST.get(v.iri, len(_FIRST)), v.label.text.lower(), v.curie))


def objects_in_store(store: ox.Store, subject: str, predicate: str) -> list[URIRef | BNode | Literal]:
    """The objects of (subject, predicate) in any graph, without duplicates, in a stable order."""
    found = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
    return sorted({to_rdflib(q.object) for q in found}, key=str)


def subjects_in_store(store: ox.Store, predicate: str, obj: URIRef | Literal) -> list[URIRef | BNode]:
    """The subjects of (predicate, object) in any graph, without duplicates, sorted."""
    found = store.quads_for_pattern(None, ox.NamedNode(predicate), to_oxigraph(obj), None)
    return sorted({to_rdflib(q.subject) for q in found}, key=str)  # type: ignore[misc,arg-type]


def url_for_language(language: str) -> str:
    """The current page in ``language`` (the switch sets ``?lang=``, kept in a cookie afterwards)."""
    if not has_request_context():
        return f"?lang={language}"
    args = {k: v for k, v in request.args.items() if k != "lang"}
    args["lang"] = language
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def _template_context() -> dict[str, object]:
    language = choose_language()
    mount = request.script_root if has_request_context() else ""
    nav = [
        ("home", f"{mount}/"),
        ("ontology", f"{mount}/ontology"),
        ("sparql", f"{mount}/sparql"),
        ("dumps", f"{mount}/dumps/"),
    ]
    return {
        "lang": language,
        "other_lang": other_language(language),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "t": lambda key, **values: translate(key, language, **values),
        "url_for_language": url_for_language,
        "nav": nav,
        "mount": mount,
        "site_title": _site_title(language),
    }


def _site_title(language: str) -> str:
    """The dataset's title in ``language`` (from ``dataset.toml``), for page titles; empty without data."""
    from flask import current_app

    from publisher.store import EXTENSION_KEY

    data = current_app.extensions.get(EXTENSION_KEY)
    if data is None:
        return ""
    titles = data.project.title
    return str(titles.get(language) or next(iter(titles.values()), ""))


def install(app: Flask) -> None:
    """Give every template the page language, the interface strings, the language switch and the navigation."""
    if app.extensions.get("publisher.pages"):
        return
    app.extensions["publisher.pages"] = True
    app.context_processor(_template_context)
    app.after_request(remember_language)


LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def remember_language(response: BaseResponse) -> BaseResponse:
    """Keep the language a page was asked in with ``?lang=`` in a cookie, for every page of the site."""
    asked = language_was_asked()
    if asked and response.mimetype == "text/html":
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="Lax")
    return response


# Pages of data need no script: JSON-LD blocks are data, not code, and are not blocked by ``script-src 'none'``.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)


def protect(response: BaseResponse) -> BaseResponse:
    """``nosniff`` on every response, and a script-free Content-Security-Policy on HTML (defence in depth)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response
