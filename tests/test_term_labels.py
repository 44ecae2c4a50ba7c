"""Pages name the reused vocabularies' properties in words, in the page language; the RDF is unchanged."""

from __future__ import annotations

from html.parser import HTMLParser

from flask.testing import FlaskClient

from publisher.term_labels import TERM_LABELS, term_label


class PropertyNames(HTMLParser):
    """The text of the first cell of each row of the properties table."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "th" and dict(attrs).get("scope") == "row":
            self._in_th = True
            self.names.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.names[-1] += data.strip()


def names_on(client: FlaskClient, path: str) -> list[str]:
    parser = PropertyNames()
    parser.feed(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    return parser.names


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
