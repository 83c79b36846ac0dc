"""The records extraction returns: a Quote and the Speaker it is attributed to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SpeakerType = Literal["person", "organization", "unknown"]
QuoteKind = Literal["direct", "partial"]


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quote, as the article names them.

    ``name`` is the fullest name the article gives ("Vladimir Putin"), or None when
    the text does not say who; ``mention`` is the words next to the quote as written
    ("he", "the Kremlin chief").
    """

    name: str | None = None
    title: str | None = None
    type: SpeakerType = "unknown"
    mention: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation found in an article.

    ``start`` and ``end`` are offsets of ``text`` in the article text exactly as it
    was given, so ``article[start:end] == text``.
    """

    text: str
    start: int
    end: int
    speaker: Speaker = field(default_factory=Speaker)
    cue: str | None = None
    kind: QuoteKind = "direct"
    confidence: float = 0.0
