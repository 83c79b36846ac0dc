"""CORS for configured origins, ETags on reads, and the /docs page with its local assets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import AppFactory
from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.api import web

DASH = "https://dash.example.org"
OTHER = "https://evil.example.net"
KEY = "k-web"
ARTICLE = {"text": "The mayor, Ro Vik, said: “Bridges next.”", "url": "https://ex.am/vik"}


@pytest.fixture
def make_app(make_app: AppFactory) -> AppFactory:
    """Apps that accept the key KEY unless told otherwise."""
    return lambda **settings: make_app(**{"API_KEYS": KEY, **settings})


@pytest.fixture
def client(make_app: AppFactory) -> FlaskClient:
    return make_app(CORS_ORIGINS=f"{DASH}, https://second.example.org/").test_client()


def cors_headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("Access-Control-")}


def preflight(client: FlaskClient, path: str, origin: str, method: str = "POST") -> Any:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type, if-none-match",
        },
    )


# --- CORS ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/articles", "POST"),
        ("/api/v1/articles/abc", "DELETE"),
        ("/api/v1/quotes", "GET"),
        ("/healthz", "GET"),
    ],
)
def test_preflight_from_a_configured_origin(client: FlaskClient, path: str, method: str) -> None:
    response = preflight(client, path, DASH, method)
    assert response.status_code in (200, 204)
    headers = cors_headers(response)
    assert headers["Access-Control-Allow-Origin"] == DASH
    assert method in headers["Access-Control-Allow-Methods"].split(", ")
    allowed = set(headers["Access-Control-Allow-Headers"].lower().split(", "))
    assert allowed == {"authorization", "content-type", "if-none-match"}
    assert headers["Access-Control-Max-Age"] == str(web.CORS_MAX_AGE)
    assert "Access-Control-Allow-Credentials" not in headers
    assert "Origin" in response.vary


def test_a_configured_origin_reads_the_paging_and_etag_headers(client: FlaskClient) -> None:
    response = client.get("/api/v1/quotes?page_size=1", headers={"Origin": DASH})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == DASH
    exposed = set(response.headers["Access-Control-Expose-Headers"].split(", "))
    assert {"X-Pagination", "Link", "ETag"} <= exposed
    assert {"X-Pagination", "Link", "ETag"} <= set(response.headers.keys())
    second = client.get("/healthz", headers={"Origin": "https://second.example.org"})
    assert second.headers["Access-Control-Allow-Origin"] == "https://second.example.org"


def test_errors_carry_cors_headers_so_the_dashboard_can_read_them(client: FlaskClient) -> None:
    response = client.post("/api/v1/articles", json=ARTICLE, headers={"Origin": DASH})
    assert_problem(response, 401)
    assert response.headers["Access-Control-Allow-Origin"] == DASH
    assert "WWW-Authenticate" in response.headers["Access-Control-Expose-Headers"]
    missing = client.get("/api/v1/quotes/nope", headers={"Origin": DASH})
    assert_problem(missing, 404)
    assert missing.headers["Access-Control-Allow-Origin"] == DASH


def test_other_origins_get_no_cors_headers(client: FlaskClient) -> None:
    response = preflight(client, "/api/v1/articles", OTHER)
    assert response.status_code in (200, 204)
    assert cors_headers(response) == {}
    assert "Origin" in response.vary  # a cache must not hand this to the dashboard
    assert cors_headers(client.get("/api/v1/quotes", headers={"Origin": OTHER})) == {}
    assert cors_headers(client.get("/api/v1/quotes")) == {}


def test_cors_covers_only_the_api_and_healthz(client: FlaskClient) -> None:
    assert cors_headers(client.get("/docs", headers={"Origin": DASH})) == {}


@pytest.mark.parametrize("origins", [None, "", []])
def test_no_origins_no_cors_headers_at_all(make_app: AppFactory, origins: object) -> None:
    settings = {} if origins is None else {"CORS_ORIGINS": origins}
    client = make_app(**settings).test_client()
    response = preflight(client, "/api/v1/articles", DASH)
    assert cors_headers(response) == {}
    assert cors_headers(client.get("/api/v1/quotes", headers={"Origin": DASH})) == {}
    assert "Origin" not in client.get("/api/v1/quotes").vary


def test_origins_from_the_environment_as_a_json_list(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTEAPI_CORS_ORIGINS", f'["{DASH}", "https://b.example"]')
    client = make_app().test_client()
    for origin in (DASH, "https://b.example"):
        response = client.get("/healthz", headers={"Origin": origin})
        assert response.headers["Access-Control-Allow-Origin"] == origin
    assert cors_headers(client.get("/healthz", headers={"Origin": OTHER})) == {}


def test_any_origin_with_a_star(make_app: AppFactory) -> None:
    client = make_app(CORS_ORIGINS="*").test_client()
    response = client.get("/api/v1/quotes", headers={"Origin": OTHER})
    assert response.headers["Access-Control-Allow-Origin"] in ("*", OTHER)


# --- ETags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/quotes", "/api/v1/speakers?q=pu", "/api/v1/openapi.json"]
)
def test_reads_carry_a_strong_etag_and_revalidate(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag), etag  # strong: no W/
    assert first.headers["Cache-Control"] == "no-cache"

    same = client.get(path, headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.get_data() == b""
    assert same.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(path, headers={"If-None-Match": f'"other", {etag}'}).status_code == 304

    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


def test_head_answers_the_same_etag(client: FlaskClient) -> None:
    etag = client.get("/api/v1/quotes").headers["ETag"]
    assert client.head("/api/v1/quotes").headers["ETag"] == etag


def test_the_etag_changes_when_the_data_does(client: FlaskClient) -> None:
    created = client.post(
        "/api/v1/articles", json=ARTICLE, headers={"Authorization": f"Bearer {KEY}"}
    )
    assert created.status_code == 201
    assert "ETag" not in created.headers
    path = f"/api/v1/articles/{created.get_json()['id']}"
    before = client.get(path).headers["ETag"]
    changed = {**ARTICLE, "title": "Bridges"}
    client.post("/api/v1/articles", json=changed, headers={"Authorization": f"Bearer {KEY}"})
    after = client.get(path, headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["ETag"] != before


def test_errors_writes_and_healthz_have_no_etag(client: FlaskClient) -> None:
    missing = client.get("/api/v1/quotes/nope")
    assert_problem(missing, 404)
    assert "ETag" not in missing.headers
    bad = client.get("/api/v1/quotes?page_size=0")
    assert_problem(bad, 400)
    assert "ETag" not in bad.headers
    write = client.delete("/api/v1/articles/nope", headers={"Authorization": f"Bearer {KEY}"})
    assert "ETag" not in write.headers
    health = client.get("/healthz")
    assert health.status_code == 200
    assert "ETag" not in health.headers
    assert health.headers["Cache-Control"] == "no-store"
    # An If-None-Match never turns a health check into a 304.
    assert client.get("/healthz", headers={"If-None-Match": "*"}).status_code == 200


# --- /docs -----------------------------------------------------------------------------


def test_docs_page_loads_only_local_resources(client: FlaskClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    page = response.get_data(as_text=True)
    assert "<script>" not in page  # the policy forbids inline scripts
    urls = re.findall(r'(?:src|href|data-spec)="([^"]+)"', page)
    assert len(urls) == 5, urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        with client.get(url) as asset:  # closes the file a static answer streams
            assert asset.status_code == 200, url
    assert "/api/v1/openapi.json" in urls
    script = client.get("/docs/init.js").get_data(as_text=True)
    assert "validatorUrl: null" in script  # else Swagger UI calls validator.swagger.io


@pytest.mark.parametrize(
    "name", ["index.html", "swagger-initializer.js", "..%2F__init__.py", "swagger-ui.js.map"]
)
def test_docs_serves_only_its_own_assets(client: FlaskClient, name: str) -> None:
    assert_problem(client.get(f"/docs/assets/{name}"), 404)
