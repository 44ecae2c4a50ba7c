"""Federation: SERVICE to an endpoint on the SERVICE_ALLOWLIST is answered by joining our places to its data;
SERVICE anywhere else, and FROM a remote graph, are refused before any connection is made.

The test starts a second SPARQL server on loopback (``oxigraph serve-read-only``) over a small dataset it
writes in GeoNames' shape, then our server (``python -m publisher serve --data ...``) with that server's
query URL on the allow-list. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from processes import printed_urls, stop_process

from tests.conftest import ROOT

pytestmark = pytest.mark.server

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
SERVED_FILES = [ROOT / "data" / "article.ttl", ROOT / "data" / "links.ttl", ROOT / "ontology" / "ontology.ttl"]
SUR = "https://w3id.org/shaanxi-unions/resource/"
QUERY_TIMEOUT = 3  # seconds; our server's time limit, short so that a hanging endpoint costs the test little
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX gn: <http://www.geonames.org/ontology#>
"""

# Made up, in GeoNames' shape (https://www.geonames.org/ontology): the feature IRIs are ones data/links.ttl
# links to, but the populations are invented numbers that exist nowhere else, so a row carrying one can
# only have come from the second server. 1809858 (Guangzhou) is linked by none of our places, so a join
# that works must leave it out.
GEONAMES_FEATURES = {
    "1790384": ("Xi'an Shi", 11111111, "A.ADM2", "xian"),
    "1816935": ("Baoji Shi", 2222222, "A.ADM2", "baoji"),
    "1796165": ("Shangluo Shi", 3333333, "A.ADM2", "shangluo"),
    "1796480": ("Shaanxi", 44444444, "A.ADM1", "shaanxi"),
    "1809858": ("Guangzhou", 55555555, "P.PPLA", None),
}


def geonames_turtle() -> str:
    """The made-up GeoNames-shaped data, as Turtle."""
    lines = [
        "# Made up for tests/test_federation.py in the shape of GeoNames' RDF; not GeoNames data.",
        "@prefix gn: <http://www.geonames.org/ontology#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    for geonames_id, (name, population, code, _place) in GEONAMES_FEATURES.items():
        lines.append(
            f'<https://sws.geonames.org/{geonames_id}/> a gn:Feature ; gn:name "{name}" ; '
            f'gn:population "{population}"^^xsd:integer ; gn:featureCode gn:{code} .'
        )
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, f"the server for {url} stopped with status {process.returncode}"
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            assert time.monotonic() < deadline, f"{url} did not answer within {seconds} s"
            time.sleep(0.1)


@dataclass(frozen=True)
class Servers:
    ours: str  # our /sparql
    theirs: str  # the GeoNames-shaped server's query URL, on our allow-list
    down: str  # on the allow-list, but nothing listens there
    hanging: str  # on the allow-list; it accepts connections and never answers


def start_geonames(folder: Path, port: int) -> subprocess.Popen[str]:
    """Oxigraph's own server, read-only, over the made-up GeoNames-shaped data."""
    data = folder / "geonames.ttl"
    data.write_text(geonames_turtle(), encoding="utf-8")
    location = folder / "store"
    loader = [str(OXIGRAPH), "load", "--location", str(location), "--file", str(data)]
    subprocess.run(loader, check=True, capture_output=True, timeout=60)
    return subprocess.Popen(
        [str(OXIGRAPH), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def start_ours(allowlist: list[str]) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """``publisher serve`` on a free port with ``allowlist`` and a short time limit; returns it and its URLs."""
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--data", *map(str, SERVED_FILES), "--port", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PUBLISHER_SERVICE_ALLOWLIST": " ".join(allowlist),
            "PUBLISHER_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    urls = printed_urls(process.stdout)
    assert "sparql" in urls, f"our server printed no SPARQL URL: {urls!r}"
    return process, urls


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    their_port = free_port()
    theirs = f"http://127.0.0.1:{their_port}/query"
    down = f"http://127.0.0.1:{free_port()}/query"
    geonames = start_geonames(tmp_path_factory.mktemp("federation"), their_port)
    ours: subprocess.Popen[str] | None = None
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        hanging = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        try:
            wait_until_answering(theirs, geonames)
            ours, urls = start_ours([theirs, down, hanging])
            wait_until_answering(urls["home"] + "healthz", ours)
            yield Servers(ours=urls["sparql"], theirs=theirs, down=down, hanging=hanging)
        finally:
            if ours is not None:
                stop_process(ours)
            stop_process(geonames)


def post_query(url: str, query: str) -> requests.Response:
    return requests.post(
        url,
        data=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=30,
    )


def joined_rows(servers: Servers) -> set[tuple[str, str, int]]:
    query = (
        PREFIXES
        + f"""SELECT ?place ?name ?population WHERE {{
  ?place skos:exactMatch ?feature .
  SERVICE <{servers.theirs}> {{ ?feature gn:name ?name ; gn:population ?population }}
}}"""
    )
    response = post_query(servers.ours, query)
    assert response.status_code == 200, response.text
    return {
        (row["place"]["value"], row["name"]["value"], int(row["population"]["value"]))
        for row in response.json()["results"]["bindings"]
    }


def test_service_on_the_allow_list_joins_our_places_to_the_other_servers_data(servers: Servers) -> None:
    expected = {
        (SUR + place, name, population)
        for name, population, _code, place in GEONAMES_FEATURES.values()
        if place is not None
    }
    assert joined_rows(servers) == expected


def test_the_joined_figures_are_not_in_our_own_data(servers: Servers) -> None:
    """The populations only exist on the other server, so the rows above came through SERVICE."""
    response = post_query(servers.ours, PREFIXES + "ASK { ?feature gn:population ?population }")
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is False


def test_service_can_filter_on_the_other_servers_data(servers: Servers) -> None:
    query = (
        PREFIXES
        + f"""SELECT ?place WHERE {{
  ?place skos:exactMatch ?feature .
  SERVICE <{servers.theirs}> {{ ?feature gn:featureCode gn:A.ADM1 }}
}}"""
    )
    response = post_query(servers.ours, query)
    assert response.status_code == 200, response.text
    assert [row["place"]["value"] for row in response.json()["results"]["bindings"]] == [SUR + "shaanxi"]


@pytest.fixture
def trap() -> Iterator[socket.socket]:
    """A loopback port that is listening but on no allow-list; a test checks nothing ever connects to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener


def assert_nobody_connected(listener: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        listener.accept()[0].close()


def test_service_to_a_loopback_port_not_on_the_list_is_refused_without_connecting(
    servers: Servers, trap: socket.socket
) -> None:
    endpoint = f"http://127.0.0.1:{trap.getsockname()[1]}/query"
    response = post_query(servers.ours, f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
    assert 400 <= response.status_code < 500
    assert endpoint in response.text and "SERVICE_ALLOWLIST" in response.text
    time.sleep(0.2)
    assert_nobody_connected(trap)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o SERVICE <http://example.org/sparql> { ?s ?p ?x } } LIMIT 1",
        "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
        "BASE <http://example.org/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }",
    ],
    ids=["iri", "silent", "prefixed-name", "after-a-pattern", "lower-case", "relative-to-base", "in-a-subquery"],
)
def test_service_to_a_remote_endpoint_not_on_the_list_is_refused_at_once(servers: Servers, query: str) -> None:
    started = time.monotonic()
    response = post_query(servers.ours, query)
    assert 400 <= response.status_code < 500
    assert "http://example.org/sparql" in response.text
    assert time.monotonic() - started < 2  # refused by the guard, not after a connection attempt timed out


def test_service_with_a_variable_endpoint_is_refused_without_connecting(servers: Servers, trap: socket.socket) -> None:
    endpoint = f"http://127.0.0.1:{trap.getsockname()[1]}/query"
    query = f"SELECT * WHERE {{ VALUES ?endpoint {{ <{endpoint}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}"
    response = post_query(servers.ours, query)
    assert 400 <= response.status_code < 500
    assert "SERVICE" in response.text
    time.sleep(0.2)
    assert_nobody_connected(trap)


def test_from_a_remote_graph_is_refused(servers: Servers) -> None:
    response = post_query(servers.ours, "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o } LIMIT 1")
    assert 400 <= response.status_code < 500
    assert "http://example.org/x" in response.text


def test_from_the_allow_listed_endpoint_is_still_refused(servers: Servers) -> None:
    """The allow-list is for SERVICE only: FROM never fetches, whatever it names."""
    response = post_query(servers.ours, f"SELECT * FROM <{servers.theirs}> WHERE {{ ?s ?p ?o }} LIMIT 1")
    assert 400 <= response.status_code < 500
    assert servers.theirs in response.text


def test_service_to_an_allowed_endpoint_that_is_down_is_a_clear_gateway_error(servers: Servers) -> None:
    response = post_query(servers.ours, f"SELECT * WHERE {{ SERVICE <{servers.down}> {{ ?s ?p ?o }} }}")
    assert response.status_code == 502, response.text
    assert "remote endpoint" in response.text and "Traceback" not in response.text


def test_service_silent_to_an_allowed_endpoint_that_is_down_still_answers(servers: Servers) -> None:
    query = f"""SELECT ?place WHERE {{
  BIND(<{SUR}xian> AS ?place)
  SERVICE SILENT <{servers.down}> {{ ?s ?p ?o }}
}}"""
    response = post_query(servers.ours, query)
    assert response.status_code == 200, response.text
    assert [row["place"]["value"] for row in response.json()["results"]["bindings"]] == [SUR + "xian"]


def test_service_to_an_allowed_endpoint_that_never_answers_is_stopped_at_the_time_limit(servers: Servers) -> None:
    started = time.monotonic()
    response = post_query(servers.ours, f"SELECT * WHERE {{ SERVICE <{servers.hanging}> {{ ?s ?p ?o }} }}")
    seconds = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert "limit" in response.text
    assert QUERY_TIMEOUT <= seconds < QUERY_TIMEOUT + 3
    assert joined_rows(servers)  # and the server still answers
