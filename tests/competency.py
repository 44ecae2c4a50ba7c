"""Running the competency questions (``queries/*.rq``) on the project's data, with results in a compact form.

Shared by the tests that pin each question's answer: on the data files directly (Oxigraph and rdflib,
which must agree), and through the SPARQL endpoint. A result row becomes a tuple of strings: IRIs as
prefixed names where a prefix is known, numbers normalised (``7000000``), other literals as their text.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from publisher.project import Project
from publisher.store import load_files
from publisher.vocab import all_prefixes

NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("decimal", "integer", "nonNegativeInteger", "double", "float", "long", "int")
}


def query_files(project: Project) -> list[Path]:
    return sorted(project.queries_dir.glob("*.rq"))


def data_store(project: Project) -> ox.Store:
    """The ontology and data files of the project, one named graph each (as the build publishes them)."""
    files = project.ttl_files(project.ontology_dir) + project.ttl_files(project.data_dir)
    return load_files(project, files)


def compact_term(value: str, datatype: str | None, is_iri: bool, prefixes: dict[str, str]) -> str:
    if is_iri:
        for prefix, namespace in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(namespace):
                return f"{prefix}:{value[len(namespace) :]}"
        return value
    if datatype in NUMERIC:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return format(number.normalize(), "f") if number == number.to_integral() else str(number.normalize())
    return value


def compact_ox(term: object, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_term(term.value, None, True, prefixes)
    if isinstance(term, ox.Literal):
        return compact_term(term.value, term.datatype.value, False, prefixes)
    return str(term)


def run_oxigraph(store: ox.Store, query: str, prefixes: dict[str, str]) -> list[tuple[str, ...]]:
    """The rows of a SELECT (or ``[("true",)]``/``[("false",)]`` for ASK), in the query's order."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return [(str(bool(result)).lower(),)]
    names = [v.value for v in result.variables]
    return [tuple(compact_ox(row[name], prefixes) for name in names) for row in result]


def project_prefixes(project: Project) -> dict[str, str]:
    return all_prefixes(project.namespaces)
