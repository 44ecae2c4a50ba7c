"""Figures as people read them, in Chinese (万, 亿, 余, 近) and English (million, more than, nearly)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from publisher.humanize import humanize_date, humanize_figure, number_en, number_zh, plural_en


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "expected"),
    [
        ("6800000", "more_than", "元", "680余万元"),
        ("1200000", "more_than", "人次", "120余万人次"),
        ("20000", "more_than", "件", "2万余件"),
        ("12000", "more_than", "人", "1.2万余人"),
        ("200000000", "nearly", "元", "近2亿元"),
        ("502000", "exact", "元", "50.2万元"),
        ("2000", "nearly", "人", "近2000人"),
        ("3000", "more_than", "人次", "3000余人次"),
        ("1250000000", "exact", "元", "12.5亿元"),
        ("6834567", "exact", "元", "6834567元"),
    ],
)
def test_chinese_reads_like_the_article(value: str, qualifier: str, unit: str, expected: str) -> None:
    assert humanize_figure(value, qualifier, unit, "zh") == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "expected"),
    [
        ("6800000", "more_than", "yuan", "more than 6.8 million yuan"),
        ("200000000", "nearly", "yuan", "nearly 200 million yuan"),
        ("502000", "exact", "yuan", "502,000 yuan"),
        ("2000", "nearly", "people", "nearly 2,000 people"),
        ("1250000000", "exact", "yuan", "1.25 billion yuan"),
        ("6834567", "exact", "yuan", "6,834,567 yuan"),
        ("12.5", "exact", "%", "12.5%"),
    ],
)
def test_english_reads_as_people_write_money_and_counts(value: str, qualifier: str, unit: str, expected: str) -> None:
    assert humanize_figure(value, qualifier, unit, "en", countable=unit != "yuan") == expected


def test_a_value_that_would_round_is_written_in_full() -> None:
    assert number_en(Decimal("6834567")) == "6,834,567"
    assert number_zh(Decimal("6834567")) == ("6834567", "")


def test_unknown_qualifier_reads_as_exact() -> None:
    assert humanize_figure("5", "roughly", "people", "en") == "5 people"


def test_text_that_is_not_a_number_is_shown_as_it_is() -> None:
    assert humanize_figure("many", "exact", "people", "en") == "many people"


def test_decimal_values_keep_their_fraction() -> None:
    assert humanize_figure(Decimal("1234.50"), "exact", "yuan", "en", countable=False) == "1,234.5 yuan"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2022-09-27", "zh", "2022年9月27日"),
        ("2022-09-27", "en", "27 September 2022"),
        ("not a date", "en", "not a date"),
    ],
)
def test_dates_read_as_people_write_them(text: str, language: str, expected: str) -> None:
    assert humanize_date(text, language) == expected


@pytest.mark.parametrize(
    ("qualifier", "zh", "en"),
    [
        ("about", "约3万人", "about 30,000 people"),
        ("at_least", "3万人以上", "at least 30,000 people"),
    ],
)
def test_about_and_at_least_read_like_the_article(qualifier: str, zh: str, en: str) -> None:
    assert humanize_figure("30000", qualifier, "人", "zh") == zh
    assert humanize_figure("30000", qualifier, "people", "en") == en


def test_an_unknown_qualifier_is_shown_by_its_label() -> None:
    assert humanize_figure("30000", "roughly", "people", "en", qualifier_label="roughly") == "roughly 30,000 people"
    assert humanize_figure("30000", "roughly", "人", "zh", qualifier_label="大约") == "大约3万人"


@pytest.mark.parametrize(
    ("label", "plural"),
    [
        ("job", "jobs"),
        ("person", "people"),
        ("people", "people"),
        ("enterprise", "enterprises"),
        ("kind of product", "kinds of product"),
        ("person-time", "person-times"),
        ("competition project", "competition projects"),
        ("county", "counties"),
        ("events", "events"),
        ("trade", "trades"),
    ],
)
def test_unit_labels_are_made_plural(label: str, plural: str) -> None:
    assert plural_en(label) == plural


def test_a_count_of_exactly_one_stays_singular_and_money_is_never_plural() -> None:
    assert humanize_figure("1", "exact", "measure", "en") == "1 measure"
    assert humanize_figure("10", "exact", "measure", "en") == "10 measures"
    assert humanize_figure("10", "exact", "yuan", "en", countable=False) == "10 yuan"
