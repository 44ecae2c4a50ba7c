"""Validate the project's ontology, data and shapes against each other and the source text, and, only
when all is valid, publish a new dist/ (dataset.ttl, .trig, .nt.gz, .jsonld, ontology.ttl, shapes.ttl,
void.ttl, SHA256SUMS) in one atomic swap. Exit status: 0 built, 1 the data does not conform (dist/ is
left as it was), 2 an input is missing or broken."""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace

from publisher.build import build_dataset
from publisher.commands import project_for
from publisher.errors import BuildError

HELP = "validate the inputs and publish dist/ (only when valid)"


def configure_parser(parser: ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def run(args: Namespace) -> int:
    project = project_for(args)
    try:
        build_dataset(project, out=(lambda _line: None) if args.quiet else print)
    except BuildError as error:
        print(error.message)
        print(f"publisher build: the data does not conform; {project.dist_dir} is unchanged.", file=sys.stderr)
        return 1
    return 0
