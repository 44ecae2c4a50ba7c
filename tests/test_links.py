"""data/links.ttl: the links from our places to Wikidata and GeoNames and their GB/T 2260 codes.

Each identifier there was checked against a public source, named in a ``# source:`` comment on the
line or right above it; these tests hold the file to that, to the IRI forms of both datasets, to
the code hierarchy (a city's code starts with its province's two digits, a county's with its city's
four) and to the rule that ``owl:sameAs`` means identity: it never points at GeoNames, and a GeoNames
populated place (the city proper) could at most be a ``skos:closeMatch``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
LINKS = ROOT / "data" / "links.ttl"
ARTICLE = ROOT / "data" / "article.ttl"

SUR = Namespace("https://w3id.org/shaanxi-unions/resource/")
SUO = Namespace("https://w3id.org/shaanxi-unions/ontology/")
SCHEMA = Namespace("http://schema.org/")

WIKIDATA_ENTITY = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
GEONAMES_FEATURE = re.compile(r"^https://sws\.geonames\.org/[1-9][0-9]*/$")
DIVISION_CODE = re.compile(r"^[1-9][0-9]{5}$")
MAPPING_PROPERTIES = {OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, SUO.divisionCode}

# The GeoNames features checked in the sources named in data/links.ttl, with their feature codes:
# admin1CodesASCII.txt lists ADM1 features, admin2Codes.txt ADM2 features, countryInfo.txt the country
# (PCLI). 1790630 is Xi'an the populated place (PPLA, "1790630 Xi'an ... P PPLA CN 26" in a GeoNames
# cities dump): it is not linked, and is here so that a link to it would be caught.
GEONAMES_FEATURE_CODES = {
    1814991: "PCLI",
    1796480: "ADM1",
    1790384: "ADM2",
    1792691: "ADM2",
    1816935: "ADM2",
    1790352: "ADM2",
    1791635: "ADM2",
    1787763: "ADM2",
    1808856: "ADM2",
    1785769: "ADM2",
    1818037: "ADM2",
    1796165: "ADM2",
    1790630: "PPLA",
}

# Where each place lies (docs/model.md): the ten cities in Shaanxi, Foping county in Hanzhong.
PROVINCE_OF_CITY = {
    SUR[slug]: SUR.shaanxi
    for slug in (
        "xian",
        "xianyang",
        "yulin",
        "yanan",
        "tongchuan",
        "shangluo",
        "hanzhong",
        "weinan",
        "baoji",
        "ankang",
    )
}
CITY_OF_COUNTY = {SUR.foping: SUR.hanzhong}


@pytest.fixture(scope="module")
def links() -> Graph:
    """The parsed data/links.ttl."""
    return Graph().parse(LINKS, format="turtle")


@pytest.fixture(scope="module")
def links_text() -> str:
    return LINKS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article() -> Graph:
    """The parsed data/article.ttl, where the linked places are described."""
    assert ARTICLE.exists(), "data/article.ttl describes the places that data/links.ttl links"
    return Graph().parse(ARTICLE, format="turtle")


def external_objects(graph: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    """Every (subject, property, object) whose object is an IRI outside our namespace."""
    return [
        (s, p, o)
        for s, p, o in graph
        if isinstance(o, URIRef) and not str(o).startswith(str(SUR)) and isinstance(s, URIRef)
    ]


def geonames_id(iri: URIRef) -> int:
    return int(str(iri).rstrip("/").rsplit("/", 1)[1])


def division_code(graph: Graph, place: URIRef) -> str | None:
    value = graph.value(place, SUO.divisionCode)
    return None if value is None else str(value)


# --- the source-comment check, on the file's text ----------------------------------------------------


def split_comment(line: str) -> tuple[str, str | None]:
    """A Turtle line cut into its statement part and its trailing comment (``#`` outside IRIs and strings)."""
    in_iri = in_string = False
    for i, char in enumerate(line):
        if in_string:
            if char == '"' and line[i - 1] != "\\":
                in_string = False
        elif in_iri:
            if char == ">":
                in_iri = False
        elif char == '"':
            in_string = True
        elif char == "<":
            in_iri = True
        elif char == "#":
            return line[:i], line[i + 1 :]
    return line, None


def identifiers_on(statement: str) -> list[str]:
    """The external identifiers a statement states: Wikidata Q-numbers, GeoNames ids, division codes."""
    found = re.findall(r"wikidata\.org/entity/(Q[0-9]+)", statement)
    found += re.findall(r"sws\.geonames\.org/([0-9]+)/", statement)
    if "divisionCode" in statement:
        found += re.findall(r'"([^"]*)"', statement)
    return found


def lines_without_source(text: str) -> list[tuple[int, str]]:
    """The mapping lines (a Wikidata or GeoNames IRI, or a division code) that name no source.

    A line names its source when a comment on it, or the comments right above it, hold ``source:``
    and every identifier the line states.
    """
    problems = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        statement, trailing = split_comment(line)
        if not any(key in statement for key in ("wikidata.org/entity/", "sws.geonames.org/", "divisionCode")):
            continue
        comments = [trailing] if trailing else []
        above = number - 2
        while above >= 0 and lines[above].lstrip().startswith("#"):
            comments.append(lines[above].lstrip()[1:])
            above -= 1
        named = [c for c in comments if "source:" in c and c.split("source:", 1)[1].strip()]
        if not named or not all(any(ident in c for c in named) for ident in identifiers_on(statement)):
            problems.append((number, line.strip()))
    return problems


def comment_above(text: str, needle: str) -> str:
    """The comments right above (or on) the first statement line holding ``needle``."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#") or needle not in line:
            continue
        _, trailing = split_comment(line)
        comments = [trailing or ""]
        above = index - 1
        while above >= 0 and lines[above].lstrip().startswith("#"):
            comments.append(lines[above])
            above -= 1
        return "\n".join(comments)
    raise AssertionError(f"no statement holds {needle}")


# --- the tests -----------------------------------------------------------------------------------------


def test_links_use_only_mapping_properties_and_codes(links: Graph) -> None:
    assert len(links) > 0
    assert {p for _, p, _ in links} <= MAPPING_PROPERTIES


def test_every_subject_is_a_resource_of_the_dataset(links: Graph) -> None:
    outside = {s for s in links.subjects() if not (isinstance(s, URIRef) and str(s).startswith(str(SUR)))}
    assert not outside


def test_every_subject_is_described_in_the_article(links: Graph, article: Graph) -> None:
    described = set(article.subjects(RDF.type, None))
    missing = sorted(str(s) for s in set(links.subjects()) - described)
    assert not missing, f"linked but not typed in data/article.ttl: {missing}"


def test_places_with_a_code_lie_where_the_model_says(links: Graph, article: Graph) -> None:
    for child, parent in {**PROVINCE_OF_CITY, **CITY_OF_COUNTY}.items():
        if division_code(links, child) is not None:
            assert (child, SCHEMA.containedInPlace, parent) in article, f"{child} is not in {parent}"


def test_each_code_is_at_the_level_of_its_place(links: Graph, article: Graph) -> None:
    """A province's code ends in 0000, a prefecture-level city's in 00 (not 0000), a county's not in 00."""
    levels = {
        SUO.Province: lambda code: code.endswith("0000"),
        SUO.PrefectureLevelCity: lambda code: code.endswith("00") and not code.endswith("0000"),
        SUO.County: lambda code: not code.endswith("00"),
    }
    for place, code in links.subject_objects(SUO.divisionCode):
        kinds = [kind for kind in levels if (place, RDF.type, kind) in article]
        assert len(kinds) == 1, f"{place} has a division code but is not one province, city or county"
        assert levels[kinds[0]](str(code)), f"{place}: {code} is not a {kinds[0]} code"


def test_wikidata_links_are_entity_iris(links: Graph) -> None:
    wikidata = [o for _, _, o in external_objects(links) if "wikidata.org" in str(o)]
    assert wikidata
    assert [str(o) for o in wikidata if not WIKIDATA_ENTITY.match(str(o))] == []


def test_geonames_links_are_feature_iris(links: Graph) -> None:
    geonames = [o for _, _, o in external_objects(links) if "geonames.org" in str(o)]
    assert geonames
    assert [str(o) for o in geonames if not GEONAMES_FEATURE.match(str(o))] == []


def test_every_link_goes_to_wikidata_or_geonames(links: Graph) -> None:
    others = [
        str(o)
        for _, _, o in external_objects(links)
        if not (WIKIDATA_ENTITY.match(str(o)) or GEONAMES_FEATURE.match(str(o)))
    ]
    assert others == []


def test_division_codes_are_six_digit_plain_strings(links: Graph) -> None:
    codes = list(links.objects(None, SUO.divisionCode))
    assert codes
    for code in codes:
        assert isinstance(code, Literal) and code.language is None
        assert code.datatype in (None, XSD.string)
        assert DIVISION_CODE.match(str(code)), code


def test_the_country_has_no_division_code(links: Graph) -> None:
    assert division_code(links, SUR.china) is None


def test_city_codes_start_with_their_province_code(links: Graph) -> None:
    province = division_code(links, SUR.shaanxi)
    assert province is not None and province.endswith("0000")
    for city, parent in PROVINCE_OF_CITY.items():
        code = division_code(links, city)
        if code is None:
            continue
        assert code[:2] == division_code(links, parent)[:2], city
        assert code.endswith("00") and not code.endswith("0000"), f"{city}: {code} is not a city-level code"


def test_county_codes_start_with_their_city_code(links: Graph) -> None:
    for county, city in CITY_OF_COUNTY.items():
        code, city_code = division_code(links, county), division_code(links, city)
        if code is None:
            continue
        assert city_code is not None, f"{county} has a code but its city {city} has none"
        assert code[:4] == city_code[:4] and not code.endswith("00"), f"{county}: {code} under {city_code}"


def test_each_place_has_at_most_one_link_to_each_dataset(links: Graph) -> None:
    for subject in set(links.subjects()):
        objects = [str(o) for o in links.objects(subject, None)]
        assert len(list(links.objects(subject, SUO.divisionCode))) <= 1, subject
        assert sum(1 for o in objects if "wikidata.org" in o) <= 1, subject
        assert sum(1 for o in objects if "geonames.org" in o) <= 1, subject


def test_no_two_resources_link_to_the_same_item(links: Graph) -> None:
    targets = [o for _, _, o in external_objects(links)]
    codes = list(links.objects(None, SUO.divisionCode))
    assert len(targets) == len(set(targets))
    assert len(codes) == len(set(codes))


def test_owl_same_as_points_only_at_wikidata(links: Graph) -> None:
    same_as = list(links.objects(None, OWL.sameAs))
    assert same_as
    assert [str(o) for o in same_as if not WIKIDATA_ENTITY.match(str(o))] == []


def test_geonames_links_are_verified_features_matched_by_kind(links: Graph) -> None:
    for _, prop, target in external_objects(links):
        if not GEONAMES_FEATURE.match(str(target)):
            continue
        feature = GEONAMES_FEATURE_CODES.get(geonames_id(target))
        assert feature is not None, f"{target} is not among the verified GeoNames features"
        if feature.startswith("PPL"):
            assert prop == SKOS.closeMatch, f"{target} is a populated place ({feature}): at most skos:closeMatch"
        else:
            assert prop == SKOS.exactMatch, f"{target} is a division ({feature}): skos:exactMatch"


def test_geonames_feature_codes_are_those_the_comments_give(links: Graph, links_text: str) -> None:
    for _, _, target in external_objects(links):
        if GEONAMES_FEATURE.match(str(target)):
            feature = GEONAMES_FEATURE_CODES[geonames_id(target)]
            assert feature in comment_above(links_text, str(target)), target


def test_every_mapping_line_names_its_source(links_text: str) -> None:
    assert lines_without_source(links_text) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "sur:x owl:sameAs <http://www.wikidata.org/entity/Q5826> .",
        "# a comment without the word\nsur:x owl:sameAs <http://www.wikidata.org/entity/Q5826> .",
        "# source: [wd-places] Q514796\nsur:x owl:sameAs <http://www.wikidata.org/entity/Q5826> .",
        'sur:x suo:divisionCode "610100" . # source: [gb2260] 610200',
        "# source:\nsur:x skos:exactMatch <https://sws.geonames.org/1790384/> .",
        "# source: [gn-admin2] 1790384\n\nsur:x skos:exactMatch <https://sws.geonames.org/1790384/> .",
    ],
    ids=["none", "no-source-word", "other-item", "other-code", "empty-source", "not-right-above"],
)
def test_source_check_flags_a_link_without_its_source(snippet: str) -> None:
    assert len(lines_without_source(snippet)) == 1


@pytest.mark.parametrize(
    "snippet",
    [
        "# source: [wd-places] Q5826 西安市\nsur:x owl:sameAs <http://www.wikidata.org/entity/Q5826> .",
        'sur:x suo:divisionCode "610100" . # source: [gb2260] "610100,西安市,2"',
        "# source: [gn-admin2] CN.26.6101 1790384, ADM2\n# (second line)\n"
        "sur:x skos:exactMatch <https://sws.geonames.org/1790384/> .",
        "# about sws.geonames.org/1/ and divisionCode, in a comment only",
    ],
    ids=["above", "trailing", "block-above", "comment-only"],
)
def test_source_check_accepts_a_link_with_its_source(snippet: str) -> None:
    assert lines_without_source(snippet) == []
