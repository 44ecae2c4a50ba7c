"""Reading RDF files: syntax errors name the file and the right line, even at the end of a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.rdf_files import load_dataset, load_graph


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', 3),
        ("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b\n", 3),
        ("@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n\n\nex:d ex:e ex:f .\nex:g ex:h ex:i .\n", 5),
        ("ex:a ex:b ex:c .\n", 1),
    ],
)
def test_syntax_error_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_graph([path])
    assert caught.value.message.startswith(f"{path}: line {line}: syntax error")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.ttl: no such file"):
        load_graph([tmp_path / "nope.ttl"])


def test_non_utf8_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<http://e/a> <http://e/b> "café" .\n'.encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.ttl"):
        load_graph([path])


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown RDF file extension '\.xyz'"):
        load_graph([path])


def test_each_file_becomes_a_named_graph_under_the_base(tmp_path: Path) -> None:
    path = tmp_path / "facts.ttl"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    dataset = load_dataset([path], "https://example.org/graph/")
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {"https://example.org/graph/facts"}


def test_a_violation_report_uses_the_well_known_prefixes_and_says_each_problem_once(tmp_path: Path) -> None:
    from rdflib import Graph

    from publisher.validation import validate

    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <http://schema.org/> .
        @prefix ex: <http://e/> .
        ex:Organizer a sh:PropertyShape ; sh:path schema:organizer ; sh:minCount 1 ; sh:message "needs an organiser" .
        ex:A a sh:NodeShape ; sh:targetClass ex:Event ; sh:property ex:Organizer .
        ex:B a sh:NodeShape ; sh:targetClass ex:Fair ; sh:property ex:Organizer .""",
        format="turtle",
    )
    data = Graph().parse(data="<http://e/x> a <http://e/Event>, <http://e/Fair> .", format="turtle")
    report = validate(data, shapes)
    assert not report.conforms
    assert [v.path for v in report.violations] == ["schema:organizer"]
