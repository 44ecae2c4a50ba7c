"""Content negotiation: the formats the publisher offers, and the choice among them.

A :class:`Format` has a short key (used in ``?format=`` and in file extensions), a media type, aliases
clients also send, and whether it is text (so a charset goes in the Content-Type). :func:`negotiate`
honours q-values and wildcards; an explicit ``format`` parameter overrides the Accept header; when
nothing offered is acceptable it raises :class:`~publisher.errors.NotAcceptable` listing what is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from publisher.errors import NotAcceptable


@dataclass(frozen=True)
class Format:
    """One representation the publisher can produce."""

    key: str
    media_type: str
    extension: str
    text: bool = True
    aliases: tuple[str, ...] = field(default=())

    @property
    def content_type(self) -> str:
        """The Content-Type header value, with charset for text formats."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    def names(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


TURTLE = Format("ttl", "text/turtle", "ttl", aliases=("application/x-turtle",))
NTRIPLES = Format("nt", "application/n-triples", "nt", aliases=("text/plain",))
JSONLD = Format("jsonld", "application/ld+json", "jsonld")
RDFXML = Format("rdf", "application/rdf+xml", "rdf")
NQUADS = Format("nq", "application/n-quads", "nq")
TRIG = Format("trig", "application/trig", "trig")
HTML = Format("html", "text/html", "html", aliases=("application/xhtml+xml",))
JSON = Format("json", "application/json", "json")
SPARQL_JSON = Format("json", "application/sparql-results+json", "srj", aliases=("application/json",))
SPARQL_XML = Format("xml", "application/sparql-results+xml", "srx", aliases=("application/xml", "text/xml"))
CSV = Format("csv", "text/csv", "csv")
TSV = Format("tsv", "text/tab-separated-values", "tsv")

GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML)
DATASET_FORMATS: tuple[Format, ...] = (TRIG, NQUADS)
RESULT_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)


def format_by_key(key: str, offered: Sequence[Format]) -> Format | None:
    """The offered format named by a short key, extension or media type (``ttl``, ``turtle``, ``text/turtle``)."""
    wanted = key.strip().lower()
    for fmt in offered:
        if wanted in {fmt.key, fmt.extension, *fmt.names()} or (fmt is TURTLE and wanted == "turtle"):
            return fmt
    return None


def _offered_list(offered: Sequence[Format]) -> str:
    return ", ".join(fmt.media_type for fmt in offered)


def negotiate(accept: str | None, offered: Sequence[Format], format_param: str | None = None) -> Format:
    """Choose the representation: ``format_param`` if given, else the best match for ``accept``.

    With no Accept header (or ``*/*``) the first offered format wins.
    """
    if format_param:
        chosen = format_by_key(format_param, offered)
        if chosen is None:
            keys = ", ".join(fmt.key for fmt in offered)
            raise NotAcceptable(f"The format '{format_param}' is not offered here. Use one of: {keys}.")
        return chosen
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: Format | None = None
    best_q = 0.0
    for fmt in offered:
        _, q = max(match(ranges, name) for name in fmt.names())
        if q > best_q:
            best, best_q = fmt, q
    if best is None:
        raise NotAcceptable(f"None of the accepted media types is offered here. Offered: {_offered_list(offered)}.")
    return best


def parse_accept(accept: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header as (type, subtype, q); malformed parts are skipped."""
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        main, sub = media.split("/", 1)
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((main, sub, q))
    return ranges


def match(ranges: list[tuple[str, str, float]], media_type: str) -> tuple[int, float]:
    """How specifically (2 exact, 1 ``type/*``, 0 ``*/*``, -1 not at all) and with what q-value the client
    accepts ``media_type``: the most specific matching range decides (RFC 9110)."""
    main, sub = media_type.lower().split("/", 1)
    best_specificity, q = -1, 0.0
    for r_main, r_sub, r_q in ranges:
        if r_main == main and r_sub == sub:
            specificity = 2
        elif r_main == main and r_sub == "*":
            specificity = 1
        elif r_main == "*" and r_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, q = specificity, r_q
    return best_specificity, q
