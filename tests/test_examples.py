"""The example queries: reading ``.rq`` files, and each example's stable URL with its results."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from publisher import create_app
from publisher.errors import ConfigurationError
from publisher.examples import load_examples, parse_example
from tests.conftest import QUERY_FIXTURES, ROOT, TEST_DATA
from tests.html_elements import parse_html

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def examples_app(examples_project_file: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "PROJECT_FILE": str(examples_project_file),
            "DATA_FILES": [str(TEST_DATA / "sample.ttl")],
        }
    )


@pytest.fixture
def examples_client(examples_app: Flask) -> FlaskClient:
    return examples_app.test_client()


# Reading the files


def test_example_reads_title_description_and_translations() -> None:
    text = "# title: Labels\n# title@zh: 名称\n# description: All labels.\nSELECT * WHERE { ?s ?p ?o }\n"
    example = parse_example("labels", text, "labels.rq")
    assert example.title("en") == "Labels"
    assert example.title("zh") == "名称"
    assert example.description("zh") == "All labels."  # no translation: the untranslated one
    assert example.query.startswith("# title: Labels")
    assert "SELECT * WHERE" in example.query


def test_ordinary_comments_before_the_query_are_kept_but_not_read_as_headers() -> None:
    text = "# title: T\n# Written by hand.\n# remark: nothing\nASK {}\n"
    example = parse_example("t", text, "t.rq")
    assert example.titles == {"en": "T"}
    assert example.descriptions == {}


def test_example_without_title_is_an_error_naming_the_file() -> None:
    with pytest.raises(ConfigurationError, match=r"queries/x\.rq, line 1: .*# title:"):
        parse_example("x", "# description: no title\nASK {}\n", "queries/x.rq")


def test_empty_title_is_an_error_naming_the_line() -> None:
    with pytest.raises(ConfigurationError, match=r"x\.rq, line 2: the title is empty"):
        parse_example("x", "# description: d\n# title:   \nASK {}\n", "x.rq")


def test_example_without_query_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="no query"):
        parse_example("x", "# title: Only a title\n", "x.rq")


@pytest.mark.parametrize("name", ["Labels", "two words", "ünïcode", "-dash-first"])
def test_example_name_must_make_a_clean_url(name: str) -> None:
    with pytest.raises(ConfigurationError, match="lower-case letters"):
        parse_example(name, "# title: T\nASK {}\n", f"{name}.rq")


def test_load_examples_reads_every_rq_file_sorted_by_name() -> None:
    examples = load_examples(QUERY_FIXTURES)
    assert [e.name for e in examples] == sorted(p.stem for p in QUERY_FIXTURES.glob("*.rq"))
    assert all(e.titles.get("en") for e in examples)


def test_load_examples_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert load_examples(tmp_path / "none") == ()


def test_non_utf8_example_is_an_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_bytes("# title: 名称\nASK {}\n".encode("gb18030"))
    with pytest.raises(ConfigurationError, match=r"bad\.rq: not UTF-8"):
        load_examples(tmp_path)


def test_the_projects_own_examples_load() -> None:
    """The competency questions of ``queries/`` (once written) follow the format."""
    for example in load_examples(ROOT / "queries"):
        assert example.title("en")
        assert example.description("en"), f"{example.name}.rq has no '# description:' line"


# The list


def test_example_list_in_html_links_each_example(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = parse_html(response.text)
    links = {a.attrs["href"]: a.text for a in page.find_all("a", "example-title")}
    assert links["/queries/labels"] == "Every resource with its English label"
    assert len(links) == len(list(QUERY_FIXTURES.glob("*.rq")))


def test_example_list_in_chinese_uses_the_chinese_title(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/?lang=zh", headers={"Accept": BROWSER_ACCEPT})
    titles = [a.text for a in parse_html(response.text).find_all("a", "example-title")]
    assert "每个资源及其英文名称" in titles


def test_example_list_in_json(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Vary"].startswith("Accept")
    by_name = {entry["name"]: entry for entry in response.get_json()}
    assert by_name["labels"]["title"]["zh"] == "每个资源及其英文名称"
    assert by_name["labels"]["url"] == "/queries/labels"
    assert "SELECT ?resource ?label" in by_name["labels"]["query"]


def test_unknown_example_is_404_naming_the_list(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "/queries/" in response.get_json()["error"]


def test_unknown_example_extension_is_404_naming_the_formats(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/labels.xlsx", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert ".csv" in response.text
