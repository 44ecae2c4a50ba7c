"""The one error handler: renders any error as HTML, JSON or plain text, by what the client accepts.

Browsers get ``templates/error.html``; API clients ``{"status": ..., "error": ...}``; SPARQL clients
(and anything else) plain text. A 500 shows a generic sentence and logs the traceback; raw exception
text never reaches the client.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from publisher.errors import NotAcceptable, PublisherError
from publisher.negotiation import HTML, JSON, Format, negotiate

log = logging.getLogger(__name__)

GENERIC_500 = "The server could not answer this request. The problem has been logged."


def _message_for(error: Exception) -> tuple[int, str]:
    if isinstance(error, PublisherError):
        return error.status, error.message
    if isinstance(error, HTTPException):
        status = error.code or 500
        if status == 413:
            return status, "The request body is larger than this server accepts."
        if status == 405:
            return status, f"The method {request.method} is not allowed on {request.path}."
        if status == 404:
            return status, f"Nothing at {request.path}. The home page lists what there is: /"
        return status, error.description or error.name
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return 500, GENERIC_500


_PLAIN = Format("text", "text/plain", "txt")


def _preferred_kind() -> str:
    """``html``, ``json`` or ``text``: plain text unless the client prefers one of the others."""
    try:
        return negotiate(request.headers.get("Accept"), (_PLAIN, HTML, JSON)).key
    except NotAcceptable:
        return "text"


def render_error(error: Exception) -> Response:
    """Turn ``error`` into a response in the client's preferred kind."""
    status, message = _message_for(error)
    kind = getattr(error, "representation", None) or _preferred_kind()  # set when the URL named a format
    if kind == "html":
        response = Response(
            render_template("error.html", status=status, message=message),
            status=status,
            mimetype="text/html",
        )
    elif kind == "json":
        response = jsonify({"status": status, "error": message})
        response.status_code = status
    else:
        response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["Vary"] = "Accept"
    if isinstance(error, HTTPException) and error.code == 405:
        allowed = error.get_response().headers.get("Allow")
        if allowed:
            response.headers["Allow"] = allowed
    return response


def init_app(app: Flask) -> None:
    """Register :func:`render_error` for every exception."""
    app.register_error_handler(Exception, render_error)
