"""Who a mention stands for: full names, descriptions and pronouns within one article.

``PeopleIndex`` is built once per article from every capitalised run in it: the
people it names in full ("Vladimir Putin"), where, and with which titles
("Russian President"). Mentions are then resolved against it.
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
    ROLE_WORDS,
    THING_NOUNS,
    TITLE_WORDS,
)
from quoteapi.extract.mentions import MASK, VERB_WORDS, Mention
from quoteapi.extract.mentions import TITLE_OR_PLACE as _TITLE_OR_PLACE
from quoteapi.extract.names import fold_name

# A run of capitalised words on one line, the shape of a full name; runs are cut
# again at full stops that end a sentence (see PeopleIndex._add_split_run).
_CAP_RUN = re.compile(r"[A-Z][\w’'\-]*(?:\.?[ \u00a0][A-Z][\w’'\-]*)+")
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
# A surname is matched against at most this many people who share it.
_SHARING_A_NAME = 50
_POSSESSIVE_ENDINGS = frozenset({"’s", "'s"})
_ASCII_SEPARATORS = re.compile(r"[-_.'\s]+")


@dataclass(slots=True)
class Person:
    """A person the article names in full, with every title it gives them."""

    name: str
    positions: list[int] = field(default_factory=list)
    # (offset of the capitalised run, title words inside it): read into titles
    # only when a title is asked for, which most articles never need for most people.
    runs: list[tuple[int, str]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    title_words: set[str] = field(default_factory=set)
    title_heads: set[str] = field(default_factory=set)

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
        self.titles.append(title)
        words = [w.lower().rstrip(".") for w in title.split()]
        self.title_words.update(words)
        head_part = words
        for i, w in enumerate(words):
            if w in PREPOSITIONS:
                head_part = words[:i]
                break
        roles = [w for w in head_part if w in ROLE_WORDS or w in TITLE_WORDS]
        if roles:
            self.title_heads.add(roles[-1])

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
)


def _is_person_name(words: list[str], lows: list[str]) -> bool:
    """Two to five words with no organisation, place, title or date word among them."""
    if not 2 <= len(words) <= 5 or not _NOT_IN_PERSON_NAMES.isdisjoint(lows):
        return False
    return not any(len(w) > 1 and w.isupper() for w in words)


class PeopleIndex:
    """The people named in one article, for resolving mentions to full names."""

    def __init__(self, text: str, masked: str | None = None) -> None:
        """Index the names of ``text``; ``masked`` (text with quotes masked, see layout)
        marks names said inside quotes, which give full names but are no antecedents."""
        self._text = text
        self._masked = text if masked is None else masked
        self._people: dict[str, Person] = {}
        self._by_last: dict[str, list[Person]] = {}
        self._by_first: dict[str, list[Person]] = {}
        # Every mention of every person, in text order, for "who was named last".
        self._mention_starts: list[int] = []
        self._mention_people: list[Person] = []
        for match in _CAP_RUN.finditer(text):
            run = match.group()
            if "." in run:
                self._add_split_run(text, match.start(), run)
            else:
                self._add_run(text, match.start(), run)

    def _add_split_run(self, text: str, start: int, run: str) -> None:
        """Cut a run at full stops after whole words ("Pataki. Neither"), not initials."""
        last = 0
        for cut in _RUN_BREAK.finditer(run):
            if run[last : cut.start()].rsplit(" ", 1)[-1].lower() in ABBREVIATIONS:
                continue
            self._add_run(text, start + last, run[last : cut.start()])
            last = cut.end()
        self._add_run(text, start + last, run[last:])

    def _add_run(self, text: str, start: int, run: str) -> None:
        words = run.split()
        cut = -1
        if "’s " in run or "'s " in run:
            cut = next(i for i, w in enumerate(words[:-1]) if w[-2:] in _POSSESSIVE_ENDINGS)
        if cut >= 0:
            # "Friday’s Ohio", "Acme’s President Jo Ames": a possessive ends a name
            rest = run.index(words[cut + 1], len(" ".join(words[: cut + 1])))
            self._add_run(text, start, run[:rest].rstrip())
            self._add_run(text, start + rest, run[rest:])
            return
        if words[-1][-2:] in _POSSESSIVE_ENDINGS:
            words[-1] = words[-1][:-2]
        elif words[-1][-1] in "’'":
            words[-1] = words[-1][:-1]
        if words[-1].lower() in _NOT_IN_PERSON_NAMES:
            return  # "North Korea", "State Department": most runs end in a place or body
        lows = [w.lower().rstrip(".") for w in words]
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
                return
        # The name follows the last title or place word ("Russian President | Vladimir Putin").
        cut = 0
        if not _TITLE_OR_PLACE.isdisjoint(lows):
            for i in range(len(words) - 1):
                if lows[i] in _TITLE_OR_PLACE:
                    cut = i + 1
        title_words, name_words = words[:cut], words[cut:]
        if not _is_person_name(name_words, lows[cut:]) or _after_thing_noun(text, start):
            return
        name = " ".join(name_words)
        key = _fold(name)
        person = self._people.get(key)
        if person is None:
            person = self._people[key] = Person(name)
            folded = key.split()
            self._by_last.setdefault(folded[-1], []).append(person)
            self._by_first.setdefault(folded[0], []).append(person)
        offset = start + run.index(name_words[0]) if title_words else start
        person.positions.append(offset)
        if self._masked[offset] != MASK:
            # a name inside a quote is not one a later "he" or "she" can point back to
            self._mention_starts.append(offset)
            self._mention_people.append(person)
        person.runs.append((start, " ".join(title_words) if title_words else ""))

    def titles(self, person: Person) -> list[str]:
        """Every title the article gives ``person`` ("Russian President"), read on first use."""
        if person.runs:
            for start, inside in person.runs[:_TITLED_RUNS]:
                title = " ".join(w for w in (_title_before(self._text, start), inside) if w)
                person.add_title(_clean_title(title))
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
        folded = _fold(_POSSESSIVE_TAIL.sub("", name)).split()
        if not folded:
            return None
        exact = self._people.get(" ".join(folded))
        if exact is not None:
            return exact
        candidates = [
            p
            for p in self._by_last.get(folded[-1], [])[-_SHARING_A_NAME:]
            if _fold(p.name).endswith(" ".join(folded))
        ]
        if not candidates:
            candidates = [
                p
                for p in self._by_first.get(folded[0], [])[-_SHARING_A_NAME:]
                if _fold(p.name).startswith(" ".join(folded))
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
        """The person named last before ``pos`` (of ``gender``, unless that is unknown)."""
        i = bisect_left(self._mention_starts, pos)
        stop = max(0, i - _SCANNED)
        while i > stop:
            i -= 1
            person = self._mention_people[i]
            if gender is None or self.gender_of(person) in (None, gender):
                return person
        return None

    def gender_of(self, person: Person) -> str | None:
        """The person's gender from forename or honorific (titles are read for it)."""
        self.titles(person)
        return person.gender

    def person(self, name: str | None) -> Person | None:
        """The person the article names ``name`` in full, if any."""
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


@lru_cache(maxsize=16384)
def _fold(name: str) -> str:
    """fold_name, with a fast path for ASCII names (identical result, no Unicode tables)."""
    if name.isascii():
        return _ASCII_SEPARATORS.sub(" ", name.lower()).strip()
    return fold_name(name)


def _after_thing_noun(text: str, start: int) -> bool:
    """True for "the newspaper Rodong Sinmun": a named thing, not a person."""
    end = start - 1
    if end <= 0 or not text[end].isspace():
        return False
    space = text.rfind(" ", max(0, end - 30), end)
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
    while words and words[0].lower() in {"the", "a", "an", "of", "to", "for"} | NON_NAME_CAPS:
        words.pop(0)
    while words and words[-1].lower() in {"the", "of", "to", "for"}:
        words.pop()
    return " ".join(words)
