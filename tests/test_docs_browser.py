"""/docs in a real browser against a real `quoteapi serve`: it renders from this host alone.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright`` Python package
(never ``playwright install``: it downloads a browser). Without them the test is skipped.
Every request to another host is blocked and recorded, as if the network were cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import BROWSER_TEST, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT_MISSING
from harness import served

pytestmark = BROWSER_TEST
sync_api = pytest.importorskip("playwright.sync_api", reason=PLAYWRIGHT_MISSING)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A `quoteapi serve` on a free loopback port over tmp_path/data; its base URL."""
    with served(tmp_path / "data", workers=1) as server:
        yield server.base


def test_docs_render_with_nothing_from_another_host(server: str, tmp_path: Path) -> None:
    requested: list[str] = []
    blocked: list[str] = []
    problems: list[str] = []

    def only_this_host(route: sync_api.Route) -> None:
        url = route.request.url
        requested.append(url)
        if url.startswith(f"{server}/"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.route("**/*", only_this_host)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{server}/docs", wait_until="networkidle")
            page.wait_for_selector(".opblock", timeout=15_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            authorize = page.locator("button.authorize").count()
            title = page.title()
            page.screenshot(path=str(tmp_path / "docs.png"))
        finally:
            browser.close()

    assert blocked == []
    assert problems == []  # a Content-Security-Policy violation would show here
    assert f"{server}/api/v1/openapi.json" in requested
    assert any(url.endswith("/swagger-ui-bundle.js") for url in requested)
    assert {"/api/v1/quotes", "/api/v1/articles", "/healthz"} <= {p.strip() for p in paths}
    assert authorize == 1  # the bearer scheme is documented, so Swagger UI offers to use it
    assert "API reference" in title
    assert (tmp_path / "docs.png").stat().st_size > 10_000
