"""Checks of figures against their wording and of passages against the source text (tests/data/consistency/)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.consistency import check_figures, check_passages, read_source
from publisher.errors import InputError
from publisher.project import Project

FIXTURES = Path(__file__).resolve().parent / "data" / "consistency"
SUR = "https://w3id.org/shaanxi-unions/resource/"
SUO = "https://w3id.org/shaanxi-unions/ontology/"


def load_fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


@pytest.fixture(scope="module")
def source_text(project: Project) -> str:
    return read_source(project)


def test_good_figures_have_no_problems(project: Project) -> None:
    graph = load_fixture("good.ttl")
    assert check_figures(graph, project) == []


def test_good_passages_have_no_problems(project: Project, source_text: str) -> None:
    graph = load_fixture("good.ttl")
    assert check_passages(graph, project, source_text) == []


# Each broken fixture: the one problem expected, as the fragments its message must hold.
FIGURE_PROBLEMS = {
    "figure-wrong-value.ttl": [
        f"<{SUR}figure-shangluo-donations>",
        "the value is 680, but its wording '680余万元' says 6800000",
    ],
    "figure-wrong-qualifier.ttl": [
        f"<{SUR}figure-warmth-funds>",
        f"has the qualifier <{SUO}exactly>, but its wording '近2亿元' says nearly (<{SUO}nearly>)",
    ],
    "figure-wrong-unit.ttl": [
        f"<{SUR}figure-small-firms-reached>",
        f"its unit <{SUO}job> takes the measure words '个', but its wording '8500余户' counts in '户'",
    ],
    "figure-unreadable-wording.ttl": [
        f"<{SUR}figure-unreadable>",
        "Cannot read the quantity '万元': '万' is a unit of counting, not a number",
    ],
    "figure-missing-wording.ttl": [
        f"<{SUR}figure-without-wording>",
        f"has no original wording (<{SUO}originalWording>)",
    ],
    "figure-missing-value.ttl": [
        f"<{SUR}figure-without-value>",
        "has no value (<http://schema.org/value>), but needs exactly one; its wording '20万元' says 200000",
    ],
    "figure-value-not-a-number.ttl": [
        f"<{SUR}figure-value-in-words>",
        "the value '二十万' is not a number; its wording '20万元' says 200000",
    ],
    "figure-unmapped-qualifier.ttl": [
        f"<{SUR}figure-about>",
        "its wording '约5万元' says about, a qualifier with no IRI in the project",
        "[figures.qualifiers]",
    ],
}

PASSAGE_PROBLEMS = {
    "passage-wrong-text.ttl": [
        f"<{SUR}sentence-56-113>",
        "the source text at 56–113 is '…商洛市总工会紧急筹措20万元,动员劳模及企业捐款捐物680余…'",
        "but the data states '…商洛市总工会紧急筹措30万元,动员劳模及企业捐款捐物680余…'",
        "(they differ from character 24 on)",
    ],
    "passage-shifted-offsets.ttl": [
        f"<{SUR}sentence-55-112>",
        "the source text at 55–112 is '\\n今年8月以来",
        "The stated text is at 56–113.",
    ],
    "passage-beyond-text.ttl": [
        f"<{SUR}sentence-3270-3300>",
        "the offsets 3270–3300 do not lie within the source text, which has 3277 characters (0–3277)",
    ],
    "passage-reversed-offsets.ttl": [
        f"<{SUR}sentence-113-56>",
        "the start offset 113 is not before the end offset 56",
    ],
    "passage-offset-not-integer.ttl": [f"<{SUR}sentence-decimal-start>", "the start offset '56.5' is not an integer"],
    "passage-missing-end.ttl": [
        f"<{SUR}sentence-without-end>",
        "has no end (<http://www.w3.org/ns/oa#end>); a passage needs one text, start and end",
    ],
}


@pytest.mark.parametrize(("fixture", "fragments"), FIGURE_PROBLEMS.items(), ids=list(FIGURE_PROBLEMS))
def test_each_broken_figure_is_reported_once(project: Project, fixture: str, fragments: list[str]) -> None:
    if fixture == "figure-unmapped-qualifier.ttl":  # a project that gives 'about' no IRI
        qualifiers = {k: v for k, v in project.figures.qualifiers.items() if k != "about"}
        project = replace(project, figures=replace(project.figures, qualifiers=qualifiers))
    problems = check_figures(load_fixture(fixture), project)
    assert len(problems) == 1, problems
    for fragment in fragments:
        assert fragment in problems[0]


@pytest.mark.parametrize(("fixture", "fragments"), PASSAGE_PROBLEMS.items(), ids=list(PASSAGE_PROBLEMS))
def test_each_broken_passage_is_reported_once(
    project: Project, source_text: str, fixture: str, fragments: list[str]
) -> None:
    problems = check_passages(load_fixture(fixture), project, source_text)
    assert len(problems) == 1, problems
    for fragment in fragments:
        assert fragment in problems[0]


def test_every_fixture_file_is_exercised() -> None:
    tested = {"good.ttl", *FIGURE_PROBLEMS, *PASSAGE_PROBLEMS}
    assert {path.name for path in FIXTURES.glob("*.ttl")} == tested


def test_figure_checks_find_nothing_wrong_in_passages_and_the_reverse(project: Project, source_text: str) -> None:
    for fixture in FIGURE_PROBLEMS:
        assert check_passages(load_fixture(fixture), project, source_text) == []
    for fixture in PASSAGE_PROBLEMS:
        assert check_figures(load_fixture(fixture), project) == []


def test_problems_of_several_figures_are_all_reported_in_iri_order(project: Project) -> None:
    graph = Graph()
    for fixture in ("figure-wrong-value.ttl", "figure-wrong-qualifier.ttl", "good.ttl"):
        graph.parse(FIXTURES / fixture, format="turtle")
    problems = check_figures(graph, project)
    # The broken donations figure shares its IRI with a good one, so it now has two values.
    assert [problem.split()[1] for problem in problems] == [
        f"<{SUR}figure-shangluo-donations>",
        f"<{SUR}figure-warmth-funds>",
    ]
    assert "has 2 values ('680', '6800000.0')" in problems[0]


def test_a_figure_without_qualifier_or_unit_is_reported(project: Project) -> None:
    graph = load_fixture("good.ttl")
    figure = URIRef(f"{SUR}figure-xian-jobs")
    graph.remove((figure, URIRef(project.figures.qualifier), None))
    graph.remove((figure, URIRef(project.figures.unit), None))
    assert check_figures(graph, project) == [
        f"Figure <{SUR}figure-xian-jobs> has no qualifier, but its wording '10万余个' says more_than "
        f"(<{project.figures.qualifiers['more_than']}>).",
        f"Figure <{SUR}figure-xian-jobs> has no unit (<{project.figures.unit}>), "
        "but its wording '10万余个' counts in '个'.",
    ]


def test_instances_of_a_subclass_of_figure_are_checked_too(project: Project) -> None:
    graph = load_fixture("figure-wrong-value.ttl")
    figure = URIRef(f"{SUR}figure-shangluo-donations")
    money = URIRef("http://example.org/MoneyFigure")
    graph.remove((figure, RDF.type, URIRef(project.figures.figure_class)))
    graph.add((figure, RDF.type, money))
    assert check_figures(graph, project) == []
    graph.add((money, RDFS.subClassOf, URIRef(project.figures.figure_class)))
    assert [problem.split()[1] for problem in check_figures(graph, project)] == [f"<{figure}>:"]


def test_the_language_tag_of_a_passage_does_not_matter(project: Project, source_text: str) -> None:
    graph = load_fixture("good.ttl")
    untagged = Graph()
    for subject, predicate, obj in graph:
        untagged.add((subject, predicate, Literal(str(obj)) if predicate == URIRef(project.provenance.text) else obj))
    texts = list(untagged.objects(None, URIRef(project.provenance.text)))
    assert texts
    assert all(isinstance(text, Literal) and text.language is None for text in texts)
    assert check_passages(untagged, project, source_text) == []


def test_checks_use_the_projects_iris_not_fixed_ones(project: Project, source_text: str) -> None:
    """Renaming every figure and passage term in both the project and the data leaves the checks working."""
    figure_fields = ("figure_class", "value", "unit", "qualifier", "wording", "measure_word")
    passage_fields = ("text", "start", "end")
    old_iris = [
        *(getattr(project.figures, name) for name in figure_fields),
        *(getattr(project.provenance, name) for name in passage_fields),
        *project.figures.qualifiers.values(),
    ]
    renamed = {iri: f"http://example.org/term-{index}" for index, iri in enumerate(old_iris)}
    other = dataclasses.replace(
        project,
        figures=dataclasses.replace(
            project.figures,
            **{name: renamed[getattr(project.figures, name)] for name in figure_fields},
            qualifiers={name: renamed[iri] for name, iri in project.figures.qualifiers.items()},
        ),
        provenance=dataclasses.replace(
            project.provenance, **{name: renamed[getattr(project.provenance, name)] for name in passage_fields}
        ),
    )

    def rename(term: Node) -> Node:
        return URIRef(renamed[str(term)]) if isinstance(term, URIRef) and str(term) in renamed else term

    graph = Graph()
    for subject, predicate, obj in load_fixture("figure-wrong-value.ttl") + load_fixture("passage-wrong-text.ttl"):
        graph.add((subject, rename(predicate), rename(obj)))

    assert check_figures(graph, project) == []
    assert check_passages(graph, project, source_text) == []
    figure_problems = check_figures(graph, other)
    passage_problems = check_passages(graph, other, source_text)
    assert len(figure_problems) == 1
    assert "the value is 680, but its wording '680余万元' says 6800000" in figure_problems[0]
    assert len(passage_problems) == 1
    assert f"<{SUR}sentence-56-113>: the source text at 56–113" in passage_problems[0]


def test_read_source_returns_the_text_with_its_line_ends_untouched(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_bytes("第一行\r\n第二行\n".encode())
    assert read_source(dataclasses.replace(project, source=source)) == "第一行\r\n第二行\n"


def test_read_source_counts_the_real_article(source_text: str) -> None:
    assert len(source_text) == 3277


def test_read_source_names_a_missing_file(project: Project, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(InputError) as caught:
        read_source(dataclasses.replace(project, source=missing))
    assert f"The source text {missing} does not exist" in caught.value.message


def test_read_source_names_a_file_that_is_not_utf8(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("第一行\n".encode() + "陕西".encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_source(dataclasses.replace(project, source=source))
    assert f"The source text {source} is not UTF-8: byte 0xc9 at line 2 (byte 10)" in caught.value.message


def test_read_source_names_a_folder_given_as_source(project: Project, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(dataclasses.replace(project, source=tmp_path))
    assert f"Cannot read the source text {tmp_path}" in caught.value.message


def test_the_real_data_agrees_with_its_wording_and_source(project: Project, source_text: str) -> None:
    data_files = project.ttl_files(project.data_dir)
    if not data_files:
        pytest.skip("data/ holds no Turtle files yet")
    graph = Graph()
    for path in [*project.ttl_files(project.ontology_dir), *data_files]:
        graph.parse(path, format="turtle")
    assert check_figures(graph, project) == []
    assert check_passages(graph, project, source_text) == []
