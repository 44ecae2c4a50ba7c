"""Reading RDF files into rdflib graphs, with errors that name the file and the line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format

from publisher.errors import InputError


def _format_of(path: Path) -> str:
    fmt = guess_format(str(path)) or ("json-ld" if path.suffix == ".jsonld" else None)
    if fmt is None:
        raise InputError(
            f"{path}: unknown RDF file extension '{path.suffix}'; use .ttl, .nt, .nq, .trig, .jsonld or .rdf."
        )
    return fmt


def _line_of(exc: BadSyntax) -> int:
    """The 1-based line of a Turtle syntax error: counted up to the error's position, which stays right
    at the end of a file, where rdflib's own ``lines`` runs past it."""
    text, position = getattr(exc, "_str", None), getattr(exc, "_i", None)
    if isinstance(text, bytes | str) and isinstance(position, int):
        newline = b"\n" if isinstance(text, bytes) else "\n"
        return text[:position].count(newline) + 1  # type: ignore[arg-type]
    return exc.lines + 1


def parse_into(graph: Graph, path: Path) -> Graph:
    """Parse one file into ``graph``; a missing file or a syntax error raises :class:`InputError`."""
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    try:
        graph.parse(path, format=_format_of(path))
    except BadSyntax as exc:
        raise InputError(f"{path}: line {_line_of(exc)}: syntax error: {exc._why}.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from exc
    except InputError:
        raise
    except Exception as exc:  # rdflib's other parsers raise assorted exceptions
        raise InputError(f"{path}: does not parse: {exc}") from exc
    return graph


def load_graph(paths: Iterable[Path]) -> Graph:
    """All triples of the given files in one graph."""
    graph = Graph()
    for path in paths:
        parse_into(graph, path)
    return graph


def load_dataset(paths: Iterable[Path], graph_base: str) -> Dataset:
    """A dataset with one named graph per file, ``<graph_base><file stem>``, queried as their union."""
    dataset = Dataset(default_union=True)
    for path in paths:
        parse_into(dataset.graph(URIRef(f"{graph_base}{path.name.split('.')[0]}")), path)
    return dataset
