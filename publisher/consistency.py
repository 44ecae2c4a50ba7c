"""Checks of the data against its source that SHACL cannot make: figures against wording, passages against text.

Each check returns a list of problems in plain words, each naming the resource (empty list: all is well). The IRIs
come from the project (``[figures]`` and ``[provenance]`` in ``dataset.toml``), never from this module:

- :func:`check_figures` reads each figure's original wording with :func:`publisher.quantity.parse_quantity` and
  compares the stated value, qualifier and unit with what the wording says;
- :func:`check_passages` compares each passage's stated text with the source text at its code-point offsets;
- :func:`read_source` reads the source text exactly as it is on disk (UTF-8, no newline translation).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.errors import InputError
from publisher.project import Project
from publisher.quantity import Quantity, QuantityError, parse_quantity

SHOWN_CHARACTERS = 30  # how much of a passage a problem quotes
CONTEXT_CHARACTERS = 10  # how much of it comes before the first difference


def check_figures(graph: Graph, project: Project) -> list[str]:
    """Problems with the figures in ``graph``: a wording that does not parse, or a value, qualifier or unit that
    disagrees with it. A figure is an instance of ``project.figures.figure_class`` or of a subclass the graph
    declares with ``rdfs:subClassOf``."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, URIRef(project.figures.figure_class)))
    figures = {figure for figure_class in classes for figure in graph.subjects(RDF.type, figure_class)}
    problems: list[str] = []
    for figure in sorted(figures, key=str):
        problems.extend(_check_figure(graph, project, figure))
    return problems


def _check_figure(graph: Graph, project: Project, figure: Node) -> list[str]:
    terms = project.figures
    name = figure.n3()
    wordings = list(graph.objects(figure, URIRef(terms.wording)))
    if len(wordings) != 1:
        found = "no original wording" if not wordings else f"{len(wordings)} original wordings ({_listed(wordings)})"
        return [f"Figure {name} has {found} (<{terms.wording}>), but needs exactly one to check its value against."]
    wording = str(wordings[0])
    try:
        quantity = parse_quantity(wording)
    except QuantityError as exc:
        return [f"Figure {name}: {exc}"]
    return [
        *_check_value(graph, project, figure, quantity),
        *_check_qualifier(graph, project, figure, quantity),
        *_check_unit(graph, project, figure, quantity),
    ]


def _check_value(graph: Graph, project: Project, figure: Node, quantity: Quantity) -> list[str]:
    value_iri = project.figures.value
    name, says = figure.n3(), f"its wording {quantity.wording!r} says {quantity.value}"
    values = list(graph.objects(figure, URIRef(value_iri)))
    if len(values) != 1:
        found = "no value" if not values else f"{len(values)} values ({_listed(values)})"
        return [f"Figure {name} has {found} (<{value_iri}>), but needs exactly one; {says}."]
    stated = _as_decimal(values[0])
    if stated is None:
        return [f"Figure {name}: the value {str(values[0])!r} is not a number; {says}."]
    if stated != quantity.value:
        return [f"Figure {name}: the value is {stated}, but {says}."]
    return []


def _check_qualifier(graph: Graph, project: Project, figure: Node, quantity: Quantity) -> list[str]:
    terms = project.figures
    name, says = figure.n3(), f"its wording {quantity.wording!r} says {quantity.qualifier}"
    expected = terms.qualifiers.get(quantity.qualifier)
    if expected is None:
        return [
            f"Figure {name}: {says}, a qualifier with no IRI in the project; add '{quantity.qualifier}' to "
            f"[figures.qualifiers] in {project.root / 'dataset.toml'}."
        ]
    found = list(graph.objects(figure, URIRef(terms.qualifier)))
    if found == [URIRef(expected)]:
        return []
    stated = "no qualifier" if not found else f"the qualifier {_listed(found)}"
    return [f"Figure {name} has {stated}, but {says} (<{expected}>)."]


def _check_unit(graph: Graph, project: Project, figure: Node, quantity: Quantity) -> list[str]:
    terms = project.figures
    if not quantity.measure_word:
        return []
    name, uses = figure.n3(), f"its wording {quantity.wording!r} counts in {quantity.measure_word!r}"
    units = sorted(graph.objects(figure, URIRef(terms.unit)), key=str)
    if not units:
        return [f"Figure {name} has no unit (<{terms.unit}>), but {uses}."]
    accepted = {str(word) for unit in units for word in graph.objects(unit, URIRef(terms.measure_word))}
    if quantity.measure_word in accepted:
        return []
    listed = ", ".join(repr(word) for word in sorted(accepted)) or "none"
    return [f"Figure {name}: its unit {_listed(units)} takes the measure words {listed}, but {uses}."]


def check_passages(graph: Graph, project: Project, source_text: str) -> list[str]:
    """Problems with the passages in ``graph``: offsets that are not integers, not inside ``source_text`` or not in
    order, and stated text that differs from the source text between the offsets (language tags aside)."""
    terms = project.provenance
    predicates = {"text": URIRef(terms.text), "start": URIRef(terms.start), "end": URIRef(terms.end)}
    passages = {subject for predicate in predicates.values() for subject in graph.subjects(predicate, None)}
    problems: list[str] = []
    for passage in sorted(passages, key=str):
        problem = _check_passage(graph, passage, predicates, source_text)
        if problem:
            problems.append(problem)
    return problems


def _check_passage(graph: Graph, passage: Node, predicates: dict[str, URIRef], source_text: str) -> str | None:
    name = passage.n3()
    found: dict[str, Node] = {}
    for part, predicate in predicates.items():
        objects = list(graph.objects(passage, predicate))
        if len(objects) != 1:
            count = "no" if not objects else f"{len(objects)} ({_listed(objects)})"
            return f"Passage {name} has {count} {part} (<{predicate}>); a passage needs one text, start and end."
        found[part] = objects[0]
    offsets: dict[str, int] = {}
    for part in ("start", "end"):
        offset = _as_integer(found[part])
        if offset is None:
            return f"Passage {name}: the {part} offset {str(found[part])!r} is not an integer."
        offsets[part] = offset
    start, end = offsets["start"], offsets["end"]
    if start < 0 or end > len(source_text):
        return (
            f"Passage {name}: the offsets {start}–{end} do not lie within the source text, "
            f"which has {len(source_text)} characters (0–{len(source_text)})."
        )
    if start >= end:
        return f"Passage {name}: the start offset {start} is not before the end offset {end}."
    expected, actual = str(found["text"]), source_text[start:end]
    if actual == expected:
        return None
    differs = next((i for i, (one, other) in enumerate(zip(actual, expected, strict=False)) if one != other), None)
    if differs is None:
        differs = min(len(actual), len(expected))
    where = source_text.find(expected)
    hint = f" The stated text is at {where}–{where + len(expected)}." if where >= 0 else ""
    return (
        f"Passage {name}: the source text at {start}–{end} is {_excerpt(actual, differs)!r}, "
        f"but the data states {_excerpt(expected, differs)!r} (they differ from character {differs} on).{hint}"
    )


def read_source(project: Project) -> str:
    """The project's source text, decoded as strict UTF-8 and otherwise exactly as on disk (offsets count in it).

    Raises :class:`InputError` naming the file when it is missing, unreadable or not UTF-8.
    """
    path = project.source
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"The source text {path} does not exist; dataset.source in dataset.toml names it.") from exc
    except OSError as exc:
        raise InputError(f"Cannot read the source text {path}: {exc.strerror or exc}.") from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"The source text {path} is not UTF-8: byte 0x{raw[exc.start]:02x} at line {line} (byte {exc.start})."
        ) from exc


def _as_decimal(node: Node) -> Decimal | None:
    if not isinstance(node, Literal):
        return None
    try:
        number = Decimal(str(node).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _as_integer(node: Node) -> int | None:
    text = str(node).strip() if isinstance(node, Literal) else ""
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits.isascii() and digits.isdigit() else None


def _listed(nodes: list[Node]) -> str:
    return ", ".join(node.n3() if not isinstance(node, Literal) else repr(str(node)) for node in sorted(nodes, key=str))


def _excerpt(text: str, differs: int) -> str:
    """At most :data:`SHOWN_CHARACTERS` of ``text``, starting a little before the character where it differs."""
    start = max(0, differs - CONTEXT_CHARACTERS)
    end = start + SHOWN_CHARACTERS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
