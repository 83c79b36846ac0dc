"""Throughput of extract_quotes on one core: articles/s and chars/s, then adversarial inputs.

usage: .venv/bin/python benchmarks/bench_extract.py [--repeat N] [--texts DIR] [--no-adversarial]

Runs the seeds (or every .txt in --texts) once, then repeated, in this process
only (one core), best of five rounds so other load on the machine counts as little
as possible. Then times inputs built to be worst cases (1 MB of quotation marks,
of apostrophes, one unbroken word, deep nesting, a long unclosed quote, and
dense quotes with speakers and pronouns) and prints seconds per MB at 1 MB and
at 100 KB: the same figure at both sizes shows the time is linear.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quoteapi.extract import extract_quotes  # noqa: E402

_ROUNDS = 5
_MB = 1_000_000


def _best_of(rounds: int, work: Callable[[], object]) -> float:
    """The least CPU time of ``rounds`` runs of ``work``, in seconds.

    CPU time of this process (one core), not wall time, so other processes on a
    busy machine do not count against the extractor.
    """
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def bench_articles(texts: list[str], repeat: int) -> None:
    # The first pass meets every name and run for the first time (the extractor caches
    # what it learns about words and names across articles): the figure for a stream
    # of articles never seen before, such as a first ingest.
    first = _best_of(1, lambda: [extract_quotes(text) for text in texts])
    print(
        f"first pass over {len(texts)} articles: {len(texts) / first:,.0f} articles/s, "
        f"{sum(map(len, texts)) / first:,.0f} chars/s"
    )
    batch = texts * repeat
    chars = sum(map(len, batch))

    def run() -> None:
        for text in batch:
            extract_quotes(text)

    seconds = _best_of(_ROUNDS, run)
    print(
        f"{len(batch)} articles ({chars / len(batch):,.0f} chars on average) "
        f"in {seconds:.3f} s of one core: "
        f"{len(batch) / seconds:,.0f} articles/s, {chars / seconds:,.0f} chars/s, "
        f"{seconds / len(batch) * 1000:.3f} ms per article"
    )


def adversarial_inputs() -> dict[str, str]:
    """Inputs that would be slow for a quadratic pairing or a backtracking pattern."""
    return {
        "double marks": '"' * _MB,
        "curly marks": ("“" * 50 + "”" * 50) * (_MB // 100),
        "apostrophes": ("it’s Putin’s rock ’n’ roll '90s " * (_MB // 32))[:_MB],
        "unbroken word": "a" * _MB,
        "capitalised words": ("Xx " * (_MB // 3))[:_MB],
        "deep nesting": ("“‘«„" * (_MB // 8) + "“’»”" * (_MB // 8))[:_MB],
        "unclosed quote": "“" + ("word, said Smith. " * (_MB // 18))[: _MB - 1],
        "one line of quotes": ("“a” said Jo Ames and " * (_MB // 21))[:_MB],
        "quotes and pronouns": ("Jo Ames came. “Yes,” he said. " * (_MB // 30))[:_MB],
        "shared surnames": "".join(f"Al{i} Smith said “x{i}”. " for i in range(_MB // 24))[:_MB],
    }


def bench_adversarial() -> None:
    """Seconds per MB for each worst case, and at a tenth of the size to show linearity."""
    for name, text in adversarial_inputs().items():
        tenth = text[: len(text) // 10]
        small = _best_of(1, lambda tenth=tenth: extract_quotes(tenth)) / (len(tenth) / _MB)
        large = _best_of(1, lambda text=text: extract_quotes(text)) / (len(text) / _MB)
        print(f"{name:>20}: {large:.3f} s per MB ({small:.3f} s per MB at 100 KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="times the articles are repeated")
    parser.add_argument(
        "--texts", type=Path, default=ROOT / "seeds", help="folder of .txt articles"
    )
    parser.add_argument("--no-adversarial", action="store_true", help="skip the 1 MB worst cases")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))]
    if not texts:
        sys.exit(f"no .txt articles in {args.texts}")
    bench_articles(texts, args.repeat)
    if not args.no_adversarial:
        bench_adversarial()


if __name__ == "__main__":
    main()
