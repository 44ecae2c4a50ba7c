"""The page of one resource: its names, types, properties, what links to it, its figures and its sources.

Which properties record a figure and a source passage comes from ``dataset.toml`` (``[figures]`` and
``[provenance]``), so nothing here knows a particular dataset. A figure's page shows the sentence it was
taken from with the original wording marked; an organisation's or programme's page shows the table of
figures that point to it; every page embeds a schema.org JSON-LD summary for search engines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from publisher.describe import Description, inbound_query, to_rdflib, types_of
from publisher.humanize import humanize_figure
from publisher.pages import Label, Labeller, ValueView, objects_in_store, property_views, subjects_in_store
from publisher.project import Project
from publisher.urls import local_url, sparql_url
from publisher.vocab import SCHEMA

GRAPH_SUBJECT_LIMIT = 1000
_SAME_AS = (OWL.sameAs, SKOS.exactMatch)


@dataclass
class InboundGroup:
    """The resources that point here through one property."""

    label: Label
    curie: str
    href: str
    subjects: list[ValueView]


@dataclass
class FigureRow:
    """One line of a figures table."""

    link: ValueView
    amount: str
    wording: str
    qualifier: ValueView | None
    relations: list[Label]


@dataclass
class SentenceView:
    """A source passage split into plain and marked pieces, with its offsets and where it is from."""

    link: ValueView
    pieces: list[tuple[str, bool]]
    start: int | None
    end: int | None
    marked: list[tuple[int, int]]
    found: bool
    parts_of: list[ValueView]


def _literal_text(store: ox.Store, subject: str, predicate: str) -> str | None:
    values = [o for o in objects_in_store(store, subject, predicate) if isinstance(o, Literal)]
    return str(values[0]) if values else None


def _integer(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def inbound_groups(description: Description, store: ox.Store, labeller: Labeller) -> list[InboundGroup]:
    """What links here, grouped by property; a blank node is shown as the resource that holds it."""
    grouped: dict[str, list[ValueView]] = defaultdict(list)
    for subject, predicate in description.inbound:
        holder: URIRef | BNode = subject
        if isinstance(subject, BNode):
            owners = [to_rdflib(q.subject) for q in store.quads_for_pattern(None, None, ox.BlankNode(str(subject)))]
            named = [o for o in owners if isinstance(o, URIRef)]
            if not named:
                continue
            holder = named[0]
        view = labeller.link(holder)
        if all(v.href != view.href for v in grouped[str(predicate)]):
            grouped[str(predicate)].append(view)
    groups = [
        InboundGroup(labeller.property_label(p), labeller.curie(p), local_url(p, labeller.base), sorted(v, key=_text))
        for p, v in grouped.items()
    ]
    return sorted(groups, key=lambda g: (g.label.text.lower(), g.curie))


def _text(view: ValueView) -> str:
    return view.text.lower()


def is_figure(store: ox.Store, iri: str, project: Project) -> bool:
    """Whether ``iri`` is typed as the project's figure class."""
    return URIRef(project.figures.figure_class) in types_of(store, iri)


def figure_amount(store: ox.Store, figure: str, project: Project, labeller: Labeller) -> str:
    """The figure's value, qualifier and unit as people read them, in the page's language."""
    terms = project.figures
    units = objects_in_store(store, figure, terms.unit)
    qualifiers = objects_in_store(store, figure, terms.qualifier)
    wording = _literal_text(store, figure, terms.wording) or ""
    unit_label, countable = unit_words(store, str(units[0]), wording, project, labeller) if units else ("", False)
    key, label = qualifier_key(qualifiers[0], project, labeller) if qualifiers else ("exact", "")
    value = _literal_text(store, figure, terms.value) or ""
    return humanize_figure(value, key, unit_label, labeller.language, qualifier_label=label, countable=countable)


def unit_words(store: ox.Store, unit: str, wording: str, project: Project, labeller: Labeller) -> tuple[str, bool]:
    """How a unit is written after a number, and whether English counts it (makes it plural).

    Chinese uses the unit's measure word, the one the figure's own wording uses if any (超过2万家 -> 家); English
    the unit's label, not counted when the unit has a ``skos:notation`` (a currency code such as CNY). A unit whose
    measure word is ``%`` is written ``%`` in both.
    """
    words = sorted(
        (str(o) for o in objects_in_store(store, unit, project.figures.measure_word) if isinstance(o, Literal)),
        key=lambda w: (len(w), w),
    )
    if "%" in words:
        return "%", False
    if labeller.language == "zh":
        used = [w for w in sorted(words, key=len, reverse=True) if w in wording]
        chosen = used[0] if used else (words[0] if words else labeller.label(unit).text)
        return chosen, False
    notation = objects_in_store(store, unit, str(SKOS.notation))
    return (labeller.label_in(unit, labeller.language) or labeller.label(unit)).text, not notation


def qualifier_key(qualifier: object, project: Project, labeller: Labeller) -> tuple[str, str]:
    """The humanizer's key for a qualifier: from ``[figures.qualifiers]`` in ``dataset.toml``, else from its English
    label (``at least`` -> ``at_least``); and its label in the page language, for a qualifier known by neither."""
    keys = {value: key for key, value in project.figures.qualifiers.items()}
    iri = str(qualifier)
    english = (labeller.labels(iri).get("en") or "").strip().lower().replace(" ", "_").replace("-", "_")
    key = keys.get(iri) or ("exact" if english == "exactly" else english)
    return key, labeller.label(iri).text


def figure_rows(store: ox.Store, iri: str, project: Project, labeller: Labeller) -> list[FigureRow]:
    """The figures that point to ``iri`` (through any property), with values as people read them."""
    terms = project.figures
    by_figure: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
        if isinstance(quad.subject, ox.NamedNode):
            by_figure[quad.subject.value].add(quad.predicate.value)
    rows = []
    for figure, relations in by_figure.items():
        if not is_figure(store, figure, project):
            continue
        qualifiers = objects_in_store(store, figure, terms.qualifier)
        rows.append(
            FigureRow(
                link=labeller.link(figure),
                amount=figure_amount(store, figure, project, labeller),
                wording=_literal_text(store, figure, terms.wording) or "",
                qualifier=labeller.link(qualifiers[0]) if qualifiers else None,
                relations=sorted((labeller.property_label(p) for p in relations), key=lambda label: label.text),
            )
        )
    return sorted(rows, key=lambda row: (row.link.text.lower(), row.link.href))


def mark_pieces(text: str, wordings: list[str]) -> tuple[list[tuple[str, bool]], list[tuple[int, int]]]:
    """``text`` cut into (piece, marked) at the first occurrence of each wording, and the marked spans."""
    spans: list[tuple[int, int]] = []
    for wording in sorted({w for w in wordings if w}, key=len, reverse=True):
        at = text.find(wording)
        while at >= 0 and any(at < end and at + len(wording) > start for start, end in spans):
            at = text.find(wording, at + 1)
        if at >= 0:
            spans.append((at, at + len(wording)))
    spans.sort()
    pieces, position = [], 0
    for start, end in spans:
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces, spans


def sentence_view(
    store: ox.Store, sentence: str, wordings: list[str], project: Project, labeller: Labeller
) -> SentenceView | None:
    """The passage ``sentence`` with ``wordings`` marked; ``None`` when it has no text."""
    terms = project.provenance
    text = _literal_text(store, sentence, terms.text)
    if text is None:
        return None
    pieces, spans = mark_pieces(text, wordings)
    start = _integer(_literal_text(store, sentence, terms.start))
    parts_of = [labeller.link(o) for o in objects_in_store(store, sentence, str(DCTERMS.isPartOf))]
    return SentenceView(
        link=labeller.link(sentence),
        pieces=pieces,
        start=start,
        end=_integer(_literal_text(store, sentence, terms.end)),
        marked=[(start + a, start + b) for a, b in spans] if start is not None else [],
        found=bool(spans) or not any(wordings),
        parts_of=parts_of,
    )


def sentence_views(store: ox.Store, iri: str, project: Project, labeller: Labeller) -> list[SentenceView]:
    """For a figure: the passages it comes from, its wording marked. For a passage: itself, every figure marked."""
    figures, provenance = project.figures, project.provenance
    own_wording = _literal_text(store, iri, figures.wording)
    views = []
    if own_wording is not None:
        for source in objects_in_store(store, iri, figures.derived_from):
            view = sentence_view(store, str(source), [own_wording], project, labeller)
            if view is not None:
                views.append(view)
    elif _literal_text(store, iri, provenance.text) is not None:
        derived = subjects_in_store(store, figures.derived_from, URIRef(iri))
        wordings = [w for f in derived if (w := _literal_text(store, str(f), figures.wording))]
        view = sentence_view(store, iri, wordings, project, labeller)
        views = [view] if view else []
    return views


# The schema.org type of classes of other well-known vocabularies, for a class whose chain reaches no schema.org one.
SCHEMA_EQUIVALENTS: dict[str, str] = {
    "http://www.w3.org/ns/org#Organization": "Organization",
    "http://www.w3.org/ns/org#FormalOrganization": "Organization",
    "http://xmlns.com/foaf/0.1/Organization": "Organization",
    "http://xmlns.com/foaf/0.1/Person": "Person",
    "http://xmlns.com/foaf/0.1/Document": "CreativeWork",
    "http://www.w3.org/2004/02/skos/core#Concept": "DefinedTerm",
    "http://www.w3.org/ns/prov#Activity": "Action",
}


def _schema_types(store: ox.Store, types: list[URIRef]) -> list[str]:
    """The schema.org types of a resource: its own, or the nearest schema.org superclasses (or equivalents, see
    :data:`SCHEMA_EQUIVALENTS`) of its classes, following ``rdfs:subClassOf`` and ``owl:equivalentClass``."""
    found: set[str] = set()
    pending, seen = list(types), set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if str(cls).startswith(str(SCHEMA)):
            found.add(str(cls)[len(str(SCHEMA)) :])
            continue
        if str(cls) in SCHEMA_EQUIVALENTS:
            found.add(SCHEMA_EQUIVALENTS[str(cls)])
            continue
        for predicate in (RDFS.subClassOf, OWL.equivalentClass):
            pending.extend(o for o in objects_in_store(store, str(cls), str(predicate)) if isinstance(o, URIRef))
    return sorted(found) or ["Thing"]


def schema_org(store: ox.Store, iri: str, labeller: Labeller, project: Project) -> dict[str, Any]:
    """A schema.org JSON-LD summary of the resource, for search engines (names, type, url, sameAs, value)."""
    document: dict[str, Any] = {"@context": "https://schema.org", "@id": iri, "url": iri}
    document["@type"] = _schema_types(store, types_of(store, iri))
    names = [{"@language": tag, "@value": text} for tag, text in sorted(labeller.labels(iri).items()) if tag]
    if names:
        document["name"] = names
    same = sorted({str(o) for p in _SAME_AS for o in objects_in_store(store, iri, str(p)) if isinstance(o, URIRef)})
    if same:
        document["sameAs"] = same
    value = _literal_text(store, iri, project.figures.value)
    if value is not None:
        document["value"] = value
        units = objects_in_store(store, iri, project.figures.unit)
        if units:
            document["unitText"] = labeller.label(units[0]).text
    return document


def graph_subjects(store: ox.Store, iri: str, labeller: Labeller) -> list[ValueView]:
    """The named resources the graph ``iri`` says something about (at most :data:`GRAPH_SUBJECT_LIMIT`)."""
    subjects = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        if isinstance(q.subject, ox.NamedNode)
    }
    return sorted((labeller.link(s) for s in sorted(subjects)[:GRAPH_SUBJECT_LIMIT]), key=_text)


def resource_context(store: ox.Store, description: Description, project: Project, labeller: Labeller) -> dict:
    """Everything ``resource.html`` shows about ``description.iri``."""
    iri = description.iri
    lead = labeller.label_in(iri, labeller.language) or labeller.label(iri)
    second = labeller.label_in(iri, "en" if labeller.language == "zh" else "zh")
    return {
        "iri": iri,
        "lead": lead,
        "second": second if second and second.text != lead.text else None,
        "types": [labeller.link(t) for t in types_of(store, iri)],
        "properties": property_views(description.about, URIRef(iri), labeller, skip=frozenset({str(RDF.type)})),
        "inbound": inbound_groups(description, store, labeller),
        "inbound_total": description.inbound_total,
        "inbound_shown": len(description.inbound),
        "inbound_rest_url": sparql_url(inbound_query(iri)) if description.inbound_truncated else "",
        "figures": figure_rows(store, iri, project, labeller),
        "amount": figure_amount(store, iri, project, labeller) if is_figure(store, iri, project) else "",
        "sentences": sentence_views(store, iri, project, labeller),
        "graph_subjects": graph_subjects(store, iri, labeller) if description.is_graph_name else [],
        "schema_org": schema_org(store, iri, labeller, project),
    }
