"""Reading a SPARQL 1.1 Protocol request: the query and its dataset, however they arrive.

A query comes as ``query=`` in the URL (GET), in a form body (POST
``application/x-www-form-urlencoded``) or as the whole body (POST ``application/sparql-query``), with
``default-graph-uri`` and ``named-graph-uri`` beside it. Parameters are decoded from the raw bytes as
strict UTF-8, so bytes that are not UTF-8 are named as such rather than silently replaced. Updates,
in whatever form, are refused here.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from flask import Request

from publisher.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, UpdateRefused

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

UPDATE_REFUSED = "This endpoint is read-only: SPARQL Update is refused here. Use SELECT, ASK, CONSTRUCT or DESCRIBE."


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivered it; ``query`` is ``None`` when none was sent."""

    query: str | None
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]
    format_param: str | None


def percent_decoded(raw: bytes) -> bytes:
    """``raw`` with ``+`` as a space and each ``%XX`` as its byte, exactly as ``urllib.parse.parse_qsl`` reads
    a form field; a ``%`` without two hex digits after it stays as it is.

    A query is mostly escapes (every space, brace and non-ASCII byte), and decoding them one by one in
    Python cost more than running a selective query, so the common case goes through the C decoder of
    backslash escapes: with backslashes doubled, ``%XX`` becomes ``\\xXX``. An escape that C decoder
    refuses (a stray ``%``) sends the field to the standard decoder.
    """
    raw = raw.replace(b"+", b" ")
    if b"%" not in raw:
        return raw
    try:
        return codecs.escape_decode(raw.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]  # type: ignore[attr-defined]
    except ValueError:
        return unquote_to_bytes(raw)


def _decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    """The name-value pairs of a query string or form body (blank values kept), decoded as strict UTF-8."""
    pairs = []
    try:
        for field in raw.split(b"&"):
            if field:
                name, _, value = field.partition(b"=")
                pairs.append((percent_decoded(name).decode("utf-8"), percent_decoded(value).decode("utf-8")))
    except UnicodeDecodeError:
        raise BadRequest(f"The {where} is not valid UTF-8. Encode the query as UTF-8 and try again.") from None
    return pairs


def _values(pairs: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in pairs if key == name]


def _checked_length(length: int | None, max_bytes: int) -> None:
    if length is not None and length > max_bytes:
        raise PayloadTooLarge(f"The request body has {length} bytes; this endpoint accepts at most {max_bytes}.")


def _checked_body(body: bytes, max_bytes: int) -> bytes:
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"The request body is larger than the {max_bytes} bytes this endpoint accepts.")
    return body


def parse_query_request(
    method: str,
    query_string: bytes,
    media_type: str,
    content_length: int | None,
    read_body: Callable[[], bytes],
    max_bytes: int,
) -> QueryRequest:
    """The query and dataset of a request, from its parts (``media_type`` lower-case, without parameters);
    ``read_body`` is called only for a POST. Raise the protocol's errors for a malformed or update request."""
    url_pairs = _decode_pairs(query_string, "query string")
    body_pairs: list[tuple[str, str]] = []
    body_query: str | None = None
    if method == "POST":
        if media_type == SPARQL_UPDATE:
            raise UpdateRefused(UPDATE_REFUSED)
        _checked_length(content_length, max_bytes)
        body = _checked_body(read_body(), max_bytes)
        if media_type == FORM:
            body_pairs = _decode_pairs(body, "request body")
        elif media_type == SPARQL_QUERY:
            try:
                body_query = body.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("The request body is not valid UTF-8. Encode the query as UTF-8.") from None
        else:
            shown = media_type or "none"
            raise UnsupportedMediaType(
                f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}; the body's media type was {shown}."
            )
    pairs = url_pairs + body_pairs
    if _values(pairs, "update"):
        raise UpdateRefused(UPDATE_REFUSED)
    queries = _values(pairs, "query") + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        raise BadRequest(f"The request carries {len(queries)} queries; send exactly one.")
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise BadRequest("The query is empty. Send a SELECT, ASK, CONSTRUCT or DESCRIBE query.")
    formats = _values(pairs, "format")
    return QueryRequest(
        query=query,
        default_graph_uris=tuple(_values(pairs, "default-graph-uri")),
        named_graph_uris=tuple(_values(pairs, "named-graph-uri")),
        format_param=formats[-1] if formats else None,
    )


def read_query_request(request: Request, max_bytes: int) -> QueryRequest:
    """The query and dataset of a Flask ``request``, as :func:`parse_query_request` reads them."""
    return parse_query_request(
        request.method,
        request.query_string,
        (request.mimetype or "").lower(),
        request.content_length,
        lambda: request.get_data(cache=True),
        max_bytes,
    )
