"""Validate the project's data (data/*.ttl), or the given RDF files taken as the data, against the
shapes and the ontology, and check its figures and passages against the source text. Exit status: 0
conforms, 1 does not (the problems are printed in plain words), 2 a file is missing or does not parse."""

from __future__ import annotations

from argparse import ArgumentParser, Namespace
from pathlib import Path

from publisher.build import check_inputs, read_inputs
from publisher.commands import project_for

HELP = "check data against the shapes, the ontology and the source text"


def configure_parser(parser: ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files to take as the data")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the files read")


def run(args: Namespace) -> int:
    project = project_for(args)
    inputs = read_inputs(project, list(args.files), out=print if args.verbose else (lambda _line: None))
    result = check_inputs(inputs, project)
    if result.conforms:
        print("conforms")
        return 0
    print(result.plain_text())
    return 1
