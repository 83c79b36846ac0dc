"""Recognising the same quote reported by several articles.

Outlets quote the same words differently: translations vary ("alternative trade
mechanisms" / "alternative mechanisms of trade"), one outlet quotes two sentences where
another quotes one. Two quotes are the same when most content words of the shorter one
appear in the longer one.

Candidates are found with MinHash bands over content words, so a new quote is compared
with a handful of earlier ones, never with all of them.

Notes:
    Quotes of fewer than ``MIN_TERMS`` content words never cluster: short fragments
    ("lonely bromance") recur across unrelated stories. Containment, not Jaccard, so a
    one-sentence quote joins the two-sentence version it is part of; the price is that
    a long quote can absorb a short one that merely shares its vocabulary.
"""

from __future__ import annotations

import hashlib
import re
import struct
from functools import lru_cache

MIN_TERMS = 5
CONTAINMENT = 0.7
BANDS = 12
ROWS = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# The commonest English function words: they say nothing about which quote it is.
_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
    ]
)
_SUFFIXES = ("ings", "ing", "ed", "es", "s")
_NOT_A_TERM = frozenset([""])
_SEEDS = [hashlib.blake2b(str(i).encode(), digest_size=8).digest() for i in range(BANDS * ROWS)]


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 17)
def _term(word: str) -> str:
    """The content term of a word as written; empty for a function word or a short one."""
    folded = word.casefold()
    if folded in _STOPWORDS or len(folded) <= 2:
        return ""
    return _stem(folded)


def content_terms(text: str) -> frozenset[str]:
    """The quote's content words, lower-cased and crudely stemmed."""
    # Each word is folded and stemmed once a process: quotes share most of their words.
    return frozenset(map(_term, _WORD.findall(text))) - _NOT_A_TERM


@lru_cache(maxsize=1 << 17)
def _term_hashes(term: str) -> tuple[int, ...]:
    """The term's hash under each MinHash seed; words recur, so each is hashed once."""
    data = term.encode()
    return tuple(
        struct.unpack("<Q", hashlib.blake2b(data, digest_size=8, key=seed).digest())[0]
        for seed in _SEEDS
    )


def band_keys(terms: frozenset[str]) -> list[str]:
    """MinHash band keys of ``terms``; empty when there are too few terms to cluster."""
    if len(terms) < MIN_TERMS:
        return []
    hashes = [format(h, "x") for h in map(min, zip(*map(_term_hashes, terms), strict=True))]
    return [f"{band}:{'.'.join(hashes[band * ROWS : (band + 1) * ROWS])}" for band in range(BANDS)]


def same_quote(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two quotes' content words say they are the same quote."""
    shorter = min(len(a), len(b))
    return shorter >= MIN_TERMS and len(a & b) / shorter >= CONTAINMENT
