"""The dataset description: VoID and DCAT, from ``dataset.toml`` and the published content.

:func:`describe_dataset` returns a graph about ``<base>dataset`` (a ``void:Dataset`` and ``dcat:Dataset``):
titles, descriptions, licence, source, dates, statistics, class and property partitions, the vocabularies
used, the dumps (with sizes and SHA-256 where the file does not contain the description), the SPARQL
endpoint and one ``void:Linkset`` per external dataset the content links to. The external datasets are
declared in the ``[linksets]`` table of ``dataset.toml``: ``name = {namespace, title, homepage}``.
Every node has an IRI under ``<base>dataset``, so the graph has no blank nodes.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD

from publisher.errors import ConfigurationError
from publisher.project import Project
from publisher.vocab import SCHEMA, all_prefixes, bind_prefixes

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
LINK_PREDICATES = (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)
ARTICLE_CLASSES = (SCHEMA.NewsArticle, SCHEMA.Article, SCHEMA.ScholarlyArticle, SCHEMA.Report, SCHEMA.BlogPosting)
EXAMPLE_RESOURCES = 3
_MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}


@dataclass(frozen=True)
class DumpFile:
    """A file of ``dist/`` offered for download; size and checksum unknown for a file holding this description."""

    name: str
    media_type: str
    size: int | None = None
    sha256: str | None = None

    @classmethod
    def of(cls, name: str, data: bytes) -> DumpFile:
        return cls(name, dump_media_type(name), len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset the content may link to, from ``[linksets]`` in ``dataset.toml``."""

    name: str
    namespace: str
    title: str
    homepage: str


def dump_media_type(name: str) -> str:
    """The media type of a dump file, by its extension (``.gz`` looked through)."""
    stem = name.removesuffix(".gz")
    return _MEDIA_TYPES.get(stem[stem.rfind(".") :], "application/octet-stream")


def link_targets(project: Project) -> list[LinkTarget]:
    """The external datasets of ``[linksets]``; a malformed entry raises :class:`ConfigurationError`."""
    table = project.extra.get("linksets", {})
    if not isinstance(table, dict):
        raise ConfigurationError("dataset.toml: [linksets] must be a table of name = {namespace, title, homepage}.")
    targets = []
    for name, entry in sorted(table.items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("namespace"), str):
            raise ConfigurationError(
                f"dataset.toml: linksets.{name} needs a 'namespace' (the IRI its links start with)."
            )
        targets.append(
            LinkTarget(name, entry["namespace"], str(entry.get("title", name)), str(entry.get("homepage", "")))
        )
    return targets


def dataset_iri(project: Project) -> URIRef:
    """The IRI of the dataset: ``<base>dataset``."""
    return URIRef(f"{project.base}dataset")


def void_graph_name(project: Project) -> URIRef:
    """The named graph that holds the dataset description in ``dataset.trig``."""
    return URIRef(f"{project.base}graph/void")


def uri_space(project: Project) -> str:
    """Where the resources the dataset mints live: ``<base>resource/``."""
    return f"{project.base}resource/"


def _slug(iri: URIRef, prefixes: dict[str, str]) -> str:
    """``prefix-localname`` for an IRI in a known namespace, else a short hash of the IRI."""
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if str(iri).startswith(namespace) and len(str(iri)) > len(namespace):
            return quote(f"{prefix}-{str(iri)[len(namespace) :]}", safe="-._~")
    return "iri-" + hashlib.sha256(str(iri).encode()).hexdigest()[:12]


def _namespace_of(iri: URIRef, prefixes: dict[str, str]) -> str:
    known = [ns for ns in prefixes.values() if str(iri).startswith(ns)]
    if known:
        return max(known, key=len)
    text = str(iri)
    return text[: max(text.rfind("#"), text.rfind("/")) + 1]


def find_articles(content: Graph) -> list[URIRef]:
    """The source article(s): resources typed as a schema.org article."""
    return sorted({s for cls in ARTICLE_CLASSES for s in content.subjects(RDF.type, cls) if isinstance(s, URIRef)})


def _as_date(node: object) -> date | None:
    value = node.toPython() if isinstance(node, Literal) else None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def dataset_dates(content: Graph, project: Project) -> tuple[date, date]:
    """Issued: the earliest ``dcterms:issued`` of an ontology, else the source's date; modified: the latest
    ``dcterms:modified`` in the content, if later. Nothing comes from the clock."""
    ontologies = set(content.subjects(RDF.type, OWL.Ontology))
    issued = [d for s in ontologies for o in content.objects(s, DCTERMS.issued) if (d := _as_date(o))]
    first = min(issued, default=project.published)
    modified = [d for o in content.objects(None, DCTERMS.modified) if (d := _as_date(o))]
    return first, max([first, *modified])


def _add_statistics(g: Graph, ds: URIRef, content: Graph, project: Project, prefixes: dict[str, str]) -> None:
    space = uri_space(project)
    subjects = set(content.subjects())
    g.add((ds, VOID.triples, Literal(len(content))))
    g.add((ds, VOID.entities, Literal(sum(1 for s in subjects if str(s).startswith(space)))))
    g.add((ds, VOID.distinctSubjects, Literal(len(subjects))))
    g.add((ds, VOID.distinctObjects, Literal(len(set(content.objects())))))
    classes = Counter(o for _, o in content.subject_objects(RDF.type) if isinstance(o, URIRef))
    properties = Counter(p for p in content.predicates() if isinstance(p, URIRef))
    g.add((ds, VOID.classes, Literal(len(classes))))
    g.add((ds, VOID.properties, Literal(len(properties))))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{ds}/class/{_slug(cls, prefixes)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{ds}/property/{_slug(prop, prefixes)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count)))
    for vocabulary in sorted({_namespace_of(term, prefixes) for term in [*classes, *properties]} - {space}):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    weight = Counter(s for s in content.subjects() if isinstance(s, URIRef) and str(s).startswith(space))
    for resource, _ in sorted(weight.items(), key=lambda item: (-item[1], str(item[0])))[:EXAMPLE_RESOURCES]:
        g.add((ds, VOID.exampleResource, resource))


def _add_dumps(g: Graph, ds: URIRef, project: Project, dumps: Sequence[DumpFile]) -> None:
    for dump in sorted(dumps, key=lambda d: d.name):
        url = URIRef(f"{project.base}dumps/{dump.name}")
        dist = URIRef(f"{ds}/distribution/{dump.name.replace('.', '-')}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(dump.name)))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + dump.media_type)))
        g.add((dist, DCTERMS.license, URIRef(project.license)))
        if dump.name.endswith(".gz"):
            g.add((dist, DCAT.compressFormat, URIRef(IANA_MEDIA_TYPES + "application/gzip")))
        if dump.size is not None:
            g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        if dump.sha256 is not None:
            checksum = URIRef(f"{dist}/checksum")
            g.add((dist, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))


def links_by_target(content: Graph, targets: Sequence[LinkTarget]) -> dict[str, Counter[URIRef]]:
    """For each target's name, how many link triples of each link predicate point into its namespace."""
    found: dict[str, Counter[URIRef]] = defaultdict(Counter)
    for predicate in LINK_PREDICATES:
        for _, obj in content.subject_objects(predicate):
            for target in targets:
                if str(obj).startswith(target.namespace):
                    found[target.name][predicate] += 1
    return dict(found)


def unlinked_namespaces(content: Graph, project: Project) -> dict[str, int]:
    """Namespaces of link objects that no ``[linksets]`` entry covers, with their link counts."""
    targets = link_targets(project)
    missing: Counter[str] = Counter()
    for predicate in LINK_PREDICATES:
        for _, obj in content.subject_objects(predicate):
            covered = any(str(obj).startswith(t.namespace) for t in targets) or str(obj).startswith(project.base)
            if isinstance(obj, URIRef) and not covered:
                missing[_namespace_of(obj, {})] += 1
    return dict(sorted(missing.items()))


def _add_linksets(g: Graph, ds: URIRef, content: Graph, project: Project, prefixes: dict[str, str]) -> None:
    targets = link_targets(project)
    counts = links_by_target(content, targets)
    for target in targets:
        if target.name not in counts:
            continue
        external = URIRef(f"{ds}/external/{quote(target.name, safe='-._~')}")
        g.add((external, RDF.type, VOID.Dataset))
        g.add((external, DCTERMS.title, Literal(target.title)))
        g.add((external, VOID.uriSpace, Literal(target.namespace)))
        if target.homepage:
            g.add((external, FOAF.homepage, URIRef(target.homepage)))
        linkset = URIRef(f"{ds}/linkset/{quote(target.name, safe='-._~')}")
        by_predicate = counts[target.name]
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, DCTERMS.title, Literal(f"Links to {target.title}", lang="en")))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, external))
        g.add((linkset, VOID.triples, Literal(sum(by_predicate.values()))))
        for predicate, count in sorted(by_predicate.items()):
            g.add((linkset, VOID.linkPredicate, predicate))
            if len(by_predicate) > 1:
                part = URIRef(f"{linkset}/{_slug(predicate, prefixes)}")
                g.add((linkset, VOID.subset, part))
                g.add((part, RDF.type, VOID.Linkset))
                g.add((part, VOID.subjectsTarget, ds))
                g.add((part, VOID.objectsTarget, external))
                g.add((part, VOID.linkPredicate, predicate))
                g.add((part, VOID.triples, Literal(count)))


def describe_dataset(project: Project, content: Graph, dumps: Sequence[DumpFile]) -> Graph:
    """The VoID and DCAT description of ``content`` (ontology and data) as published with ``dumps``."""
    prefixes = all_prefixes(project.namespaces)
    g = bind_prefixes(Graph(bind_namespaces="none"), project.namespaces)
    g.bind("spdx", SPDX)
    ds = dataset_iri(project)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    for language, text in sorted(project.title.items()):
        g.add((ds, DCTERMS.title, Literal(text, lang=language)))
        g.add((ds, RDFS.label, Literal(text, lang=language)))
    for language, text in sorted(project.description.items()):
        g.add((ds, DCTERMS.description, Literal(text, lang=language)))
    g.add((ds, DCTERMS.license, URIRef(project.license)))
    issued, modified = dataset_dates(content, project)
    g.add((ds, DCTERMS.issued, Literal(issued)))
    g.add((ds, DCTERMS.modified, Literal(modified)))
    if project.creator:
        creator = URIRef(f"{ds}/creator")
        g.add((ds, DCTERMS.creator, creator))
        g.add((creator, RDF.type, FOAF.Agent))
        g.add((creator, FOAF.name, Literal(project.creator)))
    for keyword in project.keywords:
        g.add((ds, DCAT.keyword, Literal(keyword)))
    for article in find_articles(content):
        g.add((ds, DCTERMS.source, article))
        g.add((ds, VOID.rootResource, article))
    g.add((ds, FOAF.homepage, URIRef(project.base)))
    g.add((ds, DCAT.landingPage, URIRef(project.base)))
    g.add((ds, VOID.uriSpace, Literal(uri_space(project))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{project.base}sparql")))
    _add_statistics(g, ds, content, project, prefixes)
    _add_dumps(g, ds, project, dumps)
    _add_linksets(g, ds, content, project, prefixes)
    return g
