"""Every link on every page of the site resolves, and every page has the landmarks a reader relies on.

A module fixture builds the real project (ontology/, shapes/, data/) into a temporary ``dist/`` with
``publisher.build`` and serves it with the Flask test client. The crawl starts at ``/`` and ``/?lang=zh``
and follows, breadth-first, every local ``href``/``src`` of ``a``, ``link``, ``script`` and ``img`` (and a
form's ``action``) in the HTML pages it meets, requesting each URL once as a browser would (Accept:
text/html); a redirect must lead to a local URL that answers. Links to other hosts and ``mailto:`` are not
followed; a link under the dataset's base IRI is (that is the same site, on the host it is published at),
and is also reported when a page carries it unrewritten (other than as ``rel="canonical"``), since run
locally it would leave the local copy. A ``#fragment`` must name an ``id`` (or ``a name``) on the page it
points at. Each page must have one ``<main>``, a ``<title>``, ``<html lang>``, and a text alternative for
every ``<img>`` and inline ``<svg>``. The crawl is repeated with the app mounted below ``/mirror``, as behind a
proxy. The last tests run the crawler on a tiny site with one of each fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urldefrag, urlsplit

import pytest
from flask import Flask, Response, redirect, request
from flask.testing import FlaskClient

from publisher import create_app
from publisher.build import build_dataset
from publisher.project import Project, load_project
from publisher.store import EXTENSION_KEY
from publisher.urls import path_for
from tests.conftest import write_project_file
from tests.site_crawler import Crawl, Crawler, link_header_targets

START_URLS = ("/", "/?lang=zh")
MOUNT = "/mirror"


def subject_paths(app: Flask, base: str) -> set[str]:
    """The local path of every IRI under ``base`` that the served data describes (fragments dropped)."""
    store = app.extensions[EXTENSION_KEY].store
    solutions = store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }")
    paths = {path_for(solution["s"].value, base) for solution in solutions}  # type: ignore[union-attr,index]
    return {urldefrag(path)[0] for path in paths if path}


@dataclass(frozen=True)
class Site:
    app: Flask
    project: Project
    crawl: Crawl
    described: set[str]  # the path of every resource the data describes


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real project built into a temporary dist/, served by the test client and crawled once."""
    folder: Path = tmp_path_factory.mktemp("site")
    project_file = write_project_file(folder / "project", dist=folder / "dist")
    project = load_project(project_file)
    build_dataset(project, out=lambda _line: None)
    app = create_app({"TESTING": True, "PROJECT_FILE": str(project_file)})
    crawl = Crawler(app.test_client(), project.base).run(START_URLS)
    yield Site(app, project, crawl, subject_paths(app, project.base))


def _listed(problems: list[str]) -> str:
    return "\n".join(sorted(set(problems)))


@pytest.fixture(scope="module")
def crawl(site: Site) -> Crawl:
    return site.crawl


def test_the_crawl_reaches_the_page_of_every_resource_within_its_bounds(site: Site) -> None:
    crawl = site.crawl
    assert not crawl.bounded, f"the crawl stopped at {len(crawl.statuses)} URLs after {crawl.seconds:.1f} s"
    assert len(site.described) > 100  # the real data, not an empty build
    unreached = site.described - set(crawl.pages)
    assert not unreached, f"{len(unreached)} resource page(s) no link leads to:\n{_listed(list(unreached))}"


def test_every_link_on_every_page_resolves(crawl: Crawl) -> None:
    assert not crawl.broken, f"{len(set(crawl.broken))} broken link(s):\n{_listed(crawl.broken)}"


def test_every_link_resolves_with_the_site_mounted_below_a_path(site: Site) -> None:
    """Behind a proxy that mounts the app at /mirror, every link stays below it and answers."""
    mounted = Crawler(site.app.test_client(), site.project.base, mount=MOUNT).run(START_URLS)
    assert not mounted.bounded
    assert not mounted.broken, f"{len(set(mounted.broken))} broken link(s):\n{_listed(mounted.broken)}"
    assert {MOUNT + path for path in site.crawl.statuses} == set(mounted.statuses)


def test_every_fragment_names_an_element_on_its_page(crawl: Crawl) -> None:
    assert crawl.fragments, "no link with a #fragment was found; the check would prove nothing"
    assert not crawl.missing_anchors, (
        f"{len(set(crawl.missing_anchors))} link(s) to a missing anchor:\n{_listed(crawl.missing_anchors)}"
    )


def test_pages_link_locally_not_to_the_published_base(crawl: Crawl) -> None:
    assert not crawl.unrewritten, (
        f"{len(set(crawl.unrewritten))} link(s) to the base IRI that leave a local copy:\n{_listed(crawl.unrewritten)}"
    )


def test_every_page_has_one_main_landmark(crawl: Crawl) -> None:
    wrong = [f"{path}: {page.main_count} <main>" for path, page in crawl.pages.items() if page.main_count != 1]
    assert not wrong, _listed(wrong)


def test_every_page_has_a_title_and_a_language(crawl: Crawl) -> None:
    wrong = [
        f"{path}: title {page.title!r}, html lang {page.html_lang!r}"
        for path, page in crawl.pages.items()
        if not page.title or not page.html_lang
    ]
    assert not wrong, _listed(wrong)


def test_no_page_repeats_an_id(crawl: Crawl) -> None:
    wrong = [f"{path}: {sorted(page.repeated_ids)}" for path, page in crawl.pages.items() if page.repeated_ids]
    assert not wrong, f"ids used twice on {len(wrong)} page(s):\n{_listed(wrong)}"


def test_a_page_asked_for_in_a_language_declares_it(crawl: Crawl) -> None:
    asked = {path: parse_qs(urlsplit(path).query).get("lang", [""])[0] for path in crawl.pages}
    checked = {path: lang for path, lang in asked.items() if lang in {"zh", "en"}}
    assert len(checked) > 100
    wrong = [
        f"{path}: html lang {crawl.pages[path].html_lang!r}"
        for path, lang in checked.items()
        if not (crawl.pages[path].html_lang or "").startswith(lang)
    ]
    assert not wrong, _listed(wrong)


def test_every_picture_has_a_text_alternative(crawl: Crawl) -> None:
    wrong = [
        f"{path}: <img src={src!r}> has no alt text"
        for path, page in crawl.pages.items()
        for src in page.images_without_alt
    ]
    wrong += [
        f"{path}: <svg class={name!r}> has no accessible name"
        for path, page in crawl.pages.items()
        for name in page.pictures_without_a_name()
    ]
    assert not wrong, _listed(wrong)


# The crawler itself, on a tiny site with one of each problem, so that the checks above can be seen to fail.

TINY_PAGES = {
    "/": """<!doctype html><html lang="en"><head><title>Home</title><link rel="stylesheet" href="/style.css">
        <link rel="canonical" href="https://example.org/base/"></head>
        <body><main id="top"><a href="/ok">ok</a> <a href="/missing">missing</a> <a href="/moved">moved</a>
        <a href="/away">away</a> <a href="#top">top</a> <a href="#nowhere">nowhere</a> <a href="/ok#there">there</a>
        <a href="https://other.example/x">other host</a> <a href="mailto:a@example.org">mail</a>
        <a href="https://example.org/base/ok?lang=zh">unrewritten</a>
        <svg role="img" aria-labelledby="chart-title"><title id="chart-title">A chart</title></svg>
        </main></body></html>""",
    "/ok": """<html><head><title>OK</title></head><body><main></main><main id="there"><img src="/pic.png">
        <img src="/pic.png" alt="a picture"><svg class="chart"><g></g></svg><svg aria-hidden="true"></svg>
        <p id="there"></p></main></body></html>""",
}


@pytest.fixture
def tiny_site() -> FlaskClient:
    app = Flask("tiny")

    @app.route("/")
    @app.route("/ok")
    def page() -> tuple[str, int, dict[str, str]]:
        link = '</style.css>; rel="stylesheet", </gone.ttl>; rel="alternate"; type="text/turtle"'
        return TINY_PAGES[request.path], 200, {"Link": link} if request.path == "/" else {}

    @app.route("/style.css")
    @app.route("/pic.png")
    def asset() -> tuple[str, int, dict[str, str]]:
        return "x", 200, {"Content-Type": "text/css"}

    @app.route("/moved")
    def moved() -> Response:
        return redirect("/ok", 303)

    @app.route("/away")
    def away() -> Response:
        return redirect("https://elsewhere.example/", 302)

    return app.test_client()


def test_the_crawler_reports_missing_pages_redirects_off_site_and_missing_anchors(tiny_site: FlaskClient) -> None:
    crawl = Crawler(tiny_site, "https://example.org/base/").run(("/",))
    assert sorted(crawl.broken) == [
        "/away -> 302 to 'https://elsewhere.example/' off the site (on /)",
        "/gone.ttl -> 404 (on /)",  # named by the Link header only
        "/missing -> 404 (on /)",
    ]
    assert crawl.missing_anchors == ["/#nowhere: no element with that id (on /)"]
    assert crawl.unrewritten == ["https://example.org/base/ok?lang=zh (on /)"]  # the canonical link is allowed
    reached = {"/", "/style.css", "/ok", "/missing", "/moved", "/away", "/ok?lang=zh", "/pic.png", "/gone.ttl"}
    assert set(crawl.statuses) == reached
    assert crawl.statuses["/moved"] == 303


def test_the_page_reader_finds_what_a_reader_would_miss(tiny_site: FlaskClient) -> None:
    crawl = Crawler(tiny_site, "https://example.org/base/").run(("/",))
    home, ok = crawl.pages["/"], crawl.pages["/ok"]
    assert (home.main_count, home.title, home.html_lang, home.pictures_without_a_name()) == (1, "Home", "en", [])
    assert (ok.main_count, ok.title, ok.html_lang) == (2, "OK", None)
    assert ok.images_without_alt == ["/pic.png"]
    assert (home.repeated_ids, ok.repeated_ids) == (set(), {"there"})
    assert ok.pictures_without_a_name() == ["chart"]


def test_the_crawler_reports_links_that_leave_the_mount_point(tiny_site: FlaskClient) -> None:
    crawl = Crawler(tiny_site, "https://example.org/base/", mount="/m").run(("/",))
    assert crawl.statuses["/m/"] == 200  # the tiny app ignores its mount point, so its links leave it
    assert "/ok is outside the mount point /m (on /m/)" in crawl.broken
    assert "/m/ok?lang=zh" in crawl.statuses  # a base IRI maps below the mount


def test_link_headers_are_read_with_quoted_commas_and_bare_rels() -> None:
    header = '<https://example.org/x>; rel="canonical", </a.ttl>; title="a, b"; rel=alternate, </b>;rel="describedby"'
    assert link_header_targets(header) == [
        ("https://example.org/x", "canonical"),
        ("/a.ttl", "alternate"),
        ("/b", "describedby"),
    ]
