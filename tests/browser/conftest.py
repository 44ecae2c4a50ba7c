"""Browser tests: Debian's Chromium driven by Playwright against the real server on a loopback port.

Chromium is launched from its executable path (browser downloads are not possible here), headless, with
a fresh profile and background networking off. Where it is not installed the tests are skipped, except
in CI (the ``CI`` environment variable), where ``.ci/run`` installs it and its absence is a failure.
The server is started by :mod:`tests.browser.servers`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.servers import SERVED_FILES, LiveServer, start_server
from tests.conftest import QUERY_FIXTURES, ROOT, write_project_file

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives the browser: mark it, so ``-m "not browser"`` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; its absence skips the browser tests here, and fails them in CI."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does it)."
    if os.environ.get("CI"):
        pytest.fail(reason + " CI must have it.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def yasgui_installed() -> None:
    """YASGUI as the set-up step installs it (``npm ci``); its absence skips the editor tests, and fails them in CI."""
    from publisher.config import load_settings
    from publisher.query_page import resolve_yasgui_dir

    setting = str(load_settings({}, environ={})["YASGUI_DIR"])
    if resolve_yasgui_dir(setting, ROOT) is not None:
        return
    reason = f"YASGUI is not installed at {setting} (run 'npm ci', as tasks.py does where npm is present)."
    if os.environ.get("CI"):
        pytest.fail(reason + " CI must have it.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project_file(tmp_path_factory.mktemp("browser-project"), queries=QUERY_FIXTURES)


@pytest.fixture(scope="session")
def live_server(chromium_path: Path, browser_project_file: Path) -> Iterator[LiveServer]:
    """The publisher serving the Linked Data fixtures and the sample graph, with the fixture examples."""
    server = start_server(browser_project_file, SERVED_FILES, {})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser_context(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium with a fresh profile per test module.

    Not per session: Playwright's pipes to its driver would be inherited by the query workers that later
    test modules fork, and closing Playwright at the end of the session would then wait for them forever.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(chromium_path),
            headless=True,
            args=CHROMIUM_ARGS,
            locale="en-GB",
        )
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A new tab with no cookies; browser console errors are collected in ``page.console_errors``."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.console_errors = errors
    yield tab
    tab.close()
