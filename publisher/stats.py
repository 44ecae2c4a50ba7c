"""Counts for ``publisher stats``: instances by class, and the figures by unit with their totals.

Figures are found with the terms of ``[figures]`` in ``dataset.toml`` (class, value, unit, qualifier),
so nothing here knows what the dataset is about. Labels are shown in the languages of the dataset's title.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from publisher.project import Project
from publisher.query_cli import format_table

NO_UNIT = "(no unit)"


@dataclass(frozen=True)
class ClassCount:
    """How many resources are typed with one class."""

    iri: URIRef
    count: int
    labels: dict[str, str]


@dataclass
class UnitTotal:
    """The figures of one unit: how many, the sum of their values, and how many have each qualifier."""

    unit: URIRef | None
    labels: dict[str, str]
    figures: int = 0
    total: Decimal = Decimal(0)
    qualifiers: Counter[str] = field(default_factory=Counter)


def labels_of(graph: Graph, node: Node | None) -> dict[str, str]:
    """The node's labels (``rdfs:label``, else ``skos:prefLabel``) by language; the smallest per language."""
    found: dict[str, list[str]] = defaultdict(list)
    for predicate in (RDFS.label, SKOS.prefLabel):
        for label in graph.objects(node, predicate):
            if isinstance(label, Literal):
                found[label.language or ""].append(str(label))
        if found:
            break
    return {language: min(texts) for language, texts in found.items()}


def class_counts(data: Graph, vocabulary: Graph | None = None) -> list[ClassCount]:
    """Instances per class in ``data`` (asserted ``rdf:type``), most first, then by IRI; labels from either graph."""
    counts = Counter(o for s, o in data.subject_objects(RDF.type) if isinstance(o, URIRef))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    names = data + vocabulary if vocabulary is not None else data
    return [ClassCount(iri, count, labels_of(names, iri)) for iri, count in ordered]


def _number(node: Node | None) -> Decimal | None:
    if not isinstance(node, Literal):
        return None
    try:
        return Decimal(str(node))
    except InvalidOperation:
        return None


def figures_by_unit(graph: Graph, project: Project) -> list[UnitTotal]:
    """The figures grouped by unit, most figures first; qualifiers counted by their ``[figures.qualifiers]`` key."""
    terms = project.figures
    qualifier_keys = {URIRef(iri): key for key, iri in terms.qualifiers.items()}
    groups: dict[URIRef | None, UnitTotal] = {}
    for figure in set(graph.subjects(RDF.type, URIRef(terms.figure_class))):
        unit = graph.value(figure, URIRef(terms.unit))
        unit = unit if isinstance(unit, URIRef) else None
        group = groups.setdefault(unit, UnitTotal(unit, labels_of(graph, unit) if unit else {}))
        group.figures += 1
        value = _number(graph.value(figure, URIRef(terms.value)))
        if value is not None:
            group.total += value
        qualifier = graph.value(figure, URIRef(terms.qualifier))
        group.qualifiers[qualifier_keys.get(qualifier, "other") if isinstance(qualifier, URIRef) else "none"] += 1
    return sorted(groups.values(), key=lambda g: (-g.figures, str(g.unit or "")))


def format_number(value: Decimal) -> str:
    """``6800000.0`` -> ``6,800,000``; fractions kept."""
    normal = value.normalize()
    return f"{normal:,f}" if normal == normal.to_integral_value() else f"{value:,f}"


def _name(iri: URIRef | None, prefixes: Mapping[str, str]) -> str:
    if iri is None:
        return NO_UNIT
    matches = [(p, ns) for p, ns in prefixes.items() if str(iri).startswith(ns)]
    if not matches:
        return f"<{iri}>"
    prefix, namespace = max(matches, key=lambda item: len(item[1]))
    return f"{prefix}:{str(iri)[len(namespace) :]}"


def format_stats(data: Graph, ontology: Graph, project: Project, prefixes: Mapping[str, str]) -> str:
    """Both tables for ``data``, labelled from ``data`` and ``ontology``, as ``publisher stats`` prints them."""
    languages: Sequence[str] = list(project.title) or ["en"]
    classes = class_counts(data, ontology)
    graph = data + ontology
    rows = [[str(c.count), _name(c.iri, prefixes), *(c.labels.get(lang, "") for lang in languages)] for c in classes]
    lines = ["Resources by class", format_table(["count", "class", *languages], rows), ""]
    units = figures_by_unit(graph, project)
    keys = list(project.figures.qualifiers)
    keys += sorted({k for u in units for k in u.qualifiers} - set(keys))
    rows = [
        [
            _name(u.unit, prefixes),
            *(u.labels.get(lang, "") for lang in languages),
            str(u.figures),
            format_number(u.total),
            *(str(u.qualifiers.get(key, 0)) for key in keys),
        ]
        for u in units
    ]
    rows.append(
        [
            "all units",
            *("" for _ in languages),
            str(sum(u.figures for u in units)),
            "",
            *(str(sum(u.qualifiers.get(key, 0) for u in units)) for key in keys),
        ]
    )
    lines += ["Figures by unit", format_table(["unit", *languages, "figures", "sum of values", *keys], rows)]
    return "\n".join(lines)
