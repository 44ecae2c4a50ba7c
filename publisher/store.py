"""The published data, loaded once per process into an Oxigraph store and kept in ``app.extensions``.

What is served is either the built dataset (``dist/dataset.trig``, one named graph per source file)
or the RDF files named by the ``DATA_FILES`` setting. Triples from a file without graphs go into a
named graph ``<base>graph/<file stem>``, so the default graph is always the union of named graphs.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from publisher.errors import ConfigurationError, InputError
from publisher.project import Project, load_project

if TYPE_CHECKING:
    from flask import Flask

EXTENSION_KEY = "publisher"
BUILT_DATASET = "dataset.trig"

_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


@dataclass(frozen=True)
class PublishedData:
    """The loaded data of one process: the store, where it came from, and its version."""

    project: Project
    files: tuple[Path, ...]
    store: ox.Store
    version: str
    memory_bytes: int = 0  # what loading the store added to this process's resident memory

    @property
    def triple_count(self) -> int:
        return len(self.store)


def rdf_format_for(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension (``.gz`` is looked through)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = _FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise InputError(f"{path.name}: unknown RDF file extension; use one of {known} (optionally .gz).")
    return fmt


def _open(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]  # a GzipFile reads bytes
    return path.open("rb")


def file_graph_name(project: Project, path: Path) -> ox.NamedNode:
    """The named graph that holds the triples of a file without graphs of its own."""
    stem = path.name.split(".")[0]
    return ox.NamedNode(f"{project.base}graph/{stem}")


def load_files(project: Project, files: list[Path]) -> ox.Store:
    """Load RDF files into a new in-memory store; a missing or broken file raises :class:`InputError`."""
    store = ox.Store()
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file.")
        fmt = rdf_format_for(path)
        graph = None if fmt.supports_datasets else file_graph_name(project, path)
        try:
            with _open(path) as stream:
                store.bulk_load(stream, format=fmt, to_graph=graph, base_iri=project.base)
        except SyntaxError as exc:
            raise InputError(f"{path.name} does not parse: {exc}") from exc
        except (OSError, EOFError, ValueError) as exc:
            raise InputError(f"{path.name} cannot be read: {exc}") from exc
    return store


def select(store: ox.Store, query: str, substitutions: dict[ox.Variable, Any] | None = None) -> ox.QuerySolutions:
    """Run one of our own SELECT queries over the union of the named graphs."""
    result = store.query(query, use_default_graph_as_union=True, substitutions=substitutions)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("select() runs SELECT queries only")
    return result


def files_version(files: list[Path]) -> str:
    """A short hash of the files' contents: the data version used in ETags and caches."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def data_files(project: Project, configured: list[str]) -> list[Path]:
    """The files to serve: those configured, or the built dataset (which must exist)."""
    if configured:
        return [Path(f).resolve() for f in configured]
    built = project.dist_dir / BUILT_DATASET
    if not built.is_file():
        raise ConfigurationError(f"No built dataset at {built}. Run 'publisher build' first.")
    return [built]


# Reading pyoxigraph's in-memory store writes to its pages, so a process forked from the one that loaded
# it comes to hold a private copy of most of it as its queries scan the data (measured: 300 of 440 MiB
# at 1e6 triples).
COPIED_SHARE = 0.75
BYTES_PER_TRIPLE_ESTIMATE = 450  # in-memory store, measured at 1e6 triples; used where /proc cannot tell


def resident_bytes() -> int:
    """This process's resident memory (0 where ``/proc`` does not tell)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def load_published(project: Project, configured: list[str]) -> PublishedData:
    """Load what is to be served, as :func:`data_files` chooses it, and note the memory the store took."""
    files = data_files(project, configured)
    before = resident_bytes()
    store = load_files(project, files)
    grown = resident_bytes() - before
    memory = grown if before and grown > 0 else len(store) * BYTES_PER_TRIPLE_ESTIMATE
    return PublishedData(
        project=project, files=tuple(files), store=store, version=files_version(files), memory_bytes=memory
    )


def init_app(app: Flask) -> None:
    """Load the project and its data once, into ``app.extensions``."""
    project = load_project(app.config["PROJECT_FILE"])
    app.extensions[EXTENSION_KEY] = load_published(project, list(app.config["DATA_FILES"]))


def get_data() -> PublishedData:
    """The current application's published data."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]
