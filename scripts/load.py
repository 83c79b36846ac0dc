"""Load: gunicorn with 4 workers, 32 client threads posting 1,000 distinct articles while
others search; counts 201s, 5xx, duplicates, half-seen articles and the lag from each 201
until search finds the article.

usage: .venv/bin/python scripts/load.py [--articles 1000] [--posters 32] [--searchers 4]
                                        [--workers 4] [--deadline 600]

Talks to 127.0.0.1 only; the data lives in a temporary directory, deleted afterwards.
Exits 1 if any article was not acknowledged, any answer was a 5xx, any article shows
twice or half in search, or the run passed its deadline.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Server, article, request, served, token

from quoteapi.store.index import _SEQ_FILE as SEQ_FILE
from quoteapi.store.index import current_index_dir

_SEARCHES = [
    "bridge",
    "tolls",
    "project",
    "putin",
    "kirby",
    "missiles",
    '"in full"',
    "bridge OR tolls",
    "monday -bridge",
]
_SPEAKERS = ["ada stone", "ro vik", "kim hale", "putin", "kirby"]


@dataclass
class LoadReport:
    articles: int
    seconds: float = 0.0
    created: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    searches: int = 0
    partial: list[str] = field(default_factory=list)  # an article seen with some of its quotes
    duplicates: list[str] = field(default_factory=list)  # seen more than once
    missing: list[str] = field(default_factory=list)  # acknowledged, never found
    lags: list[float] = field(default_factory=list)  # 201 to found by a search, seconds
    index_lags: list[float] = field(default_factory=list)  # 201 to committed in the index
    backlog: list[int] = field(default_factory=list)  # index_lag seen by /healthz, per 0.5 s
    stored_articles: int = 0

    def percentile(self, p: float, lags: list[float] | None = None) -> float:
        lags = self.lags if lags is None else lags
        if not lags:
            return float("nan")
        ordered = sorted(lags)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def ok(self) -> bool:
        return (
            self.created == self.articles
            and not self.server_errors
            and not self.partial
            and not self.duplicates
            and not self.missing
        )

    def summary(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "created_201": self.created,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "5xx": len(self.server_errors),
            "searches": self.searches,
            "duplicates": len(self.duplicates),
            "half_seen": len(self.partial),
            "never_searchable": len(self.missing),
            "stored_articles": self.stored_articles,
            "seconds": round(self.seconds, 2),
            "posts_per_second": round(self.created / self.seconds, 1) if self.seconds else 0,
            "lag_p50_s": round(self.percentile(50), 3),
            "lag_p95_s": round(self.percentile(95), 3),
            "lag_max_s": round(max(self.lags, default=float("nan")), 3),
            "lag_mean_s": round(statistics.fmean(self.lags), 3) if self.lags else None,
            "index_lag_p50_s": round(self.percentile(50, self.index_lags), 3),
            "index_lag_p95_s": round(self.percentile(95, self.index_lags), 3),
            "index_lag_max_s": round(max(self.index_lags, default=float("nan")), 3),
            "index_backlog_max": max(self.backlog, default=0),
        }


# Tokens asked for in one search: "a OR b OR ..." stays within the 50 words a query may
# have, and their 3 quotes each within one page of 100.
_PER_SEARCH = 25


class _Watch:
    """Acknowledged articles not yet seen whole in search, polled by watcher threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # token -> (time of the 201, ids of the article's quotes), oldest first
        self.pending: dict[str, tuple[float, frozenset[str]]] = {}

    def add(self, word: str, acked: float, quotes: frozenset[str]) -> None:
        with self.lock:
            self.pending[word] = (acked, quotes)

    def snapshot(self) -> list[tuple[str, float, frozenset[str]]]:
        with self.lock:
            return [(w, t, q) for w, (t, q) in self.pending.items()]

    def done(self, word: str) -> None:
        with self.lock:
            self.pending.pop(word, None)


def _change_of(data_dir: Path, article_id: str) -> int:
    """The change number of the stored article (read-only, as any reader of the file)."""
    db = sqlite3.connect(f"file:{data_dir / 'quotes.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        row = db.execute("SELECT seq FROM articles WHERE id = ?", (article_id,)).fetchone()
    finally:
        db.close()
    return int(row[0])


def _indexed_seq(data_dir: Path) -> int:
    """The last change the index in use holds, as the server's indexer recorded it."""
    try:
        return int((current_index_dir(data_dir) / SEQ_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return 0


def run_load(
    base: str,
    articles: int = 1000,
    posters: int = 32,
    searchers: int = 4,
    watchers: int = 4,
    deadline: float = 600.0,
    seed: int = 1,
    data_dir: Path | None = None,
) -> LoadReport:
    """Post ``articles`` from ``posters`` threads while others search; see the module doc.

    With the server's ``data_dir`` it also times each article from its 201 to the index
    commit that holds it (read from the index's own record of the last change it holds),
    which search polling through a saturated server can only bound from above.
    """
    report = LoadReport(articles)
    run = "".join(random.Random(seed).choice("bcdfg") for _ in range(3))
    lock = threading.Lock()
    next_article = iter(range(articles))
    watch = _Watch()
    committed: list[tuple[int, float]] = []  # (change number, 201 time), for index_watcher
    posting_done = threading.Event()
    stop = threading.Event()
    started = time.monotonic()
    ends = started + deadline

    def note(status: int, what: str) -> None:
        with lock:
            report.statuses[status] = report.statuses.get(status, 0) + 1
            if status >= 500 or status == 0:
                report.server_errors.append(f"{status} {what}")

    def poster() -> None:
        while time.monotonic() < ends:
            with lock:
                n = next(next_article, None)
            if n is None:
                return
            answer = request(f"{base}/api/v1/articles", "POST", article(n, run))
            note(answer.status, f"POST article {n}: {answer.error or answer.body}")
            if answer.status == 201:
                with lock:
                    report.created += 1
                acked = time.monotonic()
                quotes = frozenset(q["id"] for q in answer.body["quotes"])
                watch.add(token(n, run), acked, quotes)
                if data_dir is not None:
                    seq = _change_of(data_dir, answer.body["id"])
                    with lock:
                        committed.append((seq, acked))

    def searcher(rng: random.Random) -> None:
        while not stop.is_set():
            if rng.random() < 0.5:
                query = f"q={quote(rng.choice(_SEARCHES))}"
            else:
                query = f"speaker={quote(rng.choice(_SPEAKERS))}"
            answer = request(f"{base}/api/v1/quotes?{query}&page_size=5")
            note(answer.status, f"GET quotes?{query}: {answer.error or answer.body}")
            with lock:
                report.searches += 1

    def watcher(part: int) -> None:
        while not stop.is_set():
            pending = watch.snapshot()
            chunks = [pending[i : i + _PER_SEARCH] for i in range(0, len(pending), _PER_SEARCH)]
            mine = chunks[part::watchers]
            if not mine:
                if posting_done.is_set() and not pending:
                    return
                time.sleep(0.01)
                continue
            for chunk in mine:
                query = quote(" OR ".join(word for word, _, _ in chunk))
                answer = request(f"{base}/api/v1/quotes?q={query}&page_size=100")
                note(answer.status, f"GET quotes?q={query}: {answer.error or answer.body}")
                if answer.status != 200:
                    continue
                found = time.monotonic()
                hits = [(hit["id"], hit["text"]) for hit in answer.body["results"]]
                with lock:
                    report.searches += 1
                    if len(hits) != len({i for i, _ in hits}):
                        report.duplicates.append(f"one quote twice among {query}")
                for word, acked, quotes in chunk:
                    ids = [i for i, text in hits if re.search(rf"\b{word}\b", text)]
                    with lock:
                        if len(ids) != len(set(ids)) or not set(ids) <= quotes:
                            report.duplicates.append(f"{word}: {sorted(ids)} for {sorted(quotes)}")
                        elif 0 < len(ids) < len(quotes):
                            report.partial.append(f"{word}: {len(ids)} of {len(quotes)} quotes")
                    if set(ids) >= quotes:
                        with lock:
                            report.lags.append(found - acked)
                        watch.done(word)

    def index_watcher() -> None:
        assert data_dir is not None
        while True:
            held = _indexed_seq(data_dir)
            now = time.monotonic()
            with lock:
                report.index_lags.extend(now - acked for seq, acked in committed if seq <= held)
                committed[:] = [(seq, acked) for seq, acked in committed if seq > held]
                left = len(committed)
            if stop.is_set() or (posting_done.is_set() and not left):
                return
            time.sleep(0.01)

    def sampler() -> None:
        while not stop.wait(0.5):
            health = request(f"{base}/healthz")
            if health.status == 200:
                report.backlog.append(health.body["index_lag"])

    threads = [threading.Thread(target=poster, name=f"poster-{i}") for i in range(posters)]
    threads += [
        threading.Thread(target=searcher, args=(random.Random(seed + i),), name=f"searcher-{i}")
        for i in range(searchers)
    ]
    threads += [
        threading.Thread(target=watcher, args=(i,), name=f"watcher-{i}") for i in range(watchers)
    ]
    if data_dir is not None:
        threads.append(threading.Thread(target=index_watcher, name="index-watcher"))
    for thread in threads:
        thread.start()
    sampling = threading.Thread(target=sampler, name="sampler")
    sampling.start()
    threads.append(sampling)
    for thread in threads[:posters]:
        thread.join(timeout=max(ends - time.monotonic(), 0.1))
    posting_done.set()
    report.seconds = time.monotonic() - started
    for thread in threads[posters + searchers : -1]:  # watchers: until every article is found
        thread.join(timeout=max(ends - time.monotonic(), 0.1))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    report.missing = [word for word, _, _ in watch.snapshot()]
    health = request(f"{base}/healthz")
    report.stored_articles = health.body["articles"] if health.status == 200 else -1
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--posters", type=int, default=32)
    parser.add_argument("--searchers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds for the whole run")
    args = parser.parse_args()
    # A SIGTERM (timeout, Ctrl-C of a CI job) unwinds, so the server is stopped too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="quoteapi-load-") as tmp:
        with served(Path(tmp) / "data", workers=args.workers) as server:
            seeded = request(f"{server.base}/healthz").body["articles"]
            report = run_load(
                server.base,
                args.articles,
                args.posters,
                args.searchers,
                deadline=args.deadline,
                data_dir=Path(tmp) / "data",
            )
            health = server.wait_indexed()
        summary = report.summary()
        summary["workers"] = args.workers
        summary["posters"] = args.posters
        summary["duplicates_in_store"] = health["articles"] - seeded - report.created
        summary["index_matches_record"] = health["indexed_quotes"] == health["quotes"]
    print(json.dumps(summary, indent=2))
    for problem in (report.server_errors + report.partial + report.duplicates)[:20]:
        print("problem:", problem, file=sys.stderr)
    if not report.ok or summary["duplicates_in_store"] or not summary["index_matches_record"]:
        sys.exit(1)


if __name__ == "__main__":
    main()


__all__ = ["LoadReport", "Server", "run_load"]
