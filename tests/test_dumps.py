"""The dumps: listed with size, checksum and date; served with their type, length, ETag; nothing outside dist/."""

from __future__ import annotations

import gzip
import hashlib
import json
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, VOID

from publisher import create_app
from publisher.project import Project

ROOT = Path(__file__).resolve().parent.parent
LD = Path(__file__).resolve().parent / "data" / "ld"
BASE = "https://w3id.org/shaanxi-unions/"
VOID_TTL = f"""@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix void: <http://rdfs.org/ns/void#> .
<{BASE}dataset> a void:Dataset ;
    dcterms:title "A test dataset"@en ;
    void:uriSpace "{BASE}resource/" ;
    void:dataDump <{BASE}dumps/dataset.ttl> .
"""
FILES: dict[str, bytes] = {
    "dataset.ttl": f'<{BASE}resource/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'.encode(),
    "dataset.nt.gz": gzip.compress(f'<{BASE}resource/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'.encode()),
    "dataset.jsonld": b'{"@id": "https://w3id.org/shaanxi-unions/resource/x"}\n',
    "dataset.trig": f"<{BASE}graph/g> {{ <{BASE}resource/x> a <{BASE}ontology/Thing> . }}\n".encode(),
    "void.ttl": VOID_TTL.encode(),
}
MEDIA_TYPES = {
    "dataset.ttl": "text/turtle; charset=utf-8",
    "dataset.nt.gz": "application/gzip",
    "dataset.jsonld": "application/ld+json",
    "dataset.trig": "application/trig; charset=utf-8",
    "void.ttl": "text/turtle; charset=utf-8",
    "SHA256SUMS": "text/plain; charset=utf-8",
}


def _project_file(folder: Path) -> Path:
    """A copy of the real dataset.toml in ``folder``, so that its dist/ is ``folder/dist``."""
    target = folder / "dataset.toml"
    target.write_text((ROOT / "dataset.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return target


def _write_dist(dist: Path) -> None:
    dist.mkdir()
    for name, data in FILES.items():
        (dist / name).write_bytes(data)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(FILES.items()))
    (dist / "SHA256SUMS").write_text(sums, encoding="ascii")
    (dist / "BUILDINFO.json").write_text("{}", encoding="utf-8")


@pytest.fixture
def dist_app(tmp_path: Path) -> Iterator[Flask]:
    _write_dist(tmp_path / "dist")
    (tmp_path / "secret.txt").write_text("do not serve", encoding="utf-8")
    yield create_app(
        {"TESTING": True, "PROJECT_FILE": str(_project_file(tmp_path)), "DATA_FILES": [str(LD / "data.ttl")]}
    )


@pytest.fixture
def dist_client(dist_app: Flask) -> FlaskClient:
    return dist_app.test_client()


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "a" and self._in_body:
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_listing_shows_each_file_with_size_checksum_and_date(dist_client: FlaskClient) -> None:
    response = dist_client.get("/dumps/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    parser = _Rows()
    parser.feed(response.get_data(as_text=True))
    by_name = {row[0]: row for row in parser.rows}
    assert set(by_name) == set(MEDIA_TYPES)
    for name, data in FILES.items():
        _, media_type, size, checksum, date = by_name[name]
        assert media_type == MEDIA_TYPES[name]
        assert size.replace(",", "") == str(len(data))
        assert checksum == hashlib.sha256(data).hexdigest()
        assert len(date) == 10 and date[4] == "-"
    assert sorted(parser.links) == sorted(f"/dumps/{name}" for name in MEDIA_TYPES)


def test_listing_leaves_out_the_build_record(dist_client: FlaskClient) -> None:
    assert "BUILDINFO.json" not in dist_client.get("/dumps/").get_data(as_text=True)
    assert dist_client.get("/dumps/BUILDINFO.json").status_code == 404


def test_listing_as_json_for_programs(dist_client: FlaskClient) -> None:
    response = dist_client.get("/dumps/", headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    entries = {e["name"]: e for e in json.loads(response.data)}
    assert entries["dataset.ttl"]["size"] == len(FILES["dataset.ttl"])
    assert entries["dataset.ttl"]["sha256"] == hashlib.sha256(FILES["dataset.ttl"]).hexdigest()


def test_listing_without_a_build_says_so(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "PROJECT_FILE": str(_project_file(tmp_path)), "DATA_FILES": [str(LD / "data.ttl")]}
    )
    response = app.test_client().get("/dumps/", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert response.status_code == 200
    assert "publisher build" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_dump_is_served_with_its_type_length_and_checksum_etag(dist_client: FlaskClient, name: str) -> None:
    response = dist_client.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == MEDIA_TYPES[name]
    assert response.headers["Content-Length"] == str(len(FILES[name]))
    assert response.get_data() == FILES[name]
    assert response.headers["ETag"] == f'"{hashlib.sha256(FILES[name]).hexdigest()}"'
    assert 'rel="describedby"' in response.headers["Link"] and "/.well-known/void" in response.headers["Link"]
    assert "Content-Encoding" not in response.headers
    response.close()


def test_checksums_file_is_plain_text(dist_client: FlaskClient) -> None:
    response = dist_client.get("/dumps/SHA256SUMS")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "dataset.ttl" in response.get_data(as_text=True)
    response.close()


def test_dump_answers_if_none_match_with_304(dist_client: FlaskClient) -> None:
    first = dist_client.get("/dumps/dataset.ttl")
    first.close()
    again = dist_client.get("/dumps/dataset.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    again.close()


def test_head_of_a_dump_gives_length_without_body(dist_client: FlaskClient) -> None:
    response = dist_client.head("/dumps/dataset.nt.gz")
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(FILES["dataset.nt.gz"]))
    assert response.get_data() == b""
    response.close()


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/../secret.txt",
        "/dumps/%2e%2e/secret.txt",
        "/dumps/..%2fsecret.txt",
        "/dumps/%2e%2e%2fsecret.txt",
        "/dumps/./../secret.txt",
        "/dumps/dist/../../secret.txt",
        "/dumps/..\\secret.txt",
        "/dumps//etc/passwd",
        "/dumps/%2fetc%2fpasswd",
        "/dumps/nothing.ttl",
    ],
)
def test_nothing_outside_dist_is_reachable(dist_client: FlaskClient, path: str) -> None:
    response = dist_client.get(path)
    assert response.status_code == 404
    assert b"do not serve" not in response.get_data()
    assert b"root:" not in response.get_data()
    response.close()


def test_a_symlink_in_dist_is_not_followed(dist_app: Flask, tmp_path: Path) -> None:
    (tmp_path / "dist" / "link.ttl").symlink_to(tmp_path / "secret.txt")
    response = dist_app.test_client().get("/dumps/link.ttl")
    assert response.status_code == 404
    assert b"do not serve" not in response.get_data()


def _parse(body: bytes, rdflib_format: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser goes through its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=body, format=rdflib_format)


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("", "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_void_is_served_from_dist_in_every_rdf_format(
    dist_client: FlaskClient, accept: str, media_type: str, rdflib_format: str
) -> None:
    response = dist_client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Vary"] == "Accept"
    expected = Graph().parse(data=VOID_TTL, format="turtle")
    assert isomorphic(_parse(response.data, rdflib_format), expected)


def test_void_answers_if_none_match_with_304(dist_client: FlaskClient) -> None:
    first = dist_client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    again = dist_client.get(
        "/.well-known/void", headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_void_sends_a_browser_to_the_dataset_page_when_the_data_has_it(tmp_path: Path) -> None:
    _write_dist(tmp_path / "dist")
    data = tmp_path / "void-graph.ttl"
    data.write_text(VOID_TTL, encoding="utf-8")
    app = create_app({"TESTING": True, "PROJECT_FILE": str(_project_file(tmp_path)), "DATA_FILES": [str(data)]})
    client = app.test_client()
    response = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/dataset"
    page = client.get("/dataset", headers={"Accept": "text/turtle"})
    graph = _parse(page.data, "turtle")
    assert (URIRef(f"{BASE}dataset"), RDF.type, VOID.Dataset) in graph
    assert (URIRef(f"{BASE}dataset"), DCTERMS.title, Literal("A test dataset", lang="en")) in graph


def test_void_falls_back_to_the_void_graph_of_the_data(tmp_path: Path) -> None:
    trig = tmp_path / "built.trig"
    body = VOID_TTL.split("\n", 2)[2]  # the triples, after the two prefix lines
    prefixes = VOID_TTL.split("\n", 2)[:2]
    trig.write_text("\n".join(prefixes) + f"\n<{BASE}graph/void> {{\n{body}}}\n", encoding="utf-8")
    app = create_app({"TESTING": True, "PROJECT_FILE": str(_project_file(tmp_path)), "DATA_FILES": [str(trig)]})
    response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = _parse(response.data, "turtle")
    assert (URIRef(f"{BASE}dataset"), VOID.uriSpace, Literal(f"{BASE}resource/")) in graph


def test_void_without_a_description_is_404(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "PROJECT_FILE": str(_project_file(tmp_path)), "DATA_FILES": [str(LD / "data.ttl")]}
    )
    response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "publisher build" in response.get_data(as_text=True)


# --- on a real build of the tiny project ------------------------------------------------------------------------


@pytest.fixture
def built_client(built_tiny_project: Project) -> FlaskClient:
    """The tiny project as ``publisher build`` left it, served from its dist/."""
    return create_app({"TESTING": True, "PROJECT_FILE": str(built_tiny_project.root / "dataset.toml")}).test_client()


def test_every_file_of_a_build_is_listed_and_served_as_its_checksum_says(
    built_client: FlaskClient, built_tiny_project: Project
) -> None:
    dist = built_tiny_project.dist_dir
    sums = dict(reversed(line.split("  ", 1)) for line in (dist / "SHA256SUMS").read_text().splitlines())
    listed = {
        e["name"]: e for e in json.loads(built_client.get("/dumps/", headers={"Accept": "application/json"}).data)
    }
    assert set(listed) == set(sums) | {"SHA256SUMS"}
    for name, digest in sums.items():
        assert listed[name]["sha256"] == digest
        response = built_client.get(f"/dumps/{name}")
        assert hashlib.sha256(response.get_data()).hexdigest() == digest
        response.close()


def test_every_dump_the_void_names_is_served(built_client: FlaskClient, built_tiny_project: Project) -> None:
    graph = _parse(built_client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, "turtle")
    dumps = [str(o) for o in graph.objects(None, VOID.dataDump)]
    assert dumps
    for url in dumps:
        assert url.startswith(built_tiny_project.base)
        response = built_client.get("/" + url[len(built_tiny_project.base) :])
        assert response.status_code == 200, url
        response.close()


def test_the_dataset_iri_of_a_build_answers(built_client: FlaskClient, built_tiny_project: Project) -> None:
    assert built_client.get("/.well-known/void", headers={"Accept": "text/html"}).headers["Location"] == "/dataset"
    graph = _parse(built_client.get("/dataset", headers={"Accept": "text/turtle"}).data, "turtle")
    assert (URIRef(f"{built_tiny_project.base}dataset"), RDF.type, VOID.Dataset) in graph
    assert built_client.get("/dataset", headers={"Accept": "text/html"}).status_code == 200


def test_listing_answers_if_none_match_with_304_and_head(dist_client: FlaskClient) -> None:
    first = dist_client.get("/dumps/", headers={"Accept": "text/html"})
    again = dist_client.get("/dumps/", headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    head = dist_client.head("/dumps/", headers={"Accept": "text/html"})
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == first.headers["ETag"]
    assert 'rel="describedby"' in first.headers["Link"]


def test_listing_etag_changes_when_a_file_changes(dist_app: Flask, tmp_path: Path) -> None:
    client = dist_app.test_client()
    before = client.get("/dumps/", headers={"Accept": "application/json"}).headers["ETag"]
    (tmp_path / "dist" / "dataset.ttl").write_bytes(b"# changed\n")
    assert client.get("/dumps/", headers={"Accept": "application/json"}).headers["ETag"] != before


def test_head_of_void_has_no_body(dist_client: FlaskClient) -> None:
    response = dist_client.head("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.data == b""
    assert response.mimetype == "text/turtle"


def test_a_dump_can_be_fetched_in_ranges(dist_client: FlaskClient) -> None:
    response = dist_client.get("/dumps/dataset.ttl", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.get_data() == FILES["dataset.ttl"][:10]
    assert response.headers["Content-Range"] == f"bytes 0-9/{len(FILES['dataset.ttl'])}"
    response.close()
