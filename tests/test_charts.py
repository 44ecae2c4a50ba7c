"""The figure bar chart: the figures of one unit, largest first, drawn as escaped, accessible SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from publisher.charts import Bar, bar_chart_svg, figure_bars
from publisher.project import Project

SVG = "{http://www.w3.org/2000/svg}"
DATA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix suo: <https://w3id.org/shaanxi-unions/ontology/> .
@prefix sur: <https://w3id.org/shaanxi-unions/resource/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
sur:f-big a suo:Figure ; suo:unit suo:yuan ; schema:value "215000000"^^xsd:decimal ;
    suo:originalWording "2.15亿元" ; rdfs:label "送清凉资金"@zh, "Keep-cool funds"@en .
sur:f-small a suo:Figure ; suo:unit suo:yuan ; schema:value "200000"^^xsd:decimal ;
    suo:originalWording "20万元" ; rdfs:label "商洛紧急筹措"@zh, "Shangluo emergency funds <b>"@en .
sur:f-jobs a suo:Figure ; suo:unit suo:job ; schema:value "3845"^^xsd:decimal ;
    suo:originalWording "3845个" ; rdfs:label "岗位"@zh, "Jobs"@en .
"""


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://example.org/g"))
    return store


def test_figure_bars_take_one_unit_largest_first_in_the_language_asked(store: ox.Store, project: Project) -> None:
    bars = figure_bars(store, project, "https://w3id.org/shaanxi-unions/ontology/yuan", "en")
    assert [(b.label, b.value, b.wording) for b in bars] == [
        ("Keep-cool funds", 215000000.0, "2.15亿元"),
        ("Shangluo emergency funds <b>", 200000.0, "20万元"),
    ]
    zh = figure_bars(store, project, "https://w3id.org/shaanxi-unions/ontology/yuan", "zh")
    assert zh[0].label == "送清凉资金"


def test_chart_is_well_formed_svg_with_a_title_and_one_linked_bar_per_figure() -> None:
    bars = [Bar("https://x/a", "A <script>", 215000000, "2.15亿元"), Bar("https://x/b", "B", 200000, "20万元")]
    svg = bar_chart_svg(bars, "Money", "en", lambda iri: "/local/" + iri[-1])
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Money"
    links = root.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["/local/a", "/local/b"]
    rects = root.findall(f".//{SVG}rect")
    assert float(rects[0].get("width")) > float(rects[1].get("width")) > 0
    assert "<script>" not in svg and "A &lt;script&gt;" in svg


def test_chart_ticks_read_as_chinese_numbers_in_chinese() -> None:
    svg = bar_chart_svg([Bar("https://x/a", "A", 215000000, ""), Bar("https://x/b", "B", 200000, "")], "t", "zh", str)
    ticks = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks[0] == "10万" and ticks[-1] == "10亿"


def test_no_positive_figure_draws_nothing() -> None:
    assert bar_chart_svg([], "t", "en", str) == ""
