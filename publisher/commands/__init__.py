"""The sub-commands of ``publisher``, one module each (see :mod:`publisher.cli`)."""

from __future__ import annotations

from argparse import Namespace
from typing import Any

from publisher.config import load_settings
from publisher.project import Project, load_project


def settings_for(args: Namespace, **overrides: Any) -> dict[str, Any]:
    """Settings for a command: the usual layers, with ``--project`` and the given values on top."""
    given = {k: v for k, v in overrides.items() if v is not None}
    if getattr(args, "project", None):
        given["PROJECT_FILE"] = args.project
    return load_settings(given)


def project_for(args: Namespace) -> Project:
    """The project a command works on."""
    return load_project(settings_for(args)["PROJECT_FILE"])
