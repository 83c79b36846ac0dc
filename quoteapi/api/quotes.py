"""/api/v1/quotes: search quotes by words, speaker, outlet and date; read one."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import orjson
from flask import Response
from flask_smorest import Blueprint, abort

from quoteapi.api.paging import page_headers
from quoteapi.errors import PROBLEM
from quoteapi.schemas import (
    QuoteHitSchema,
    QuotePageSchema,
    QuoteSearchArgsSchema,
    dump_quote_hit,
    dump_quote_page,
)
from quoteapi.store import get_store

blp = Blueprint("quotes", __name__, description="Quotes, searchable by words, speaker and date")


def _json(body: dict[str, Any]) -> Response:
    """``body`` as Flask's ``jsonify`` writes it outside debug mode (byte for byte), in a
    tenth of the time.

    A search answer runs to tens of kilobytes (each hit's other reports). The bodies here
    hold only str, int, float (confidence, two decimals), None, lists and dicts, which
    orjson writes exactly as the standard library does with ``ensure_ascii=False``
    (compact, UTF-8, the same escapes); Flask adds a newline.
    """
    return Response(orjson.dumps(body) + b"\n", mimetype="application/json")


@blp.route("")
# An instance, not the class: webargs would build (and deep-copy) the schema per request.
@blp.arguments(QuoteSearchArgsSchema(), location="query", unknown=ma.RAISE, error_status_code=400)
@blp.response(200, QuotePageSchema)
@blp.alt_response(503, description="The search ran past its time budget", **PROBLEM)
def search_quotes(args: dict[str, Any]) -> tuple[Response, dict[str, str]]:
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
    # Dumped as QuotePageSchema dumps it (see dump_quote_page), at a fraction of the cost.
    return _json(dump_quote_page(page)), page_headers(page)


@blp.route("/<string:quote_id>")
@blp.response(200, QuoteHitSchema)
@blp.alt_response(404, description="No quote has this id", **PROBLEM)
def get_quote(quote_id: str) -> Response:
    """One quote with its article, context and the other articles that reported it"""
    hit = get_store().get_quote(quote_id) or abort(404, message=f"No quote has id {quote_id!r}.")
    return _json(dump_quote_hit(hit))
