"""Articles from web pages: the main text and metadata of an HTML document."""

from __future__ import annotations

from typing import Any

import trafilatura

# trafilatura's names for the article fields quoteapi keeps.
_FIELDS = {
    "text": "text",
    "title": "title",
    "url": "url",
    "outlet": "sitename",
    "published": "date",
}


class PageError(ValueError):
    """An HTML page with no article text in it."""


def article_from_html(html: str) -> dict[str, Any]:
    """The article fields of an HTML page: text, title, url, outlet, published.

    The text is trafilatura's plain-text rendering of the page's main content; quote
    offsets refer to it (the stored article keeps it).

    Raises:
        PageError: no main text could be found in the page.
    """
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    document: dict[str, Any] = {}
    if extracted is not None:
        document = extracted if isinstance(extracted, dict) else extracted.as_dict()
    if not (document.get("text") or "").strip():
        raise PageError("No article text found in the HTML page.")
    return {ours: document[theirs] for ours, theirs in _FIELDS.items() if document.get(theirs)}
