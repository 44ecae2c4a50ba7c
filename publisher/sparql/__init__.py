"""The SPARQL 1.1 endpoint: read-only, time-limited and safe to expose in public.

:func:`execute_query` runs a query through the same guard, query runner, time limit and result cap as
``/sparql``, for other views (the example query pages) inside an app context. The modules:
``protocol`` reads requests, ``guard`` checks queries before parsing, ``runner`` runs them within
their time limit, ``results`` serialises answers, ``description`` is the service description, ``cache``
the optional result cache, ``service`` ties them together, ``views`` the blueprint, and ``fastpath``
answers plain successful queries without Flask.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask

from publisher.errors import NotAcceptable
from publisher.negotiation import format_by_key
from publisher.sparql import fastpath
from publisher.sparql.service import QueryOutcome, SparqlService
from publisher.sparql.views import SERVICE_KEY, bp, get_service
from publisher.store import EXTENSION_KEY


def execute_query(
    query_text: str,
    media_type: str,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> QueryOutcome:
    """Answer ``query_text`` in ``media_type`` (a media type or format key the query's form offers).

    Raises the endpoint's errors (:class:`~publisher.errors.MalformedQuery`, ``UpdateRefused``,
    ``QueryTimeout``, ``NotAcceptable`` for a media type the query's form does not offer, ...).
    """
    service = get_service()
    prepared = service.prepare(query_text, default_graph_uris, named_graph_uris)
    offered = service.offered_formats(prepared)
    fmt = format_by_key(media_type, offered)
    if fmt is None:
        listed = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(f"A {prepared.facts.form or 'query'} answer cannot be {media_type}. Offered: {listed}.")
    return service.answer(prepared, fmt)


def init_app(app: Flask) -> None:
    """Set up the query service for the loaded data and register the endpoint."""
    app.extensions[SERVICE_KEY] = SparqlService(app.extensions[EXTENSION_KEY], app.config)
    app.register_blueprint(bp)
    fastpath.init_app(app)


__all__ = ["QueryOutcome", "execute_query", "init_app"]
