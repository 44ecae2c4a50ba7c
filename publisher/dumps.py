"""Blueprint: the files of ``publisher build`` (``/dumps/``, ``/dumps/<file>``) and VoID at ``/.well-known/void``.

``/dumps/`` lists the files of the project's ``dist/`` folder with size, SHA-256 (from ``SHA256SUMS``) and
date, as HTML or JSON. ``/dumps/<file>`` serves one of them with its media type, Content-Length, an ETag
(its SHA-256) and 304 on conditional requests. Only names found in the folder's listing are served, so
nothing outside ``dist/`` is reachable. Every dump names the VoID description (``rel="describedby"``),
which ``/.well-known/void`` serves from ``dist/void.ttl`` (or the data's VoID graph) in any RDF format.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Flask, Response, redirect, render_template, request, send_file
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID
from werkzeug.wrappers import Response as BaseResponse

from publisher import pages
from publisher.describe import graph_triples, resource_exists, serialize_graph
from publisher.errors import ResourceNotFound
from publisher.i18n import choose_language
from publisher.negotiation import GRAPH_FORMATS, HTML, JSON, negotiate
from publisher.store import get_data
from publisher.urls import local_url

bp = Blueprint("dumps", __name__)
bp.after_request(pages.protect)

CHECKSUMS = "SHA256SUMS"
VOID_FILE = "void.ttl"
# Files of dist/ that are records of the build, not data to download.
NOT_DUMPS = frozenset({"BUILDINFO.json"})
_MEDIA_TYPES: dict[str, str] = {
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples; charset=utf-8",
    ".nq": "application/n-quads; charset=utf-8",
    ".trig": "application/trig; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".gz": "application/gzip",
    ".json": "application/json",
}


@dataclass(frozen=True)
class DumpEntry:
    """One downloadable file: name, media type, size in bytes, SHA-256 (if listed) and date (UTC)."""

    name: str
    media_type: str
    size: int
    sha256: str
    modified: str


def media_type_of(name: str) -> str:
    """The Content-Type of a dump file: by its last extension; ``SHA256SUMS`` is plain text."""
    if name == CHECKSUMS:
        return "text/plain; charset=utf-8"
    return _MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def dist_dir() -> Path:
    """The folder ``publisher build`` writes."""
    return get_data().project.dist_dir


def read_checksums(folder: Path) -> dict[str, str]:
    """File name -> SHA-256 from ``SHA256SUMS`` (empty when the file is missing)."""
    try:
        lines = (folder / CHECKSUMS).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    sums = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if digest and name:
            sums[name.strip()] = digest.strip()
    return sums


def list_dumps(folder: Path) -> list[DumpEntry]:
    """The files of ``folder`` offered for download, sorted by name."""
    if not folder.is_dir():
        return []
    sums = read_checksums(folder)
    entries = []
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file() or path.name.startswith(".") or path.name in NOT_DUMPS:
            continue
        stat = path.stat()
        modified = datetime.fromtimestamp(int(stat.st_mtime), tz=UTC).date().isoformat()
        entries.append(DumpEntry(path.name, media_type_of(path.name), stat.st_size, sums.get(path.name, ""), modified))
    return entries


def _describedby(response: BaseResponse) -> BaseResponse:
    response.headers.add("Link", f'<{request.script_root}/.well-known/void>; rel="describedby"')
    return response


@bp.route("/dumps/", methods=["GET"])
def dump_list() -> BaseResponse:
    """The list of files, as an HTML page or (for ``Accept: application/json``) JSON."""
    folder = dist_dir()
    entries = list_dumps(folder)
    chosen = negotiate(request.headers.get("Accept"), (HTML, JSON), request.args.get("format"))
    digest = hashlib.sha256(json.dumps([asdict(e) for e in entries]).encode()).hexdigest()[:16]
    if chosen is JSON:
        response = Response(json.dumps([asdict(e) for e in entries], indent=2), mimetype="application/json")
        tag = f"{digest}-json"
    else:
        html = render_template("dumps.html", entries=entries, mount=request.script_root)
        response = Response(html, mimetype="text/html")
        tag = f"{digest}-html-{choose_language()}"
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    response.set_etag(tag)
    return _describedby(response).make_conditional(request)


@bp.route("/dumps/<path:name>", methods=["GET"])
def dump_file(name: str) -> BaseResponse:
    """One file of ``dist/``, named exactly as the folder lists it."""
    folder = dist_dir()
    listed = {entry.name: entry for entry in list_dumps(folder)}
    entry = listed.get(name)
    if entry is None:
        raise ResourceNotFound(f"No file named {name!r} among the dumps. The list is at {request.script_root}/dumps/")
    response = send_file(
        folder / entry.name,
        mimetype=entry.media_type,
        etag=entry.sha256 or True,
        conditional=True,
        max_age=0,
    )
    response.headers["Content-Type"] = entry.media_type
    return _describedby(response)


def void_graph() -> Graph:
    """The dataset description: ``dist/void.ttl``, else the data's ``<base>graph/void`` graph."""
    data = get_data()
    path = data.project.dist_dir / VOID_FILE
    if path.is_file():
        graph = Graph(bind_namespaces="none")
        graph.parse(path, format="turtle")
        return graph
    return graph_triples(data.store, f"{data.project.base}graph/void")


def _described_dataset(graph: Graph) -> str | None:
    datasets = sorted(str(s) for s in graph.subjects(RDF.type, VOID.Dataset) if isinstance(s, URIRef))
    base = get_data().project.base
    ours = [d for d in datasets if d.startswith(base)]
    candidates = ours or datasets
    return candidates[0] if candidates else None


@bp.route("/.well-known/void", methods=["GET"])
def void() -> BaseResponse:
    """VoID in the negotiated RDF format; a browser is sent to the dataset's page when the data has it."""
    graph = void_graph()
    if not len(graph):
        raise ResourceNotFound("No dataset description yet: run 'publisher build'. The dumps are listed at /dumps/")
    data = get_data()
    chosen = negotiate(request.headers.get("Accept"), (*GRAPH_FORMATS, HTML), request.args.get("format"))
    dataset = _described_dataset(graph)
    if chosen is HTML:
        if dataset and resource_exists(data.store, dataset):
            response = redirect(local_url(dataset, data.project.base), code=303)
            response.headers["Vary"] = "Accept"
            return response
        chosen = GRAPH_FORMATS[0]
    body = serialize_graph(graph, chosen.key, data.project.namespaces)
    response = Response(body, content_type=chosen.content_type)
    response.headers["Vary"] = "Accept"
    response.set_etag(f"{hashlib.sha256(body).hexdigest()[:16]}-{chosen.key}")
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Register the blueprint and the shared template context."""
    pages.install(app)
    app.register_blueprint(bp)
