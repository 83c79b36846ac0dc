"""A real `quoteapi serve` (gunicorn) on a free loopback port, queried over HTTP."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from harness import request, served

pytestmark = pytest.mark.server


def test_serve_seeds_and_answers(tmp_path: Path) -> None:
    # No key configured: serve makes one, keeps it in the data directory and prints it.
    with served(tmp_path / "data", workers=2, env={"QUOTEAPI_API_KEYS": ""}) as server:

        def get(path: str) -> Any:
            answer = request(f"{server.base}{path}")
            assert answer.status == 200, answer
            return answer.body

        health = get("/healthz")
        assert health["articles"] == 5 and health["index_lag"] == 0
        key = (tmp_path / "data" / "api-key").read_text().strip()
        assert len(key) >= 32

        kirby = get("/api/v1/quotes?speaker=kirby")
        assert kirby["total"] >= 2
        assert {h["speaker"]["name"] for h in kirby["results"]} == {"John Kirby"}
        assert all(h["article"]["id"] for h in kirby["results"])
        ammo = get("/api/v1/quotes?q=ammunition")
        assert "Matthew Miller" in {h["speaker"]["name"] for h in ammo["results"]}

        article = {"text": "The mayor, Ro Vik, said: “Bridges next.”"}
        assert request(f"{server.base}/api/v1/articles", "POST", article, key=None).status == 401
        assert request(f"{server.base}/api/v1/articles", "POST", article, key=key).status == 201
        deadline = time.monotonic() + 10
        while get("/api/v1/quotes?q=bridges")["total"] == 0:
            assert time.monotonic() < deadline, "posted article never became searchable"
            time.sleep(0.1)
        log = server.log_path
    text = log.read_text()
    assert key in text
    # each worker read the index's arrays as it started, before its first search
    assert text.count("index read in") == 2
