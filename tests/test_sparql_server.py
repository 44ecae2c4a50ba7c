"""The endpoint as clients meet it: a real ``publisher serve`` process, driven over HTTP by SPARQLWrapper,
rdflib's SPARQLStore and plain requests, including time limits while other clients wait."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from processes import stop_process
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from publisher.server import available_cores
from tests.conftest import ROOT, TEST_DATA

QUERY_TIMEOUT = 1.0
RESULT_LIMIT = 5
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CITY = "https://w3id.org/shaanxi-unions/resource/sample-city"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"


def start_server(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start ``publisher serve`` on a free port; return the process and its root URL once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--port", "0", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        found = re.search(r"sparql: (http://\S+)/sparql", line)
        if found:
            root = found.group(1)
            break
    else:
        process.wait()
        raise AssertionError("the server did not start")
    process.printed = "".join(printed)  # type: ignore[attr-defined]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{root}/healthz", timeout=1).status_code == 200:
                return process, root
        except requests.ConnectionError:
            time.sleep(0.1)
    stop_process(process)
    raise AssertionError("the server did not answer /healthz")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The root URL of a server on ``sample.ttl`` with a short time limit and a small result cap."""
    process, root = start_server(
        "--data",
        str(TEST_DATA / "sample.ttl"),
        "--workers",
        "2",
        env={
            "PUBLISHER_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
            "PUBLISHER_RESULT_LIMIT": str(RESULT_LIMIT),
        },
    )
    yield root
    stop_process(process)


@pytest.fixture
def endpoint(server: str) -> str:
    return f"{server}/sparql"


@pytest.fixture
def server_process() -> Iterator[subprocess.Popen[str]]:
    """A server of its own (two serving processes, a short time limit), for tests that end its processes."""
    process, root = start_server(
        "--data", str(TEST_DATA / "sample.ttl"), "--workers", "2", env={"PUBLISHER_QUERY_TIMEOUT": str(QUERY_TIMEOUT)}
    )
    process.root = root  # type: ignore[attr-defined]
    yield process
    stop_process(process)


# Real clients


def test_sparqlwrapper_select_in_json_by_get(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"SELECT ?label WHERE {{ <{CITY}> <{LABEL}> ?label }} ORDER BY ?label")
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [b["label"]["value"] for b in bindings] == ["Sample City", "样例市"]


def test_sparqlwrapper_select_in_xml_by_post(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(f"SELECT ?label WHERE {{ <{CITY}> <{LABEL}> ?label }}")
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    values = {node.firstChild.data for node in document.getElementsByTagName("literal")}  # type: ignore[union-attr]
    assert values == {"Sample City", "样例市"}


def test_sparqlwrapper_ask(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"ASK {{ <{CITY}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_sparqlwrapper_construct_in_turtle(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"CONSTRUCT WHERE {{ <{CITY}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (URIRef(CITY), URIRef(LABEL), Literal("Sample City", lang="en")) in graph


def test_rdflib_sparqlstore_queries_the_endpoint_as_a_graph(endpoint: str) -> None:
    graph = Graph(store=SPARQLStore(endpoint))
    rows = list(graph.query(f"SELECT ?label WHERE {{ <{CITY}> <{LABEL}> ?label }}"))
    assert {str(row[0]) for row in rows} == {"Sample City", "样例市"}  # type: ignore[index]
    assert set(graph.objects(URIRef(CITY), URIRef(LABEL))) == {
        Literal("Sample City", lang="en"),
        Literal("样例市", lang="zh"),
    }


# Safety


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def cpu_seconds(pids: set[int]) -> float:
    """User and system CPU time the processes have used so far (those gone count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_runaway_query_is_stopped_while_another_client_is_answered(endpoint: str) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        response = requests.post(endpoint, data={"query": SLOW_QUERY}, timeout=30)
        slow.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

    runaway = threading.Thread(target=run_slow)
    runaway.start()
    time.sleep(0.2)
    started = time.monotonic()
    quick = requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert quick.status_code == 200 and time.monotonic() - started < 0.5
    runaway.join()
    assert slow["status"] == 503
    assert "limit" in str(slow["text"]) and "stopped" in str(slow["text"])
    assert float(slow["seconds"]) < QUERY_TIMEOUT + 2  # type: ignore[arg-type]
    after = requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert after.status_code == 200


def test_the_process_of_a_runaway_query_goes_and_its_cpu_is_freed(server_process: subprocess.Popen[str]) -> None:
    endpoint = f"{server_process.root}/sparql"  # type: ignore[attr-defined]
    before = children_of(server_process.pid)
    response = requests.post(endpoint, data={"query": SLOW_QUERY}, headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 503 and response.headers["Connection"] == "close"
    assert response.json()["status"] == 503 and "stopped" in response.json()["error"]
    assert wait_until(lambda: len(before - children_of(server_process.pid)) == 1, QUERY_TIMEOUT + 3)
    assert wait_until(lambda: len(children_of(server_process.pid)) == 2, 5)  # a fresh process took its place
    tree = children_of(server_process.pid) | {server_process.pid}
    used = cpu_seconds(tree)
    time.sleep(1.0)
    assert cpu_seconds(tree) - used < 0.3  # nothing is left spinning on the runaway query
    assert requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=5).json()["boolean"] is True


def test_a_serving_process_that_dies_is_replaced_and_the_server_lives_on(
    server_process: subprocess.Popen[str],
) -> None:
    endpoint = f"{server_process.root}/sparql"  # type: ignore[attr-defined]
    before = children_of(server_process.pid)
    assert len(before) == 2
    victim = min(before)
    os.kill(victim, signal.SIGKILL)  # as a crash of the engine would end it
    assert wait_until(
        lambda: victim not in children_of(server_process.pid) and len(children_of(server_process.pid)) == 2, 5
    )
    for _ in range(6):
        assert requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=5).json()["boolean"] is True


@pytest.mark.parametrize("budget_mib", ["1024", "1"])
def test_by_default_the_server_starts_a_process_per_core_as_far_as_memory_allows(budget_mib: str) -> None:
    process, _root = start_server(
        "--data", str(TEST_DATA / "sample.ttl"), env={"PUBLISHER_MEMORY_BUDGET_MB": budget_mib}
    )
    try:
        expected = 1 if budget_mib == "1" else min(available_cores(), 2**10)
        assert wait_until(lambda: len(children_of(process.pid)) == expected, 5)
        assert "serving from" in process.printed  # type: ignore[attr-defined]
    finally:
        stop_process(process)


def test_stopping_the_server_stops_its_serving_processes() -> None:
    process, _root = start_server("--data", str(TEST_DATA / "sample.ttl"), "--workers", "2")
    children = children_of(process.pid)
    assert len(children) == 2
    stop_process(process)
    assert process.returncode == 0 or process.returncode == -signal.SIGTERM
    assert wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in children), 5)


def test_a_query_beyond_the_engine_s_depth_is_refused_with_the_default_limits() -> None:
    crashing = "ASK { FILTER(" + " || ".join(["true"] * 20000) + ") }"  # overflows pyoxigraph's stack unguarded
    process, root = start_server("--data", str(TEST_DATA / "sample.ttl"))
    try:
        response = requests.post(
            f"{root}/sparql", data=crashing, headers={"Content-Type": "application/sparql-query"}, timeout=10
        )
        assert response.status_code == 400 and "operators" in response.text
        assert requests.get(f"{root}/healthz", timeout=5).status_code == 200
    finally:
        stop_process(process)


def test_the_result_cap_is_announced(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": "SELECT * { ?s ?p ?o }"}, timeout=5)
    assert response.headers["SPARQL-Results-Truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == RESULT_LIMIT


def test_updates_are_refused_over_http(endpoint: str) -> None:
    update = "INSERT DATA { <http://a> <http://b> <http://c> }"
    for response in (
        requests.post(endpoint, data={"update": update}, timeout=5),
        requests.post(endpoint, data=update, headers={"Content-Type": "application/sparql-update"}, timeout=5),
        requests.get(endpoint, params={"query": update}, timeout=5),
    ):
        assert response.status_code == 403 and "read-only" in response.text
    assert requests.get(endpoint, params={"query": "ASK { <http://a> ?p ?o }"}, timeout=5).json()["boolean"] is False


def test_gzip_cors_and_etag_over_http(endpoint: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 5"
    response = requests.get(endpoint, params={"query": query}, headers={"Origin": "https://x.example"}, timeout=5)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Encoding"] == "gzip"  # requests accepts gzip, the answer is large enough
    raw = requests.get(endpoint, params={"query": query}, stream=True, timeout=5).raw.read()
    assert gzip.decompress(raw) == response.content
    again = requests.get(endpoint, params={"query": query}, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_healthz_over_http(server: str) -> None:
    health = requests.get(f"{server}/healthz", timeout=5).json()
    assert health["status"] == "ok" and health["triples"] == 7


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def oxigraph_endpoint(tmp_path: Path) -> Iterator[str]:
    """Oxigraph's own read-only server on loopback, holding ``sample.ttl``."""
    binary = Path(sys.executable).parent / "oxigraph"
    assert binary.exists(), "the oxigraph command comes with the test extras (PyPI package oxigraph)"
    location = tmp_path / "oxigraph"
    subprocess.run(
        [binary, "load", "--location", location, "--file", TEST_DATA / "sample.ttl"], check=True, capture_output=True
    )
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    stop_process(process)


def test_service_to_an_allow_listed_endpoint_is_federated(oxigraph_endpoint: str, tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text(f'<{CITY}> <http://example.org/note> "from here" .\n', encoding="utf-8")
    process, root = start_server("--data", str(other), env={"PUBLISHER_SERVICE_ALLOWLIST": oxigraph_endpoint})
    try:
        query = (
            f"SELECT ?note ?label WHERE {{ <{CITY}> <http://example.org/note> ?note . "
            f'SERVICE <{oxigraph_endpoint}> {{ <{CITY}> <{LABEL}> ?label FILTER(lang(?label) = "en") }} }}'
        )
        response = requests.get(f"{root}/sparql", params={"query": query}, timeout=10)
        assert response.status_code == 200, response.text
        row = response.json()["results"]["bindings"][0]
        assert (row["note"]["value"], row["label"]["value"]) == ("from here", "Sample City")
        refused = requests.get(
            f"{root}/sparql",
            params={"query": f"SELECT * {{ SERVICE <http://127.0.0.1:{free_port()}/query> {{ ?s ?p ?o }} }}"},
            timeout=10,
        )
        assert refused.status_code == 400
    finally:
        stop_process(process)
