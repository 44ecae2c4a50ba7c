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
every ``<img>`` and inline ``<svg>``. The last tests run the crawler on a tiny site with one of each fault.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

import pytest
from flask import Flask, Response, redirect, request
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from publisher import create_app
from publisher.build import build_dataset
from publisher.project import load_project
from publisher.sparql.views import SERVICE_KEY
from publisher.store import EXTENSION_KEY
from publisher.urls import path_for
from tests.conftest import write_project_file

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LOCAL_ORIGIN = "http://localhost"
START_URLS = ("/", "/?lang=zh")
MAX_URLS = 6000  # the site has about 4,400 (each resource: its page in two languages and four formats)
MAX_SECONDS = 60
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Page:
    """What the crawl learnt from one HTML page."""

    links: list[tuple[str, str]] = field(default_factory=list)  # (href or src, rel)
    ids: set[str] = field(default_factory=set)
    repeated_ids: set[str] = field(default_factory=set)
    main_count: int = 0
    title: str | None = None
    html_lang: str | None = None
    images_without_alt: list[str] = field(default_factory=list)
    pictures: list[dict[str, str]] = field(default_factory=list)  # each <svg>'s attributes, "title" if it has one

    def pictures_without_a_name(self) -> list[str]:
        """Inline SVG pictures a screen reader cannot name: not hidden, and no label, labelling ids or <title>."""
        unnamed = []
        for svg in self.pictures:
            if svg.get("aria-hidden") == "true" or svg.get("aria-label", "").strip() or svg.get("title"):
                continue
            labelled_by = svg.get("aria-labelledby", "").split()
            if labelled_by and all(name in self.ids for name in labelled_by):
                continue
            unnamed.append(svg.get("class", "svg"))
        return unnamed


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._title_parts: list[str] = []
        self._svgs: list[dict[str, str]] = []  # the open <svg> elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for anchor in ("id", "name" if tag == "a" else ""):
            if anchor and values.get(anchor):
                if anchor == "id" and values["id"] in self.page.ids:
                    self.page.repeated_ids.add(values["id"])
                self.page.ids.add(values[anchor])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and attribute in values:
            self.page.links.append((values[attribute].strip(), values.get("rel", "")))
        if tag == "svg":
            self._svgs.append(values)
            self.page.pictures.append(values)
        elif tag == "title" and self._svgs:
            self._svgs[-1]["title"] = "yes"
        elif tag == "main":
            self.page.main_count += 1
        elif tag == "html":
            self.page.html_lang = values.get("lang")
        elif tag == "title" and self.page.title is None:
            self._in_title = True
        elif tag == "img" and not values.get("alt", "").strip() and values.get("role") != "presentation":
            self.page.images_without_alt.append(values.get("src", "?"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self._svgs.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svgs:
            self._svgs.pop()
        if tag == "title" and self._in_title:
            self._in_title = False
            self.page.title = " ".join("".join(self._title_parts).split())

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)


def read_page(html: str) -> Page:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.page


@dataclass
class Crawl:
    """The crawl's findings: the pages read, and every problem as 'what (on which page)'."""

    pages: dict[str, Page] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    unrewritten: list[str] = field(default_factory=list)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)  # (target URL, fragment, page)
    missing_anchors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bounded: bool = False


def _site_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawler:
    """Breadth-first over the site's local links, each URL requested once."""

    def __init__(self, client: FlaskClient, base: str) -> None:
        self.client = client
        self.base = base.rstrip("/") + "/"
        self.crawl = Crawl()
        self.queue: deque[tuple[str, str]] = deque()  # (site path, the page that links to it)
        self.seen: set[str] = set()

    def _local(self, href: str, page: str, rel: str = "") -> str | None:
        """The site path ``href`` (on ``page``) points at, or ``None`` when it leaves the site.

        A link under the base IRI is on the site; only ``rel="canonical"`` may name it so, since that is
        meant to give the published IRI."""
        absolute = urljoin(LOCAL_ORIGIN + page, href)
        if absolute.startswith(self.base):
            if "canonical" not in rel.split():
                self.crawl.unrewritten.append(f"{href} (on {page})")
            return "/" + absolute[len(self.base) :]
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or f"{parts.scheme}://{parts.netloc}" != LOCAL_ORIGIN:
            return None
        return _site_path(absolute) + (f"#{parts.fragment}" if parts.fragment else "")

    def _enqueue(self, href: str, page: str, rel: str = "") -> None:
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            return
        local = self._local(href, page, rel)
        if local is None:
            return
        target, fragment = urldefrag(local)
        target = target or page
        if fragment:
            self.crawl.fragments.append((target, fragment, page))
        if target not in self.seen:
            self.seen.add(target)
            self.queue.append((target, page))

    def run(self, starts: tuple[str, ...]) -> Crawl:
        started = time.monotonic()
        for start in starts:
            self._enqueue(start, "/")
        while self.queue:
            if len(self.crawl.statuses) >= MAX_URLS or time.monotonic() - started > MAX_SECONDS:
                self.crawl.bounded = True
                break
            path, linked_from = self.queue.popleft()
            self._visit(path, linked_from)
        self.crawl.seconds = time.monotonic() - started
        self._check_fragments()
        return self.crawl

    def _visit(self, path: str, linked_from: str) -> None:
        with self.client.get(path, headers={"Accept": BROWSER_ACCEPT}) as response:
            self._read(path, linked_from, response)

    def _read(self, path: str, linked_from: str, response: TestResponse) -> None:
        self.crawl.statuses[path] = response.status_code
        if response.status_code in REDIRECTS:
            location = response.headers.get("Location", "")
            if self._local(location, path) is None:
                self.crawl.broken.append(
                    f"{path} -> {response.status_code} to {location!r} off the site (on {linked_from})"
                )
            else:
                self._enqueue(location, path)
            return
        if response.status_code != 200:
            self.crawl.broken.append(f"{path} -> {response.status_code} (on {linked_from})")
            return
        if response.mimetype != "text/html":
            return
        page = read_page(response.get_data(as_text=True))
        self.crawl.pages[path] = page
        for href, rel in page.links:
            self._enqueue(href, path, rel)

    def _check_fragments(self) -> None:
        for target, fragment, page in self.crawl.fragments:
            found = self.crawl.pages.get(target)
            if found is not None and fragment not in found.ids:
                self.crawl.missing_anchors.append(f"{target}#{fragment}: no element with that id (on {page})")


def subject_paths(app: Flask, base: str) -> set[str]:
    """The local path of every IRI under ``base`` that the served data describes (fragments dropped)."""
    store = app.extensions[EXTENSION_KEY].store
    solutions = store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }")
    paths = {path_for(solution["s"].value, base) for solution in solutions}  # type: ignore[union-attr,index]
    return {urldefrag(path)[0] for path in paths if path}


@dataclass(frozen=True)
class Site:
    crawl: Crawl
    described: set[str]  # the path of every resource the data describes


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real project built into a temporary dist/, served by the test client and crawled once."""
    folder = tmp_path_factory.mktemp("site")
    project_file = write_project_file(folder / "project", dist=folder / "dist")
    project = load_project(project_file)
    build_dataset(project, out=lambda _line: None)
    app = create_app({"TESTING": True, "PROJECT_FILE": str(project_file)})
    try:
        crawl = Crawler(app.test_client(), project.base).run(START_URLS)
        yield Site(crawl, subject_paths(app, project.base))
    finally:
        app.extensions[SERVICE_KEY].executor.close()  # the example pages' queries forked workers


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


def test_the_crawl_is_fast(crawl: Crawl) -> None:
    assert crawl.seconds < MAX_SECONDS / 2, f"{len(crawl.statuses)} URLs took {crawl.seconds:.1f} s"


def test_every_link_on_every_page_resolves(crawl: Crawl) -> None:
    assert not crawl.broken, f"{len(set(crawl.broken))} broken link(s):\n{_listed(crawl.broken)}"


@pytest.mark.xfail(
    strict=True,
    reason="publisher/resources.py:128 links each named property shape (/shapes/Figure-unit) to /shapes#Figure-unit, "
    "but the shapes page gives ids to node shapes only",
)
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
    def page() -> str:
        return TINY_PAGES[request.path]

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
        "/missing -> 404 (on /)",
    ]
    assert crawl.missing_anchors == ["/#nowhere: no element with that id (on /)"]
    assert crawl.unrewritten == ["https://example.org/base/ok?lang=zh (on /)"]  # the canonical link is allowed
    assert set(crawl.statuses) == {"/", "/style.css", "/ok", "/missing", "/moved", "/away", "/ok?lang=zh", "/pic.png"}
    assert crawl.statuses["/moved"] == 303


def test_the_page_reader_finds_what_a_reader_would_miss(tiny_site: FlaskClient) -> None:
    crawl = Crawler(tiny_site, "https://example.org/base/").run(("/",))
    home, ok = crawl.pages["/"], crawl.pages["/ok"]
    assert (home.main_count, home.title, home.html_lang, home.pictures_without_a_name()) == (1, "Home", "en", [])
    assert (ok.main_count, ok.title, ok.html_lang) == (2, "OK", None)
    assert ok.images_without_alt == ["/pic.png"]
    assert (home.repeated_ids, ok.repeated_ids) == (set(), {"there"})
    assert ok.pictures_without_a_name() == ["chart"]
