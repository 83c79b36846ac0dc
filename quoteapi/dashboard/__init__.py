"""The newsroom dashboard: a search page at /, a frameable /embed, and /embed.js.

Plain HTML, CSS and JavaScript served from this package (no build step, nothing from
another host), and a worked example of the public API: the page's script reads only
``/api/v1/...``, as any other client would. The server answers the same page for every
view (``/``, ``/speakers/<id>``, ``/articles/<id>``); the script reads the view and its
filters from the URL, so every state can be shared and the back button works.

Framing: ``/`` may be framed by this origin alone; ``/embed`` also by the origins in
``CORS_ORIGINS`` (the sites allowed to call the API from a browser are the sites
allowed to show the widget). ``/embed.js`` is the one-line snippet that puts an
``/embed`` iframe into such a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Blueprint, Flask, Response, current_app, render_template, send_from_directory

from quoteapi.api.web import setting_list

blp = Blueprint(
    "dashboard",
    __name__,
    static_folder="static",
    static_url_path="/dashboard/static",
    template_folder="templates",
)

_EXTENSION = "quoteapi.dashboard"
_STATIC = str(blp.static_folder)
# scheme://host[:port], as an Origin header carries it; anything else could break the
# policy header (";" starts a new directive).
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def frame_policy(ancestors: str) -> str:
    """The page's Content-Security-Policy: this host only, framed by ``ancestors``."""
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        )
    )


def embed_ancestors(cors_origins: str | Iterable[str] | None) -> str:
    """``frame-ancestors`` sources for /embed: this origin and the CORS origins."""
    origins = [origin.rstrip("/") for origin in setting_list(cors_origins)]
    if "*" in origins:
        return "*"
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ValueError(
                f"CORS_ORIGINS holds {origin!r}, which is not an origin "
                "(scheme://host[:port]); /embed cannot allow it to frame the widget."
            )
    return " ".join(["'self'", *origins])


@blp.route("/")
@blp.route("/speakers/<string:speaker_id>")
@blp.route("/articles/<string:article_id>")
def page(speaker_id: str | None = None, article_id: str | None = None) -> Response:
    """The dashboard; its script shows the view the path names."""
    response = Response(render_template("dashboard/page.html", mode="page"), mimetype="text/html")
    response.headers["Content-Security-Policy"] = current_app.extensions[_EXTENSION]["page"]
    return response


@blp.route("/embed")
def embed() -> Response:
    """The search widget without the page's chrome, filtered by its query string."""
    response = Response(render_template("dashboard/page.html", mode="embed"), mimetype="text/html")
    response.headers["Content-Security-Policy"] = current_app.extensions[_EXTENSION]["embed"]
    return response


@blp.route("/embed.js")
def embed_script() -> Response:
    """The snippet other sites load to place the widget after its <script> tag."""
    response = send_from_directory(_STATIC, "embed.js", mimetype="text/javascript")
    # Loaded from other origins' pages, some of which isolate themselves (COEP).
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@blp.after_request
def add_nosniff(response: Response) -> Response:
    """Serve every file as the type it is declared, never as a guessed one."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_app(app: Flask) -> None:
    """Serve the dashboard at /, /embed and /embed.js."""
    app.extensions[_EXTENSION] = {
        "page": frame_policy("'self'"),
        "embed": frame_policy(embed_ancestors(app.config.get("CORS_ORIGINS"))),
    }
    app.register_blueprint(blp)
