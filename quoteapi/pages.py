"""Articles from web pages: the main text and metadata of an HTML document."""

from __future__ import annotations

from typing import Any

import trafilatura


class PageError(ValueError):
    """An HTML page with no article text in it."""


def article_from_html(html: str) -> dict[str, Any]:
    """The article fields of an HTML page: text, title, url, outlet, published.

    The text is trafilatura's plain-text rendering of the page's main content; quote
    offsets refer to it (the stored article keeps it).

    Raises:
        PageError: no main text could be found in the page.
    """
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    text = document.text if document is not None else None
    if not text or not text.strip():
        raise PageError("No article text found in the HTML page.")
    fields = {
        "text": text,
        "title": document.title,
        "url": document.url,
        "outlet": document.sitename,
        "published": document.date,
    }
    return {key: value for key, value in fields.items() if value}
