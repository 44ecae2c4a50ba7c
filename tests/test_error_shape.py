"""The one error handler: the same error as HTML, JSON or plain text by Accept; 500s say nothing inside."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask

from publisher.errors import MalformedQuery, ResourceNotFound


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    def not_found() -> str:
        raise ResourceNotFound("No resource named 'x'. The list is at /resource/.")

    def bad_query() -> str:
        raise MalformedQuery("Syntax error at line 1, column 8.")

    def crash() -> str:
        raise RuntimeError("secret /srv/path/file.py detail")

    app.add_url_rule("/_test/not-found", view_func=not_found)
    app.add_url_rule("/_test/bad-query", view_func=bad_query)
    app.add_url_rule("/_test/crash", view_func=crash)
    return app


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_error_is_json_for_api_clients(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/_test/not-found", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": 404, "error": "No resource named 'x'. The list is at /resource/."}


def test_error_is_an_html_page_for_browsers(failing_app: Flask) -> None:
    response = failing_app.test_client().get(
        "/_test/not-found", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    parser = _Text()
    parser.feed(response.get_data(as_text=True))
    assert "No resource named 'x'. The list is at /resource/." in "".join(parser.text)


def test_error_is_plain_text_for_sparql_clients(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/_test/bad-query", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "Syntax error at line 1, column 8.\n"


def test_unexpected_error_is_a_generic_500_without_internals(
    failing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    for accept in ("text/html", "application/json", "text/plain"):
        response = failing_app.test_client().get("/_test/crash", headers={"Accept": accept})
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "secret" not in body and "/srv/" not in body and "Traceback" not in body
    assert "secret /srv/path/file.py detail" in caplog.text


def test_unknown_path_is_404_with_a_way_on(app: Flask) -> None:
    response = app.test_client().get("/no/such/page", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "/no/such/page" in response.get_data(as_text=True)
