"""The benchmark scripts run, at a tiny size, and print their figures.

Speed is not asserted here (benchmarks print numbers; docs/performance.md holds them):
these only keep the scripts working as the code under them changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import synth  # noqa: E402


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_synth_is_deterministic_news_shaped_ndjson() -> None:
    out = _run("synth.py", "--articles", "30", "--seed", "5")
    items = [json.loads(line) for line in out.splitlines()]
    assert [
        json.loads(line)
        for line in _run("synth.py", "--articles", "30", "--seed", "5").splitlines()
    ] == items
    assert len(items) == 30 and len({item["url"] for item in items}) == 30
    assert all(set(item) == {"url", "title", "outlet", "published", "text"} for item in items)
    assert 4_000 < sum(len(item["text"]) for item in items) / 30 < 5_500
    assert all(5 <= item["text"].count("“") <= 9 for item in items)
    assert items != list(synth.articles(30, seed=6))


def test_extraction_finds_the_synthetic_quotes_and_speakers() -> None:
    from quoteapi.extract import extract_quotes

    quotes = [q for item in synth.articles(20, seed=2) for q in extract_quotes(item["text"])]
    assert 5 * 20 <= len(quotes) <= 9 * 20
    assert sum(1 for q in quotes if q.speaker.name) > len(quotes) * 0.8


def test_bench_ingest_prints_both_rates_and_their_ratio(tmp_path: Path) -> None:
    out = _run("bench_ingest.py", "--articles", "20", "--work", str(tmp_path))
    assert "Whoosh alone, best settings" in out and "ratio ingest / Whoosh:" in out
    assert "ratio quoteapi's writer / Whoosh:" in out


@pytest.mark.parametrize("workers", ["1"])
def test_bench_search_prints_straight_http_and_ratio(tmp_path: Path, workers: str) -> None:
    out = _run(
        "bench_search.py",
        *("--articles", "20", "--work", str(tmp_path), "--seconds", "0.5"),
        *("--workers", workers, "--clients", "2", "--queries", "20"),
    )
    assert "Whoosh's own search" in out and "Index.search" in out and "VmRSS" in out
    assert "ratio HTTP / Whoosh's own search:" in out and "ratio HTTP / Index.search:" in out


def test_bench_post_prints_latencies() -> None:
    out = _run("bench_post.py", "--articles", "5", "--workers", "1")
    assert "p50" in out and "p95" in out and "lag 0" in out


def test_bench_1m_runs_every_step_small(tmp_path: Path) -> None:
    out = _run(
        "bench_1m.py",
        *("--articles", "20", "--work", str(tmp_path), "--seconds", "0.5", "--clients", "2"),
    )
    assert "reindex:" in out and "peak resident memory" in out and "VmRSS" in out
    assert "Whoosh's own search at 1M" in out and "Index.search at 1M" in out
