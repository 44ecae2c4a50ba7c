"""SHACL validation: the one pySHACL call, and a report in plain words.

:func:`validate` runs ``pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")``
and turns each result into a :class:`Violation` that says the resource, the property, what was expected
(the shape's ``sh:message``) and what was found.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, SH

from publisher.vocab import bind_prefixes


@dataclass(frozen=True)
class Violation:
    """One validation result, in the words a reviewer needs."""

    focus: str
    path: str
    message: str
    value: str
    shape: str
    severity: str

    def plain(self) -> str:
        where = f"{self.focus}, property {self.path}" if self.path else self.focus
        found = f" Found: {self.value}." if self.value else ""
        return f"{where}: {self.message.rstrip('.')}.{found} ({self.severity}, shape {self.shape})"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome: whether the data conforms, each violation, and pySHACL's own text."""

    conforms: bool
    violations: tuple[Violation, ...]
    results_text: str

    def plain_text(self) -> str:
        if self.conforms:
            return "The data conforms to the shapes."
        lines = [f"The data does not conform: {len(self.violations)} problem(s)."]
        lines += [f"- {v.plain()}" for v in self.violations]
        return "\n".join(lines)


def _show(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return "a blank node"


def _violations(results: Graph, names: Graph) -> tuple[Violation, ...]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus=_show(names, results.value(result, SH.focusNode)),
                path=_show(names, results.value(result, SH.resultPath)),
                message=" ".join(messages) or "violates a constraint",
                value=_show(names, results.value(result, SH.value)),
                shape=_show(names, results.value(result, SH.sourceShape)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    # A property shape shared by two node shapes that both target a resource reports twice; say it once.
    unique = {(v.focus, v.path, v.message, v.value): v for v in found}
    return tuple(unique[key] for key in sorted(unique))


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with RDFS inference over ``ontology``."""
    import pyshacl

    conforms, results_graph, results_text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
    )
    names = Graph(bind_namespaces="none")
    for source in (shapes, data):
        for prefix, namespace in source.namespaces():
            names.bind(prefix, namespace, override=True, replace=True)
    bind_prefixes(names, {})  # the well-known prefixes win over rdflib's renamings (schema1:, ns1:)
    return ValidationReport(
        conforms=bool(conforms),
        violations=_violations(results_graph, names),
        results_text=str(results_text),
    )
