"""The error contract: every error status the API answers, in the one problem shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import API_KEY, AppFactory
from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.ingest import seed_if_empty
from quoteapi.store import get_store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def strict(make_app: AppFactory) -> FlaskClient:
    """An app with small limits, seeded, so that every error can be provoked."""
    app = make_app(
        API_KEYS=API_KEY, MAX_CONTENT_LENGTH=2000, WRITE_RATE_LIMIT=3, SEARCH_TIME_BUDGET=0.0
    )
    with app.app_context():
        seed_if_empty(get_store(), SEEDS)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {API_KEY}"
    return client


CASES: list[tuple[int, str, Callable[[FlaskClient], object]]] = [
    (400, "bad query", lambda c: c.get("/api/v1/quotes?q=a*")),
    (
        400,
        "malformed JSON",
        lambda c: c.post("/api/v1/articles", data="{", content_type="application/json"),
    ),
    (
        401,
        "no key",
        lambda c: c.post("/api/v1/articles", json={"text": "x"}, headers={"Authorization": ""}),
    ),
    (
        401,
        "wrong key",
        lambda c: c.post(
            "/api/v1/articles", json={"text": "x"}, headers={"Authorization": "Bearer nope"}
        ),
    ),
    (404, "no article", lambda c: c.get("/api/v1/articles/0000")),
    (404, "no route", lambda c: c.get("/api/v2/quotes")),
    (405, "wrong method", lambda c: c.patch("/api/v1/quotes")),
    (413, "too large", lambda c: c.post("/api/v1/articles", json={"text": "x" * 5000})),
    (
        415,
        "wrong type",
        lambda c: c.post("/api/v1/articles", data=b"x", content_type="application/pdf"),
    ),
    (422, "invalid field", lambda c: c.post("/api/v1/articles", json={"text": ""})),
    (503, "over time budget", lambda c: c.get("/api/v1/quotes?q=putin")),
]


@pytest.mark.parametrize(
    ("status", "case"), [(s, c) for s, c, _ in CASES], ids=[f"{s}-{c}" for s, c, _ in CASES]
)
def test_every_error_is_a_problem(strict: FlaskClient, status: int, case: str) -> None:
    request = next(call for s, c, call in CASES if (s, c) == (status, case))
    assert_problem(request(strict), status)  # type: ignore[arg-type]


def test_409_conflict(strict: FlaskClient) -> None:
    strict.post("/api/v1/articles", json={"text": "He said “yes”."})
    assert_problem(
        strict.post("/api/v1/articles?replace=false", json={"text": "He said “yes”."}), 409
    )


def test_429_with_retry_after(strict: FlaskClient) -> None:
    statuses = [
        strict.post("/api/v1/articles", json={"text": f"Note {i}"}).status_code for i in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    response = strict.post("/api/v1/articles", json={"text": "Note 9"})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


def test_503_says_when_to_retry(strict: FlaskClient) -> None:
    response = strict.get("/api/v1/quotes?speaker=putin")
    body = assert_problem(response, 503)
    assert response.headers["Retry-After"] == "1" and "time budget" in body["detail"]


def test_500_hides_the_trace(make_app: AppFactory) -> None:
    app = make_app()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("/secret/path SELECT * FROM quotes")

    body = assert_problem(app.test_client().get("/boom"), 500)
    assert "secret" not in body["detail"] and "SELECT" not in body["detail"]
