"""The benchmark's synthetic data: same shape as the seed, the size asked for, the same bytes every time."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from bench.generate import generate

SEED = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix suo: <https://w3id.org/shaanxi-unions/ontology/> .
@prefix sur: <https://w3id.org/shaanxi-unions/resource/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
suo:Figure rdfs:label "figure"@en .
sur:f1 a suo:Figure ; schema:value "2.5"^^xsd:decimal ; schema:about sur:org .
sur:org rdfs:label "组织"@zh .
"""
NS = "https://w3id.org/shaanxi-unions/resource/"


def write_seed(tmp_path: Path) -> Path:
    seed = tmp_path / "seed.ttl"
    seed.write_text(SEED, encoding="utf-8")
    return seed


def test_generated_data_reaches_the_size_asked_for_with_vocabulary_once(tmp_path: Path) -> None:
    out = tmp_path / "out.nt"
    written = generate(write_seed(tmp_path), 100, out, NS)
    triples = list(ox.parse(path=str(out)))
    assert written == len(triples)
    assert 90 <= len(triples) <= 100
    vocabulary = [t for t in triples if t.subject.value.endswith("ontology/Figure")]
    assert len(vocabulary) == 1


def test_copies_rename_resources_and_scale_decimals(tmp_path: Path) -> None:
    out = tmp_path / "out.nt"
    generate(write_seed(tmp_path), 50, out, NS)
    store = ox.Store()
    store.load(path=str(out))
    subjects = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode("http://schema.org/value"), None)}
    assert f"{NS}f1" in subjects and f"{NS}f1-c1" in subjects
    links = list(store.quads_for_pattern(ox.NamedNode(f"{NS}f1-c1"), ox.NamedNode("http://schema.org/about"), None))
    assert [q.object.value for q in links] == [f"{NS}org-c1"]
    values = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode("http://schema.org/value"), None)}
    assert len(values) > 1
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    labels = [q.object for q in store.quads_for_pattern(ox.NamedNode(f"{NS}org-c1"), label, None)]
    assert labels == [ox.Literal("组织 (1)", language="zh")]  # a look-up by label stays selective


def test_generation_is_deterministic(tmp_path: Path) -> None:
    seed = write_seed(tmp_path)
    generate(seed, 80, tmp_path / "a.nt", NS)
    generate(seed, 80, tmp_path / "b.nt", NS)
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
