"""The dashboard's routes: one page for every view, the widget, the snippet, the assets."""

from __future__ import annotations

import re

import pytest
from conftest import AppFactory
from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.dashboard import embed_ancestors

NEWSROOM = "https://news.example.org"


def csp(response: object) -> dict[str, str]:
    """The Content-Security-Policy directives: name to value."""
    header = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize(
    "path", ["/", "/?q=ammunition&page=2", "/speakers/vladimir-putin", "/articles/abc?quote=d"]
)
def test_every_view_is_the_same_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'data-mode="page"' in page
    assert '<script type="module" src="/dashboard/static/dashboard.js"></script>' in page
    # The script is a file of this host; nothing is inline, nothing from elsewhere.
    assert len(re.findall(r"<script", page)) == 1
    assert "http://" not in page and "https://" not in page
    policy = csp(response)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_embed_may_be_framed_by_the_cors_origins_only(make_app: AppFactory) -> None:
    client = make_app(CORS_ORIGINS=f"{NEWSROOM}/, https://second.example.org").test_client()
    response = client.get("/embed?speaker=John%20Kirby")
    assert response.status_code == 200
    assert 'data-mode="embed"' in response.get_data(as_text=True)
    assert csp(response)["frame-ancestors"] == f"'self' {NEWSROOM} https://second.example.org"
    assert csp(client.get("/"))["frame-ancestors"] == "'self'"


def test_embed_without_cors_origins_is_framed_by_this_host_alone(client: FlaskClient) -> None:
    assert csp(client.get("/embed"))["frame-ancestors"] == "'self'"


@pytest.mark.parametrize(
    ("origins", "ancestors"),
    [
        ("", "'self'"),
        ("*", "*"),
        (["http://127.0.0.1:8001"], "'self' http://127.0.0.1:8001"),
        (
            "https://a.example, https://b.example:8443/",
            "'self' https://a.example https://b.example:8443",
        ),
    ],
)
def test_frame_ancestors_from_cors_origins(origins: object, ancestors: str) -> None:
    assert embed_ancestors(origins) == ancestors


@pytest.mark.parametrize("bad", ["https://a.example; script-src *", "a.example", "'unsafe-inline'"])
def test_an_origin_that_would_break_the_policy_is_refused_at_start(
    make_app: AppFactory, bad: str
) -> None:
    with pytest.raises(ValueError, match="not an origin"):
        make_app(CORS_ORIGINS=bad)


def test_the_snippet_is_javascript_other_sites_may_load(client: FlaskClient) -> None:
    with client.get("/embed.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        script = response.get_data(as_text=True)
    assert "document.currentScript" in script and '"/embed"' in script


@pytest.mark.parametrize(
    ("name", "mimetype"),
    [("dashboard.js", "text/javascript"), ("dashboard.css", "text/css")],
)
def test_assets_are_served(client: FlaskClient, name: str, mimetype: str) -> None:
    with client.get(f"/dashboard/static/{name}") as response:
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.get_data()


@pytest.mark.parametrize(
    "path",
    [
        "/nothing",
        "/speakers/",
        "/speakers/a/b",
        "/articles",
        "/dashboard/static/missing.js",
        "/dashboard/static/../__init__.py",
    ],
)
def test_other_paths_are_not_found(client: FlaskClient, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_the_page_is_only_read(client: FlaskClient) -> None:
    assert_problem(client.post("/"), 405)
