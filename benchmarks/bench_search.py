"""Search over HTTP against the same searches run straight in the store, in one run.

usage: .venv/bin/python benchmarks/bench_search.py [--articles N] [--work DIR]
                                                   [--workers W] [--seconds S]

1. A data directory of N synthetic articles (benchmarks/synth.py; 15,400 give ~100,000
   quotes) made with `quoteapi ingest`, or reused from DIR when it holds them.
2. A query mix drawn from the corpus: single words, two words, phrases, speaker names
   (alone and with words), outlets, newest and oldest first, a second page.
3. Straight: W processes, each with its own Store on the data directory, run the mix
   for S seconds, three ways: Whoosh's own search of the very query ``Index.search``
   parses (``searcher.search`` with the same page size, sorted by the same column for
   date sorts, the exact total by ``len(results)``; no facets): the limit;
   ``Index.search`` (matches, exact total, facets and the page, computed with numpy over
   the segments' postings and columns); and ``Store.search_quotes`` (that plus the
   quotes' rows, context and highlight from SQLite: everything a search answer holds
   but the JSON).
4. HTTP: `quoteapi serve` with W gunicorn workers; clients on loopback (threads,
   one connection a request, as gunicorn's sync workers close each) run the same mix for
   S seconds. The clients share the machine's cores with the server; their own CPU
   time is printed so its share can be judged.
5. Prints throughput, p50 and p95 of each, and the ratios of HTTP to Whoosh's own
   search (the target: at least 0.70) and to ``Index.search``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import synth  # noqa: E402

from quoteapi.store import Search, Store  # noqa: E402
from quoteapi.store.index import Index, whoosh_sortedby  # noqa: E402

Query = dict[str, Any]


# -- the data and the queries -------------------------------------------------------------


def ensure_data(work: Path, articles: int, seed: int = 1) -> Path:
    """``work/data`` holding ``articles`` synthetic articles, ingested (and indexed)."""
    data_dir = work / "data"
    if (data_dir / "quotes.sqlite3").exists():
        store = Store(data_dir)
        have = store.record.counts()["articles"]
        store.close()
        if have == articles:
            return data_dir
    shutil.rmtree(data_dir, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    ndjson = work / "articles.ndjson"
    with open(ndjson, "w", encoding="utf-8") as out:
        for item in synth.articles(articles, seed):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    env = {**os.environ, "QUOTEAPI_DATA_DIR": str(data_dir), "TQDM_DISABLE": "1"}
    quoteapi = Path(sys.executable).with_name("quoteapi")
    start = time.perf_counter()
    subprocess.run([str(quoteapi), "ingest", str(ndjson)], env=env, check=True)
    print(f"ingested {articles} articles in {time.perf_counter() - start:.0f} s")
    ndjson.unlink()
    return data_dir


def query_mix(data_dir: Path, count: int, seed: int = 7) -> list[Query]:
    """``count`` searches as people make them, from the corpus's words, speakers, outlets."""
    rng = random.Random(seed)
    store = Store(data_dir)
    speakers = [row["name"] for row in store.record.speakers(None, 200, 0)[1]]
    outlets = [
        row[0]
        for row in store.record.connection().execute(
            "SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC LIMIT 20"
        )
    ]
    store.close()

    def word() -> str:
        return synth._zipf_choice(rng, rng.choice([synth._NOUNS, synth._NOUNS, synth._VERBS]))

    queries: list[Query] = []
    while len(queries) < count:
        kind = rng.random()
        if kind < 0.35:
            query: Query = {"q": word()}
        elif kind < 0.50:
            query = {"q": f"{word()} {word()}"}
        elif kind < 0.60:
            query = {"q": f'"{synth._zipf_choice(rng, synth._ADJECTIVES)} {word()}"'}
        elif kind < 0.70:
            query = {"speaker": rng.choice(speakers[:50])}
        elif kind < 0.78:
            query = {"q": word(), "speaker": rng.choice(speakers).split()[-1]}
        elif kind < 0.86:
            query = {"q": word(), "sort": rng.choice(["newest", "oldest"])}
        elif kind < 0.93:
            query = {"outlet": rng.choice(outlets)}
        else:
            query = {"q": word(), "page": 2}
        queries.append(query)
    return queries


def _filters(query: Query) -> Query:
    return {k: v for k, v in query.items() if k != "page"}


def search_of(query: Query, page_size: int = 20) -> Search:
    """The :class:`Search` the API makes of a query string's parameters."""
    page = query.get("page", 1)
    return Search(**_filters(query), offset=(page - 1) * page_size, limit=page_size)


def whoosh_search(index: Index, s: Search) -> tuple[int, list[str]]:
    """Whoosh's own search of the query ``Index.search`` runs: exact total, a page of ids."""
    q, _ = index._query(s)
    if q is None:
        return 0, []
    sortedby = whoosh_sortedby(s)
    results = index.searcher().search(q, limit=s.offset + s.limit, sortedby=sortedby)
    return len(results), [hit["id"] for hit in results[s.offset :]]


# -- straight: the store in this process, no HTTP -----------------------------------------


def _straight_worker(
    data_dir: str, queries: list[Query], seconds: float, layer: str, out: Any
) -> None:
    store = Store(data_dir)
    index = store.index

    def run(query: Query) -> None:
        if layer == "whoosh":
            whoosh_search(index, search_of(query))
        elif layer == "index":
            index.search(search_of(query))
        else:
            store.search_quotes(**query)

    for query in queries[:20]:  # open the searcher, warm the caches
        run(query)
    latencies = []
    stop = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < stop:
        query = queries[n % len(queries)]
        n += 1
        start = time.perf_counter()
        run(query)
        latencies.append(time.perf_counter() - start)
    store.close()
    out.put(latencies)


def straight_load(
    data_dir: Path, queries: list[Query], seconds: float, procs: int, layer: str
) -> str:
    """The mix run by ``procs`` processes straight on the store for ``seconds``."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(
            target=_straight_worker,
            args=(str(data_dir), queries[i::procs] + queries, seconds, layer, out),
        )
        for i in range(procs)
    ]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    for _ in workers:
        latencies.extend(out.get(timeout=seconds + 300))
    for worker in workers:
        worker.join()
    return _summary(latencies, seconds)


# -- over HTTP -----------------------------------------------------------------------------


def _get(host: str, port: int, path: str) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _paths(queries: list[Query]) -> list[str]:
    return [f"/api/v1/quotes?{urllib.parse.urlencode(q)}" for q in queries]


def warm(base: str, queries: list[Query], rounds: int = 3) -> None:
    """Each worker's searcher opened and caches warm before anything is timed."""
    parsed = urllib.parse.urlsplit(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    for path in _paths(queries[: 10 * rounds]):
        _get(host, port, path)


def http_load(base: str, queries: list[Query], seconds: float, clients: int) -> str:
    """The mix sent by ``clients`` threads for ``seconds``; a summary line."""
    parsed = urllib.parse.urlsplit(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    paths = _paths(queries)
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(offset: int) -> None:
        mine, bad = [], []
        n = offset
        while time.perf_counter() < stop:
            start = time.perf_counter()
            status = _get(host, port, paths[n % len(paths)])
            mine.append(time.perf_counter() - start)
            if status != 200:
                bad.append(status)
            n += clients
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    cpu = time.process_time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - cpu
    failed = ""
    if errors:  # 503: past the search time budget; counted, and in the latencies
        counts = {status: errors.count(status) for status in sorted(set(errors))}
        failed = f"; not 200: {counts}"
    return _summary(latencies, seconds) + f"; client CPU {cpu / seconds:.0%} of a core{failed}"


def _summary(latencies: list[float], seconds: float) -> str:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(int(p * len(ordered)), len(ordered) - 1)] * 1000

    return (
        f"{len(ordered) / seconds:,.0f} searches/s, p50 {pct(0.50):.1f} ms, "
        f"p95 {pct(0.95):.1f} ms ({len(ordered)} searches)"
    )


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB, from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rate(summary: str) -> float:
    return float(summary.split(" searches/s")[0].replace(",", ""))


def main(argv: list[str] | None = None) -> None:
    from harness import served

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=15_400)
    parser.add_argument("--work", type=Path, help="Where the data directory is kept.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        data_dir = ensure_data(work, args.articles)
        store = Store(data_dir)
        print(f"data: {store.health()}")
        store.close()
        queries = query_mix(data_dir, args.queries)
        whoosh = straight_load(data_dir, queries, args.seconds, args.workers, "whoosh")
        print(f"Whoosh's own search (page, exact total), {args.workers} processes: {whoosh}")
        index = straight_load(data_dir, queries, args.seconds, args.workers, "index")
        print(f"Index.search (page, exact total, facets), {args.workers} processes: {index}")
        straight = straight_load(data_dir, queries, args.seconds, args.workers, "store")
        print(f"store.search_quotes, {args.workers} processes: {straight}")
        env = {"QUOTEAPI_BACKGROUND_INDEXER": "false"}
        with served(data_dir, workers=args.workers, env=env) as server:
            warm(server.base, queries)
            over_http = http_load(server.base, queries, args.seconds, args.clients)
            print(f"HTTP, {args.workers} gunicorn workers, {args.clients} clients: {over_http}")
            for pid in server.worker_pids():
                print(f"worker {pid}: VmRSS {rss_mb(pid):,.0f} MB")
        print(f"ratio HTTP / store.search_quotes: {_rate(over_http) / _rate(straight):.2f}")
        print(f"ratio HTTP / Index.search: {_rate(over_http) / _rate(index):.2f}")
        print(
            f"ratio HTTP / Whoosh's own search: {_rate(over_http) / _rate(whoosh):.2f} "
            "(target >= 0.70)"
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
