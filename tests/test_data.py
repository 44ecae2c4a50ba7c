"""The facts in data/article.ttl against the article they come from (issue 2, "What the data must hold").

These tests read the Turtle with rdflib alone and check what SHACL cannot see: that each sentence's offsets
slice the source file to exactly its text, that every number the article states is some figure's wording at
that very place, and that the resources are named and labelled as docs/model.md says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "article.ttl"
SOURCE = ROOT.parent / "shared" / "source" / "shaanxi-unions-2022-09-27.txt"
PUBLISHED = "2022-09-27"

BASE = "https://w3id.org/shaanxi-unions/"
SUR = Namespace(BASE + "resource/")
SUO = Namespace(BASE + "ontology/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("http://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")

KNOWN_VOCABULARIES = (
    BASE,
    "http://purl.org/dc/terms/",
    "http://schema.org/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://xmlns.com/foaf/0.1/",
)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# The article body: from the first line after the publisher and date line to the end of the text; the
# lines 报料微博, 微信, 字号 and 相关推荐 are web-page chrome (see the source README) and hold no digits.
BODY_STARTS_AFTER = "西西新闻\u00a0\u00a0@2022-09-27"
CHROME = {"报料微博", "微信", "字号", "相关推荐"}
DIGIT_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Digit runs that are not figures, each with the reason.
NOT_FIGURES = {
    re.compile(r"[0-9]{4}年"): "a year (2022年) inside a job fair's name, not a quantity",
    re.compile(
        r"[0-9]{1,2}月(?:[0-9]{1,2}日)?"
    ): "a month or date (今年8月以来, 7月15日), modelled as time, not a figure",
}
# A count written in Chinese numerals and a measure word, not preceded by a digit (as in 2万余件).
CHINESE_COUNT = re.compile(r"(?<![0-9.余])[一二两三四五六七八九十百千万亿]+余?[种条年个次项场家人名户件]")
CHINESE_NOT_FIGURES = {
    "一个": "一个缩影 ('an epitome') and 一个个 ('one after another'): idioms, not counts",
    "两年": "前两年 ('the previous two years') is a time, modelled as sur:period-2020-to-2021",
    "三年": "连续三年 ('three years running') is a duration, modelled as sur:period-2020-to-date",
    "九次": "第九次 is an ordinal in the name of the ninth workforce survey",
    "一次": "又一次 ('once again'), not a count",
}

# The fixed slugs of docs/model.md and the class each must have. Baoji's federation is not named in the article.
CITIES_WITH_FEDERATIONS = (
    "xian",
    "xianyang",
    "yulin",
    "yanan",
    "tongchuan",
    "shangluo",
    "hanzhong",
    "weinan",
    "ankang",
)
FIXED = {
    "china": SUO.Country,
    "shaanxi": SUO.Province,
    **{city: SUO.PrefectureLevelCity for city in (*CITIES_WITH_FEDERATIONS, "baoji")},
    "foping": SUO.County,
    "southern-shaanxi": SUO.Region,
    "acftu": SUO.TradeUnionFederation,
    "shaanxi-ftu": SUO.TradeUnionFederation,
    **{f"{city}-ftu": SUO.TradeUnionFederation for city in CITIES_WITH_FEDERATIONS},
    "shaanxi-ecwhs-union": SUO.TradeUnion,
    "shaanxi-sasac": SUO.GovernmentAgency,
    "weinan-culture-tourism-bureau": SUO.GovernmentAgency,
    "foping-party-committee": SUO.PartyCommittee,
    "xixi-news": SCHEMA.NewsMediaOrganization,
    "article": SCHEMA.NewsArticle,
    "li-zhigang": SCHEMA.Person,
    "yan-ruixian": SCHEMA.Person,
    "li-tingwei": SCHEMA.Person,
    "gao-gechen": SCHEMA.Person,
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(ARTICLE, format="turtle")


@pytest.fixture(scope="module")
def source() -> str:
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def sentences(graph: Graph) -> Iterator[tuple[Node, str, int, int]]:
    """Each source sentence with its text, start and end."""
    for sentence in graph.subjects(RDF.type, SUO.SourceSentence):
        exact = graph.value(sentence, OA.exact)
        start, end = graph.value(sentence, OA.start), graph.value(sentence, OA.end)
        assert isinstance(exact, Literal) and isinstance(start, Literal) and isinstance(end, Literal), sentence
        yield sentence, str(exact), int(start), int(end)


def figure_spans(graph: Graph) -> Iterator[tuple[Node, str, list[tuple[int, int]]]]:
    """Each figure, its wording, and where that wording stands in the source inside the figure's sentences."""
    spans = {sentence: (text, start) for sentence, text, start, _ in sentences(graph)}
    for figure in graph.subjects(RDF.type, SUO.Figure):
        wording = str(graph.value(figure, SUO.originalWording))
        found = []
        for sentence in graph.objects(figure, PROV.wasDerivedFrom):
            text, start = spans[sentence]
            found += [(start + m.start(), start + m.end()) for m in re.finditer(re.escape(wording), text)]
        yield figure, wording, found


def body_start(source: str) -> int:
    """Where the article body begins: right after the publisher and date line."""
    return source.index(BODY_STARTS_AFTER) + len(BODY_STARTS_AFTER)


def covered(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``position`` lies inside one of the half-open ``spans``."""
    return any(start <= position < end for start, end in spans)


def test_every_sentence_slices_the_source_to_its_text(graph: Graph, source: str) -> None:
    found = list(sentences(graph))
    assert len(found) > 40
    wrong = [f"{s.n3()}: [{a}:{b}] is {source[a:b]!r}" for s, text, a, b in found if source[a:b] != text]
    assert not wrong, "\n".join(wrong)


def test_the_sentences_cover_every_line_of_the_article(graph: Graph, source: str) -> None:
    """Every character of the title, the date line and the body is in some sentence; only the chrome is not."""
    spans = [(a, b) for _, _, a, b in sentences(graph)]
    offset, left_out = 0, []
    for line in source.split("\n"):
        if line.strip() and line.strip() not in CHROME:
            left_out += [offset + i for i, c in enumerate(line) if not c.isspace() and not covered(offset + i, spans)]
        offset += len(line) + 1
    assert not left_out, f"{len(left_out)} characters in no sentence, the first at {left_out[0]}"


def test_sentence_names_carry_their_offsets(graph: Graph) -> None:
    wrong = [s for s, _, a, b in sentences(graph) if s != SUR[f"sentence-{a}-{b}"]]
    assert not wrong


def test_every_figure_wording_stands_in_its_sentence(graph: Graph) -> None:
    figures = list(figure_spans(graph))
    assert len(figures) >= 55
    missing = [f"{figure.n3()} {wording!r}" for figure, wording, spans in figures if not spans]
    assert not missing, "wording not in the figure's sentence: " + ", ".join(missing)


def test_every_exclusion_is_still_needed(source: str) -> None:
    """An exclusion that matches nothing in the article is dead and would hide nothing; drop it."""
    body = source[body_start(source) :]
    assert [p.pattern for p in NOT_FIGURES if not p.search(body)] == []
    assert [word for word in CHINESE_NOT_FIGURES if word not in {m.group() for m in CHINESE_COUNT.finditer(body)}] == []


def test_every_digit_in_the_article_body_belongs_to_a_figure(graph: Graph, source: str) -> None:
    spans = [span for _, _, found in figure_spans(graph) for span in found]
    start = body_start(source)
    excluded = [(m.start(), m.end()) for pattern in NOT_FIGURES for m in pattern.finditer(source, start)]
    runs = [m for m in DIGIT_RUN.finditer(source, start) if not covered(m.start(), excluded)]
    assert len(runs) > 50
    uncovered = [
        f"{m.group()!r} at {m.start()} in {source[m.start() - 8 : m.end() + 4]!r}"
        for m in runs
        if not covered(m.start(), spans)
    ]
    assert not uncovered, "numbers in the article that no figure's wording covers:\n" + "\n".join(uncovered)


def test_every_count_in_chinese_numerals_belongs_to_a_figure(graph: Graph, source: str) -> None:
    spans = [span for _, _, found in figure_spans(graph) for span in found]
    counts = [m for m in CHINESE_COUNT.finditer(source, body_start(source)) if m.group() not in CHINESE_NOT_FIGURES]
    assert {m.group() for m in counts} >= {"千余种", "十条"}
    uncovered = [f"{m.group()!r} at {m.start()}" for m in counts if not covered(m.start(), spans)]
    assert not uncovered, "counts in Chinese numerals that no figure's wording covers: " + ", ".join(uncovered)


def test_figures_are_listed_in_the_order_of_the_article(graph: Graph) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    first_position = {figure: min(a for a, _ in spans) for figure, _, spans in figure_spans(graph) if spans}
    in_file = sorted(first_position, key=lambda figure: text.index(f"sur:{str(figure).removeprefix(str(SUR))}\n"))
    assert in_file == sorted(first_position, key=first_position.__getitem__)


def test_every_resource_has_one_label_in_chinese_and_one_in_english(graph: Graph) -> None:
    wrong = []
    for subject in set(graph.subjects(RDF.type, None)):
        languages = sorted(str(label.language) for label in graph.objects(subject, RDFS.label))
        if languages != ["en", "zh"]:
            wrong.append(f"{subject.n3()}: {languages}")
    assert not wrong, "\n".join(wrong)


def test_every_resource_minted_from_the_article_names_its_sentence(graph: Graph) -> None:
    """All but the article itself and its sentences, which are the sources."""
    sentences_named = set(graph.subjects(RDF.type, SUO.SourceSentence))
    subjects = set(graph.subjects(RDF.type, None)) - sentences_named - {SUR.article}
    wrong = [s.n3() for s in subjects if not set(graph.objects(s, PROV.wasDerivedFrom)) & sentences_named]
    assert not wrong, "without a source sentence: " + ", ".join(sorted(wrong))


def test_no_date_is_later_than_the_publication_date(graph: Graph) -> None:
    dates = [o for o in graph.objects() if isinstance(o, Literal) and o.datatype == XSD.date]
    assert Literal(PUBLISHED, datatype=XSD.date) in dates
    assert [str(d) for d in dates if str(d) > PUBLISHED] == []
    assert graph.value(SUR.article, SCHEMA.datePublished) == Literal(PUBLISHED, datatype=XSD.date)


def test_every_instant_has_a_date(graph: Graph) -> None:
    instants = set(graph.subjects(RDF.type, TIME.Instant))
    assert instants
    assert [i.n3() for i in instants if graph.value(i, TIME.inXSDDate) is None] == []


def test_every_iri_is_ours_or_from_a_known_vocabulary(graph: Graph) -> None:
    iris = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    assert [str(iri) for iri in iris if not str(iri).startswith(KNOWN_VOCABULARIES)] == []


def test_every_minted_iri_has_a_readable_slug(graph: Graph) -> None:
    minted = {term for triple in graph for term in triple if isinstance(term, URIRef) and term.startswith(SUR)}
    assert [str(iri) for iri in minted if not SLUG.match(str(iri).removeprefix(str(SUR)))] == []


def test_every_minted_resource_is_described(graph: Graph) -> None:
    used = {o for o in graph.objects() if isinstance(o, URIRef) and o.startswith(SUR)}
    assert sorted(str(iri) for iri in used - set(graph.subjects(RDF.type, None))) == []


@pytest.mark.parametrize(("slug", "kind"), sorted(FIXED.items()))
def test_fixed_slug_exists_with_its_class(graph: Graph, slug: str, kind: URIRef) -> None:
    assert (SUR[slug], RDF.type, kind) in graph


def test_unions_belong_to_their_federations(graph: Graph) -> None:
    assert (SUR["shaanxi-ftu"], ORG.subOrganizationOf, SUR.acftu) in graph
    assert (SUR["shaanxi-ecwhs-union"], ORG.subOrganizationOf, SUR["shaanxi-ftu"]) in graph
    for city in CITIES_WITH_FEDERATIONS:
        assert (SUR[f"{city}-ftu"], ORG.subOrganizationOf, SUR["shaanxi-ftu"]) in graph, city
        assert (SUR[f"{city}-ftu"], SCHEMA.areaServed, SUR[city]) in graph, city


def test_places_lie_where_the_article_puts_them(graph: Graph) -> None:
    assert (SUR.shaanxi, SCHEMA.containedInPlace, SUR.china) in graph
    assert (SUR.foping, SCHEMA.containedInPlace, SUR.hanzhong) in graph
    cities = set(graph.subjects(RDF.type, SUO.PrefectureLevelCity))
    assert len(cities) == 10
    assert [c.n3() for c in cities if (c, SCHEMA.containedInPlace, SUR.shaanxi) not in graph] == []


def test_the_county_party_secretary_holds_his_role(graph: Graph) -> None:
    [membership] = graph.subjects(ORG.member, SUR["li-zhigang"])
    assert graph.value(membership, ORG.organization) == SUR["foping-party-committee"]
    assert (graph.value(membership, ORG.role), RDF.type, ORG.Role) in graph
    assert Literal("县委书记", lang="zh") in set(graph.objects(SUR["li-zhigang"], SCHEMA.jobTitle))


def test_every_figure_has_value_unit_qualifier_organisation_time_and_one_sentence(graph: Graph) -> None:
    required = (SCHEMA.value, SUO.unit, SUO.qualifier, PROV.wasAttributedTo, TIME.hasTime)
    wrong = []
    for figure in graph.subjects(RDF.type, SUO.Figure):
        missing = [p.n3(graph.namespace_manager) for p in required if graph.value(figure, p) is None]
        value = graph.value(figure, SCHEMA.value)
        if not (isinstance(value, Literal) and value.datatype == XSD.decimal):
            missing.append("an xsd:decimal value")
        if len(set(graph.objects(figure, PROV.wasDerivedFrom))) != 1:
            missing.append("exactly one sentence")
        if missing:
            wrong.append(f"{figure.n3()}: {', '.join(missing)}")
    assert not wrong, "\n".join(wrong)


def test_every_figure_qualifier_follows_its_wording(graph: Graph) -> None:
    """余, 超过 and 多 mean more than; 近 means nearly; a figure without them is exact."""
    wrong = []
    for figure in graph.subjects(RDF.type, SUO.Figure):
        wording = str(graph.value(figure, SUO.originalWording))
        if wording.startswith("近"):
            expected = SUO.nearly
        elif "余" in wording or "多" in wording or wording.startswith("超过"):
            expected = SUO.moreThan
        else:
            expected = SUO.exactly
        if graph.value(figure, SUO.qualifier) != expected:
            wrong.append(f"{figure.n3()} {wording!r}: expected {expected.n3()}")
    assert not wrong, "\n".join(wrong)


def test_parts_and_wholes_name_each_other(graph: Graph) -> None:
    """dcterms:isPartOf and dcterms:hasPart between initiatives are stated both ways, so either reads alone."""
    initiatives = set(graph.subjects(RDF.type, None)) - set(graph.subjects(RDF.type, SUO.Performance))
    initiatives -= set(graph.subjects(RDF.type, SUO.SourceSentence))
    one_way = [
        f"{part.n3()} is part of {whole.n3()}"
        for part, whole in graph.subject_objects(DCTERMS.isPartOf)
        if part in initiatives and (whole, DCTERMS.hasPart, part) not in graph
    ]
    one_way += [
        f"{whole.n3()} has part {part.n3()}"
        for whole, part in graph.subject_objects(DCTERMS.hasPart)
        if (part, DCTERMS.isPartOf, whole) not in graph
    ]
    assert not one_way, "\n".join(one_way)
    assert set(graph.objects(SUR["four-seasons-programme"], DCTERMS.hasPart)) >= {
        SUR["send-warmth"],
        SUR["send-coolness"],
        SUR["golden-autumn-education-aid"],
    }
