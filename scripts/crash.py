"""Crash: SIGKILL workers, the indexer while it writes, and the whole server, at random
moments while clients post; then restart and check that every acknowledged (201) article
is readable and all its quotes are searchable, each once.

usage: .venv/bin/python scripts/crash.py [--kills 30] [--posters 8] [--pace 0.02]
                                         [--max-articles 5000] [--workers 4]
                                         [--deadline 600] [--seed 1]

Clients post from before the first kill until after the last one (each waits --pace
seconds between posts), so every kill lands while articles are being written.

Talks to 127.0.0.1 only; the data lives in a temporary directory, deleted afterwards.
Stops by itself after the kills (or the deadline) and exits 1 if anything acknowledged
was lost, is not searchable, or shows twice.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Server, article, request, token

KINDS = ("worker", "indexer", "server")


@dataclass
class CrashReport:
    kills: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    posted: int = 0
    acknowledged: int = 0
    unanswered: int = 0  # no HTTP answer: the server died under the request
    server_errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # acknowledged, not readable
    unsearchable: list[str] = field(default_factory=list)  # readable, quotes not all found
    duplicated: list[str] = field(default_factory=list)
    seconds: float = 0.0
    restarts: int = 0
    kills_after_posting: int = 0  # the article cap was reached first: a procedure too small

    @property
    def ok(self) -> bool:
        return not (self.lost or self.unsearchable or self.duplicated or self.server_errors)

    def summary(self) -> dict[str, object]:
        return {
            "kills": self.kills,
            "kills_total": sum(self.kills.values()),
            "server_restarts": self.restarts,
            "posted": self.posted,
            "acknowledged_201": self.acknowledged,
            "unanswered": self.unanswered,
            "5xx": len(self.server_errors),
            "lost": len(self.lost),
            "unsearchable": len(self.unsearchable),
            "duplicated": len(self.duplicated),
            "kills_after_posting": self.kills_after_posting,
            "seconds": round(self.seconds, 1),
        }


def run_crash(
    server: Server,
    kills: int = 30,
    posters: int = 8,
    pace: float = 0.02,
    max_articles: int = 5000,
    deadline: float = 600.0,
    seed: int = 1,
    mix: tuple[float, float, float] = (0.5, 0.3, 0.2),
) -> CrashReport:
    """Post while killing ``kills`` times (worker, indexer, whole server by ``mix``)."""
    rng = random.Random(seed)
    run = "".join(rng.choice("bcdfg") for _ in range(3))
    report = CrashReport()
    lock = threading.Lock()
    acked: dict[int, tuple[str, int]] = {}  # article number -> (id, quotes) from its 201
    next_article = iter(range(max_articles))
    exhausted = threading.Event()
    up = threading.Event()
    up.set()
    stop = threading.Event()
    started = time.monotonic()
    ends = started + deadline

    def poster() -> None:
        n: int | None = None
        while not stop.is_set() and time.monotonic() < ends:
            if n is None:
                with lock:
                    n = next(next_article, None)
                if n is None:
                    exhausted.set()
                    return
            up.wait(timeout=30)
            answer = request(f"{server.base}/api/v1/articles", "POST", article(n, run), timeout=20)
            with lock:
                report.posted += 1
                if answer.status == 201:
                    report.acknowledged += 1
                    acked[n] = (answer.body["id"], len(answer.body["quotes"]))
                elif answer.status == 0:
                    report.unanswered += 1
                elif answer.status >= 500:
                    report.server_errors.append(f"POST {n}: {answer.status} {answer.body}")
            if answer.status == 201:
                n = None
                time.sleep(pace)
            else:  # the server died under it: post it again (same url: replaces)
                time.sleep(0.05)

    threads = [threading.Thread(target=poster, name=f"poster-{i}") for i in range(posters)]
    for thread in threads:
        thread.start()
    # The kinds are drawn up front, so a seed always gives the same mix; from 5 kills on,
    # at least one takes the whole server down.
    kinds = rng.choices(KINDS, weights=mix, k=kills)
    if kills >= 5 and "server" not in kinds:
        kinds[rng.randrange(kills)] = "server"
    try:
        for kind in kinds:
            if time.monotonic() > ends:
                break
            time.sleep(rng.uniform(0.05, 0.6))
            if kind == "server":
                up.clear()
                server.kill_all()
                report.kills["server"] += 1
                report.kills_after_posting += exhausted.is_set()
                time.sleep(rng.uniform(0, 0.3))
                server.start()
                report.restarts += 1
                up.set()
                continue
            pid = server.index_writer_pid() if kind == "indexer" else None
            if pid is None or pid not in _server_pids(server):
                if kind == "indexer":  # nobody is indexing this instant: wait for a writer
                    pid = _wait_for_indexer(server, timeout=2.0)
                if kind == "indexer" and pid is None:  # or kill the indexer, idle
                    pid = next(iter(server.indexer_pids()), None)
                if pid is None:
                    kind = "worker"
                    pid = rng.choice(server.worker_pids() or [0])
            if pid and server.kill_worker(pid):
                report.kills[kind] += 1
                report.kills_after_posting += exhausted.is_set()
            server.wait_workers()
    finally:
        stop.set()
        up.set()
        for thread in threads:
            thread.join(timeout=60)
    report.seconds = time.monotonic() - started
    _check(server, run, acked, report)
    return report


def _server_pids(server: Server) -> list[int]:
    """The processes a kill may hit: the workers and the indexer process."""
    return server.worker_pids() + server.indexer_pids()


def _wait_for_indexer(server: Server, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = server.index_writer_pid()
        if pid is not None and pid in _server_pids(server):
            return pid
        time.sleep(0.005)
    return None


def _check(
    server: Server, run: str, acked: dict[int, tuple[str, int]], report: CrashReport
) -> None:
    """Restart cleanly, let the index catch up, then read and search every acknowledged one."""
    server.stop()
    server.start()
    report.restarts += 1
    server.wait_indexed(timeout=120)

    def check_one(item: tuple[int, tuple[str, int]]) -> None:
        n, (article_id, quotes) = item
        posted = article(n, run)
        read = request(f"{server.base}/api/v1/articles/{article_id}", timeout=10)
        if read.status != 200 or read.body["text"] != posted["text"]:
            report.lost.append(f"article {n}: {read.status}")
            return
        found = request(f"{server.base}/api/v1/quotes?q={token(n, run)}&page_size=100")
        ids = [hit["id"] for hit in found.body["results"]] if found.status == 200 else []
        stored = {q["id"] for q in read.body["quotes"]}
        if len(ids) != len(set(ids)) or (found.status == 200 and found.body["total"] > len(stored)):
            report.duplicated.append(f"article {n}: {len(ids)} hits for {len(stored)} quotes")
        elif set(ids) != stored or len(stored) != quotes:
            report.unsearchable.append(f"article {n}: found {len(ids)} of {len(stored)}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(check_one, sorted(acked.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--posters", type=int, default=8)
    parser.add_argument("--pace", type=float, default=0.02, help="seconds between posts")
    parser.add_argument("--max-articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--deadline", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # A SIGTERM (timeout, Ctrl-C of a CI job) unwinds, so the server is stopped too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="quoteapi-crash-") as tmp:
        server = Server(Path(tmp) / "data", workers=args.workers)
        server.start()
        try:
            report = run_crash(
                server,
                args.kills,
                args.posters,
                args.pace,
                args.max_articles,
                args.deadline,
                args.seed,
            )
        finally:
            server.stop()
    print(json.dumps(report.summary(), indent=2))
    for problem in (report.lost + report.unsearchable + report.duplicated + report.server_errors)[
        :20
    ]:
        print("problem:", problem, file=sys.stderr)
    if not report.ok or sum(report.kills.values()) < args.kills or report.kills_after_posting:
        sys.exit(1)


if __name__ == "__main__":
    main()


__all__ = ["CrashReport", "run_crash"]
