"""The load, crash and live-reindex procedures, small: real gunicorn, real SIGKILLs.

`pytest -m reliability` runs just these; scripts/load.py and scripts/crash.py run them
at full size (docs/reliability.md).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from crash import run_crash
from harness import API_KEY, Server, article, request, served, token
from hostile import CASES, SERVED_STATUS, fingerprint
from load import run_load

from quoteapi.store import Store

pytestmark = [pytest.mark.server, pytest.mark.reliability]


def test_load_small(tmp_path: Path) -> None:
    with served(tmp_path / "data", workers=4) as server:
        seeded = request(f"{server.base}/healthz").body["articles"]
        report = run_load(server.base, articles=100, posters=16, searchers=2, deadline=120)
        health = server.wait_indexed(timeout=60)
    summary = report.summary()
    assert report.created == 100 and not report.server_errors, summary
    assert not report.partial, f"half an article was seen: {report.partial[:3]}"
    assert not report.duplicates, f"duplicates: {report.duplicates[:3]}"
    assert not report.missing, f"acknowledged, never searchable: {report.missing[:3]}"
    assert health["articles"] == seeded + 100 and health["indexed_quotes"] == health["quotes"]
    assert max(report.lags) < 60, summary


def _until(check: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        time.sleep(0.05)
    return found


def _parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


def test_one_indexer_process_outlives_its_worker_and_is_restarted(tmp_path: Path) -> None:
    with served(tmp_path / "data", workers=2) as server:

        def searchable(n: int) -> None:
            answer = request(f"{server.base}/api/v1/articles", "POST", article(n, "idx"))
            assert answer.status == 201, answer
            word = token(n, "idx")
            _until(
                lambda: request(f"{server.base}/api/v1/quotes?q={word}").body["total"] == 3,
                f"article {n} searchable without waiting for it",
            )

        (indexer,) = _until(server.indexer_pids, "an indexer process")
        searchable(1)
        # Its worker dies: it goes on indexing, and no second one starts.
        spawner = _parent_of(indexer)
        assert spawner in server.worker_pids()
        server.kill_worker(spawner)
        server.wait_workers()
        searchable(2)
        time.sleep(1.5)  # more than a worker waits between tries for the lock
        assert server.indexer_pids() == [indexer]
        # It dies itself: a worker starts another.
        os.kill(indexer, 9)
        (second,) = _until(lambda: [p for p in server.indexer_pids() if p != indexer], "another")
        searchable(3)
        assert server.indexer_pids() == [second]
        # The master dies: the indexer, whose worker is still alive, stops by itself.
        os.kill(server.pid, 9)
        _until(lambda: not server.indexer_pids(), "the indexer to stop after the master")


def test_crash_loses_nothing_acknowledged(tmp_path: Path) -> None:
    server = Server(tmp_path / "data", workers=4)
    server.start()
    try:
        report = run_crash(server, kills=20, posters=4, pace=0.05, deadline=240, seed=6)
    finally:
        server.stop()
    summary = report.summary()
    assert sum(report.kills.values()) == 20 and report.kills["server"] >= 1, summary
    assert report.kills_after_posting == 0, summary
    assert report.acknowledged > 0, summary
    assert not report.lost, f"acknowledged but lost: {report.lost[:5]}"
    assert not report.unsearchable, f"acknowledged but not searchable: {report.unsearchable[:5]}"
    assert not report.duplicated, f"duplicated: {report.duplicated[:5]}"
    assert not report.server_errors, report.server_errors[:5]


def test_reindex_swaps_while_the_server_answers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with served(data, workers=2) as server:
        for n in range(60):
            assert request(f"{server.base}/api/v1/articles", "POST", article(n, "rb")).status == 201
        server.wait_indexed()
        failures: list[str] = []
        searched = [0]
        posted: list[int] = []
        stop = threading.Event()

        def reader() -> None:
            while not stop.is_set():
                answer = request(f"{server.base}/api/v1/quotes?q=bridge&page_size=5")
                if answer.status != 200 or answer.body["total"] < 60:
                    failures.append(f"search: {answer.status} {answer.error or answer.body}")
                searched[0] += 1

        def writer() -> None:
            n = 100
            while not stop.is_set():
                answer = request(f"{server.base}/api/v1/articles", "POST", article(n, "rb"))
                if answer.status != 201:
                    failures.append(f"post: {answer.status} {answer.error or answer.body}")
                posted.append(n)
                n += 1

        threads = [threading.Thread(target=reader) for _ in range(3)]
        threads.append(threading.Thread(target=writer))
        for thread in threads:
            thread.start()
        try:
            time.sleep(0.5)
            quoteapi = Path(sys.executable).with_name("quoteapi")
            result = subprocess.run(
                [str(quoteapi), "reindex", "--re-extract"],
                env={**os.environ, "QUOTEAPI_DATA_DIR": str(data)},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        assert result.returncode == 0, result.stderr
        assert "indexed" in result.stdout and "into index-1" in result.stdout
        assert (data / "index-current").read_text() == "index-1"
        assert not failures, failures[:5]
        assert searched[0] > 10 and len(posted) > 5
        health = server.wait_indexed()
        assert health["indexed_quotes"] == health["quotes"]
        # Every worker has moved to the new index (requests land on either of the two).
        assert {request(f"{server.base}/healthz").body["index"] for _ in range(20)} == {"index-1"}
        # Every article, from before and during the rebuild, is found in the new index.
        for n in [*range(60), *posted]:
            found = request(f"{server.base}/api/v1/quotes?q={quote(token(n, 'rb'))}")
            assert found.status == 200 and found.body["total"] == 3, (n, found.body)


def _raw(
    port: int, method: str, target: str, content_type: str | None, body: bytes | None
) -> tuple[int, str, bytes]:
    """Send one request as bytes and read the answer: (status, content type, body)."""
    head = [
        f"{method} {target} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        f"Authorization: Bearer {API_KEY}",
    ]
    if content_type:
        head.append(f"Content-Type: {content_type}")
    if body is not None:
        head.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        # Refused before the body was read (413): the answer is waiting all the same.
        with suppress(OSError):
            sock.sendall(body or b"")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    header_block, _, payload = answer.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), payload


def test_hostile_requests_through_gunicorn(tmp_path: Path) -> None:
    with served(tmp_path / "data", workers=2) as server:
        store = Store(tmp_path / "data")
        try:
            before = fingerprint(store)
            for name, method, target, content_type, body, status in CASES:
                got, mimetype, payload = _raw(server.port, method, target, content_type, body)
                want = SERVED_STATUS.get(name, status)
                assert (got, mimetype) == (want, "application/problem+json"), (name, payload)
                problem = json.loads(payload)
                assert problem["status"] == want and problem["detail"], (name, problem)
                assert b"Traceback" not in payload and b"/work" not in payload, name
                assert b"sqlite" not in payload.lower(), name
            assert fingerprint(store) == before
        finally:
            store.close()
