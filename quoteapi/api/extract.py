"""/api/v1/extract: quotes of a text, nothing stored."""

from __future__ import annotations

from typing import Any

from quoteapi.api.bodies import Blueprint, article_body_doc
from quoteapi.errors import PROBLEM
from quoteapi.extract import extract_quotes
from quoteapi.schemas import ExtractInSchema, ExtractResultSchema

blp = Blueprint(
    "extract", __name__, description="Extraction only, for services keeping their own data"
)


@blp.route("", methods=["POST"])
@blp.arguments(ExtractInSchema, location="article")
@blp.response(200, ExtractResultSchema)
@blp.doc(**article_body_doc("the text"))
@blp.alt_response(415, description="The body is not JSON, plain text or HTML", **PROBLEM)
def post_extract(fields: dict[str, Any]) -> dict[str, Any]:
    """Find the quotes of a text and who said them; nothing is stored

    Send JSON `{"text": ...}`, plain text or an HTML page. For HTML the answer also
    gives the extracted `text` that the offsets refer to.
    """
    return {"text": fields["text"], "quotes": extract_quotes(fields["text"])}
