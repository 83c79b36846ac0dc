"""Fixtures: an app over a real temporary SQLite database and Whoosh index."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quoteapi import create_app
from quoteapi.extract import Quote, Speaker
from quoteapi.store import NewArticle, Store, get_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
# The load and crash procedures (scripts/) run small as tests.
sys.path.insert(0, str(ROOT / "scripts"))


API_KEY = "test-key-0123456789"

AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[AppFactory]:
    """Build apps over tmp_path/data (no background indexer) with the given settings."""
    apps: list[Flask] = []

    def make(**settings: Any) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "DATA_DIR": str(tmp_path / "data"),
                "BACKGROUND_INDEXER": False,
                **settings,
            }
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["quoteapi.store"].close()


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app(API_KEYS=API_KEY)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client that sends the API key with every request."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {API_KEY}"
    return client


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    """A client with no API key."""
    return app.test_client()


@pytest.fixture
def store(app: Flask) -> Iterator[Store]:
    with app.app_context():
        yield get_store()


@pytest.fixture
def seeded(app: Flask, store: Store) -> Store:
    from quoteapi.ingest import seed_if_empty

    assert seed_if_empty(store, SEEDS) == 5
    return store


def make_article(text: str, said: list[tuple[str, str | None]], **meta: Any) -> NewArticle:
    """An article whose quotes are given: each (quoted words, speaker name) found in text."""
    quotes = []
    for words, name in said:
        start = text.index(words)
        speaker = Speaker(name=name, type="person" if name else "unknown", mention=name)
        quotes.append(Quote(words, start, start + len(words), speaker, "said", "direct", 0.9))
    return NewArticle(text=text, quotes=quotes, **meta)
