"""Schemathesis over every operation of the OpenAPI document, against a real gunicorn.

Bounded for CI (the same deterministic cases every run, a few dozen per operation);
`scripts/fuzz.py --max-examples 500` runs it long with random cases.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fuzz import run_fuzz
from harness import served

pytestmark = [pytest.mark.server, pytest.mark.reliability]


def test_fuzzing_finds_no_5xx_and_no_undocumented_answer(tmp_path: Path) -> None:
    with served(tmp_path / "data", workers=2) as server:
        result = run_fuzz(server.base, max_examples=25, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert selected and tested, result.stdout[-3000:]
    # Every operation of the document was exercised.
    assert selected[1] == selected[2] == tested[1], result.stdout[-3000:]
