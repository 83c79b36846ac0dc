"""Name folding (speaker identity across articles) and splitting titles off names."""

from __future__ import annotations

import pytest

from quoteapi.extract import fold_name
from quoteapi.extract.mentions import is_title_word
from quoteapi.extract.names import name_start


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "kim jong un"),
        ("Kim Jong Un", "KIM JONG-UN"),
        ("José Álvarez", "Jose Alvarez"),
        ("Dmytro  Kuleba", "dmytro kuleba"),
        ("J. R. Smith", "j r smith"),
    ],
)
def test_fold_name_makes_spellings_equal(a: str, b: str) -> None:
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize(("a", "b"), [("Kim Jong Un", "Kim Jong Il"), ("Jo Ames", "Jo Amos")])
def test_fold_name_keeps_different_names_apart(a: str, b: str) -> None:
    assert fold_name(a) != fold_name(b)


@pytest.mark.parametrize(
    ("run", "name"),
    [
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("NATO Secretary General Jens Stoltenberg", "Jens Stoltenberg"),
        ("Ukraine Foreign Minister Kuleba", "Kuleba"),
        ("Vladimir Putin", "Vladimir Putin"),
        ("Kim Jong Un", "Kim Jong Un"),
        ("President", "President"),  # the last word is always kept
    ],
)
def test_name_start_splits_the_title_off(run: str, name: str) -> None:
    words = run.split()
    assert " ".join(words[name_start(words, is_title_word) :]) == name
