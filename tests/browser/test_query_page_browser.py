"""The query page in a real browser: YASGUI runs a query and shows a table; examples load; the plain form works."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from tests.browser.servers import SERVED_FILES, LiveServer, start_server

EDITOR_READY = "html[data-editor=ready]"
RESULT_CELLS = ".yasr table.dataTable tbody td"

LABELS_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?name WHERE { ?thing rdfs:label ?name . FILTER(lang(?name) = "en" && CONTAINS(?name, "Union")) }"""


def editor_text(page: Any) -> str:
    return str(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()"))


def cell_texts(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(RESULT_CELLS).all_inner_texts()]


@pytest.mark.usefixtures("yasgui_installed")
def test_a_query_typed_in_the_editor_shows_a_result_table(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/sparql")
    page.wait_for_selector(EDITOR_READY)
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(LABELS_QUERY)
    assert "CONTAINS(?name" in editor_text(page)
    page.click(".yasqe_queryButton")
    page.locator(RESULT_CELLS, has_text="Sample Union").first.wait_for()
    headers = [text.strip() for text in page.locator(".yasr table.dataTable thead th").all_inner_texts()]
    assert "thing" in headers and "name" in headers
    assert any("Sample Union" in text for text in cell_texts(page))
    assert not any("Sample City" in text for text in cell_texts(page)), "the filter was applied by the endpoint"
    assert not page.console_errors or all("Failed to load resource" in e for e in page.console_errors)


@pytest.mark.usefixtures("yasgui_installed")
def test_result_links_to_our_iris_stay_on_this_server(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/sparql")
    page.wait_for_selector(EDITOR_READY)
    page.click(".yasqe_queryButton")  # the default query: labelled resources
    page.locator(RESULT_CELLS).first.wait_for()
    hrefs = page.eval_on_selector_all(".yasr table.dataTable a[href]", "links => links.map(a => a.href)")
    ours = [href for href in hrefs if "/resource/" in href]
    assert ours, "the default query lists some of our resources"
    assert all(href.startswith(f"{live_server.url}/resource/") for href in ours)


@pytest.mark.usefixtures("yasgui_installed")
def test_clicking_an_example_loads_it_into_the_editor_and_runs_it(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/sparql")
    page.wait_for_selector(EDITOR_READY)
    page.click("a.example-link[data-example=areas-served]")
    page.locator(RESULT_CELLS, has_text="样例市").first.wait_for()
    assert "schema:areaServed" in editor_text(page)
    assert page.url == f"{live_server.url}/sparql", "the click stayed on the page"


@pytest.mark.usefixtures("yasgui_installed")
def test_the_query_page_asks_nothing_of_other_hosts(page: Any, live_server: LiveServer) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/sparql")
    page.wait_for_selector(EDITOR_READY)
    page.click(".yasqe_queryButton")
    page.locator(RESULT_CELLS).first.wait_for()
    elsewhere = [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
    assert elsewhere == []
    assert f"{live_server.url}/assets/yasgui/yasgui.min.js" in requested


def test_the_example_page_shows_its_results_as_a_table(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/queries/areas-served")
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 2
    assert "样例市" in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]
    page.locator("table.results a", has_text="sur:sample-union").click()
    page.wait_for_url(f"{live_server.url}/resource/sample-union")


@pytest.fixture(scope="module")
def server_without_yasgui(
    chromium_path: Path, browser_project_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The same site where the YASGUI setting names an empty folder, as where npm is missing."""
    empty = tmp_path_factory.mktemp("no-yasgui")
    server = start_server(browser_project_file, SERVED_FILES, {"YASGUI_DIR": str(empty)})
    yield server
    server.stop()


def test_without_yasgui_the_plain_form_runs_a_query(page: Any, server_without_yasgui: LiveServer) -> None:
    page.goto(f"{server_without_yasgui.url}/sparql")
    assert "not installed" in page.locator(".editor-missing").inner_text()
    page.fill("#query-text", LABELS_QUERY)
    page.select_option("#query-format", "json")
    with page.expect_navigation():
        page.click(".plain-query-form button[type=submit]")
    results = json.loads(page.locator("body").inner_text())
    names = [row["name"]["value"] for row in results["results"]["bindings"]]
    assert "Sample Union" in names


def test_without_yasgui_an_example_fills_the_form(page: Any, server_without_yasgui: LiveServer) -> None:
    page.goto(f"{server_without_yasgui.url}/sparql")
    page.click("a.example-link[data-example=has-organisation]")
    assert "ASK" in page.input_value("#query-text")
    assert page.url == f"{server_without_yasgui.url}/sparql"


@pytest.mark.usefixtures("yasgui_installed")
def test_a_shared_link_opens_its_query_on_our_endpoint(page: Any, live_server: LiveServer) -> None:
    shared = "SELECT ?shared WHERE { ?shared a <http://schema.org/City> }"
    fragment = urlencode({"query": shared, "endpoint": "http://127.0.0.2:59999/elsewhere"}, quote_via=quote)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/sparql#{fragment}")
    page.wait_for_selector(EDITOR_READY)
    assert editor_text(page) == shared
    page.click(".yasqe_queryButton")
    page.locator(RESULT_CELLS, has_text="sample-city").first.wait_for()
    assert not [url for url in requested if "127.0.0.2" in url], "the endpoint the link names is never asked"
