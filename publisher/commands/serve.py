"""Serve the dataset: the Linked Data pages, the dumps and the SPARQL endpoint, through waitress in
WORKERS processes.
Without --data, the dataset is built first when dist/ is missing or older than the inputs; with
--data FILE ..., those RDF files are served instead (a file that is missing or does not parse stops the
start, exit status 2). Settings not given here come from the environment (PUBLISHER_*) and the
settings file."""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from publisher import create_app
from publisher.commands import settings_for
from publisher.errors import BuildError
from publisher.project import load_project

HELP = "serve the site and the SPARQL endpoint (building the dataset first if needed)"


def configure_parser(parser: ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT, 8000; 0 picks a free one)")
    parser.add_argument("--workers", type=int, help="serving processes (default: WORKERS; 0: by cores and memory)")
    parser.add_argument(
        "--threads", type=int, help="request threads in each serving process (default: THREADS; 0: by data size)"
    )
    parser.add_argument("--data", nargs="+", type=Path, metavar="FILE", help="serve these RDF files instead")


def build_if_stale(project_file: str) -> None:
    """Build the dataset when ``dist/`` is missing or stale; a data problem stops the start."""
    from publisher.build import build_dataset, is_stale

    project = load_project(project_file)
    if not is_stale(project):
        return
    print(f"Building the dataset into {project.dist_dir} ...", file=sys.stderr)
    try:
        build_dataset(project, out=lambda line: print(line, file=sys.stderr))
    except BuildError as error:
        print(error.message, file=sys.stderr)
        raise BuildError("The data does not conform, so there is nothing new to serve. Fix it and try again.") from None


def run(args: Namespace) -> int:
    from publisher.server import available_cores, request_threads, serve_app, serving_processes
    from publisher.store import EXTENSION_KEY

    data = [str(path) for path in args.data] if args.data else None
    settings = settings_for(
        args, HOST=args.host, PORT=args.port, WORKERS=args.workers, THREADS=args.threads, DATA_FILES=data
    )
    if not settings["DATA_FILES"]:
        build_if_stale(settings["PROJECT_FILE"])
    app = create_app(settings)
    published = app.extensions[EXTENSION_KEY]
    processes, threads = int(settings["WORKERS"]), int(settings["THREADS"])
    if processes <= 0:
        budget = int(settings["MEMORY_BUDGET_MB"]) * 1024 * 1024
        processes = serving_processes(published.memory_bytes, budget, available_cores())
    if threads <= 0:
        threads = request_threads(published.memory_bytes)
    mib = published.memory_bytes // (1024 * 1024)
    counted = "1 process" if processes == 1 else f"{processes} processes"
    print(f"The data takes {mib} MiB; serving from {counted} of {threads} threads.")
    serve_app(app, settings["HOST"], int(settings["PORT"]), threads, processes)
    return 0
