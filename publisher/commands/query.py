"""Run a SPARQL query on the built dataset (dist/dataset.trig; the default graph is the union of the
named graphs, and the dataset's prefixes are declared). Prints an aligned table by default, or CSV,
SPARQL JSON results, or Turtle for CONSTRUCT and DESCRIBE. Exit status 2 for a query that does not
parse (with line and column) or when nothing has been built yet."""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from publisher.build import is_stale
from publisher.commands import project_for
from publisher.query_cli import FORMATS, query_dataset, read_query

HELP = "run a SPARQL query on the built dataset"


def configure_parser(parser: ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", help="the query text, or '-' to read it from standard input")
    parser.add_argument("--file", type=Path, metavar="FILE", help="read the query from FILE (e.g. queries/x.rq)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="how to print the results")


def run(args: Namespace) -> int:
    project = project_for(args)
    stdin_text = sys.stdin.read() if args.query == "-" and args.file is None else None
    query = read_query(args.query, args.file, stdin_text)
    text = query_dataset(project, query, args.format)
    if is_stale(project):
        print(f"note: {project.dist_dir} is older than the inputs; 'publisher build' updates it.", file=sys.stderr)
    print(text, end="" if text.endswith("\n") else "\n")
    return 0
