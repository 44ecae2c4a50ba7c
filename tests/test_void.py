"""The dataset description (void.ttl): VoID and DCAT statements checked against the built files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, SKOS, VOID, XSD

from publisher.build import read_inputs
from publisher.errors import ConfigurationError
from publisher.project import Project
from publisher.void import (
    DumpFile,
    describe_dataset,
    dump_media_type,
    link_targets,
    unlinked_namespaces,
)

SPDX = Namespace("http://spdx.org/rdf/terms#")
SCHEMA = Namespace("http://schema.org/")


@pytest.fixture(scope="module")
def void(built_tiny_project: Project) -> Graph:
    return Graph().parse(built_tiny_project.dist_dir / "void.ttl")


@pytest.fixture(scope="module")
def content(built_tiny_project: Project) -> Graph:
    return Graph().parse(built_tiny_project.dist_dir / "dataset.ttl")


def dataset(project: Project) -> URIRef:
    return URIRef(f"{project.base}dataset")


def test_dataset_is_a_void_and_dcat_dataset_with_titles_in_both_languages(
    void: Graph, built_tiny_project: Project
) -> None:
    ds = dataset(built_tiny_project)
    assert {VOID.Dataset, DCAT.Dataset} <= set(void.objects(ds, RDF.type))
    titles = {t.language: str(t) for t in void.objects(ds, DCTERMS.title)}
    assert titles == built_tiny_project.title
    descriptions = {d.language: str(d) for d in void.objects(ds, DCTERMS.description)}
    assert descriptions == built_tiny_project.description
    assert void.value(ds, DCTERMS.license) == URIRef(built_tiny_project.license)
    assert {str(k) for k in void.objects(ds, DCAT.keyword)} == set(built_tiny_project.keywords)


def test_triple_count_equals_the_triples_of_the_published_content(
    void: Graph, content: Graph, built_tiny_project: Project
) -> None:
    ds = dataset(built_tiny_project)
    assert void.value(ds, VOID.triples).toPython() == len(content)
    assert void.value(ds, VOID.distinctSubjects).toPython() == len(set(content.subjects()))
    assert void.value(ds, VOID.properties).toPython() == len(set(content.predicates()))
    assert void.value(ds, VOID.classes).toPython() == len(set(content.objects(None, RDF.type)))


def test_class_partition_counts_the_instances_of_each_class(
    void: Graph, content: Graph, built_tiny_project: Project
) -> None:
    ds = dataset(built_tiny_project)
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
        for p in void.objects(ds, VOID.classPartition)
    }
    figure = URIRef(built_tiny_project.figures.figure_class)
    assert partitions[figure] == len(set(content.subjects(RDF.type, figure)))
    assert set(partitions) == set(content.objects(None, RDF.type))


def test_property_partition_counts_the_triples_of_each_property(
    void: Graph, content: Graph, built_tiny_project: Project
) -> None:
    ds = dataset(built_tiny_project)
    partitions = {
        void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
        for p in void.objects(ds, VOID.propertyPartition)
    }
    assert partitions[RDF.type] == len(list(content.triples((None, RDF.type, None))))
    assert sum(partitions.values()) == len(content)


def test_uri_space_endpoint_and_source_article(void: Graph, built_tiny_project: Project) -> None:
    ds = dataset(built_tiny_project)
    base = built_tiny_project.base
    assert void.value(ds, VOID.uriSpace) == Literal(f"{base}resource/")
    assert void.value(ds, VOID.sparqlEndpoint) == URIRef(f"{base}sparql")
    assert void.value(ds, DCTERMS.source) == URIRef(f"{base}resource/article")
    assert void.value(ds, VOID.rootResource) == URIRef(f"{base}resource/article")
    examples = list(void.objects(ds, VOID.exampleResource))
    assert examples and all(str(e).startswith(f"{base}resource/") for e in examples)


def test_dates_come_from_the_ontology_not_the_clock(void: Graph, built_tiny_project: Project) -> None:
    ds = dataset(built_tiny_project)
    assert void.value(ds, DCTERMS.issued) == Literal("2024-01-15", datatype=XSD.date)
    assert void.value(ds, DCTERMS.modified) == Literal("2024-03-01", datatype=XSD.date)


def test_dates_fall_back_to_the_source_publication_date(tiny_project: Project) -> None:
    description = describe_dataset(tiny_project, Graph(), [])
    ds = dataset(tiny_project)
    published = Literal(tiny_project.published.isoformat(), datatype=XSD.date)
    assert description.value(ds, DCTERMS.issued) == published
    assert description.value(ds, DCTERMS.modified) == published


def test_vocabularies_are_those_used_and_not_the_resources(void: Graph, built_tiny_project: Project) -> None:
    vocabularies = {str(v) for v in void.objects(dataset(built_tiny_project), VOID.vocabulary)}
    assert {str(SCHEMA), str(SKOS), f"{built_tiny_project.base}ontology/"} <= vocabularies
    assert f"{built_tiny_project.base}resource/" not in vocabularies
    assert "http://www.w3.org/ns/shacl#" not in vocabularies


def test_every_dump_but_void_is_a_distribution_with_size_and_checksum(void: Graph, built_tiny_project: Project) -> None:
    ds = dataset(built_tiny_project)
    dist = built_tiny_project.dist_dir
    dumps = {str(u).rsplit("/", 1)[1] for u in void.objects(ds, VOID.dataDump)}
    assert dumps == {"dataset.ttl", "dataset.trig", "dataset.nt.gz", "dataset.jsonld", "ontology.ttl", "shapes.ttl"}
    for distribution in void.objects(ds, DCAT.distribution):
        url = void.value(distribution, DCAT.downloadURL)
        name = str(url).rsplit("/", 1)[1]
        assert url == URIRef(f"{built_tiny_project.base}dumps/{name}")
        assert void.value(distribution, DCAT.mediaType) is not None
        if name == "dataset.trig":  # it holds this description, so it cannot hold its own size
            assert void.value(distribution, DCAT.byteSize) is None
            continue
        data = (dist / name).read_bytes()
        assert void.value(distribution, DCAT.byteSize).toPython() == len(data)
        checksum = void.value(distribution, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_one_linkset_per_target_with_its_link_count(void: Graph, content: Graph, built_tiny_project: Project) -> None:
    ds = dataset(built_tiny_project)
    linksets = {
        str(ls).rsplit("/", 1)[1]: ls for ls in void.objects(ds, VOID.subset) if (ls, RDF.type, VOID.Linkset) in void
    }
    assert set(linksets) == {"wikidata", "geonames"}
    for name, namespace in (("wikidata", "http://www.wikidata.org/entity/"), ("geonames", "https://sws.geonames.org/")):
        linkset = linksets[name]
        links = [
            (s, p, o)
            for p in (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)
            for s, o in content.subject_objects(p)
            if str(o).startswith(namespace)
        ]
        assert void.value(linkset, VOID.triples).toPython() == len(links)
        assert set(void.objects(linkset, VOID.linkPredicate)) == {p for _, p, _ in links}
        assert void.value(linkset, VOID.subjectsTarget) == ds
        target = void.value(linkset, VOID.objectsTarget)
        assert void.value(target, VOID.uriSpace) == Literal(namespace)


def test_a_linkset_with_several_predicates_has_a_subset_per_predicate(void: Graph, built_tiny_project: Project) -> None:
    wikidata = URIRef(f"{built_tiny_project.base}dataset/linkset/wikidata")
    parts = {
        void.value(p, VOID.linkPredicate): void.value(p, VOID.triples).toPython()
        for p in void.objects(wikidata, VOID.subset)
    }
    assert parts == {OWL.sameAs: 1, SKOS.closeMatch: 1}


def test_description_has_no_blank_nodes(void: Graph) -> None:
    assert not any(isinstance(node, BNode) for triple in void for node in triple)


def test_links_to_a_namespace_without_a_linkset_entry_are_reported(tiny_project: Project) -> None:
    content = read_inputs(tiny_project, out=lambda _line: None).content_graph()
    content.add((URIRef(f"{tiny_project.base}resource/x"), OWL.sameAs, URIRef("http://dbpedia.org/resource/X")))
    assert unlinked_namespaces(content, tiny_project) == {"http://dbpedia.org/resource/": 1}


def test_a_malformed_linksets_entry_is_named(tiny_project: Project) -> None:
    broken = Project(**{**tiny_project.__dict__, "extra": {"linksets": {"wikidata": {"title": "Wikidata"}}}})
    with pytest.raises(ConfigurationError, match=r"linksets\.wikidata"):
        link_targets(broken)


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("dataset.ttl", "text/turtle"),
        ("dataset.nt.gz", "application/n-triples"),
        ("dataset.jsonld", "application/ld+json"),
        ("dataset.trig", "application/trig"),
    ],
)
def test_dump_media_type_by_extension(name: str, media_type: str) -> None:
    assert dump_media_type(name) == media_type
    assert DumpFile.of(name, b"abc").size == 3


def test_void_file_is_the_description_graph_in_the_trig(built_tiny_project: Project, void: Graph) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(Path(built_tiny_project.dist_dir) / "dataset.trig"), format=ox.RdfFormat.TRIG)
    graph = ox.NamedNode(f"{built_tiny_project.base}graph/void")
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(void)
