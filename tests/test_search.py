"""Search by label in Chinese, English and pinyin, ranked."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from publisher.search import build_index, fold, search

DATA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sur: <https://w3id.org/shaanxi-unions/resource/> .
sur:shangluo-ftu rdfs:label "商洛市总工会"@zh, "Shangluo Federation of Trade Unions"@en .
sur:shangluo rdfs:label "商洛市"@zh, "Shangluo"@en .
sur:xian rdfs:label "西安市"@zh, "Xi'an"@en .
sur:unit skos:prefLabel "元"@zh, "yuan"@en .
"""


@pytest.fixture(scope="module")
def index():
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://example.org/g"))
    return build_index(store)


def iris(hits) -> list[str]:
    return [h.iri.rsplit("/", 1)[-1] for h in hits]


def test_chinese_label_is_found_exact_match_first(index) -> None:
    assert iris(search(index, "商洛市")) == ["shangluo", "shangluo-ftu"]


def test_english_label_is_found_case_and_space_insensitively(index) -> None:
    assert iris(search(index, "federation of trade")) == ["shangluo-ftu"]
    assert iris(search(index, "XIAN")) == ["xian"]


def test_pinyin_finds_chinese_labels_with_or_without_spaces(index) -> None:
    assert iris(search(index, "shang luo shi zong")) == ["shangluo-ftu"]
    assert "shangluo-ftu" in iris(search(index, "zonggonghui"))


def test_pinyin_initials_find_a_label(index) -> None:
    assert iris(search(index, "slszgh")) == ["shangluo-ftu"]


def test_skos_pref_labels_are_searchable(index) -> None:
    assert iris(search(index, "yuan")) == ["unit"]


def test_empty_or_punctuation_query_finds_nothing(index) -> None:
    assert search(index, "") == []
    assert search(index, " ·, ") == []


def test_full_width_input_is_folded() -> None:
    assert fold("ＸＩ’ＡＮ　市") == fold("xi'an市")
