"""Hostile requests answer 4xx problem+json and change nothing stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import API_KEY, SEEDS
from flask import Flask
from hostile import CASES, fingerprint
from problems import assert_problem

from quoteapi import create_app
from quoteapi.ingest import seed_if_empty
from quoteapi.store import get_store


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One seeded app for every case: each must leave it as it found it."""
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path_factory.mktemp("hostile")),
            "BACKGROUND_INDEXER": False,
            "API_KEYS": API_KEY,
        }
    )
    with app.app_context():
        seed_if_empty(get_store(), SEEDS)
    yield app
    app.extensions["quoteapi.store"].close()


@pytest.mark.parametrize(
    ("name", "method", "target", "content_type", "body", "status"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_hostile_request_is_refused_and_changes_nothing(
    seeded_app: Flask,
    name: str,
    method: str,
    target: str,
    content_type: str | None,
    body: bytes | None,
    status: int,
) -> None:
    store = seeded_app.extensions["quoteapi.store"]
    before = fingerprint(store)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    if content_type:
        headers["Content-Type"] = content_type
    response = seeded_app.test_client().open(target, method=method, data=body, headers=headers)
    assert_problem(response, status)
    assert fingerprint(store) == before, f"{name} changed stored data"
