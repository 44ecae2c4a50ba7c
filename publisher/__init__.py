"""The publisher: builds an RDF dataset, validates it with SHACL, and serves it as Linked Data.

:func:`create_app` is the application factory; there is no module-level app.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from flask import Flask

from publisher.version import __version__

# Each module registers its blueprint (one URL space each) through ``init_app(app)``.
BLUEPRINT_MODULES: tuple[str, ...] = (
    "publisher.dumps",
    "publisher.home",
    "publisher.resources",
    "publisher.query_page",
    "publisher.example_pages",
    "publisher.sparql",
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Make the application: settings (defaults, file, environment, ``config``), data, views."""
    from publisher import error_handler, store
    from publisher.config import SETTINGS, load_settings

    ours = {s.name for s in SETTINGS}
    given = dict(config or {})
    app = Flask(__name__)
    app.config.update(load_settings({k: v for k, v in given.items() if k in ours}))
    app.config.update({k: v for k, v in given.items() if k not in ours})  # Flask's own, e.g. TESTING
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    store.init_app(app)
    error_handler.init_app(app)
    for name in BLUEPRINT_MODULES:
        importlib.import_module(name).init_app(app)
    return app


__all__ = ["__version__", "create_app"]
