"""Who a mention stands for: full names, descriptions and pronouns within one article.

``PeopleIndex`` is built once per article, when the first mention needs it, from
every capitalised run in it: the people it names in full ("Vladimir Putin"), where,
and with which titles ("Russian President"). Mentions are then resolved against it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from quoteapi.extract.lexicons import (
    ABBREVIATIONS,
    CAPITALS_ONLY_ORGANIZATIONS,
    FEMALE_FORENAMES,
    FEMALE_HONORIFICS,
    KNOWN_ORGANIZATIONS,
    LEADER_HEADS,
    MALE_FORENAMES,
    MALE_HONORIFICS,
    NON_NAME_CAPS,
    NON_PERSON_WORDS,
    ORGANIZATION_WORDS,
    PLACE_INDEX,
    PREPOSITIONS,
    QUANTIFIERS,
    ROLE_WORDS,
    THING_NOUNS,
    TITLE_WORDS,
    split_words,
)
from quoteapi.extract.mentions import MASK, VERB_WORDS, Mention, is_compound_adjective
from quoteapi.extract.mentions import TITLE_OR_PLACE as _TITLE_OR_PLACE
from quoteapi.extract.names import fold_name

# A run of capitalised words on one line, the shape of a full name (initials written
# together stay in it: "George H.W. Bush", "G.K. Butterfield"); runs are cut
# again at full stops that end a sentence (see PeopleIndex._add_split_run).
# (Possessive quantifiers: a word is never given back, as no run continues inside one.)
_CAP_RUN = re.compile(
    r"[A-Z][\w’'\-]*+(?:\.[A-Z](?=\.))*+(?:\.?[ \u00a0][A-Z][\w’'\-]*+(?:\.[A-Z](?=\.))*+)+"
)
_RUN_BREAK = re.compile(r"(?<=[\w’'\-]{2})\.[ \u00a0]")
_POSSESSIVE_TAIL = re.compile(r"[’']s?$")
# A title sits in at most this many words before a name, within this many characters.
_TITLE_MAX_WORDS = 7
_TITLE_REACH = 80
# Titles are read from at most this many mentions of a person: articles give them early.
_TITLED_RUNS = 8
_TITLE_LINKS = frozenset({"of", "to", "the", "for"})
_SENTENCE_OPENERS = frozenset({"The", "A", "An"})
_MIN_DESCRIPTION_SCORE = 3
# A description is matched against at most _DESCRIBED people, found among the last
# _SCANNED mentions before it, so a page of names costs no more per description.
_DESCRIBED = 40
_SCANNED = 400
# Words before a capitalised run that make it a place or thing, not a person.
_BEFORE_THINGS = [[w] for w in split_words("the The a an in In on On at At")]
_WORD_BEFORE = 8
#: An article indexes at most this many people, and one more per _CHARS_PER_PERSON
#: characters (see people_limit).
PEOPLE_PER_ARTICLE = 1000
_CHARS_PER_PERSON = 250
# A surname is matched against at most this many people who share it.
_SHARING_A_NAME = 50
_NOT_TITLE_STARTS = frozenset({"the", "a", "an", "of", "to", "for"}) | NON_NAME_CAPS
_NOT_TITLE_ENDS = frozenset({"the", "of", "to", "for"})
_POSSESSIVE_ENDINGS = frozenset({"’s", "'s"})
_ASCII_SEPARATORS = re.compile(r"[-_.'\s]+")
_LONGEST_THING_NOUN = max(map(len, THING_NOUNS))
_FOLDED_MARKS = frozenset("-_.'")
_SUFFIXES = frozenset({"jr", "sr"})
_FORENAMES = MALE_FORENAMES | FEMALE_FORENAMES
# Family names written first are short ("Kim", "Xi", "Park", "Moon", "Wang").
_FAMILY_NAME = 4


@dataclass(slots=True)
class Person:
    """A person the article names in full, with every title it gives them."""

    name: str
    positions: list[int] = field(default_factory=list)
    # (offset of the capitalised run, title words inside it): read into titles
    # only when a title is asked for, which most articles never need for most people.
    runs: list[tuple[int, str]] = field(default_factory=list)
    # Immutable and empty until a title is read: a page of 40,000 names allocates
    # (and has the garbage collector visit) no title sets for them.
    titles: tuple[str, ...] = ()
    title_words: frozenset[str] = frozenset()
    title_heads: frozenset[str] = frozenset()
    # Whether every mention follows "the", "in", "on" … (read on first use): a thing.
    thing: bool | None = None

    @property
    def gender(self) -> str | None:
        """ "male"/"female" when the forename or an honorific says so, else None."""
        first = self.name.split()[0].lower()
        if first in MALE_FORENAMES or self.title_words & MALE_HONORIFICS:
            return "male"
        if first in FEMALE_FORENAMES or self.title_words & FEMALE_HONORIFICS:
            return "female"
        return None

    def add_title(self, title: str) -> None:
        """Remember a title; its head is the role word before any preposition."""
        if not title or title in self.titles:
            return
        self.titles = (*self.titles, title)
        words = [w.lower().rstrip(".") for w in title.split()]
        self.title_words = self.title_words.union(words)
        head_part = words
        for i, w in enumerate(words):
            if w in PREPOSITIONS:
                head_part = words[:i]
                break
        roles = [w for w in head_part if w in ROLE_WORDS or w in TITLE_WORDS]
        if roles:
            self.title_heads = self.title_heads | {roles[-1]}

    def last_before(self, pos: int) -> int:
        """The last position of a mention of this person before ``pos``, or -1."""
        i = bisect_left(self.positions, pos)
        return self.positions[i - 1] if i else -1


# Words that never belong to a person's name (one set, so a run costs one lookup a word).
# (Words of CAPITALS_ONLY_ORGANIZATIONS are names when not in capitals: Kim Jong Un;
# in capitals, _is_person_name rejects them anyway.)
_NOT_IN_PERSON_NAMES = (
    ORGANIZATION_WORDS
    | (KNOWN_ORGANIZATIONS - CAPITALS_ONLY_ORGANIZATIONS)
    | frozenset(PLACE_INDEX)
    | NON_NAME_CAPS
    | TITLE_WORDS
    | NON_PERSON_WORDS
    | PREPOSITIONS
    | QUANTIFIERS
)


def _is_person_name(words: list[str], lows: list[str]) -> bool:
    """Two to five words with no organisation, place, title or date word among them."""
    if not 2 <= len(words) <= 5 or not _NOT_IN_PERSON_NAMES.isdisjoint(lows):
        return False
    # a word in capitals is an acronym ("NATO"), an initial ("K.") is not
    return not any(len(w) > 1 and w.isupper() and w[1] != "." for w in words)


def people_limit(text: str) -> int:
    """How many distinct people an article's index holds at most (past them, no more)."""
    return len(text) // _CHARS_PER_PERSON + PEOPLE_PER_ARTICLE


class PeopleIndex:
    """The people named in one article, for resolving mentions to full names.

    The article is read on the first question asked, so an article whose quotes
    need no name resolved never pays for it.
    """

    def __init__(self, text: str, masked: str | None = None) -> None:
        """Prepare to index the names of ``text``; ``masked`` (text with quotes masked,
        see layout) marks names said inside quotes, which give full names but are no
        antecedents."""
        self._text = text
        self._masked = text if masked is None else masked
        self._indexed = False
        self._people: dict[str, Person] = {}
        self._by_last: dict[str, list[Person]] = {}
        self._by_first: dict[str, list[Person]] = {}
        # Every mention of every person, in text order, for "who was named last".
        self._mention_starts: list[int] = []
        self._mention_people: list[Person] = []
        # At most this many distinct people: a page of nothing but names (40,000
        # people sharing a surname) stays cheap, and no real article comes near it.
        self._room = people_limit(text)

    def _index(self) -> None:
        """Read every capitalised run of the article into people, once."""
        if self._indexed:
            return
        self._indexed = True
        text = self._text
        for match in _CAP_RUN.finditer(text):
            base = match.start()
            for run_at, name_at, name, key, title in _names_in_run(match.group()):
                if not _after_thing_noun(text, base + run_at):
                    self._add(name, key, base + name_at, base + run_at, title)

    def _add(self, name: str, key: str, offset: int, run_start: int, title: str) -> None:
        """Record a mention of ``name`` (folded: ``key``) at ``offset``, in a run at
        ``run_start`` with ``title``."""
        person = self._people.get(key)
        if person is None:
            if len(self._people) == self._room:
                return
            person = self._people[key] = Person(name, [offset], [(run_start, title)])
            folded = _without_suffix(key).split()
            self._by_last.setdefault(folded[-1], []).append(person)
            self._by_first.setdefault(folded[0], []).append(person)
        else:
            person.positions.append(offset)
            if len(person.runs) < _TITLED_RUNS:  # titles() reads no more than these
                person.runs.append((run_start, title))
        if self._masked[offset] != MASK:
            # a name inside a quote is not one a later "he" or "she" can point back to
            self._mention_starts.append(offset)
            self._mention_people.append(person)

    def titles(self, person: Person) -> tuple[str, ...]:
        """Every title the article gives ``person`` ("Russian President"), read on first use."""
        if person.runs:
            for start, inside in person.runs[:_TITLED_RUNS]:
                before = _title_before(self._text, start)
                if before and not inside and _role_of_another(before):
                    before = ""
                if before or inside:  # most mentions carry no title: nothing to clean or add
                    person.add_title(_clean_title(" ".join(w for w in (before, inside) if w)))
            person.runs.clear()
        return person.titles

    def full_name(self, name: str, pos: int) -> Person | None:
        """The person a written name stands for ("Putin" -> Vladimir Putin), or None.

        Notes:
            A surname matches a full name ending with it, a first word (Korean and
            Chinese family names: "Kim", "Xi") one beginning with it. When several
            people share it (Ana and Tom Lopez), the one mentioned last
            before ``pos`` wins, else the first one mentioned after it.
        """
        self._index()
        folded = _fold(_POSSESSIVE_TAIL.sub("", name)).split()
        if not folded:
            return None
        exact = self._people.get(" ".join(folded))
        if exact is not None:
            # "Billionaire Tom Ames" is Tom Ames when the article names him so too
            shorter = None
            if len(folded) > 2 and folded[1] in _FORENAMES:
                shorter = self._people.get(" ".join(folded[1:]))
            return shorter or exact
        candidates = [
            p
            for p in self._by_last.get(folded[-1], [])[-_SHARING_A_NAME:]
            if _without_suffix(_fold(p.name)).endswith(" ".join(folded))
        ]
        if len(candidates) > 1:
            candidates = _without_variants(candidates)
        if not candidates:
            candidates = [
                p
                for p in self._by_first.get(folded[0], [])[-_SHARING_A_NAME:]
                if _fold(p.name).startswith(" ".join(folded)) and _family_first(folded, p.name)
            ]
        return _closest(candidates, pos)

    def describe(self, mention: Mention) -> Person | None:
        """The person a description stands for ("the Russian leader"), or None.

        Notes:
            Scores each person by the description's place words against the places
            in their titles (Kremlin ~ Russian) and its head against their titles'
            heads (leader ~ president). Fails when the article never gives the
            person a title that shares a place or a role with the description.
        """
        self._index()
        if mention.head is None:
            return None
        places = {PLACE_INDEX[m] for m in mention.modifiers if m in PLACE_INDEX}
        others = {m for m in mention.modifiers if m not in PLACE_INDEX and m != "the"}
        best: list[Person] = []
        best_score = 0
        for person in self._recent_people(mention.start):
            self.titles(person)
            score = _description_score(person, mention.head, places, others)
            if score > best_score:
                best, best_score = [person], score
            elif score == best_score and score:
                best.append(person)
        if best_score < _MIN_DESCRIPTION_SCORE:
            return None
        return _closest(best, mention.start)

    def nearest_before(self, pos: int, gender: str | None = None) -> Person | None:
        """The person named last before ``pos`` (of ``gender``, unless that is unknown).

        Notes:
            Only a name that reads as a person's counts: one whose forename or
            honorific gives a gender, or that is not always written after an
            article or a preposition of place ("the Aral Sea", "in Green Bay").
        """
        self._index()
        i = bisect_left(self._mention_starts, pos)
        stop = max(0, i - _SCANNED)
        while i > stop:
            i -= 1
            person = self._mention_people[i]
            known = self.gender_of(person)
            if (gender is None or known in (None, gender)) and (
                known or self._reads_as_person(person)
            ):
                return person
        return None

    def _reads_as_person(self, person: Person) -> bool:
        """Some mention of the name is not right after an article or a preposition of
        place: "the Rust Belt", "in Green Bay", "on Election Day" name no one."""
        if person.thing is None:
            text = self._text
            person.thing = all(
                text[max(0, at - _WORD_BEFORE) : at].split()[-1:] in _BEFORE_THINGS
                for at in person.positions[:_TITLED_RUNS]
            )
        return not person.thing

    def gender_of(self, person: Person) -> str | None:
        """The person's gender from forename or honorific (titles are read for it)."""
        self.titles(person)
        return person.gender

    def person(self, name: str | None) -> Person | None:
        """The person the article names ``name`` in full, if any."""
        self._index()
        return self._people.get(_fold(name)) if name else None

    def _recent_people(self, pos: int) -> list[Person]:
        """Distinct people named before ``pos``, most recent first (at most _DESCRIBED)."""
        seen: dict[int, Person] = {}
        i = bisect_left(self._mention_starts, pos)
        stop = max(0, i - _SCANNED)
        while i > stop and len(seen) < _DESCRIBED:
            i -= 1
            person = self._mention_people[i]
            seen.setdefault(id(person), person)
        return list(seen.values()) or list(self._people.values())[:_DESCRIBED]


# A name found in a capitalised run: where the part of the run holding it starts,
# where the name starts (both from the run's start), the name, the name folded,
# its title words.
_RunName = tuple[int, int, str, str, str]


@lru_cache(maxsize=16384)
def _names_in_run(run: str) -> tuple[_RunName, ...]:
    """The names a capitalised run holds, with the title words before each.

    Cached: a function of the run's words alone, and the same runs ("Vladimir
    Putin", "North Korea") come back in article after article. Whether a name
    follows a word such as "newspaper" depends on the text, so it is left to the
    caller (see _after_thing_noun).
    """
    if "." not in run:
        return _names_in_part(run, 0)
    # Cut the run at full stops after whole words ("Pataki. Neither"), not initials.
    found: list[_RunName] = []
    last = 0
    for cut in _RUN_BREAK.finditer(run):
        if run[last : cut.start()].rsplit(" ", 1)[-1].lower() in ABBREVIATIONS:
            continue
        found.extend(_names_in_part(run[last : cut.start()], last))
        last = cut.end()
    found.extend(_names_in_part(run[last:], last))
    return tuple(found)


def _names_in_part(run: str, start: int) -> tuple[_RunName, ...]:
    """The names in ``run``, a part of a capitalised run starting at ``start`` in it."""
    words = run.split()
    cut = -1
    if "’s " in run or "'s " in run or "’ " in run or "' " in run:
        cut = next(
            i
            for i, w in enumerate(words[:-1])
            if w[-2:] in _POSSESSIVE_ENDINGS or w[-1] in "’'"  # "Acme News’ Jo Ames"
        )
    if cut >= 0:
        # "Friday’s Ohio", "Acme’s President Jo Ames": a possessive ends a name
        rest = run.index(words[cut + 1], len(" ".join(words[: cut + 1])))
        return _names_in_part(run[:rest].rstrip(), start) + _names_in_part(run[rest:], start + rest)
    if words[-1][-2:] in _POSSESSIVE_ENDINGS:
        words[-1] = words[-1][:-2]
    elif words[-1][-1] in "’'":
        words[-1] = words[-1][:-1]
    last = words[-1].lower()
    if last in _NOT_IN_PERSON_NAMES:
        if last in PLACE_INDEX and len(words) > 1 and words[-2].lower() in _FORENAMES:
            return _forename_and_place(words, start)  # "Mark Cuban", "Jack London"
        return ()  # "North Korea", "State Department": most runs end in a place or body
    if len(words[-1]) == 1:
        return ()  # "Robert C. “Bobby” Scott": a run cut after an initial holds no whole name
    lows = (
        # an initial keeps its stop: "A." in "Jill A. Martin" is not the article
        [w.lower() if w[1:] == "." else w.lower().rstrip(".") for w in words]
        if "." in run
        else " ".join(words).lower().split()  # one call, not one a word
    )
    verb = (
        -1
        if VERB_WORDS.isdisjoint(lows)
        else next(i for i, low in enumerate(lows) if low in VERB_WORDS)
    )
    if verb >= 0:
        # "Said Jo Park", "Zoe Ames Asked Voters": a verb in a title-case line
        # or an inverted attribution is never part of the name
        if verb == 0:
            start += len(words[0]) + 1 if len(words) > 1 else 0
            words, lows = words[1:], lows[1:]
            run = " ".join(words)
        else:
            words, lows = words[:verb], lows[:verb]
        if not words or words[-1].lower() in _NOT_IN_PERSON_NAMES:
            return ()
    # The name follows the last title or place word ("Russian President | Vladimir Putin").
    cut = 0
    if not _TITLE_OR_PLACE.isdisjoint(lows) or "-" in run:
        for i in range(len(words) - 1):
            if lows[i] in _TITLE_OR_PLACE or ("-" in lows[i] and is_compound_adjective(lows[i])):
                cut = i + 1  # "Russian President | Vladimir Putin", "Ohio-born | Jo Ames"
    title_words, name_words = words[:cut], words[cut:]
    if not _is_person_name(name_words, lows[cut:]):
        return ()
    name_at = start + run.index(name_words[0]) if title_words else start
    name = " ".join(name_words)
    if lows[-1] in _SUFFIXES:
        name += "."  # "Robert P. Casey Jr.": the run stops before the suffix's full stop
    # The folded name is its lower-case words, unless it holds an accent or a mark
    # that folding drops ("Jean-Luc", "O'Neil", "J.R.").
    plain = name.isascii() and _FOLDED_MARKS.isdisjoint(name)
    key = " ".join(lows[cut:]) if plain else _fold(name)
    return ((start, name_at, name, key, " ".join(title_words)),)


def _forename_and_place(words: list[str], start: int) -> tuple[_RunName, ...]:
    """A common forename before a place word: the place word is a surname ("Mark Cuban")."""
    title = " ".join(words[:-2])
    name = " ".join(words[-2:])
    name_at = start + len(title) + 1 if title else start
    return ((start, name_at, name, _fold(name), title),)


def _title_before(text: str, start: int) -> str:
    """The role words and capitalised words right before a name ("the Russian president")."""
    if start == 0 or not text[start - 1].isspace():
        return ""  # the name does not follow a space
    line_start = text.rfind("\n", max(0, start - _TITLE_REACH), start) + 1
    words = text[max(line_start, start - _TITLE_REACH) : start].split()
    taken: list[str] = []
    for word in reversed(words):
        if len(taken) == _TITLE_MAX_WORDS:
            break
        if word[0].isupper() or word in ROLE_WORDS or word in _TITLE_LINKS:
            if not word[-1].isalnum() and word.lower().rstrip(".") not in ABBREVIATIONS:
                break  # "Korea," and "Ukraine." end what came before the title
            if word.lower() in VERB_WORDS:
                break  # "Said Jo Park": the verb of an inverted attribution
            taken.append(word)
            if word in _SENTENCE_OPENERS:
                break  # "… the U.S. The North Korean leader": a title never spans sentences
            continue
        break
    return " ".join(reversed(taken))


def _role_of_another(before: str) -> bool:
    """Title words that end in a link are a role linked to the name, not its own: "an
    aide to | Jo Ames", "the wife of the | Jo Ames" (but "Secretary of | State Jo Ames"
    has more of its title in the run)."""
    words = before.lower().split()[-2:]
    if words[-1:] == ["the"]:
        words.pop()
    return bool(words) and words[-1] in _NOT_TITLE_ENDS


@lru_cache(maxsize=16384)
def _fold(name: str) -> str:
    """fold_name, with a fast path for ASCII names (identical result, no Unicode tables)."""
    if name.isascii():
        return _ASCII_SEPARATORS.sub(" ", name.lower()).strip()
    return fold_name(name)


def _without_suffix(folded: str) -> str:
    """A folded name without "jr" or "sr", so "Reyes" finds "Tom Reyes Jr."."""
    head, _, last = folded.rpartition(" ")
    return head if last in _SUFFIXES and " " in head else folded


def _after_thing_noun(text: str, start: int) -> bool:
    """True for "the newspaper Rodong Sinmun": a named thing, not a person."""
    end = start - 1
    if end <= 0 or not text[end].isspace():
        return False
    space = text.rfind(" ", max(0, end - 30), end)
    if end - space - 1 > _LONGEST_THING_NOUN:
        # Longer than any such noun. With no space within reach the slice would run back
        # to the start of the text, for every such name: quadratic on a page of them.
        return False
    return text[space + 1 : end].lower() in THING_NOUNS


def _description_score(person: Person, head: str, places: set[int], others: set[str]) -> int:
    title_places = {PLACE_INDEX[w] for w in person.title_words if w in PLACE_INDEX}
    if places and not places & title_places:
        return 0
    score = 2 * len(places & title_places)
    if head in person.title_heads:
        score += 3
    elif head in LEADER_HEADS and person.title_heads & LEADER_HEADS:
        score += 2
    score += len(others & person.title_words)
    return score


def _family_first(folded: list[str], name: str) -> bool:
    """Whether one word can stand for a full name it opens: a common forename
    ("Hillary"), or a family name written first ("Kim" in "Kim Jong Un", "Xi", "Ban"
    in "Ban Ki-moon"): short, or before a hyphenated or two-part given name; not
    "Trump" in "Trump Train"."""
    if len(folded) > 1 or folded[0] in _FORENAMES:  # "Hillary" for "Hillary Clinton"
        return True
    return len(folded[0]) <= _FAMILY_NAME or "-" in name or name.count(" ") > 1


def _without_variants(candidates: list[Person]) -> list[Person]:
    """People sharing a surname, less the runs that only put a word before another's
    name when that one opens with a common forename: "Real Tom Ames" beside "Tom Ames"
    (but "Mario Vargas Llosa" beside "Vargas Llosa" stays)."""
    folded = [_fold(p.name) for p in candidates]
    shorter = [g for g in folded if " " in g and g.split(" ", 1)[0] in _FORENAMES]
    kept = [
        p
        for p, f in zip(candidates, folded, strict=True)
        if not any(g != f and f.endswith(" " + g) for g in shorter)
    ]
    return kept or candidates


def _closest(candidates: list[Person], pos: int) -> Person | None:
    """The candidate mentioned last before ``pos``, else the first after it."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    before = max(candidates, key=lambda p: p.last_before(pos))
    if before.last_before(pos) >= 0:
        return before
    return min(candidates, key=lambda p: p.positions[0] if p.positions else 1 << 60)


def _clean_title(title: str) -> str:
    """Drop leading articles and trailing prepositions from a title."""
    words = title.split()
    while words and words[0].lower() in _NOT_TITLE_STARTS:
        words.pop(0)
    while words and words[-1].lower() in _NOT_TITLE_ENDS:
        words.pop()
    return " ".join(words)
