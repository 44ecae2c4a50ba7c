"""Every IRI under the base answers: negotiation, format URLs, headers, 304, HEAD, 404s, pages for people."""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from publisher import create_app, describe
from publisher.project import Project

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/shaanxi-unions/"
SUR = f"{BASE}resource/"
SUO = f"{BASE}ontology/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
EXTENSIONS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


@dataclass
class Element:
    """An element of a parsed page: tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


class _Builder(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.parts.append(data)


def page(body: bytes) -> Element:
    builder = _Builder()
    builder.feed(body.decode("utf-8"))
    return builder.root


def parse_rdf(body: bytes, media_type: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser goes through its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=body, format=RDF_TYPES[media_type])


def links_of(header: str) -> dict[str, str]:
    """``Link`` header -> {type or rel: url}."""
    found = {}
    for part in header.split(", <"):
        url, _, params = part.lstrip("<").partition(">")
        fields = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        found[fields.get("type", fields.get("rel", "")).strip('"')] = url
    return found


# --- negotiation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_accept_header_chooses_the_rdf_format(ld_client: FlaskClient, media_type: str) -> None:
    response = ld_client.get("/resource/shaanxi-ftu", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    graph = parse_rdf(response.data, media_type)
    assert (URIRef(f"{SUR}shaanxi-ftu"), RDFS.label, Literal("陕西省总工会", lang="zh")) in graph


def test_browser_gets_html_that_varies_on_accept_and_language(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/shaanxi-ftu", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    vary = {v.strip() for v in response.headers["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Cookie"} <= vary
    assert response.headers["Content-Location"] == "/resource/shaanxi-ftu.html"


def test_q_values_decide_between_html_and_turtle(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert response.mimetype == "text/turtle"


@pytest.mark.parametrize(("extension", "media_type"), sorted(EXTENSIONS.items()))
def test_explicit_format_url_serves_that_format_whatever_the_accept(
    ld_client: FlaskClient, extension: str, media_type: str
) -> None:
    response = ld_client.get(f"/resource/xian.{extension}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" not in response.headers.get("Vary", "")
    graph = parse_rdf(response.data, media_type)
    assert (URIRef(f"{SUR}xian"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q5826")) in graph


def test_explicit_html_url_serves_the_page(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian.html", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/html"


def test_format_parameter_overrides_accept(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian?format=nt", headers={"Accept": "text/html"})
    assert response.mimetype == "application/n-triples"


def test_unacceptable_media_type_is_406(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def test_text_formats_declare_utf8(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian.ttl")
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"


# --- headers: Link, ETag, Last-Modified, HEAD ------------------------------------------------------------------


def test_link_header_names_canonical_iri_and_every_other_format(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": "text/turtle"})
    links = links_of(response.headers["Link"])
    assert links["canonical"] == f"{SUR}xian"
    assert links["text/html"] == "/resource/xian.html"
    for extension, media_type in EXTENSIONS.items():
        if media_type != "text/turtle":
            assert links[media_type] == f"/resource/xian.{extension}"
    assert "text/turtle" not in links


def test_every_link_header_target_answers_in_its_type(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": BROWSER})
    for media_type, url in links_of(response.headers["Link"]).items():
        if media_type == "canonical":
            continue
        target = ld_client.get(url)
        assert target.status_code == 200 and target.mimetype == media_type


def test_etag_differs_by_representation_and_language(ld_client: FlaskClient) -> None:
    tags = {
        ld_client.get("/resource/xian.ttl").headers["ETag"],
        ld_client.get("/resource/xian.nt").headers["ETag"],
        ld_client.get("/resource/xian.html?lang=en").headers["ETag"],
        ld_client.get("/resource/xian.html?lang=zh").headers["ETag"],
    }
    assert len(tags) == 4


def test_if_none_match_gives_304_without_body(ld_client: FlaskClient) -> None:
    first = ld_client.get("/resource/xian", headers={"Accept": "text/turtle"})
    again = ld_client.get("/resource/xian", headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_if_none_match_for_another_representation_gives_200(ld_client: FlaskClient) -> None:
    turtle = ld_client.get("/resource/xian", headers={"Accept": "text/turtle"})
    other = ld_client.get(
        "/resource/xian", headers={"Accept": "application/n-triples", "If-None-Match": turtle.headers["ETag"]}
    )
    assert other.status_code == 200


def test_last_modified_is_sent_and_if_modified_since_gives_304(ld_client: FlaskClient) -> None:
    first = ld_client.get("/resource/xian.ttl")
    assert first.last_modified is not None
    again = ld_client.get("/resource/xian.ttl", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


def test_head_sends_the_headers_of_get_without_a_body(ld_client: FlaskClient) -> None:
    get = ld_client.get("/resource/xian", headers={"Accept": "text/turtle"})
    head = ld_client.head("/resource/xian", headers={"Accept": "text/turtle"})
    assert head.status_code == 200
    assert head.data == b""
    for name in ("Content-Type", "ETag", "Link", "Vary", "Content-Length"):
        assert head.headers[name] == get.headers[name]


# --- 404 in every format -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        (BROWSER, "text/html"),
        ("application/json", "application/json"),
        ("text/turtle", "text/plain"),
        ("", "text/plain"),
    ],
)
def test_unknown_iri_is_404_in_the_negotiated_kind(ld_client: FlaskClient, accept: str, mimetype: str) -> None:
    response = ld_client.get("/resource/nowhere", headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert response.mimetype == mimetype
    assert "nowhere" in response.get_data(as_text=True)


def test_unknown_iri_json_404_names_the_iri(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/nowhere", headers={"Accept": "application/json"})
    assert response.get_json()["status"] == 404
    assert f"{SUR}nowhere" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("suffix", "mimetype"), [("html", "text/html"), ("ttl", "text/plain"), ("jsonld", "text/plain")]
)
def test_unknown_explicit_format_url_is_404_in_that_kind(ld_client: FlaskClient, suffix: str, mimetype: str) -> None:
    response = ld_client.get(f"/resource/nowhere.{suffix}")
    assert response.status_code == 404
    assert response.mimetype == mimetype


def test_head_of_unknown_iri_is_404(ld_client: FlaskClient) -> None:
    assert ld_client.head("/resource/nowhere", headers={"Accept": "text/turtle"}).status_code == 404


def test_iri_only_used_as_object_exists(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/only-mentioned", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = parse_rdf(response.data, "text/turtle")
    assert (URIRef(f"{SUR}evil"), URIRef("http://schema.org/mentions"), URIRef(f"{SUR}only-mentioned")) in graph


# --- canonical IRIs in RDF, local links in HTML ---------------------------------------------------------------


def test_rdf_keeps_canonical_iris_when_served_on_another_host(ld_app: Flask) -> None:
    client = ld_app.test_client()
    response = client.get("/resource/shaanxi-ftu.nt", base_url="http://127.0.0.1:8000")
    text = response.get_data(as_text=True)
    assert "127.0.0.1" not in text
    assert f"<{SUR}shaanxi-ftu>" in text


def test_html_links_to_base_iris_are_local_paths(ld_client: FlaskClient) -> None:
    doc = page(
        ld_client.get("/resource/shaanxi-ftu", headers={"Accept": BROWSER}, base_url="http://127.0.0.1:8000").data
    )
    hrefs = [a.attrs["href"] for a in doc.find_all("a")]
    assert "/resource/xian" in hrefs
    assert not [h for h in hrefs if h.startswith(BASE)]


def test_every_local_link_on_every_page_resolves(ld_client: FlaskClient) -> None:
    """Crawl from a few pages: every link into the spaces this blueprint serves answers 200 (dumps need a build)."""
    ours = ("/resource/", "/ontology", "/shapes", "/graph/", "/dataset", "/static/")
    pending, seen = ["/resource/golden-autumn-grants", "/ontology", "/shapes", "/graph/data"], set()
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        response = ld_client.get(url, headers={"Accept": BROWSER})
        response.close()
        assert response.status_code == 200, url
        if response.mimetype != "text/html":
            continue
        doc = page(response.data)
        targets = [a.attrs.get("href", "") for a in doc.find_all("a")] + [
            link.attrs["href"] for link in doc.find_all("link") if link.attrs.get("rel") != "canonical"
        ]
        for href in targets:
            path = urlsplit(href).path
            if path.startswith(ours) and not urlsplit(href).netloc:
                pending.append(path)
    assert len(seen) > 20


def test_page_mounted_below_a_prefix_links_below_it(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/shaanxi-ftu", headers={"Accept": BROWSER}, base_url="http://localhost/lod")
    hrefs = [a.attrs["href"] for a in page(response.data).find_all("a")]
    assert "/lod/resource/xian" in hrefs


# --- the page of a resource -----------------------------------------------------------------------------------


def test_page_names_alternates_and_canonical_in_its_head(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/xian", headers={"Accept": BROWSER}).data)
    alternates = {
        link.attrs["type"]: link.attrs["href"] for link in doc.find_all("link", rel="alternate") if "type" in link.attrs
    }
    assert alternates == {media_type: f"/resource/xian.{ext}" for ext, media_type in EXTENSIONS.items()}
    assert doc.find("link", rel="canonical").attrs["href"] == f"{SUR}xian"


@pytest.mark.parametrize(
    ("how", "lead", "second"),
    [
        ({"query_string": {"lang": "zh"}}, "陕西省总工会", "Shaanxi Federation of Trade Unions"),
        ({"query_string": {"lang": "en"}}, "Shaanxi Federation of Trade Unions", "陕西省总工会"),
        ({"headers": {"Accept": BROWSER, "Accept-Language": "zh-CN,zh;q=0.9"}}, "陕西省总工会", None),
        ({"headers": {"Accept": BROWSER, "Accept-Language": "en-US"}}, "Shaanxi Federation of Trade Unions", None),
    ],
)
def test_page_language_decides_which_label_leads(
    ld_client: FlaskClient, how: dict, lead: str, second: str | None
) -> None:
    response = ld_client.get("/resource/shaanxi-ftu.html", **how)
    doc = page(response.data)
    html_lang = doc.find("html").attrs["lang"]
    h1 = doc.find("h1")
    assert h1.text.strip() == lead
    assert h1.find("span").attrs["lang"] == html_lang
    if second:
        assert doc.find("p", class_="second-label").text.strip() == second


def test_language_switch_links_to_the_other_language_and_the_choice_is_remembered(ld_app: Flask) -> None:
    client = ld_app.test_client()
    doc = page(client.get("/resource/xian.html?lang=en").data)
    switch = doc.find("nav", class_="language-switch")
    zh_link = switch.find("a", hreflang="zh").attrs["href"]
    assert parse_qs(urlsplit(zh_link).query)["lang"] == ["zh"]
    response = client.get(zh_link)
    assert "lang=zh" in response.headers["Set-Cookie"]
    later = page(client.get("/resource/xian.html").data)
    assert later.find("html").attrs["lang"] == "zh"


def test_interface_strings_follow_the_page_language(ld_client: FlaskClient) -> None:
    zh = page(ld_client.get("/resource/xian.html?lang=zh").data)
    en = page(ld_client.get("/resource/xian.html?lang=en").data)
    assert zh.find("h2", id="inbound-heading").text == "链接到此处的资源"
    assert en.find("h2", id="inbound-heading").text == "What links here"


def test_page_shows_types_and_property_labels_from_the_ontology(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/figure-golden-autumn-grants-money.html?lang=zh").data)
    types = [a.text for a in doc.find("p", class_="types").find_all("a")]
    assert types == ["数字"]
    rows = {th.text.strip() for th in doc.find("table", class_="properties").find_all("th", scope="row")}
    assert "所属举措" in rows  # suo:ofInitiative, labelled in the ontology
    assert "prov:wasAttributedTo" in rows  # no label in the data: the prefixed name


def test_literals_show_language_and_datatype_discreetly(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/figure-golden-autumn-grants-money.html?lang=en").data)
    notes = {small.text for small in doc.find_all("small", class_="note")}
    assert {"xsd:decimal", "zh", "en"} <= notes


def test_blank_nodes_are_shown_with_their_properties(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/shaanxi-ftu.html").data)
    nested = doc.find("dl", class_="nested")
    assert "710000" in nested.text


def test_what_links_here_lists_the_resources_that_point_to_it(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/golden-autumn-grants.html?lang=en").data)
    inbound = doc.find("dl", class_="inbound-list")
    hrefs = {a.attrs["href"] for a in inbound.find_all("a")}
    assert "/resource/figure-golden-autumn-grants-money" in hrefs
    assert "of initiative" in [dt.text.strip() for dt in inbound.find_all("dt")]


def test_many_inbound_links_are_capped_with_a_query_link(
    ld_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(describe, "INBOUND_LIMIT", 1)
    doc = page(ld_client.get("/resource/golden-autumn-grants.html?lang=en").data)
    more = doc.find("p", class_="more").find("a")
    query = parse_qs(urlsplit(more.attrs["href"]).query)["query"][0]
    assert urlsplit(more.attrs["href"]).path == "/sparql"
    assert f"<{SUR}golden-autumn-grants>" in query
    assert "2 in all" in more.text


def test_programme_page_tables_its_figures_as_people_read_them(ld_client: FlaskClient) -> None:
    en = page(ld_client.get("/resource/golden-autumn-grants.html?lang=en").data)
    amounts = {td.text.strip() for td in en.find("table", class_="figures-table").find_all("td", class_="amount")}
    assert amounts == {"more than 6.8 million yuan", "nearly 2,000 people"}
    zh = page(ld_client.get("/resource/golden-autumn-grants.html?lang=zh").data)
    amounts = {td.text.strip() for td in zh.find("table", class_="figures-table").find_all("td", class_="amount")}
    assert amounts == {"680余万元", "近2000人"}


def test_organisation_page_tables_the_figures_attributed_to_it(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/shaanxi-ftu.html?lang=en").data)
    rows = doc.find("table", class_="figures-table").find("tbody").find_all("tr")
    assert len(rows) == 1
    assert "more than 6.8 million yuan" in rows[0].text


def test_page_without_figures_has_no_figures_table(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/xian.html").data)
    assert doc.find_all("table", class_="figures-table") == []


def test_figure_page_marks_its_wording_in_the_source_sentence(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/figure-golden-autumn-grants-money.html?lang=en").data)
    section = doc.find("section", class_="source-sentence")
    quote = section.find("blockquote")
    assert quote.attrs["lang"] == "zh"
    assert [m.text for m in quote.find_all("mark")] == ["680余万元"]
    assert quote.text == "今年以来，省总工会发放金秋助学金680余万元，资助困难职工子女近2000人。"
    offsets = section.find("p", class_="offsets").text
    assert "Characters 100 to 138" in offsets
    assert "116 to 122" in offsets
    assert section.find("a", class_="article-link").attrs["href"] == "/resource/article"
    assert doc.find("p", class_="figure-amount").text.strip() == "more than 6.8 million yuan"


def test_sentence_page_marks_every_figure_taken_from_it(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/sentence-100-138.html").data)
    marks = [m.text for m in doc.find("blockquote").find_all("mark")]
    assert marks == ["680余万元", "近2000人"]


def test_page_embeds_schema_org_json_ld(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/xian.html").data)
    data = json.loads(doc.find("script", type="application/ld+json").text)
    assert data["@context"] == "https://schema.org"
    assert data["@id"] == f"{SUR}xian"
    assert data["@type"] == ["AdministrativeArea"]
    assert data["sameAs"] == ["http://www.wikidata.org/entity/Q5826"]
    assert {"@language": "zh", "@value": "西安市"} in data["name"]


def test_figure_json_ld_carries_value_and_unit(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/figure-golden-autumn-grants-money.html?lang=en").data)
    data = json.loads(doc.find("script", type="application/ld+json").text)
    assert "QuantitativeValue" in data["@type"]
    assert data["value"] == "6800000"
    assert data["unitText"] == "yuan"


def test_malicious_labels_stay_inert(ld_client: FlaskClient) -> None:
    body = ld_client.get("/resource/evil.html?lang=en").data
    doc = page(body)
    scripts = doc.find_all("script")
    assert [s.attrs.get("type") for s in scripts] == ["application/ld+json"]
    assert doc.find_all("img") == []
    assert doc.find("h1").text.strip() == "<script>alert('x')</script>"
    data = json.loads(scripts[0].text)
    assert {"@language": "zh", "@value": "</script><script>alert(1)</script>"} in data["name"]
    assert b"</script><script>" not in body


def test_page_has_landmarks_skip_link_and_viewport(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/xian.html").data)
    assert doc.find("meta", name="viewport")
    assert doc.find("a", class_="skip-link").attrs["href"] == "#main"
    assert doc.find("main").attrs["id"] == "main"
    assert doc.find_all("header") and doc.find_all("nav") and doc.find_all("footer")
    assert doc.find("link", rel="stylesheet").attrs["href"] == "/static/site.css"


def test_stylesheet_is_served_from_the_package(ld_client: FlaskClient) -> None:
    response = ld_client.get("/static/site.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert b"@media" in response.data and b":focus-visible" in response.data
    response.close()


# --- ontology, shapes and graphs -------------------------------------------------------------------------------


def test_ontology_page_documents_every_class_and_property(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology", headers={"Accept": BROWSER}, query_string={"lang": "en"}).data)
    anchors = {s.attrs["id"] for s in doc.find_all("section", class_="term")}
    assert {"TradeUnion", "TradeUnionFederation", "Figure", "unit", "ofInitiative", "yuan", "moreThan"} <= anchors
    figure = doc.find("section", id="Figure")
    assert "A quantity stated in the article." in figure.find("p", class_="definition").text
    assert figure.find("dd", class_="usage").find("data").attrs["value"] == "2"
    assert [a.attrs["href"] for a in figure.find("dd", class_="shapes").find_all("a")] == ["/shapes/FigureShape"]
    facts = figure.find("dl", class_="facts").text
    assert "schema:QuantitativeValue" in facts and "unit" in facts


def test_ontology_page_shows_the_hierarchy_domain_and_range(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=en").data)
    union = doc.find("section", id="TradeUnion")
    hrefs = {a.attrs["href"] for a in union.find_all("a")}
    assert "/ontology/TradeUnionFederation" in hrefs  # subclass
    federation = doc.find("section", id="TradeUnionFederation")
    assert "/ontology/TradeUnion" in {a.attrs["href"] for a in federation.find_all("a")}  # superclass
    unit = doc.find("section", id="unit")
    hrefs = {a.attrs["href"] for a in unit.find_all("a")}
    assert {"/ontology/Figure", "/ontology/Unit", "/shapes/FigureShape"} <= hrefs
    assert unit.find("dd", class_="usage").find("data").attrs["value"] == "2"


def test_ontology_page_in_chinese_uses_chinese_labels(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=zh").data)
    assert doc.find("section", id="TradeUnion").find("h3").find("span").text == "工会"


def test_ontology_turtle_holds_every_term(ld_client: FlaskClient) -> None:
    for url, headers in (("/ontology.ttl", {}), ("/ontology", {"Accept": "text/turtle"})):
        graph = parse_rdf(ld_client.get(url, headers=headers).data, "text/turtle")
        assert (URIRef(f"{SUO}TradeUnion"), RDF.type, OWL.Class) in graph
        assert (URIRef(f"{SUO}ofInitiative"), RDFS.range, URIRef(f"{SUO}Initiative")) in graph
        assert (URIRef(f"{BASE}ontology"), RDF.type, OWL.Ontology) in graph


def test_ontology_term_answers_with_its_own_page_and_rdf(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology/Figure.html").data)
    assert "/ontology#Figure" in {a.attrs["href"] for a in doc.find_all("a")}
    graph = parse_rdf(ld_client.get("/ontology/Figure", headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert (URIRef(f"{SUO}Figure"), RDF.type, OWL.Class) in graph
    assert (URIRef(f"{BASE}shapes/FigureShape"), SH.targetClass, URIRef(f"{SUO}Figure")) in graph


def test_shapes_page_documents_each_shape(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/shapes", headers={"Accept": BROWSER}, query_string={"lang": "en"}).data)
    shape = doc.find("section", id="FigureShape")
    assert "/ontology/Figure" in {a.attrs["href"] for a in shape.find_all("a")}
    paths = [dt.find("a").text for dt in shape.find("dl", class_="constraints").find_all("dt")]
    assert paths == ["schema:value", "unit"]
    assert "sh:minCount" in shape.find("dl", class_="constraints").text
    assert doc.find("section", id="TradeUnionShape")


def test_shapes_rdf_is_the_shapes_graph(ld_client: FlaskClient) -> None:
    graph = parse_rdf(ld_client.get("/shapes.ttl").data, "text/turtle")
    assert (URIRef(f"{BASE}shapes/FigureShape"), SH.targetClass, URIRef(f"{SUO}Figure")) in graph
    assert len(list(graph.subjects(SH.path, None))) == 3


def test_shape_iri_answers_with_its_property_shapes(ld_client: FlaskClient) -> None:
    graph = parse_rdf(ld_client.get("/shapes/FigureShape.ttl").data, "text/turtle")
    shapes = list(graph.objects(URIRef(f"{BASE}shapes/FigureShape"), SH.property))
    assert {graph.value(s, SH.path) for s in shapes} == {URIRef(f"{SUO}unit"), URIRef("http://schema.org/value")}


def test_graph_iri_serves_the_graph(ld_client: FlaskClient) -> None:
    graph = parse_rdf(ld_client.get("/graph/data", headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert (URIRef(f"{SUR}xian"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q5826")) in graph
    doc = page(ld_client.get("/graph/data.html").data)
    hrefs = {a.attrs["href"] for a in doc.find("ul", class_="link-list").find_all("a")}
    assert {"/resource/xian", "/resource/shaanxi-ftu"} <= hrefs


def test_ontology_page_counts_references_to_other_terms(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=en").data)
    assert doc.find("section", id="yuan").find("dd", class_="usage").find("data").attrs["value"] == "1"
    assert doc.find("section", id="exactly").find("dd", class_="usage").find("data").attrs["value"] == "0"


def test_page_etag_changes_with_the_publisher_version(ld_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher import resources

    before = ld_client.get("/resource/xian.html").headers["ETag"]
    monkeypatch.setattr(resources, "__version__", "999.0")
    assert ld_client.get("/resource/xian.html").headers["ETag"] != before


def test_shapes_ontology_iri_gets_the_shapes_documentation(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/shapes.html?lang=zh").data)
    assert doc.find("h1").text.strip() == "测试数据形状"
    union = doc.find("section", id="TradeUnionShape")
    constraints = union.find("dl", class_="constraints")
    assert [dt.find("a").text for dt in constraints.find_all("dt")] == ["rdfs:label"]  # the named property shape's path
    shape_link = constraints.find("small", class_="shape-link").find("a")
    assert (shape_link.attrs["href"], shape_link.text) == ("/shapes/Resource-labels", "Resource-labels")
    assert "sh:minCount" in constraints.text and "2" in constraints.text
    graph = parse_rdf(ld_client.get("/shapes.ttl").data, "text/turtle")
    assert (URIRef(f"{BASE}shapes"), RDF.type, OWL.Ontology) in graph
    assert (URIRef(f"{BASE}shapes/Resource-labels"), SH.minCount, Literal(2)) in graph


def test_rdf_lists_are_shown_as_ordered_lists(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/shapes/TradeUnionShape.html").data)
    items = doc.find("ol", class_="rdf-list").find_all("li")
    assert [li.find("a").attrs["href"] for li in items] == [str(RDF.type), str(OWL.sameAs)]


def test_shapes_page_keeps_to_constraint_parameters_and_the_shape_page_has_the_rest(ld_client: FlaskClient) -> None:
    constraints = (
        page(ld_client.get("/shapes.html").data).find("section", id="TradeUnionShape").find("dl", class_="constraints")
    )
    assert "needs a label" not in constraints.text
    assert "needs a label" in page(ld_client.get("/shapes/Resource-labels.html").data).find("main").text


def test_dates_are_shown_as_people_write_them_with_their_datatype(ld_client: FlaskClient) -> None:
    zh = page(ld_client.get("/resource/article.html?lang=zh").data)
    en = page(ld_client.get("/resource/article.html?lang=en").data)
    assert "2022年9月27日" in zh.find("table", class_="properties").text
    assert "27 September 2022" in en.find("table", class_="properties").text
    assert "xsd:date" in {small.text for small in en.find_all("small", class_="note")}


def test_untagged_chinese_text_is_marked_as_chinese(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/figure-golden-autumn-grants-money.html?lang=en").data)
    spans = [s for s in doc.find("table", class_="properties").find_all("span") if s.text == "680余万元"]
    assert spans and spans[0].attrs.get("lang") == "zh"


def test_every_link_on_every_page_of_a_built_dataset_resolves(built_tiny_project: Project) -> None:
    """A different base (https://example.org/tiny/) served from its build: pages link locally and every link answers."""
    client = create_app({"TESTING": True, "PROJECT_FILE": str(built_tiny_project.root / "dataset.toml")}).test_client()
    ours = ("/resource/", "/ontology", "/shapes", "/graph/", "/dataset", "/dumps/", "/.well-known/", "/static/")
    pending, seen = ["/dataset", "/ontology", "/shapes", "/dumps/"], set()
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, headers={"Accept": BROWSER}, base_url="http://127.0.0.1:8000")
        response.close()
        assert response.status_code in (200, 303), url
        if response.mimetype != "text/html":
            continue
        doc = page(response.data)
        hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
        assert not [h for h in hrefs if h.startswith(built_tiny_project.base)], url
        for href in hrefs:
            if href.startswith(ours):
                pending.append(urlsplit(href).path)
    assert "/resource/figure-funds" in seen
    assert len(seen) > 30


@pytest.mark.parametrize(
    "path", ["/resource/a%20b", "/resource/a%00b", "/resource/<x>", "/resource/a%22b", "/resource/%ZZ", "/resource/{b}"]
)
@pytest.mark.parametrize("accept", [BROWSER, "text/turtle", "application/json"])
def test_a_path_that_is_no_iri_is_404_not_a_crash(ld_client: FlaskClient, path: str, accept: str) -> None:
    assert ld_client.get(path, headers={"Accept": accept}).status_code == 404


def test_a_404_page_escapes_the_path_it_names(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers={"Accept": BROWSER})
    doc = page(response.data)
    assert response.status_code == 404
    assert doc.find_all("script") == []
    assert "<script>alert(1)</script>" in doc.find("p", class_="error-message").text


@pytest.mark.parametrize(("namespace", "document"), [("/ontology/", "/ontology"), ("/shapes/", "/shapes")])
def test_a_namespace_iri_is_sent_to_its_ontology(ld_client: FlaskClient, namespace: str, document: str) -> None:
    response = ld_client.get(namespace, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == document


def test_a_slash_after_an_ordinary_resource_is_404(ld_client: FlaskClient) -> None:
    assert ld_client.get("/resource/xian/", headers={"Accept": "text/turtle"}).status_code == 404


def test_shapes_without_a_shapes_iri_are_documented_at_slash_shapes(built_tiny_project: Project) -> None:
    client = create_app({"TESTING": True, "PROJECT_FILE": str(built_tiny_project.root / "dataset.toml")}).test_client()
    doc = page(client.get("/shapes.html?lang=en").data)
    assert doc.find("h1").text.strip() == "Shapes"
    assert doc.find_all("section", class_="term shape")
    graph = parse_rdf(client.get("/shapes", headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert list(graph.subjects(RDF.type, SH.NodeShape))


def test_page_declares_its_language_and_links_its_translation(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian.html?lang=zh")
    assert response.headers["Content-Language"] == "zh"
    translations = [link for link in page(response.data).find_all("link", rel="alternate") if "hreflang" in link.attrs]
    assert [(link.attrs["hreflang"], link.attrs["href"]) for link in translations] == [
        ("en", "/resource/xian.html?lang=en")
    ]


def test_rdf_uses_the_dataset_prefixes(ld_client: FlaskClient) -> None:
    turtle = ld_client.get("/resource/xian.ttl").get_data(as_text=True)
    assert "@prefix sur: <https://w3id.org/shaanxi-unions/resource/> ." in turtle
    document = json.loads(ld_client.get("/resource/xian.jsonld").data)
    assert document["@context"]["sur"] == SUR


def test_negotiated_rdf_names_its_format_url_in_content_location(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": "application/ld+json"})
    assert response.headers["Content-Location"] == "/resource/xian.jsonld"


def test_the_language_cookie_is_long_lived_and_same_site(ld_client: FlaskClient) -> None:
    cookie = ld_client.get("/resource/xian.html?lang=zh").headers["Set-Cookie"]
    assert "lang=zh" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie


def test_rdf_responses_set_no_language_cookie(ld_client: FlaskClient) -> None:
    assert "Set-Cookie" not in ld_client.get("/resource/xian.ttl?lang=zh").headers


def test_last_modified_is_the_data_files_time_and_stays_while_served(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(f'<{SUR}x> <{RDFS.label}> "x" .\n', encoding="utf-8")
    os.utime(data, (1_600_000_000, 1_600_000_000))
    client = create_app(
        {"TESTING": True, "PROJECT_FILE": str(ROOT / "dataset.toml"), "DATA_FILES": [str(data)]}
    ).test_client()
    assert client.get("/resource/x.ttl").last_modified == datetime.fromtimestamp(1_600_000_000, tz=UTC)
    os.utime(data, (1_700_000_000, 1_700_000_000))
    assert client.get("/resource/x.ttl").last_modified == datetime.fromtimestamp(1_600_000_000, tz=UTC)
