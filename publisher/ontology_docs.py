"""Documentation of an ontology and of the SHACL shapes, built from the data at request time.

An ontology's terms are those ``rdfs:isDefinedBy`` it or named under it (``<ontology>/Term``). Each class
and property is documented with labels, definitions, its place in the hierarchy, domain and range, how
often the data uses it, and the shapes that apply (``sh:targetClass``, and property shapes by
``sh:path``). Every term has an anchor (its local name) on the ontology's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from publisher.describe import cbd, types_of
from publisher.pages import (
    Label,
    Labeller,
    PropertyView,
    ValueView,
    objects_in_store,
    property_views,
    subjects_in_store,
)

CLASS_TYPES = {str(OWL.Class), str(RDFS.Class)}
PROPERTY_TYPES = {
    str(RDF.Property),
    str(OWL.ObjectProperty),
    str(OWL.DatatypeProperty),
    str(OWL.AnnotationProperty),
}
DEFINITION_PREDICATES = (SKOS.definition, RDFS.comment)
# The SHACL core constraint parameters a shapes page shows for a property shape (messages and queries are on the
# property shape's own page, so that a page of many shapes stays short).
CONSTRAINT_PARAMETERS = frozenset(
    str(SH[name])
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minExclusive",
        "minInclusive",
        "maxExclusive",
        "maxInclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "node",
        "hasValue",
        "in",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
    ]
)


@dataclass
class TermDoc:
    """The documentation of one class, property or other term."""

    anchor: str
    iri: str
    href: str
    lead: Label
    second: Label | None
    curie: str
    definitions: list[Label]
    kinds: list[ValueView]
    facts: list[tuple[str, list[ValueView]]] = field(default_factory=list)
    section: str = "other_terms"
    usage: int = 0
    usage_unit: str = "references"
    shapes: list[ValueView] = field(default_factory=list)


Constraint = tuple[ValueView, list[PropertyView], ValueView | None]


@dataclass
class ShapeDoc:
    """The documentation of one node shape: its intent, target classes and property constraints."""

    anchor: str
    iri: str
    href: str
    lead: Label
    definitions: list[Label]
    targets: list[ValueView]
    messages: list[Label]
    constraints: list[Constraint]


def find_ontologies(store: ox.Store) -> list[str]:
    """The IRIs of every ``owl:Ontology`` in the data, sorted."""
    return sorted({str(s) for s in subjects_in_store(store, str(RDF.type), OWL.Ontology) if isinstance(s, URIRef)})


def ontology_of(store: ox.Store, iri: str) -> str | None:
    """The ontology that defines the term ``iri`` (by ``rdfs:isDefinedBy`` or by its namespace), if any."""
    ontologies = find_ontologies(store)
    for defined_by in objects_in_store(store, iri, str(RDFS.isDefinedBy)):
        if str(defined_by) in ontologies:
            return str(defined_by)
    for ontology in ontologies:
        if iri != ontology and iri.startswith((ontology + "/", ontology + "#")):
            return ontology
    return None


def anchor_of(iri: str) -> str:
    """The local name of a term: the part after the last ``/`` or ``#``."""
    return iri[max(iri.rfind("/"), iri.rfind("#")) + 1 :] or iri


def ontology_terms(store: ox.Store, ontology: str) -> list[str]:
    """The terms of ``ontology``, sorted by IRI."""
    defined = {str(s) for s in subjects_in_store(store, str(RDFS.isDefinedBy), URIRef(ontology))}
    named = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith((ontology + "/", ontology + "#"))
    }
    return sorted((defined | named) - {ontology})


def _definitions(store: ox.Store, iri: str, language: str) -> list[Label]:
    found = [o for p in DEFINITION_PREDICATES for o in objects_in_store(store, iri, str(p)) if isinstance(o, Literal)]
    own = [Label(str(o), o.language or "") for o in found if (o.language or "").startswith(language)]
    return own or [Label(str(o), o.language or "") for o in found[:1]]


def _links(labeller: Labeller, nodes: list) -> list[ValueView]:
    return [labeller.link(n) for n in nodes if isinstance(n, URIRef)]


def _count_distinct(quads: object) -> int:
    """Triples, not quads: the same triple in two graphs counts once."""
    return len({(q.subject, q.predicate, q.object) for q in quads})  # type: ignore[attr-defined]


def shapes_for_class(store: ox.Store, iri: str) -> list[URIRef | BNode]:
    """The node shapes whose ``sh:targetClass`` is ``iri``."""
    return subjects_in_store(store, str(SH.targetClass), URIRef(iri))


def shapes_for_property(store: ox.Store, iri: str) -> list[URIRef | BNode]:
    """The node shapes with a property shape whose ``sh:path`` is ``iri``."""
    holders: set[URIRef | BNode] = set()
    for property_shape in subjects_in_store(store, str(SH.path), URIRef(iri)):
        holders.update(subjects_in_store(store, str(SH.property), property_shape))  # type: ignore[arg-type]
    return sorted(holders, key=str)


def document_term(store: ox.Store, iri: str, labeller: Labeller) -> TermDoc:
    """The documentation of one term (see the module docstring)."""
    t = labeller.language
    types = {str(x) for x in types_of(store, iri)}
    lead = labeller.label_in(iri, t) or labeller.label(iri)
    second = labeller.label_in(iri, "en" if t == "zh" else "zh")
    doc = TermDoc(
        anchor=anchor_of(iri),
        iri=iri,
        href=labeller.link(iri).href,
        lead=lead,
        second=second if second and second.text != lead.text else None,
        curie=labeller.curie(iri),
        definitions=_definitions(store, iri, t),
        kinds=_links(labeller, sorted(types)),
    )
    node = ox.NamedNode(iri)
    if types & CLASS_TYPES:
        doc.facts = [
            ("superclasses", _links(labeller, objects_in_store(store, iri, str(RDFS.subClassOf)))),
            ("subclasses", _links(labeller, subjects_in_store(store, str(RDFS.subClassOf), URIRef(iri)))),
            ("properties", _links(labeller, subjects_in_store(store, str(RDFS.domain), URIRef(iri)))),
        ]
        doc.usage = len({q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), node, None)})
        doc.usage_unit = "instances"
        doc.section = "classes"
        doc.shapes = _links(labeller, shapes_for_class(store, iri))
    elif types & PROPERTY_TYPES:
        doc.facts = [
            ("superproperties", _links(labeller, objects_in_store(store, iri, str(RDFS.subPropertyOf)))),
            ("domain", _links(labeller, objects_in_store(store, iri, str(RDFS.domain)))),
            ("range", _links(labeller, objects_in_store(store, iri, str(RDFS.range)))),
        ]
        doc.usage = _count_distinct(store.quads_for_pattern(None, node, None, None))
        doc.usage_unit = "triples"
        doc.section = "properties"
        doc.shapes = _links(labeller, shapes_for_property(store, iri))
    else:
        doc.usage = _count_distinct(store.quads_for_pattern(None, None, node, None))
    doc.facts = [(key, values) for key, values in doc.facts if values]
    return doc


def ontology_context(store: ox.Store, ontology: str, labeller: Labeller) -> dict:
    """Everything ``ontology.html`` shows: the ontology's own properties, and its classes, properties, others."""
    docs = [document_term(store, term, labeller) for term in ontology_terms(store, ontology)]
    sections = [(key, [d for d in docs if d.section == key]) for key in ("classes", "properties", "other_terms")]
    about = cbd(store, URIRef(ontology))
    return {
        "ontology": ontology,
        "properties_of_ontology": property_views(about, URIRef(ontology), labeller, skip=frozenset({str(RDF.type)})),
        "sections": sections,
        "class_tree": class_tree(store, sections[0][1]),
    }


TreeNode = tuple[TermDoc, list["TreeNode"]]


def class_tree(store: ox.Store, classes: list[TermDoc]) -> list[TreeNode]:
    """The ontology's classes as a tree by ``rdfs:subClassOf``: roots are those with no superclass among them.
    A class with several superclasses appears under each; a cycle is cut where it closes."""
    by_iri = {doc.iri: doc for doc in classes}
    children: dict[str, list[str]] = {iri: [] for iri in by_iri}
    roots = []
    for iri in by_iri:
        parents = [str(o) for o in objects_in_store(store, iri, str(RDFS.subClassOf)) if str(o) in by_iri]
        for parent in parents:
            children[parent].append(iri)
        if not parents:
            roots.append(iri)

    def grow(iri: str, path: frozenset[str]) -> TreeNode:
        kids = sorted((c for c in children[iri] if c not in path), key=lambda c: by_iri[c].lead.text.lower())
        return by_iri[iri], [grow(c, path | {c}) for c in kids]

    return [grow(r, frozenset({r})) for r in sorted(roots, key=lambda r: by_iri[r].lead.text.lower())]


def node_shapes(store: ox.Store, namespace: str | None = None) -> list[str]:
    """Every named ``sh:NodeShape`` in the data (only those named under ``namespace`` if given), sorted."""
    shapes = {str(s) for s in subjects_in_store(store, str(RDF.type), SH.NodeShape) if isinstance(s, URIRef)}
    if namespace is not None:
        shapes = {s for s in shapes if s.startswith((namespace + "/", namespace + "#"))}
    return sorted(shapes)


def document_property_shape(store: ox.Store, property_shape: URIRef | BNode, labeller: Labeller) -> Constraint:
    """A property shape as its path, its core constraint parameters, and (if it is named) a link to its page."""
    description = cbd(store, property_shape)
    paths = list(description.objects(property_shape, SH.path))
    path_view = labeller.link(paths[0]) if paths and isinstance(paths[0], URIRef) else ValueView(text="…")
    shown = {str(p) for p in description.predicates(property_shape) if str(p) in CONSTRAINT_PARAMETERS}
    skip = frozenset(str(p) for p in description.predicates(property_shape)) - shown
    rows = property_views(description, property_shape, labeller, skip=skip)
    own_page = labeller.link(property_shape) if isinstance(property_shape, URIRef) else None
    if own_page is not None:
        curie = labeller.curie(str(property_shape))
        own_page.text = curie if curie != str(property_shape) else anchor_of(curie)
    return path_view, rows, own_page


def document_shape(
    store: ox.Store, iri: str, labeller: Labeller, shared: dict[URIRef | BNode, Constraint] | None = None
) -> ShapeDoc:
    """The documentation of one node shape; its property shapes may be blank nodes or named. ``shared`` keeps the
    property shapes already documented for this page (named ones are often used by many node shapes)."""
    shared = {} if shared is None else shared
    constraints = []
    for property_shape in objects_in_store(store, iri, str(SH.property)):
        if isinstance(property_shape, Literal):
            continue
        if property_shape not in shared:
            shared[property_shape] = document_property_shape(store, property_shape, labeller)
        constraints.append(shared[property_shape])
    constraints.sort(key=lambda item: item[0].text.lower())
    messages = [
        Label(str(o), o.language or "") for o in objects_in_store(store, iri, str(SH.message)) if isinstance(o, Literal)
    ]
    return ShapeDoc(
        anchor=anchor_of(iri),
        iri=iri,
        href=labeller.link(iri).href,
        lead=labeller.label(iri),
        definitions=_definitions(store, iri, labeller.language),
        targets=_links(labeller, objects_in_store(store, iri, str(SH.targetClass))),
        messages=[m for m in messages if m.lang.startswith(labeller.language)] or messages,
        constraints=constraints,
    )


def shapes_graphs(store: ox.Store) -> list[str]:
    """The named graphs that hold node shapes."""
    shape_type = ox.NamedNode(str(SH.NodeShape))
    quads = store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), shape_type, None)
    return sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
