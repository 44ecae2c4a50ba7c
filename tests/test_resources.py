"""Every IRI under the base answers: negotiation, format URLs, Link, ETag/304, Last-Modified, HEAD, 404s, links."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDFS

from publisher import create_app
from publisher.project import Project
from tests.ld_helpers import BASE, BROWSER, EXTENSIONS, RDF_TYPES, ROOT, SUR, links_of, page, parse_rdf


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


def test_page_etag_changes_with_the_publisher_version(ld_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher import resources

    before = ld_client.get("/resource/xian.html").headers["ETag"]
    monkeypatch.setattr(resources, "__version__", "999.0")
    assert ld_client.get("/resource/xian.html").headers["ETag"] != before


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


def test_a_slash_after_an_ordinary_resource_is_404(ld_client: FlaskClient) -> None:
    assert ld_client.get("/resource/xian/", headers={"Accept": "text/turtle"}).status_code == 404


def test_rdf_uses_the_dataset_prefixes(ld_client: FlaskClient) -> None:
    turtle = ld_client.get("/resource/xian.ttl").get_data(as_text=True)
    assert "@prefix sur: <https://w3id.org/shaanxi-unions/resource/> ." in turtle
    document = json.loads(ld_client.get("/resource/xian.jsonld").data)
    assert document["@context"]["sur"] == SUR


def test_negotiated_rdf_names_its_format_url_in_content_location(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": "application/ld+json"})
    assert response.headers["Content-Location"] == "/resource/xian.jsonld"


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


def test_a_client_asking_for_json_gets_json_ld(ld_client: FlaskClient) -> None:
    response = ld_client.get("/resource/xian", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    graph = parse_rdf(response.data, "application/ld+json")
    assert (URIRef(f"{SUR}xian"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q5826")) in graph


def test_a_404_speaks_the_language_of_the_request(ld_client: FlaskClient) -> None:
    zh = ld_client.get("/resource/nowhere", headers={"Accept": BROWSER, "Accept-Language": "zh-CN"})
    en = ld_client.get("/resource/nowhere", headers={"Accept": "text/plain", "Accept-Language": "en"})
    assert "本数据集中没有" in page(zh.data).find("p", class_="error-message").text
    assert en.get_data(as_text=True).startswith(f"No resource named {SUR}nowhere")
