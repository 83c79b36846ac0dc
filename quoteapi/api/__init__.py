"""The HTTP API: flask-smorest blueprints under /api/v1, and /healthz."""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Flask

from quoteapi import errors


class Api(flask_smorest.Api):
    """flask-smorest's Api with quoteapi's one error shape (RFC 9457)."""

    ERROR_SCHEMA = errors.ProblemSchema

    def _register_error_handlers(self) -> None:
        errors.init_app(self._app)


def init_app(app: Flask) -> Api:
    from quoteapi.api import articles, auth, docs, extract, health, quotes, speakers, web

    spec_kwargs: dict[str, Any] = {
        "info": {
            "description": "Quotations found in news articles, attributed to who said them.",
        },
    }
    api = Api(app, spec_kwargs=spec_kwargs)
    for module in (articles, quotes, speakers, extract):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1/{module.blp.name}")
    api.register_blueprint(health.blp)
    auth.init_app(app)
    web.init_app(app)
    docs.init_app(app)
    _document_problems(api)
    return api


def _document_problems(api: Api) -> None:
    """Give flask-smorest's shared error responses the media type errors really have."""
    for response in api.spec.components.responses.values():
        content = response.get("content", {})
        if "application/json" in content:
            content[errors.PROBLEM_MIMETYPE] = content.pop("application/json")
