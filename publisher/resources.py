"""Blueprint: every IRI under the base answers, for people (HTML) and machines (RDF).

``/resource/<slug>``, ``/ontology`` and its terms, ``/shapes`` and each shape, ``/graph/<name>``,
``/dataset`` and any other IRI the data mints under the base are served by one view. The
representation is chosen by direct negotiation on ``Accept`` (``Vary: Accept``) or named by an explicit
format URL (``/resource/x.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.html``) or ``?format=``. Every
response names the other formats in ``Link`` headers, carries an ETag (data version + representation +
page language) and Last-Modified (the data files' time), and answers conditional requests with 304.
An IRI the data does not mention is a 404, in the representation the client asked for.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, redirect, render_template, request
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from werkzeug.wrappers import Response as BaseResponse

from publisher import pages
from publisher.describe import cbd, describe_resource, graph_triples, resource_exists, serialize_graph
from publisher.errors import ResourceNotFound
from publisher.i18n import choose_language, translate
from publisher.negotiation import HTML, Format, negotiate
from publisher.ontology_docs import (
    document_shape,
    find_ontologies,
    node_shapes,
    ontology_context,
    ontology_of,
    ontology_terms,
    shapes_graphs,
)
from publisher.resource_page import resource_context
from publisher.store import PublishedData, get_data
from publisher.urls import RESOURCE_FORMATS, base_path, format_url, iri_for, local_url, split_format
from publisher.version import __version__

bp = Blueprint("resources", __name__)
bp.after_request(pages.protect)

SHAPES_PATH = "shapes"


class RepresentedNotFound(ResourceNotFound):
    """A 404 whose representation is already decided (an explicit format URL asked for it)."""

    def __init__(self, message: str, representation: str | None) -> None:
        super().__init__(message)
        self.representation = representation


def _error_kind(fmt: Format | None) -> str | None:
    if fmt is None:
        return None
    return "html" if fmt is HTML else "text"


_MODIFIED: dict[tuple[str, tuple[str, ...]], datetime] = {}


def last_modified(data: PublishedData) -> datetime:
    """When the served data files last changed (to the second), read once per data version: a rebuild while the
    server runs does not change what it serves, so it must not change the date either."""
    key = (data.version, tuple(str(path) for path in data.files))
    if key not in _MODIFIED:
        newest = max(path.stat().st_mtime for path in data.files)
        _MODIFIED[key] = datetime.fromtimestamp(int(newest), tz=UTC)
    return _MODIFIED[key]


def link_header(iri: str, base: str, chosen: Format) -> str:
    """``Link`` values naming the canonical IRI and every other representation's URL."""
    links = [f'<{iri}>; rel="canonical"']
    links += [
        f'<{format_url(iri, base, fmt)}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in RESOURCE_FORMATS
        if fmt is not chosen
    ]
    return ", ".join(links)


def _rdf_graph(data: PublishedData, iri: str, kind: str) -> Graph:
    store, base = data.store, data.project.base
    if kind == "shapes":
        graph = Graph(bind_namespaces="none")
        for name in shapes_graphs(store):
            graph += graph_triples(store, name)
        for shape in _shapes_of(data, iri):
            graph += cbd(store, URIRef(shape))
        if resource_exists(store, iri):
            graph += cbd(store, URIRef(iri))
        return graph
    graph = describe_resource(store, iri, base).graph
    if kind == "ontology":
        for term in ontology_terms(store, iri):
            graph += cbd(store, URIRef(term))
    return graph


def _html(data: PublishedData, iri: str, kind: str, chosen: Format) -> str:
    store, project = data.store, data.project
    language = choose_language()
    labeller = pages.Labeller(store, project.base, project.namespaces, language)
    common = {
        "canonical": iri,
        "alternates": [(fmt, format_url(iri, project.base, fmt)) for fmt in RESOURCE_FORMATS if fmt is not chosen],
        "version": data.version,
    }
    if kind == "shapes":
        shared: dict = {}
        shapes = [document_shape(store, shape, labeller, shared) for shape in _shapes_of(data, iri)]
        about = cbd(store, URIRef(iri))
        title = labeller.label(iri) if len(about) else pages.Label(translate("shapes", language))
        own = pages.property_views(about, URIRef(iri), labeller, skip=frozenset({str(RDF.type)}))
        return render_template(
            "ontology.html", kind=kind, shapes=shapes, title=title, properties_of_ontology=own, **common
        )
    if kind == "ontology":
        context = ontology_context(store, iri, labeller)
        return render_template("ontology.html", kind=kind, title=labeller.label(iri), **context, **common)
    context = resource_context(store, describe_resource(store, iri, project.base), project, labeller)
    ontology = ontology_of(store, iri)
    if ontology is not None:
        anchor = iri[max(iri.rfind("/"), iri.rfind("#")) + 1 :]
        context["documented_at"] = f"{local_url(ontology, project.base)}#{anchor}"
    return render_template("resource.html", **context, **common)


def _kind(data: PublishedData, iri: str, path: str) -> str | None:
    """What answers at ``path``: ``resource``; ``ontology`` (an ``owl:Ontology``); ``shapes`` (an ontology of node
    shapes, or the path ``/shapes`` when the data has shapes but no such IRI); ``None`` when the data has nothing."""
    store = data.store
    if resource_exists(store, iri):
        if iri not in find_ontologies(store):
            return "resource"
        return "shapes" if node_shapes(store, iri) else "ontology"
    if path == SHAPES_PATH and node_shapes(store):
        return "shapes"
    return None


def _shapes_of(data: PublishedData, iri: str) -> list[str]:
    """The node shapes documented at ``iri``: those named under it, else (for ``/shapes``) all of them."""
    return node_shapes(data.store, iri) or node_shapes(data.store)


def represent(path: str) -> BaseResponse:
    """The response for a local path (see the module docstring)."""
    data = get_data()
    base = data.project.base
    iri = iri_for(path, base)
    kind = _kind(data, iri, path)
    explicit: Format | None = None
    if kind is None:
        stem, explicit = split_format(path)
        iri = iri_for(stem, base)
        kind = _kind(data, iri, stem) if explicit else None
    if kind is None and path.endswith("/") and _kind(data, iri.rstrip("/"), path.rstrip("/")) in ("ontology", "shapes"):
        # The namespace IRI of an ontology (``…/ontology/``) is documented by the ontology itself.
        return redirect(local_url(iri.rstrip("/"), base), code=303)
    if kind is None:
        home = local_url(base_path(base), base)
        message = translate("no_resource", choose_language(), iri=iri, home=home)
        raise RepresentedNotFound(message, _error_kind(explicit))
    chosen = explicit or negotiate(request.headers.get("Accept"), RESOURCE_FORMATS, request.args.get("format"))
    if chosen is HTML:
        response = Response(_html(data, iri, kind, chosen), mimetype="text/html")
        tag = f"{data.version}-{__version__}-{chosen.key}-{choose_language()}"  # the code shapes HTML too
        vary = ["Accept-Language", "Cookie"]
        response.content_language.add(choose_language())
    else:
        body = serialize_graph(_rdf_graph(data, iri, kind), chosen.key, data.project.namespaces)
        response = Response(body, content_type=chosen.content_type)
        tag = f"{data.version}-{__version__}-{chosen.key}"
        vary = []
    if explicit is None:
        vary.insert(0, "Accept")
        response.headers["Content-Location"] = format_url(iri, base, chosen)
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    response.headers["Link"] = link_header(iri, base, chosen)
    response.set_etag(tag)
    response.last_modified = last_modified(data)
    return response.make_conditional(request)


@bp.route("/<path:path>", methods=["GET"])
def resource(path: str) -> BaseResponse:
    """Any IRI under the base: ``/resource/x``, ``/ontology``, ``/ontology/Term``, ``/shapes``, ``/graph/g``..."""
    return represent(path)


def init_app(app: Flask) -> None:
    """Register the blueprint and the template context every page shares."""
    pages.install(app)
    app.register_blueprint(bp)
