"""Single-article POST latency over HTTP: extraction and a durable SQLite write.

usage: .venv/bin/python benchmarks/bench_post.py [--articles N] [--workers W] [--data DIR]

Starts `quoteapi serve` (W gunicorn workers, background indexers on, as deployed) on a
fresh data directory, or on DIR to post into a store that already holds articles,
then POSTs N synthetic articles (benchmarks/synth.py, ~4,600 characters) one after
another to /api/v1/articles from one client on loopback, and prints p50, p95 and the
slowest. 201 means the article is in SQLite (fsynced); the index follows in the
background, so its commits share the CPU with later requests, as in production.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import synth  # noqa: E402
from harness import API_KEY, served  # noqa: E402

_WARM_UP = 5


def post_latencies(base_port: int, bodies: list[bytes]) -> list[float]:
    """Seconds each POST took, one after another."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"}
    latencies = []
    for body in bodies:
        conn = http.client.HTTPConnection("127.0.0.1", base_port, timeout=60)
        start = time.perf_counter()
        conn.request("POST", "/api/v1/articles", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        conn.close()
        if response.status != 201:
            raise SystemExit(f"POST answered {response.status}, not 201")
    return latencies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data", type=Path, help="A data directory to post into.")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-post-"))
    data_dir = args.data or work / "data"
    # A seed of its own, so the urls are new to a store made from the default seed.
    items = list(synth.articles(args.articles + _WARM_UP, args.seed))
    for item in items:
        item["url"] = item["url"].replace(".example/", f".example/post-{args.seed}/")
    bodies = [json.dumps(item, ensure_ascii=False).encode() for item in items]
    try:
        env = {"QUOTEAPI_SEEDS_DIR": str(work / "no-seeds")}
        with served(data_dir, workers=args.workers, env=env) as server:
            post_latencies(server.port, bodies[:_WARM_UP])
            latencies = sorted(post_latencies(server.port, bodies[_WARM_UP:]))
            health = server.wait_indexed(timeout=600)
        n = len(latencies)
        p50, p95 = latencies[n // 2] * 1000, latencies[min(int(n * 0.95), n - 1)] * 1000
        print(
            f"POST /api/v1/articles, {n} articles one after another, {args.workers} workers: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, slowest {latencies[-1] * 1000:.1f} ms "
            f"(target p50 <= 50 ms)"
        )
        print(f"then indexed: {health['indexed_quotes']} quotes, lag {health['index_lag']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
