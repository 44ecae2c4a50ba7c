"""The site in a real browser: the home page, a resource page in both languages, the search, the chart, a phone."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from publisher.project import load_project
from tests.browser.servers import LiveServer

PHONE = {"width": 375, "height": 740}


def sparql_count(server: LiveServer, query: str) -> int:
    """A COUNT answered by the server's own endpoint, to compare the pages with."""
    answer = requests.get(
        f"{server.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    ).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_home_page_says_what_the_dataset_is_and_counts_it(
    page: Any, live_server: LiveServer, browser_project_file: Any
) -> None:
    project = load_project(browser_project_file)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == project.title["en"]
    triples = requests.get(f"{live_server.url}/healthz", timeout=10).json()["triples"]
    assert page.locator("[data-count=triples]").inner_text().replace(",", "") == str(triples)
    assert int(page.locator("[data-count=resources]").inner_text().replace(",", "")) > 0
    assert page.locator("ul.class-list li").count() > 0
    assert page.locator("form[role=search] input[name=q]").is_visible()
    assert page.console_errors == [] or all("Failed to load resource" in e for e in page.console_errors)


def test_resource_page_switches_between_english_and_chinese(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/resource/xian")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Xi'an"
    assert page.locator(".second-label").inner_text() == "西安市"
    page.locator(".language-switch a[hreflang=zh]").click()
    page.wait_for_selector("html[lang=zh]")
    assert page.locator("h1").inner_text() == "西安市"
    assert page.locator(".second-label").inner_text() == "Xi'an"
    page.goto(f"{live_server.url}/resource/shaanxi-ftu")
    assert page.locator("h1").inner_text() == "陕西省总工会", "the chosen language is remembered"
    page.locator(".language-switch a[hreflang=en]").click()
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Shaanxi Federation of Trade Unions"


@pytest.mark.parametrize(
    ("typed", "expected_path"),
    [
        ("西安", "/resource/xian"),
        ("shanxi sheng zong gonghui", "/resource/shaanxi-ftu"),
        ("sxszgh", "/resource/shaanxi-ftu"),
    ],
    ids=["chinese-label", "pinyin", "pinyin-initials"],
)
def test_search_from_the_home_page_finds_the_resource(
    page: Any, live_server: LiveServer, typed: str, expected_path: str
) -> None:
    page.goto(f"{live_server.url}/")
    page.fill("form[role=search] input[name=q]", typed)
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert page.url.startswith(f"{live_server.url}/search?")
    hit = page.locator(f"ol.search-results a[href='{expected_path}']")
    assert hit.count() == 1
    hit.click()
    page.wait_for_url(f"{live_server.url}{expected_path}")
    assert page.locator("h1").inner_text()


def test_home_page_draws_a_bar_per_figure_of_the_chart_unit(
    page: Any, live_server: LiveServer, browser_project_file: Any
) -> None:
    project = load_project(browser_project_file)
    unit = project.extra["site"]["chart_unit"]
    figures = sparql_count(
        live_server, f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f <{project.figures.unit}> <{unit}> }}"
    )
    assert figures > 0, "the fixtures have money to draw"
    page.goto(f"{live_server.url}/")
    chart = page.locator("svg.chart")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert page.locator("svg.chart > title").text_content()
    bars = page.locator("svg.chart g.bar rect")
    assert bars.count() == figures
    for index in range(figures):
        box = bars.nth(index).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
    page.locator("svg.chart a").first.click()
    page.wait_for_url(f"{live_server.url}/resource/**")


@pytest.mark.parametrize("path", ["/", "/resource/xian", "/queries/labels", "/sparql"])
def test_pages_fit_a_phone_screen(page: Any, live_server: LiveServer, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
