"""The SHACL shapes: each case in tests/shapes/ conforms or is rejected by the shapes it names; the real data conforms.

A case file is a small self-contained data graph whose header says what must happen::

    # expect: conforms
    # expect: violation sus:FigureShape [sus:OtherShape ...]

For a violation case the named node shapes must each report, and every violation must come from one of them
(the node shape itself, or one of its property shapes on one of its targets), so a case cannot pass because of
an unrelated slip in its own data. Validation goes through :func:`publisher.validation.validate`, the function
the command line uses.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from publisher.rdf_files import load_graph
from publisher.validation import ValidationReport, Violation, validate

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "shapes"
SHAPES_FILE = ROOT / "shapes" / "shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "ontology.ttl"
DATA_DIR = ROOT / "data"
ARTICLE_FILE = DATA_DIR / "article.ttl"
SCHEMA_VALUE = URIRef("http://schema.org/value")
FIGURE = URIRef("https://w3id.org/shaanxi-unions/ontology/Figure")
EXPECT_LINE = re.compile(r"^# expect: (conforms|violation((?: \S+)+))\s*$", re.MULTILINE)


@cache
def shapes_graph() -> Graph:
    return load_graph([SHAPES_FILE])


@cache
def ontology_graph() -> Graph:
    return load_graph([ONTOLOGY_FILE])


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.ttl"))


def expectation(case: Path) -> tuple[str, ...]:
    """The node shapes a case expects to report, as IRIs; empty when it expects to conform."""
    match = EXPECT_LINE.search(case.read_text(encoding="utf-8"))
    if match is None:
        raise AssertionError(f"{case.name}: no '# expect: conforms' or '# expect: violation sus:XShape' line")
    if match.group(1) == "conforms":
        return ()
    shapes = shapes_graph()
    return tuple(str(shapes.namespace_manager.expand_curie(name)) for name in match.group(2).split())


def _names(data: Graph) -> Graph:
    """The prefixes :func:`validate` shows names with, to turn its CURIEs back into IRIs."""
    names = Graph()
    for source in (data, shapes_graph()):
        for prefix, namespace in source.namespaces():
            names.bind(prefix, namespace, override=False)
    return names


def _iri(names: Graph, shown: str) -> URIRef:
    if shown.startswith("<") and shown.endswith(">"):
        return URIRef(shown[1:-1])
    return names.namespace_manager.expand_curie(shown)


def _is_target(world: Graph, focus: URIRef, node_shape: URIRef) -> bool:
    """Whether ``focus`` is an instance of a target class of ``node_shape``, as RDFS inference would find."""
    classes = set(shapes_graph().objects(node_shape, SH.targetClass))
    declared = set(world.objects(focus, RDF.type))
    declared |= {c for p in world.predicates(object=focus) for c in world.objects(p, RDFS.range)}
    declared |= {c for p in world.predicates(subject=focus) for c in world.objects(p, RDFS.domain)}
    return any(classes & set(world.transitive_objects(c, RDFS.subClassOf)) for c in declared)


def reported_by(violation: Violation, node_shape: URIRef, data: Graph, world: Graph) -> bool:
    """Whether ``violation`` comes from ``node_shape``: from itself, or from one of its property shapes on a target."""
    names = _names(data)
    source = _iri(names, violation.shape)
    if source == node_shape:
        return True
    if (node_shape, SH.property, source) not in shapes_graph():
        return False
    return _is_target(world, _iri(names, violation.focus), node_shape)


def run(data: Graph) -> ValidationReport:
    return validate(data, shapes_graph(), ontology_graph())


def all_node_shapes() -> set[URIRef]:
    return {s for s in shapes_graph().subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}


@pytest.mark.parametrize("case", case_files(), ids=lambda path: path.stem)
def test_case_conforms_or_is_rejected_by_the_shapes_it_names(case: Path) -> None:
    data = load_graph([case])
    expected = expectation(case)
    report = run(data)
    if not expected:
        assert report.conforms, report.plain_text()
        return
    assert not report.conforms, f"{case.name} should not conform"
    world = data + ontology_graph()
    for node_shape in expected:
        assert any(reported_by(v, URIRef(node_shape), data, world) for v in report.violations), (
            f"{case.name}: no violation from {node_shape}:\n{report.plain_text()}"
        )
    stray = [v for v in report.violations if not any(reported_by(v, URIRef(shape), data, world) for shape in expected)]
    assert not stray, f"{case.name}: violations from shapes it does not name:\n" + "\n".join(v.plain() for v in stray)


def test_every_node_shape_has_a_case_it_rejects() -> None:
    """A new shape without a broken-data case fails the suite."""
    covered = {URIRef(shape) for case in case_files() for shape in expectation(case)}
    missing = sorted(str(shape) for shape in all_node_shapes() - covered)
    assert not missing, f"node shapes with no case in tests/shapes/: {missing}"


def test_there_are_conforming_cases() -> None:
    assert sum(1 for case in case_files() if not expectation(case)) >= 3


def test_every_property_shape_says_what_is_expected() -> None:
    shapes = shapes_graph()
    silent = sorted(
        str(shape)
        for shape in set(shapes.subjects(SH.path, None))
        if not any(isinstance(m, Literal) and len(str(m)) > 20 for m in shapes.objects(shape, SH.message))
    )
    assert not silent, f"property shapes without a plain-words sh:message: {silent}"


def test_every_sparql_constraint_has_a_message_and_prefixes() -> None:
    shapes = shapes_graph()
    constraints = list(shapes.objects(None, SH.sparql))
    assert constraints
    for constraint in constraints:
        assert shapes.value(constraint, SH.message) is not None
        assert shapes.value(constraint, SH.prefixes) is not None


def test_every_class_node_shape_is_closed_and_documented() -> None:
    shapes = shapes_graph()
    for shape in all_node_shapes():
        assert shapes.value(shape, RDFS.label) is not None, shape
        assert shapes.value(shape, RDFS.comment) is not None, shape
        assert shapes.value(shape, RDFS.seeAlso) is not None, shape
        if (shape, SH.sparql, None) not in shapes:
            assert shapes.value(shape, SH.closed) == Literal(True), f"{shape} is not closed"
            assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"


def test_a_violation_names_resource_property_expectation_and_finding() -> None:
    data = load_graph([CASES / "figure-value-an-integer.ttl"])
    report = run(data)
    text = report.plain_text()
    assert "sur:figure-shangluo-donations" in text
    assert "value" in text
    assert "a non-negative xsd:decimal in base units" in text
    assert '"6800000"^^xsd:integer' in text


def test_the_digits_rule_names_the_value_and_the_wording() -> None:
    report = run(load_graph([CASES / "figure-digits-disagree.ttl"]))
    [violation] = [v for v in report.violations if v.shape == "sus:FigureDigitsShape"]
    assert "figure-shangluo-donations" in violation.message, "the message names the figure at fault"
    assert "6900000" in violation.message
    assert "680余万元" in violation.message
    assert "69" in violation.message


def real_data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.ttl"))


def _require_article() -> None:
    if not ARTICLE_FILE.is_file():
        pytest.skip("data/article.ttl does not exist yet: the data is written in parallel (issue 2)")


def test_the_real_data_conforms() -> None:
    _require_article()
    report = run(load_graph(real_data_files()))
    assert report.conforms, report.plain_text()


def test_removing_a_figures_value_from_a_copy_of_the_real_data_makes_it_fail() -> None:
    _require_article()
    data = load_graph(real_data_files())
    figure = next(iter(sorted(data.subjects(RDF.type, FIGURE))))
    broken = copy.deepcopy(data)
    broken.remove((figure, SCHEMA_VALUE, None))
    report = run(broken)
    assert not report.conforms
    assert any(v.shape == "sus:Figure-value" and figure.endswith(v.focus.split(":")[-1]) for v in report.violations)
