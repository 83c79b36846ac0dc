"""A real `quoteapi serve` (gunicorn) on a free loopback port, queried over HTTP."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest
from served import serve

pytestmark = pytest.mark.server


def test_serve_seeds_and_answers(tmp_path: Path) -> None:
    with serve(tmp_path / "data") as server:
        health = server.get("/healthz")
        assert health["articles"] == 5 and health["index_lag"] == 0
        # No key was configured: serve made one, kept it in the data directory, printed it.
        key = (tmp_path / "data" / "api-key").read_text().strip()
        assert len(key) >= 32

        kirby = server.get("/api/v1/quotes?speaker=kirby")
        assert kirby["total"] >= 2
        assert {h["speaker"]["name"] for h in kirby["results"]} == {"John Kirby"}
        assert all(h["article"]["id"] for h in kirby["results"])
        ammo = server.get("/api/v1/quotes?q=ammunition")
        assert "Matthew Miller" in {h["speaker"]["name"] for h in ammo["results"]}

        request = urllib.request.Request(
            f"{server.base}/api/v1/articles", method="POST",
            data=json.dumps({"text": "The mayor, Ro Vik, said: “Bridges next.”"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
        deadline = time.monotonic() + 10
        while server.get("/api/v1/quotes?q=bridges")["total"] == 0:
            assert time.monotonic() < deadline, "posted article never became searchable"
            time.sleep(0.1)
    assert key in server.log.read_text()
