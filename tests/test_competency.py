"""The competency questions: each ``queries/*.rq`` gives its pinned answer on the data, and rdflib agrees.

Each answer below was read against the article by hand (the sentence of each figure is in its
``prov:wasDerivedFrom``). A new question without a pinned answer fails :func:`test_every_question_has_an_answer`.
rdflib's SPARQL engine is the correctness reference for Oxigraph, which serves the endpoint.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from competency import compact_term, data_store, project_prefixes, query_files, run_oxigraph
from rdflib import Literal, URIRef

from publisher.examples import load_examples
from publisher.project import Project
from publisher.rdf_files import load_graph

EXPECTED: dict[str, list[tuple[str, ...]]] = {
    "approximate-figures": [
        ("sur:figure-fund-refunds-2020-2021", "9500余万元", "95000000", "more than"),
        ("sur:figure-golden-autumn-funds", "970余万元", "9700000", "more than"),
        ("sur:figure-shangluo-donations", "680余万元", "6800000", "more than"),
        ("sur:figure-three-in-one-funds", "400余万元", "4000000", "more than"),
        ("sur:figure-teachers-day-funds", "200余万元", "2000000", "more than"),
        ("sur:figure-send-coolness-visits", "120余万人次", "1200000", "more than"),
        ("sur:figure-xian-jobs-offered", "10万余个", "100000", "more than"),
        ("sur:figure-send-coolness-hazards", "2万余件", "20000", "more than"),
        ("sur:figure-send-coolness-sites-visited", "超过2万家", "20000", "more than"),
        ("sur:figure-fund-refund-enterprises", "8500余户", "8500", "more than"),
        ("sur:figure-reading-events", "6000余场", "6000", "more than"),
        ("sur:figure-platform-product-kinds", "千余种", "1000", "more than"),
        ("sur:figure-union-consumption-support-purchases", "近10亿元", "1000000000", "nearly"),
        ("sur:figure-send-warmth-funds", "近2亿元", "200000000", "nearly"),
        ("sur:figure-skills-contest-participants", "近10万名", "100000", "nearly"),
    ],
    "city-union-federations": [
        ("sur:xian-ftu", "sur:xian", "610100"),
        ("sur:tongchuan-ftu", "sur:tongchuan", "610200"),
        ("sur:xianyang-ftu", "sur:xianyang", "610400"),
        ("sur:weinan-ftu", "sur:weinan", "610500"),
        ("sur:yanan-ftu", "sur:yanan", "610600"),
        ("sur:hanzhong-ftu", "sur:hanzhong", "610700"),
        ("sur:yulin-ftu", "sur:yulin", "610800"),
        ("sur:ankang-ftu", "sur:ankang", "610900"),
        ("sur:shangluo-ftu", "sur:shangluo", "611000"),
    ],
    "figure-provenance": [
        ("sur:figure-send-coolness-funds", "sur:sentence-1305-1607", "1305", "1607", "1383"),
    ],
    "figures-by-unit": [
        ("suo:yuan", "19", "1919346160"),
        ("suo:person", "7", "365245"),
        ("suo:enterprise", "5", "19098"),
        ("suo:site", "5", "20874"),
        ("suo:job", "4", "606831"),
        ("suo:event", "3", "6680"),
        ("suo:organisation", "3", "1359"),
        ("suo:personTime", "3", "6206420"),
        ("suo:competitionProject", "2", "110"),
        ("suo:employer", "2", "8613"),
        ("suo:county", "1", "56"),
        ("suo:hazard", "1", "20000"),
        ("suo:measure", "1", "10"),
        ("suo:percent", "1", "80"),
        ("suo:productKind", "1", "1000"),
        ("suo:trade", "1", "147"),
    ],
    "figures-from-a-sentence": [
        ("sur:sentence-1305-1607", "1305", "1607", "68次", "68"),
        ("sur:sentence-1305-1607", "1305", "1607", "2808人", "2808"),
        ("sur:sentence-1305-1607", "1305", "1607", "4000名", "4000"),
        ("sur:sentence-1305-1607", "1305", "1607", "6420人次", "6420"),
        ("sur:sentence-1305-1607", "1305", "1607", "2万余件", "20000"),
        ("sur:sentence-1305-1607", "1305", "1607", "超过2万家", "20000"),
        ("sur:sentence-1305-1607", "1305", "1607", "120余万人次", "1200000"),
        ("sur:sentence-1305-1607", "1305", "1607", "400万元", "4000000"),
        ("sur:sentence-1305-1607", "1305", "1607", "970余万元", "9700000"),
        ("sur:sentence-1305-1607", "1305", "1607", "1180万元", "11800000"),
        ("sur:sentence-1305-1607", "1305", "1607", "2132万元", "21320000"),
        ("sur:sentence-1305-1607", "1305", "1607", "2276万元", "22760000"),
        ("sur:sentence-1305-1607", "1305", "1607", "近2亿元", "200000000"),
        ("sur:sentence-1305-1607", "1305", "1607", "2.15亿元", "215000000"),
    ],
    "four-seasons-funds": [
        ("sur:send-coolness", "'Sending coolness'", "2.15亿元", "215000000", "suo:exactly"),
        ("sur:send-warmth", "'Sending warmth'", "近2亿元", "200000000", "suo:nearly"),
        ("sur:golden-autumn-education-aid", "'Golden autumn' education aid", "970余万元", "9700000", "suo:moreThan"),
    ],
    "job-fairs-by-city": [
        (
            "sur:tongchuan-ftu",
            "Tongchuan Federation of Trade Unions",
            "sur:tongchuan-job-fairs",
            "Tongchuan federation's online and on-site job fairs",
            "",
            "",
        ),
        (
            "sur:xian-ftu",
            "Xi'an Federation of Trade Unions",
            "sur:xian-jobs-warm-hearts-recruitment",
            "'Sincere job offers warm people's hearts, employment aid shows results' recruitment events",
            "100000",
            "10万余个",
        ),
        (
            "sur:xian-ftu",
            "Xi'an Federation of Trade Unions",
            "sur:xian-measure-recruitment-events",
            "Keep holding online and on-site recruitment events",
            "",
            "",
        ),
        (
            "sur:xian-ftu",
            "Xi'an Federation of Trade Unions",
            "sur:xian-spring-online-video-job-fair",
            "Large spring online video job fair",
            "",
            "",
        ),
        (
            "sur:xianyang-ftu",
            "Xianyang Federation of Trade Unions",
            "sur:xianyang-jobs-warm-hearts-fair",
            "'Unions send jobs, employment warms people's hearts' job fair",
            "3845",
            "3845个",
        ),
        (
            "sur:yanan-ftu",
            "Yan'an Federation of Trade Unions",
            "sur:yanan-job-fairs",
            "Yan'an federation's online and on-site job fairs",
            "",
            "",
        ),
        (
            "sur:yulin-ftu",
            "Yulin Federation of Trade Unions",
            "sur:yulin-livestream-jobs-fair",
            "'Unions send jobs' livestreamed job fair",
            "986",
            "986个",
        ),
    ],
    "july-2022": [
        (
            "sur:hanzhong-flavours-first-stop-foping",
            "First stop of the Hanzhong flavours mobilisation, in Foping",
            "2022-07-15",
        ),
    ],
    "largest-sums": [
        ("sur:figure-union-consumption-support-purchases", "近10亿元", "1000000000", "sur:shaanxi-ftu"),
        ("sur:figure-platform-sales-to-date", "2.26亿元", "226000000", "sur:shaanxi-ftu"),
        ("sur:figure-send-coolness-funds", "2.15亿元", "215000000", "sur:shaanxi-ftu"),
        ("sur:figure-send-warmth-funds", "近2亿元", "200000000", "sur:shaanxi-ftu"),
        ("sur:figure-fund-refunds-2020-2021", "9500余万元", "95000000", "sur:shaanxi-ftu"),
        ("sur:figure-fund-refunds-to-date", "4400万元", "44000000", "sur:shaanxi-ftu"),
        ("sur:figure-platform-sales-2022", "3500万元", "35000000", "sur:shaanxi-ftu"),
        ("sur:figure-special-assistance-funds", "2276万元", "22760000", "sur:shaanxi-ftu"),
        ("sur:figure-model-worker-subsidies", "2132万元", "21320000", "sur:shaanxi-ftu"),
        ("sur:figure-venue-subsidies", "2000万元", "20000000", "sur:shaanxi-ftu"),
    ],
    "migrant-worker-programmes": [
        ("sur:dream-of-study-campaign", "'Dream of study' campaign to raise migrant workers' education"),
        ("sur:send-coolness", "'Sending coolness'"),
    ],
    "new-form-workers": [
        ("", "110个", "suo:organisation"),
        ("", "1229个", "suo:organisation"),
        ("", "14.8万人", "suo:person"),
        ("", "20个", "suo:organisation"),
        ("sur:couriers", "", ""),
        ("sur:delivery-riders", "", ""),
        ("sur:ride-hailing-drivers", "", ""),
        ("sur:truck-drivers", "", ""),
    ],
    "organisations-working-together": [
        ("sur:rural-revitalisation-consumption-support-cloud-platform", "sur:shaanxi-ftu", "sur:shaanxi-sasac"),
        ("sur:union-consumption-support-procurement-platform", "sur:shaanxi-ftu", "sur:shaanxi-sasac"),
        ("sur:weinan-union-members-tour-campaign", "sur:weinan-culture-tourism-bureau", "sur:weinan-ftu"),
        ("sur:weinan-union-members-tour-notice", "sur:weinan-culture-tourism-bureau", "sur:weinan-ftu"),
    ],
    "people-and-roles": [
        ("sur:gao-gechen", "高阁晨", "editor"),
        ("sur:li-tingwei", "李廷伟", "correspondent"),
        ("sur:li-zhigang", "李志刚", "county party secretary"),
        ("sur:yan-ruixian", "阎瑞先", "correspondent"),
    ],
    "places-and-links": [
        ("sur:china", "", "wd:Q148", "https://sws.geonames.org/1814991/"),
        ("sur:shaanxi", "610000", "wd:Q47974", "https://sws.geonames.org/1796480/"),
        ("sur:xian", "610100", "wd:Q5826", "https://sws.geonames.org/1790384/"),
        ("sur:tongchuan", "610200", "wd:Q514608", "https://sws.geonames.org/1792691/"),
        ("sur:baoji", "610300", "wd:Q514796", "https://sws.geonames.org/1816935/"),
        ("sur:xianyang", "610400", "wd:Q497341", "https://sws.geonames.org/1790352/"),
        ("sur:weinan", "610500", "wd:Q126995", "https://sws.geonames.org/1791635/"),
        ("sur:yanan", "610600", "wd:Q515388", "https://sws.geonames.org/1787763/"),
        ("sur:hanzhong", "610700", "wd:Q515573", "https://sws.geonames.org/1808856/"),
        ("sur:foping", "610730", "", ""),
        ("sur:yulin", "610800", "wd:Q515712", "https://sws.geonames.org/1785769/"),
        ("sur:ankang", "610900", "wd:Q515846", "https://sws.geonames.org/1818037/"),
        ("sur:shangluo", "611000", "wd:Q515983", "https://sws.geonames.org/1796165/"),
    ],
    "platform-history": [
        (
            "sur:rural-revitalisation-consumption-support-cloud-platform",
            "陕西乡村振兴消费帮扶云平台",
            "陕西工会消费帮扶采购平台",
            "sur:shaanxi-ftu",
            "2.26亿元",
        ),
        (
            "sur:rural-revitalisation-consumption-support-cloud-platform",
            "陕西乡村振兴消费帮扶云平台",
            "陕西工会消费帮扶采购平台",
            "sur:shaanxi-ftu",
            "3500万元",
        ),
        (
            "sur:rural-revitalisation-consumption-support-cloud-platform",
            "陕西乡村振兴消费帮扶云平台",
            "陕西工会消费帮扶采购平台",
            "sur:shaanxi-ftu",
            "近10亿元",
        ),
        (
            "sur:rural-revitalisation-consumption-support-cloud-platform",
            "陕西乡村振兴消费帮扶云平台",
            "陕西工会消费帮扶采购平台",
            "sur:shaanxi-sasac",
            "2.26亿元",
        ),
        (
            "sur:rural-revitalisation-consumption-support-cloud-platform",
            "陕西乡村振兴消费帮扶云平台",
            "陕西工会消费帮扶采购平台",
            "sur:shaanxi-sasac",
            "3500万元",
        ),
        (
            "sur:rural-revitalisation-consumption-support-cloud-platform",
            "陕西乡村振兴消费帮扶云平台",
            "陕西工会消费帮扶采购平台",
            "sur:shaanxi-sasac",
            "近10亿元",
        ),
    ],
    "policy-documents": [
        (
            "sur:ankang-worker-achievement-opinions",
            "《关于深化职工建功立业活动助推高质量项目建设的实施意见》",
            "sur:ankang-ftu",
        ),
        ("sur:small-micro-enterprise-fund-notice", "《关于实施小微企业工会经费支持政策的通知》", "sur:acftu"),
        (
            "sur:weinan-union-members-tour-notice",
            "《关于开展工会会员畅游美丽渭南活动的通知》",
            "sur:weinan-culture-tourism-bureau",
        ),
        ("sur:weinan-union-members-tour-notice", "《关于开展工会会员畅游美丽渭南活动的通知》", "sur:weinan-ftu"),
    ],
    "shangluo-epidemic-relief-total": [
        ("7000000", "2", "1"),
    ],
    "yulin-federation": [
        ("", "sur:figure-yulin-enterprises", "215家"),
        ("", "sur:figure-yulin-jobs", "986个"),
        ("sur:yulin-combination-measures", "", ""),
        ("sur:yulin-livestream-jobs-fair", "", ""),
    ],
}


@pytest.fixture(scope="module")
def store(project: Project):
    return data_store(project)


@pytest.fixture(scope="module")
def rdflib_graph(project: Project):
    files = project.ttl_files(project.ontology_dir) + project.ttl_files(project.data_dir)
    return load_graph(files)


def test_there_are_at_least_fifteen_questions(project: Project) -> None:
    assert len(query_files(project)) >= 15


def test_every_question_has_an_answer_and_every_answer_a_question(project: Project) -> None:
    assert {path.stem for path in query_files(project)} == set(EXPECTED)


def test_every_question_has_a_title_and_a_description_in_both_languages(project: Project) -> None:
    for example in load_examples(project.queries_dir):
        assert example.titles.get("en") and example.titles.get("zh"), example.name
        assert example.descriptions.get("en") and example.descriptions.get("zh"), example.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_question_gives_its_pinned_answer(name: str, project: Project, store) -> None:
    query = (project.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    assert run_oxigraph(store, query, project_prefixes(project)) == EXPECTED[name]


def _compact_rdflib(term, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_term(str(term), None, True, prefixes)
    if isinstance(term, Literal):
        return compact_term(str(term), str(term.datatype) if term.datatype else None, False, prefixes)
    return str(term)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rdflib_gives_the_same_answer(name: str, project: Project, rdflib_graph) -> None:
    query = (project.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    prefixes = project_prefixes(project)
    rows = [tuple(_compact_rdflib(row[v], prefixes) for v in row.labels) for row in rdflib_graph.query(query)]
    assert sorted(rows) == sorted(EXPECTED[name])


def test_shangluo_epidemic_total_is_the_sum_of_its_stated_figures() -> None:
    """20万元 raised at short notice plus 680余万元 mobilised (more than), as the first sentence says."""
    assert Decimal(EXPECTED["shangluo-epidemic-relief-total"][0][0]) == Decimal(200000) + Decimal(6800000)
