"""API keys for writes, the key file that `serve` makes, and the write rate limit."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import AppFactory
from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.api import auth
from quoteapi.api.ratelimit import TokenBucketLimiter

ARTICLE = {"text": "The mayor, Ro Vik, said: “Bridges next.”", "url": "https://ex.am/vik"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def client(make_app: AppFactory) -> FlaskClient:
    return make_app(API_KEYS="k-one,k-two").test_client()


# --- who may write ---------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer "}, {"Authorization": "Bearer"}])
def test_write_without_a_key_is_401_with_a_bearer_challenge(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/v1/articles", json=ARTICLE, headers=headers)
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="quoteapi"'
    assert "Authorization: Bearer" in body["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer k-three", "Bearer k-one-and-more", "Bearer k-on", "Bearer K-ONE", "bearer k-onf"],
)
def test_a_wrong_key_is_401_invalid_token(client: FlaskClient, header: str) -> None:
    response = client.post("/api/v1/articles", json=ARTICLE, headers={"Authorization": header})
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="quoteapi", error="invalid_token"'
    assert body["detail"] == "The API key is not valid."


@pytest.mark.parametrize("header", ["Basic azE6azI=", "k-one", "Token k-one"])
def test_other_schemes_are_refused(client: FlaskClient, header: str) -> None:
    response = client.post("/api/v1/articles", json=ARTICLE, headers={"Authorization": header})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_any_configured_key_writes(client: FlaskClient) -> None:
    created = client.post("/api/v1/articles", json=ARTICLE, headers=bearer("k-two"))
    assert created.status_code == 201, created.get_data(as_text=True)
    article_id = created.get_json()["id"]
    assert_problem(client.delete(f"/api/v1/articles/{article_id}"), 401)
    deleted = client.delete(f"/api/v1/articles/{article_id}", headers=bearer("k-one"))
    assert deleted.status_code == 204


def test_the_key_is_checked_before_the_body(client: FlaskClient) -> None:
    response = client.post("/api/v1/articles", data=b"\x00", content_type="image/png")
    assert_problem(response, 401)
    assert_problem(client.post("/api/v1/articles/bulk", data=b"{}"), 401)


def test_reads_need_no_key(client: FlaskClient) -> None:
    assert client.get("/api/v1/quotes").status_code == 200
    assert client.get("/api/v1/speakers").status_code == 200


@pytest.mark.parametrize(
    "value", ['["k-json", "k-other"]', "k-json, k-other", " k-json ,,k-other,"]
)
def test_keys_from_the_environment(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("QUOTEAPI_API_KEYS", value)
    client = make_app().test_client()
    for key in ("k-json", "k-other"):
        assert client.delete("/api/v1/articles/none", headers=bearer(key)).status_code == 404
    assert_problem(client.delete("/api/v1/articles/none", headers=bearer("k-json,")), 401)


def test_with_no_key_anywhere_writes_are_refused_and_say_how(make_app: AppFactory) -> None:
    client = make_app(API_KEYS="").test_client()
    for headers in ({}, bearer(""), bearer("anything")):
        body = assert_problem(client.post("/api/v1/articles", json=ARTICLE, headers=headers), 401)
        assert "QUOTEAPI_API_KEYS" in body["detail"] and "quoteapi serve" in body["detail"]
    assert client.get("/api/v1/quotes").status_code == 200


def test_the_key_file_is_used_when_no_keys_are_configured(
    make_app: AppFactory, tmp_path: Path
) -> None:
    key = auth.ensure_api_key(tmp_path / "data")
    client = make_app().test_client()
    assert client.delete("/api/v1/articles/none", headers=bearer(key)).status_code == 404
    assert_problem(client.delete("/api/v1/articles/none", headers=bearer("k-one")), 401)


def test_configured_keys_win_over_the_key_file(make_app: AppFactory, tmp_path: Path) -> None:
    stored = auth.ensure_api_key(tmp_path / "data")
    client = make_app(API_KEYS=["k-one"]).test_client()
    assert client.delete("/api/v1/articles/none", headers=bearer("k-one")).status_code == 404
    assert_problem(client.delete("/api/v1/articles/none", headers=bearer(stored)), 401)


# --- the key file ----------------------------------------------------------------------


def test_ensure_api_key_makes_a_private_key_once(tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    key = auth.ensure_api_key(data)
    path = data / auth.KEY_FILE
    assert len(key) >= 40 and key.isprintable() and " " not in key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key
    assert auth.ensure_api_key(data) == key
    assert [p.name for p in data.iterdir()] == [auth.KEY_FILE]  # no temporary left behind


def test_ensure_api_key_keeps_a_key_put_there(tmp_path: Path) -> None:
    (tmp_path / auth.KEY_FILE).write_text("my-own-key\n")
    assert auth.ensure_api_key(tmp_path) == "my-own-key"


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: auth.ensure_api_key(tmp_path), range(32)))
    assert keys == {auth.read_key_file(tmp_path)}


def test_an_empty_key_file_fails_loudly(tmp_path: Path, make_app: AppFactory) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / auth.KEY_FILE).write_text("\n")
    with pytest.raises(ValueError, match="is empty: delete it"):
        auth.ensure_api_key(tmp_path / "data")
    with pytest.raises(ValueError, match="is empty"):
        make_app()


# --- the OpenAPI document --------------------------------------------------------------


def test_openapi_documents_the_bearer_scheme_on_writes_only(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    scheme = spec["components"]["securitySchemes"][auth.SECURITY_SCHEME]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    secured = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method != "parameters" and operation.get("security") == [{auth.SECURITY_SCHEME: []}]
    }
    assert {
        ("POST", "/api/v1/articles"),
        ("POST", "/api/v1/articles/bulk"),
        ("DELETE", "/api/v1/articles/{article_id}"),
    } <= secured
    assert not {method for method, _ in secured} & {"GET", "HEAD"}
    for method, path in secured:
        responses = spec["paths"][path][method.lower()]["responses"]
        assert "application/problem+json" in responses["401"]["content"]
        assert "WWW-Authenticate" in responses["401"]["headers"]
        assert "Retry-After" in responses["429"]["headers"]


# --- the write rate limit --------------------------------------------------------------


def test_too_many_writes_are_429_with_retry_after(make_app: AppFactory) -> None:
    client = make_app(API_KEYS="k-one,k-two", WRITE_RATE_LIMIT=3).test_client()
    for _ in range(3):
        assert client.delete("/api/v1/articles/none", headers=bearer("k-one")).status_code == 404
    response = client.delete("/api/v1/articles/none", headers=bearer("k-one"))
    body = assert_problem(response, 429)
    assert response.headers["Retry-After"] == "20"  # one write every 60/3 s
    assert "3 a minute" in body["detail"]
    # Each key has its own budget, and reads are never limited.
    assert client.delete("/api/v1/articles/none", headers=bearer("k-two")).status_code == 404
    assert client.get("/api/v1/quotes").status_code == 200


def test_guessing_keys_is_limited_too(make_app: AppFactory) -> None:
    client = make_app(API_KEYS="k-one", WRITE_RATE_LIMIT=2).test_client()
    for guess in ("a", "b"):
        assert_problem(client.delete("/api/v1/articles/none", headers=bearer(guess)), 401)
    response = client.delete("/api/v1/articles/none", headers=bearer("c"))
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    # The right key is charged to itself, not to the address that guessed.
    assert client.delete("/api/v1/articles/none", headers=bearer("k-one")).status_code == 404


def test_a_limit_of_zero_turns_it_off(make_app: AppFactory) -> None:
    client = make_app(API_KEYS="k-one", WRITE_RATE_LIMIT=0).test_client()
    statuses = {
        client.delete("/api/v1/articles/none", headers=bearer("k-one")).status_code
        for _ in range(700)
    }  # more than the default limit of 600
    assert statuses == {404}


@pytest.mark.parametrize("value", [-1, "lots", 1.5, True])
def test_a_bad_limit_fails_at_start(make_app: AppFactory, value: object) -> None:
    with pytest.raises(ValueError, match="WRITE_RATE_LIMIT"):
        make_app(API_KEYS="k-one", WRITE_RATE_LIMIT=value)


def test_the_limit_comes_from_the_environment(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTEAPI_WRITE_RATE_LIMIT", "1")
    client = make_app(API_KEYS="k-one").test_client()
    assert client.delete("/api/v1/articles/none", headers=bearer("k-one")).status_code == 404
    assert_problem(client.delete("/api/v1/articles/none", headers=bearer("k-one")), 429)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_refills_evenly_over_the_minute() -> None:
    clock = _Clock()
    limiter = TokenBucketLimiter(60, clock=clock)
    assert [limiter.take("a") for _ in range(60)] == [0.0] * 60  # a full minute as a burst
    assert limiter.take("a") == pytest.approx(1.0)
    clock.now += 0.5
    assert limiter.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.take("a") == 0.0
    assert limiter.take("b") == 0.0  # clients are apart
    clock.now += 3600
    assert [limiter.take("a") for _ in range(61)].count(0.0) == 60  # never more than a burst


@pytest.mark.parametrize(
    ("value", "keys"),
    [
        (None, ()),
        ("", ()),
        (" , ", ()),
        ([], ()),
        ("a,b", ("a", "b")),
        (["a", " b "], ("a", "b")),
    ],
)
def test_configured_api_keys(value: object, keys: tuple[str, ...]) -> None:
    assert auth.configured_api_keys({"API_KEYS": value}) == keys
