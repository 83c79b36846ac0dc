"""Bulk ingest against the limit of its slowest part, Whoosh indexing, in one run.

usage: .venv/bin/python benchmarks/bench_ingest.py [--articles N] [--seed S] [--rounds R]

1. Writes N synthetic articles (benchmarks/synth.py) to one NDJSON file.
2. Ingest: times `quoteapi ingest FILE` end to end (a new process: reading, extracting,
   SQLite, indexing, the last commit) into a fresh data directory, with how that time
   splits as the command reports it (when the record was written, how long the index
   took after that) and the CPU seconds of all its processes.
3. Whoosh alone: takes the very documents that ingest put in the index (read back from
   its record, built by the same code), and times Whoosh writing them to a fresh index:
   add_document for each, then one commit, with the writer settings ingest uses and with
   the others tried while tuning, each with its CPU seconds; the best is the limit.
4. Prints both rates in quote documents per second and their ratio.

With --rounds R, steps 2-3 run R times, alternating, and each keeps its best round (the
machine is shared: the best round is the one least disturbed by other processes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from quoteapi.ingest import bulk_writer_settings  # noqa: E402
from quoteapi.store.index import BULK_LIMITMB, Index, WhooshCodec, documents  # noqa: E402
from quoteapi.store.record import Record  # noqa: E402

# Writer settings tried for Whoosh alone: the best is the limit ingest is held to.
SETTINGS: list[dict[str, Any]] = [
    {"limitmb": 128},
    {"limitmb": BULK_LIMITMB},
    {"limitmb": 512},
    {"limitmb": BULK_LIMITMB, "procs": 2, "multisegment": True},
]


def write_articles(path: Path, count: int, seed: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for item in synth.articles(count, seed):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def run_ingest(ndjson: Path, data_dir: Path) -> tuple[float, str]:
    """Seconds for `quoteapi ingest` of ``ndjson`` into an empty ``data_dir``, and how they
    split: when the record was written, when the index caught up, CPU seconds of all its
    processes (the command, the indexing process, Whoosh's writer processes)."""
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "QUOTEAPI_DATA_DIR": str(data_dir), "TQDM_DISABLE": "1"}
    quoteapi = Path(sys.executable).with_name("quoteapi")
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [str(quoteapi), "ingest", str(ndjson)], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"quoteapi ingest failed:\n{done.stderr}")
    split = re.search(r"\(stored in .*? later\)", done.stdout)
    return seconds, f"{split.group() if split else ''}, CPU {_children_cpu() - cpu:.1f} s"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def indexed_documents(data_dir: Path) -> list[dict[str, Any]]:
    """The index documents of every quote in ``data_dir``'s record, as ingest built them."""
    record = Record(data_dir / "quotes.sqlite3")
    ids = [row[0] for row in record.connection().execute("SELECT id FROM articles ORDER BY seq")]
    docs = [
        doc
        for i in range(0, len(ids), 1000)
        for doc in documents(record.index_rows(ids[i : i + 1000]))
    ]
    record.close()
    return docs


def run_whoosh(
    docs: list[dict[str, Any]], path: Path, settings: dict[str, Any], ours: bool = False
) -> float:
    """Seconds for Whoosh's own writer (with ``ours``: quoteapi's, the one ingest uses) to
    index ``docs`` into a fresh index at ``path`` and commit."""
    shutil.rmtree(path, ignore_errors=True)
    index = Index(path)
    start = time.perf_counter()
    if ours:
        writer = index.writer(0.0, **settings)
    else:
        # Whoosh's SegmentWriter (MpWriter with procs) and codec, with the one change to
        # them that quoteapi made first (WhooshCodec: a column's presence looked up once,
        # not once a posting), so that the limit is the fastest Whoosh seen here.
        writer = index.ix.writer(codec=WhooshCodec(), **{"limitmb": BULK_LIMITMB, **settings})
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    seconds = time.perf_counter() - start
    index.close()
    return seconds


def _rate(docs: list[Any], seconds: float) -> str:
    return f"{len(docs) / seconds:,.0f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--work", type=Path, help="Working folder (default: a new one in /tmp).")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        ndjson = work / "articles.ndjson"
        write_articles(ndjson, args.articles, args.seed)
        size = ndjson.stat().st_size
        print(f"{args.articles} synthetic articles, {size / args.articles:,.0f} bytes each")
        ingest_best = float("inf")
        whoosh_best: dict[str, float] = {}
        ours_best = float("inf")
        docs: list[dict[str, Any]] = []
        for round_ in range(1, args.rounds + 1):
            seconds, split = run_ingest(ndjson, work / "data")
            ingest_best = min(ingest_best, seconds)
            docs = docs or indexed_documents(work / "data")
            rate = _rate(docs, seconds)
            print(f"round {round_}: quoteapi ingest {seconds:.2f} s, {rate} quotes/s {split}")
            for settings in SETTINGS:
                name = ", ".join(f"{k}={v}" for k, v in settings.items())
                # CPU of this process and of Whoosh's writer processes (procs=2).
                cpu = _children_cpu() + time.process_time()
                seconds = run_whoosh(docs, work / "whoosh", settings)
                cpu = _children_cpu() + time.process_time() - cpu
                whoosh_best[name] = min(whoosh_best.get(name, float("inf")), seconds)
                rate = f"{_rate(docs, seconds)} docs/s, CPU {cpu:.1f} s"
                print(f"round {round_}: Whoosh ({name}) {seconds:.2f} s, {rate}")
            # For comparison, not the limit: quoteapi's writer with the settings ingest uses.
            ours = {"limitmb": BULK_LIMITMB, **bulk_writer_settings()}
            cpu = _children_cpu() + time.process_time()
            seconds = run_whoosh(docs, work / "whoosh", ours, ours=True)
            cpu = _children_cpu() + time.process_time() - cpu
            ours_best = min(ours_best, seconds)
            name = ", ".join(f"{k}={v}" for k, v in ours.items())
            rate = f"{_rate(docs, seconds)} docs/s, CPU {cpu:.1f} s"
            print(f"round {round_}: quoteapi's writer ({name}) {seconds:.2f} s, {rate}")
        best_name = min(whoosh_best, key=whoosh_best.__getitem__)
        limit = len(docs) / whoosh_best[best_name]
        ingest_rate = len(docs) / ingest_best
        print(f"quote documents: {len(docs)} ({len(docs) / args.articles:.1f} an article)")
        print(f"Whoosh alone, best settings ({best_name}): {limit:,.0f} docs/s")
        per_article = args.articles / ingest_best
        print(f"quoteapi ingest: {ingest_rate:,.0f} quotes/s, {per_article:,.0f} articles/s")
        print(f"ratio ingest / Whoosh: {ingest_rate / limit:.2f} (target >= 0.80)")
        print(f"ratio quoteapi's writer / Whoosh: {whoosh_best[best_name] / ours_best:.2f}")
        one = min((v, k) for k, v in whoosh_best.items() if "procs" not in k)
        print(
            f"ratio ingest / one Whoosh process ({one[1]}): {ingest_rate * one[0] / len(docs):.2f}"
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
