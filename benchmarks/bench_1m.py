"""A million quotes: `quoteapi reindex` time and peak memory, then search over HTTP.

usage: .venv/bin/python benchmarks/bench_1m.py [--articles N] [--work DIR]
                                               [--steps record,reindex,search]

1. record: N synthetic articles (benchmarks/synth.py; ~6.5 quotes each, so 155,000
   make a million quotes) extracted and written to a fresh SQLite record in
   ``DIR/data``, with no index (extraction in a second process, writing in this one).
   Skipped when the record already holds N articles.
2. reindex: `quoteapi reindex` under /usr/bin/time -v: wall time and the peak resident
   memory of the process.
3. search: the query mix of benchmarks/bench_search.py in one process, twice: Whoosh's
   own search of the same queries (page and exact total: the limit) and
   ``Index.search`` (page, exact total and facets); then `quoteapi serve` with two
   workers on that data directory, the mix over HTTP on loopback (p50, p95,
   throughput), and each worker's resident memory (VmRSS) after the load.

It takes tens of minutes at a million quotes; keep DIR outside the repository.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import synth  # noqa: E402

from quoteapi.ingest import prepare_article  # noqa: E402
from quoteapi.schemas import ArticleInSchema  # noqa: E402
from quoteapi.store import NewArticle, Store, article_id, quote_id  # noqa: E402
from quoteapi.store.record import ARTICLE_COLUMNS, QUOTE_COLUMNS  # noqa: E402

_BATCH = 500
_schema = ArticleInSchema()


def _extract(items: list[dict[str, Any]]) -> list[NewArticle]:
    return [prepare_article(_schema.load(item)) for item in items]


def _batches(count: int, seed: int, skip: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for n, item in enumerate(synth.articles(count, seed)):
        if n < skip:  # written by an earlier run
            continue
        batch.append(item)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build_record(data_dir: Path, count: int, seed: int) -> None:
    """Extract and store ``count`` articles in ``data_dir``'s record (no indexing)."""
    store = Store(data_dir)
    have = store.record.counts()
    if have["articles"] >= count:
        print(f"record: {have['articles']} articles, {have['quotes']} quotes already there")
        store.close()
        return
    start = time.perf_counter()
    done = have["articles"]  # a run stopped half way carries on
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        for news in pool.imap(_extract, _batches(count, seed, done)):
            store.add_articles(news)
            done += len(news)
            if done % 10_000 < _BATCH:
                elapsed = time.perf_counter() - start
                print(f"record: {done} articles in {elapsed:.0f} s", flush=True)
    counts = store.record.counts()
    store.close()
    seconds = time.perf_counter() - start
    print(
        f"record: {counts['articles']} articles, {counts['quotes']} quotes written in "
        f"{seconds:.0f} s ({counts['quotes'] / seconds:,.0f} quotes/s, extraction and SQLite)"
    )


def republish(data_dir: Path, copies: int) -> None:
    """Each stored article published again ``copies`` times, by other outlets, days later.

    A quick way to a million quotes on a busy machine: the copies are written straight
    to SQLite (a change, a new url, id and date each; the quotes keep their clusters,
    being the same quotes), skipping extraction and cluster lookups, which would cost an
    hour here. The index sees a million quotes with the vocabulary of the originals.
    """
    store = Store(data_dir)
    conn = store.record.connection()
    originals = conn.execute("SELECT * FROM articles WHERE url NOT LIKE '%?copy=%'").fetchall()
    outlets = [row[0] for row in conn.execute("SELECT DISTINCT outlet FROM articles")]
    start = time.perf_counter()
    for copy in range(1, copies + 1):
        with store.record.transaction() as conn:
            for n, row in enumerate(originals):
                article = dict(row)
                article["url"] = f"{row['url']}?copy={copy}"
                article["id"] = aid = article_id(row["text"], article["url"])
                article["outlet"] = outlets[(n + copy) % len(outlets)]
                if row["published"]:
                    published = datetime.fromisoformat(row["published"])
                    article["published"] = (published + timedelta(days=copy)).isoformat()
                cursor = conn.execute("INSERT INTO changes(article_id) VALUES (?)", (aid,))
                article["seq"] = cursor.lastrowid
                conn.execute(
                    f"INSERT INTO articles VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                    [article[col] for col in ARTICLE_COLUMNS],
                )
                quotes = []
                for quote in conn.execute(
                    "SELECT * FROM quotes WHERE article_id = ?", (row["id"],)
                ):
                    values = dict(quote)
                    values["article_id"] = aid
                    values["id"] = quote_id(aid, quote["span_start"], quote["span_end"])
                    quotes.append([values[col] for col in QUOTE_COLUMNS])
                conn.executemany(
                    f"INSERT INTO quotes VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})", quotes
                )
        print(f"record: copy {copy} written ({time.perf_counter() - start:.0f} s)", flush=True)
    counts = store.record.counts()
    store.close()
    print(f"record: {counts['articles']} articles, {counts['quotes']} quotes")


def reindex(data_dir: Path) -> None:
    """Time `quoteapi reindex` and report its peak resident memory."""
    quoteapi = Path(sys.executable).with_name("quoteapi")
    env = {**os.environ, "QUOTEAPI_DATA_DIR": str(data_dir), "TQDM_DISABLE": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", str(quoteapi), "reindex"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"quoteapi reindex failed:\n{done.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    print(done.stdout.strip())
    print(
        f"reindex: {seconds:.0f} s wall; peak resident memory "
        f"{int(peak.group(1)) / 1024 if peak else float('nan'):,.0f} MB"
    )


def first_pass(data_dir: Path, queries: list[dict[str, Any]]) -> None:
    """The mix once, in a fresh process: ``Index.search``, then ``Store.search_quotes``.

    Each term is read from disk the first time (the timed loads below run the mix round
    and round, so they mostly find the terms' postings already decoded, in a bounded
    cache); the store's figure adds what it does around the index (SQLite rows, context,
    highlight, other reports of each quote, suggestions when nothing matched).
    """
    import bench_search

    store = Store(data_dir)
    start = time.perf_counter()
    store.index.search(bench_search.search_of({"q": "opening"}))
    print(f"Index.search: first search of the process {time.perf_counter() - start:.1f} s")
    for name, run in (
        ("Index.search", lambda query: store.index.search(bench_search.search_of(query))),
        ("store.search_quotes", lambda query: store.search_quotes(**query)),
    ):
        latencies = []
        for query in queries:
            start = time.perf_counter()
            run(query)
            latencies.append(time.perf_counter() - start)
        summary = bench_search._summary(latencies, sum(latencies))
        print(f"{name} at 1M, each query once, 1 process: {summary}")
    store.close()


def _body_size(base: str, query: dict[str, Any]) -> int:
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=60)
    try:
        conn.request("GET", f"/api/v1/quotes?{urllib.parse.urlencode(query)}")
        return len(conn.getresponse().read())
    finally:
        conn.close()


def search(data_dir: Path, seconds: float, clients: int) -> None:
    import bench_search
    from harness import served

    queries = bench_search.query_mix(data_dir, 400, seed=7)
    first_pass(data_dir, queries)
    for layer, name in (("whoosh", "Whoosh's own search"), ("index", "Index.search")):
        result = bench_search.straight_load(data_dir, queries, seconds, 1, layer)
        print(f"{name} at 1M, 1 process: {result}")
    with served(data_dir, workers=2, env={"QUOTEAPI_BACKGROUND_INDEXER": "false"}) as server:
        bench_search.warm(server.base, queries)
        result = bench_search.http_load(server.base, queries, seconds, clients)
        print(f"search over HTTP at 1M (2 workers, {clients} clients): {result}")
        for pid in server.worker_pids():
            print(f"worker {pid}: VmRSS {bench_search.rss_mb(pid):,.0f} MB after the load")
        sizes = [(_body_size(server.base, query), query) for query in queries[:20]]
        size, query = max(sizes, key=lambda pair: pair[0])
        print(f"largest answer among the mix's first 20 queries: {size / 1e6:,.1f} MB ({query})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=155_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/quoteapi-1m"))
    parser.add_argument("--steps", default="record,reindex,search")
    parser.add_argument(
        "--copies", type=int, default=0, help="Republish each article this many times."
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="Search load duration.")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    data_dir = args.work / "data"
    steps = args.steps.split(",")
    if "record" in steps:
        build_record(data_dir, args.articles, args.seed)
    if args.copies:
        republish(data_dir, args.copies)
    if "reindex" in steps:
        reindex(data_dir)
    if "search" in steps:
        search(data_dir, args.seconds, args.clients)


if __name__ == "__main__":
    main()
