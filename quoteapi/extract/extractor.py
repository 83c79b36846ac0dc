"""extract_quotes: every quotation in an article, attributed to its speaker."""

from __future__ import annotations

import re
from typing import NamedTuple

from quoteapi.extract.attribution import (
    Attribution,
    antecedent_speaker,
    attribute,
    attribute_previous_sentence,
    passive_speech,
    sentence_subject,
)
from quoteapi.extract.layout import Layout, build_layout
from quoteapi.extract.lexicons import DOCUMENT_VERBS, ROLE_WORDS
from quoteapi.extract.marks import QuotedSpan, find_quoted_spans
from quoteapi.extract.mentions import Mention
from quoteapi.extract.records import Quote, QuoteKind, Speaker
from quoteapi.extract.speakers import PeopleIndex, Person

# Attribution is bounded per character, so no input costs more than linear time
# with a small constant: past one quote per _CHARS_PER_ATTRIBUTION characters
# (several times the density of quote-heavy news), quotes come back unattributed.
_CHARS_PER_ATTRIBUTION = 400
_MIN_ATTRIBUTIONS = 100
# The speaker of every unattributed quote (immutable, so one instance serves all).
_NO_SPEAKER = Speaker()
# Confidence given to a quote that inherits the speaker of the quote before it, and
# to one given the subject of the sentence before it or of its own sentence.
_INHERITED = 0.6
_SUBJECT_BEFORE = 0.4
_SUBJECT_OWN = 0.35
# How many mentions of a one-word name are read to tell a proper noun from an opener.
_NAME_LOOKS = 20
_NAME_REACH = 10_000
# How much less a speaker is trusted when it had to be resolved, by mention kind.
_RESOLUTION_COST = {"name": 0.0, "organization": 0.0, "description": 0.1, "pronoun": 0.15}
# The gender each pronoun gives the person it stands for.
_GENDERS = {"he": "male", "she": "female"}
# A pronoun looks back at most this far for the person it stands for.
_PRONOUN_REACH = 1500
_PRONOUN_CANDIDATES = 20
# How far back a quote's own line is read, so long lines cost no more per quote.
_LOOK_BACK = 200
_HAS_LETTER = re.compile(r"[^\W\d_]")
# One "word" that is a handle, hashtag, address or camelCase identifier.
_IDENTIFIER = re.compile(r"[@#]\S+|\S*(?:https?://|www\.)\S*|\S*[a-z][A-Z]\S*|\S*\d\S*[^\W\d_]\S*")
_DIRECT_BEFORE = frozenset(".!?:;—–-(\"“”'‘’")


class _Said(NamedTuple):
    """A resolved attribution, remembered so later quotes and pronouns can use it."""

    speaker: Speaker
    pos: int  # where the speaker is mentioned
    line: int
    mention: str


def extract_quotes(text: str) -> list[Quote]:
    """Find every quotation in an article and attribute it to its speaker.

    Args:
        text: the article as plain text; paragraphs are separated by newlines.

    Returns:
        The quotes in order of position. Each ``Quote.text`` equals
        ``text[quote.start:quote.end]`` (the words inside the marks).

    Raises:
        TypeError: ``text`` is not a ``str`` (decode bytes first).

    Notes:
        Rules and lexicons, no model: a speaker is found only where the article
        ties the quote to a speech verb, "according to", a colon or a dash, or to
        the sentence or quote before it. Quotes in boilerplate lines and repeated lines are skipped;
        single-quoted spans and quotes in headlines get a speaker only from an
        explicit pattern, never by inheritance, so scare quotes and titles of works
        stay unattributed. Pronouns resolve to the nearest person named or quoted
        before them, which fails when two people alternate in one paragraph.
        Past one quote per 400 characters (a page of nothing but quotes), further
        quotes are returned without a speaker, and past 1,000 people plus one per
        250 characters (a page of nothing but names), further people are not
        indexed, which keeps time linear with a small constant.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"extract_quotes() needs the article as str, got {type(text).__name__}; "
            "decode bytes first (for example data.decode('utf-8'))"
        )
    spans = find_quoted_spans(text)
    if not spans:
        return []
    layout = build_layout(text, spans)
    people = PeopleIndex(text, layout.masked)
    quotes: list[Quote] = []
    history: list[_Said] = []
    singles_are_quotes = all(span.single for span in spans)
    budget = len(text) // _CHARS_PER_ATTRIBUTION + _MIN_ATTRIBUTIONS
    for span in spans:
        line = layout.line_of(span.start - 1)
        if not _is_quotation(layout, span, line, singles_are_quotes):
            continue
        if len(quotes) < budget:
            quotes.append(_extract_one(layout, people, span, line, history))
        else:
            quotes.append(_quote(text, span, _NO_SPEAKER, None, _kind(layout, span, line), 0.0))
    return quotes


def _is_quotation(layout: Layout, span: QuotedSpan, line: int, singles_are_quotes: bool) -> bool:
    """Whether a quoted span can be someone's words, not markup, a handle or a scare quote.

    Notes:
        Where an article quotes speech in double marks, its single-quoted spans
        outside them are scare quotes, nicknames and titles (‘hermit kingdom’), so
        they count only in headlines, which quote in single marks by convention.
        Where an article has no double marks at all (British style), single marks
        are its quotation marks.
    """
    text = layout.text
    words = text[span.start : span.end]
    if text[span.start - 2 : span.start - 1] == "=" or not (
        words[:1].isalpha() or _HAS_LETTER.search(words)  # most quotes start with a letter
    ):
        return False  # an attribute in markup (author="…"), or a number
    if " " not in words and _IDENTIFIER.fullmatch(words):
        return False  # a handle, a hashtag, a file name: not anyone's words
    if line in layout.skipped_lines:
        return False
    return not span.single or singles_are_quotes or line in layout.headline_lines


def _extract_one(
    layout: Layout, people: PeopleIndex, span: QuotedSpan, line: int, history: list[_Said]
) -> Quote:
    """One quote, attributed from its own sentence, else from what comes before it.

    The fallbacks, in order: for a phrase woven into a sentence, that sentence's
    subject when it is a person ("Ames sees it as “a fresh start”"; a one-word
    "“historic”" there is taken for a scare quote, and gets it only instead of the
    speaker the sentence before would give it); the
    speaker of the quote before, when the sentence before (in the same paragraph)
    attributed it; a speech verb in the sentence before; the speaker of the quote
    before, in the same or the previous paragraph; the subject of the sentence
    before ("Ames is upbeat. “…”"), or of the woven phrase's own sentence when it
    is an organisation. Headlines and single-quoted spans take none of them.
    """
    text = layout.text
    kind = _kind(layout, span, line)
    inherit = _may_inherit(layout, span, line)
    attribution = attribute(layout, span)
    phrase = " " in text[span.start : span.end].strip()  # not a one-word scare quote
    woven = attribution is None and inherit and not _starts_sentence(layout, span)
    if woven and _labelled(layout, span):
        # "Lopez was labeled “a liar”": words about the subject, by someone unnamed
        return _quote(text, span, _NO_SPEAKER, None, kind, 0.0)
    if woven and not phrase and attribute_previous_sentence(layout, span.start - 1) is None:
        woven = False  # a one-word scare quote gets no speaker it would not get anyway
    if woven:
        # A fragment woven into a sentence with no cue is its subject's words, more
        # surely than those of a speaker in the sentence before ("Ames said it
        # failed. Lopez sees it as “a fresh start”").
        subject = _own_subject(layout, span)
        if subject is not None and subject.kind == "name":
            speaker = _resolve(Attribution(subject, "", 0.0), people, history, layout)
            name = speaker.name or ""
            unknown = (
                speaker.type == "unknown"
                and bool(name)
                and phrase
                and _named_mid_sentence(text, name, span.start)
            )
            if name and (speaker.type == "person" or unknown):
                history.append(_Said(speaker, subject.start, line, subject.text.lower()))
                return _quote(text, span, speaker, None, kind, _SUBJECT_OWN)
    if attribution is None and inherit and _continues_attributed(layout, span, line, history):
        # "“…,” Ames said after Lopez spoke. “…”": the sentence before attributed the
        # quote before; its other verbs ("spoke") are not this quote's
        last = history[-1]
        history.append(_Said(last.speaker, last.pos, line, last.mention))
        return _quote(text, span, last.speaker, None, kind, _INHERITED)
    if attribution is None and inherit:
        attribution = attribute_previous_sentence(layout, span.start - 1)
        if attribution is not None:
            # A quote that is its own sentence follows its speaker's sentence more
            # surely than a fragment woven into a sentence with no cue.
            strength = 0.65 if _starts_sentence(layout, span) else 0.55
            attribution = Attribution(attribution.mention, attribution.cue, strength)
    if attribution is not None:
        speaker = _resolve(attribution, people, history, layout)
        confidence = attribution.strength - _RESOLUTION_COST.get(attribution.mention.kind, 0.2)
        if speaker.name is None:
            confidence = min(confidence, 0.5)
        mention = attribution.mention
        history.append(_Said(speaker, mention.start, line, mention.text.lower()))
        return _quote(text, span, speaker, attribution.cue, kind, confidence)
    if not inherit:
        return _quote(text, span, _NO_SPEAKER, None, kind, 0.0)
    previous = history[-1] if history else None
    if previous is not None and _is_follow_on(layout, span, line, previous):
        history.append(_Said(previous.speaker, previous.pos, line, previous.mention))
        confidence = _INHERITED if kind == "direct" else _INHERITED - 0.1
        return _quote(text, span, previous.speaker, None, kind, confidence)
    starts = _starts_sentence(layout, span)
    if starts:
        subject = _previous_subject(layout, span)
    elif phrase:
        subject = _own_subject(layout, span)  # an organisation's, or the person's after all
    else:
        subject = None
    if subject is not None:
        speaker = _resolve(Attribution(subject, "", 0.0), people, history, layout)
        # an organisation speaks through a phrase it is the subject of, not a sentence after
        allowed = ("person",) if starts else ("person", "organization")
        if speaker.name and speaker.type in allowed:
            history.append(_Said(speaker, subject.start, line, subject.text.lower()))
            confidence = _SUBJECT_BEFORE if starts else _SUBJECT_OWN
            return _quote(text, span, speaker, None, kind, confidence)
    return _quote(text, span, _NO_SPEAKER, None, kind, 0.0)


def _continues_attributed(
    layout: Layout, span: QuotedSpan, line: int, history: list[_Said]
) -> bool:
    """The sentence before the quote, in its paragraph, names the speaker of the quote
    before: "“…,” Ames said after Lopez spoke. “…”"."""
    if not history or history[-1].line != line or not history[-1].speaker.name:
        return False
    bounds = layout.previous_sentence(span.start - 1)
    return bounds is not None and bounds[0] <= history[-1].pos < bounds[1]


def _named_mid_sentence(text: str, name: str, pos: int) -> bool:
    """A one-word name capitalised in the middle of a sentence near ``pos``, so a proper
    noun ("Verity"), not a capitalised opener ("Audiences").

    Reads at most _NAME_LOOKS mentions within _NAME_REACH characters either side, so
    a page of such quotes stays linear.
    """
    low, high = max(0, pos - _NAME_REACH), pos + _NAME_REACH
    i = text.find(name, low, high)
    for _ in range(_NAME_LOOKS):
        if i < 0:
            return False
        before = text[max(0, i - 2) : i]
        if before[-1:] == " " and (before[:1].islower() or before[:1] == ","):
            return True
        i = text.find(name, i + len(name), high)
    return False


def _own_subject(layout: Layout, span: QuotedSpan) -> Mention | None:
    """The subject of the quote's own sentence: "Ames sees the plan as “a fresh start”".

    Only the clause after a colon or semicolon is read, unless the quote follows it
    right away: a label or heading before a colon ("Veto Power Stalls Talks: Ending
    “the war” is …") is no subject of what follows.
    """
    start, _ = layout.sentence_bounds(span.start - 1)
    tokens = layout.tokens(start, span.start - 1)
    cut = next((i for i in range(len(tokens) - 2, -1, -1) if tokens[i].text in ":;"), -1)
    return sentence_subject(tokens[cut + 1 :], layout.text)


def _labelled(layout: Layout, span: QuotedSpan) -> bool:
    """The quote follows a speech verb in the passive: "Lopez was labeled “a liar”"."""
    start, _ = layout.sentence_bounds(span.start - 1)
    return passive_speech(layout.tokens(max(start, span.start - 1 - _LOOK_BACK), span.start - 1))


def _previous_subject(layout: Layout, span: QuotedSpan) -> Mention | None:
    """The subject of the sentence before a quote with no cue: "Ames is upbeat. “…”"."""
    bounds = layout.previous_sentence(span.start - 1)
    if bounds is None:
        return None
    return sentence_subject(layout.tokens(*bounds), layout.text)


def _quote(
    text: str,
    span: QuotedSpan,
    speaker: Speaker,
    cue: str | None,
    kind: QuoteKind,
    confidence: float,
) -> Quote:
    return Quote(
        text=text[span.start : span.end],
        start=span.start,
        end=span.end,
        speaker=speaker,
        cue=cue,
        kind=kind,
        confidence=round(max(0.0, min(1.0, confidence)), 2) if confidence else 0.0,
    )


def _kind(layout: Layout, span: QuotedSpan, line: int) -> QuoteKind:
    """Direct when the quote starts a sentence or follows a colon or comma; else partial."""
    text = layout.text
    first = text[span.start]
    if first.isalpha() and first.islower():
        return "partial"
    line_start = layout.line_starts[line]
    # the last character before the opening mark that is not a space, within reach
    i = span.start - 2
    low = max(line_start, span.start - 1 - _LOOK_BACK)
    while i >= low and text[i].isspace():
        i -= 1
    if i < low or text[i] in _DIRECT_BEFORE or text[i] == ",":
        return "direct"
    return "partial"


def _starts_sentence(layout: Layout, span: QuotedSpan) -> bool:
    """The quote opens its sentence, so it is a sentence of its own."""
    start, _ = layout.sentence_bounds(span.start - 1)
    return not layout.masked[start : span.start - 1].strip()


def _may_inherit(layout: Layout, span: QuotedSpan, line: int) -> bool:
    """Headlines and single-quoted spans (titles, scare quotes) never inherit a speaker."""
    return not span.single and line not in layout.headline_lines


def _is_follow_on(layout: Layout, span: QuotedSpan, line: int, previous: _Said) -> bool:
    """The quote continues the previous speaker: same paragraph, or the next one."""
    if previous.line == line:
        return True
    if previous.line != _previous_text_line(layout, line):
        return False
    start = layout.line_starts[line]
    return span.start - 1 - start <= _LOOK_BACK and not layout.text[start : span.start - 1].strip()


def _previous_text_line(layout: Layout, line: int) -> int:
    """The nearest line before ``line`` with any text, or -1."""
    k = line - 1
    while k >= 0 and not layout.text[layout.line_starts[k] : layout.line_ends[k]].strip():
        k -= 1
    return k


def _resolve(
    attribution: Attribution, people: PeopleIndex, history: list[_Said], layout: Layout
) -> Speaker:
    """Turn a speaker phrase into a Speaker with the fullest name the article gives."""
    mention = attribution.mention
    if mention.kind == "name" and mention.name:
        person = people.full_name(mention.name, mention.start)
        if person is not None:
            return _person_speaker(person, mention, people)
        known = bool(mention.title or mention.gender or " " in mention.name)
        return Speaker(mention.name, mention.title, "person" if known else "unknown", mention.text)
    if mention.kind == "organization":
        if mention.name and " " not in mention.name:
            person = people.full_name(mention.name, mention.start)
            if person is not None:  # "Cuban said", after "Mark Cuban"
                return _person_speaker(person, mention, people)
        return Speaker(mention.name, None, "organization", mention.text)
    if mention.kind == "description":
        person = people.describe(mention)
        if person is not None:
            return _person_speaker(person, mention, people, title=mention.text)
        return Speaker(None, _strip_article(mention.text), "unknown", mention.text)
    if mention.kind == "pronoun":
        return _resolve_pronoun(attribution, people, history, layout)
    # anonymous: "a senior official" is a person, "sources" or "reports" may not be
    return Speaker(None, None, "person" if mention.head in ROLE_WORDS else "unknown", mention.text)


def _person_speaker(
    person: Person, mention: Mention, people: PeopleIndex, title: str | None = None
) -> Speaker:
    own_title = mention.title or title
    if own_title:
        return Speaker(person.name, _strip_article(own_title), "person", mention.text)
    titles = people.titles(person)
    return Speaker(person.name, titles[0] if titles else None, "person", mention.text)


def _strip_article(words: str) -> str:
    for article in ("the ", "The ", "a ", "an "):
        if words.startswith(article):
            return words[len(article) :]
    return words


def _resolve_pronoun(
    attribution: Attribution, people: PeopleIndex, history: list[_Said], layout: Layout
) -> Speaker:
    """Who a pronoun stands for.

    Notes:
        A pronoun that repeats the mention of a recent attribution ("it calls"
        after "it reads") keeps that speaker. "he"/"she" is the latest of: the
        last person quoted, the subject of the nearest speech verb before, the
        last person named, skipping anyone whose forename or honorific gives
        the other gender (a forename not in the lexicon gives none, so the
        nearest person can still be the wrong one). "it reads" (a letter, an article) stands for
        its author, so it resolves like he/she; other "it" is the organisation
        that is the subject of its sentence or the one before. "they" stays
        unnamed.
    """
    mention = attribution.mention
    pronoun = mention.text.lower()
    pos = mention.start
    if pronoun in ("he", "she"):
        subject = _subject_before(layout, pos, people, history, pronoun)
        if subject is not None:
            return _with_mention(subject, mention.text)
    recent = _recent(history, pos)
    for said in reversed(recent):
        if said.mention == pronoun and said.speaker.name:
            return _with_mention(said.speaker, mention.text)
    is_document = pronoun == "it" and attribution.cue.split()[-1].lower() in DOCUMENT_VERBS
    if pronoun == "it" and not is_document:
        return _organization_subject(layout, pos, people, history) or Speaker(
            None, None, "organization", mention.text
        )
    if pronoun not in ("he", "she") and not is_document:
        return Speaker(None, None, "unknown", mention.text)
    gender = _GENDERS.get(pronoun)

    def fits(speaker: Speaker) -> bool:
        person = people.person(speaker.name)
        return gender is None or person is None or people.gender_of(person) in (None, gender)

    candidates: list[tuple[int, Speaker]] = []
    last_said = next(
        (s for s in reversed(recent) if _may_be_he_or_she(s.speaker) and fits(s.speaker)),
        None,
    )
    if last_said is not None:
        candidates.append((last_said.pos, last_said.speaker))
    antecedent = antecedent_speaker(layout, pos)
    # A person named after the speaking subject, in its sentence, is no rival to it
    # ("Ames, whose daughter Jo Park …, said …. She added": Ames)
    subject_at = subject_end = -1
    if antecedent is not None:
        resolved = _resolve(Attribution(antecedent, attribution.cue, 0.0), people, history, layout)
        he_or_she = pronoun in ("he", "she")
        if resolved.name and fits(resolved) and (_may_be_he_or_she(resolved) or not he_or_she):
            candidates.append((antecedent.start, resolved))
            subject_at, subject_end = antecedent.start, layout.sentence_bounds(antecedent.start)[1]
    named = people.nearest_before(pos, gender)
    named_at = named.last_before(pos) if named is not None else -1
    if (
        named is not None
        and pos - named_at <= _PRONOUN_REACH
        and not (subject_at < named_at < subject_end)
    ):
        titles = people.titles(named)
        candidates.append((named_at, Speaker(named.name, titles[0] if titles else None, "person")))
    if not candidates:
        return Speaker(None, None, "person", mention.text)
    return _with_mention(max(candidates, key=lambda c: c[0])[1], mention.text)


def _subject_before(
    layout: Layout, pos: int, people: PeopleIndex, history: list[_Said], pronoun: str
) -> Speaker | None:
    """The named person who is the subject of the pronoun's own sentence, before it.

    As in "Ames went after Lopez, saying he called it “…”": a he or she later in a
    sentence stands for its subject more often than for a person named since.
    """
    start, _ = layout.sentence_bounds(pos)
    tokens = layout.tokens(start, pos)
    if not any(t.is_cap for t in tokens):
        return None  # "“…,” he said": no name before the pronoun
    subject = sentence_subject(tokens, layout.text)
    if subject is None or subject.kind != "name":
        return None
    speaker = _resolve(Attribution(subject, "", 0.0), people, history, layout)
    person = people.person(speaker.name) if speaker.name else None
    if person is None or people.gender_of(person) not in (None, _GENDERS[pronoun]):
        return None
    return speaker


def _may_be_he_or_she(speaker: Speaker) -> bool:
    """A named person, or a one-word name that spoke, no organisation ("Reyes said. He added")."""
    return speaker.name is not None and speaker.type != "organization"


def _organization_subject(
    layout: Layout, pos: int, people: PeopleIndex, history: list[_Said]
) -> Speaker | None:
    """The organisation "it" stands for: the subject of its sentence or the one before.

    As in "The Council condemned what it called …".
    """
    start, _ = layout.sentence_bounds(pos)
    bounds: tuple[int, int] | None = (start, pos)
    for _ in range(2):
        if bounds is None:
            return None
        subject = sentence_subject(layout.tokens(*bounds), layout.text)
        if subject is not None and subject.kind == "organization":
            return _with_mention(
                _resolve(Attribution(subject, "", 0.0), people, history, layout), "it"
            )
        bounds = layout.previous_sentence(bounds[0])
    return None


def _recent(history: list[_Said], pos: int) -> list[_Said]:
    """The attributions within a pronoun's reach before ``pos``, oldest first."""
    recent: list[_Said] = []
    for said in reversed(history):
        if pos - said.pos > _PRONOUN_REACH or len(recent) == _PRONOUN_CANDIDATES:
            break
        recent.append(said)
    return recent[::-1]


def _with_mention(speaker: Speaker, mention: str) -> Speaker:
    return Speaker(speaker.name, speaker.title, speaker.type, mention)
