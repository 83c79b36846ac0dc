"""The one error shape: RFC 9457 ``application/problem+json``.

Every failure leaves through :func:`problem_response`, whether a view aborted, a schema
refused its input, routing found nothing, or something broke. Clients read ``status``
and ``detail``; ``errors`` maps each bad field to what was wrong with it.
"""

from __future__ import annotations

import logging
from typing import Any

import marshmallow as ma
from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from quoteapi.store import SearchTimeout

PROBLEM_MIMETYPE = "application/problem+json"

log = logging.getLogger(__name__)


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document (used for the OpenAPI document, not to dump)."""

    type = ma.fields.String(metadata={"description": "A URI naming the problem type"})
    title = ma.fields.String(metadata={"description": "The HTTP status phrase"})
    status = ma.fields.Integer(metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong, for a person"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "Field name to the messages about it, when input was refused"},
    )


# flask-smorest ``alt_response`` keywords documenting a problem+json answer.
PROBLEM = {"schema": ProblemSchema, "content_type": PROBLEM_MIMETYPE}


def problem_response(
    status: int,
    detail: str | None = None,
    errors: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build the problem+json response for ``status``."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_locations(messages: dict[str, Any]) -> dict[str, Any]:
    """Drop webargs' location level ({"json": {"text": [...]}} -> {"text": [...]})."""
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def handle_http_exception(error: HTTPException) -> Response:
    """Turn any HTTPException (abort, webargs, routing) into a problem document."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors")
    if errors is None and "messages" in data:
        errors = _flatten_locations(data["messages"])
    detail = data.get("message")
    if detail is None and errors:
        detail = "The request was refused: " + "; ".join(
            f"{field}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
            for field, msgs in errors.items()
        )
    if detail is None:
        detail = error.description
    headers = dict(data.get("headers") or {})
    if error.code == 405 and error.response is None:
        headers.update(dict(error.get_headers()))
        headers.pop("Content-Type", None)
    return problem_response(error.code or 500, detail, errors, headers)


def handle_unexpected(error: Exception) -> Response:
    """Log what broke and answer 500 without a trace, path or SQL."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error", exc_info=error)
    return problem_response(500, InternalServerError.description)


def handle_search_timeout(error: Exception) -> Response:
    """A search over its time budget: 503, try again (narrower) shortly."""
    return problem_response(
        503,
        "The search took longer than its time budget; narrow it (fewer words, a speaker, "
        "dates) or retry shortly.",
        headers={"Retry-After": "1"},
    )


def init_app(app: Flask) -> None:
    """Route every error of ``app`` through the problem handlers."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(SearchTimeout, handle_search_timeout)
    app.register_error_handler(Exception, handle_unexpected)
