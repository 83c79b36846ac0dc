"""/docs: the API reference (Swagger UI) from this server alone, no CDN, no internet.

flask-smorest can render Swagger UI, but only under ``OPENAPI_URL_PREFIX`` and with its
assets from a URL it does not serve, and its page runs an inline script. This blueprint
serves the assets that the ``swagger-ui-bundle`` package ships, a page that points
Swagger UI at ``/api/v1/openapi.json``, and a Content-Security-Policy that lets the page
load nothing from any other host, so a missing asset shows up as a broken page here
rather than as a silent call to a CDN in production.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, send_from_directory, url_for
from flask_smorest import abort
from markupsafe import escape
from swagger_ui_bundle import swagger_ui_path

blp = Blueprint("docs", __name__, url_prefix="/docs")

# The files of the bundle the page uses; nothing else in its folder is served (its own
# index.html would load the Petstore example from petstore.swagger.io).
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # the spec, and "Try it out" against this server
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)

# No inline script, so the policy can forbid them: the page names the spec in a data-
# attribute. validatorUrl null: Swagger UI would otherwise fetch a badge from swagger.io.
INIT_SCRIPT = """\
window.addEventListener("load", function () {
  var here = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: here.dataset.spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} — API reference</title>
  <link rel="stylesheet" href="{css}">
  <link rel="icon" type="image/png" href="{icon}">
</head>
<body>
  <div id="swagger-ui" data-spec="{spec}"></div>
  <script src="{bundle}"></script>
  <script src="{init}"></script>
</body>
</html>
"""


@blp.route("")
def reference() -> Response:
    """The Swagger UI page for this server's OpenAPI document."""
    page = PAGE.format(
        title=escape(current_app.config.get("API_TITLE", "API")),
        css=url_for("docs.asset", name="swagger-ui.css"),
        icon=url_for("docs.asset", name="favicon-32x32.png"),
        bundle=url_for("docs.asset", name="swagger-ui-bundle.js"),
        init=url_for("docs.init_script"),
        spec=url_for("api-docs.openapi_json"),
    )
    return Response(page, mimetype="text/html")


@blp.route("/init.js")
def init_script() -> Response:
    """The script that starts Swagger UI on the page."""
    return Response(INIT_SCRIPT, mimetype="text/javascript")


@blp.route("/assets/<name>")
def asset(name: str) -> Response:
    """One file of the Swagger UI bundle."""
    if name not in ASSETS:
        abort(404, message=f"/docs has no asset {name!r}.")
    return send_from_directory(str(swagger_ui_path), name)


@blp.after_request
def add_security_policy(response: Response) -> Response:
    """Forbid the docs any resource from another host, and any inline script."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_app(app: Flask) -> None:
    """Serve the API reference at /docs."""
    app.register_blueprint(blp)
