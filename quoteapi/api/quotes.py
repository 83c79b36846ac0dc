"""/api/v1/quotes: search quotes by words, speaker, outlet and date; read one."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint, abort

from quoteapi.api.paging import page_headers
from quoteapi.errors import PROBLEM
from quoteapi.schemas import QuoteHitSchema, QuotePageSchema, QuoteSearchArgsSchema
from quoteapi.store import Page, get_store

blp = Blueprint("quotes", __name__, description="Quotes, searchable by words, speaker and date")


@blp.route("")
@blp.arguments(QuoteSearchArgsSchema, location="query", unknown=ma.RAISE, error_status_code=400)
@blp.response(200, QuotePageSchema)
@blp.alt_response(503, description="The search ran past its time budget", **PROBLEM)
def search_quotes(args: dict[str, Any]) -> tuple[Page, dict[str, str]]:
    """Search quotes

    `q` matches the words of the quote (stemmed: "threat" finds "threats"; accents
    ignored) with "phrases", AND, OR, NOT, -word and word~1. Filters combine. With `q`
    the best matches come first, without it the newest. Each hit carries its article,
    the sentence around it, a highlight and the other articles that reported it;
    `facets` count speakers, outlets and days over the whole result set. Page with
    `page`/`page_size` (up to 10,000 deep) or walk everything with `cursor=*` and
    each answer's `next_cursor`.
    """
    page = get_store().search_quotes(**args)
    return page, page_headers(page)


@blp.route("/<string:quote_id>")
@blp.response(200, QuoteHitSchema)
@blp.alt_response(404, description="No quote has this id", **PROBLEM)
def get_quote(quote_id: str) -> dict[str, Any]:
    """One quote with its article, context and the other articles that reported it"""
    return get_store().get_quote(quote_id) or abort(404, message=f"No quote has id {quote_id!r}.")
