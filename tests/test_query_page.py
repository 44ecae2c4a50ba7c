"""The query page: YASGUI served by the app from its npm package, the examples, and the plain-form fallback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from publisher import create_app
from publisher.query_page import YASGUI_FILES, render_query_page, resolve_yasgui_dir
from tests.conftest import ROOT, TEST_DATA, write_project_file
from tests.html_elements import Element, parse_html

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
INSTALLED_YASGUI = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"

MakeApp = Callable[..., Flask]


def fake_yasgui(folder: Path) -> Path:
    """A folder shaped like YASGUI's build: its script and style sheet, with recognisable content."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "yasgui.min.js").write_text("window.Yasgui = function () {};\n")
    (folder / "yasgui.min.css").write_text(".yasgui { color: black; }\n")
    return folder


@pytest.fixture
def make_app(tmp_path: Path, examples_project_file: Path) -> MakeApp:
    """Build an app on the sample data with the fixture examples; keyword arguments become settings."""

    def make(**settings: object) -> Flask:
        config = {
            "TESTING": True,
            "PROJECT_FILE": str(examples_project_file),
            "DATA_FILES": [str(TEST_DATA / "sample.ttl")],
            "YASGUI_DIR": str(fake_yasgui(tmp_path / "yasgui")),
        }
        config.update(settings)
        return create_app(config)

    return make


def query_page(app: Flask, path: str = "/sparql", **headers: str) -> tuple[int, Element]:
    """Status and parsed HTML of the page :func:`render_query_page` returns for a browser request to ``path``."""
    with app.test_request_context(path, headers={"Accept": BROWSER_ACCEPT, **headers}):
        response = render_query_page()
        assert response.mimetype == "text/html"
        assert "Accept" in response.headers["Vary"]
        return response.status_code, parse_html(response.get_data(as_text=True))


def json_island(page: Element, element_id: str) -> object:
    scripts = [s for s in page.find_all("script") if s.attrs.get("id") == element_id]
    assert len(scripts) == 1, f"one <script id={element_id}> expected"
    return json.loads(scripts[0].text)


# The editor


def test_query_page_loads_yasgui_from_our_own_assets(make_app: MakeApp) -> None:
    status, page = query_page(make_app())
    assert status == 200
    sources = [s.attrs["src"] for s in page.find_all("script") if "src" in s.attrs]
    assert "/assets/yasgui/yasgui.min.js" in sources
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), "no script from elsewhere"
    sheets = [link.attrs["href"] for link in page.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    assert "/assets/yasgui/yasgui.min.css" in sheets
    editors = [div for div in page.find_all("div") if div.attrs.get("id") == "yasgui"]
    assert editors and editors[0].attrs["data-endpoint"] == "/sparql"
    assert not page.find_all("form", "plain-query-form")


def test_query_page_names_the_endpoint_address(make_app: MakeApp) -> None:
    _, page = query_page(make_app())
    assert page.find_all("code", "endpoint-iri")[0].text == "http://localhost/sparql"
    _, page = query_page(make_app(PUBLIC_URL="https://data.example.org/"))
    assert page.find_all("code", "endpoint-iri")[0].text == "https://data.example.org/sparql"


def test_yasgui_files_are_served_with_their_content_types(make_app: MakeApp) -> None:
    client = make_app().test_client()
    with client.get("/assets/yasgui/yasgui.min.js") as script:
        assert script.status_code == 200
        assert script.mimetype == "text/javascript"
        assert b"window.Yasgui" in script.data
        assert "max-age" in script.headers["Cache-Control"]
    with client.get("/assets/yasgui/yasgui.min.css") as style:
        assert style.mimetype == "text/css"


def test_yasgui_assets_do_not_reach_outside_their_folder(make_app: MakeApp) -> None:
    client = make_app().test_client()
    assert client.get("/assets/yasgui/../../dataset.toml").status_code == 404
    assert client.get("/assets/yasgui/%2e%2e/%2e%2e/dataset.toml").status_code == 404
    assert client.get("/assets/yasgui/nothing.js").status_code == 404


@pytest.mark.skipif(not INSTALLED_YASGUI.is_dir(), reason="YASGUI is not installed (npm ci has not run)")
def test_the_installed_npm_package_is_found_by_the_default_setting() -> None:
    app = create_app({"TESTING": True, "DATA_FILES": [str(TEST_DATA / "sample.ttl")]})
    with app.test_client().get("/assets/yasgui/yasgui.min.js") as script:
        assert script.status_code == 200
        assert b"Yasgui" in script.data


# The examples


def test_query_page_lists_each_example_with_title_and_description(make_app: MakeApp) -> None:
    _, page = query_page(make_app())
    items = page.find_all("ul", "example-list")[0].find_all("li")
    by_name = {
        item.find_all("a", "example-link")[0].attrs["data-example"]: (
            item.find_all("a", "example-link")[0].text,
            item.find_all("p", "example-description")[0].text,
        )
        for item in items
    }
    assert by_name["labels"] == (
        "Every resource with its English label",
        "The English label of each labelled resource, sorted by label.",
    )
    assert set(by_name) == {p.stem for p in (TEST_DATA / "queries").glob("*.rq")}


def test_query_page_gives_the_script_every_example_query(make_app: MakeApp) -> None:
    _, page = query_page(make_app())
    queries = json_island(page, "example-queries")
    assert isinstance(queries, dict)
    assert "SELECT ?resource ?label" in queries["labels"]
    assert "ASK" in queries["has-organisation"]


def test_query_page_in_chinese_shows_chinese_titles(make_app: MakeApp) -> None:
    _, page = query_page(make_app(), "/sparql?lang=zh")
    titles = [a.text for a in page.find_all("a", "example-link")]
    assert "每个资源及其英文名称" in titles
    assert page.find_all("h1")[0].text == "SPARQL 查询"


def test_example_parameter_opens_the_page_with_that_query(make_app: MakeApp) -> None:
    app = make_app()
    _, page = query_page(app, "/sparql?example=areas-served")
    assert "schema:areaServed" in str(json_island(page, "initial-query"))
    _, page = query_page(app, "/sparql?example=no-such-example")
    assert "rdfs:label ?label" in str(json_island(page, "initial-query")), "an unknown example: the default query"


def test_default_query_declares_the_datasets_prefixes(make_app: MakeApp) -> None:
    _, page = query_page(make_app())
    initial = str(json_island(page, "initial-query"))
    assert "PREFIX sur: <https://w3id.org/shaanxi-unions/resource/>" in initial
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in initial


def test_an_example_cannot_break_out_of_the_page(make_app: MakeApp, tmp_path: Path) -> None:
    queries = tmp_path / "hostile"
    queries.mkdir()
    (queries / "hostile.rq").write_text(
        '# title: <img src=x onerror="alert(1)">\n# description: </script><script>alert(2)</script>\n'
        'SELECT * WHERE { ?s ?p "</script><script>alert(3)</script>" }\n'
    )
    project_file = write_project_file(tmp_path / "hostile-project", queries=queries)
    _, page = query_page(make_app(PROJECT_FILE=str(project_file)))
    assert not page.find_all("img")
    assert '<img src=x onerror="alert(1)">' in [a.text for a in page.find_all("a", "example-link")]
    inline = [script for script in page.find_all("script") if "src" not in script.attrs]
    assert all(script.attrs.get("type") == "application/json" for script in inline), "only data is inline"
    for script in inline:
        json.loads(script.text)
    assert "</script><script>alert(3)" in str(json_island(page, "example-queries"))


# The fallback


def test_without_yasgui_the_page_says_so_and_offers_a_plain_form(make_app: MakeApp, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    app = make_app(YASGUI_DIR=str(empty))
    status, page = query_page(app, "/sparql?example=labels")
    assert status == 200
    assert "not installed" in page.find_all("p", "editor-missing")[0].text
    assert "put it in the form" in page.find_all("section", "query-examples")[0].text
    form = page.find_all("form", "plain-query-form")[0]
    assert form.attrs["action"] == "/sparql"
    assert form.attrs["method"] == "get"
    textarea = form.find_all("textarea")[0]
    assert textarea.attrs["name"] == "query"
    assert "SELECT ?resource ?label" in textarea.text, "the chosen example is in the form"
    options = [option.attrs["value"] for option in form.find_all("option")]
    assert form.find_all("select")[0].attrs["name"] == "format"
    assert {"json", "csv"} <= set(options)
    sources = [s.attrs["src"] for s in page.find_all("script") if "src" in s.attrs]
    assert not any("yasgui" in src for src in sources)
    assert app.test_client().get("/assets/yasgui/yasgui.min.js").status_code == 404


@pytest.mark.parametrize("setting", ["", "   "])
def test_an_empty_yasgui_setting_means_no_editor(setting: str) -> None:
    assert resolve_yasgui_dir(setting, ROOT) is None


def test_yasgui_folder_needs_both_files(tmp_path: Path) -> None:
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / YASGUI_FILES[0]).write_text("")
    assert resolve_yasgui_dir(str(folder), tmp_path) is None


def test_relative_yasgui_folder_is_found_under_the_project_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_root, working = tmp_path / "project", tmp_path / "working"
    fake_yasgui(working / "build")
    monkeypatch.chdir(working)
    assert resolve_yasgui_dir("build", project_root) == (working / "build").resolve()
    fake_yasgui(project_root / "build")
    assert resolve_yasgui_dir("build", project_root) == (project_root / "build").resolve()


def test_query_page_tells_the_script_our_base_and_prefixes(make_app: MakeApp) -> None:
    """The script turns result links to our IRIs into local paths and shows IRIs with these prefixes."""
    _, page = query_page(make_app())
    terms = json_island(page, "dataset-terms")
    assert isinstance(terms, dict)
    assert terms["base"] == "https://w3id.org/shaanxi-unions/"
    assert terms["mount"] == ""
    assert terms["prefixes"]["sur"] == "https://w3id.org/shaanxi-unions/resource/"
    assert terms["prefixes"]["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"


# Through the endpoint


def test_browser_opening_the_endpoint_gets_the_query_page(make_app: MakeApp) -> None:
    response = make_app().test_client().get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert parse_html(response.text).find_all("ul", "example-list")


def test_sparql_client_opening_the_endpoint_gets_no_page(make_app: MakeApp) -> None:
    response = make_app().test_client().get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
