"""Quotation marks: pair them into quoted spans in one left-to-right pass.

The pass keeps one open double quote and one open single quote at a time, so it is
linear in the text and a stray mark costs at most the quote around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Double-quote families: which marks open, and which close, a quote of each family.
_CURLY_OPEN = "“„‟"
_CURLY_CLOSE = "”“"  # "“" closes only a quote opened by the low mark „
_GUILLEMET_OPEN = "«"
_GUILLEMET_CLOSE = "»"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘‚'"
_SINGLE_CLOSE = "’'"

_MARK = re.compile("[\"“”„‟«»‘’‚'\n]")
# Characters after which a mark is at the start of a word, so it opens.
_OPENING_CONTEXT = frozenset(" \t\n\r([{—–-/\u00a0")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """The text between a pair of quotation marks.

    ``start``/``end`` delimit the words inside the marks; ``opener`` is the mark
    before ``start`` and ``end`` is the index of the closing mark. ``single`` marks
    ‘single’ quotes, which are more often scare quotes and titles than speech.
    """

    start: int
    end: int
    opener: str
    single: bool = False


def _opens_word(text: str, i: int) -> bool:
    """True when the mark at ``i`` stands before a word, after a space or at the start."""
    before = text[i - 1] if i else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPENING_CONTEXT and not after.isspace()


def _closes_word(text: str, i: int) -> bool:
    """True when the mark at ``i`` ends a word: text before it, no letter after it."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _next_paragraph_mark(text: str, newline: int) -> int:
    """Index of the first character of the next non-blank line, or -1 at the end."""
    i = newline
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i if i < n else -1


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Pair quotation marks into spans, in order of their opening mark.

    Notes:
        Directed marks pair by family (“ ” with each other, « » with each other,
        " with "), so one kind never closes another; marks of another family inside
        an open quote are nested and stay inside it. A right mark ” before a word,
        after a space or at a line start, opens a quote (a common typesetting error).
        A quote still open at the end of a paragraph continues when the next
        paragraph opens with a mark of its family (the convention for quotes that
        run over paragraphs); otherwise it is dropped, so an odd mark costs one
        quote. Single quotes pair only outside double quotes, within a paragraph,
        and only where the marks open and close words, so apostrophes (Putin’s,
        rock ’n’ roll, ’90s) never pair. A same-family opener met inside an open
        quote restarts it: it cannot tell “missing closer” from “nested in the same
        marks”, and either way costs one quote.
    """
    spans: list[QuotedSpan] = []
    open_at = -1  # index of the open double mark, -1 if none
    family = ""  # "curly", "low", "guillemet" or "straight"
    single_at = -1
    skip_at = -1  # a paragraph-opening mark that continues the open quote
    for match in _MARK.finditer(text):
        i = match.start()
        mark = text[i]
        if i == skip_at:
            continue
        if mark == "\n":
            single_at = -1
            if open_at >= 0:
                nxt = _next_paragraph_mark(text, i)
                if nxt >= 0 and _continues(text[nxt], family):
                    skip_at = nxt
                else:
                    open_at = -1
            continue
        if open_at >= 0:
            if _closes(mark, family):
                if family == "straight" and _opens_word(text, i) and not _closes_word(text, i):
                    open_at = i  # a new quote; the one before lacked its closer
                    continue
                if i > open_at + 1:
                    spans.append(QuotedSpan(open_at + 1, i, text[open_at]))
                open_at = -1
            elif _restarts(mark, family):
                open_at = i
            continue
        kind = _double_opener(text, i, mark)
        if kind:
            open_at, family, single_at = i, kind, -1
            continue
        single_at = _pair_single(text, i, mark, single_at, spans)
    return spans


def _double_opener(text: str, i: int, mark: str) -> str:
    """The family a double mark opens when no double quote is open, or ""."""
    if mark in _CURLY_OPEN:
        return "low" if mark == "„" else "curly"
    if mark == "”" and _opens_word(text, i):
        return "curly"
    if mark in _GUILLEMET_OPEN:
        return "guillemet"
    if mark == _STRAIGHT and not (text[i + 1 : i + 2] or " ").isspace():
        return "straight"
    return ""


def _closes(mark: str, family: str) -> bool:
    if family == "curly":
        return mark == "”"
    if family == "low":
        return mark in _CURLY_CLOSE
    if family == "guillemet":
        return mark == _GUILLEMET_CLOSE
    return mark == _STRAIGHT


def _restarts(mark: str, family: str) -> bool:
    return (family == "curly" and mark == "“") or (family == "guillemet" and mark == "«")


def _continues(mark: str, family: str) -> bool:
    """True when a paragraph opening with ``mark`` continues a quote of ``family``."""
    if family in ("curly", "low"):
        return mark in "“”„"
    if family == "guillemet":
        return mark == "«"
    return mark == _STRAIGHT


def _pair_single(text: str, i: int, mark: str, single_at: int, spans: list[QuotedSpan]) -> int:
    """Advance the single-quote state at mark ``i``; return the new open index."""
    if (
        single_at >= 0
        and mark in _SINGLE_CLOSE
        and (text[single_at] == "'") == (mark == "'")
        and _closes_word(text, i)
        and _is_single_quote_text(text, single_at + 1, i)
    ):
        spans.append(QuotedSpan(single_at + 1, i, text[single_at], single=True))
        return -1
    if mark in _SINGLE_OPEN and _opens_word(text, i) and text[i + 1 : i + 2].isalnum():
        return i
    return single_at


def _is_single_quote_text(text: str, start: int, end: int) -> bool:
    """A single-quoted span holds at least two characters and starts with a word."""
    return end - start >= 2 and text[start].isalnum()
