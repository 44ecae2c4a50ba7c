"""Resource IRIs and local paths, both ways, in one place.

Every IRI under the dataset's base (``https://example.org/base/resource/x``) is served at the same path
on whatever host the app runs on (``/resource/x``), below the app's mount point (``request.script_root``).
Explicit format URLs append the format's extension (``/resource/x.ttl``). HTML pages link with local
paths, so a copy served on ``http://127.0.0.1:8000`` works; RDF always carries the canonical IRIs.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, unquote, urlencode

from flask import has_request_context, request

from publisher.negotiation import GRAPH_FORMATS, HTML, JSONLD, Format

# JSON-LD is JSON: a client that asks for JSON gets it.
JSONLD_OR_JSON = replace(JSONLD, aliases=("application/json",))
# The representations every resource has, in the order offered when nothing else decides.
RESOURCE_FORMATS: tuple[Format, ...] = (HTML, *(JSONLD_OR_JSON if fmt is JSONLD else fmt for fmt in GRAPH_FORMATS))
# Characters kept as they are when an IRI's path becomes a URL path.
_PATH_SAFE = "/:@-._~!$&'()*+,;=%"


def _mount() -> str:
    return request.script_root if has_request_context() else ""


def base_path(base: str) -> str:
    """The part of ``base`` that names a document (``#`` bases name the document before the ``#``)."""
    return base[: base.index("#")] if "#" in base else base


def is_local(iri: str, base: str) -> bool:
    """Whether ``iri`` lies under the dataset's base, so this app serves it."""
    return iri.startswith(base_path(base))


def path_for(iri: str, base: str) -> str | None:
    """The local path (``/resource/x``, without mount point) of an IRI under ``base``; ``None`` if not ours."""
    root = base_path(base)
    if not iri.startswith(root):
        return None
    rest = iri[len(root) :]
    fragment = ""
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
        fragment = "#" + quote(fragment, safe=_PATH_SAFE)
    return "/" + quote(rest, safe=_PATH_SAFE) + fragment


def iri_for(path: str, base: str) -> str:
    """The canonical IRI of a local path (the mount point already removed, percent-encoding decoded)."""
    return base_path(base) + unquote(path).lstrip("/")


def local_url(iri: str, base: str) -> str:
    """The link to put in an HTML page: our IRIs become local paths below the mount point, others stay."""
    path = path_for(iri, base)
    return iri if path is None else _mount() + path


def format_url(iri: str, base: str, fmt: Format) -> str:
    """The explicit URL of one representation of a local resource: ``/resource/x.ttl``."""
    path = path_for(iri, base)
    if path is None:
        raise ValueError(f"{iri} is not under the base {base}")
    return f"{_mount()}{path}.{fmt.extension}"


def split_format(path: str) -> tuple[str, Format | None]:
    """``("resource/x", TURTLE)`` for ``resource/x.ttl``; the path unchanged and ``None`` without an extension."""
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension:
        for fmt in RESOURCE_FORMATS:
            if extension == fmt.extension:
                return stem, fmt
    return path, None


def sparql_url(query: str) -> str:
    """A link for people: the query page with ``query`` in its editor (``/sparql#query=...``), where the
    results show as a table; programs use :func:`canonical_sparql_url`'s ``?query=`` form."""
    return f"{_mount()}/sparql#{urlencode({'query': query})}"


def canonical_sparql_url(query: str, base: str) -> str:
    """The same link on the canonical host, for RDF."""
    return f"{base_path(base)}sparql?{urlencode({'query': query})}"
