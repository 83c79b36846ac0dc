"""Bounded work: CPU seconds per megabyte of extract_quotes on inputs built to be worst cases.

usage: .venv/bin/python benchmarks/bench_adversarial.py [--mb 1.0] [--limit 1.0] [--only NAME]

Each input is about --mb megabytes of text (characters, as the API's size limit counts
UTF-8 bytes the figure is per million characters). It is timed once at full size and once
at a quarter: linear work takes about four times as long for four times the text, so
the ratio shows a quadratic path even where the full size still fits the budget. Time is
the CPU time of this process (one core), so other work on a busy machine counts as
little as possible. Exits 1 if any input takes more than --limit seconds per MB (the
target is under one second).
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

_MB = 1_000_000


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def adversarial_inputs(size: int = _MB) -> dict[str, str]:
    """Worst cases for quotation pairing, attribution windows and name finding."""
    words = " ".join(f"w{i}" for i in range(size // 6))
    return {
        "straight double marks": '"' * size,
        "curly double marks": _fill("“" * 50 + "”" * 50, size),
        "openers only": "“" * size,
        "closers only": "”" * size,
        "straight apostrophes": "'" * size,
        "curly apostrophes": "’" * size,
        "apostrophes in words": _fill("it’s Putin’s rock ’n’ roll '90s ", size),
        "guillemets and low marks": _fill("«„‹›»“", size),
        "unbroken word": "a" * size,
        "unbroken capitals": "A" * size,
        "one long sentence": _fill("word ", size),
        "no spaces at all": _fill("Xy.", size),
        "capitalised words": _fill("Xx ", size),
        "deep nesting": _fill("“‘«„", size // 2) + _fill("“’»”", size - size // 2),
        "nested quotes 1,000 deep": _fill("“" * 1000 + "x" + "”" * 1000 + " ", size),
        "unclosed quote": "“" + _fill("word, said Smith. ", size - 1),
        "one line of quotes": _fill("“a” said Jo Ames and ", size),
        "quotes and pronouns": _fill("Jo Ames came. “Yes,” he said. ", size),
        "said without quotes": _fill("said said according to ", size),
        "colons": _fill(": ", size),
        "shared surnames": "".join(f"Al{i} Smith said “x{i}”. " for i in range(size // 24))[:size],
        "names after unspaced lines": _fill("-" * 31 + "\nJo Ames said “yes”.\n", size),
        "distinct words": words[:size],
        "newlines": "\n" * size,
        "blank lines and quotes": _fill("\n\n“\n\n”", size),
        "HTML-like tags": _fill("<p>“</p>", size),
        "emoji and combining marks": _fill("👍🏽e\u0301“", size),
    }


def seconds_per_mb(text: str) -> float:
    """Time one extraction of ``text``, in CPU seconds per million characters.

    CPU time of this process (one core), not wall time, so other processes on a
    busy machine do not count against the extractor.
    """
    start = time.process_time()
    extract_quotes(text)
    return (time.process_time() - start) / (len(text) / _MB)


def run(
    size: int, only: str | None = None, report: Callable[[str], None] = print
) -> dict[str, tuple[float, float]]:
    """(s/MB at full size, s/MB at a quarter) for each input."""
    results = {}
    quarter = adversarial_inputs(size // 4)
    for name, text in adversarial_inputs(size).items():
        if only and only not in name:
            continue
        small = seconds_per_mb(quarter[name])
        full = seconds_per_mb(text)
        results[name] = (full, small)
        growth = full / small if small > 0 else float("nan")
        report(f"{name:>26}: {full:7.3f} s per MB  (x{growth:4.1f} per MB from 1/4 size)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of each input, in MB")
    parser.add_argument("--limit", type=float, default=1.0, help="seconds per MB allowed")
    parser.add_argument("--only", help="run the inputs whose name contains this")
    args = parser.parse_args()
    results = run(int(args.mb * _MB), args.only)
    slow = {name: full for name, (full, _) in results.items() if full > args.limit}
    worst = max(results.items(), key=lambda item: item[1][0])
    print(f"worst: {worst[0]} at {worst[1][0]:.3f} s per MB; limit {args.limit} s per MB")
    if slow:
        print("over the limit: " + ", ".join(f"{n} ({s:.2f} s/MB)" for n, s in slow.items()))
        sys.exit(1)


if __name__ == "__main__":
    main()
