"""Running a query and serialising its answer, cut at the result cap.

Everything here runs on a query thread (see :mod:`publisher.sparql.runner`). Most answers are small, so
solutions are first written straight in the requested format, into a sink that stops the serialiser past
a byte budget small enough that an answer within it cannot hold more rows than the cap. An answer that
outgrows the budget (and every graph) is cut exactly: the query runs again (and the next time it comes,
it goes to this path directly), solutions are written as SPARQL TSV and triples as N-Triples, one per
line, so the cap is a cut after ``limit`` lines (the serialiser is stopped just past it, so a huge result
costs no more than its first lines); the kept lines are then re-read and written in the requested
format, all by pyoxigraph (in Rust).
When a result is cut, the reply says so, and so does the body where the format has room:
a ``"truncated": true`` member after ``head`` in SPARQL JSON, a comment in SPARQL XML, Turtle and N-Triples.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import IO, Any, cast

import pyoxigraph as ox

from publisher.sparql.runner import Job, Reply

RESULT_SERIALISATIONS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_SERIALISATIONS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}

_ERROR_POSITION = re.compile(r"^error at (\d+):(\d+): ?")


def syntax_error_message(error: SyntaxError) -> str:
    """The parser's message in plain words, with its line and column."""
    text = str(error)
    position = _ERROR_POSITION.match(text)
    if position:
        line, column = position.groups()
        return f"The query does not parse: line {line}, column {column}: {text[position.end() :]}"
    return f"The query does not parse: {text}"


def _graphs(iris: tuple[str, ...] | None) -> list[ox.NamedNode | ox.BlankNode] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _default_graph(iris: tuple[str, ...] | None) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _written(output: bytes | None) -> bytes:
    """pyoxigraph's serialisers return the bytes when given no output file."""
    assert output is not None
    return output


def _cut_lines(data: bytes, keep: int) -> tuple[bytes, bool]:
    """The first ``keep`` lines of ``data``, and whether there were more."""
    end = 0
    for _ in range(keep):
        end = data.find(b"\n", end) + 1
        if end == 0:
            return data, False
    return data[:end], end < len(data)


class _Enough(Exception):
    """Raised inside a serialiser to stop it once what is wanted of its output is written."""


class _StoppingSink(io.RawIOBase):
    """A sink for pyoxigraph's serialisers that keeps what they write and stops them (raising
    :class:`_Enough`) once more than ``allowance`` units, as :meth:`units` counts them, have come."""

    def __init__(self, allowance: int) -> None:
        super().__init__()
        self.chunks: list[bytes] = []
        self.left = allowance

    def units(self, chunk: bytes) -> int:
        raise NotImplementedError

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.left -= self.units(chunk)
        if self.left < 0:
            raise _Enough
        return len(chunk)


class _LineCap(_StoppingSink):
    """Stops a serialiser after more than ``allowance`` lines."""

    def units(self, chunk: bytes) -> int:
        return chunk.count(b"\n")


class _ByteBudget(_StoppingSink):
    """Stops a serialiser once it has written more than ``allowance`` bytes."""

    def units(self, chunk: bytes) -> int:
        return len(chunk)


def _first_lines(serialize: Callable[[IO[bytes]], object], keep: int) -> tuple[bytes, bool]:
    """The first ``keep`` lines ``serialize`` writes (it is stopped soon after), and whether there were more."""
    sink = _LineCap(keep)
    with contextlib.suppress(_Enough):
        serialize(cast(IO[bytes], sink))
    return _cut_lines(b"".join(sink.chunks), keep)


# The fewest bytes one row takes in each format: "{}," in JSON, "<result/>" in XML, a line break in CSV.
# An answer of at most MIN_ROW_BYTES × limit bytes therefore holds at most ``limit`` rows.
MIN_ROW_BYTES = {"json": 3, "xml": 9, "csv": 1}


class _LargeAnswers:
    """The jobs whose answers lately outgrew the byte budget: they go straight to the exact cut, so a
    costly query with a large answer (a big sort, say) does not run twice each time. A job is known by a
    digest of its query and dataset, so the memory this takes stays small however long the queries are."""

    def __init__(self, kept: int) -> None:
        self._kept = kept
        self._keys: OrderedDict[bytes, None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(job: Job) -> bytes:
        return hashlib.sha256(repr((job.query, job.default_graphs, job.named_graphs)).encode()).digest()

    def __contains__(self, job: Job) -> bool:
        key = self._key(job)
        with self._lock:
            return key in self._keys

    def add(self, job: Job) -> None:
        key = self._key(job)
        with self._lock:
            self._keys[key] = None
            self._keys.move_to_end(key)
            while len(self._keys) > self._kept:
                self._keys.popitem(last=False)


LARGE_ANSWERS = _LargeAnswers(1024)


def _within(serialize: Callable[[IO[bytes]], object], budget: int) -> bytes | None:
    """What ``serialize`` writes, or ``None`` if that is more than ``budget`` bytes (it is stopped soon after)."""
    sink = _ByteBudget(budget)
    try:
        serialize(cast(IO[bytes], sink))
    except _Enough:
        return None
    return b"".join(sink.chunks)


def truncation_note(limit: int) -> str:
    return f"Results truncated: only the first {limit} are given (the server's result limit)."


def _mark_solutions(body: bytes, format_key: str, limit: int) -> bytes:
    note = truncation_note(limit).encode()
    if format_key == "json":  # after the head, where streaming parsers (pyoxigraph's too) accept it
        return body.replace(b',"results":', b',"truncated":true,"results":', 1)
    if format_key == "xml":
        declaration_end = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
        return body[:declaration_end] + b"<!-- " + note + b" -->" + body[declaration_end:]
    return body


def _mark_graph(body: bytes, format_key: str, limit: int) -> bytes:
    if format_key in {"ttl", "nt"}:
        return b"# " + truncation_note(limit).encode() + b"\n" + body
    return body


def run_job(store: ox.Store, job: Job) -> Reply:
    """Run ``job`` on ``store``; a syntax error becomes a reply with its message."""
    union = job.default_graphs is None

    def run() -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return store.query(
            job.query,
            use_default_graph_as_union=union,
            default_graph=_default_graph(job.default_graphs),
            named_graphs=_graphs(job.named_graphs),
        )

    try:
        result = run()
    except SyntaxError as error:
        return Reply(error=syntax_error_message(error))
    if isinstance(result, ox.QueryBoolean):
        return Reply(body=_written(result.serialize(format=RESULT_SERIALISATIONS[job.format_key])))
    if isinstance(result, ox.QuerySolutions):
        if job.format_key in MIN_ROW_BYTES and job not in LARGE_ANSWERS:
            first = result
            small = _within(
                lambda sink: first.serialize(sink, format=RESULT_SERIALISATIONS[job.format_key]),
                MIN_ROW_BYTES[job.format_key] * job.limit,
            )
            if small is not None:
                return Reply(body=small)
            LARGE_ANSWERS.add(job)
            result = run()  # too large to be sure it is within the cap: again, cut exactly
        assert isinstance(result, ox.QuerySolutions)
        return _capped_solutions(result, job)
    return _capped_triples(result, job)


def _capped_solutions(result: ox.QuerySolutions, job: Job) -> Reply:
    """The first ``job.limit`` rows of ``result`` in the job's format, flagged when there were more."""
    kept, truncated = _first_lines(  # the header line, then the rows
        lambda sink: result.serialize(sink, format=ox.QueryResultsFormat.TSV), job.limit + 1
    )
    if job.format_key == "tsv":
        body = kept
    else:
        solutions = ox.parse_query_results(kept, format=ox.QueryResultsFormat.TSV)
        body = _written(solutions.serialize(format=RESULT_SERIALISATIONS[job.format_key]))
    if truncated:
        body = _mark_solutions(body, job.format_key, job.limit)
    return Reply(body=body, truncated=truncated)


def _capped_triples(result: ox.QueryTriples, job: Job) -> Reply:
    """The first ``job.limit`` triples of ``result`` in the job's format, flagged when there were more."""
    kept, truncated = _first_lines(lambda sink: result.serialize(sink, format=ox.RdfFormat.N_TRIPLES), job.limit)
    if job.format_key == "nt":
        body = kept
    else:
        parsed = ox.parse(kept, format=ox.RdfFormat.N_TRIPLES)
        body = _written(ox.serialize((quad.triple for quad in parsed), format=GRAPH_SERIALISATIONS[job.format_key]))
    if truncated:
        body = _mark_graph(body, job.format_key, job.limit)
    return Reply(body=body, truncated=truncated)
