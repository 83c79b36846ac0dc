"""Bounded work: extraction stays linear on adversarial text (a guard against quadratic
paths; benchmarks/bench_adversarial.py measures seconds per MB at full size)."""

from __future__ import annotations

import sys
import time

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_adversarial import adversarial_inputs

from quoteapi.extract import extract_quotes

SIZE = 256 * 1024
# Far above the ~1.5 s the slowest input takes here at this size, far below what a
# quadratic path would take (minutes): a guard that does not flake on a busy machine.
BUDGET_SECONDS = 10.0

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize("name", sorted(adversarial_inputs(64)))
def test_adversarial_text_is_extracted_in_bounded_time(name: str) -> None:
    text = adversarial_inputs(SIZE)[name]
    start = time.perf_counter()
    extract_quotes(text)
    seconds = time.perf_counter() - start
    assert seconds < BUDGET_SECONDS, f"{name}: {seconds:.1f} s for {len(text):,} characters"
