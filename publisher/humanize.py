"""Figures as people read them: "more than 6.8 million yuan", "680余万元", "nearly 200 million yuan", "近2亿元".

A figure is a value in base units, a qualifier (``exact``, ``more_than``, ``nearly``, ``about`` or ``at_least``:
the keys of the ``[figures.qualifiers]`` table of ``dataset.toml``) and the label of its unit in the page's language.
Chinese groups by 万 and 亿 and puts 余 where the article would; English groups by thousand, million and
billion. A value that a short form would round is written out in full, so an exact figure stays exact.
Dates read as ``2022年9月27日`` or ``27 September 2022``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

QUALIFIERS = ("exact", "more_than", "nearly", "about", "at_least")
_ZH_MAGNITUDES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_MAGNITUDES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
_EN_QUALIFIER = {
    "more_than": "more than ",
    "nearly": "nearly ",
    "about": "about ",
    "at_least": "at least ",
    "exact": "",
}
_MAX_SHORT_DECIMALS = 2


def parse_decimal(text: str) -> Decimal | None:
    """The number in ``text``, or ``None`` when it is not one."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def plain_number(value: Decimal) -> str:
    """``value`` without exponent or trailing zeros: ``6.8``, ``680``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _short(value: Decimal, magnitude: Decimal) -> str | None:
    """``value / magnitude`` when it needs at most two decimals, else ``None``."""
    scaled = value / magnitude
    exponent = scaled.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _MAX_SHORT_DECIMALS:
        return None
    return plain_number(scaled)


def number_zh(value: Decimal) -> tuple[str, str]:
    """The number and the magnitude character (``("680", "万")``); magnitude empty under 10,000."""
    for magnitude, name in _ZH_MAGNITUDES:
        if abs(value) >= magnitude and (short := _short(value, magnitude)) is not None:
            return short, name
    return plain_number(value), ""


def number_en(value: Decimal) -> str:
    """``6.8 million``, ``1.25 billion``, ``502,000``."""
    for magnitude, name in _EN_MAGNITUDES:
        if abs(value) >= magnitude and (short := _short(value, magnitude)) is not None:
            return f"{short} {name}"
    whole = plain_number(value)
    integer, dot, fraction = whole.partition(".")
    return f"{int(integer):,}{dot}{fraction}"


def humanize_figure(
    value: Decimal | str,
    qualifier: str,
    unit_label: str,
    language: str,
    qualifier_label: str = "",
    countable: bool = True,
) -> str:
    """The figure in words of ``language`` (``zh`` or anything else for English); see the module docstring.

    ``qualifier`` is one of :data:`QUALIFIERS`; any other is written as ``qualifier_label`` before the number
    (nothing, when there is no label), so a qualifier the publisher does not know is still shown. In English a
    ``countable`` unit label (``person``, ``job``) is made plural unless the figure is exactly one; a currency
    (``yuan``) is not countable.
    """
    number = value if isinstance(value, Decimal) else parse_decimal(value)
    if number is None:
        return f"{value} {unit_label}".strip()
    known = qualifier in QUALIFIERS
    prefix = "" if known or not qualifier_label else qualifier_label
    if language == "zh":
        digits, magnitude = number_zh(number)
        before = {"nearly": "近", "about": "约"}.get(qualifier, prefix)
        after = "以上" if qualifier == "at_least" else ""
        if qualifier == "more_than":
            # 680余万元 and 120余万人次, but 2万余件: 余 follows a single digit's magnitude.
            if magnitude and (len(digits) > 1 and digits.isdigit()):
                return f"{before}{digits}余{magnitude}{unit_label}{after}"
            return f"{before}{digits}{magnitude}余{unit_label}{after}"
        return f"{before}{digits}{magnitude}{unit_label}{after}"
    words = number_en(number)
    if countable and unit_label not in {"", "%"} and not (number == 1 and qualifier == "exact"):
        unit_label = plural_en(unit_label)
    unit = unit_label if unit_label in {"", "%"} else f" {unit_label}"
    before = _EN_QUALIFIER[qualifier] if known else (f"{prefix} " if prefix else "")
    return f"{before}{words}{unit}"


_IRREGULAR_PLURALS = {"person": "people", "child": "children", "man": "men", "woman": "women"}


def plural_en(noun: str) -> str:
    """The English plural of a unit's label: ``job`` -> ``jobs``, ``person`` -> ``people``, ``kind of product`` ->
    ``kinds of product``, ``person-time`` -> ``person-times``; a label already plural is kept."""
    head, sep, tail = noun.partition(" of ")
    if sep:
        return f"{plural_en(head)}{sep}{tail}"
    words = noun.split(" ")
    last = words[-1]
    lower = last.lower()
    if lower in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[lower]
    elif lower in _IRREGULAR_PLURALS.values() or (lower.endswith("s") and not lower.endswith("ss")):
        plural = last
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif lower.endswith("y") and lower[-2:-1] not in set("aeiou"):
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return " ".join([*words[:-1], plural])


_MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June")
_MONTHS += ("July", "August", "September", "October", "November", "December")


def humanize_date(text: str, language: str) -> str:
    """An ISO date (``2022-09-27``) as people write it; anything else unchanged."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return text
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
