"""Text around a quote, for showing it in context."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by a closing mark) before white space,
# or at a line break.
_BOUNDARY = re.compile(r"[.!?][”’\"')\]]*\s+|\n")
# How far from the quote the context may reach, either side.
CONTEXT_CHARS = 600


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) holding ``text[start:end]``, trimmed to a readable length.

    Reads nothing further than ``CONTEXT_CHARS`` before ``start`` or after ``end``, so
    that much of the text either side of the quote gives the same sentence as the whole.
    """
    left = max(0, start - CONTEXT_CHARS)
    before = text[left:start]
    cut = left
    for match in _BOUNDARY.finditer(before):
        cut = left + match.end()
    right = min(len(text), end + CONTEXT_CHARS)
    # From the quote's last character, so a quote ending its sentence ("...win.”") ends it.
    after = _BOUNDARY.search(text, max(start, end - 1), right)
    return text[cut : after.end() if after else right].strip()
