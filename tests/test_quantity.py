"""The Chinese quantity parser: every figure of the article, the edge cases of Chinese numbers, and bad input."""

from __future__ import annotations

import dataclasses
import random
import re
from decimal import Decimal

import pytest
from rdflib import Graph, URIRef

from publisher.project import Project
from publisher.quantity import Quantity, QuantityError, parse_quantity

# Every figure of the article, in the order it appears: wording, value in base units, measure word, qualifier.
# 十条 counts the measures of 十条工作措施; 160元 is the price of one 畅游渭南 ticket, worded with or without 每张.
ARTICLE_FIGURES = [
    ("20万元", "200000", "元", "exact"),
    ("680余万元", "6800000", "元", "more_than"),
    ("10万余个", "100000", "个", "more_than"),
    ("十条", "10", "条", "exact"),
    ("12个", "12", "个", "exact"),
    ("3223家", "3223", "家", "exact"),
    ("4437人", "4437", "人", "exact"),
    ("103家", "103", "家", "exact"),
    ("3845个", "3845", "个", "exact"),
    ("215家", "215", "家", "exact"),
    ("986个", "986", "个", "exact"),
    ("612场(次)", "612", "场(次)", "exact"),
    ("50.2万个", "502000", "个", "exact"),
    ("10.5万人", "105000", "人", "exact"),
    ("9500余万元", "95000000", "元", "more_than"),
    ("4400万元", "44000000", "元", "exact"),
    ("8500余户", "8500", "户", "more_than"),
    ("200余万元", "2000000", "元", "more_than"),
    ("400余万元", "4000000", "元", "more_than"),
    ("近2亿元", "200000000", "元", "nearly"),
    ("2.15亿元", "215000000", "元", "exact"),
    ("超过2万家", "20000", "家", "more_than"),
    ("120余万人次", "1200000", "人次", "more_than"),
    ("2万余件", "20000", "件", "more_than"),
    ("970余万元", "9700000", "元", "more_than"),
    ("2808人", "2808", "人", "exact"),
    ("2276万元", "22760000", "元", "exact"),
    ("2132万元", "21320000", "元", "exact"),
    ("1180万元", "11800000", "元", "exact"),
    ("68次", "68", "次", "exact"),
    ("6420人次", "6420", "人次", "exact"),
    ("4000名", "4000", "名", "exact"),
    ("400万元", "4000000", "元", "exact"),
    ("1229个", "1229", "个", "exact"),
    ("20个", "20", "个", "exact"),
    ("110个", "110", "个", "exact"),
    ("14.8万人", "148000", "人", "exact"),
    ("2000万元", "20000000", "元", "exact"),
    ("14个", "14", "个", "exact"),
    ("748家", "748", "家", "exact"),
    ("100家", "100", "家", "exact"),
    ("6000余场", "6000", "场", "more_than"),
    ("每张160元", "160", "元", "exact"),
    ("160元", "160", "元", "exact"),
    ("176.6万元", "1766000", "元", "exact"),
    ("10个", "10", "个", "exact"),
    ("100个", "100", "个", "exact"),
    ("1000个", "1000", "个", "exact"),
    ("1万户", "10000", "户", "exact"),
    ("500万人次", "5000000", "人次", "exact"),
    ("147个", "147", "个", "exact"),
    ("80%", "80", "%", "exact"),
    ("近10万名", "100000", "名", "nearly"),
    ("56个", "56", "个", "exact"),
    ("280家", "280", "家", "exact"),
    ("千余种", "1000", "种", "more_than"),
    ("3500万元", "35000000", "元", "exact"),
    ("5390家", "5390", "家", "exact"),
    ("2.26亿元", "226000000", "元", "exact"),
    ("近10亿元", "1000000000", "元", "nearly"),
]

# Numbers in the article that are dates or years, not figures: the digits directly before 年, 月 or 日, and the
# publisher line's date.
DATE_NUMBER = re.compile(r"\d+(?=[年月日])|\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(("wording", "value", "measure_word", "qualifier"), ARTICLE_FIGURES)
def test_every_figure_of_the_article_parses(wording: str, value: str, measure_word: str, qualifier: str) -> None:
    quantity = parse_quantity(wording)
    assert (quantity.value, quantity.measure_word, quantity.qualifier) == (Decimal(value), measure_word, qualifier)
    assert quantity.wording == wording


def test_article_figures_are_quoted_verbatim_from_the_source(project: Project) -> None:
    text = project.source.read_text(encoding="utf-8")
    assert [wording for wording, *_ in ARTICLE_FIGURES if wording not in text] == []


def test_every_number_in_the_article_is_a_listed_figure_or_a_date(project: Project) -> None:
    text = project.source.read_text(encoding="utf-8")
    covered: set[int] = set()
    for wording, *_ in ARTICLE_FIGURES:
        for match in re.finditer(re.escape(wording), text):
            covered.update(range(match.start(), match.end()))
    for match in DATE_NUMBER.finditer(text):
        covered.update(range(match.start(), match.end()))
    missed = [match.group() for match in re.finditer(r"\d+|千余", text) if match.start() not in covered]
    assert missed == []


def test_every_measure_word_of_the_article_is_taken_by_a_unit_of_the_ontology(project: Project) -> None:
    ontology = Graph()
    for path in project.ttl_files(project.ontology_dir):
        ontology.parse(path, format="turtle")
    if not ontology:
        pytest.skip("ontology/ holds no Turtle files yet")
    taken = {str(word) for word in ontology.objects(None, URIRef(project.figures.measure_word))}
    used = {parse_quantity(wording).measure_word for wording, *_ in ARTICLE_FIGURES}
    assert sorted(used - taken) == []


def test_values_are_exact_decimals_without_float_rounding() -> None:
    value = parse_quantity("2.15亿元").value
    assert isinstance(value, Decimal)
    assert str(value) == "215000000"
    assert str(parse_quantity("0.1万").value) == "1000"
    assert str(parse_quantity("1.25万").value) == "12500"


def test_a_fractional_value_keeps_its_fraction() -> None:
    assert parse_quantity("2.5个").value == Decimal("2.5")


def test_quantity_is_frozen() -> None:
    quantity = parse_quantity("100个")
    with pytest.raises(dataclasses.FrozenInstanceError):
        quantity.value = Decimal(1)  # type: ignore[misc]


def test_a_rate_keeps_its_classifier() -> None:
    assert parse_quantity("每张160元") == Quantity(Decimal(160), "元", "exact", "每张160元", per="张")
    assert parse_quantity("160元").per == ""


@pytest.mark.parametrize(
    ("wording", "value", "measure_word"),
    [
        ("６８０余万元", "6800000", "元"),
        ("８０％", "80", "%"),
        ("612场（次）", "612", "场(次)"),
        ("５０．２万个", "502000", "个"),
        (" 100个 ", "100", "个"),
    ],
)
def test_full_width_digits_and_signs_read_as_ascii(wording: str, value: str, measure_word: str) -> None:
    quantity = parse_quantity(wording)
    assert (quantity.value, quantity.measure_word) == (Decimal(value), measure_word)
    assert quantity.wording == wording


@pytest.mark.parametrize(
    ("wording", "value"),
    [
        ("三千二百二十三", "3223"),
        ("两万", "20000"),
        ("一万二千", "12000"),
        ("十", "10"),
        ("十五", "15"),
        ("二十", "20"),
        ("一百零五", "105"),
        ("一千零五十", "1050"),
        ("一千零十五", "1015"),
        ("1亿零5万", "100050000"),
        ("一百一十", "110"),
        ("十万", "100000"),
        ("二十万", "200000"),
        ("3千", "3000"),
        ("1.5万", "15000"),
        ("1亿2千万", "120000000"),
        ("一亿二千万", "120000000"),
        ("3千万", "30000000"),
        ("2万亿", "2000000000000"),
        ("1万2千", "12000"),
        ("一万二", "12000"),
        ("三百五", "350"),
        ("两亿五", "250000000"),
        ("〇", "0"),
        ("壹仟贰佰", "1200"),
        ("1,234", "1234"),
    ],
)
def test_chinese_numerals_and_mixed_numbers(wording: str, value: str) -> None:
    assert parse_quantity(wording).value == Decimal(value)


def chinese_numeral(number: int) -> str:
    """``number`` (below 10**12) in standard Chinese numerals (一万零五十, 三亿零二十万), written without the parser."""
    digits = "零一二三四五六七八九"

    def below_ten_thousand(part: int) -> str:
        text, zero = "", False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = part // place % 10
            if digit == 0:
                zero = bool(text)
                continue
            text += ("零" if zero else "") + digits[digit] + name
            zero = False
        return text

    if number == 0:
        return "零"
    text, gap = "", False
    for group, name in ((number // 10**8, "亿"), (number // 10**4 % 10**4, "万"), (number % 10**4, "")):
        if group:
            text += ("零" if text and (gap or group < 1000) else "") + below_ten_thousand(group) + name
            gap = False
        else:
            gap = bool(text)
    return text


def test_chinese_numerals_read_back_to_the_number_they_write() -> None:
    rng = random.Random(20220927)
    numbers = [*range(0, 20001, 7), *(rng.randrange(10**12) for _ in range(2000))]
    wrong = [(n, chinese_numeral(n)) for n in numbers if parse_quantity(chinese_numeral(n)).value != n]
    assert wrong == []


def test_arabic_numbers_with_magnitudes_scale_exactly() -> None:
    rng = random.Random(927)
    cases = [(Decimal(rng.randrange(1, 10**6)) / 100, rng.choice("千万亿")) for _ in range(2000)]
    scale = {"千": 1000, "万": 10_000, "亿": 100_000_000}
    wrong = [(n, m) for n, m in cases if parse_quantity(f"{n}{m}元").value != n * scale[m]]
    assert wrong == []


@pytest.mark.parametrize(
    ("wording", "value", "measure_word", "qualifier"),
    [
        ("两千余", "2000", "", "more_than"),
        ("十多个", "10", "个", "more_than"),
        ("100多家", "100", "家", "more_than"),
        ("十多万元", "100000", "元", "more_than"),
        ("2千余万元", "20000000", "元", "more_than"),
        ("万余人", "10000", "人", "more_than"),
        ("超过2万家", "20000", "家", "more_than"),
        ("超2万家", "20000", "家", "more_than"),
        ("逾百人", "100", "人", "more_than"),
        ("近千家", "1000", "家", "nearly"),
        ("将近5万人", "50000", "人", "nearly"),
        ("约5万元", "50000", "元", "about"),
        ("大约3千人", "3000", "人", "about"),
        ("5万人左右", "50000", "人", "about"),
        ("100万元以上", "1000000", "元", "at_least"),
        ("80%以上", "80", "%", "at_least"),
        ("百分之八十", "80", "%", "exact"),
        ("近百分之八十", "80", "%", "nearly"),
    ],
)
def test_qualifiers_and_their_placement(wording: str, value: str, measure_word: str, qualifier: str) -> None:
    quantity = parse_quantity(wording)
    assert (quantity.value, quantity.measure_word, quantity.qualifier) == (Decimal(value), measure_word, qualifier)


@pytest.mark.parametrize(
    ("wording", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "no number"),
        ("个", "no number"),
        ("万元", "'万' is a unit of counting, not a number"),
        ("千元", "'千' is a unit of counting, not a number"),
        ("1..2万", "'1..2' is not a well-formed number"),
        ("1.2.3个", "'1.2.3' is not a well-formed number"),
        ("1,23个", "'1,23' is not a well-formed number"),
        ("-5个", "negative"),
        ("负5个", "negative"),
        ("1个2个", "more than one number"),
        ("1-2万人", "more than one number"),
        ("一二", "two numbers side by side"),
        ("100abc", "'abc' after the number is not a measure word"),
        ("达3500万元", "'达' before the number is not a qualifier (known: 超过, 将近"),
        ("一百十", "a magnitude in '一百十' has no digit before it"),
        ("一零", "零 cannot follow a digit"),
        ("二点五万", "a decimal written with 点 is not read"),
        ("近2万余人", "more than one qualifier ('近' and '余')"),
        ("超过100多家", "more than one qualifier"),
        ("1余2万", "'余' must follow the number"),
        ("100家多", "'多' must come right after the number"),
        ("万万", "unit of counting"),
        ("一万万", "万 appears twice"),
        ("1亿2亿", "亿 appears twice"),
        ("十百", "'百' is out of order"),
        ("一千千", "'千' is out of order"),
        ("1万2", "ambiguous"),
        ("每160元", "每 needs a classifier"),
        ("百分之八十个", "follows a 百分之 percentage"),
        ("10 万元", "not a measure word"),
    ],
)
def test_bad_input_is_refused_naming_the_text(wording: str, reason: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(wording)
    message = str(caught.value)
    assert message.startswith(f"Cannot read the quantity {wording!r}: ")
    assert reason in message


def test_quantity_error_is_a_value_error_that_keeps_text_and_reason() -> None:
    with pytest.raises(ValueError) as caught:
        parse_quantity("abc")
    assert isinstance(caught.value, QuantityError)
    assert (caught.value.text, caught.value.reason) == ("abc", "it has no number")
