"""quoteapi: who said what in the news.

``create_app()`` builds the WSGI app (gunicorn loads ``quoteapi:create_app()``).
Settings come from defaults, then ``QUOTEAPI_*`` environment variables, then the
mapping passed in (tests).
"""

from __future__ import annotations

import contextlib
import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__version__ = version("quoteapi")

# A checkout (or an editable install) has seeds/ beside the package; otherwise ./seeds.
_PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_SEEDS = _PROJECT_SEEDS if _PROJECT_SEEDS.is_dir() else Path("seeds")

DEFAULTS: dict[str, Any] = {
    "DATA_DIR": "data",
    "SEEDS_DIR": str(_SEEDS),
    "BACKGROUND_INDEXER": True,
    # "thread": a thread per process catches the index up; "process": one indexer
    # process per data directory (what `quoteapi serve` and the container use).
    "INDEXER": "thread",
    "INDEX_INTERVAL": 0.1,
    "INDEX_BATCH_SIZE": 500,
    "SEARCH_TIME_BUDGET": 5.0,
    "API_KEYS": "",
    "CORS_ORIGINS": "",
    "WRITE_RATE_LIMIT": 600,
    # The whole request body; and an article's text, in UTF-8 (413 past either). Long
    # articles run to ~100 KB; 512 KiB bounds the slowest adversarial text measured
    # (benchmarks/bench_adversarial.py) to a few seconds of a worker.
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    "MAX_ARTICLE_BYTES": 512 * 1024,
    # How long POST ...?wait=indexed waits for search to find the article.
    "WAIT_INDEXED_TIMEOUT": 10.0,
    "JSON_SORT_KEYS": False,
    "API_TITLE": "quoteapi",
    "API_VERSION": __version__,
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


_ENV_PREFIX = "QUOTEAPI_"


def load_settings(settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``QUOTEAPI_*`` from the environment, then ``settings``.

    An environment value is read as JSON when it is JSON, else kept as text, and
    ``QUOTEAPI_A__B`` sets ``B`` in the mapping ``A``: what Flask's
    ``Config.from_prefixed_env`` does (the command line reads settings without
    importing Flask).
    """
    config: dict[str, Any] = dict(DEFAULTS)
    for key in sorted(os.environ):
        if not key.startswith(_ENV_PREFIX):
            continue
        value: Any = os.environ[key]
        with contextlib.suppress(Exception):  # not JSON: kept as text, as Flask does
            value = json.loads(value)
        *parents, name = key.removeprefix(_ENV_PREFIX).split("__")
        current = config
        for parent in parents:
            current = current.setdefault(parent, {})
        current[name] = value
    config.update(settings or {})
    return config


def create_app(settings: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then QUOTEAPI_* from the environment, then ``settings``."""
    from flask import Flask

    from quoteapi import api, dashboard, store

    app = Flask(__name__)
    app.config.update(load_settings(settings))
    app.json.sort_keys = app.config["JSON_SORT_KEYS"]  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # UTF-8 out: quotes stay legible
    store.init_app(app)
    api.init_app(app)
    dashboard.init_app(app)
    return app
