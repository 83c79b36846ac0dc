"""Mentions of a speaker: the words next to a speech verb, parsed into name and title.

A mention is read from tokens, backwards from a verb ("US State Department spokesman
Matthew Miller | said") or forwards after it ("said | the Russian leader").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from quoteapi.extract.lexicons import (
    ABBREVIATIONS,
    ALL_PRONOUNS,
    ANONYMOUS_DETERMINERS,
    ANONYMOUS_HEADS,
    CAPITALS_ONLY_ORGANIZATIONS,
    COMMON_VERBS,
    DOCUMENT_NOUNS,
    FEMALE_HONORIFICS,
    KNOWN_ORGANIZATIONS,
    MALE_HONORIFICS,
    NON_NAME_CAPS,
    NON_PERSON_WORDS,
    ORGANIZATION_WORDS,
    PHRASE_ADVERBS,
    PHRASE_BREAKERS,
    PLACE_INDEX,
    PREPOSITIONS,
    QUANTIFIERS,
    RECORDING_NOUNS,
    ROLE_WORDS,
    SPEECH_VERBS,
    TITLE_WORDS,
    US_STATE_ABBREVIATIONS,
    US_STATE_WORDS,
    VERB_FILLERS,
    split_words,
)
from quoteapi.extract.names import name_start

MentionKind = Literal["name", "organization", "description", "pronoun", "anonymous"]

#: The character that stands for quoted words in the masked text (see layout): not
#: a word character, not a space, not punctuation any pattern looks for. A run of
#: it is one token.
MASK = "#"

# A full stop inside a word stays in it ("U.S.", "fivethirtyeight.com") unless a
# capitalised word follows it with no space: "Ukraine.The" is two sentences.
# A run of one punctuation mark is one token ("“““", "...", "--"): text made of
# nothing but marks would otherwise cost a token a character.
# Each match is the gap before a token (spaces; "_", the one character no token
# holds) and the token, so offsets are counted from lengths without match objects.
# A word is a letter, then word characters, apostrophes and hyphens, ending in a
# word character (written so that the engine never backtracks into it).
_GAP_AND_TOKEN = re.compile(
    r"([\s_]*+)"
    r"(#++"
    r"|[^\W\d_]\w*+(?:[’'\-]++\w++)*+(?:\.(?![A-Z][a-z])[’'\-]*+\w++(?:[’'\-]++\w++)*+)*+"
    r"|\d[\d,.]*\d|\d|([^\w\s])\3*+)"
)
_POSSESSIVE = re.compile(r"[’']s?$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our"})
# Words of time that sit between a speaker and a verb ("Miller on Monday said").
_TIME_WORDS = frozenset(
    split_words("""
monday tuesday wednesday thursday friday saturday sunday night week weekend month
year morning evening afternoon today yesterday tonight earlier later recently
""")
)
_TIME_LEADS = frozenset({"on", "last", "this", "late", "early", "next"})
# Acronyms are short (US, NATO, KCNA); a longer word in capitals is a dateline or a shout.
_MAX_ACRONYM = 5
_CONTRACTION = re.compile(r"[’'](?:s|re|ll|ve|d|t)$")
_NOT_PHRASE_CAPS = (NON_NAME_CAPS - {"the"}) | PREPOSITIONS
_MEDIA_WORDS = frozenset({"news", "media", "state", "press", "wire"})
_MAX_MENTION_TOKENS = 14
# Words that link a name to its affiliation inside one speaker phrase
# ("Cronin of the Hudson Institute in Washington", "adviser to the president").
_LINKS = frozenset({"of", "to", "at", "for", "in", "on"})
_ORGANIZATION_LINKS = frozenset({"of", "on", "for"})
# Second halves of compound adjectives written before names ("Ohio-born Jo Ames").
_ADJECTIVE_ENDS = frozenset(
    split_words("""
born based backed led style linked winning area era funded owned run affiliated
bound made focused friendly raised educated trained leaning aligned allied
""")
)
# Heads that speak for the name linked to them: "a spokesman for Jo Ames" is Ames's voice.
_SPEAKS_FOR = frozenset(
    split_words("""
spokesman spokeswoman spokesperson spokespeople representative representatives
reporter correspondent official officials
""")
)
_MAX_APPOSITIVE_TOKENS = 40
# Lower-case words a role word can carry in a description ("the deputy harbour master").
_MAX_ROLE_MODIFIERS = 3
_DASH_TOKENS = frozenset({"—", "–", "―"})
# Words of US state names that are no state by themselves ("New", "West").
_STATE_PREFIXES = frozenset({"new", "north", "south", "west", "rhode"})
_APPOSITIVE_OPENERS = frozenset({"a", "an", "the", "who", "which", "whose", "one", "now", "then"})
_CLAUSE_WORDS = frozenset(
    split_words("""
that who which whom whose and or but as when while because if after before since
than so though although where what
""")
)
_PARTY_TAG = re.compile(r"^[RDI]-[A-Z]")
# Short words in capitals that are English words, not acronyms ("HAS", "LAS", "THE").
_SHOUTED_WORDS = (
    (NON_NAME_CAPS | COMMON_VERBS | PREPOSITIONS | NON_PERSON_WORDS | ALL_PRONOUNS)
    - KNOWN_ORGANIZATIONS
    - {"us"}
)
# Honorifics always followed by a surname, even one that is a title word ("Mr. King").
_SURNAME_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})
_IRREGULAR_PAST = frozenset({"said", "says", "told", "wrote", "spoke"})
# Past forms with no telltale ending, which a noun after a name is not ("Acme set a trap").
_IRREGULAR_PAST_FORMS = frozenset(
    split_words("""
set sent became began brought bought built caught felt found fought held hit kept
knew laid left let lost meant met paid put quit ran read rose sat sold shut sought
spent stood struck stuck swore taught thought threw told took woke won wore wrote
drew drove flew fell forgot gave grew heard hid led overcame rang saw shook sang
slept spoke stole swam tore withdrew
""")
)
# Verb forms that are also words of names: "the United States", "Consumer Reports".
_NAME_LIKE_VERB_FORMS = frozenset({"states", "reports", "reads", "pens", "rails"})


class Token(NamedTuple):
    """A word or punctuation mark with its offsets in the article.

    ``lower`` (folded, without a final full stop) and ``is_cap`` are computed once
    at tokenization because every pattern asks for them many times.
    """

    text: str
    start: int
    end: int
    lower: str
    is_cap: bool


_new_tuple = tuple.__new__


def make_token(text: str, start: int, end: int) -> Token:
    """A Token, built without NamedTuple's Python-level constructor (tokenizing is hot)."""
    low = text.lower()
    if low[-1:] == ".":
        low = low.rstrip(".")
    return _new_tuple(Token, (text, start, end, low, text[:1].isupper()))


class Mention(NamedTuple):
    """Who a speech verb's subject names, as written.

    ``name`` is the name part as written ("Putin", "Matthew Miller", "Kremlin") or
    None; ``title`` the role words before it; ``head`` and ``modifiers`` describe a
    description ("the Kremlin chief": head "chief", modifiers ("kremlin",)).
    """

    start: int
    end: int
    text: str
    kind: MentionKind
    name: str | None = None
    title: str | None = None
    head: str | None = None
    modifiers: tuple[str, ...] = ()
    gender: str | None = None


def is_initial(low: str) -> bool:
    """An initial or initials written together, before their last full stop: "f",
    "g.k", "h.w"."""
    return (len(low) == 1 and low.isalpha()) or _INITIALS.fullmatch(low) is not None


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of ``text[start:end]`` with article offsets.

    A full stop after an abbreviation or an initial stays with it ("Sen.", "F."),
    so it is read as part of a name, not as the end of one.
    """
    tokens: list[Token] = []
    append = tokens.append
    new = _new_tuple
    e = start
    for gap, word, _ in _GAP_AND_TOKEN.findall(text, start, end):
        s = e + len(gap)
        e = s + len(word)
        first = word[0]
        if first == MASK:
            append(new(Token, (MASK, s, e, MASK, False)))
            continue  # the masked words of a quote: one token, whatever their length
        if word == "." and tokens and tokens[-1].end == s:
            prev = tokens[-1]
            low = prev.lower
            if low in ABBREVIATIONS or is_initial(low):
                tokens[-1] = make_token(prev.text + ".", prev.start, e)
                continue
        append(new(Token, (word, s, e, word.lower(), first.isupper())))
    return tokens


#: Lower-case forms of words that belong to a title or a place, never to a name.
TITLE_OR_PLACE = TITLE_WORDS | ROLE_WORDS | frozenset(PLACE_INDEX) | NON_NAME_CAPS


def is_title_word(word: str) -> bool:
    """A capitalised word that belongs to a title or place, never to a name ("A." in
    "Jill A. Martin" is an initial, not the article; "Ohio-born" describes)."""
    low = word.lower().rstrip(".")
    if low in TITLE_OR_PLACE:
        return not (len(word) == 2 and word[1] == ".")
    return "-" in low and is_compound_adjective(low)


def is_compound_adjective(low: str) -> bool:
    """ "ohio-born", "texas-based", "tony-winning": an adjective, never part of a name."""
    return low.rsplit("-", 1)[-1] in _ADJECTIVE_ENDS


def _is_name_token(tok: Token) -> bool:
    low = tok.lower
    return (
        tok.is_cap
        and tok.text[0].isalpha()
        and low not in NON_NAME_CAPS
        and low not in ANONYMOUS_HEADS
    )


def _is_phrase_token(tok: Token) -> bool:
    """Tokens a speaker phrase is made of: capitalised words and role words."""
    low = tok.lower
    if tok.is_cap:
        if tok.text[-1] == "." and is_initial(low):
            return True  # "Julie A. Diaz": an initial, not the article "a"
        if _is_acronym(tok.text):
            # "US", "NATO": never the pronoun "us"; "HAS", "LAS" in a shouted line are words
            return low not in _SHOUTED_WORDS
        if tok.text.isupper() and len(tok.text) > _MAX_ACRONYM and "-" not in tok.text:
            return False  # "WASHINGTON (AP) —", "BREAKING": a dateline or a shout ("XR-TU" is not)
        # "There’s" is "there" (the pattern only where an apostrophe could end a contraction)
        bare = _CONTRACTION.sub("", low) if "’" in low or "'" in low else low
        return tok.text[0].isalpha() and bare not in _NOT_PHRASE_CAPS
    return low in ROLE_WORDS or low in PLACE_INDEX or low in ANONYMOUS_HEADS or low in _MEDIA_WORDS


def skip_fillers_backward(tokens: list[Token], k: int) -> int:
    """Index of the last token before ``k`` that is not an adverb, auxiliary or time."""
    while k >= 0:
        if tokens[k].text == ")":
            opening = _matching_open(tokens, k)
            if opening < 0:
                break
            k = opening - 1  # "Cummings (D-Md.) said"
            continue
        low = tokens[k].lower
        lower_case = not tokens[k].is_cap  # "Will" may be a name; "will" is not
        if (lower_case and (low in VERB_FILLERS or low.endswith("ly"))) or low in _TIME_WORDS:
            k -= 1
            if k >= 0 and tokens[k].lower in _TIME_LEADS:
                k -= 1
            continue
        break
    return k


def _matching_open(tokens: list[Token], k: int) -> int:
    """Index of the "(" that the ")" at ``k`` closes, within a few tokens, or -1."""
    for j in range(k - 1, max(-1, k - 10), -1):
        if tokens[j].text == "(":
            return j
    return -1


def _opens_appositive(segment: list[Token]) -> bool:
    """ ", a doctor," ", who …," ", 70," ", R-Ky.," ", wearing a hat," ", in Ohio,"."""
    first = segment[0]
    low = first.lower
    return (
        low in _APPOSITIVE_OPENERS
        or low in PREPOSITIONS
        or first.text[0].isdigit()
        or not first.is_cap
        or bool(_PARTY_TAG.match(first.text))
        or (_POSSESSIVE.search(first.text) is not None and len(segment) > 1)  # "Lopez’s aide"
        or any(t.lower in ROLE_WORDS and not t.is_cap for t in segment)  # "Lopez' manager"
    )


def _set_off_mention(tokens: list[Token], k: int, text: str) -> Mention | None:
    """The speaker before the comma or dash ``k``: "her lawyer, Jo Ames, said",
    "Ames, a lawyer, said", "Jo Ames — a teacher from Ohio — says".

    Notes:
        A name set off after a description is the speaker's name; any other
        set-off segment that opens like an appositive ("a", "who", an age, a party
        tag, a participle, a preposition, a role word) is skipped. A capitalised
        segment that is neither ("Elizabeth, Colorado,") is read as part of a
        longer appositive and the search goes on to the mark before.
    """
    marks = _DASH_TOKENS if tokens[k].text in _DASH_TOKENS else {","}
    commas: list[int] = []
    for j in range(k - 1, max(-1, k - 1 - _MAX_APPOSITIVE_TOKENS), -1):
        t = tokens[j].text
        if t in ";:!?" or (t == "." and tokens[j + 1].text not in marks):
            break
        if t in marks:
            commas.append(j)
    if commas:
        c = commas[0]
        segment = tokens[c + 1 : k]
        if segment and c > 0 and all(_is_phrase_token(t) for t in segment):
            named = classify(segment, text)
            full = named.name is not None and " " in named.name
            # a role before the comma: "her lawyer, Kent," (not "the capital, Elmira,")
            role = tokens[c - 1].lower in ROLE_WORDS
            if named.kind == "name" and (full or (role and not tokens[c - 1].is_cap)):
                described = _role_phrase(tokens, c - 1, text) or mention_before(
                    tokens, c - 1, text, commas=False
                )
                return _titled_by(described, named, text)
    nested: Mention | None = None
    for n, c in enumerate(commas):
        segment = tokens[c + 1 : k]
        if segment and _opens_appositive(segment) and c > 0:
            found = mention_before(tokens, c - 1, text, commas=False)
            if found is None:
                continue
            outer = commas[n + 1] if n + 1 < len(commas) else -1
            if outer > 0 and found.start == tokens[outer + 1].start and _set_off(tokens, outer, c):
                # "Ames, the governor of Ohio, one of …, said": that one is set off too
                nested = nested or found
                continue
            return found
    return nested


def _set_off(tokens: list[Token], c: int, k: int) -> bool:
    """The words between the commas ``c`` and ``k`` are an appositive or a place
    themselves ("Ames, the governor of Ohio, …", "in Aurora, Colorado, …")."""
    segment = tokens[c + 1 : k]
    return bool(segment) and (_opens_appositive(segment) or _is_place(segment))


def _is_place(segment: list[Token]) -> bool:
    """A country, capital or US state: "France", "New Hampshire"."""
    lows = [t.lower for t in segment]
    if " ".join(lows) in PLACE_INDEX or (len(lows) == 1 and lows[0] in US_STATE_ABBREVIATIONS):
        return True
    return US_STATE_WORDS.issuperset(lows) and lows[-1] not in _STATE_PREFIXES


def _role_phrase(tokens: list[Token], k: int, text: str) -> Mention | None:
    """ "the harbour master", "our fire chief": a role word after lower-case words and a
    determiner, which a name set off after it takes whole as its title."""
    if tokens[k].lower not in ROLE_WORDS:
        return None
    j = k - 1
    while j >= 0 and k - j <= _MAX_ROLE_MODIFIERS and _is_descriptor(tokens[j]):
        j -= 1
    if j == k - 1 or j < 0 or tokens[j].lower not in _DETERMINERS:
        return None  # no lower-case modifier, or no determiner to open the phrase
    return classify(tokens[j : k + 1], text)


def _titled_by(description: Mention | None, named: Mention, text: str) -> Mention:
    """A name set off after its description takes it as title: "the mayor, Ana Ruiz"."""
    if description is None or description.kind not in ("description", "anonymous"):
        return named
    words = description.text.split()
    while words and words[0].lower() in _DETERMINERS:
        words.pop(0)
    if not words or words[-1].lower() not in ROLE_WORDS:
        return named  # "the plan, Ana Ruiz": no role, no title
    return _described(description.start, named, " ".join(words), text)


def mention_before(tokens: list[Token], k: int, text: str, commas: bool = True) -> Mention | None:
    """The speaker phrase ending at token ``k`` (reading backwards), or None.

    Notes:
        Skips adverbs, auxiliaries and times ("Miller on Monday said") and one
        appositive set off by commas ("Hill, a doctor, said"). Stops at the first
        lower-case word that is not a role word, so a long description with a
        relative clause is not read as a speaker.
    """
    verb = tokens[k + 1].lower if k + 1 < len(tokens) else ""
    k = skip_fillers_backward(tokens, k)
    if k < 0:
        return None
    if tokens[k].text == "," and k and tokens[k - 1].text == ")":
        opening = _matching_open(tokens, k - 1)
        if opening > 0 and tokens[opening - 1].is_cap:
            k = opening - 1  # "Ames (R-Ohio), said": a tag set off by the comma
    if tokens[k].text == "," or tokens[k].text in _DASH_TOKENS:
        return _set_off_mention(tokens, k, text) if commas else None
    tok = tokens[k]
    if (tok.lower in ALL_PRONOUNS and not tok.text[0].isupper()) or tok.text in {"He", "She", "It"}:
        return Mention(tok.start, tok.end, tok.text, "pronoun", gender=_pronoun_gender(tok.lower))
    j = k
    while j >= 0 and k - j < _MAX_MENTION_TOKENS:
        t = tokens[j]
        if t.text == "The":
            j -= 1  # a capitalised article opens its sentence: nothing before it belongs
            break
        if t.is_cap and j < k and is_verb_word(t.lower):
            break  # "Stated Jo Park:": an inverted verb, not part of the name
        spaced = tokens[j + 1].start > t.end and (j == 0 or tokens[j - 1].end < t.start)
        if t.text == "-" and spaced:
            break  # "EL PASO - Jo Ames said": a dash between spaces ends a dateline
        if _is_phrase_token(t) or t.text == "-":
            j -= 1
            continue
        if t.lower in _LINKS and j < k and j - 1 >= 0 and _is_phrase_token(tokens[j - 1]):
            j -= 1  # "advisor to the Russian president", "Cronin of the Institute"
            continue
        if t.lower in {"the"} and j < k:
            j -= 1
            continue
        break
    first = j + 1
    while first <= k and tokens[first].text == "-":
        first += 1  # "NEW YORK - Jo Ames said": the dash ends a dateline, not a name
    if first > k:
        return _anonymous_before(tokens, k, text) or _common_noun_before(tokens, k, text)
    if first > 0 and tokens[first - 1].lower in _DETERMINERS | ANONYMOUS_DETERMINERS:
        first -= 1
    if first > 0 and tokens[first - 1].lower in PREPOSITIONS:
        prep = tokens[first - 1].lower
        recorded = prep == "of" and first > 1 and tokens[first - 2].lower in RECORDING_NOUNS
        if not (prep == "with" or recorded) or not verb.endswith("ing"):
            return None  # "… to Putin said", "an account of Ames telling": an object
        # "with Ames (reportedly) calling it …", "footage of Ames saying": the subject of
        # the participle
    return classify(tokens[first : k + 1], text)


def _common_noun_before(tokens: list[Token], k: int, text: str) -> Mention | None:
    """ "the Gawker employee", "a Kremlin insider": a description with an unlisted head."""
    if k < 1 or not _is_descriptor(tokens[k]):
        return None
    j = k - 1
    while j >= 0 and k - j < 5 and _is_phrase_token(tokens[j]):
        j -= 1
    if _after_name_verb(tokens, j + 1, k):
        return None  # "Reyes avoids": a subject and its verb, not a description
    if not any(t.is_cap for t in tokens[j + 1 : k]):
        return None  # "a dozen", "the plan": no proper modifier, not a speaker
    if j >= 0 and tokens[j].lower in _DETERMINERS:
        return classify(tokens[j : k + 1], text)
    return classify(tokens[j + 1 : k + 1], text)


def _anonymous_before(tokens: list[Token], k: int, text: str) -> Mention | None:
    """ "officials", "a source", "two senior diplomats" ending at token ``k``."""
    if tokens[k].lower not in ANONYMOUS_HEADS:
        return None
    first = k
    while (
        first > 0
        and k - first < 3
        and tokens[first - 1].lower in (ANONYMOUS_DETERMINERS | _DETERMINERS | ROLE_WORDS)
    ):
        first -= 1
    return classify(tokens[first : k + 1], text)


def mention_after(tokens: list[Token], k: int, text: str) -> Mention | None:
    """The speaker phrase starting at token ``k`` ("said | the Russian leader, Kim")."""
    if k >= len(tokens):
        return None
    tok = tokens[k]
    if tok.lower in ALL_PRONOUNS:
        return Mention(tok.start, tok.end, tok.text, "pronoun", gender=_pronoun_gender(tok.lower))
    j = k
    if tokens[j].lower in _DETERMINERS | ANONYMOUS_DETERMINERS:
        j += 1
    while j < len(tokens) and j - k < _MAX_MENTION_TOKENS:
        t = tokens[j]
        if j > k and t.is_cap and is_verb_word(t.lower):
            break  # a headline in title case: "Zoe Ames Asked Voters To …"
        if _is_phrase_token(t) or (t.text == "-" and j > k):
            j += 1
            continue
        if (
            t.lower in {"of", "to"}
            and j + 1 < len(tokens)
            and (_is_phrase_token(tokens[j + 1]) or tokens[j + 1].lower == "the")
        ):
            j += 1
            continue
        if t.lower == "the" and j + 1 < len(tokens) and _is_phrase_token(tokens[j + 1]):
            j += 1
            continue
        if _is_descriptor(t) and _cap_ahead(tokens, j) and not _after_name_verb(tokens, k, j):
            j += 1  # "said election lawyer Jo Ames": lower-case words before a name
            continue
        break
    if j == k or (j == k + 1 and tokens[k].lower in _DETERMINERS | ANONYMOUS_DETERMINERS):
        return None
    mention = classify(tokens[k:j], text)
    if mention.kind == "description" and j + 1 < len(tokens) and tokens[j].text == ",":
        named = mention_after(tokens, j + 1, text)
        if named is not None and named.kind == "name":
            return _described(mention.start, named, mention.title, text)
    return mention


def _is_descriptor(tok: Token) -> bool:
    """A lower-case word that may describe a speaker ("undecided", "election")."""
    low = tok.lower
    return (
        tok.text.replace("-", "").isalpha()
        and tok.text.islower()
        and low not in PREPOSITIONS
        and low not in _CLAUSE_WORDS
        and low not in _DETERMINERS
        and low not in PHRASE_BREAKERS
        and tok.text not in SPEECH_VERBS
    )


def is_common_noun(tok: Token) -> bool:
    """A lower-case word after a name that makes the name its modifier: "crowd" in "the
    Louisville crowd cheered", "senator’s" in "the Ohio senator’s answer".

    A word that may be the name's verb or adverb ("wants", "denied", "quickly",
    "would", "yesterday", "speaking") is none.
    """
    low = tok.lower
    if tok.is_cap or not tok.text[:1].isalpha():
        return False
    if low.endswith(("’s", "'s")):
        stem = low[:-2]  # "senator’s", not "he’s" or "that’s"
        return stem.isalpha() and stem not in ALL_PRONOUNS and stem not in NON_NAME_CAPS
    return (
        _is_descriptor(tok)
        and not low.endswith(("s", "ed", "ly", "ing"))
        and low not in VERB_FILLERS
        and low not in _TIME_WORDS
        and low not in _IRREGULAR_PAST_FORMS
    )


#: Lower-case words that are verbs (or adverbs), never part of a name: "said", "got".
VERB_WORDS = COMMON_VERBS | frozenset(
    w
    for w in SPEECH_VERBS - _NAME_LIKE_VERB_FORMS
    if w.endswith("ed") or (w.endswith("s") and not w.endswith("ss")) or w in _IRREGULAR_PAST
)


def is_verb_word(low: str) -> bool:
    """A word that is a verb, never part of a name: "said", "asked", "got", "is"."""
    return low in VERB_WORDS or low in PHRASE_ADVERBS


def _after_name_verb(tokens: list[Token], k: int, j: int) -> bool:
    """A lower-case word after a name or role that reads as its verb: "Reyes hammered Lopez".

    Before any name a word in -ed, -ly or -s describes ("retired general Jo Ames");
    after a name or a role word ("a staffer emailed") it is a verb or an adverb
    ("Acme ally Jo Ames" is fine: "ally" is a role).
    """
    low = tokens[j].lower
    if low in ROLE_WORDS:
        return False
    if not (low.endswith(("ed", "ly")) or (low.endswith("s") and not low.endswith("ss"))):
        return False
    return any(_is_name_token(t) or t.lower in ROLE_WORDS for t in tokens[k:j])


def _cap_ahead(tokens: list[Token], j: int) -> bool:
    """True when a capitalised word follows token ``j`` after only lower-case words."""
    for i in range(j + 1, min(len(tokens), j + 4)):
        if tokens[i].is_cap and tokens[i].text[0].isalpha():
            return True
        if not _is_descriptor(tokens[i]):
            return False
    return False


def _join(*parts: str | None) -> str | None:
    words = " ".join(p for p in parts if p)
    return words or None


def _pronoun_gender(low: str) -> str | None:
    return {"he": "male", "she": "female"}.get(low)


def _name_run(tokens: list[Token]) -> tuple[int, int]:
    """Bounds of the person or organisation name in a phrase's tokens, or (-1, -1).

    The name is the first run of capitalised tokens not followed by a role word
    ("Asia expert" and "State Department spokesman" are title modifiers), with
    leading title and place words stripped ("Russian President | Vladimir Putin").
    """
    n = len(tokens)
    i = 0
    while i < n:
        if not _is_name_token(tokens[i]) and tokens[i].lower not in TITLE_WORDS:
            i += 1
            continue
        j = i
        while j < n and (tokens[j].is_cap or tokens[j].text == "-") and tokens[j].text[0].isalpha():
            j += 1
        if j == i:
            i += 1  # a lower-case title word ("education secretary") opens no name
            continue
        # "State Department spokesman", "the Elm Falls crowd", "Ohio software executive
        # Jo Ames": the run modifies a head
        followed_by_role = j < n and (
            (not tokens[j].is_cap and _is_phrase_token(tokens[j]))
            or (j == n - 1 and is_common_noun(tokens[j]))
            or _descriptors_then_name(tokens, j)
            or _group_after(tokens, j)
        )
        if not followed_by_role:
            run = [t.text for t in tokens[i:j]]
            if _is_organization(run):
                p = _person_after_title(tokens, i, j)
                if p > 0:
                    return p, j  # "FBI Director Jo Ames": a person with an organisation's title
                while i < j - 1 and tokens[i].lower in NON_NAME_CAPS:
                    i += 1
                return i, j
            a = i + name_start([t.text for t in tokens[i:j]], is_title_word)
            if _is_name_token(tokens[a]) and (
                not is_title_word(tokens[a].text) or _after_honorific(tokens, a, j)
            ):
                return a, j
        i = j if j > i else i + 1
    return -1, -1


def _descriptors_then_name(tokens: list[Token], j: int) -> bool:
    """Lower-case describing words from token ``j``, then a capitalised word (not "Polls
    show Clinton": a verb is no describing word)."""
    k = j
    while k < len(tokens) and _is_descriptor(tokens[k]) and not _verb_like(tokens[k].lower):
        k += 1
    return j < k < len(tokens) and tokens[k].is_cap


def _group_after(tokens: list[Token], j: int) -> bool:
    """Lower-case words from token ``j`` to the end, ending in a group: "Nuclear
    proliferation experts", "Lopez campaign aides"."""
    rest = tokens[j:]
    return rest[-1].lower in ANONYMOUS_HEADS and all(
        not t.is_cap and t.text.replace("-", "").isalpha() for t in rest
    )


def _verb_like(low: str) -> bool:
    """A verb or the base form of one ("show" for "shows")."""
    return is_verb_word(low) or low + "s" in VERB_WORDS or low + "es" in VERB_WORDS


def _person_after_title(tokens: list[Token], i: int, j: int) -> int:
    """Where a person's name starts after a title in the organisation's run ``i:j``
    ("House Speaker | Jo Ames", "NATO Secretary General | Jo Ames"), or -1."""
    run = [t.text for t in tokens[i:j]]
    p = i + name_start(run, is_title_word)
    person = tokens[p:j]
    if p == i or len(person) < 2 or _is_organization(run[p - i :]):
        return -1
    return p if all(t.lower not in NON_PERSON_WORDS for t in person) else -1


def _after_honorific(tokens: list[Token], a: int, j: int) -> bool:
    """A surname that is also a title word, after an honorific: "Mr. King", "Dr. Bishop"."""
    return a == j - 1 and a > 0 and tokens[a - 1].lower in _SURNAME_HONORIFICS


def _is_organization(words: list[str]) -> bool:
    """Whether a capitalised run names an organisation or a place ("State Department")."""
    return _is_organization_run(tuple(words))


@lru_cache(maxsize=16384)
def _is_organization_run(words: tuple[str, ...]) -> bool:
    # cached: the same runs ("the Kremlin", "Putin") come back in every article
    lows = [w.lower().rstrip(".") for w in words]
    if any(w in ORGANIZATION_WORDS for w in lows):
        return True
    if any(is_known_organization(w, low) for w, low in zip(words, lows, strict=True)):
        return True
    if len(words) == 1 and (
        lows[0] in PLACE_INDEX or _is_acronym(words[0]) or lows[0] in US_STATE_ABBREVIATIONS
    ):
        return True
    if US_STATE_WORDS.issuperset(lows) and lows[-1] not in _STATE_PREFIXES:
        return True  # "Ohio", "New Hampshire": a state speaks as a place, like "Russia"
    return " ".join(lows) in PLACE_INDEX or all(w in PLACE_INDEX for w in lows)


def is_known_organization(word: str, low: str) -> bool:
    """A word that names a known organisation: "Kremlin", "UN", but not "Un" in Kim Jong Un."""
    if low not in KNOWN_ORGANIZATIONS:
        return False
    return low not in CAPITALS_ONLY_ORGANIZATIONS or word.rstrip(".").isupper()


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return 2 <= len(letters) <= _MAX_ACRONYM and letters.isupper() and letters.isalpha()


def classify(tokens: list[Token], text: str) -> Mention:
    """Read a speaker phrase: its name, title and kind."""
    start, end = tokens[0].start, tokens[-1].end
    written = text[start:end]
    words = [t for t in tokens if t.lower not in _DETERMINERS]
    if words and words[0].lower in QUANTIFIERS:
        # "Some Clinton aides", "Many Americans", "Another Lopez fan": a group, no name
        return Mention(start, end, written, "anonymous", head=words[-1].lower)
    a, b = _name_run(tokens)
    if a >= 0 and _POSSESSIVE.search(tokens[b - 1].text) and b < len(tokens):
        a = -1  # "Lopez’s campaign": the name modifies what follows
    if a >= 0:
        owner = next((i for i in range(a, b - 2) if _POSSESSIVE.search(tokens[i].text)), -1)
        if owner >= 0:
            a = owner + 1  # "Fox News’ Jo Ames": the outlet is her title, she speaks
        name_words = [_POSSESSIVE.sub("", t.text) for t in tokens[a:b]]
        kind: MentionKind = "organization" if _is_organization(name_words) else "name"
        if kind == "organization" and not all(is_title_word(t.text) for t in tokens[a:b]):
            b = _organization_end(tokens, b)  # "Board on Professional Responsibility"
            rest = tokens[b:]
            p = _person_after_title(tokens, b, len(tokens)) if rest else -1
            if p > 0 and all(t.is_cap for t in rest):
                # "Council on Elm Relations Executive Director Jo Ames": a person
                a, b, kind = p, len(tokens), "name"
        lead = 0
        while lead < a and tokens[lead].lower in _DETERMINERS:
            lead += 1
        title = " ".join(t.text for t in tokens[lead:a]).strip(" ,") or None
        gender = _honorific_gender(tokens[:a])
        h = _head_before_link(tokens, a)
        if h >= 0 and (kind == "name" or _is_place(tokens[a:b])):
            # "the attorney general of Ohio", "an aide to Jo Ames": the head speaks
            return _linked_description(tokens, h, a, b, text)
        name = _POSSESSIVE.sub("", text[tokens[a].start : tokens[b - 1].end])
        return Mention(start, end, written, kind, name=name, title=title, gender=gender)
    if not words:
        return Mention(start, end, written, "anonymous")
    head = _POSSESSIVE.sub("", words[-1].lower)  # "the Ohio senator’s": a senator
    lows = [t.lower for t in words]
    plural_or_some = head.endswith("s") or tokens[0].lower in ANONYMOUS_DETERMINERS
    if not any(t.is_cap for t in words) or (head in ANONYMOUS_HEADS and plural_or_some):
        return Mention(start, end, written, "anonymous", head=head)
    if "-" in head and is_compound_adjective(head):
        return Mention(start, end, written, "anonymous", head=head)  # "a Trump-style", cut short
    if head in ROLE_WORDS and head not in ORGANIZATION_WORDS:
        return Mention(start, end, written, "description", head=head, modifiers=tuple(lows[:-1]))
    if head in DOCUMENT_NOUNS and len(words) > 1 and words[-2].is_cap:
        k = len(words) - 2
        while k > 0 and words[k - 1].is_cap:
            k -= 1
        return _author(words[k:-1], start, end, written)  # "a withering Acme Post editorial"
    if not words[-1].is_cap and head not in ORGANIZATION_WORDS:
        # "Lopez’s plan", "the Elm Falls crowd": a thing or a group, no name
        return Mention(start, end, written, "anonymous", head=head)
    name = _POSSESSIVE.sub("", " ".join(t.text for t in words))
    return Mention(start, end, written, "organization", name=name)


def _author(tokens: list[Token], start: int, end: int, written: str) -> Mention:
    """Who a document or outlet speaks for: "the IMF report" (the IMF), "Lopez’s
    letter", "Bush’s Facebook post" (Bush), "the Global Times tabloid"."""
    words = [t.text for t in tokens]
    if not _is_organization(words):  # "People’s Daily" is one name, "Bush’s Facebook" is not
        owner = next((i for i, w in enumerate(words) if _POSSESSIVE.search(w)), len(words))
        words = [_POSSESSIVE.sub("", w) for w in words[: owner + 1]]
    body = _is_organization(words) or any(is_title_word(w) for w in words)
    kind: MentionKind = "organization" if body else "name"
    return Mention(start, end, written, kind, name=" ".join(words))


def _organization_end(tokens: list[Token], b: int) -> int:
    """Where an organisation's name ends, taking in "of", "on" or "for" and the
    capitalised words after it ("Center for Elm Studies", "Board on Ethics")."""
    n = len(tokens)
    while b + 1 < n and tokens[b].lower in _ORGANIZATION_LINKS and tokens[b + 1].is_cap:
        k = b + 1
        while k < n and tokens[k].is_cap and tokens[k].text[0].isalpha():
            if k > b + 1 and is_title_word(tokens[k].text):
                break  # "… Relations | Executive Director Jo Ames": a title opens
            k += 1
        b = k
    return b


def _head_before_link(tokens: list[Token], a: int) -> int:
    """The lower-case head a name at token ``a`` is linked to ("aide to | Jo Ames",
    "governor of the | State"), or -1; never one that speaks for the name ("a
    spokesman for Jo Ames")."""
    i = a - 1
    if i >= 0 and tokens[i].lower == "the":
        i -= 1
    if i < 1 or tokens[i].lower not in _LINKS:
        return -1
    head = tokens[i - 1]
    if _is_name_token(head) or not head.text.isalpha() or head.lower in _SPEAKS_FOR:
        return -1
    return i - 1


def _linked_description(tokens: list[Token], h: int, a: int, b: int, text: str) -> Mention:
    """A description whose head is token ``h``, its modifiers the words before it and the
    name linked to it (``a:b``), so "the foreign minister of France" can match a
    "French Foreign Minister"."""
    start, end = tokens[0].start, tokens[-1].end
    head = tokens[h].lower
    modifiers = tuple(t.lower for t in tokens[:h] if t.lower not in _DETERMINERS)
    modifiers += tuple(t.lower for t in tokens[a:b])
    if head in ROLE_WORDS and not (head in ANONYMOUS_HEADS and head.endswith("s")):
        return Mention(start, end, text[start:end], "description", head=head, modifiers=modifiers)
    return Mention(start, end, text[start:end], "anonymous", head=head)


def _honorific_gender(tokens: list[Token]) -> str | None:
    for tok in tokens:
        if tok.lower in MALE_HONORIFICS:
            return "male"
        if tok.lower in FEMALE_HONORIFICS:
            return "female"
    return None


def _described(start: int, named: Mention, title: str | None, text: str) -> Mention:
    """``named`` widened back to ``start``, where a description gives its title."""
    return Mention(
        start,
        named.end,
        text[start : named.end],
        "name",
        name=named.name,
        title=_join(title, named.title),
        gender=named.gender,
    )
