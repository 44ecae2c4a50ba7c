"""The interface language: ?lang= over the cookie over Accept-Language; strings in both languages."""

from __future__ import annotations

import pytest
from flask import Flask

from publisher.i18n import DEFAULT_LANGUAGE, LANGUAGES, STRINGS, choose_language, other_language, translate


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("?lang=zh", "en", "en", "zh"),
        ("?lang=en", "zh", "zh-CN", "en"),
        ("", "zh", "en-GB", "zh"),
        ("", "", "zh-CN,zh;q=0.9,en;q=0.5", "zh"),
        ("", "", "en-GB,en;q=0.9", "en"),
        ("", "", "fr", DEFAULT_LANGUAGE),
        ("?lang=fr", "xx", "zh-TW", "zh"),
    ],
)
def test_language_is_chosen_by_parameter_then_cookie_then_accept_language(
    app: Flask, query: str, cookie: str, accept: str, expected: str
) -> None:
    headers = {"Accept-Language": accept}
    if cookie:
        headers["Cookie"] = f"lang={cookie}"
    with app.test_request_context(f"/{query}", headers=headers):
        assert choose_language() == expected


def test_every_interface_string_exists_in_every_language() -> None:
    missing = [key for key, texts in STRINGS.items() for lang in LANGUAGES if not texts.get(lang)]
    assert missing == []


def test_translate_fills_placeholders() -> None:
    assert translate("offsets", "en", start=3, end=9) == "Characters 3 to 9 of the article"
    assert "3" in translate("offsets", "zh", start=3, end=9)


def test_translate_falls_back_to_the_key() -> None:
    assert translate("no-such-key", "zh") == "no-such-key"


def test_other_language_is_the_one_not_shown() -> None:
    assert other_language("zh") == "en"
    assert other_language("en") == "zh"


def test_a_count_of_one_uses_the_singular_form() -> None:
    assert translate("usage_triples", "en", n=1) == "1 triple"
    assert translate("usage_triples", "en", n=2) == "2 triples"


def test_a_language_asked_on_any_page_is_remembered_but_not_on_data(ld_client) -> None:
    """One app-wide rule: the query page and the dumps list remember ?lang= too; RDF never sets a cookie."""
    for path in ("/sparql?lang=zh", "/dumps/?lang=zh", "/?lang=zh"):
        response = ld_client.get(path, headers={"Accept": "text/html"})
        assert "lang=zh" in response.headers.get("Set-Cookie", ""), path
    turtle = ld_client.get("/resource/xian?lang=zh", headers={"Accept": "text/turtle"})
    assert "Set-Cookie" not in turtle.headers


def test_a_page_cannot_redefine_another_pages_string() -> None:
    from publisher.i18n import STRINGS, add_strings

    add_strings({"home": dict(STRINGS["home"])})  # the same words again are fine
    with pytest.raises(ValueError, match="'home' is defined twice"):
        add_strings({"home": {"zh": "主页", "en": "Start"}})
    assert STRINGS["home"]["en"] == "Home"
