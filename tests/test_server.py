"""A real `quoteapi serve` (gunicorn) on a free loopback port, queried over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def test_serve_seeds_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "QUOTEAPI_DATA_DIR": str(tmp_path / "data")}
    quoteapi = Path(sys.executable).with_name("quoteapi")
    server = subprocess.Popen(
        [str(quoteapi), "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    key = "(not read)"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, "server exited at start"
                assert time.monotonic() < deadline, "server did not start in 30 s"
                time.sleep(0.2)
        assert health["articles"] == 5 and health["index_lag"] == 0
        # No key was configured: serve made one, kept it in the data directory, printed it.
        key = (tmp_path / "data" / "api-key").read_text().strip()
        assert len(key) >= 32

        kirby = _get(f"{base}/api/v1/quotes?speaker=kirby")
        assert kirby["total"] >= 2
        assert {h["speaker"]["name"] for h in kirby["results"]} == {"John Kirby"}
        ammo = _get(f"{base}/api/v1/quotes?q=ammunition")
        assert "Matthew Miller" in {h["speaker"]["name"] for h in ammo["results"]}

        request = urllib.request.Request(
            f"{base}/api/v1/articles", method="POST",
            data=json.dumps({"text": "The mayor, Ro Vik, said: “Bridges next.”"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
        deadline = time.monotonic() + 10
        while _get(f"{base}/api/v1/quotes?q=bridges")["total"] == 0:
            assert time.monotonic() < deadline, "posted article never became searchable"
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert key in output
