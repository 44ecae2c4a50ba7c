"""SPARQL on the built dataset from the command line: run a query, render its results for a terminal.

The built ``dist/dataset.trig`` is loaded with pyoxigraph; the default graph is the union of the named
graphs, and the dataset's prefixes are predeclared. SELECT results render as an aligned table (IRIs as
prefixed names, widths counting East Asian characters as two columns), CSV or SPARQL JSON; ASK as
``true``/``false``; CONSTRUCT and DESCRIBE as Turtle.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from publisher.errors import InputError, MalformedQuery
from publisher.project import Project
from publisher.store import BUILT_DATASET, load_files
from publisher.vocab import all_prefixes

FORMATS = ("table", "csv", "json", "turtle")
_POSITION = re.compile(r"(\d+):(\d+)")


def built_store(project: Project) -> ox.Store:
    """The built dataset in a store; :class:`InputError` when there is none yet."""
    path = project.dist_dir / BUILT_DATASET
    if not path.is_file():
        raise InputError(f"No built dataset at {path}; run 'publisher build' first.")
    return load_files(project, [path])


def run_query(
    store: ox.Store, query: str, prefixes: Mapping[str, str]
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run ``query`` over the union of the named graphs; a syntax error raises :class:`MalformedQuery`."""
    try:
        return store.query(query, prefixes=dict(prefixes), use_default_graph_as_union=True)
    except SyntaxError as error:
        text = str(error)
        where = _POSITION.search(text)
        position = f"line {where.group(1)}, column {where.group(2)}: " if where else ""
        detail = _POSITION.sub("", text).replace("error at", "").strip(" :")
        raise MalformedQuery(f"The query does not parse: {position}{detail}.") from error


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def show_term(term: object, prefixes: Mapping[str, str]) -> str:
    """A term as a person reads it: a prefixed name, a literal's text (with @lang), ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        matches = [(p, ns) for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)]
        if matches:
            prefix, namespace = max(matches, key=lambda item: len(item[1]))
            local = iri[len(namespace) :]
            if re.fullmatch(r"[\w.-]*[\w-]", local):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _one_line(text: str) -> str:
    """A cell on one line: line breaks shown as ``\\n`` so the columns stay aligned."""
    return "".join("\\n" if ch in "\n\r\u2028\u2029\x85\v\f" else ch for ch in text)


def format_table(variables: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned text table with a header rule and a row count."""
    widths = [max([display_width(name), *(display_width(row[i]) for row in rows)]) for i, name in enumerate(variables)]
    lines = [
        "  ".join(_pad(name, widths[i]) for i, name in enumerate(variables)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def render(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str, prefixes: Mapping[str, str]
) -> str:
    """The results in ``fmt`` (one of :data:`FORMATS`); a format that does not fit the query form is an error."""
    if isinstance(results, ox.QueryTriples):
        if fmt not in ("table", "turtle"):
            raise InputError(f"A CONSTRUCT or DESCRIBE query gives triples; use --format turtle, not {fmt}.")
        graph = Graph(bind_namespaces="none")
        graph.parse(data=(ox.serialize(results, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"), format="nt")
        for prefix, namespace in prefixes.items():
            graph.bind(prefix, namespace)
        return graph.serialize(format="turtle")
    if fmt == "turtle":
        raise InputError("Only CONSTRUCT and DESCRIBE queries give triples; use --format table, csv or json.")
    if isinstance(results, ox.QueryBoolean):
        if fmt == "table":
            return "true" if bool(results) else "false"
    elif fmt == "table":
        variables = [v.value for v in results.variables]
        rows = [[_one_line(show_term(solution[name], prefixes)) for name in variables] for solution in results]
        return format_table(variables, rows)
    kind = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.JSON
    return (results.serialize(format=kind) or b"").decode("utf-8")


def query_dataset(project: Project, query: str, fmt: str = "table") -> str:
    """Run ``query`` on the built dataset and return its rendered results."""
    prefixes = all_prefixes(project.namespaces)
    return render(run_query(built_store(project), query, prefixes), fmt, prefixes)


def read_query(text: str | None, file: Path | None, stdin_text: str | None = None) -> str:
    """The query: given text, or a file's contents (``-`` meaning standard input)."""
    if file is not None:
        if not file.is_file():
            raise InputError(f"{file}: no such query file.")
        return file.read_text(encoding="utf-8")
    if text == "-":
        return stdin_text or ""
    if not text:
        raise InputError("No query given: pass it as an argument, '-' for standard input, or --file FILE.")
    return text
