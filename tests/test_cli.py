"""The command line: build, validate, query and stats on the tiny project; exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from publisher.cli import main
from publisher.project import Project
from publisher.query_cli import display_width, format_table

EX = "https://example.org/tiny/resource/"


def run(project: Project, *args: str) -> int:
    return main(["--project", str(project.root / "dataset.toml"), *args])


def edit_data(project: Project, old: str, new: str) -> None:
    path = project.data_dir / "article.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# build


def test_build_exits_0_and_reports_what_it_wrote(tiny_project: Project, capsys) -> None:
    assert run(tiny_project, "build") == 0
    out = capsys.readouterr().out
    assert "dataset.trig" in out and "conforms" in out and "Built" in out
    assert (tiny_project.dist_dir / "dataset.trig").is_file()


def test_build_exits_1_with_the_plain_report_when_data_does_not_conform(tiny_project: Project, capsys) -> None:
    edit_data(tiny_project, "    exo:unit exo:person ;\n", "")
    assert run(tiny_project, "build") == 1
    captured = capsys.readouterr()
    assert "figure-workers" in captured.out
    assert "unchanged" in captured.err
    assert not tiny_project.dist_dir.exists()


def test_build_exits_2_naming_a_broken_file(tiny_project: Project, capsys) -> None:
    broken = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nsh:a sh:b sh:c sh:d .\nsh:e sh:f sh:g .\n"
    (tiny_project.shapes_dir / "shapes.ttl").write_text(broken)
    assert run(tiny_project, "build") == 2
    err = capsys.readouterr().err
    assert "shapes.ttl" in err and "line 3" in err


# validate


def test_validate_exits_0_and_says_conforms(tiny_project: Project, capsys) -> None:
    assert run(tiny_project, "validate") == 0
    assert capsys.readouterr().out.strip() == "conforms"


def test_validate_exits_1_with_the_resource_and_property_for_missing_facts(tiny_project: Project, capsys) -> None:
    edit_data(tiny_project, '    exo:originalWording "1200余名" ;\n', "")
    assert run(tiny_project, "validate") == 1
    out = capsys.readouterr().out
    assert "figure-workers" in out and "originalWording" in out


def test_validate_exits_1_when_a_passage_disagrees_with_the_source(tiny_project: Project, capsys) -> None:
    edit_data(tiny_project, "oa:start 44 ;", "oa:start 43 ;")
    assert run(tiny_project, "validate") == 1
    assert "sentence-44-61" in capsys.readouterr().out


def test_validate_takes_given_files_as_the_data(tiny_project: Project, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy.ttl"
    text = (tiny_project.data_dir / "article.ttl").read_text(encoding="utf-8")
    copy.write_text(text.replace("schema:value 30.0", "schema:value 31.0"), encoding="utf-8")
    assert run(tiny_project, "validate", str(copy)) == 1
    assert "figure-fairs" in capsys.readouterr().out
    assert run(tiny_project, "validate") == 0  # the project's own data is untouched


def test_validate_exits_2_naming_a_missing_file(tiny_project: Project, capsys) -> None:
    assert run(tiny_project, "validate", "no-such-file.ttl") == 2
    err = capsys.readouterr().err
    assert "no-such-file.ttl" in err and "no such file" in err
    assert "Traceback" not in err


def test_validate_exits_2_naming_file_and_line_of_a_syntax_error(tiny_project: Project, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <https://example.org/> .\n\nex:a ex:b "x" .\nex:c ex:d ex:e ex:f .\n')
    assert run(tiny_project, "validate", str(broken)) == 2
    err = capsys.readouterr().err
    assert "broken.ttl" in err and "line 4" in err


# query


@pytest.fixture
def built(built_tiny_project: Project) -> Project:
    return built_tiny_project


FIGURES = (
    "SELECT ?figure ?label WHERE { ?figure a exo:Figure ; rdfs:label ?label FILTER(lang(?label) = 'zh') } "
    "ORDER BY ?figure"
)


def test_query_prints_an_aligned_table_with_prefixed_names(built: Project, capsys) -> None:
    assert run(built, "query", FIGURES) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["figure", "label"]
    assert lines[2].startswith("ex:figure-fairs")
    assert lines[-1] == "(3 rows)"
    label_column = {
        display_width(line[: line.index(cell)]) for line, cell in zip(lines[2:5], ("近", "筹", "1200"), strict=True)
    }
    assert len(label_column) == 1  # every label starts in the same column


def test_query_csv_and_json_results(built: Project, capsys) -> None:
    assert run(built, "query", FIGURES, "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["figure", "label"] and rows[1][0] == f"{EX}figure-fairs" and len(rows) == 4
    assert run(built, "query", FIGURES, "--format", "json") == 0
    results = json.loads(capsys.readouterr().out)
    assert results["head"]["vars"] == ["figure", "label"]
    assert results["results"]["bindings"][0]["figure"]["value"] == f"{EX}figure-fairs"


def test_query_ask_prints_true_or_false(built: Project, capsys) -> None:
    assert run(built, "query", "ASK { ex:article a schema:NewsArticle }") == 0
    assert capsys.readouterr().out.strip() == "true"


def test_query_construct_prints_turtle(built: Project, capsys) -> None:
    assert run(built, "query", "CONSTRUCT { ?f exo:unit ?u } WHERE { ?f exo:unit ?u }", "--format", "turtle") == 0
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert (URIRef(f"{EX}figure-funds"), URIRef("https://example.org/tiny/ontology/unit"), None) in graph
    assert len(graph) == 3


def test_query_default_graph_is_the_union_of_the_named_graphs(built: Project, capsys) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a exo:Figure . ?u a exo:Unit }"
    assert run(built, "query", query, "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[1] == "9"


def test_query_from_a_file_and_from_standard_input(built: Project, tmp_path: Path, capsys, monkeypatch) -> None:
    file = tmp_path / "q.rq"
    file.write_text(FIGURES)
    assert run(built, "query", "--file", str(file), "--format", "csv") == 0
    from_file = capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(FIGURES))
    assert run(built, "query", "-", "--format", "csv") == 0
    assert capsys.readouterr().out == from_file


def test_query_syntax_error_exits_2_with_line_and_column(built: Project, capsys) -> None:
    assert run(built, "query", "SELECT *\nWHERE { ?s ?p }") == 2
    err = capsys.readouterr().err
    assert "line 2, column" in err


def test_query_result_format_that_does_not_fit_the_query_exits_2(built: Project, capsys) -> None:
    assert run(built, "query", "ASK { ?s ?p ?o }", "--format", "turtle") == 2
    assert "CONSTRUCT" in capsys.readouterr().err


def test_query_without_a_built_dataset_says_to_build(tiny_project: Project, capsys) -> None:
    assert run(tiny_project, "query", "ASK {}") == 2
    assert "run 'publisher build'" in capsys.readouterr().err


def test_table_columns_count_wide_characters_twice() -> None:
    assert display_width("工会ab") == 6
    table = format_table(["name", "n"], [["工会", "1"], ["ab", "22"]]).splitlines()
    # "工会" is two characters but four columns: the next column starts where it does after "ab  "
    assert display_width(table[2][: table[2].index("1")]) == table[3].index("22")


# stats


def test_stats_prints_classes_by_count_and_figures_by_unit_with_totals(tiny_project: Project, capsys) -> None:
    assert run(tiny_project, "stats") == 0
    out = capsys.readouterr().out
    classes = out.split("Figures by unit")[0].splitlines()
    assert classes[3].split()[:2] == ["3", "exo:Figure"]
    counts = [int(line.split()[0]) for line in classes[3:] if line[:1].isdigit()]
    assert counts == sorted(counts, reverse=True)
    units = {line.split()[0]: line.split() for line in out.split("Figures by unit")[1].splitlines()[3:]}
    assert units["exo:yuan"][-5:] == ["1", "200,000", "1", "0", "0"]
    assert units["exo:person"][-5:] == ["1", "1,200", "0", "1", "0"]
    assert units["all"][-4:] == ["3", "1", "1", "1"]


def test_stats_sums_the_values_of_a_unit(tiny_project: Project, capsys) -> None:
    edit_data(tiny_project, "exo:unit exo:event", "exo:unit exo:person")
    edit_data(tiny_project, '"近30场"', '"近30名"')
    assert run(tiny_project, "stats") == 0
    person = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("exo:person"))
    assert person.split()[-5:] == ["2", "1,230", "0", "1", "1"]


def test_stats_exits_2_naming_a_broken_data_file(tiny_project: Project, capsys) -> None:
    (tiny_project.data_dir / "article.ttl").write_text("ex:a ex:b ex:c .\n")
    assert run(tiny_project, "stats") == 2
    assert "article.ttl" in capsys.readouterr().err


def test_query_on_a_stale_build_notes_it(tiny_project: Project, capsys) -> None:
    assert run(tiny_project, "build", "--quiet") == 0
    assert run(tiny_project, "query", "ASK {}") == 0
    assert "note" not in capsys.readouterr().err
    edit_data(tiny_project, "Sample City", "Sample Town")
    assert run(tiny_project, "query", "ASK {}") == 0
    assert "publisher build" in capsys.readouterr().err


def test_removing_a_required_fact_from_a_copy_of_the_real_data_fails_validation(
    project: Project, tmp_path: Path, capsys
) -> None:
    """Issue 2, "Done when": removing a required fact from a copy of the data makes validate fail."""
    data_files = project.ttl_files(project.data_dir)
    if not data_files:
        pytest.skip("data/ holds no Turtle files yet")
    unit = f"<{project.figures.unit}>"
    copies = []
    removed = ""
    for path in data_files:
        graph = Graph().parse(path)
        if not removed:
            figure, _, value = next(iter(graph.triples((None, URIRef(project.figures.unit), None))), (None, None, None))
            if figure is not None:
                graph.remove((figure, URIRef(project.figures.unit), value))
                removed = str(figure)
        copies.append(tmp_path / path.name)
        graph.serialize(copies[-1], format="turtle")
    assert removed, f"no figure with a {unit} in the data"
    assert main(["--project", str(project.root / "dataset.toml"), "validate", *map(str, copies)]) == 1
    assert removed.rsplit("/", 1)[1] in capsys.readouterr().out


def test_query_table_shows_line_breaks_in_a_value_as_escapes(built: Project, capsys) -> None:
    assert run(built, "query", 'SELECT ?text WHERE { BIND("one\\ntwo" AS ?text) }') == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "one\\ntwo"
    assert lines[-1] == "(1 row)"


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """``publisher stats | head -1`` must not end in a BrokenPipeError traceback."""
    import subprocess
    import sys

    script = (
        "import sys; from publisher.cli import main\n"
        "sys.stdout.close = lambda: None\n"
        "def write(_):\n    raise BrokenPipeError\n"
        "sys.stdout.write = write\n"
        "raise SystemExit(main(['stats']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr
    assert done.returncode == 141
