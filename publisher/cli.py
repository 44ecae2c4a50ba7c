"""The ``publisher`` command line: one sub-command per module in ``publisher.commands``.

Each command module has a docstring (its description), ``HELP`` (one line), ``configure_parser(parser)``
and ``run(args) -> int``. A :class:`~publisher.errors.PublisherError` becomes a one-line message on
standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from publisher.errors import PublisherError
from publisher.version import __version__

COMMANDS: dict[str, str] = {
    "build": "publisher.commands.build",
    "validate": "publisher.commands.validate",
    "query": "publisher.commands.query",
    "stats": "publisher.commands.stats",
    "serve": "publisher.commands.serve",
}


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="publisher",
        description="Build, validate, query and serve an RDF dataset as Linked Open Data.",
    )
    parser.add_argument("--version", action="version", version=f"publisher {__version__}")
    parser.add_argument(
        "--project",
        metavar="FILE",
        help="the dataset's configuration file (default: dataset.toml, or PUBLISHER_PROJECT_FILE)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.configure_parser(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except PublisherError as error:
        print(f"publisher {args.command}: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (publisher build | head): stop quietly, as other command-line tools do.
        sys.stderr.close()
        return 141
