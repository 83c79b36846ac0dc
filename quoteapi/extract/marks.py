"""Quotation marks: pair them into quoted spans in one left-to-right pass.

The pass keeps one open double quote and one open single quote at a time, so it is
linear in the text and a stray mark costs at most the quote around it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Double-quote families: which marks open, and which close, a quote of each family.
_CURLY_OPEN = "“„‟"
_CURLY_CLOSE = "”“"  # "“" closes only a quote opened by the low mark „
_GUILLEMET_OPEN = "«"
_GUILLEMET_CLOSE = "»"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘‚'"
_SINGLE_CLOSE = "’'"

_MARK = re.compile("[\"“”„‟«»‘’‚'\n]")
# The marks that can open a quote (a right mark ” can: see _double_opener).
_OPENER = re.compile("[\"“”„‟«‘‚']")
# Runs of one double mark are handled whole: a page of marks costs a handful of steps.
_RUNS = {mark: re.compile(re.escape(mark) + "+") for mark in '"“”'}
_SINGLE_RUN = re.compile("'+")
_NON_SPACE = re.compile(r"\S")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Characters after which a mark is at the start of a word, so it opens.
_OPENING_CONTEXT = frozenset(" \t\n\r([{—–-/\u00a0")


class QuotedSpan(NamedTuple):
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
    closers = restarters = ""  # the marks that close / restart the open quote
    single_at = -1
    decided_to = -1  # newlines before here were already judged for the open quote
    pos = 0
    while True:
        # Look only for the marks that can change the state: in an open double quote,
        # line breaks and its family's closers and restarters; with no quote open,
        # openers (line breaks and ’ change nothing then).
        marks = _FAMILY_MARKS[family] if open_at >= 0 else _MARK if single_at >= 0 else _OPENER
        match = marks.search(text, pos)
        if match is None:
            break
        i = match.start()
        mark = text[i]
        end = i + 1
        if mark in _RUNS and text.startswith(mark, end):
            run = _RUNS[mark].match(text, i)
            end = run.end() if run else end
        pos = end  # a run of one mark is handled whole
        if mark == "\n":
            single_at = -1
            if open_at >= 0 and i >= decided_to:
                nxt = _NON_SPACE.search(text, i)
                if nxt is not None and text[nxt.start()] in _CONTINUERS[family]:
                    decided_to = nxt.start() + 1  # that mark continues the quote
                else:
                    open_at = -1
            continue
        if i < decided_to:
            continue  # the paragraph-opening mark of a continued quote
        if open_at >= 0:
            if mark in closers:
                if family == "straight" and _opens_word(text, i) and not _closes_word(text, i):
                    open_at = i  # a new quote; the one before lacked its closer
                    continue
                if _HAS_LETTER.search(text, open_at + 1, i):
                    spans.append(QuotedSpan(open_at + 1, i, text[open_at]))
                open_at = -1
                if mark == _STRAIGHT:
                    open_at = _after_straight_run(text, i, end, closed_first=True)
            elif mark in restarters:
                open_at = end - 1  # of a run of openers, the last one counts
            continue
        if mark == "’" and single_at < 0:
            continue  # an apostrophe (Putin’s): the commonest mark, and it opens nothing
        kind = _double_opener(text, i, mark)
        if kind:
            open_at, family, single_at = end - 1, kind, -1
            closers, restarters = _CLOSERS[kind], _RESTARTERS[kind]
            if end - i > 1 and mark != "“":
                # ”” and "" open and close an empty quote; an odd run of " opens at its end
                open_at = _after_straight_run(text, i, end) if mark == _STRAIGHT else -1
            continue
        single_at = _pair_single(text, i, mark, single_at, spans)
        if mark == "'" and text[i - 1 : i] == "'" and text[i + 1 : i + 2] == "'":
            # Inside a run of ' a mark opens nothing and closes only what this one
            # just closed: go on at the run's last mark (a page of ' costs a few steps).
            run = _SINGLE_RUN.match(text, i)
            pos = run.end() - 1 if run else pos
    return spans


def _after_straight_run(text: str, start: int, end: int, closed_first: bool = False) -> int:
    """Where a run of straight marks leaves the quote state: the open index or -1.

    Inside a run each mark closes the empty quote the one before opened, so only
    the parity of the run matters (after its first mark closed a quote, if
    ``closed_first``), and the last mark opens only before a word.
    """
    remaining = end - start - (1 if closed_first else 0)
    last = end - 1
    opens = remaining % 2 == 1 and not (text[last + 1 : last + 2] or " ").isspace()
    return last if opens else -1


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


# Per family: the marks that close an open quote, that restart it (a new quote in
# the same marks), and that continue it when they open the next paragraph.
_CLOSERS = {"curly": "”", "low": _CURLY_CLOSE, "guillemet": _GUILLEMET_CLOSE, "straight": _STRAIGHT}
_RESTARTERS = {"curly": "“", "low": "", "guillemet": "«", "straight": ""}
_CONTINUERS = {"curly": "“”„", "low": "“”„", "guillemet": "«", "straight": _STRAIGHT, "": ""}
_FAMILY_MARKS = {
    family: re.compile("[\n" + _CLOSERS[family] + _RESTARTERS[family] + "]") for family in _CLOSERS
}


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
