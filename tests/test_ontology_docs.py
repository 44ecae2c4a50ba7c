"""The ontology and shapes documentation: every term with hierarchy, domain, range, usage and shapes; RDF too."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from publisher import create_app
from publisher.project import Project
from tests.ld_helpers import BASE, BROWSER, SUO, page, parse_rdf


def test_ontology_page_documents_every_class_and_property(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology", headers={"Accept": BROWSER}, query_string={"lang": "en"}).data)
    anchors = {s.attrs["id"] for s in doc.find_all("section", class_="term")}
    assert {"TradeUnion", "TradeUnionFederation", "Figure", "unit", "ofInitiative", "yuan", "moreThan"} <= anchors
    figure = doc.find("section", id="Figure")
    assert "A quantity stated in the article." in figure.find("p", class_="definition").text
    assert figure.find("dd", class_="usage").find("data").attrs["value"] == "3"
    assert [a.attrs["href"] for a in figure.find("dd", class_="shapes").find_all("a")] == ["/shapes/FigureShape"]
    facts = figure.find("dl", class_="facts").text
    assert "schema:QuantitativeValue" in facts and "unit" in facts


def test_ontology_page_shows_the_hierarchy_domain_and_range(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=en").data)
    union = doc.find("section", id="TradeUnion")
    hrefs = {a.attrs["href"] for a in union.find_all("a")}
    assert "/ontology/TradeUnionFederation" in hrefs  # subclass
    federation = doc.find("section", id="TradeUnionFederation")
    assert "/ontology/TradeUnion" in {a.attrs["href"] for a in federation.find_all("a")}  # superclass
    unit = doc.find("section", id="unit")
    hrefs = {a.attrs["href"] for a in unit.find_all("a")}
    assert {"/ontology/Figure", "/ontology/Unit", "/shapes/FigureShape"} <= hrefs
    assert unit.find("dd", class_="usage").find("data").attrs["value"] == "3"


def test_ontology_page_in_chinese_uses_chinese_labels(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=zh").data)
    assert doc.find("section", id="TradeUnion").find("h3").find("span").text == "工会"


def test_ontology_turtle_holds_every_term(ld_client: FlaskClient) -> None:
    for url, headers in (("/ontology.ttl", {}), ("/ontology", {"Accept": "text/turtle"})):
        graph = parse_rdf(ld_client.get(url, headers=headers).data, "text/turtle")
        assert (URIRef(f"{SUO}TradeUnion"), RDF.type, OWL.Class) in graph
        assert (URIRef(f"{SUO}ofInitiative"), RDFS.range, URIRef(f"{SUO}Initiative")) in graph
        assert (URIRef(f"{BASE}ontology"), RDF.type, OWL.Ontology) in graph


def test_ontology_term_answers_with_its_own_page_and_rdf(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology/Figure.html").data)
    assert "/ontology#Figure" in {a.attrs["href"] for a in doc.find_all("a")}
    graph = parse_rdf(ld_client.get("/ontology/Figure", headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert (URIRef(f"{SUO}Figure"), RDF.type, OWL.Class) in graph
    assert (URIRef(f"{BASE}shapes/FigureShape"), SH.targetClass, URIRef(f"{SUO}Figure")) in graph


def test_shapes_page_documents_each_shape(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/shapes", headers={"Accept": BROWSER}, query_string={"lang": "en"}).data)
    shape = doc.find("section", id="FigureShape")
    assert "/ontology/Figure" in {a.attrs["href"] for a in shape.find_all("a")}
    paths = [dt.find("a").text for dt in shape.find("dl", class_="constraints").find_all("dt")]
    assert paths == ["schema:value", "unit"]
    assert "sh:minCount" in shape.find("dl", class_="constraints").text
    assert doc.find("section", id="TradeUnionShape")


def test_shapes_rdf_is_the_shapes_graph(ld_client: FlaskClient) -> None:
    graph = parse_rdf(ld_client.get("/shapes.ttl").data, "text/turtle")
    assert (URIRef(f"{BASE}shapes/FigureShape"), SH.targetClass, URIRef(f"{SUO}Figure")) in graph
    assert len(list(graph.subjects(SH.path, None))) == 3


def test_shape_iri_answers_with_its_property_shapes(ld_client: FlaskClient) -> None:
    graph = parse_rdf(ld_client.get("/shapes/FigureShape.ttl").data, "text/turtle")
    shapes = list(graph.objects(URIRef(f"{BASE}shapes/FigureShape"), SH.property))
    assert {graph.value(s, SH.path) for s in shapes} == {URIRef(f"{SUO}unit"), URIRef("http://schema.org/value")}


def test_ontology_page_counts_references_to_other_terms(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=en").data)
    assert doc.find("section", id="yuan").find("dd", class_="usage").find("data").attrs["value"] == "1"
    assert doc.find("section", id="exactly").find("dd", class_="usage").find("data").attrs["value"] == "0"


def test_shapes_ontology_iri_gets_the_shapes_documentation(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/shapes.html?lang=zh").data)
    assert doc.find("h1").text.strip() == "测试数据形状"
    union = doc.find("section", id="TradeUnionShape")
    constraints = union.find("dl", class_="constraints")
    assert [dt.find("a").text for dt in constraints.find_all("dt")] == ["rdfs:label"]  # the named property shape's path
    shape_link = constraints.find("small", class_="shape-link").find("a")
    assert (shape_link.attrs["href"], shape_link.text) == ("/shapes/Resource-labels", "sus:Resource-labels")
    assert constraints.find("dt").attrs.get("id") == "Resource-labels"  # the target of /shapes#Resource-labels
    assert "sh:minCount" in constraints.text and "2" in constraints.text
    graph = parse_rdf(ld_client.get("/shapes.ttl").data, "text/turtle")
    assert (URIRef(f"{BASE}shapes"), RDF.type, OWL.Ontology) in graph
    assert (URIRef(f"{BASE}shapes/Resource-labels"), SH.minCount, Literal(2)) in graph


def test_rdf_lists_are_shown_as_ordered_lists(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/shapes/TradeUnionShape.html").data)
    items = doc.find("ol", class_="rdf-list").find_all("li")
    assert [li.find("a").attrs["href"] for li in items] == [str(RDF.type), str(OWL.sameAs)]


def test_shapes_page_keeps_to_constraint_parameters_and_the_shape_page_has_the_rest(ld_client: FlaskClient) -> None:
    constraints = (
        page(ld_client.get("/shapes.html").data).find("section", id="TradeUnionShape").find("dl", class_="constraints")
    )
    assert "needs a label" not in constraints.text
    assert "needs a label" in page(ld_client.get("/shapes/Resource-labels.html").data).find("main").text


@pytest.mark.parametrize(("namespace", "document"), [("/ontology/", "/ontology"), ("/shapes/", "/shapes")])
def test_a_namespace_iri_is_sent_to_its_ontology(ld_client: FlaskClient, namespace: str, document: str) -> None:
    response = ld_client.get(namespace, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == document


def test_shapes_without_a_shapes_iri_are_documented_at_slash_shapes(built_tiny_project: Project) -> None:
    client = create_app({"TESTING": True, "PROJECT_FILE": str(built_tiny_project.root / "dataset.toml")}).test_client()
    doc = page(client.get("/shapes.html?lang=en").data)
    assert doc.find("h1").text.strip() == "Shapes"
    assert doc.find_all("section", class_="term shape")
    graph = parse_rdf(client.get("/shapes", headers={"Accept": "text/turtle"}).data, "text/turtle")
    assert list(graph.subjects(RDF.type, SH.NodeShape))


def test_usage_reads_as_a_sentence_in_the_page_language(ld_client: FlaskClient) -> None:
    en = page(ld_client.get("/ontology.html?lang=en").data)
    zh = page(ld_client.get("/ontology.html?lang=zh").data)
    assert en.find("section", id="Figure").find("dd", class_="usage").text.strip() == "3 instances"
    assert en.find("section", id="yuan").find("dd", class_="usage").text.strip() == "referred to once"
    assert zh.find("section", id="unit").find("dd", class_="usage").text.strip() == "3 个三元组"


def test_classes_are_listed_as_a_tree_of_subclasses(ld_client: FlaskClient) -> None:
    doc = page(ld_client.get("/ontology.html?lang=en").data)
    tree = doc.find("nav", class_="toc").find("ul", class_="class-tree")
    roots = [li for li in tree.children if li.tag == "li"]
    union = next(li for li in roots if li.find("a").text == "trade union")
    assert [a.attrs["href"] for a in union.find("ul", class_="class-tree").find_all("a")] == ["#TradeUnionFederation"]
    assert "trade union federation" not in [li.find("a").text for li in roots]
