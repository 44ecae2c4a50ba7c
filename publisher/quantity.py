"""Read a quantity written in Chinese (``680余万元``, ``近2亿元``, ``612场(次)``): its value, measure word, qualifier.

:func:`parse_quantity` returns a :class:`Quantity` whose value is an exact :class:`~decimal.Decimal` in base units
(``2.15亿元`` → 215000000, never a float), or raises :class:`QuantityError` naming the text and what is wrong.

What it reads, after NFKC normalisation (so full-width ``６８０``, ``％``, ``（）`` read as ASCII):

- the number: Arabic digits with an optional decimal part and ``,`` thousands groups; Chinese numerals
  (一 … 九, 两, 零/〇, and the financial 壹 … 玖); the magnitudes 十 百 千 万 亿, after either kind of
  digit and in combination (``1亿2千万``, ``3千``, ``1.5万``, ``三千二百二十三``, ``一百零五``,
  ``一千零十五``). A trailing Chinese digit right after a magnitude is the usual abbreviation
  (``一万二`` → 12000, ``三百五`` → 350); an Arabic number there is refused as ambiguous (write
  ``1万2千``). A number needs a digit, except a leading 十 (``十五``, ``十万``) or a bare magnitude
  with a qualifier (``千余种``, ``万余人``, ``逾百人``): ``万元`` or ``千元`` alone is a unit, not a
  figure. The value keeps no spurious decimals: ``2.15亿`` is ``Decimal("215000000")``, ``1.5``
  stays ``Decimal("1.5")``.
- the qualifier, at most one marker:
  ``exact`` when there is none; ``more_than`` for 余 or 多 after the number or its magnitude (``680余万``,
  ``10万余``, ``十多``) and for the prefixes 超过, 超, 逾; ``nearly`` for 近, 将近, 接近; ``about`` for 约, 大约 and
  the suffix 左右; ``at_least`` for the suffix 以上, which in Chinese usage includes the number itself (so it is
  not ``more_than``). The project maps these names to its qualifier IRIs (``[figures.qualifiers]``).
- the measure word: whatever follows the number, up to four Chinese characters with an optional parenthesised part
  (``个``, ``人次``, ``场(次)``), or ``%`` (``80%`` → 80, ``百分之八十`` → 80 ``%``); ``""`` when there is none.
- a rate: a leading 每 with its classifier (``每张160元``) is allowed; the value is the amount per one, and the
  classifier is kept in :attr:`Quantity.per` (``"张"``), so the rate is not mistaken for a total.

Refused, each with its own message: empty text, no number, words before the number that are not a
qualifier (``达3500万元``: the wording is the quantity alone), a decimal written with 点 (``二点五万``),
a negative number, two numbers (``1个2个``, ``1-2万``), a malformed number (``1..2万``), two qualifiers
(``近2万余``), 余 or 多 in the wrong place, anything else after the number that is not a measure word
(``100abc``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Qualifier = Literal["exact", "more_than", "nearly", "about", "at_least"]

CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
SMALL_MAGNITUDES: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
WAN, YI = "万", "亿"
MORE_THAN_MARKERS = ("余", "多")
PREFIXES: tuple[tuple[str, Qualifier], ...] = (
    ("超过", "more_than"),
    ("将近", "nearly"),
    ("接近", "nearly"),
    ("大约", "about"),
    ("超", "more_than"),
    ("逾", "more_than"),
    ("近", "nearly"),
    ("约", "about"),
)
SUFFIXES: tuple[tuple[str, Qualifier], ...] = (("以上", "at_least"), ("左右", "about"))
PERCENT_PREFIX = "百分之"
NO_UNIT = 10_000  # no small magnitude yet in this section

_NUMBER_CHARS = set("0123456789.,") | set(CHINESE_DIGITS) | set(SMALL_MAGNITUDES) | {WAN, YI}
_ARABIC_RUN = re.compile(r"[0-9.,]+")
_ARABIC_NUMBER = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")
_MEASURE_WORD = re.compile(r"%|[\u4e00-\u9fff]{1,4}(?:\([\u4e00-\u9fff]{1,3}\))?")
_QUALIFIER_CHARS = set("余多近超逾约")


class QuantityError(ValueError):
    """A text that is not a single quantity; the message names the text and what is wrong."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"Cannot read the quantity {text!r}: {reason}.")
        self.text = text
        self.reason = reason


@dataclass(frozen=True)
class Quantity:
    """One stated quantity: its value in base units, what it counts, how exact it is, and the text it came from."""

    value: Decimal
    measure_word: str
    qualifier: Qualifier
    wording: str
    per: str = ""


def parse_quantity(text: str) -> Quantity:
    """Read ``text`` (``680余万元``) into a :class:`Quantity` (6800000, ``元``, ``more_than``).

    Raises :class:`QuantityError` naming the text and what is wrong when it is not exactly one quantity.
    """
    rest = unicodedata.normalize("NFKC", text).strip()
    if not rest:
        raise QuantityError(text, "the text is empty")
    if rest[0] in "-−" or rest.startswith("负"):
        raise QuantityError(text, "a figure cannot be negative")
    markers: list[tuple[str, Qualifier]] = []
    per = ""
    if rest.startswith("每"):
        per, rest = _split_rate(text, rest)
    rest = _strip_affixes(rest, markers)
    percent = rest.startswith(PERCENT_PREFIX)
    if percent:
        rest = rest[len(PERCENT_PREFIX) :]
    span = _number_span(rest)
    if not span:
        raise QuantityError(text, _why_no_number(rest))
    value = _read_number(text, span, markers)
    measure_word = rest[len(span) :]
    if percent:
        if measure_word:
            raise QuantityError(text, f"{measure_word!r} follows a 百分之 percentage")
        measure_word = "%"
    _check_measure_word(text, measure_word)
    if len(markers) > 1:
        found = " and ".join(repr(marker) for marker, _ in markers)
        raise QuantityError(text, f"it has more than one qualifier ({found})")
    qualifier: Qualifier = markers[0][1] if markers else "exact"
    return Quantity(value=value, measure_word=measure_word, qualifier=qualifier, wording=text, per=per)


def _split_rate(text: str, rest: str) -> tuple[str, str]:
    """Split ``每张160元`` into the classifier ``张`` and ``160元``."""
    start = next((i for i, char in enumerate(rest) if char in _NUMBER_CHARS and char not in ",."), len(rest))
    classifier = rest[1:start]
    if start == len(rest):
        raise QuantityError(text, "it has no number")
    if not classifier:
        raise QuantityError(text, "每 needs a classifier before the number, as in 每张160元")
    if len(classifier) > 2 or not all("\u4e00" <= char <= "\u9fff" for char in classifier):
        raise QuantityError(text, f"{classifier!r} after 每 is not a classifier")
    return classifier, rest[start:]


def _strip_affixes(rest: str, markers: list[tuple[str, Qualifier]]) -> str:
    """Remove one qualifying prefix (近, 超过, ...) and one suffix (以上, 左右), recording each in ``markers``."""
    for prefix, qualifier in PREFIXES:
        if rest.startswith(prefix):
            markers.append((prefix, qualifier))
            rest = rest[len(prefix) :]
            break
    for suffix, qualifier in SUFFIXES:
        if rest.endswith(suffix):
            markers.append((suffix, qualifier))
            rest = rest[: -len(suffix)]
            break
    return rest


def _why_no_number(rest: str) -> str:
    """Say why no number opens ``rest``: there is none, or unknown words stand before it."""
    first = next((i for i, char in enumerate(rest) if char.isdigit() or char in CHINESE_DIGITS), None)
    if first is None:
        return "it has no number"
    known = ", ".join(prefix for prefix, _ in PREFIXES)
    return f"{rest[:first]!r} before the number is not a qualifier (known: {known})"


def _number_span(rest: str) -> str:
    """The leading characters of ``rest`` that belong to the number, 余/多 included."""
    end = 0
    while end < len(rest) and (rest[end] in _NUMBER_CHARS or (end > 0 and rest[end] in MORE_THAN_MARKERS)):
        end += 1
    return rest[:end]


def _tokens(text: str, span: str) -> list[str | Decimal]:
    """Split a number span into Decimal digits (Arabic runs and Chinese digits) and one-character words."""
    tokens: list[str | Decimal] = []
    position = 0
    while position < len(span):
        run = _ARABIC_RUN.match(span, position)
        if run:
            if not _ARABIC_NUMBER.fullmatch(run.group()):
                raise QuantityError(text, f"{run.group()!r} is not a well-formed number")
            tokens.append(Decimal(run.group().replace(",", "")))
            position = run.end()
            continue
        char = span[position]
        tokens.append(Decimal(CHINESE_DIGITS[char]) if char in CHINESE_DIGITS and char not in "零〇" else char)
        position += 1
    return tokens


def _read_number(text: str, span: str, markers: list[tuple[str, Qualifier]]) -> Decimal:
    """The value of a number span such as ``680余万``, ``1亿2千万`` or ``三千二百二十三``; 余/多 go into ``markers``."""
    tokens = _tokens(text, span)
    words = [token for token in tokens if isinstance(token, str)]
    has_digit = len(words) < len(tokens) or "零" in words or "〇" in words
    qualified = bool(markers) or any(word in MORE_THAN_MARKERS for word in words)
    if not has_digit and not (tokens[0] in ("十", "拾") or qualified):
        raise QuantityError(text, f"{span!r} is a unit of counting, not a number")
    total = wan_part = section = Decimal(0)  # the 亿 group, the 万 group, what lies below 万
    pending: Decimal | None = None  # a digit not yet multiplied by its magnitude
    last_unit = NO_UNIT  # the last small magnitude of this section, to keep 千 > 百 > 十 in order
    seen_wan = seen_yi = after_zero = False
    for index, token in enumerate(tokens):
        if isinstance(token, Decimal):
            if pending is not None:
                raise QuantityError(text, f"it holds two numbers side by side in {span!r}")
            pending = token
        elif token in MORE_THAN_MARKERS:
            markers.append((token, "more_than"))
            if any(isinstance(later, Decimal) or later in MORE_THAN_MARKERS for later in tokens[index + 1 :]):
                raise QuantityError(text, f"{token!r} must follow the number or its 万/亿, not stand inside {span!r}")
        elif token in ("零", "〇"):
            if pending is not None:
                raise QuantityError(text, f"零 cannot follow a digit in {span!r}")
            after_zero = True
        elif token in SMALL_MAGNITUDES:
            unit = SMALL_MAGNITUDES[token]
            if unit >= last_unit:
                raise QuantityError(text, f"{token!r} is out of order in {span!r}")
            bare_ten_after_zero = token in ("十", "拾") and after_zero and pending is None
            section += (Decimal(1) if bare_ten_after_zero else _multiplier(text, span, index, pending)) * unit
            pending, last_unit, after_zero = None, unit, False
        elif token == WAN:
            if seen_wan:
                raise QuantityError(text, f"万 appears twice in {span!r}")
            empty = pending is None and last_unit == NO_UNIT
            wan_part = (_multiplier(text, span, index, None) if empty else section + (pending or 0)) * 10_000
            section, pending, last_unit, seen_wan, after_zero = Decimal(0), None, NO_UNIT, True, False
        else:
            if seen_yi:
                raise QuantityError(text, f"亿 appears twice in {span!r}")
            empty = pending is None and last_unit == NO_UNIT and not seen_wan
            group = _multiplier(text, span, index, None) if empty else wan_part + section + (pending or 0)
            total = group * 100_000_000
            wan_part = section = Decimal(0)
            pending, last_unit, seen_wan, seen_yi, after_zero = None, NO_UNIT, False, True, False
    if pending is not None and not after_zero and len(tokens) > 1:
        pending = _abbreviated(text, span, tokens[-2], pending)
    value = total + wan_part + section + (pending or 0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _multiplier(text: str, span: str, index: int, pending: Decimal | None) -> Decimal:
    """The digit before a magnitude, or the implicit 1 of a magnitude that opens the number (十五, 十万, 千余)."""
    if pending is not None:
        return pending
    if index == 0:
        return Decimal(1)
    raise QuantityError(text, f"a magnitude in {span!r} has no digit before it")


def _abbreviated(text: str, span: str, previous: str | Decimal, digit: Decimal) -> Decimal:
    """A last digit right after 百/千/万/亿 abbreviates the next lower place: 一万二 = 12000, 三百五 = 350."""
    if not isinstance(previous, str) or previous in ("十", "拾"):
        return digit
    if span[-1] not in CHINESE_DIGITS:
        raise QuantityError(text, f"the number after {previous!r} in {span!r} is ambiguous; end it with its magnitude")
    magnitude = SMALL_MAGNITUDES.get(previous) or (10_000 if previous == WAN else 100_000_000)
    return digit * magnitude / 10


def _check_measure_word(text: str, measure_word: str) -> None:
    """Refuse what follows the number unless it is a measure word; a digit there means a second number."""
    if not measure_word:
        return
    if measure_word.startswith("点"):
        raise QuantityError(text, "a decimal written with 点 is not read; write it with Arabic digits (2.5万)")
    if any(char.isdigit() or char in CHINESE_DIGITS for char in measure_word):
        raise QuantityError(text, f"it holds more than one number ({measure_word!r} follows the first)")
    stray = sorted(set(measure_word) & _QUALIFIER_CHARS)
    if stray:
        raise QuantityError(text, f"{stray[0]!r} must come right after the number, not in {measure_word!r}")
    if not _MEASURE_WORD.fullmatch(measure_word):
        raise QuantityError(text, f"{measure_word!r} after the number is not a measure word")
