"""The HTTP edge for browsers and caches: CORS for configured origins, ETags on reads.

CORS: ``CORS_ORIGINS`` (env ``QUOTEAPI_CORS_ORIGINS``: ``"https://a,https://b"`` or a
JSON list; ``"*"`` for any origin) may call ``/api/*`` and ``/healthz`` from a browser,
read the paging and ETag headers, and send an API key. Empty (the default): no CORS
headers at all, so browsers keep other sites out.

ETags: every 200 JSON answer to a GET under ``/api/`` carries a strong ETag (a hash of
the body) and ``Cache-Control: no-cache``, so clients keep it and revalidate;
``If-None-Match`` with the same tag answers 304 with no body. Errors, writes and
``/healthz`` get none: a load balancer must see the service as it is now, so
``/healthz`` says ``Cache-Control: no-store``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, Response, request
from flask_cors import CORS

# Paths browsers may call from configured origins (matched at the start of the path).
CORS_PATHS = re.compile(r"/api/|/healthz$")
CORS_EXPOSE_HEADERS = ("X-Pagination", "Link", "ETag", "Retry-After", "WWW-Authenticate")
CORS_ALLOW_HEADERS = ("Authorization", "Content-Type", "If-None-Match")
CORS_METHODS = ("GET", "HEAD", "POST", "DELETE", "OPTIONS")
CORS_MAX_AGE = 600  # seconds a browser may reuse a preflight answer

_CACHED_PREFIX = "/api/"
_UNCACHED_PATHS = frozenset({"/healthz"})


def setting_list(value: str | Iterable[str] | None) -> list[str]:
    """The items of a list setting: a comma-separated string, or a list.

    ``from_prefixed_env`` turns ``QUOTEAPI_X='["a", "b"]'`` into a list but leaves
    ``QUOTEAPI_X=a,b`` a string, so both forms arrive here.
    """
    if not value:
        return []
    parts = value.split(",") if isinstance(value, str) else value
    return [str(part).strip() for part in parts if str(part).strip()]


def init_cors(app: Flask) -> None:
    """Answer cross-origin requests and preflights from ``CORS_ORIGINS``, and only those."""
    # An Origin header never ends in "/", a pasted URL often does.
    origins = [origin.rstrip("/") for origin in setting_list(app.config.get("CORS_ORIGINS"))]
    if not origins:
        return
    CORS(
        app,
        resources=CORS_PATHS,
        origins=origins,
        methods=list(CORS_METHODS),
        allow_headers=list(CORS_ALLOW_HEADERS),
        expose_headers=list(CORS_EXPOSE_HEADERS),
        max_age=CORS_MAX_AGE,
        supports_credentials=False,  # keys travel in Authorization, never in cookies
        always_send=False,  # no Origin header, no CORS headers
    )
    app.after_request(vary_on_origin)


def vary_on_origin(response: Response) -> Response:
    """Say that CORS answers depend on ``Origin``, so no cache hands one origin's to another.

    flask-cors only says so when several origins are configured, and never on answers
    to requests from other origins or with none.
    """
    if CORS_PATHS.match(request.path):
        response.vary.add("Origin")
    return response


def add_etag(response: Response) -> Response:
    """Tag a successful JSON read and answer 304 when the client already has it."""
    if request.path in _UNCACHED_PATHS:
        response.headers["Cache-Control"] = "no-store"
        return response
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "application/json"
        or not request.path.startswith(_CACHED_PREFIX)
        or response.is_streamed
    ):
        return response
    if "ETag" not in response.headers:
        response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)  # turns it into a 304 in place when the tag matches
    return response


def init_app(app: Flask) -> None:
    """Set up CORS (when origins are configured) and ETags on ``app``."""
    init_cors(app)
    app.after_request(add_etag)
