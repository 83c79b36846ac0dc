"""Request bodies in more than one media type: JSON, plain text and HTML articles.

Registered with the blueprints' webargs parser as the ``article`` location, so views
declare ``@blp.arguments(Schema, location="article")`` and get validated fields
whatever the client sent. Plain text and HTML take their metadata (url, title, outlet,
published) from the query string; for HTML, what the query string gives wins over
what the page says.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request, current_app
from flask_smorest import abort
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

from quoteapi.ingest import text_too_long
from quoteapi.pages import PageError, article_from_html

ARTICLE_MEDIA_TYPES = ("application/json", "text/plain", "text/html")
# What a plain-text or HTML body may take from the query string.
QUERY_METADATA = ("url", "title", "outlet", "published")

parser = FlaskParser()


def _body_text(request: Request) -> str:
    try:
        return request.get_data().decode(request.mimetype_params.get("charset", "utf-8"))
    except (UnicodeDecodeError, LookupError):
        abort(400, message="The body is not valid text in its declared charset (UTF-8 by default).")
        raise  # unreachable: abort raises


@parser.location_loader("article")
def load_article(request: Request, schema: Schema) -> Any:
    """Fields of an article sent as JSON, text/plain or text/html; 413 for a text too long."""
    fields = _article_fields(request, schema)
    text = fields.get("text") if isinstance(fields, dict) else None
    if too_long := text_too_long(text, current_app.config["MAX_ARTICLE_BYTES"]):
        abort(413, message=too_long, errors={"text": [too_long]})
    return fields


def _article_fields(request: Request, schema: Schema) -> Any:
    mimetype = request.mimetype
    if mimetype == "application/json" or mimetype.endswith("+json"):
        try:
            return parser.load_json(request, schema)
        except RecursionError:
            abort(400, message="The JSON body is nested too deep; send an object of fields.")
    metadata = {k: v for k, v in request.args.items() if k in QUERY_METADATA}
    if mimetype == "text/plain":
        return {**metadata, "text": _body_text(request)}
    if mimetype == "text/html":
        try:
            page = article_from_html(_body_text(request))
        except PageError as err:
            abort(422, message=str(err), errors={"text": [str(err)]})
        return {**page, **metadata}
    abort(
        415,
        message=f"Send the article as {', '.join(ARTICLE_MEDIA_TYPES)}; "
        f"got {mimetype or 'no Content-Type'}.",
    )


class Blueprint(flask_smorest.Blueprint):
    """A blueprint whose arguments may come from the ``article`` location."""

    ARGUMENTS_PARSER = parser
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {  # noqa: RUF012 - extends the parent's mapping
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "article": "application/json",
    }


def article_body_doc(schema_name: str) -> dict[str, Any]:
    """OpenAPI requestBody entries for the plain-text and HTML forms of an article."""
    return {
        "requestBody": {
            "content": {
                "text/plain": {
                    "schema": {"type": "string"},
                    "example": "The mayor, Ro Vik, said: “Bridges next.”",
                },
                "text/html": {
                    "schema": {"type": "string"},
                    "description": f"A web page; its main text becomes {schema_name}.text",
                },
            }
        }
    }
