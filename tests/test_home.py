"""The home page, search and browse-by-class pages, on the Linked Data fixtures."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

from flask.testing import FlaskClient

HTML = {"Accept": "text/html"}


class Page(HTMLParser):
    """Collects links, text and a few elements of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href is not None and data.strip():
            self.links.append((self._href, data.strip()))

    def all_text(self) -> str:
        return " ".join(t.strip() for t in self.text if t.strip())


def page(client: FlaskClient, url: str, **headers: str) -> Page:
    response = client.get(url, headers={**HTML, **headers})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    parsed = Page()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def test_home_page_says_what_the_dataset_is_in_the_chosen_language(ld_client: FlaskClient) -> None:
    english = page(ld_client, "/?lang=en").all_text()
    chinese = page(ld_client, "/?lang=zh").all_text()
    assert "Shaanxi trade unions and the 2022 push" in english
    assert "陕西工会2022年稳就业稳经济知识图谱" in chinese
    assert "按类别浏览" in chinese and "Browse by class" in english


def test_home_page_counts_triples_and_the_resources_of_each_class(ld_app, ld_client: FlaskClient) -> None:
    parsed = page(ld_client, "/?lang=en")
    triples = ld_app.extensions["publisher"].triple_count
    assert f"{triples:,}" in parsed.all_text()
    browse = [(href, text) for href, text in parsed.links if href.startswith("/browse?")]
    figure_class = "https://w3id.org/shaanxi-unions/ontology/Figure"
    assert any(parse_qs(urlparse(href).query)["class"] == [figure_class] for href, _ in browse)


def test_home_page_draws_a_chart_of_money_with_links_to_the_figures(ld_client: FlaskClient) -> None:
    parsed = page(ld_client, "/?lang=en")
    svg = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    assert svg and svg[0].get("role") == "img"
    assert ("/resource/figure-golden-autumn-grants-money", "Golden Autumn grants paid") in parsed.links


def test_home_page_links_the_licence_and_offers_a_citation(ld_client: FlaskClient) -> None:
    parsed = page(ld_client, "/?lang=en")
    assert any(attrs.get("rel") == "license" for tag, attrs in parsed.tags if tag == "a")
    assert "https://w3id.org/shaanxi-unions/dataset" in parsed.all_text()


def test_search_finds_chinese_english_and_pinyin(ld_client: FlaskClient) -> None:
    for query in ("西安", "xi'an", "xian", "Xi an"):
        links = page(ld_client, f"/search?q={query}&lang=en").links
        assert ("/resource/xian", "Xi'an") in links, query


def test_search_answers_json_to_api_clients(ld_client: FlaskClient) -> None:
    response = ld_client.get("/search?q=jinqiu", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    results = response.get_json()["results"]
    assert "https://w3id.org/shaanxi-unions/resource/golden-autumn-grants" in [r["iri"] for r in results]


def test_search_escapes_the_query_it_echoes(ld_client: FlaskClient) -> None:
    response = ld_client.get("/search?q=<script>alert(1)</script>", headers=HTML)
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_overlong_search_is_refused(ld_client: FlaskClient) -> None:
    response = ld_client.get("/search?q=" + "x" * 201, headers={"Accept": "application/json"})
    assert response.status_code == 400


def test_browse_lists_the_instances_of_a_class(ld_client: FlaskClient) -> None:
    response = ld_client.get(
        "/browse?class=https://w3id.org/shaanxi-unions/ontology/PrefectureLevelCity",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert [r["iri"] for r in response.get_json()["results"]] == ["https://w3id.org/shaanxi-unions/resource/xian"]


def test_browse_without_a_class_says_how_to_ask(ld_client: FlaskClient) -> None:
    response = ld_client.get("/browse", headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "/browse?class=" in response.get_data(as_text=True)


def test_language_chosen_on_the_home_page_is_remembered(ld_client: FlaskClient) -> None:
    response = ld_client.get("/?lang=zh", headers=HTML)
    assert "lang=zh" in response.headers.get("Set-Cookie", "")


def test_classes_of_the_schema_languages_are_not_entry_points(ld_client: FlaskClient) -> None:
    classes = {
        parse_qs(urlparse(href).query)["class"][0] for href, _ in page(ld_client, "/").links if "/browse?" in href
    }
    assert classes and not any(
        c.startswith(("http://www.w3.org/2002/07/owl#", "http://www.w3.org/ns/shacl#")) for c in classes
    )


def test_the_dataset_description_is_not_an_entry_point(project) -> None:
    import pyoxigraph as ox

    from publisher.home import compute_overview
    from publisher.store import PublishedData

    store = ox.Store()
    store.load(
        b"""@prefix void: <http://rdfs.org/ns/void#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix sur: <https://w3id.org/shaanxi-unions/resource/> .
        <https://w3id.org/shaanxi-unions/dataset> a void:Dataset, dcat:Dataset .
        sur:xian a <https://w3id.org/shaanxi-unions/ontology/PrefectureLevelCity> .""",
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://example.org/g"),
    )
    overview = compute_overview(PublishedData(project=project, files=(), store=store, version="v"))
    assert [c.iri for c in overview.classes] == ["https://w3id.org/shaanxi-unions/ontology/PrefectureLevelCity"]
    assert overview.resources == 1


def test_pages_name_a_bundled_icon_so_browsers_do_not_ask_for_a_missing_favicon(ld_client: FlaskClient) -> None:
    icons = [attrs["href"] for tag, attrs in page(ld_client, "/").tags if tag == "link" and attrs.get("rel") == "icon"]
    assert icons == ["/static/favicon.svg"]
    response = ld_client.get(icons[0])
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    response.close()
