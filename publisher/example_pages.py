"""Blueprint: each example query at a stable URL that answers with its results.

``/queries/`` lists the examples (HTML or JSON). ``/queries/<name>`` runs one on the SPARQL endpoint
and answers as an HTML table (for browsers), SPARQL JSON or CSV, chosen by ``Accept`` (q-values honoured,
``Vary: Accept``), by ``?format=``, or by an explicit URL: ``/queries/<name>.json``, ``.csv``, ``.html``.
Responses name the other representations in ``Link`` headers and carry an ETag (data version, example,
format, page language), so a conditional request gets 304.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from publisher import pages
from publisher.errors import ResourceNotFound
from publisher.examples import Example, find_example
from publisher.i18n import choose_language
from publisher.negotiation import CSV, HTML, JSON, SPARQL_JSON, Format, format_by_key, negotiate
from publisher.query_page import get_examples
from publisher.sparql import QueryOutcome, execute_query
from publisher.sparql.views import TRUNCATED_HEADER
from publisher.store import get_data
from publisher.urls import local_url
from publisher.version import __version__

bp = Blueprint("example_pages", __name__)

EXAMPLE_FORMATS: tuple[Format, ...] = (HTML, SPARQL_JSON, CSV)
LIST_FORMATS: tuple[Format, ...] = (HTML, JSON)


@dataclass(frozen=True)
class Cell:
    """One value of a result table, ready for the template."""

    text: str
    href: str = ""
    note: str = ""
    lang: str = ""


def _example_or_404(name: str) -> Example:
    example = find_example(get_examples(), name)
    if example is None:
        raise ResourceNotFound(f"No example query named '{name}'. The list is at /queries/.")
    return example


def _split_extension(name: str) -> tuple[str, Format | None]:
    """``("x", CSV)`` for ``x.csv``; an unknown extension is a 404 naming those there are."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return name, None
    fmt = format_by_key(extension, EXAMPLE_FORMATS)
    if fmt is None:
        known = ", ".join(f".{fmt.key}" for fmt in EXAMPLE_FORMATS)
        raise ResourceNotFound(f"No format '.{extension}' for example queries. Use one of: {known}.")
    return stem, fmt


def run_example(example: Example, media_type: str) -> QueryOutcome:
    """The outcome of running ``example`` on our SPARQL endpoint (its guard, time limit and cap), in ``media_type``."""
    return execute_query(example.query, media_type)


def result_table(body: bytes) -> tuple[list[str], list[list[Cell]] | None, bool | None]:
    """Columns and rows of a SPARQL JSON result (rows ``None`` and the answer for ASK), as :class:`Cell`."""
    data = get_data()
    labeller = pages.Labeller(data.store, data.project.base, data.project.namespaces, choose_language())
    parsed = json.loads(body)
    if "boolean" in parsed:
        return [], None, bool(parsed["boolean"])
    columns = list(parsed.get("head", {}).get("vars", []))
    rows = []
    for binding in parsed.get("results", {}).get("bindings", []):
        rows.append([_cell(binding.get(column), labeller) for column in columns])
    return columns, rows, None


def _cell(term: dict[str, str] | None, labeller: pages.Labeller) -> Cell:
    if term is None:
        return Cell("")
    value = term.get("value", "")
    kind = term.get("type")
    if kind == "uri":
        return Cell(labeller.curie(value), href=local_url(value, labeller.base), note=value)
    if kind == "bnode":
        return Cell(f"_:{value}")
    if "xml:lang" in term:
        return Cell(value, lang=term["xml:lang"])
    datatype = term.get("datatype", "")
    return Cell(value, note=labeller.curie(datatype) if datatype else "")


def _etag(example: Example, fmt: Format, language: str) -> str:
    """Changes with the data, the publisher, the example's text, the format and the page language."""
    tag = "|".join((get_data().version, __version__, example.name, example.query, fmt.key, language))
    return hashlib.sha256(tag.encode()).hexdigest()[:32]


def _with_headers(response: BaseResponse, example: Example, fmt: Format, etag: str) -> BaseResponse:
    """The negotiation headers: the other representations, what the answer varies by, the ETag."""
    mount = request.script_root
    response.headers["Link"] = ", ".join(
        f'<{mount}/queries/{example.name}.{other.key}>; rel="alternate"; type="{other.media_type}"'
        for other in EXAMPLE_FORMATS
        if other is not fmt
    )
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    response.set_etag(etag)
    return response


@bp.get("/queries/<name>")
def example_results(name: str) -> BaseResponse:
    """One example's results, in the representation negotiated or named; 304 when the client has them."""
    stem, named = _split_extension(name)
    example = _example_or_404(stem)
    fmt = named or negotiate(request.headers.get("Accept"), EXAMPLE_FORMATS, request.args.get("format"))
    language = choose_language()
    etag = _etag(example, fmt, language)
    if request.if_none_match.contains(etag):
        return _with_headers(Response(status=304), example, fmt, etag)
    if fmt is HTML:
        outcome = run_example(example, SPARQL_JSON.media_type)
        columns, rows, answer = result_table(outcome.body)
        html = render_template(
            "example.html",
            example=example,
            columns=columns,
            rows=rows,
            answer=answer,
            truncated=outcome.truncated,
            limit=current_app.config["RESULT_LIMIT"],
            formats=[other for other in EXAMPLE_FORMATS if other is not HTML],
        )
        response = Response(html, mimetype="text/html")
    else:
        outcome = run_example(example, fmt.media_type)
        response = Response(outcome.body, content_type=fmt.content_type)
    if outcome.truncated:
        response.headers[TRUNCATED_HEADER] = "true"
    return _with_headers(response, example, fmt, etag)


@bp.get("/queries/")
def example_list() -> Response:
    """Every example with its title, description and URL, as HTML or JSON."""
    fmt = negotiate(request.headers.get("Accept"), LIST_FORMATS, request.args.get("format"))
    examples = get_examples()
    mount = request.script_root
    if fmt is HTML:
        html = render_template("examples.html", examples=examples)
        response = Response(html, mimetype="text/html")
    else:
        response = jsonify(
            [
                {
                    "name": example.name,
                    "title": example.titles,
                    "description": example.descriptions,
                    "url": f"{mount}/queries/{example.name}",
                    "query": example.query,
                }
                for example in examples
            ]
        )
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def init_app(app: Flask) -> None:
    """Register the example URLs (the examples themselves are loaded by :mod:`publisher.query_page`)."""
    app.register_blueprint(bp)
