"""A lean WSGI path for the endpoint's common case: a query that is answered with 200.

Flask's request and response objects cost more per request than a selective query does, so this
middleware answers ``GET``/``POST /sparql`` requests that carry a query straight from the WSGI environ,
with the same service, body and headers as the Flask view (both build them with
:func:`publisher.sparql.views.answer_response`). Everything else goes to the Flask app unchanged: no
query, a malformed or refused request, an Accept that nothing offered satisfies, a conditional request,
OPTIONS, and every other path. When the query itself fails (time limit, syntax error found by the
engine, ...), the error is handed to the view in the environ, so the view answers it the one way errors
are answered, without running the query again.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.http import parse_options_header

from publisher.errors import PublisherError
from publisher.negotiation import HTML, Format, negotiate
from publisher.sparql.protocol import parse_query_request
from publisher.sparql.views import FAILURE_KEY, SERVICE_KEY, accepts_gzip, answer_response

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ENDPOINT_PATH = "/sparql"


@functools.lru_cache(maxsize=256)
def _media_type(content_type: str) -> str:
    return parse_options_header(content_type)[0].lower()


@functools.lru_cache(maxsize=1024)
def _negotiate(accept: str | None, offered: tuple[Format, ...], format_param: str | None) -> Format | None:
    try:
        chosen = negotiate(accept, offered, format_param)
    except PublisherError:
        return None
    return None if chosen is HTML else chosen


class SparqlFastPath:
    """WSGI middleware in front of ``app.wsgi_app`` that answers plain successful queries itself."""

    def __init__(self, app: Flask, wrapped: WSGIApp) -> None:
        self._app = app
        self._wrapped = wrapped
        self._max_bytes = int(app.config["MAX_BODY_BYTES"])

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == ENDPOINT_PATH and environ.get("REQUEST_METHOD") in {"GET", "POST"}:
            answered = self._answer(environ, start_response)
            if answered is not None:
                return answered
        return self._wrapped(environ, start_response)

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # the Flask app can read it again
        return body

    def _answer(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        method = environ["REQUEST_METHOD"]
        if "HTTP_IF_NONE_MATCH" in environ or (method == "POST" and not environ.get("CONTENT_LENGTH", "").isdigit()):
            return None
        try:
            sent = parse_query_request(
                method,
                environ.get("QUERY_STRING", "").encode("latin-1"),  # PEP 3333: the raw bytes, as latin-1
                _media_type(environ.get("CONTENT_TYPE", "")),
                int(environ["CONTENT_LENGTH"]) if method == "POST" else None,
                lambda: self._read_body(environ),
                self._max_bytes,
            )
        except (PublisherError, ValueError, UnicodeEncodeError):
            return None
        if sent.query is None:
            return None
        service = self._app.extensions[SERVICE_KEY]
        try:
            prepared = service.prepare(sent.query, sent.default_graph_uris, sent.named_graph_uris)
        except PublisherError:
            return None
        fmt = _negotiate(environ.get("HTTP_ACCEPT"), service.offered_formats(prepared), sent.format_param)
        if fmt is None:
            return None
        try:
            outcome = service.answer(prepared, fmt)
        except Exception as failure:  # answered by the view, as every error is
            environ[FAILURE_KEY] = failure
            return None
        etag = service.etag(prepared, fmt)
        gzip_ok = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
        body, headers = answer_response(outcome, fmt, etag, gzip_ok, service.limit)
        start_response("200 OK", headers)
        return [body]


def init_app(app: Flask) -> None:
    """Put the fast path in front of ``app``'s WSGI application."""
    app.wsgi_app = SparqlFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
