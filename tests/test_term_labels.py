"""Pages name the reused vocabularies' properties in words, in the page language; the RDF is unchanged."""

from __future__ import annotations

from flask.testing import FlaskClient
from html_elements import parse_html

from publisher.term_labels import TERM_LABELS, term_label


def names_on(client: FlaskClient, path: str) -> list[str]:
    """The first cell of each row of the page's properties table."""
    body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    return [th.text for th in parse_html(body).find_all("th", scope="row")]


def test_every_entry_has_both_languages() -> None:
    assert all(set(names) == {"zh", "en"} for names in TERM_LABELS.values())


def test_figure_page_names_reused_properties_in_words(ld_client: FlaskClient) -> None:
    english = names_on(ld_client, "/resource/figure-golden-autumn-grants-money?lang=en")
    chinese = names_on(ld_client, "/resource/figure-golden-autumn-grants-money?lang=zh")
    assert "attributed to" in english and "prov:wasAttributedTo" not in english
    assert "归属于" in chinese and "数值" in chinese


def test_unknown_terms_have_no_display_name() -> None:
    assert term_label("http://example.org/unknown", "en") is None
    assert term_label("http://www.w3.org/ns/prov#wasAttributedTo", "fr") is None
