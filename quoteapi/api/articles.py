"""/api/v1/articles: submit articles, read them back with their quotes, delete them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask_smorest import abort

from quoteapi.api.auth import require_api_key
from quoteapi.api.bodies import Blueprint, article_body_doc
from quoteapi.errors import PROBLEM
from quoteapi.ingest import ingest_article, ingest_ndjson
from quoteapi.schemas import (
    ArticleInSchema,
    ArticleQuerySchema,
    ArticleSchema,
    BulkResultSchema,
    WaitQuerySchema,
)
from quoteapi.store import get_store

blp = Blueprint("articles", __name__, description="News articles and the quotes found in them")

NDJSON = "application/x-ndjson"
# Documented on the writes that take ?wait=indexed.
INDEXED_HEADER = {
    "X-Indexed": {
        "description": "Only with wait=indexed: true once search finds the article(s); false "
        "when WAIT_INDEXED_TIMEOUT passed first (stored all the same, searchable "
        "moments later)",
        "schema": {"type": "string", "enum": ["true", "false"]},
    }
}


def _indexed_headers(wait: str | None, article_ids: list[str]) -> dict[str, str]:
    """X-Indexed after waiting (bounded) for search to find ``article_ids``, if asked to."""
    if wait != "indexed":
        return {}
    found = get_store().wait_articles_indexed(
        article_ids, timeout=current_app.config["WAIT_INDEXED_TIMEOUT"]
    )
    return {"X-Indexed": "true" if found else "false"}


@blp.route("", methods=["POST"])
@require_api_key
@blp.arguments(ArticleQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
@blp.arguments(ArticleInSchema, location="article")
@blp.response(201, ArticleSchema, headers=INDEXED_HEADER)
@blp.doc(**article_body_doc("the article"))
@blp.alt_response(409, description="replace=false and the article is stored already", **PROBLEM)
@blp.alt_response(
    413,
    description="The body is over MAX_CONTENT_LENGTH, or its text over MAX_ARTICLE_BYTES",
    **PROBLEM,
)
@blp.alt_response(415, description="The body is not JSON, plain text or HTML", **PROBLEM)
def post_article(
    query: dict[str, Any], fields: dict[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Submit an article: its quotes are extracted and stored

    Send JSON (`text` and optional `url`, `title`, `outlet`, `published`), plain text
    (metadata in the query string), or an HTML page (its main text and metadata are
    taken out; quote offsets then refer to that text, which the article keeps).
    201 means the article and its quotes are on disk; search finds them within moments.
    With `wait=indexed` the answer waits until search finds them, at most
    `WAIT_INDEXED_TIMEOUT` seconds (10 by default): the header `X-Indexed: true` says it
    does, `X-Indexed: false` that the wait ran out (the article is stored all the same).
    Posting an article with the same url (or, without a url, the same text) replaces it,
    unless `replace=false`. A text over `MAX_ARTICLE_BYTES` (UTF-8) answers 413.
    """
    store = get_store()
    if not query["replace"] and (stored := store.has_article(fields["text"], fields["url"])):
        abort(
            409,
            message=f"The article is stored already as {stored}; "
            "post with replace=true (the default) to replace it.",
        )
    article_id = ingest_article(store, fields)
    return store.get_article(article_id), _indexed_headers(query["wait"], [article_id])


@blp.route("/bulk", methods=["POST"])
@require_api_key
@blp.arguments(WaitQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
@blp.response(200, BulkResultSchema, headers=INDEXED_HEADER)
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            NDJSON: {
                "schema": {"type": "string"},
                "example": '{"text": "The mayor said: “Roads first.”", "url": "https://ex.am/1"}\n',
            }
        },
    }
)
@blp.alt_response(413, description="The body is over MAX_CONTENT_LENGTH", **PROBLEM)
@blp.alt_response(415, description="The body is not NDJSON", **PROBLEM)
def post_articles_bulk(query: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Submit many articles as NDJSON, one JSON article a line

    Every valid line is stored (all in one transaction); each line gets its own status
    in `results` (201 with the article id; 400 not JSON, 413 a text over
    `MAX_ARTICLE_BYTES`, 422 invalid fields, with what was wrong), in order.
    `wait=indexed` waits, as for one article, until search finds every stored line.
    """
    if request.mimetype != NDJSON:
        abort(415, message=f"Send {NDJSON}: one JSON article a line.")
    result = ingest_ndjson(
        get_store(), request.get_data(), max_text_bytes=current_app.config["MAX_ARTICLE_BYTES"]
    )
    ids = [line["id"] for line in result["results"] if "id" in line]
    return result, _indexed_headers(query["wait"], ids)


@blp.route("/<string:article_id>")
@blp.response(200, ArticleSchema)
@blp.alt_response(404, description="No article has this id", **PROBLEM)
def get_article(article_id: str) -> dict[str, Any]:
    """One article with its text and quotes"""
    return get_store().get_article(article_id) or abort(
        404, message=f"No article has id {article_id!r}."
    )


@blp.route("/<string:article_id>", methods=["DELETE"])
@require_api_key
@blp.response(204)
@blp.alt_response(404, description="No article has this id", **PROBLEM)
def delete_article(article_id: str) -> None:
    """Delete an article and its quotes"""
    if not get_store().delete_article(article_id):
        abort(404, message=f"No article has id {article_id!r}.")
