"""The shape of an article: lines, sentences, headlines, boilerplate, masked quotes.

Lines are cut once per article in a linear pass; sentences and tokens are cut per
line on first use and cached, so attribution can look up "the sentence around
this quote" with a binary search and never re-reads a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import add, itemgetter

from quoteapi.extract.lexicons import ABBREVIATIONS, BOILERPLATE_PATTERNS
from quoteapi.extract.marks import QuotedSpan
from quoteapi.extract.mentions import MASK, Token, is_initial, tokenize

_BOILERPLATE = re.compile(r"\s*(?:" + "|".join(BOILERPLATE_PATTERNS) + r")\s*$", re.IGNORECASE)
# End of a sentence: terminal punctuation, optional closing marks, then a space and
# something that can start a sentence.
# A full stop between two words with no space ("Ukraine.The") ends a sentence too.
# Both branches open with the punctuation mark, so the search skips ahead to one
# instead of trying a look-behind at every character.
_SENTENCE_END = re.compile(
    r"[.!?](?:[.!?]*[\"”’»)\]]*\s+(?=[\"“”‘'«(\[A-Z0-9#])|(?<=[a-z]{2}\.)(?=[A-Z][a-z]))"
)
_HEADLINE_MAX = 160
# Characters an abbreviation can span before its full stop ("messrs", "u.s", "sept").
_LONGEST_ABBREVIATION = 1 + max(len(a) for a in ABBREVIATIONS)
# Longest stretch read as one sentence (real ones are far shorter; see sentence_bounds).
_MAX_SENTENCE = 800
_token_start = itemgetter(1)  # Token.start, read without a Python-level loop


class Layout:
    """An article cut into lines and sentences, with quote interiors masked.

    Lines are cut at once; sentences and their tokens only for the lines that
    attribution asks about, since most lines of an article hold no quote.
    """

    __slots__ = (
        "_line_sentences",
        "_sentence_tokens",
        "headline_lines",
        "line_ends",
        "line_starts",
        "masked",
        "skipped_lines",
        "text",
    )

    def __init__(
        self,
        text: str,
        masked: str,
        line_starts: tuple[int, ...],
        line_ends: tuple[int, ...],
        skipped_lines: frozenset[int],
        headline_lines: frozenset[int],
    ) -> None:
        self.text = text
        self.masked = masked
        self.line_starts = line_starts
        self.line_ends = line_ends
        self.skipped_lines = skipped_lines  # boilerplate and repeated lines
        self.headline_lines = headline_lines
        self._line_sentences: dict[int, list[int]] = {}
        # tokens of each sentence, with their start offsets for slicing by bisection
        self._sentence_tokens: dict[tuple[int, int], tuple[list[Token], list[int]]] = {}

    def line_of(self, pos: int) -> int:
        """Index of the line holding ``pos``."""
        return bisect_right(self.line_starts, pos) - 1

    def sentence_starts(self, line: int) -> list[int]:
        """Offsets where the sentences of ``line`` start, cut on first use."""
        starts = self._line_sentences.get(line)
        if starts is None:
            begin = self.line_starts[line]
            starts = _sentence_starts(self.masked, begin, self.line_ends[line])
            self._line_sentences[line] = starts
        return starts

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        """Start and end of the sentence holding ``pos`` (never past its line).

        A "sentence" longer than _MAX_SENTENCE characters (a page with no full stop)
        is cut to the part around ``pos``, so no quote reads more than a bounded
        window and time stays linear in the text.
        """
        line = bisect_right(self.line_starts, pos) - 1  # line_of and the cache, inlined: hot
        starts = self._line_sentences.get(line) or self.sentence_starts(line)
        k = bisect_right(starts, pos) - 1
        end = starts[k + 1] if k + 1 < len(starts) else self.line_ends[line]
        start = starts[k]
        if end - start > _MAX_SENTENCE:
            # Windows are aligned to fixed blocks so that quotes near each other share
            # them (and their tokens) instead of each cutting its own.
            block = _MAX_SENTENCE // 2
            n = (pos - start) // block
            start, end = start + max(0, n - 1) * block, min(end, start + (n + 1) * block)
        return start, end

    def previous_sentence(self, pos: int) -> tuple[int, int] | None:
        """The sentence before the one holding ``pos``: in its line, else the last of the
        nearest line with text before it (blank lines between paragraphs are skipped)."""
        start, _ = self.sentence_bounds(pos)
        line = self.line_of(pos)
        if start > self.line_starts[line]:
            return self.sentence_bounds(start - 1)
        line -= 1
        while line >= 0 and not self.text[self.line_starts[line] : self.line_ends[line]].strip():
            line -= 1
        if line < 0:
            return None
        return self.sentence_bounds(max(self.line_starts[line], self.line_ends[line] - 1))

    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens of the masked text wholly inside ``[start, end)``.

        Each sentence is tokenized once and shared by every window that reads it.
        """
        out: list[Token] = []
        pos = start
        while pos < end:
            sentence_start, sentence_end = self.sentence_bounds(pos)
            cached = self._sentence_tokens.get((sentence_start, sentence_end))
            if cached is None:
                tokens = tokenize(self.masked, sentence_start, sentence_end)
                cached = (tokens, list(map(_token_start, tokens)))
                self._sentence_tokens[sentence_start, sentence_end] = cached
            tokens, starts = cached
            if sentence_start >= start and sentence_end <= end:
                out.extend(tokens)
            else:
                # tokens are in order and never overlap: a slice by start, then trim the end
                i = bisect_left(starts, start)
                j = bisect_left(starts, end, i)
                while j > i and tokens[j - 1].end > end:
                    j -= 1
                out.extend(tokens[i:j])
            line_end = self.line_ends[bisect_right(self.line_starts, pos) - 1]
            pos = sentence_end if sentence_end < line_end else line_end + 1
        return out


def mask_quotes(text: str, spans: list[QuotedSpan]) -> str:
    """Replace the words inside each span with MASK, keeping offsets.

    A terminal full stop, question or exclamation mark inside the span is kept, so
    a quote that ends a sentence still ends it for the sentence splitter.
    """
    parts: list[str] = []
    last = 0
    for span in spans:
        if span.start < last:
            continue
        parts.append(text[last : span.start])
        keep_end = span.end - 1 if text[span.end - 1] in ".!?" else span.end
        parts.append(MASK * (keep_end - span.start))
        parts.append(text[keep_end : span.end])
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def _sentence_starts(masked: str, begin: int, end: int) -> list[int]:
    """Offsets where sentences start in ``masked[begin:end]``, cut at terminal punctuation.

    A full stop after an abbreviation ("Sen.", "U.S.") or initials ("John F.",
    "G.K.") does not end a sentence.
    """
    starts = [begin]
    for match in _SENTENCE_END.finditer(masked, begin, end):
        dot = match.start()
        # only a short word can be an abbreviation: look a few characters back, no further
        low = max(begin, dot - _LONGEST_ABBREVIATION)
        space = masked.rfind(" ", low, dot)
        if space >= 0 or low == begin:
            word = masked[space + 1 if space >= 0 else begin : dot].lower().rstrip(".")
            if word in ABBREVIATIONS or is_initial(word):
                continue
        if match.end() < end:
            starts.append(match.end())
    return starts


def _is_headline(line: str) -> bool:
    """A short line with no sentence punctuation at its end: a title or subhead."""
    stripped = line.rstrip()
    if not stripped or len(stripped) > _HEADLINE_MAX:
        return False
    tail = stripped.rstrip("\"”’'»)")
    return not tail.endswith((".", "!", "?", ",", ";", ":"))


def build_layout(text: str, spans: list[QuotedSpan]) -> Layout:
    """Cut ``text`` into lines and sentences, flag boilerplate and headlines.

    Only lines that hold a quote are classified: the others cannot yield one.
    """
    masked = mask_quotes(text, spans)
    lines = text.split("\n")
    # map and accumulate, not a Python loop: a page of line breaks is a million lines
    lengths = list(map(len, lines))
    starts = list(accumulate(map(add, lengths, repeat(1)), initial=0))
    del starts[-1]  # the offset past the end of the text
    ends = list(map(add, starts, lengths))
    # the index of the first line holding each text (read backwards, so the first wins)
    backwards = range(len(lines) - 1, -1, -1)
    first_seen = dict(zip(map(str.strip, reversed(lines)), backwards, strict=True))
    skipped: set[int] = set()
    headlines: set[int] = set()
    for index in {bisect_right(starts, span.start - 1) - 1 for span in spans}:
        key = lines[index].strip()
        if first_seen[key] < index or _BOILERPLATE.match(key):
            skipped.add(index)
        elif _is_headline(key):
            headlines.add(index)
    return Layout(
        text, masked, tuple(starts), tuple(ends), frozenset(skipped), frozenset(headlines)
    )
