"""Benchmark: this server against rdflib-endpoint and Oxigraph's own server, on the same data and queries.

For each data size it starts every server on a loopback port, then for each concurrency level measures
them in alternating rounds with the same query mix (bench/queries.py), and prints per server:
throughput, p50/p99 latency, errors, peak memory (PSS of the whole process tree, shared pages counted
once), and our ratio to each peer. Sizes: ``article`` (the built dataset) and synthetic data of the same
shape (bench/generate.py).

    .venv/bin/python -m bench.run                      # everything (about 15 minutes)
    .venv/bin/python -m bench.run --sizes article,1e4 --concurrency 1,4 --seconds 3
    .venv/bin/python -m bench.run --sizes 1e4,1e6 --concurrency 1 --queries selective --servers ours,oxigraph

Needs the bench extras (``pip install -e '.[bench]'``) and a built dataset (``publisher build``).
Every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.client import KeepAliveClient, post_request
from bench.generate import generate
from bench.queries import QUERIES, BenchQuery

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
MEMORY_SAMPLE_SECONDS = 0.2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_pss_bytes(pid: int) -> int:
    """Proportional set size of a process and all its descendants, from /proc: memory shared between them
    (our serving processes share the forked store) is counted once, split among the sharers, not once per process.

    Only the tree's own ``smaps_rollup`` files are read: reading one holds that process's memory map lock
    for a while, which would slow the other servers' processes too."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) * 1024
    return total


@dataclass
class Server:
    name: str
    command: list[str]
    path: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None
    peak_pss: int = 0

    def start(self, timeout: float) -> None:
        self.process = subprocess.Popen(
            self.command,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} while starting")
            try:
                if probe(self.port, self.path) == 200:
                    self.sample_memory()
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def sample_memory(self) -> None:
        if self.process and self.process.poll() is None:
            self.peak_pss = max(self.peak_pss, tree_pss_bytes(self.process.pid))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}


def form_body(query: str) -> bytes:
    return urllib.parse.urlencode({"query": query}).encode()


def probe(port: int, path: str) -> int:
    """The status of one small query, on a connection of its own."""
    client = KeepAliveClient("127.0.0.1", port)
    try:
        return client.send(post_request("127.0.0.1", port, path, form_body("ASK { ?s ?p ?o }"), HEADERS))[0]
    finally:
        client.close()


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    selective: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


def _client(port: int, path: str, mix: list[tuple[bytes, bool]], offset: int, stop_at: float, out: Any) -> None:
    """One client: send the mix on one keep-alive connection until ``stop_at``, then report what it saw."""
    client = KeepAliveClient("127.0.0.1", port)
    requests = [(post_request("127.0.0.1", port, path, body, HEADERS), selective) for body, selective in mix]
    latencies: list[tuple[float, bool]] = []
    errors = 0
    i = offset
    while time.monotonic() < stop_at:
        request_bytes, selective = requests[i % len(requests)]
        i += 1
        started = time.perf_counter()
        try:
            status, _ = client.send(request_bytes)
            ok = status == 200
        except OSError:
            ok = False
        if ok:
            latencies.append((time.perf_counter() - started, selective))
        else:
            errors += 1
    client.close()
    out.send((latencies, errors))
    out.close()


def load(server: Server, queries: tuple[BenchQuery, ...], concurrency: int, seconds: float, into: Sample) -> None:
    """Send the query mix from ``concurrency`` clients for ``seconds``; add what was seen to ``into``.

    Each client is a process of its own that sends requests built beforehand with a lean HTTP/1.1 client
    (:mod:`bench.client`), so that the load generator's own work, and its threads waiting for one
    interpreter lock, stay out of the latencies."""
    mix = [(form_body(q.text), q.selective) for q in queries]
    done = threading.Event()

    def sample_memory() -> None:  # only while this server is measured, so that sampling slows no other
        while not done.wait(MEMORY_SAMPLE_SECONDS):
            server.sample_memory()

    sampler = threading.Thread(target=sample_memory, daemon=True)
    context = multiprocessing.get_context("fork")
    stop_at = time.monotonic() + seconds
    began = time.monotonic()
    clients = []
    for n in range(concurrency):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_client, args=(server.port, server.path, mix, n, stop_at, send))
        process.start()
        send.close()
        clients.append((process, receive))
    sampler.start()
    for process, receive in clients:
        latencies, errors = receive.recv()
        process.join()
        into.latencies.extend(elapsed for elapsed, _ in latencies)
        into.selective.extend(elapsed for elapsed, selective in latencies if selective)
        into.errors += errors
    into.seconds += time.monotonic() - began
    done.set()
    sampler.join()
    server.sample_memory()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def make_servers(data: Path, names: list[str], workdir: Path, workers: int) -> list[Server]:
    """The servers to compare, each set up for ``data`` (Oxigraph's store is loaded here, once)."""
    servers = []
    for name in names:
        port = free_port()
        if name in {"ours", "ours-cache"}:
            cache = "4096" if name == "ours-cache" else "0"
            command = [str(BIN / "publisher"), "serve", "--data", str(data), "--port", str(port)]
            command += ["--workers", str(workers)]
            env = {"PUBLISHER_RESULT_CACHE": cache, "PUBLISHER_RESULT_LIMIT": "100000"}
            servers.append(Server(name, command, "/sparql", env, port))
        elif name == "oxigraph":
            location = workdir / "oxigraph"
            if not location.exists():
                subprocess.run(
                    [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(location)]
            command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
            servers.append(Server(name, command, "/query", {}, port))
        elif name == "rdflib":
            command = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
            servers.append(Server(name, command, "/", {}, port))
        else:
            raise SystemExit(f"unknown server {name!r}: use ours, ours-cache, oxigraph, rdflib")
    return servers


def dataset_file(size: str) -> Path:
    """The N-Triples file for a size: the built article dataset, or synthetic data (made once, then reused)."""
    built = ROOT / "dist" / "dataset.nt.gz"
    if not built.exists():
        subprocess.run([str(BIN / "publisher"), "build"], check=True, cwd=ROOT)
    article = DATA / "article.nt"
    if not article.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        with article.open("wb") as out:
            subprocess.run(["gzip", "-dc", str(built)], check=True, stdout=out)
    if size == "article":
        return article
    target = int(float(size))
    path = DATA / f"synthetic-{size}.nt"
    if not path.exists():
        generate(article, target, path, "https://w3id.org/shaanxi-unions/resource/")
    return path


def summarise(sample: Sample, server: Server) -> dict[str, float]:
    return {
        "requests": len(sample.latencies),
        "throughput": len(sample.latencies) / sample.seconds if sample.seconds else 0.0,
        "p50_ms": percentile(sample.latencies, 50) * 1000,
        "p99_ms": percentile(sample.latencies, 99) * 1000,
        "selective_p50_ms": percentile(sample.selective, 50) * 1000,
        "errors": sample.errors,
        "peak_pss_mib": server.peak_pss / 2**20,
    }


def print_table(size: str, concurrency: int, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n## size {size}, concurrency {concurrency}")
    print("| server | req/s | p50 ms | p99 ms | selective p50 ms | errors | peak PSS MiB | ours ÷ this |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    ours = rows.get("ours", {}).get("throughput")
    for name, r in rows.items():
        ratio = f"{ours / r['throughput']:.2f}" if ours and r["throughput"] and name != "ours" else ""
        print(
            f"| {name} | {r['throughput']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['selective_p50_ms']:.1f} "
            f"| {r['errors']} | {r['peak_pss_mib']:.0f} | {ratio} |"
        )
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="article,1e4,1e5,1e6")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--servers", default="ours,ours-cache,oxigraph,rdflib")
    parser.add_argument("--seconds", type=float, default=6.0, help="measuring time per server and level")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds the time is split into")
    parser.add_argument("--workers", type=int, default=0, help="serving processes of ours (0: its own choice)")
    parser.add_argument(
        "--queries",
        choices=("all", "selective"),
        default="all",
        help="the whole mix, or only the selective look-ups (their latency on an otherwise idle server)",
    )
    parser.add_argument("--start-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    if shutil.which("gzip") is None:
        raise SystemExit("gzip is needed to unpack dist/dataset.nt.gz")
    names = args.servers.split(",")
    mix = QUERIES if args.queries == "all" else tuple(q for q in QUERIES if q.selective)
    report: dict[str, object] = {"args": vars(args), "results": {}}
    for size in args.sizes.split(","):
        data = dataset_file(size)
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            servers = make_servers(data, names, Path(tmp), args.workers)
            try:
                for server in servers:
                    server.start(args.start_timeout)
                for concurrency in (int(c) for c in args.concurrency.split(",")):
                    samples = {s.name: Sample() for s in servers}
                    for round_no in range(args.rounds):
                        order = servers[round_no % len(servers) :] + servers[: round_no % len(servers)]
                        for server in order:
                            load(server, mix, concurrency, args.seconds / args.rounds, samples[server.name])
                    rows = {s.name: summarise(samples[s.name], s) for s in servers}
                    print_table(size, concurrency, rows)
                    report["results"][f"{size}/c{concurrency}"] = rows  # type: ignore[index]
            finally:
                for server in servers:
                    server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
