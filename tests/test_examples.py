"""The example queries: reading ``.rq`` files, and each example's stable URL with its results."""

from __future__ import annotations

import csv
import io
import json
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


# Each example's results


def test_example_results_are_an_html_table_for_browsers(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/areas-served", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = parse_html(response.text)
    table = page.find_all("table", "results")[0]
    assert [th.text for th in table.find_all("th")] == ["organisation", "place", "placeName"]
    rows = table.find_all("tbody")[0].find_all("tr")
    assert len(rows) == 1
    organisation, place, name = rows[0].find_all("td")
    link = organisation.find_all("a")[0]
    assert link.attrs["href"] == "/resource/sample-union", "our IRIs link to local pages"
    assert link.text == "sur:sample-union"
    assert place.find_all("a")[0].attrs["href"] == "/resource/sample-city"
    assert name.find_all("span")[0].attrs.get("lang") == "zh"
    assert "样例市" in name.text


def test_example_page_shows_the_title_description_and_query(examples_client: FlaskClient) -> None:
    page = parse_html(examples_client.get("/queries/labels?lang=zh", headers={"Accept": BROWSER_ACCEPT}).text)
    assert page.find_all("h1")[0].text == "每个资源及其英文名称"
    assert page.find_all("p", "example-description")[0].text == "每个有名称的资源的英文名称，按名称排序。"
    assert "SELECT ?resource ?label" in page.find_all("pre", "query-text")[0].text


def test_ask_example_answers_yes_or_no_in_html(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/has-organisation", headers={"Accept": BROWSER_ACCEPT})
    answer = parse_html(response.text).find_all("p", "ask-answer")[0]
    assert answer.text.endswith("yes")


def sparql_json_rows(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/json"])
def test_example_results_in_sparql_json_by_accept(examples_client: FlaskClient, accept: str) -> None:
    response = examples_client.get("/queries/labels", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    labels = [row["label"] for row in sparql_json_rows(response.data)]
    assert labels == ["Sample City", "Sample Union"]


def test_example_results_in_csv_by_accept(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/labels", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["resource", "label"]
    assert rows[1] == ["https://w3id.org/shaanxi-unions/resource/sample-city", "Sample City"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv;q=0.9, application/sparql-results+json;q=0.5", "text/csv"),
        ("text/html;q=0.1, text/csv", "text/csv"),
        ("text/csv;q=0.2, application/sparql-results+json", "application/sparql-results+json"),
        ("text/*;q=0.5, application/json;q=0.4", "text/html"),
        ("*/*", "text/html"),
    ],
)
def test_example_negotiation_honours_q_values(examples_client: FlaskClient, accept: str, media_type: str) -> None:
    response = examples_client.get("/queries/labels", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type


@pytest.mark.parametrize(
    ("url", "media_type"),
    [
        ("/queries/labels.json", "application/sparql-results+json"),
        ("/queries/labels.csv", "text/csv"),
        ("/queries/labels.html", "text/html"),
        ("/queries/labels?format=csv", "text/csv"),
    ],
)
def test_explicit_format_urls_override_accept(examples_client: FlaskClient, url: str, media_type: str) -> None:
    response = examples_client.get(url, headers={"Accept": "application/sparql-results+json;q=0.1, text/html"})
    assert response.status_code == 200
    assert response.mimetype == media_type


def test_example_in_an_unoffered_format_is_406_listing_the_offered(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/labels", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/csv" in response.text


def test_example_names_its_other_representations_and_varies_by_accept(examples_client: FlaskClient) -> None:
    response = examples_client.get("/queries/labels", headers={"Accept": BROWSER_ACCEPT})
    assert "Accept" in response.headers["Vary"]
    links = response.headers["Link"]
    assert '</queries/labels.json>; rel="alternate"; type="application/sparql-results+json"' in links
    assert '</queries/labels.csv>; rel="alternate"; type="text/csv"' in links
    assert "labels.html" not in links


def test_example_answers_a_conditional_request_with_304(examples_client: FlaskClient) -> None:
    first = examples_client.get("/queries/labels.csv")
    etag = first.headers["ETag"]
    again = examples_client.get("/queries/labels.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert examples_client.get("/queries/labels.json").headers["ETag"] != etag, "each format has its own tag"


def test_example_cut_at_the_result_limit_says_so(examples_project_file: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "PROJECT_FILE": str(examples_project_file),
            "DATA_FILES": [str(TEST_DATA / "sample.ttl")],
            "RESULT_LIMIT": 1,
        }
    )
    client = app.test_client()
    page = client.get("/queries/labels", headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["SPARQL-Results-Truncated"] == "true"
    assert "1 rows" in parse_html(page.text).find_all("p", "truncated")[0].text
    assert len(parse_html(page.text).find_all("table", "results")[0].find_all("tbody")[0].find_all("tr")) == 1
    csv_rows = list(csv.reader(io.StringIO(client.get("/queries/labels.csv").text)))
    assert len(csv_rows) == 2, "header and one row"


def test_complete_example_results_carry_no_truncation_flag(examples_client: FlaskClient) -> None:
    page = examples_client.get("/queries/labels", headers={"Accept": BROWSER_ACCEPT})
    assert "SPARQL-Results-Truncated" not in page.headers
    assert not parse_html(page.text).find_all("p", "truncated")


# The project's own examples, the competency questions


PROJECT_EXAMPLES = load_examples(ROOT / "queries")


@pytest.fixture(scope="module")
def real_data_app() -> Flask:
    """An app on the real ontology and data, as the build would serve them."""
    files = sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "data").glob("*.ttl"))
    if not (ROOT / "data" / "article.ttl").is_file():
        pytest.skip("data/article.ttl does not exist yet: the data is written in parallel (issue 2)")
    return create_app(
        {"TESTING": True, "PROJECT_FILE": str(ROOT / "dataset.toml"), "DATA_FILES": [str(f) for f in files]}
    )


@pytest.mark.parametrize("name", [example.name for example in PROJECT_EXAMPLES])
def test_each_competency_question_has_an_answer_in_the_data(real_data_app: Flask, name: str) -> None:
    response = real_data_app.test_client().get(f"/queries/{name}.json")
    assert response.status_code == 200, response.text
    answer = json.loads(response.data)
    if "boolean" in answer:
        assert answer["boolean"] is True, f"queries/{name}.rq answers no"
    else:
        assert answer["results"]["bindings"], f"queries/{name}.rq finds nothing in the data"
