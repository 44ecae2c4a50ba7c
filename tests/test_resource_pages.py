"""The page of a resource: languages, labels, values, what links here, figures, sources, JSON-LD, escaping, a11y."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import URIRef
from rdflib.namespace import OWL

from publisher import describe
from publisher.project import Project
from tests.ld_helpers import BROWSER, EXTENSIONS, SUR, page, parse_rdf


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
    assert "归属于" in rows  # prov:wasAttributedTo: no label in the data, the reused term's display name
    assert not any(":" in row for row in rows)  # no property left as a bare prefixed name


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
    query = parse_qs(urlsplit(more.attrs["href"]).fragment)["query"][0]  # the query page, with the query loaded
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


def test_graph_iri_serves_the_graph(ld_client: FlaskClient) -> None:
    graph = parse_rdf(ld_client.get("/graph/data", headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert (URIRef(f"{SUR}xian"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q5826")) in graph
    doc = page(ld_client.get("/graph/data.html").data)
    hrefs = {a.attrs["href"] for a in doc.find("ul", class_="link-list").find_all("a")}
    assert {"/resource/xian", "/resource/shaanxi-ftu"} <= hrefs


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


def test_a_404_page_escapes_the_path_it_names(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers={"Accept": BROWSER})
    doc = page(response.data)
    assert response.status_code == 404
    assert doc.find_all("script") == []
    assert "<script>alert(1)</script>" in doc.find("p", class_="error-message").text


def test_page_declares_its_language_and_links_its_translation(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian.html?lang=zh")
    assert response.headers["Content-Language"] == "zh"
    translations = [link for link in page(response.data).find_all("link", rel="alternate") if "hreflang" in link.attrs]
    assert [(link.attrs["hreflang"], link.attrs["href"]) for link in translations] == [
        ("en", "/resource/xian.html?lang=en")
    ]


def test_the_language_cookie_is_long_lived_and_same_site(ld_client: FlaskClient) -> None:
    cookie = ld_client.get("/resource/xian.html?lang=zh").headers["Set-Cookie"]
    assert "lang=zh" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie


def test_a_qualifier_not_mapped_in_the_project_is_read_by_its_english_label(ld_client: FlaskClient) -> None:
    en = page(ld_client.get("/resource/figure-job-fair-visitors.html?lang=en").data)
    zh = page(ld_client.get("/resource/figure-job-fair-visitors.html?lang=zh").data)
    assert en.find("p", class_="figure-amount").text.strip() == "at least 100 people"
    assert zh.find("p", class_="figure-amount").text.strip() == "100人以上"


@pytest.mark.parametrize(
    ("path", "schema_type"),
    [
        ("/resource/shaanxi-ftu", "Organization"),  # suo:TradeUnionFederation ⊑ suo:TradeUnion ⊑ org:FormalOrganization
        ("/resource/golden-autumn-grants", "Action"),  # ⊑ suo:Initiative ⊑ prov:Activity
        ("/resource/article", "NewsArticle"),
    ],
)
def test_json_ld_type_follows_the_class_hierarchy_to_schema_org(
    ld_client: FlaskClient, path: str, schema_type: str
) -> None:
    doc = page(ld_client.get(f"{path}.html").data)
    assert json.loads(doc.find("script", type="application/ld+json").text)["@type"] == [schema_type]


def test_pages_forbid_scripts_and_sniffing(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/evil.html")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert ld_client.get("/resource/evil.ttl").headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in ld_client.get("/resource/nowhere", headers={"Accept": BROWSER}).headers


def test_names_and_descriptions_lead_the_property_table(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/resource/evil.html?lang=en").data)
    rows = [th.find("a").attrs["title"] for th in doc.find("table", class_="properties").find_all("th", scope="row")]
    assert rows[:2] == ["rdfs:label", "rdfs:comment"]


def test_page_title_names_the_resource_and_the_dataset_in_the_page_language(
    ld_client: FlaskClient, project: Project
) -> None:
    zh = page(ld_client.get("/resource/xian.html?lang=zh").data).find("title").text
    en = page(ld_client.get("/resource/xian.html?lang=en").data).find("title").text
    assert zh == f"西安市 · {project.title['zh']}"
    assert en == f"Xi'an · {project.title['en']}"
