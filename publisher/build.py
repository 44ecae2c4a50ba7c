"""``publisher build``: read the project's inputs, validate them, and publish ``dist/`` atomically.

The inputs are ``ontology/*.ttl``, ``data/*.ttl`` (one named graph each), ``shapes/*.ttl`` and the source
text. They are validated with SHACL and with the consistency checks of :mod:`publisher.consistency`;
only when all is valid is a new ``dist/`` written, into a temporary sibling folder that is then swapped
in (see :mod:`publisher.dist_files`). A failed build raises :class:`BuildError` and leaves ``dist/`` as it
was. Unchanged inputs give byte-identical files: nothing is taken from the clock.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from publisher import consistency
from publisher.dist_files import WrittenFile, input_hashes, read_build_info, write_dist
from publisher.errors import BuildError, InputError
from publisher.project import Project
from publisher.rdf_files import parse_into
from publisher.validation import ValidationReport, validate
from publisher.void import unlinked_namespaces, void_graph_name

Printer = Callable[[str], None]
DATASET_SUFFIXES = (".trig", ".nq", ".trix")


@dataclass(frozen=True)
class InputFile:
    """One RDF input file, the named graph it becomes, and its triples."""

    path: Path
    name: URIRef
    graph: Graph


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads: ontology, data and shapes files, and the source text."""

    ontology: tuple[InputFile, ...]
    data: tuple[InputFile, ...]
    shapes: tuple[InputFile, ...]
    source_text: str

    def ontology_graph(self) -> Graph:
        return _union(self.ontology)

    def data_graph(self) -> Graph:
        return _union(self.data)

    def shapes_graph(self) -> Graph:
        return _union(self.shapes)

    def content_graph(self) -> Graph:
        """The published content: ontology and data together (what ``dataset.ttl`` holds)."""
        return _union(self.ontology + self.data)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of validation: the SHACL report and the consistency problems."""

    report: ValidationReport
    problems: tuple[str, ...]

    @property
    def conforms(self) -> bool:
        return self.report.conforms and not self.problems

    def plain_text(self) -> str:
        """The SHACL report and each consistency problem, in plain words."""
        if self.conforms:
            return "The data conforms to the shapes, and every figure and passage agrees with the source."
        parts = [] if self.report.conforms else [self.report.plain_text()]
        if self.problems:
            parts.append(f"The data disagrees with its source: {len(self.problems)} problem(s).")
            parts += [f"- {problem}" for problem in self.problems]
        return "\n".join(parts)


@dataclass(frozen=True)
class BuildResult:
    """What a successful build published."""

    dist: Path
    files: tuple[WrittenFile, ...]
    triples: int
    seconds: float


def _union(files: tuple[InputFile, ...]) -> Graph:
    graph = Graph()
    for item in files:
        graph += item.graph
        for prefix, namespace in item.graph.namespaces():
            graph.bind(prefix, namespace, override=False)
    return graph


def graph_name(project: Project, path: Path) -> URIRef:
    """The named graph of a data file: ``<base>graph/<file stem>``."""
    return URIRef(f"{project.base}graph/{path.name.split('.')[0]}")


def shapes_graph_name(project: Project) -> URIRef:
    """The named graph that holds the shapes in ``dataset.trig``."""
    return URIRef(f"{project.base}graph/shapes")


def _ontology_graph_name(project: Project, path: Path, graph: Graph) -> URIRef:
    """The ontology's own IRI when the file declares exactly one ``owl:Ontology``, else the file's graph."""
    declared = sorted({s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)})
    return declared[0] if len(declared) == 1 else graph_name(project, path)


def read_rdf_file(path: Path) -> Graph:
    """The triples of one RDF file (of a dataset format, all its graphs); :class:`InputError` if it is broken."""
    if path.suffix.lower() not in DATASET_SUFFIXES:
        return parse_into(Graph(), path)
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib 7 warns about its own use of Dataset.default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        parse_into(dataset, path)
    graph = Graph()
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=False)
    return graph


def _read_folder(project: Project, folder: Path, what: str, *, required: bool) -> list[Path]:
    files = project.ttl_files(folder)
    if required and not files:
        raise InputError(f"{folder}: no {what} files (*.ttl) found.")
    return files


def _relative(project: Project, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.root.resolve()))
    except ValueError:
        return str(path)


def read_inputs(project: Project, data_files: list[Path] | None = None, *, out: Printer = print) -> Inputs:
    """Read ontology, data (or the given files, taken as the data), shapes and source text.

    Prints each file with its triple count. Raises :class:`InputError` naming a missing or broken file,
    or two files that would become the same named graph.
    """
    ontology_files = _read_folder(project, project.ontology_dir, "ontology", required=False)
    data_paths = data_files if data_files else _read_folder(project, project.data_dir, "data", required=True)
    shapes_files = _read_folder(project, project.shapes_dir, "shapes", required=True)
    seen: dict[URIRef, Path] = {
        shapes_graph_name(project): project.shapes_dir,
        void_graph_name(project): Path("the dataset description"),
    }

    def read(path: Path, kind: str) -> InputFile:
        graph = read_rdf_file(path)
        out(f"  {_relative(project, path):<40} {len(graph):>7} triples")
        if kind == "shapes":
            return InputFile(path=path, name=shapes_graph_name(project), graph=graph)
        name = _ontology_graph_name(project, path, graph) if kind == "ontology" else graph_name(project, path)
        if name in seen:
            raise InputError(f"{path} and {seen[name]} would both become the named graph <{name}>; rename one.")
        seen[name] = path
        return InputFile(path=path, name=name, graph=graph)

    ontology = tuple(read(path, "ontology") for path in ontology_files)
    data = tuple(read(path, "data") for path in data_paths)
    shapes = tuple(read(path, "shapes") for path in shapes_files)
    source_text = consistency.read_source(project)
    out(f"  {_relative(project, project.source):<40} {len(source_text):>7} characters")
    return Inputs(ontology=ontology, data=data, shapes=shapes, source_text=source_text)


def check_inputs(inputs: Inputs, project: Project, *, out: Printer | None = None) -> CheckResult:
    """Validate the data against the shapes (RDFS inference over the ontology) and against the source.

    With ``out``, prints one line per check: what was checked and how it went.
    """
    say = out or (lambda _line: None)
    report = validate(inputs.data_graph(), inputs.shapes_graph(), inputs.ontology_graph())
    shapes = len(set(inputs.shapes_graph().subjects(RDF.type, SH.NodeShape)))
    say(f"  SHACL, {shapes} node shapes: {'conforms' if report.conforms else f'{len(report.violations)} problem(s)'}")
    content = inputs.content_graph()
    figures = consistency.check_figures(content, project)
    count = len(set(content.subjects(RDF.type, URIRef(project.figures.figure_class))))
    say(f"  {count} figures against their wording: {f'{len(figures)} problem(s)' if figures else 'agree'}")
    passages = consistency.check_passages(content, project, inputs.source_text)
    count = len(set(content.subjects(URIRef(project.provenance.start), None)))
    say(f"  {count} passages against the source: {f'{len(passages)} problem(s)' if passages else 'agree'}")
    return CheckResult(report=report, problems=(*figures, *passages))


@contextmanager
def _step(title: str, out: Printer) -> Iterator[None]:
    out(title)
    started = time.perf_counter()
    yield
    out(f"  ({time.perf_counter() - started:.2f} s)")


def build_dataset(project: Project, *, out: Printer = print) -> BuildResult:
    """Validate the project's inputs and, when valid, publish a new ``dist/``; see the module docstring.

    Raises :class:`InputError` for a missing or broken input, :class:`BuildError` (whose message is the
    plain report) when the data does not conform; ``dist/`` is then left as it was.
    """
    started = time.perf_counter()
    with _step("Reading inputs", out):
        inputs = read_inputs(project, out=out)
    with _step("Validating", out):
        result = check_inputs(inputs, project, out=out)
        for namespace, count in unlinked_namespaces(inputs.content_graph(), project).items():
            out(f"  note: {count} link(s) into {namespace} have no [linksets] entry in the project file")
    if not result.conforms:
        raise BuildError(f"{result.plain_text()}\nThe build stopped; {project.dist_dir} was left as it was.")
    with _step(f"Writing {project.dist_dir}", out):
        files, triples = write_dist(project, inputs)
        for written in files:
            out(f"  {written.name:<40} {written.size:>10,} bytes")
    seconds = time.perf_counter() - started
    out(f"Built {project.dist_dir} ({triples:,} triples) in {seconds:.2f} s.")
    return BuildResult(dist=project.dist_dir, files=tuple(files), triples=triples, seconds=seconds)


def is_stale(project: Project) -> bool:
    """Whether ``dist/`` is missing, or was built from inputs other than the current ones."""
    recorded = read_build_info(project.dist_dir)
    if recorded is None:
        return True
    try:
        current = input_hashes(project)
    except OSError:
        return True
    return recorded != current
