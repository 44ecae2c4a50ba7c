"""Production serving: the app under waitress (not Flask's development server).

The query workers are forked before waitress starts its threads, so they copy a single-threaded
process that has the data loaded (see :mod:`publisher.sparql.executor`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from flask import Flask
from waitress import create_server

from publisher.sparql import start_workers


def site_urls(app: Flask, host: str, port: int) -> dict[str, str]:
    """The addresses to open: the home page, the SPARQL endpoint and the dumps."""
    public = str(app.config["PUBLIC_URL"]).rstrip("/")
    shown_host = "127.0.0.1" if host in {"0.0.0.0", ""} else f"[{host}]" if ":" in host else host
    root = public or f"http://{shown_host}:{port}"
    return {"home": f"{root}/", "sparql": f"{root}/sparql", "dumps": f"{root}/dumps/"}


def serve_app(app: Flask, host: str, port: int, threads: int, out: Callable[[str], None] = print) -> None:
    """Start the query workers, print the URLs, and serve ``app`` until interrupted."""
    start_workers(app)
    server = create_server(app, host=host, port=port, threads=threads, ident="publisher")
    actual_port = int(getattr(server, "effective_port", port))
    for name, url in site_urls(app, host, actual_port).items():
        out(f"{name:>7}: {url}")
    out("Press Ctrl-C to stop.")
    sys.stdout.flush()  # whoever started us may be waiting for the URLs on a pipe
    try:
        server.run()
    finally:
        server.close()
