"""Attribution patterns: find the speech verb and the speaker phrase for a quote.

Patterns are tried from the most explicit to the least, each with a strength that
becomes part of the quote's confidence (a pronoun or a description to resolve
costs a little more; see extractor):

=====================================  ======================================  ========
pattern                                example                                 strength
=====================================  ======================================  ========
interrupted quote                      “We believe – Miller said – that …”     0.95
verb and speaker right after           “…,” Miller said / “…,” said Miller     0.95
the next sentence only attributes      “…?” Kim asked on Monday.               0.95
according to, right after              “…,” according to Miller                0.9
verb and speaker just before           Miller said: “…” / Miller told Y “…”    0.9
inverted verb later after a comma      “…” about it, said Jo Ames              0.85
a dash signature                       “…” – Jo Ames (or on the next line)     0.85
a passive speech verb's agent          labeled a “hoax” by Jo Ames             0.85
a verb later in the sentence           “…” of trade, Putin says in a letter    0.85
speaker and colon                      Kremlin: “…”                            0.8
verb and speaker in the sentence       Miller praised Kim for “the support”    0.8
according to, in the sentence          According to Miller, Kim “…”            0.8
participle, the clause's subject       Ames left, saying it was “…”            0.75
a colon after a sentence's subject     Ames lobbies for a raise: “…”           0.7
the sentence before names a speaker    Miller recalled the attack. “We …”      0.65
a possessive before a speech noun      Ames’s claim that it was “rigged”       0.6
=====================================  ======================================  ========

Everything reads the masked text, where the words of every quote are hidden, so
no pattern ever matches inside a quotation (except the interruption pattern,
which looks inside on purpose).
"""

from __future__ import annotations

import re
from typing import NamedTuple, TypeGuard

from quoteapi.extract.layout import Layout
from quoteapi.extract.lexicons import (
    ANONYMOUS_HEADS,
    DOCUMENT_NOUNS,
    DOCUMENT_VERBS,
    NON_NAME_CAPS,
    ORGANIZATION_WORDS,
    PARTICLE_VERBS,
    PREPOSITIONS,
    QUANTIFIERS,
    ROLE_WORDS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    US_STATE_WORDS,
    split_words,
)
from quoteapi.extract.marks import QuotedSpan
from quoteapi.extract.mentions import (
    MASK,
    Mention,
    Token,
    classify,
    is_common_noun,
    is_verb_word,
    mention_after,
    mention_before,
    skip_fillers_backward,
    tokenize,
)

_INTERRUPTION = re.compile(r"\s[–—-]{1,2}\s+([^–—]{3,160}?)\s+[–—-]{1,2}\s")
_ACCORDING = re.compile("according", re.IGNORECASE)
_LEAD_PUNCT = frozenset(",–—―-:;")
_DASHES = frozenset("-–—―")
# Spaces here include no-break spaces ("―\xa0Jo Ames") but never a line break.
_DASH_AFTER = re.compile(r"[^\S\n]*[-–—―]{1,2}[^\S\n]+(?=[A-Z])")
_DASH_LINE = re.compile(r"[^\S\n]*[-–—―]{1,2}[^\S\n]*[A-Z][^\n]{0,60}$")
_NOUN_MARKERS = frozenset(
    {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this"}
)
_QUOTE_MARKS = frozenset("\"“”„«»‘’'")
# Tokens a speaker phrase after a quote never reaches past: sentence ends, another quote.
_STOPS = frozenset({".", ";", "!", "?", MASK})
_DOUBLE_MARKS = frozenset('"“”„«»')
_NOT_SPEAKERS = frozenset({"i", "we", "you", "me", "us"})
# After a quote, the speaker phrase must begin within a few characters of it and
# its verb come within this many tokens ("…,” Ames, after a long pause, said).
_MAX_SPEAKER_SPAN = 30
_MAX_GAP_CHARS = 12
_CLAUSE_STARTS = frozenset({"that", "he", "she", "they", "it", "we", "i"})
_AFTER_GOES_ON = frozenset({",", ":", ".", MASK, *"\"“”„«»‘’'"})
# Words that open an adverbial clause after an attributing verb ("Ames said as she left").
_SUBORDINATORS = frozenset({"as", "while", "when", "after", "before", "because", "since", "about"})
_END_PUNCT = frozenset(".!?")
_OBJECT_VERBS = frozenset({"told", "tells", "asked", "asks"})
_IRREGULAR_THIRD = frozenset({"says", "tells"})
_BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# How many tokens before a woven quote a passive speech verb may come ("was called a").
_PASSIVE_REACH = 4
_NEGATIONS = frozenset({"not", "never", "also", "often", "once", "repeatedly"})
# Passive speech verbs whose subject still speaks: "was quoted as saying", "was asked".
_SUBJECT_SPEAKS_PASSIVE = frozenset({"quoted", "asked", "questioned", "pressed"})
# Verbs whose agent, in the passive, speaks the quote right after it ("asked by Jo Park, “…”").
_ASKING_VERBS = frozenset({"asked", "questioned", "pressed"})
_TIME_WORDS = frozenset(
    split_words("""
monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
earlier later again afterwards
""")
)
_CLAUSE_OPENERS = PREPOSITIONS | frozenset(
    split_words("""
after before while when as although though if because since once until unless
outside inside
""")
)
_SUBJECT_STARTS = frozenset({"he", "she", "the", "a", "an"})
# Nouns a name before them makes a speaker phrase of: documents, roles, bodies.
_HEAD_NOUNS = DOCUMENT_NOUNS | ROLE_WORDS | ORGANIZATION_WORDS
_POSSESSIVE_END = re.compile(r"[’']s$")
# Words that open a noun phrase, so a name after one may modify its noun ("which Ohio
# county", "the Elm Falls crowd").
_ARTICLES = frozenset(
    split_words("the a an which what this that these those his her its their our every each")
)
# Words that open a new clause after a quote, whose subject speaks for itself
# ("“…,” while Lopez calls it …"); "as" is left out: "“…,” as Ames put it".
_NEW_CLAUSE = frozenset(
    split_words("""
while whereas because although if when since until unless
""")
)
_AS_OR_ARTICLE = frozenset({"as", "a", "an", "the"})
_RELATIVES = frozenset({"which", "that", "who", "whom", "whose", "what", "where"})
_CONTINUE = frozenset({"continue", "continues", "continued", "continuing"})
# How many tokens a phrase between a subject and its verb may hold ("Ames in her
# first speech called").
_PHRASE_REACH = 6
# A speaker is sought for at most this many speech verbs before a quote.
_MAX_VERBS = 4
# How far before a quote a speech noun may come ("Lopez’s claim that it was “…”").
_CLAIM_REACH = 9
_CLAIM_NAME = 6
# What follows a speech noun whose words the quote gives ("claim that", "call for").
_CLAIM_LINKS = frozenset({"that", "for", "to", "about", "of", "is", "was", ":", ","})
# How many tokens into a sentence a dateline's dash may come, and what else it holds.
_DATELINE_TOKENS = 12
_DATELINE_MARKS = frozenset("0123456789,.()")
# How many tokens into a sentence its subject may start.
_SUBJECT_SEARCH = 12


class Attribution(NamedTuple):
    """A speaker phrase, the cue that attributes the quote to it, and how explicit it is."""

    mention: Mention
    cue: str
    strength: float


def _is_verb(tok: Token) -> bool:
    return tok.text in SPEECH_VERBS


def _is_verb_at(tokens: list[Token], i: int) -> bool:
    """A speech verb used as a verb: not after "the", "his" or a possessive ("Lopez’s claim").

    A particle after its verb makes one ("Lopez shot back", "Ames went on").
    """
    if _is_particle(tokens, i):
        return True
    if not _is_verb(tokens[i]):
        return False
    if tokens[i].lower in _CONTINUE and i + 1 < len(tokens) and tokens[i + 1].lower == "to":
        return False  # "Lopez will continue to be …": not a speech verb
    if i == 0:
        return True
    before = tokens[i - 1].text
    if before.lower() in _NOUN_MARKERS or before.endswith(("’s", "'s")):
        return False
    return not _plural_noun_after_adjective(tokens, i)


def _plural_noun_after_adjective(tokens: list[Token], i: int) -> bool:
    """ "Trump’s early-morning tweets": a plural noun after a compound adjective, not a
    verb ("the letter reads" is one)."""
    low = tokens[i].lower
    if i < 2 or not low.endswith("s") or low in _IRREGULAR_THIRD:
        return False
    adjective, owner = tokens[i - 1], tokens[i - 2]
    if "-" not in adjective.text or not adjective.text.islower():
        return False
    return owner.lower in _NOUN_MARKERS or owner.text.endswith(("’s", "'s"))


def _is_particle(tokens: list[Token], i: int) -> bool:
    """ "shot back", "chimed in"; "went on" only before a quote, a colon, "to" or
    "about" (not "the council goes on holiday")."""
    verbs = PARTICLE_VERBS.get(tokens[i].lower)
    if verbs is None or i == 0 or tokens[i - 1].lower not in verbs:
        return False
    if tokens[i].lower != "on" or i + 1 == len(tokens):
        return True
    return tokens[i + 1].text in _AFTER_GOES_ON or tokens[i + 1].lower in ("to", "about")


def _usable(mention: Mention | None) -> TypeGuard[Mention]:
    return mention is not None and mention.text.lower() not in _NOT_SPEAKERS


def attribute(layout: Layout, span: QuotedSpan) -> Attribution | None:
    """The attribution of one quote from its own sentence, or None.

    Notes:
        Reads only the sentence holding the quote (and, for interrupted quotes, the
        quote itself). Fails on speakers far from their verb ("X, who last year
        replaced Y as head of the agency after a long fight, said") and on verbs the
        lexicon lacks.
    """
    found = _interruption(layout, span) or _passive_agent(layout, span)
    if found is not None:
        return found
    if _ends_clause(layout, span):
        right = _right_window(layout, span)  # read once, by both patterns after the quote
        return (
            _right_adjacent(layout, span, right)
            or _left_of_quote(layout, span)
            or _right_in_sentence(layout, right)
        )
    found = _left_of_quote(layout, span)
    if found is not None:
        return found
    right = _right_window(layout, span)
    return _right_adjacent(layout, span, right) or _right_in_sentence(layout, right)


def _ends_clause(layout: Layout, span: QuotedSpan) -> bool:
    """The quote closes a clause (“…,” / “…?” / “…” –), so what follows may attribute it.

    A quote ending in a bare word is woven into its sentence ("called it a “hoax”
    Kim said …" is rare), so the verb before it is tried first.
    """
    inside = layout.text[span.end - 1]
    after = layout.text[span.end + 1 : span.end + 2]
    return inside in ",.?!;:–—-" or after in (",", ";", "–", "—", "-")


def _interruption(layout: Layout, span: QuotedSpan) -> Attribution | None:
    text = layout.text
    start, end = span.start, span.end
    if (
        text.find("-", start, end) < 0
        and text.find("–", start, end) < 0
        and text.find("—", start, end) < 0
    ):
        return None  # most quotes hold no dash (three finds beat one search for a class)
    for match in _INTERRUPTION.finditer(text, start, end):
        tokens = tokenize(text, match.start(1), match.end(1))
        if tokens[0].lower in _RELATIVES:
            continue  # "we knew – which we all did – that …": an aside inside the quote
        found = _verb_with_subject(tokens, text, len(tokens) - 1, 0.95, subject_first=False)
        if found is not None:
            return found
    return None


def _passive_agent(layout: Layout, span: QuotedSpan) -> Attribution | None:
    """Called a “hoax” by Ana Lopez: the agent of a passive speech verb says the quote."""
    text = layout.masked
    after = span.end + 1
    if not (text.startswith(" by ", after) or text.startswith(", by ", after)):
        return None  # one string test: most quotes are not followed by "by"
    start, _ = layout.sentence_bounds(span.start - 1)
    before = layout.tokens(start, span.start - 1)
    k = len(before) - 1
    while k >= 0 and before[k].lower in _AS_OR_ARTICLE:
        k -= 1
    if k < 0 or not before[k].lower.endswith("ed") or not _is_verb_at(before, k):
        return None
    tokens, _ = _right_window(layout, span)
    mention = mention_after(tokens, 1, layout.text) if tokens else None
    if not _usable(mention) or mention.kind == "pronoun":
        return None
    return Attribution(mention, f"{before[k].text} by", 0.85)


def _right_window(layout: Layout, span: QuotedSpan) -> tuple[list[Token], bool]:
    """Tokens after the closing mark to the end of the sentence.

    A quote that ends its own sentence ("…?” Kim asked.) is followed by the next
    sentence, which then holds the attribution, if any.
    """
    _, end = layout.sentence_bounds(span.end)
    next_sentence = False
    if not layout.masked[span.end + 1 : end].strip() and end < len(layout.text):
        opens_quote = layout.masked[end] in _QUOTE_MARKS
        if layout.line_of(end) == layout.line_of(span.end) and not opens_quote:
            _, end = layout.sentence_bounds(end)
            next_sentence = True
    tokens = layout.tokens(span.end + 1, end)
    while tokens and tokens[0].text in _LEAD_PUNCT:
        tokens.pop(0)
    if tokens and tokens[0].lower in _NEW_CLAUSE:
        return [], next_sentence  # "“…,” while Lopez calls it …": another clause's speaker
    return tokens, next_sentence


def _right_adjacent(
    layout: Layout, span: QuotedSpan, right: tuple[list[Token], bool]
) -> Attribution | None:
    """“…,” X said / “…,” said X / “…,” according to X / “…,” it reads / “…” – X."""
    tokens, next_sentence = right
    if not tokens:
        return _dash_line_after(layout, span)
    text = layout.text
    first = tokens[0]
    dashed = _DASH_AFTER.match(layout.masked, span.end + 1)
    if dashed is not None and not next_sentence:
        found = _dash_attribution(tokens, text)
        if found is not None:
            return found
    inverted = first.is_cap and first.lower in SPEECH_VERBS and is_verb_word(first.lower)
    if next_sentence and inverted:
        mention = mention_after(tokens, 1, text)  # "…” Said Ames, a voter.
        if not _usable(mention):
            return None
        usable = mention.kind in ("name", "organization", "description")
        return Attribution(mention, first.text, 0.9) if usable else None
    if next_sentence:
        found = _first_verb_after(tokens, text)
        return found if found is not None and _only_attribution(tokens, found) else None
    if _is_verb(first) and first.lower.endswith("ing"):
        return _participle_after(layout, span, first)
    if _is_verb(first) or inverted:
        mention = mention_after(tokens, 1, text)  # "…,” said Ames / "…” Said Ames.
        return Attribution(mention, first.text, 0.95) if _usable(mention) else None
    if first.lower == "according" and len(tokens) > 2 and tokens[1].lower == "to":
        mention = mention_after(tokens, 2, text)
        return Attribution(mention, "according to", 0.9) if _usable(mention) else None
    return _first_verb_after(tokens, text) or _inverted_later(tokens, text)


def _participle_after(layout: Layout, span: QuotedSpan, verb: Token) -> Attribution | None:
    """“…,” saying …: the participle's subject is the subject of the sentence."""
    start, _ = layout.sentence_bounds(span.start - 1)
    subject = sentence_subject(layout.tokens(start, span.start - 1), layout.text)
    return Attribution(subject, verb.text, 0.75) if subject is not None else None


def _inverted_later(tokens: list[Token], text: str) -> Attribution | None:
    """“We’re happy” about the vote, said Jo Ames: an inverted verb after a comma."""
    for v in range(1, min(len(tokens) - 1, _MAX_SPEAKER_SPAN)):
        if tokens[v].text in _STOPS:
            return None
        if (
            tokens[v - 1].text == ","
            and _is_verb(tokens[v])
            and not tokens[v].lower.endswith("ing")
        ):
            mention = mention_after(tokens, v + 1, text)
            if _usable(mention) and mention.kind != "pronoun":
                return Attribution(mention, tokens[v].text, 0.85)
    return None


def _dash_attribution(tokens: list[Token], text: str) -> Attribution | None:
    """“…” – Jo Ames: a speaker after a dash, with nothing else in the sentence but an
    aside after a comma ("– Jo Ames, Ohio", "– Jo Ames, tweeting after the debate")."""
    mention = mention_after(tokens, 0, text)
    if not _usable(mention) or mention.kind not in ("name", "organization"):
        return None
    rest = [t for t in tokens if t.start >= mention.end and t.text != "."]
    if rest and (rest[0].text != "," or any(_is_finite_speech_verb(t) for t in rest)):
        return None  # "– Jo Ames, whose rival said …": not a signature
    return Attribution(mention, "–", 0.85)


def _is_finite_speech_verb(tok: Token) -> bool:
    return _is_verb(tok) and not tok.lower.endswith("ing")


def _dash_line_after(layout: Layout, span: QuotedSpan) -> Attribution | None:
    """A quote paragraph signed on the next line: “…” / – Jo Ames."""
    line = layout.line_of(span.end)
    nxt = line + 1
    while nxt < len(layout.line_starts) and layout.line_starts[nxt] == layout.line_ends[nxt]:
        nxt += 1
    if nxt >= len(layout.line_starts) or nxt - line > 2:
        return None
    start, end = layout.line_starts[nxt], layout.line_ends[nxt]
    if _DASH_LINE.match(layout.masked, start, end) is None:
        return None
    tokens = [t for t in layout.tokens(start, end) if t.text not in _DASHES]
    return _dash_attribution(tokens, layout.text) if tokens else None


def _only_attribution(tokens: list[Token], found: Attribution) -> bool:
    """True when a sentence after a quote only attributes it ("Kim asked on Monday.").

    "Kim said the talks failed" after a quote is a new statement, not an
    attribution: after the verb only an adverbial may follow (a preposition, a
    time, an -ly adverb), or for "told"/"asked" a short object first.
    """
    verb_at = next(
        (
            i
            for i, t in enumerate(tokens)
            if t.start >= found.mention.end and (_is_verb(t) or _is_particle(tokens, i))
        ),
        -1,
    )
    if verb_at < 0:
        return False
    tail = [t for t in tokens[verb_at + 1 :] if t.text not in _END_PUNCT]
    for t in tail:
        if t.lower in _SUBORDINATORS:
            break
        if t.text == MASK:
            return False  # "Ames hit back, calling it “…”": a statement with its own quote
    if tail and tail[0].text == ",":
        return True  # "Ames shouted, waving a sign": an aside, not a new statement
    for t in tail:
        if t.lower in _SUBORDINATORS:
            return True  # "Ames asked as the crowd left": the rest is a time, not a claim
        if t.lower in _CLAUSE_STARTS:
            return False  # "Kim said in May that …", "Kim said he …": a new statement
    if tokens[verb_at].lower in _OBJECT_VERBS:
        tail = tail[next((i for i, t in enumerate(tail) if _is_adverbial(t)), len(tail)) :]
    return not tail or _is_adverbial(tail[0])


def _is_adverbial(tok: Token) -> bool:
    """The start of an adverbial: "in a statement", "on Monday", "later", "quietly"."""
    low = tok.lower
    return (
        low in PREPOSITIONS
        or low in _TIME_WORDS
        or (low.endswith("ly") and not tok.is_cap)
        or tok.text == ","
    )


def _first_verb_after(tokens: list[Token], text: str) -> Attribution | None:
    """“…” the mayor’s aide Jo Ames, after a pause, said: the first verb, its speaker before it."""
    if tokens[0].text in _QUOTE_MARKS or tokens[0].text == MASK:
        return None
    for v in range(1, min(len(tokens), _MAX_SPEAKER_SPAN)):
        tok = tokens[v]
        if tok.text in _STOPS or tok.text in _DOUBLE_MARKS:
            return None
        if not _is_verb_at(tokens, v):
            continue
        if tok.lower != "quoted" and _after_be(tokens, v):
            return None  # "“…?” Ames was asked": the words are put to the subject
        particle = _is_particle(tokens, v)  # "Ames went on": the subject is before "went"
        mention = mention_before(tokens, v - 2 if particle else v - 1, text)
        if not _usable(mention) and _needs_clause_subject(tokens, v):
            mention = mention_after(tokens, 0, text)  # "Ames limited himself to saying"
        if not _usable(mention) or mention.start > tokens[0].end + _MAX_GAP_CHARS:
            return None
        if (
            mention.kind == "pronoun"
            and mention.text.lower() == "it"
            and tok.lower in DOCUMENT_VERBS
        ):
            return Attribution(mention, f"{mention.text} {tok.text}", 0.85)
        cue = f"{tokens[v - 1].text} {tok.text}" if particle else tok.text
        return Attribution(mention, cue, 0.95)
    return None


def _left_of_quote(layout: Layout, span: QuotedSpan) -> Attribution | None:
    """Miller said: “…” / Miller praised Kim for “…” / According to Miller, “…” / Kremlin: “…”."""
    start, _ = layout.sentence_bounds(span.start - 1)
    tokens = layout.tokens(start, span.start - 1)
    if not tokens:
        return None
    text = layout.text
    near = len(tokens) - 1
    found = _verb_with_subject(tokens, text, near, strength=0.9)
    if found is not None:
        return found
    first = tokens[0]
    if first.is_cap and first.lower in SPEECH_VERBS and is_verb_word(first.lower):
        mention = mention_after(tokens, 1, text)  # "Said Ames, “…”"
        if _usable(mention) and mention.kind in ("name", "organization", "description"):
            return Attribution(mention, first.text, 0.9)
    if tokens[near].text == ":" and near > 0:
        mention = mention_before(tokens, near - 1, text)
        if _usable(mention) and mention.kind in ("name", "organization"):
            return Attribution(mention, ":", 0.8)  # "Kremlin: “…”"
        subject = sentence_subject(tokens, text)
        if subject is not None:
            return Attribution(subject, ":", 0.7)  # "Ames campaigns for a raise: “…”"
    return _according_to(tokens, text) or _possessive_claim(tokens, text)


def _possessive_claim(tokens: list[Token], text: str) -> Attribution | None:
    """Lopez’s claim that the plan was “dead”: a possessive name before a speech noun.

    The noun comes at most three words after the name, and the quote at most eight
    after the noun, with no other quote between.
    """
    end = len(tokens)
    for n in range(end - 1, max(0, end - 1 - _CLAIM_REACH), -1):
        tok = tokens[n]
        if tok.text == MASK or tok.text in _END_PUNCT:
            return None
        if tok.lower not in SPEECH_NOUNS:
            continue
        if n + 1 == end or tokens[n + 1].lower not in _CLAIM_LINKS:
            return None  # "called Ames’s remarks “racist”": a verdict on them, not them
        for p in range(n - 1, max(-1, n - 4), -1):
            if tokens[p].is_cap and tokens[p].text.endswith(("’s", "'s")):
                # the name alone, even as an object ("a check on Ames’s claim")
                j = p
                while j > 0 and p - j < _CLAIM_NAME and tokens[j - 1].lower not in PREPOSITIONS:
                    j -= 1
                mention = mention_before(tokens[j : n + 1], p - j, text)
                if _usable(mention) and mention.kind in ("name", "organization"):
                    return Attribution(mention, tok.text, 0.6)
                return None
    return None


def _verb_with_subject(
    tokens: list[Token], text: str, last: int, strength: float, subject_first: bool = True
) -> Attribution | None:
    """The nearest speech verb at or before token ``last`` that has a speaker before it.

    A verb within six tokens of the quote is explicit (``strength``); further away
    it is worth 0.1 less. When the nearest subject is a pronoun and an earlier verb
    in the same sentence has a named subject ("the leader wrote an article in which
    he praised …"), that named subject is returned with the later verb.
    """
    pronoun: Attribution | None = None
    fallback: Token | None = None
    unread: Token | None = None  # a finite verb whose subject was not read
    verbs_seen = 0
    for i in range(last, -1, -1):
        tok = tokens[i]
        if (tok.text not in SPEECH_VERBS and tok.lower not in PARTICLE_VERBS) or not _is_verb_at(
            tokens, i
        ):
            continue
        verbs_seen += 1
        if verbs_seen > _MAX_VERBS:
            break
        # "shot back": the verb is the word before the particle
        v = i - 1 if _is_particle(tokens, i) else i
        verb = tokens[v]
        cue = verb.text if v == i else f"{verb.text} {tokens[i].text}"
        if v and tokens[v - 1].text == "," and verb.lower.endswith("ing"):
            if fallback is None:
                fallback = verb
            continue  # ", adding …": the subject is that of the verb before
        if _is_passive(tokens, v):
            continue  # "Lopez was called “a liar”": the subject is not the one speaking
        if i + 2 <= last and tokens[i + 1].lower == "by" and verb.lower in _ASKING_VERBS:
            # "Ames was asked by host Jo Park, “…”": the asker speaks the quote that follows
            agent = mention_after(tokens, i + 2, text)
            if _usable(agent) and agent.kind != "pronoun" and _ends_at(tokens, agent, last):
                return Attribution(agent, cue, strength)
        mention = mention_before(tokens, v - 1, text) if v else None
        if mention is None and v:
            mention = _subject_across_phrase(tokens, v, text)
        if _usable(mention) and verb.lower.endswith("ing") and mention.kind == "anonymous":
            mention = None  # "released a statement condemning …": the statement is no speaker
        if not _usable(mention):
            if fallback is None and _needs_clause_subject(tokens, v):
                fallback = verb
            elif unread is None:
                unread = verb
            continue
        near = last - i <= 6
        found = Attribution(mention, cue, strength if near else strength - 0.1)
        if mention.kind != "pronoun":
            if pronoun is not None and mention.kind in ("name", "description"):
                return Attribution(mention, pronoun.cue, pronoun.strength - 0.05)
            return pronoun or found
        if pronoun is None:
            pronoun = found
    if pronoun is None and fallback is not None and subject_first:
        subject = sentence_subject(tokens, text)
        if subject is not None:
            return Attribution(subject, fallback.text, strength - 0.1)
    if pronoun is None and unread is not None and subject_first:
        # "Another voter who asked not to be named said …": a verb whose subject is
        # an unnamed one, far before it
        subject = sentence_subject(tokens, text)
        if subject is not None and subject.kind == "anonymous":
            return Attribution(subject, unread.text, strength - 0.2)
    return pronoun


def passive_speech(tokens: list[Token]) -> bool:
    """A speech verb in the passive ends the tokens, but for a few words ("Lopez was
    labeled “a liar”", "was described as a “…”"), so a quote woven in right after it
    is someone else's words about the subject."""
    first = max(0, len(tokens) - _PASSIVE_REACH)
    return any(
        _is_verb(tokens[i]) and _is_passive(tokens, i) and _is_verb_at(tokens, i)
        for i in range(first, len(tokens))
    )


def _is_passive(tokens: list[Token], v: int) -> bool:
    """ "was called", "has been described", "were told": a speech verb in the passive.

    "was quoted" (saying) and "was asked" (answering) keep their subject as the speaker.
    """
    low = tokens[v].lower
    return low not in _SUBJECT_SPEAKS_PASSIVE and _after_be(tokens, v)


def _after_be(tokens: list[Token], v: int) -> bool:
    """The verb at ``v`` is a participle after a form of "be": "was called", "is told"."""
    low = tokens[v].lower
    if not (low.endswith("ed") or low == "told"):
        return False
    k = v - 1
    while k >= 0 and (tokens[k].lower.endswith("ly") or tokens[k].lower in _NEGATIONS):
        k -= 1
    return k >= 0 and tokens[k].lower in _BE_FORMS


def _subject_across_phrase(tokens: list[Token], v: int, text: str) -> Mention | None:
    """ "Ames in her first speech called …": a named subject, a short phrase, the verb.

    The phrase opens with a preposition right after the name and holds no
    punctuation, capitalised word (but a day) or other verb; the name must be the
    sentence's subject, opening it or a clause (not "a letter to Ames on the bill
    called …"); a single word that opens a line may be a verb.
    """
    for k in range(v - 1, max(0, v - 1 - _PHRASE_REACH), -1):
        tok = tokens[k]
        if tok.lower in _TIME_WORDS:
            continue
        if tok.is_cap or not tok.text[0].isalpha() or tok.text in SPEECH_VERBS:
            return None
        if tok.lower not in PREPOSITIONS or not tokens[k - 1].is_cap:
            continue
        j = k - 1
        while j >= 0 and tokens[j].is_cap:
            j -= 1
        if j >= 0 and tokens[j].lower == "the":
            j -= 1
        if j >= 0 and tokens[j].text != "," and tokens[j].lower not in _NEW_CLAUSE:
            return None  # the name opens no clause: "a letter to Ames in May called"
        subject = sentence_subject(tokens, text)
        if (
            subject is None
            or subject.kind not in ("name", "organization")
            or subject.end != tokens[k - 1].end
        ):
            return None
        if " " not in subject.text and text[subject.start - 1 : subject.start] in ("\n", ""):
            return None  # "Appear on the ballot …": a line opening with a verb, not a name
        return subject
    return None


def _ends_at(tokens: list[Token], mention: Mention, last: int) -> bool:
    """Nothing but punctuation between ``mention`` and token ``last``."""
    return all(t.text in _LEAD_PUNCT for t in tokens[: last + 1] if t.start >= mention.end)


def _needs_clause_subject(tokens: list[Token], i: int) -> bool:
    """A verb whose subject is the clause's ("and said", ", saying", "by tweeting")."""
    tok = tokens[i]
    k = skip_fillers_backward(tokens, i - 1)  # "but now said", "and also said"
    before = tokens[k].lower if k >= 0 else ""
    if tok.lower.endswith("ing"):
        return True  # "a press release saying", "by tweeting", ", adding"
    return before in {"and", "but", "then", "to"}


def sentence_subject(tokens: list[Token], text: str) -> Mention | None:
    """The subject of a sentence: its first speaker phrase not after a preposition.

    Notes:
        Skips an introductory phrase ("Weighing in on the debate, Ames …")
        by trying each of the first few tokens; fails on subjects that follow a
        long introductory clause.
    """
    begin = _after_dateline(tokens)
    opener = tokens[begin].lower if begin < len(tokens) else ""
    participle = opener.endswith("ed") and _next_is_preposition(tokens, begin)
    if opener.endswith(("ing", "ly")) or opener in _CLAUSE_OPENERS or participle:
        # "Speaking to reporters, Ames …", "After the debate, Lopez …", "Based on it, …"
        begin = next(
            (i + 1 for i in range(begin, len(tokens)) if tokens[i].text == ","), len(tokens)
        )
    object_end = -1
    for i in range(begin, min(len(tokens), begin + _SUBJECT_SEARCH)):
        tok = tokens[i]
        if tok.start < object_end:
            continue  # the rest of an object: "met with Ana Lopez"
        if i and tokens[i - 1].lower in PREPOSITIONS:
            if tok.is_cap:
                obj = mention_after(tokens, i, text)
                object_end = obj.end if obj is not None else -1
            continue
        starts = tok.is_cap or tok.lower in _SUBJECT_STARTS
        if not starts or tok.lower in NON_NAME_CAPS - _SUBJECT_STARTS or tok.lower in PREPOSITIONS:
            continue
        if is_verb_word(tok.lower):
            continue  # "Stated Jo Park:": the subject follows an inverted verb
        mention = mention_after(tokens, i, text)
        if _usable(mention) and mention.kind == "anonymous" and tok.lower in QUANTIFIERS:
            return mention  # "Another voter who … said": an unnamed one, but the subject
        if _usable(mention) and mention.kind in ("name", "pronoun", "description", "organization"):
            noun = _noun_after(tokens, i, mention)
            if noun is not None:
                phrase = _noun_phrase(tokens, i, noun, text)
                if phrase is not None:
                    return phrase
                object_end = noun.end  # "The Louisville crowd cheered": a name modifies a noun
                continue
            if _set_off_place(tokens, mention):
                continue  # "In Elm Falls, N.C., Reyes said": a place, set off, never the subject
            return mention
    return None


def _noun_after(tokens: list[Token], i: int, mention: Mention) -> Token | None:
    """The lower-case noun a mention at token ``i``, opened by an article, modifies ("The
    Ohio senator’s answer", "the Louisville crowd", "which Iowa county"), or None."""
    last = mention.text.rsplit(" ", 1)[-1]
    opened = tokens[i].lower in _ARTICLES or (i > 0 and tokens[i - 1].lower in _ARTICLES)
    opened = opened or (i == 0 and " " not in mention.text)  # "Partial transcript as follows:"
    if not opened or not last[:1].isupper() or last.endswith(("’s", "'s")):
        return None  # no article, or the phrase has its own head ("the Cruz campaign")
    after = next((t for t in tokens[i:] if t.start >= mention.end), None)
    return after if after is not None and is_common_noun(after) else None


def _noun_phrase(tokens: list[Token], i: int, noun: Token, text: str) -> Mention | None:
    """The speaker phrase that a name at token ``i`` and the noun after it make, or None
    when the name only modifies the noun: "The Rove ad" (Rove's), "the Ohio senator’s
    answer", "Nuclear proliferation experts" (a group); not "the Louisville crowd"."""
    n = tokens.index(noun, i)
    head = _POSSESSIVE_END.sub("", noun.lower) in _HEAD_NOUNS
    if head and (i or tokens[0].lower in _ARTICLES):  # not "Partial transcript as follows"
        return classify(tokens[i : n + 1], text)
    j = n
    while j + 1 < len(tokens) and (
        tokens[j + 1].lower in ANONYMOUS_HEADS or is_common_noun(tokens[j + 1])
    ):
        j += 1
    return classify(tokens[i : j + 1], text) if tokens[j].lower in ANONYMOUS_HEADS else None


def _next_is_preposition(tokens: list[Token], i: int) -> bool:
    """ "Alarmed by", "Based on": a participle opening a sentence, not a name ("Ted")."""
    return i + 1 < len(tokens) and tokens[i + 1].lower in PREPOSITIONS


def _after_dateline(tokens: list[Token]) -> int:
    """Where a sentence starts after a dateline ("PARIS (AP) —", "Elm Falls, May 2 (AP) –").

    A dateline is capitalised words, numbers, commas and a news agency in parentheses
    before a dash; with no agency, the place must be in capitals ("EL PASO —",
    "LA CROSSE, Wis. —").
    """
    for d in range(1, min(len(tokens), _DATELINE_TOKENS)):
        if tokens[d].text[0] in _DASHES:
            before = tokens[:d]
            if not all(t.is_cap or t.text[0] in _DATELINE_MARKS for t in before):
                return 0
            # the place in capitals; a state after its comma may not be ("DECATUR, Ill. —")
            comma = next((i for i, t in enumerate(before) if t.text == ","), d)
            if tokens[d - 1].text == ")" or all(
                t.text.isupper() for t in before[:comma] if t.is_cap
            ):
                return d + 1
            return 0
    return 0


def _set_off_place(tokens: list[Token], mention: Mention) -> bool:
    """A place followed by a comma in an opener: "Ohio," "S.C.," or the state of "in
    Elm Falls, New Hampshire,"."""
    one_word = mention.kind == "organization" and " " not in mention.text
    if not one_word and not US_STATE_WORDS.issuperset(mention.text.lower().split()):
        return False
    after = next((t for t in tokens if t.start >= mention.end and t.text != "."), None)
    return after is not None and after.text == ","


def _according_to(tokens: list[Token], text: str) -> Attribution | None:
    if not tokens or _ACCORDING.search(text, tokens[0].start, tokens[-1].end) is None:
        return None  # one search of the text instead of a look at every token
    for i in range(len(tokens) - 2, -1, -1):
        if tokens[i].lower == "according" and tokens[i + 1].lower == "to":
            mention = mention_after(tokens, i + 2, text)
            if _usable(mention):
                return Attribution(mention, "according to", 0.8)
    return None


def _right_in_sentence(layout: Layout, right: tuple[list[Token], bool]) -> Attribution | None:
    """A verb with its speaker later in the sentence: “…” of trade, Putin says in a statement."""
    tokens, next_sentence = right
    if not tokens or next_sentence:
        return None
    found = _verb_with_subject(tokens, layout.text, len(tokens) - 1, 0.85, subject_first=False)
    return found or _according_to(tokens, layout.text)


def attribute_previous_sentence(layout: Layout, pos: int) -> Attribution | None:
    """A speaker named with a speech verb in the sentence before ``pos``.

    That sentence may end the paragraph before ("Chen said:" / “…”); when it ends
    with a colon and has no speech verb, its subject introduces the quote
    ("Ames issued this statement:").
    """
    bounds = layout.previous_sentence(pos)
    if bounds is None:
        return None
    tokens = layout.tokens(*bounds)
    introduces = bool(tokens) and tokens[-1].text == ":"
    while tokens and tokens[-1].text in ".!?:":
        tokens.pop()
    if not tokens:
        return None
    found = _verb_with_subject(tokens, layout.text, len(tokens) - 1, strength=0.7)
    if found is None and introduces:
        subject = sentence_subject(tokens, layout.text)
        if subject is not None:
            return Attribution(subject, ":", 0.65)
    return found


def antecedent_speaker(layout: Layout, pos: int, sentences: int = 2) -> Mention | None:
    """The named subject of the nearest speech verb in the sentences before ``pos``.

    Used to resolve pronouns: "The minister wrote a letter. … it reads" and "the
    Russian president assures that … He also thanks" point back to it.
    """
    start, _ = layout.sentence_bounds(pos)
    tokens = layout.tokens(start, pos)
    for _ in range(sentences + 1):
        found = _verb_with_subject(tokens, layout.text, len(tokens) - 1, strength=0.0)
        if found is not None and found.mention.kind != "pronoun":
            return found.mention
        bounds = layout.previous_sentence(start)
        if bounds is None:
            return None
        start = bounds[0]
        tokens = layout.tokens(*bounds)
    return None
