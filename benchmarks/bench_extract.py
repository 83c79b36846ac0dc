"""Throughput of extract_quotes on one core: articles/s and chars/s, then adversarial inputs.

usage: .venv/bin/python benchmarks/bench_extract.py [--repeat N] [--texts DIR] [--no-adversarial]

Runs the seeds (or every .txt in --texts) repeated, in this process only (one
core), best of five rounds so other load on the machine counts as little as
possible. Then times inputs built to be worst cases (1 MB of quotation marks,
of apostrophes, one unbroken word, deep nesting, a long unclosed quote) and
prints seconds per MB; the extractor is linear, so each should stay well under a
second.
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
    """The fastest of ``rounds`` timings of ``work``, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def bench_articles(texts: list[str], repeat: int) -> None:
    batch = texts * repeat
    chars = sum(map(len, batch))

    def run() -> None:
        for text in batch:
            extract_quotes(text)

    seconds = _best_of(_ROUNDS, run)
    print(
        f"{len(batch)} articles ({chars / len(batch):,.0f} chars on average) in {seconds:.3f} s: "
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
        "quotes and verbs": ("“Yes,” said Jo Ames. " * (_MB // 20))[:_MB],
    }


def bench_adversarial() -> None:
    for name, text in adversarial_inputs().items():
        seconds = _best_of(1, lambda text=text: extract_quotes(text))
        print(f"{name:>18}: {seconds / (len(text) / _MB):.3f} s per MB")


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
