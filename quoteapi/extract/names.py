"""Name handling shared by extraction and the store."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_SEPARATORS = re.compile(r"[-‐‑–—_.’'\s]+")


def fold_name(name: str) -> str:
    """Fold a name for identity: case, accents, hyphens, dots ("Kim Jong-un" == "kim jong un")."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _SEPARATORS.sub(" ", bare).strip()


def name_start(words: list[str], is_title_word: Callable[[str], bool]) -> int:
    """Index where the name begins in a capitalised run of ``words``.

    Titles and places come before names ("Russian President | Vladimir Putin",
    "NATO Secretary General | Jens Stoltenberg"), so the name is what follows the
    last title word; the last word itself is always kept as a name.

    Notes:
        A name that is itself a title word ("Will", "General Motors") is cut: the
        run "General Motors" gives "Motors".
    """
    start = 0
    for i, word in enumerate(words[:-1]):
        if is_title_word(word):
            start = i + 1
    return start
