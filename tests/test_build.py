"""``publisher build``: every dump written, checksums, byte-identical rebuilds, atomic replacement of dist/."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from publisher import dist_files
from publisher.build import build_dataset, is_stale, read_inputs
from publisher.errors import BuildError, InputError
from publisher.project import Project

DUMPS = {
    "dataset.ttl",
    "dataset.trig",
    "dataset.nt.gz",
    "dataset.jsonld",
    "ontology.ttl",
    "shapes.ttl",
    "void.ttl",
}


def quiet(_line: str) -> None:
    """Swallow the build's progress lines."""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(project: Project) -> list[str]:
    """Temporary folders a build left beside dist/."""
    return sorted(p.name for p in project.dist_dir.parent.iterdir() if p.name.startswith(f"{project.dist_dir.name}."))


def graph_of(path: Path, fmt: ox.RdfFormat) -> Graph:
    """The triples of a file as parsed by Oxigraph (rdflib's JSON-LD parser warns about its own internals)."""
    triples = ox.serialize(ox.parse(path=str(path), format=fmt), format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=triples.decode("utf-8"), format="nt")


def test_build_writes_every_dump_and_the_checksums(built_tiny_project: Project) -> None:
    names = {p.name for p in built_tiny_project.dist_dir.iterdir()}
    assert names == DUMPS | {"SHA256SUMS", "BUILDINFO.json"}


def test_sha256sums_lists_every_dump_with_its_hash(built_tiny_project: Project) -> None:
    dist = built_tiny_project.dist_dir
    lines = (dist / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert list(listed) == sorted(DUMPS)
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_dataset_ttl_holds_the_ontology_and_the_data(built_tiny_project: Project) -> None:
    inputs = read_inputs(built_tiny_project, out=quiet)
    published = Graph().parse(built_tiny_project.dist_dir / "dataset.ttl")
    assert isomorphic(published, inputs.content_graph())


def test_every_dump_of_the_content_has_the_same_triples(built_tiny_project: Project) -> None:
    dist = built_tiny_project.dist_dir
    turtle = Graph().parse(dist / "dataset.ttl")
    ntriples = Graph().parse(data=gzip.decompress((dist / "dataset.nt.gz").read_bytes()).decode(), format="nt")
    jsonld = graph_of(dist / "dataset.jsonld", ox.RdfFormat.JSON_LD)
    assert isomorphic(turtle, ntriples)
    assert isomorphic(turtle, jsonld)


def test_ntriples_dump_is_sorted_and_gzip_carries_no_time_or_name(built_tiny_project: Project) -> None:
    raw = (built_tiny_project.dist_dir / "dataset.nt.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # MTIME
    assert raw[3] & 0x08 == 0  # no FNAME
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert lines == sorted(lines)


def test_trig_holds_a_named_graph_per_input_plus_shapes_and_description(built_tiny_project: Project) -> None:
    store = ox.Store()
    store.bulk_load(path=str(built_tiny_project.dist_dir / "dataset.trig"), format=ox.RdfFormat.TRIG)
    base = built_tiny_project.base
    names = {g.value for g in store.named_graphs()}
    assert names == {f"{base}ontology", f"{base}graph/article", f"{base}graph/shapes", f"{base}graph/void"}
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 0
    shapes = Graph().parse(built_tiny_project.dist_dir / "shapes.ttl")
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(f"{base}graph/shapes")))) == len(shapes)


def test_rebuilding_unchanged_input_gives_byte_identical_files(tiny_project: Project) -> None:
    build_dataset(tiny_project, out=quiet)
    first = snapshot(tiny_project.dist_dir)
    build_dataset(tiny_project, out=quiet)
    assert snapshot(tiny_project.dist_dir) == first


def test_build_is_byte_identical_across_processes_and_hash_seeds(tiny_project: Project) -> None:
    build_dataset(tiny_project, out=quiet)
    first = snapshot(tiny_project.dist_dir)
    project_file = tiny_project.root / "dataset.toml"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-m", "publisher", "--project", str(project_file), "build", "--quiet"]
    subprocess.run(command, check=True, env=env, capture_output=True)
    assert snapshot(tiny_project.dist_dir) == first


def test_build_prints_files_counts_sizes_and_times(tiny_project: Project) -> None:
    lines: list[str] = []
    result = build_dataset(tiny_project, out=lines.append)
    text = "\n".join(lines)
    assert "data/article.ttl" in text and "triples" in text
    assert "SHACL, 2 node shapes: conforms" in text
    assert "3 figures against their wording: agree" in text
    assert "2 passages against the source: agree" in text
    for written in result.files:
        assert any(written.name in line and f"{written.size:,} bytes" in line for line in lines)
    assert text.count(" s)") >= 3
    assert f"{result.triples:,} triples" in lines[-1]


def break_turtle(project: Project) -> None:
    (project.data_dir / "article.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n")


def drop_a_unit(project: Project) -> None:
    path = project.data_dir / "article.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("    exo:unit exo:yuan ;\n", ""), encoding="utf-8")


def misstate_a_figure(project: Project) -> None:
    path = project.data_dir / "article.ttl"
    text = path.read_text(encoding="utf-8").replace("schema:value 200000.0", "schema:value 300000.0")
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("breakage", "error", "named"),
    [
        (break_turtle, InputError, "article.ttl: line 2"),
        (drop_a_unit, BuildError, "figure-funds"),
        (misstate_a_figure, BuildError, "figure-funds"),
    ],
    ids=["broken-turtle", "non-conforming", "figure-disagrees-with-wording"],
)
def test_failed_build_leaves_previous_dist_untouched_and_names_the_problem(
    tiny_project: Project, breakage, error, named
) -> None:
    build_dataset(tiny_project, out=quiet)
    before = snapshot(tiny_project.dist_dir)
    breakage(tiny_project)
    with pytest.raises(error) as raised:
        build_dataset(tiny_project, out=quiet)
    assert named in raised.value.message
    assert snapshot(tiny_project.dist_dir) == before
    assert leftovers(tiny_project) == []


def test_failure_while_writing_removes_the_temporary_folder(tiny_project: Project, monkeypatch) -> None:
    build_dataset(tiny_project, out=quiet)
    before = snapshot(tiny_project.dist_dir)
    (tiny_project.data_dir / "article.ttl").write_text(
        (tiny_project.data_dir / "article.ttl").read_text(encoding="utf-8").replace("Sample City", "Sample Town"),
        encoding="utf-8",
    )

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(dist_files, "swap_in", fail)
    with pytest.raises(OSError, match="disk full"):
        build_dataset(tiny_project, out=quiet)
    assert snapshot(tiny_project.dist_dir) == before
    assert leftovers(tiny_project) == []


def test_new_dist_replaces_the_old_one_where_folders_cannot_be_exchanged(tiny_project: Project, monkeypatch) -> None:
    build_dataset(tiny_project, out=quiet)
    (tiny_project.dist_dir / "stray.txt").write_text("from an older build")
    monkeypatch.setattr(dist_files, "_exchange", lambda _a, _b: False)
    build_dataset(tiny_project, out=quiet)
    assert not (tiny_project.dist_dir / "stray.txt").exists()
    assert (tiny_project.dist_dir / "dataset.trig").is_file()
    assert leftovers(tiny_project) == []


def test_folders_are_exchanged_in_one_step_on_linux(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "x").write_text("first")
    (second / "x").write_text("second")
    if not dist_files._exchange(first, second):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert (first / "x").read_text() == "second"
    assert (second / "x").read_text() == "first"


def test_dist_is_readable_by_everyone(built_tiny_project: Project) -> None:
    assert built_tiny_project.dist_dir.stat().st_mode & 0o755 == 0o755


def test_is_stale_until_built_and_again_after_an_input_changes(tiny_project: Project) -> None:
    assert is_stale(tiny_project)
    build_dataset(tiny_project, out=quiet)
    assert not is_stale(tiny_project)
    source = tiny_project.source
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert is_stale(tiny_project)


def test_a_new_data_file_makes_dist_stale(tiny_project: Project) -> None:
    build_dataset(tiny_project, out=quiet)
    (tiny_project.data_dir / "extra.ttl").write_text("")
    assert is_stale(tiny_project)


def test_data_file_that_would_take_a_reserved_graph_name_is_refused(tiny_project: Project) -> None:
    (tiny_project.data_dir / "shapes.ttl").write_text("")
    with pytest.raises(InputError, match=r"shapes\.ttl"):
        read_inputs(tiny_project, out=quiet)


def test_ontology_file_becomes_the_graph_named_after_its_ontology(tiny_project: Project) -> None:
    inputs = read_inputs(tiny_project, out=quiet)
    assert [item.name for item in inputs.ontology] == [URIRef(f"{tiny_project.base}ontology")]
    assert [item.name for item in inputs.data] == [URIRef(f"{tiny_project.base}graph/article")]


def test_build_inputs_include_the_code_that_writes_dist(tiny_project: Project) -> None:
    from publisher.dist_files import BUILD_MODULES, input_hashes

    assert "(publisher code)" in input_hashes(tiny_project)
    package = Path(dist_files.__file__).parent
    assert all((package / f"{module}.py").is_file() for module in BUILD_MODULES)


def test_dumps_keep_literals_with_line_breaks_and_prefix_like_lines_intact(tiny_project: Project) -> None:
    from publisher.dist_files import ntriples_bytes, trig_bytes

    tricky = Literal("first line\n@prefix no: <https://example.org/no/> .\nsecond\u2028third", lang="en")
    graph = Graph()
    graph.add(
        (URIRef(f"{tiny_project.base}resource/x"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), tricky)
    )
    trig = ox.parse(
        trig_bytes([(URIRef(f"{tiny_project.base}graph/x"), graph)], tiny_project), format=ox.RdfFormat.TRIG
    )
    assert [quad.object.value for quad in trig] == [str(tricky)]
    parsed = Graph().parse(data=ntriples_bytes(graph).decode("utf-8"), format="nt")
    assert set(parsed.objects()) == {tricky}


@pytest.mark.parametrize("name", ["dataset.ttl", "dataset.trig", "ontology.ttl", "shapes.ttl", "void.ttl"])
def test_turtle_dumps_open_with_what_they_hold_licence_and_date(built_tiny_project: Project, name: str) -> None:
    opening = (built_tiny_project.dist_dir / name).read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert opening.startswith(f"# {built_tiny_project.title['en']}: ")
    assert built_tiny_project.license in opening
    assert "Version of 2024-03-01." in opening  # the ontology's dcterms:modified
