"""The benchmark's query mix: selective look-ups and whole-data aggregates, over the article's shape.

Every query names only copy-0 IRIs (the original article's), which every synthetic size keeps, so each
query has the same answer shape at every size. ``selective`` queries touch a bounded part of the data;
their latency should barely grow with size.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX suo: <https://w3id.org/shaanxi-unions/ontology/>
PREFIX sur: <https://w3id.org/shaanxi-unions/resource/>
"""


@dataclass(frozen=True)
class BenchQuery:
    name: str
    selective: bool
    text: str


QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery(
        "label-lookup",
        True,
        PREFIXES + 'SELECT ?s WHERE { ?s rdfs:label "商洛市总工会"@zh }',
    ),
    BenchQuery(
        "resource-description",
        True,
        PREFIXES + "SELECT ?p ?o WHERE { sur:shangluo-ftu ?p ?o }",
    ),
    BenchQuery(
        "figures-of-an-organisation",
        True,
        PREFIXES
        + """SELECT ?figure ?value ?wording ?label WHERE {
  ?figure prov:wasAttributedTo sur:shaanxi-ftu ; schema:value ?value ; suo:originalWording ?wording ;
          rdfs:label ?label . FILTER(LANG(?label) = "en")
} ORDER BY DESC(?value)""",
    ),
    BenchQuery(
        "ask-membership",
        True,
        PREFIXES + "ASK { sur:xian-ftu ?p sur:shaanxi-ftu }",
    ),
    BenchQuery(
        "totals-by-unit",
        False,
        PREFIXES
        + """SELECT ?unit (COUNT(?figure) AS ?figures) (SUM(?value) AS ?total) WHERE {
  ?figure a suo:Figure ; suo:unit ?unit ; schema:value ?value .
} GROUP BY ?unit ORDER BY ?unit""",
    ),
    BenchQuery(
        "count-by-class",
        False,
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 20",
    ),
)
