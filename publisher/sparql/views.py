"""Blueprint: the SPARQL endpoint at ``/sparql`` and the health check at ``/healthz``.

``GET``/``POST /sparql`` answer a query (see :mod:`publisher.sparql.protocol`); ``GET /sparql`` with no
query answers the service description, or, for a browser, the query page when that module is present.
Answers carry an ETag (data version and request) and answer ``If-None-Match`` with 304; bodies over
:data:`GZIP_MIN_BYTES` are gzipped for clients that accept it; CORS allows any origin, without credentials.
A result cut at ``RESULT_LIMIT`` carries ``SPARQL-Results-Truncated: true`` and a ``Warning`` header.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Response as BaseResponse

from publisher.errors import BadRequest
from publisher.negotiation import GRAPH_FORMATS, HTML, Format, negotiate
from publisher.sparql.description import serialize_description, service_description
from publisher.sparql.protocol import read_query_request
from publisher.sparql.results import GRAPH_SERIALISATIONS, truncation_note
from publisher.sparql.service import QueryOutcome, SparqlService

bp = Blueprint("sparql", __name__)

SERVICE_KEY = "publisher.sparql"
FAILURE_KEY = "publisher.sparql.failure"  # WSGI environ: an error the fast path met answering this request
GZIP_MIN_BYTES = 1024
TRUNCATED_HEADER = "SPARQL-Results-Truncated"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": f"ETag, {TRUNCATED_HEADER}, Warning",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def get_service() -> SparqlService:
    """The current app's query service."""
    return current_app.extensions[SERVICE_KEY]


def endpoint_url() -> str:
    """The endpoint's address as the client reached it, or under ``PUBLIC_URL`` when that is set."""
    public = str(current_app.config["PUBLIC_URL"]).rstrip("/")
    return f"{public}/sparql" if public else f"{request.url_root}sparql"


@functools.lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header admits gzip (q-values and ``*`` honoured)."""
    return parse_accept_header(accept_encoding)["gzip"] > 0


def _accepts_gzip() -> bool:
    return accepts_gzip(request.headers.get("Accept-Encoding"))


def answer_response(
    outcome: QueryOutcome, fmt: Format, etag: str, gzip_ok: bool, limit: int
) -> tuple[bytes, list[tuple[str, str]]]:
    """The body and headers of a 200 answer: gzipped when large and accepted, with ETag, Vary, CORS and,
    for a cut result, the truncation headers. The view and :mod:`publisher.sparql.fastpath` both use it."""
    body = outcome.body
    headers = [("Content-Type", fmt.content_type), ("Vary", "Accept, Accept-Encoding")]
    if outcome.truncated:
        headers += [(TRUNCATED_HEADER, "true"), ("Warning", f'199 - "{truncation_note(limit)}"')]
    if gzip_ok and len(body) >= GZIP_MIN_BYTES:
        body = gzip.compress(body, compresslevel=5)
        headers += [("Content-Encoding", "gzip"), ("ETag", f'"{etag}-gzip"')]
    else:
        headers.append(("ETag", f'"{etag}"'))
    headers += list(CORS_HEADERS.items())
    headers.append(("Content-Length", str(len(body))))
    return body, headers


def _finish(response: BaseResponse) -> BaseResponse:
    """Gzip a large body for a client that accepts it, and set the Vary header."""
    response.headers["Vary"] = "Accept, Accept-Encoding"
    if response.status_code == 200 and len(response.get_data()) >= GZIP_MIN_BYTES and _accepts_gzip():
        response.set_data(gzip.compress(response.get_data(), compresslevel=5))
        response.headers["Content-Encoding"] = "gzip"
    return response


def _not_modified(etag: str) -> bool:
    return request.if_none_match.contains(etag) or request.if_none_match.contains(f"{etag}-gzip")


def _description_response(format_param: str | None) -> BaseResponse:
    offered: tuple[Format, ...] = GRAPH_FORMATS
    if importlib.util.find_spec("publisher.query_page") is not None:
        offered = (*GRAPH_FORMATS, HTML)
    fmt = negotiate(request.headers.get("Accept"), offered, format_param)
    if fmt is HTML:
        from publisher.query_page import render_query_page

        return render_query_page()
    service = get_service()
    triples = service_description(endpoint_url(), service.graphs, service.triple_count, bool(service.allowlist))
    body = serialize_description(triples, GRAPH_SERIALISATIONS[fmt.key])
    return _finish(Response(body, content_type=fmt.content_type))


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> BaseResponse:
    """Answer a SPARQL query, or describe the service when there is none."""
    service = get_service()
    sent = read_query_request(request, int(current_app.config["MAX_BODY_BYTES"]))
    if sent.query is None:
        if request.method == "POST" or sent.default_graph_uris or sent.named_graph_uris:
            raise BadRequest(
                "No query was sent. Send one as the 'query' parameter or as an application/sparql-query body."
            )
        return _description_response(sent.format_param)
    prepared = service.prepare(sent.query, sent.default_graph_uris, sent.named_graph_uris)
    fmt = negotiate(request.headers.get("Accept"), service.offered_formats(prepared), sent.format_param)
    etag = service.etag(prepared, fmt)
    if _not_modified(etag):
        response = Response(status=304)
        response.set_etag(etag)
        response.headers["Vary"] = "Accept, Accept-Encoding"
        return response
    failure = request.environ.pop(FAILURE_KEY, None)
    if failure is not None:  # the fast path ran this query already, and it failed
        raise failure
    outcome = service.answer(prepared, fmt)
    body, headers = answer_response(outcome, fmt, etag, _accepts_gzip(), service.limit)
    return Response(body, headers=headers)


@bp.get("/healthz")
def healthz() -> Response:
    """200 with the triple count and data version while the data is loaded."""
    service = get_service()
    return jsonify({"status": "ok", "triples": service.triple_count, "version": service.version})


@bp.after_request
def add_cors_headers(response: BaseResponse) -> BaseResponse:
    """Let any origin read the answers (no credentials); answer preflight requests."""
    response.headers.update(CORS_HEADERS)
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT_HEADERS)
    return response


__all__ = ["bp", "get_service"]
