"""What a query may do here, checked on its tokens before any parser sees it.

A small SPARQL tokenizer (it skips strings, IRIs and comments, so ``"DROP"`` or ``<http://x/load>`` are
not keywords) finds: the query form (SELECT, ASK, CONSTRUCT, DESCRIBE); update keywords, which are
refused; the nesting depth of groups, brackets and parentheses, refused past a limit before a parser
could overflow its stack on it; and the IRIs named by FROM, FROM NAMED and SERVICE (prefixed names
resolved by the query's PREFIX and BASE declarations), which :func:`check_query` holds against the
graphs in the store and the SERVICE allow-list.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from publisher.errors import BadRequest, MalformedQuery, UpdateRefused

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_OPENERS = {"{": "}", "(": ")", "[": "]"}
_PREFIX_OPERATORS = frozenset({"!", "-", "+", "^"})  # each nests one level in the parser, like a bracket
# Each of these adds a node to the query's algebra; pyoxigraph 0.5 overflows its stack (a crash) on about
# 3,000 OPTIONALs or BINDs, or 10,000 UNIONs, ||, + or / in one query, so their number is limited too.
OPERATOR_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE"})
OPERATOR_MARKS = frozenset({"|", "&", "+", "-", "*", "/", "=", "!", "<", ">", ".", ";"})
DEFAULT_MAX_OPERATORS = 1000
_CLOSERS = frozenset(_OPENERS.values())

_PN_CHARS = r"\w\-\u00B7\u00C0-\uFFFF"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<var>[?$][{_PN_CHARS}]*)
  | (?P<bnode>_:[{_PN_CHARS}.]*)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][{_PN_CHARS}.]*)?:(?:[{_PN_CHARS}:%\\.]*[{_PN_CHARS}:%])?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<quote>["'])
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


_UNICODE_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")  # the parser reads these inside IRIs


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass
class QueryFacts:
    """What the guard learnt about a query."""

    form: str = ""
    depth: int = 0
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def tokenize(text: str) -> Iterator[Token]:
    """The query's tokens, without spaces and comments; an unterminated string is a :class:`MalformedQuery`."""
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup or "punct"
        if kind in {"space", "comment"}:
            continue
        if kind == "quote":
            raise MalformedQuery(f"The query does not parse: {_position(text, found.start())}: unterminated string.")
        yield Token(kind, found.group(), found.start())


class _Resolver:
    """Turns IRI and prefixed-name tokens into IRIs, following the PREFIX and BASE declarations seen so far."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}
        self.base = ""

    def resolve(self, token: Token) -> str | None:
        if token.kind == "iri":
            iri = _UNICODE_ESCAPE.sub(lambda escape: chr(int(escape.group()[2:], 16)), token.text[1:-1])
            return urljoin(self.base, iri) if self.base else iri
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + re.sub(r"\\(.)", r"\1", local)
        return None


def _target_iri(resolver: _Resolver, token: Token, text: str) -> str:
    """The IRI that FROM or SERVICE names; what cannot be read as one is refused, so nothing slips past."""
    iri = resolver.resolve(token)
    if iri is None:
        raise BadRequest(
            f"Cannot tell which graph or endpoint is named at {_position(text, token.offset)}: "
            "write a full IRI in <...> or a prefixed name whose prefix is declared."
        )
    return iri


def inspect_query(text: str, max_depth: int, max_operators: int = DEFAULT_MAX_OPERATORS) -> QueryFacts:
    """Read ``text``'s form, depth and the IRIs it would fetch; refuse updates and too deep nesting."""
    facts = QueryFacts()
    resolver = _Resolver()
    tokens = list(tokenize(text))
    stack: list[str] = []
    operator_run = operators = 0
    for index, token in enumerate(tokens):
        operator_run = operator_run + 1 if token.text in _PREFIX_OPERATORS else 0
        if (token.kind == "punct" and token.text in OPERATOR_MARKS) or (
            token.kind == "word" and token.text.upper() in OPERATOR_WORDS
        ):
            operators += 1
            if operators > max_operators:
                raise BadRequest(
                    f"The query has more than {max_operators} operators (UNION, OPTIONAL, FILTER, BIND, '.', '||', "
                    f"'/', ... ; at {_position(text, token.offset)}). Split it, or use VALUES or IN for long lists."
                )
        if operator_run > max_depth:
            raise BadRequest(
                f"The query chains more than {max_depth} operators in a row (at {_position(text, token.offset)})."
                " Simplify it and try again."
            )
        if token.kind == "punct":
            if token.text == "\\":  # only valid inside strings, IRIs and prefixed names
                raise MalformedQuery(
                    f"The query does not parse: {_position(text, token.offset)}: a backslash outside a string or IRI."
                )
            if token.text in _OPENERS:
                stack.append(token.text)
                if len(stack) > max_depth:
                    raise BadRequest(
                        f"The query nests groups, brackets or parentheses more than {max_depth} deep "
                        f"(at {_position(text, token.offset)}). Flatten it and try again."
                    )
                facts.depth = max(facts.depth, len(stack))
            elif token.text in _CLOSERS and stack:
                stack.pop()
            continue
        if token.kind != "word":
            continue
        word = token.text.upper()
        following = tokens[index + 1 : index + 4]
        if word in UPDATE_KEYWORDS:
            raise UpdateRefused(
                f"This endpoint is read-only: '{token.text}' (at {_position(text, token.offset)}) is SPARQL Update, "
                "which is refused here. Use SELECT, ASK, CONSTRUCT or DESCRIBE."
            )
        if word in QUERY_FORMS and not facts.form:
            facts.form = word
        elif word == "PREFIX" and len(following) >= 2 and following[0].kind == "pname":
            namespace = resolver.resolve(following[1])
            if namespace is not None:
                resolver.prefixes[following[0].text[:-1]] = namespace
        elif word == "BASE" and following and following[0].kind == "iri":
            resolver.base = resolver.resolve(following[0]) or ""
        elif word == "FROM" and following:
            named = following[0].kind == "word" and following[0].text.upper() == "NAMED"
            target = following[1] if named and len(following) > 1 else following[0]
            (facts.from_named_graphs if named else facts.from_graphs).append(_target_iri(resolver, target, text))
        elif word == "SERVICE" and following:
            target = following[0]
            if target.kind == "word" and target.text.upper() == "SILENT" and len(following) > 1:
                target = following[1]
            if target.kind == "var":
                raise BadRequest("SERVICE with a variable endpoint is not allowed here; name the endpoint's IRI.")
            facts.services.append(_target_iri(resolver, target, text))
    return facts


_inspect_cached = functools.lru_cache(maxsize=1024)(inspect_query)  # clients repeat queries; refusals are not kept


def check_query(
    text: str,
    max_depth: int,
    graphs: Collection[str],
    allowlist: Collection[str],
    max_operators: int = DEFAULT_MAX_OPERATORS,
) -> QueryFacts:
    """:func:`inspect_query` (remembered for repeated queries; do not change the facts it returns), then refuse
    FROM and SERVICE IRIs the store and the allow-list do not cover."""
    facts = _inspect_cached(text, max_depth, max_operators)
    for iri in facts.from_graphs + facts.from_named_graphs:
        if iri not in graphs:
            raise BadRequest(
                f"FROM <{iri}> names no graph of this dataset, and nothing is fetched from elsewhere. "
                "The graphs are listed in the service description (GET /sparql)."
            )
    for iri in facts.services:
        if iri not in allowlist:
            raise BadRequest(
                f"SERVICE <{iri}> is not an endpoint this server may call. "
                "Only endpoints in the SERVICE_ALLOWLIST setting are."
            )
    return facts
