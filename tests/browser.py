"""Debian's chromium, as the browser tests launch it (driven by Playwright, never
`playwright install`, which downloads a browser of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# The marks of a module that starts a server and a browser: skipped without chromium.
BROWSER_TEST = [
    pytest.mark.server,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
    ),
]
PLAYWRIGHT_MISSING = (
    "needs the playwright Python package (pip install playwright; not `playwright install`)"
)
