"""Writing ``dist/``: the dump files, byte-identical for unchanged input, swapped in atomically.

Every file is written into a temporary sibling folder (``dist.build-*``), which then takes the place of
``dist/``: on Linux both folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` call, so ``dist/``
is never missing; elsewhere two renames do it, undoing the first if the second fails. Whatever goes
wrong, the temporary folder is removed and the previous ``dist/`` stays as it was.

Blank nodes are given canonical labels (``rdflib.compare``), and every serialisation is sorted, so the
output depends on the input only. ``BUILDINFO.json`` records a hash of each input, for
:func:`publisher.build.is_stale`; it is not a dump and is not listed in ``SHA256SUMS``.
"""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph

from publisher.project import Project
from publisher.version import __version__
from publisher.vocab import all_prefixes, bind_prefixes
from publisher.void import DumpFile, dataset_dates, describe_dataset, dump_media_type, void_graph_name

if TYPE_CHECKING:
    from publisher.build import Inputs

BUILD_INFO = "BUILDINFO.json"
CHECKSUMS = "SHA256SUMS"
# The modules whose code decides what a build writes: a change to one makes dist/ stale.
BUILD_MODULES = ("build", "consistency", "dist_files", "quantity", "rdf_files", "validation", "vocab", "void")


@dataclass(frozen=True)
class WrittenFile:
    """One file of ``dist/``: its name, size in bytes and SHA-256."""

    name: str
    size: int
    sha256: str


def canonical(graph: Graph, label_prefix: str = "") -> Graph:
    """A copy of ``graph`` whose blank nodes have labels derived from the content (and ``label_prefix``)."""
    result = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace)
    for triple in to_canonical_graph(graph):
        result.add(
            tuple(BNode(f"{label_prefix}{node}") if isinstance(node, BNode) else node for node in triple)  # type: ignore[arg-type]
        )
    return result


def _bound(graph: Graph, project: Project) -> Graph:
    copy = Graph(bind_namespaces="none")
    copy += graph
    bind_prefixes(copy, project.namespaces)
    bound = {str(namespace) for _, namespace in copy.namespaces()}
    for prefix, namespace in sorted(graph.namespaces()):
        if str(namespace) not in bound and not prefix.startswith(("ns", "default")):
            copy.bind(prefix, namespace, override=False)
    return copy


def turtle_bytes(graph: Graph, project: Project) -> bytes:
    """Turtle for people (rdflib's ``longturtle``: sorted subjects, predicates and objects)."""
    return _bound(graph, project).serialize(format="longturtle", encoding="utf-8")


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.split("\n") if line)
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip without a file name or time stamp, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as stream:
        stream.write(data)
    return buffer.getvalue()


def _sorted_json(node: Any, *, ordered: bool = False) -> Any:
    if isinstance(node, dict):
        return {key: _sorted_json(value, ordered=key == "@list") for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(item) for item in node]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def jsonld_bytes(graph: Graph, project: Project) -> bytes:
    """JSON-LD compacted with the dataset's prefixes; nodes and values sorted (``@list`` order kept)."""
    context = all_prefixes(project.namespaces)
    text = _bound(graph, project).serialize(format="json-ld", context=context, auto_compact=True)
    document = _sorted_json(json.loads(text))
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def trig_bytes(graphs: Iterable[tuple[URIRef, Graph]], project: Project) -> bytes:
    """TriG with one block per named graph, graphs sorted by name; prefixes declared once, on top."""
    prefixes: dict[str, str] = {}
    blocks = []
    for name, graph in sorted(graphs, key=lambda item: str(item[0])):
        body = _bound(graph, project).serialize(format="turtle", encoding="utf-8").decode("utf-8")
        lines = body.split("\n")  # not splitlines(): a literal may hold U+2028 and other line breaks
        first = 0
        while first < len(lines) and (lines[first].startswith("@prefix ") or not lines[first].strip()):
            if lines[first].startswith("@prefix "):
                prefix, namespace = lines[first][len("@prefix ") :].rstrip(" .").split(": ", 1)
                prefixes[prefix] = namespace
            first += 1
        triples = "\n".join(lines[first:]).strip("\n")
        blocks.append(f"<{name}> {{\n{triples}\n}}\n")
    header = "".join(f"@prefix {prefix}: {namespace} .\n" for prefix, namespace in sorted(prefixes.items()))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


def _plain(value: Any, root: Path) -> Any:
    if isinstance(value, Path):
        return os.path.relpath(value, root)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v, root) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, root) for v in value]
    return value


def input_hashes(project: Project) -> dict[str, str]:
    """SHA-256 of each input file (by path relative to the project), of the settings, and the version."""
    files = [
        *project.ttl_files(project.ontology_dir),
        *project.ttl_files(project.data_dir),
        *project.ttl_files(project.shapes_dir),
        project.source,
    ]
    hashes = {os.path.relpath(path, project.root): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    settings = json.dumps(_plain(dataclasses.asdict(project), project.root), sort_keys=True, ensure_ascii=False)
    hashes["(project settings)"] = hashlib.sha256(settings.encode("utf-8")).hexdigest()
    hashes["(publisher version)"] = __version__
    code = hashlib.sha256()
    for module in BUILD_MODULES:
        code.update((Path(__file__).parent / f"{module}.py").read_bytes())
    hashes["(publisher code)"] = code.hexdigest()
    return dict(sorted(hashes.items()))


def read_build_info(dist: Path) -> dict[str, str] | None:
    """The input hashes the build in ``dist`` recorded, or ``None`` if there is no readable record."""
    try:
        recorded = json.loads((dist / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded.get("inputs") if isinstance(recorded, dict) else None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); ``False`` where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(new: Path, dist: Path) -> None:
    """Put the folder ``new`` in the place of ``dist``; the previous ``dist`` is removed."""
    if not dist.exists():
        os.replace(new, dist)
        return
    if _exchange(new, dist):
        shutil.rmtree(new)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{dist.name}.old-", dir=dist.parent))
    os.rmdir(old)
    os.replace(dist, old)
    try:
        os.replace(new, dist)
    except OSError:
        os.replace(old, dist)
        raise
    shutil.rmtree(old)


def header(project: Project, content: Graph, holds: str) -> bytes:
    """The comment a Turtle or TriG dump opens with: what it holds, licence, date; no clock time."""
    _, modified = dataset_dates(content, project)
    title = project.title.get("en") or next(iter(project.title.values()), project.slug)
    lines = [
        f"{title}: {holds}.",
        f"Licence: {project.license}. Version of {modified.isoformat()}.",
        "Written by 'publisher build' from the project's ontology, data and shapes; edit those, not this file.",
    ]
    return "".join(f"# {line}\n" for line in lines).encode("utf-8") + b"\n"


def _dump_contents(inputs: Inputs, project: Project, content: Graph) -> dict[str, bytes]:
    def commented(holds: str, data: bytes) -> bytes:
        return header(project, content, holds) + data

    return {
        "dataset.ttl": commented("the ontology and the data in one graph", turtle_bytes(content, project)),
        "dataset.nt.gz": gzip_bytes(ntriples_bytes(content)),
        "dataset.jsonld": jsonld_bytes(content, project),
        "ontology.ttl": commented("the ontology", turtle_bytes(canonical(inputs.ontology_graph()), project)),
        "shapes.ttl": commented("the SHACL shapes", turtle_bytes(canonical(inputs.shapes_graph()), project)),
    }


def _file(name: str, data: bytes) -> WrittenFile:
    return WrittenFile(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def render_dist(inputs: Inputs, project: Project) -> tuple[dict[str, bytes], int]:
    """The bytes of every file of ``dist/`` (by name), and the number of triples published."""
    content = canonical(inputs.content_graph())
    files = _dump_contents(inputs, project, content)
    dumps = [DumpFile.of(name, data) for name, data in files.items()]
    dumps.append(DumpFile(name="dataset.trig", media_type=dump_media_type("dataset.trig")))
    description = describe_dataset(project, content, dumps)
    files["void.ttl"] = header(project, content, "its description (VoID and DCAT)") + turtle_bytes(description, project)
    named = [(item.name, canonical(item.graph, f"g{i}x")) for i, item in enumerate(inputs.ontology + inputs.data)]
    named.append((inputs.shapes[0].name, canonical(inputs.shapes_graph(), "shapes")))
    named.append((void_graph_name(project), description))
    holds = "ontology, data, shapes and description, one named graph each"
    files["dataset.trig"] = header(project, content, holds) + trig_bytes(named, project)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files[CHECKSUMS] = sums.encode("ascii")
    info = {"inputs": input_hashes(project)}
    files[BUILD_INFO] = (json.dumps(info, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    return files, len(content)


def write_dist(project: Project, inputs: Inputs) -> tuple[list[WrittenFile], int]:
    """Render every file, write them into a temporary sibling of ``dist/`` and swap it in."""
    files, triples = render_dist(inputs, project)
    dist = project.dist_dir
    dist.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f"{dist.name}.build-", dir=dist.parent))
    try:
        temporary.chmod(0o755)  # mkdtemp makes it private; dist/ is for everyone to read
        for name, data in sorted(files.items()):
            (temporary / name).write_bytes(data)
        swap_in(temporary, dist)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)
    return [_file(name, data) for name, data in sorted(files.items())], triples
