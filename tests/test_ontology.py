"""The ontology: its header, every local term documented in both languages, every term the project uses declared,
and a node shape for every class."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH

from publisher.project import Project
from publisher.rdf_files import load_graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_IRI = URIRef("https://w3id.org/shaanxi-unions/ontology")
SHAPES_IRI = URIRef("https://w3id.org/shaanxi-unions/shapes")
SUO = Namespace("https://w3id.org/shaanxi-unions/ontology/")
VANN = Namespace("http://purl.org/vocab/vann/")
LOCAL_TERM = re.compile(r"(?:\bsuo:|<https://w3id\.org/shaanxi-unions/ontology/)([A-Za-z][\w-]*)")


@cache
def ontology() -> Graph:
    return load_graph([ROOT / "ontology" / "ontology.ttl"])


@cache
def shapes() -> Graph:
    return load_graph([ROOT / "shapes" / "shapes.ttl"])


def data_files() -> list[Path]:
    return sorted((ROOT / "data").glob("*.ttl"))


def local_terms() -> list[URIRef]:
    """Every suo: IRI the ontology describes."""
    return sorted({s for s in ontology().subjects() if isinstance(s, URIRef) and s.startswith(str(SUO))})


def declared(term: URIRef) -> bool:
    return (term, RDF.type, None) in ontology()


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted(o.language or "" for o in graph.objects(subject, predicate) if isinstance(o, Literal))


def test_the_ontology_header_has_every_field() -> None:
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    for predicate in (DCTERMS.title, DCTERMS.description, RDFS.label):
        assert languages(graph, ONTOLOGY_IRI, predicate) == ["en", "zh"], predicate
    for predicate in (RDFS.comment, DCTERMS.creator, OWL.versionInfo):
        assert graph.value(ONTOLOGY_IRI, predicate) is not None, predicate
    assert graph.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(ONTOLOGY_IRI, DCTERMS.modified).datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert graph.value(ONTOLOGY_IRI, SH.suggestedShapesGraph) == SHAPES_IRI
    assert graph.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("suo")


def test_the_ontology_names_the_shapes_graph_the_shapes_declare() -> None:
    assert (SHAPES_IRI, RDF.type, OWL.Ontology) in shapes()


@pytest.mark.parametrize("term", local_terms(), ids=lambda term: term.removeprefix(str(SUO)))
def test_every_local_term_has_labels_definitions_and_its_definer(term: URIRef) -> None:
    graph = ontology()
    assert declared(term), f"{term} is described but has no rdf:type"
    assert languages(graph, term, RDFS.label) == ["en", "zh"], "one rdfs:label @zh and one @en"
    assert languages(graph, term, SKOS.definition) == ["en", "zh"], "one skos:definition @zh and one @en"
    assert graph.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI
    assert graph.value(term, RDFS.comment) is not None, "a comment saying why the term exists"


def test_every_local_class_specialises_a_reused_or_local_class() -> None:
    graph = ontology()
    classes = [c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(SUO))]
    assert len(classes) >= 30
    orphans = sorted(str(c) for c in classes if graph.value(c, RDFS.subClassOf) is None)
    assert not orphans, f"classes without rdfs:subClassOf: {orphans}"


def test_every_local_property_has_a_domain_or_a_range() -> None:
    graph = ontology()
    properties = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in graph.subjects(RDF.type, kind)
        if str(p).startswith(str(SUO))
    }
    assert {SUO[name] for name in ("unit", "qualifier", "originalWording", "measureWord", "divisionCode")} <= properties
    bare = sorted(
        str(p) for p in properties if graph.value(p, RDFS.domain) is None and graph.value(p, RDFS.range) is None
    )
    assert not bare, f"properties with neither domain nor range: {bare}"


def used_local_terms() -> dict[str, set[str]]:
    """Each suo: term used in data/, shapes/ and queries/, with the files that use it."""
    files = [*data_files(), *sorted((ROOT / "shapes").glob("*.ttl")), *sorted((ROOT / "queries").glob("*.rq"))]
    used: dict[str, set[str]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ttl":
            names = {str(t).removeprefix(str(SUO)) for t in set(load_graph([path]).all_nodes()) if _is_local(t)}
        else:
            names = set(LOCAL_TERM.findall(text))
        for name in names:
            used.setdefault(name, set()).add(path.relative_to(ROOT).as_posix())
    return used


def _is_local(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(SUO))


def test_every_suo_term_used_in_data_shapes_and_queries_is_declared() -> None:
    used = used_local_terms()
    assert "Figure" in used, "the shapes, at least, use suo:Figure"
    missing = {name: sorted(files) for name, files in used.items() if not declared(SUO[name])}
    assert not missing, f"suo: terms used but not declared in ontology/ontology.ttl: {missing}"


def test_the_terms_the_project_file_names_are_declared(project: Project) -> None:
    figures = project.figures
    terms = [figures.figure_class, figures.unit, figures.qualifier, figures.wording, figures.measure_word]
    terms += list(figures.qualifiers.values())
    missing = [term for term in terms if term.startswith(str(SUO)) and not declared(URIRef(term))]
    assert not missing, f"dataset.toml names terms the ontology does not declare: {missing}"


def classes_the_data_uses() -> set[URIRef]:
    files = data_files()
    if not files:
        return set()
    return {c for c in load_graph(files).objects(None, RDF.type) if isinstance(c, URIRef)}


def targeted_classes() -> set[URIRef]:
    graph = shapes()
    return {
        c
        for shape in graph.subjects(RDF.type, SH.NodeShape)
        for c in graph.objects(shape, SH.targetClass)
        if isinstance(c, URIRef)
    }


def test_every_class_the_data_uses_has_a_node_shape() -> None:
    if not (ROOT / "data" / "article.ttl").is_file():
        pytest.skip("data/article.ttl does not exist yet: the data is written in parallel (issue 2)")
    unshaped = sorted(str(c) for c in classes_the_data_uses() - targeted_classes())
    assert not unshaped, f"classes used in data/ without a node shape targeting them: {unshaped}"


def test_every_local_class_has_a_node_shape() -> None:
    local_classes = {c for c in ontology().subjects(RDF.type, OWL.Class) if _is_local(c)}
    unshaped = sorted(str(c) for c in local_classes - targeted_classes())
    assert not unshaped, f"ontology classes without a node shape: {unshaped}"


def scheme_members(scheme: URIRef) -> set[URIRef]:
    return {c for c in ontology().subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}


def allowed_values(property_shape: str) -> set[URIRef]:
    graph = shapes()
    head = graph.value(URIRef(f"https://w3id.org/shaanxi-unions/shapes/{property_shape}"), SH["in"])
    assert head is not None, f"{property_shape} has no sh:in"
    return {v for v in graph.items(head) if isinstance(v, URIRef)}


def test_the_units_a_figure_may_have_are_the_units_of_the_ontology() -> None:
    units = scheme_members(SUO.units)
    assert len(units) >= 15
    assert allowed_values("Figure-unit") == units
    assert all((u, RDF.type, SUO.Unit) in ontology() for u in units)


def test_the_qualifiers_a_figure_may_have_are_the_qualifiers_of_the_ontology() -> None:
    qualifiers = scheme_members(SUO.qualifiers)
    assert {SUO.exactly, SUO.moreThan, SUO.nearly} <= qualifiers
    assert allowed_values("Figure-qualifier") == qualifiers


def test_every_unit_has_measure_words_and_yuan_its_currency_code() -> None:
    graph = ontology()
    for unit in scheme_members(SUO.units):
        assert list(graph.objects(unit, SUO.measureWord)), f"{unit} has no suo:measureWord"
        assert languages(graph, unit, SKOS.prefLabel) == ["en", "zh"], unit
    assert graph.value(SUO.yuan, SKOS.notation) == Literal("CNY")
    assert set(graph.objects(SUO.event, SUO.measureWord)) == {Literal("场"), Literal("次"), Literal("场(次)")}


def test_every_unit_and_qualifier_named_in_the_data_model_is_in_the_ontology() -> None:
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    units = re.search(r"^## Units.*?(?=^## )", model, re.MULTILINE | re.DOTALL)
    qualifiers = re.search(r"^## Qualifiers.*?(?=^## )", model, re.MULTILINE | re.DOTALL)
    assert units and qualifiers
    for section, scheme in ((units.group(0), SUO.units), (qualifiers.group(0), SUO.qualifiers)):
        named = {SUO[name] for name in re.findall(r"`suo:([a-z]\w*)`", section)} - {scheme, SUO.measureWord}
        assert named, section
        assert named <= scheme_members(scheme), sorted(named - scheme_members(scheme))
