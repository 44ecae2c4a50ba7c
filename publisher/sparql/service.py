"""The query service of one app: guard, dataset, format, cache and query runner, put together.

The endpoint view and :func:`publisher.sparql.execute_query` both go through :class:`SparqlService`, so
every query meets the same checks, time limit and result cap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from publisher.errors import BadRequest, MalformedQuery, PublisherError
from publisher.negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format
from publisher.sparql.cache import ResultCache
from publisher.sparql.guard import QueryFacts, check_query
from publisher.sparql.results import run_job
from publisher.sparql.runner import Job, QueryRunner
from publisher.store import COPIED_SHARE, PublishedData
from publisher.version import __version__


@dataclass(frozen=True)
class QueryOutcome:
    """A query's answer: the serialised body, its media type, and whether the result cap cut it."""

    body: bytes
    media_type: str
    truncated: bool


@dataclass(frozen=True)
class PreparedQuery:
    """A query that passed the guard, with the dataset it runs on (``None``: the union default graph)."""

    text: str
    facts: QueryFacts
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None

    @property
    def returns_graph(self) -> bool:
        return self.facts.form in {"CONSTRUCT", "DESCRIBE"}


class SparqlService:
    """Answers queries on one :class:`PublishedData`, as the settings in ``config`` say."""

    def __init__(self, data: PublishedData, config: Mapping[str, Any]) -> None:
        self.version = data.version
        self.graphs = frozenset(graph.value for graph in data.store.named_graphs())  # type: ignore[union-attr]
        self.triple_count = data.triple_count
        self.limit = int(config["RESULT_LIMIT"])
        self.max_depth = int(config["MAX_QUERY_DEPTH"])
        self.max_operators = int(config["MAX_QUERY_OPERATORS"])
        self.allowlist = frozenset(config["SERVICE_ALLOWLIST"])
        self.timeout = float(config["QUERY_TIMEOUT"])
        self.cache: ResultCache[QueryOutcome] = ResultCache(int(config["RESULT_CACHE"]))
        # what a serving process may hold of its own: its copy of the shared store's pages, and the setting
        memory_limit = int(config["WORKER_MEMORY_MB"]) * 1024 * 1024 + int(COPIED_SHARE * data.memory_bytes)
        self.runner = QueryRunner(data.store, self.timeout, run_job, memory_limit)

    def prepare(
        self, text: str, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = ()
    ) -> PreparedQuery:
        """Check ``text`` with the guard and settle its dataset; raise the request's error if either fails."""
        facts = check_query(text, self.max_depth, self.graphs, self.allowlist, self.max_operators)
        if default_graph_uris or named_graph_uris:
            for iri in (*default_graph_uris, *named_graph_uris):
                if iri not in self.graphs:
                    raise BadRequest(
                        f"<{iri}> names no graph of this dataset, so it cannot be a default-graph-uri or "
                        "named-graph-uri here. The graphs are listed in the service description (GET /sparql)."
                    )
            return PreparedQuery(text, facts, tuple(default_graph_uris), tuple(named_graph_uris))
        if facts.from_graphs or facts.from_named_graphs:
            return PreparedQuery(text, facts, tuple(facts.from_graphs), tuple(facts.from_named_graphs))
        return PreparedQuery(text, facts, None, None)

    @staticmethod
    def offered_formats(prepared: PreparedQuery) -> tuple[Format, ...]:
        """The formats an answer to ``prepared`` can take: results for SELECT and ASK, graphs otherwise."""
        return GRAPH_FORMATS if prepared.returns_graph else RESULT_FORMATS

    def _key(self, prepared: PreparedQuery, fmt: Format) -> tuple[str, ...]:
        return (
            self.version,
            prepared.text,
            "\n".join(prepared.default_graphs) if prepared.default_graphs is not None else "*",
            "\n".join(prepared.named_graphs) if prepared.named_graphs is not None else "*",
            fmt.key,
        )

    def etag(self, prepared: PreparedQuery, fmt: Format) -> str:
        """Changes with the data version, the publisher, the query, its dataset and the format."""
        tag = "\x00".join((__version__, str(self.limit), *self._key(prepared, fmt)))
        return hashlib.sha256(tag.encode()).hexdigest()[:32]

    def answer(self, prepared: PreparedQuery, fmt: Format) -> QueryOutcome:
        """Run ``prepared`` (or take it from the cache) and return its answer in ``fmt``."""
        key = self._key(prepared, fmt)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        job = Job(
            query=prepared.text,
            form=prepared.facts.form,
            format_key=fmt.key,
            default_graphs=prepared.default_graphs,
            named_graphs=prepared.named_graphs,
            limit=self.limit,
        )
        reply = self.runner.run(job)
        if reply.error:
            if reply.error_status == 400:
                raise MalformedQuery(reply.error)
            raise PublisherError(reply.error, status=reply.error_status)
        outcome = QueryOutcome(body=reply.body, media_type=fmt.media_type, truncated=reply.truncated)
        self.cache.put(key, outcome)
        return outcome
