"""A crawler for the link tests: reads HTML pages (links, ids, landmarks, text alternatives) and walks a Flask
app's local links, and the targets of its pages' ``Link`` headers, breadth-first through its test client, each URL
once, noting every broken link and the page that holds it. Used by ``tests/test_site_links.py``; it knows
nothing about this dataset but its base IRI.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LOCAL_ORIGIN = "http://localhost"
MAX_URLS = 6000  # the real site has about 4,400 (each resource: its page in two languages and four formats)
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


_LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[\w*-]+\s*=\s*(?:\"[^\"]*\"|[^;,]*))*)")
_REL = re.compile(r";\s*rel\s*=\s*(?:\"([^\"]*)\"|([^;,\s]*))")


def link_header_targets(header: str) -> list[tuple[str, str]]:
    """The (target, rel) pairs of an HTTP ``Link`` header (RFC 8288)."""
    found = []
    for value in _LINK_VALUE.finditer(header):
        rel = _REL.search(value.group(2))
        found.append((value.group(1), (rel.group(1) or rel.group(2)) if rel else ""))
    return found


class Crawler:
    """Breadth-first over the site's local links, each URL requested once.

    With a ``mount`` (``/mirror``), the app is served below that path, as behind a proxy that mounts it
    there (``SCRIPT_NAME``); a link outside the mount is then broken, since it leads to another app.
    """

    def __init__(self, client: FlaskClient, base: str, mount: str = "") -> None:
        self.client = client
        self.base = base.rstrip("/") + "/"
        self.mount = mount.rstrip("/")
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
            return f"{self.mount}/{absolute[len(self.base) :]}"
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
            self._enqueue(self.mount + start, self.mount + "/")
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
        if self.mount and not path.startswith(self.mount + "/"):
            self.crawl.broken.append(f"{path} is outside the mount point {self.mount} (on {linked_from})")
            return
        inside = path[len(self.mount) :]
        with self.client.get(
            inside, base_url=LOCAL_ORIGIN + self.mount, headers={"Accept": BROWSER_ACCEPT}
        ) as response:
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
        # A page's Link header should name what its <link> elements do; an RDF answer's would add each
        # resource's explicit .html URL in both languages, doubling the crawl for little.
        for target, rel in link_header_targets(response.headers.get("Link", "")):
            self._enqueue(target, path, rel)
        page = read_page(response.get_data(as_text=True))
        self.crawl.pages[path] = page
        for href, rel in page.links:
            self._enqueue(href, path, rel)

    def _check_fragments(self) -> None:
        for target, fragment, page in self.crawl.fragments:
            found = self.crawl.pages.get(target)
            if found is not None and fragment not in found.ids:
                self.crawl.missing_anchors.append(f"{target}#{fragment}: no element with that id (on {page})")
