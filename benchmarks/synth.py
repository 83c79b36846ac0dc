"""Synthetic news articles for benchmarks: invented people, outlets and words, real shapes.

usage: .venv/bin/python benchmarks/synth.py --articles N [--seed S] > articles.ndjson

Each line is an article as POST /api/v1/articles takes it (text, title, outlet,
published, url). The same seed gives the same articles. Articles run to ~4,600
characters: a headline, paragraphs of reporting and five to eight quotations, said in
the ways news says them ("X said", "said X, the Y", "according to", "X told
reporters", a pronoun after the speaker is named, partial quotes woven into the
writer's sentence, statements from organisations). A few hundred speakers, each with
a title and an organisation, are quoted with a skew (a few are quoted often, most
rarely), over a year of dates and a few dozen outlets.

Every name, organisation and outlet is invented from syllables and word lists
written here; sentences come from templates over a common English vocabulary drawn
with a Zipf-like skew, so word frequencies (and so search hit counts) look like news.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

_ONSETS = ["b", "br", "c", "d", "dr", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v"]
_ONSETS += ["z", "ch", "sh", "th", "tr", "gr", "st", "w", "j", "y", "pl", "kr"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ea", "ia", "y"]
_CODAS = ["", "", "n", "r", "l", "s", "th", "nd", "rk", "m", "x", "ng", "ck", "lt"]
_SURNAME_ENDS = ["son", "ley", "ford", "wick", "ova", "elli", "ard", "ski", "ton", "mann", "ez"]
_PLACE_ENDS = ["ia", "land", "mark", "stan", "ora", "vale", "burg", "port", "ica"]

_TITLES = [
    "minister of {topic}",
    "spokesperson for the {org}",
    "chief executive of {org}",
    "director of the {org}",
    "senior adviser to the {org}",
    "chair of the {org}",
    "deputy minister of {topic}",
    "lead negotiator for {place}",
    "economist at the {org}",
    "mayor of {city}",
    "opposition leader in {place}",
    "head of {topic} policy at the {org}",
    "professor of {topic} at the University of {city}",
    "union representative at {org}",
]
_ORG_KINDS = [
    "Ministry of {Topic}",
    "{Place} {Topic} Agency",
    "{City} Council",
    "{Name} Institute",
    "{Name} Holdings",
    "{Place} Federation of Workers",
    "{City} Chamber of Commerce",
    "{Name} Foundation",
    "National {Topic} Board",
    "{Place} Democratic Alliance",
]
_TOPICS = [
    "energy", "finance", "transport", "health", "defence", "trade", "housing", "education",
    "agriculture", "labour", "water", "justice", "foreign affairs", "technology", "climate",
]  # fmt: skip
_OUTLET_FORMS = [
    "The {City} {Paper}",
    "{City} {Paper}",
    "The {Place} {Paper}",
    "{Paper} of {City}",
    "{Name} News",
]
_PAPERS = ["Ledger", "Courier", "Herald", "Gazette", "Dispatch", "Observer", "Post", "Tribune"]
_PAPERS += ["Chronicle", "Sentinel", "Record", "Wire", "Express", "Monitor", "Bulletin"]

# Common words of reporting, drawn with a skew so a few are everywhere and most are rare.
_NOUNS = """
plan budget deal agreement law bill vote talks election government council committee
price cost rate tax wage job worker family school hospital road bridge railway port
market bank loan debt fund grant project programme policy report study survey inquiry
court judge ruling appeal case police officer crime prison border refugee migrant energy
power grid pipeline gas oil coal solar wind turbine battery factory plant mine farm crop
harvest drought flood storm fire heat season water river dam reservoir company firm
industry sector supplier customer consumer shop store brand product contract tender bid
partner investor shareholder profit loss revenue growth decline strike union protest
march rally crowd campaign party coalition opposition minister leader president mayor
official spokesperson adviser expert scientist doctor teacher student parent child
patient nurse pilot driver passenger airline airport flight ship cargo shipment export
import tariff sanction treaty summit meeting visit trip army soldier weapon missile
drone attack ceasefire peace security threat risk warning crisis shortage surplus reform
change decision proposal request demand offer response data system network software
platform service app phone internet website account city town village district region
province country nation state capital coast island morning evening week month year
decade history future record level figure number audit auditor ballot benefit pension
salary bonus subsidy allowance voucher licence permit inspector regulator watchdog
ombudsman tribunal panel board trustee director manager engineer architect builder
contractor developer landlord tenant homeowner resident neighbour commuter cyclist
pedestrian motorist truck lorry van bus tram ferry tunnel motorway junction roundabout
station terminal depot warehouse harbour dock canal library museum theatre stadium arena
park garden forest beach lake valley mountain vaccine clinic ward surgery treatment
medicine prescription pharmacy ambulance emergency shelter charity volunteer donation
appeal fundraiser festival concert exhibition tournament match season league club coach
player referee fan ticket broadband satellite cable server database algorithm chip
semiconductor robot sensor mortgage inflation recession deficit bond currency exchange
stock dividend merger takeover acquisition bankruptcy lawsuit settlement fine penalty
verdict sentence hearing testimony witness evidence investigation prosecutor lawyer
defendant jury curfew lockdown quarantine outbreak virus infection symptom test
screening scan pollution emission carbon methane recycling waste landfill sewage
drainage irrigation fishery fleet quota livestock cattle dairy grain wheat maize rice
fertiliser pesticide tourism hotel restaurant retailer wholesaler franchise startup
incubator laboratory curriculum exam classroom campus lecturer scholarship tuition
apprenticeship manifesto candidate constituency referendum amendment clause motion
debate veto embassy ambassador envoy delegation diplomat consulate visa passport customs
checkpoint
""".split()  # noqa: SIM905 - a word list reads best as words
_VERBS = """
support oppose approve reject delay cancel launch build open close expand reduce raise
cut freeze review extend protect defend attack criticise welcome urge warn promise
deliver invest spend save borrow repay sign negotiate discuss announce confirm deny
investigate challenge appeal ban allow require replace repair restore improve weaken
strengthen increase lower double halve share publish release block fund finance
subsidise tax charge fine punish reward hire fire train recruit retain monitor inspect
audit regulate license certify register measure count estimate predict reopen relaunch
rebuild redesign rethink reconsider revise amend overturn uphold enforce prioritise
accelerate postpone suspend resume abandon pursue secure guarantee ensure
""".split()  # noqa: SIM905 - a word list reads best as words
_ADJECTIVES = """
new major serious clear strong weak difficult simple fair unfair urgent careful public
private local national regional international economic political social financial legal
military environmental historic modern recent early late full significant necessary
possible unacceptable reasonable important dangerous safe affordable expensive cheap
sustainable reliable fragile resilient transparent secret ambitious modest generous
tight stable volatile rapid gradual sudden permanent temporary rural urban coastal
northern southern eastern western domestic foreign federal municipal independent
credible flawed outdated innovative controversial popular unpopular fierce
""".split()  # noqa: SIM905 - a word list reads best as words
_TIMES = [
    "by the end of the year", "next month", "within weeks", "before the summer",
    "this week", "in the coming days", "over the next decade", "as soon as possible",
    "before the election", "by spring",
]  # fmt: skip


def _zipf_choice(rng: random.Random, words: list[str]) -> str:
    """A word drawn with a skew: the first words of the list common, the rest a long tail."""
    return words[int(len(words) * rng.random() ** 2.5)]


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o"):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _syllables(rng: random.Random, n: int) -> str:
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + (rng.choice(_CODAS) if i == n - 1 else "")
        for i in range(n)
    )


def _name_word(rng: random.Random, ends: list[str] | None = None, syllables: int = 2) -> str:
    word = _syllables(rng, syllables)
    if ends:
        word = _syllables(rng, syllables - 1) + rng.choice(ends)
    return word.capitalize()


@dataclass(frozen=True, slots=True)
class Speaker:
    first: str
    last: str
    title: str
    org: str
    pronoun: str  # "he", "she" or "they"

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True, slots=True)
class World:
    """The invented people, organisations, places and outlets a corpus is written about."""

    speakers: list[Speaker]
    orgs: list[str]
    places: list[str]
    cities: list[str]
    outlets: list[str]


def make_world(rng: random.Random, speakers: int = 400, outlets: int = 40) -> World:
    places = sorted({_name_word(rng, _PLACE_ENDS) for _ in range(30)})
    cities = sorted({_name_word(rng, syllables=rng.choice([2, 3])) for _ in range(60)})
    orgs: list[str] = []
    while len(orgs) < 120:
        org = rng.choice(_ORG_KINDS).format(
            Topic=rng.choice(_TOPICS).title(),
            Place=rng.choice(places),
            City=rng.choice(cities),
            Name=_name_word(rng),
        )
        if org not in orgs:
            orgs.append(org)
    people: list[Speaker] = []
    seen: set[str] = set()
    while len(people) < speakers:
        first, last = _name_word(rng), _name_word(rng, _SURNAME_ENDS, rng.choice([2, 3]))
        if f"{first} {last}" in seen:
            continue
        seen.add(f"{first} {last}")
        org = rng.choice(orgs)
        title = rng.choice(_TITLES).format(
            topic=rng.choice(_TOPICS), org=org, place=rng.choice(places), city=rng.choice(cities)
        )
        people.append(Speaker(first, last, title, org, rng.choice(["he", "she", "she", "he"])))
    names: list[str] = []
    while len(names) < outlets:
        outlet = rng.choice(_OUTLET_FORMS).format(
            City=rng.choice(cities),
            Place=rng.choice(places),
            Paper=rng.choice(_PAPERS),
            Name=_name_word(rng),
        )
        if outlet not in names:
            names.append(outlet)
    return World(people, orgs, places, cities, names)


class _Writer:
    """Sentences for one article, on one topic, about a few speakers."""

    def __init__(self, rng: random.Random, world: World) -> None:
        self.rng = rng
        self.world = world
        self.topic = rng.choice(_TOPICS)
        self.place = rng.choice(world.places)
        self.city = rng.choice(world.cities)
        self.org = rng.choice(world.orgs)
        self.nouns = [_zipf_choice(rng, _NOUNS) for _ in range(6)]

    def noun(self) -> str:
        # Now and then one of the article's own nouns: an article keeps to its subject.
        rng = self.rng
        return rng.choice(self.nouns) if rng.random() < 0.3 else _zipf_choice(rng, _NOUNS)

    def clause(self) -> str:
        rng = self.rng
        forms = [
            "we will {verb} the {noun} {time}",
            "the {noun} is {adj} and people deserve a {adj2} {noun2}",
            "nobody should {verb} a {noun} that works for every {noun2}",
            "this {noun} was never about the {noun2}",
            "we have asked the {org} to {verb} the {noun} {time}",
            "the {adj} {noun} in {place} shows why we must {verb} the {noun2}",
            "our {noun2} cannot wait for another {noun}",
            "it would be {adj} to {verb} the {noun} now",
            "the people of {city} expect us to {verb} this {noun}",
            "there is no {adj} {noun} without a {noun2}",
            "I think the {noun} will {verb} the {noun2}",
            "the numbers tell us the {noun} has to {verb} the {noun2}",
            "every {noun} in {city} depends on whether we {verb} the {noun2}",
            "families have waited too long for a {adj} {noun}",
            "if the {org} wants to {verb} the {noun}, it must first {verb2} the {noun2}",
            "the {noun} and the {noun2} are two sides of the same {noun3}",
            "I have spoken to every {noun} and they all want a {adj} {noun2}",
            "we did not {verb} this {noun} lightly",
            "the {adj} {noun} will cost more than the {noun2} it replaces",
            "what {place} needs is a {adj} {noun}, not another {noun2}",
            "my job is to {verb} the {noun} and {verb2} the {noun2}",
            "the {noun3} told us plainly that the {noun} is {adj}",
            "we are ready to {verb} any {noun} that helps the {noun2}",
            "no {noun} should have to choose between a {noun2} and a {noun3}",
        ]
        return (
            rng.choice(forms)
            .format(
                verb=_zipf_choice(rng, _VERBS),
                verb2=_zipf_choice(rng, _VERBS),
                noun=self.noun(),
                noun2=self.noun(),
                noun3=_zipf_choice(rng, _NOUNS),
                adj=_zipf_choice(rng, _ADJECTIVES),
                adj2=_zipf_choice(rng, _ADJECTIVES),
                time=rng.choice(_TIMES),
                org=self.org,
                place=self.place,
                city=self.city,
            )
            .strip()
        )

    def quote_text(self) -> str:
        """One to three sentences, as a person would say them."""
        sentences = [self.clause() for _ in range(self.rng.choice([1, 2, 2, 2, 3, 3]))]
        return " ".join(s[0].upper() + s[1:] + "." for s in sentences)

    def partial(self) -> str:
        rng = self.rng
        return f"{_zipf_choice(rng, _ADJECTIVES)} {self.noun()} for {rng.choice(self.world.cities)}"

    def prose(self) -> str:
        """A sentence of reporting with no quotation in it."""
        rng = self.rng
        forms = [
            "The {org} has spent months preparing the {noun}, which covers {n} {nouns} in {place}.",
            "Officials in {city} said last {day} that the {noun} would be reviewed.",
            "The {noun} follows a {adj} year for the {noun2} sector, with {n} per cent less.",
            "Critics have argued that the {noun} does little for the {noun2}.",
            "A vote on the {noun} is expected {time}.",
            "The {org} did not respond to a request for comment on the {noun2}.",
            "Some {n} {nouns} were affected, according to figures released on {day}.",
            "The {adj} {noun} was first proposed in {city} {n} years ago.",
            "Talks between the {org} and the {noun2} groups resumed on {day}.",
            "In {place}, the {noun} has become a {adj} matter for the government.",
        ]
        return rng.choice(forms).format(
            org=rng.choice(self.world.orgs) if rng.random() < 0.4 else self.org,
            noun=self.noun(),
            noun2=self.noun(),
            nouns=_plural(self.noun()),
            adj=_zipf_choice(rng, _ADJECTIVES),
            n=rng.randint(2, 90),
            place=self.place,
            city=self.city,
            day=rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Sunday"]),
            time=rng.choice(_TIMES),
        )

    def quoted(self, who: Speaker, introduced: bool) -> str:
        """A sentence carrying a quotation of ``who`` in one of the ways news attributes it."""
        rng, q = self.rng, self.quote_text()
        comma = q[:-1] + ","
        if introduced:
            forms = [
                f"“{comma}” {who.pronoun} said.",
                f"“{comma}” {who.last} said.",
                f"“{comma}” {who.last} told reporters.",
                f"{who.pronoun.capitalize()} added: “{q}”",
                f"{who.last} said the {self.noun()} would be “{self.partial()}”.",
                f"“{comma}” said {who.last}.",
            ]
        else:
            forms = [
                f"“{comma}” said {who.name}, the {who.title}.",
                f"{who.name}, the {who.title}, said: “{q}”",
                f"“{comma}” {who.name} said.",
                f"According to {who.name}, the {self.noun()} is “{self.partial()}”.",
                f"{who.name}, {who.title}, told reporters in {self.city}: “{q}”",
                f"“{comma}” {who.name}, the {who.title}, said in a statement.",
            ]
        return rng.choice(forms)

    def statement(self) -> str:
        rng, q = self.rng, self.quote_text()
        org = self.org
        return rng.choice([f"The {org} said in a statement: “{q}”", f"“{q[:-1]},” the {org} said."])


def _skewed_speaker(rng: random.Random, world: World) -> Speaker:
    return world.speakers[min(int(len(world.speakers) ** rng.random()), len(world.speakers)) - 1]


def article(rng: random.Random, world: World, when: datetime, n: int) -> dict[str, Any]:
    """One article: headline, reporting and five to eight quotations (~4,600 characters)."""
    w = _Writer(rng, world)
    cast = list({s.name: s for s in (_skewed_speaker(rng, world) for _ in range(3))}.values())
    quotes = rng.randint(5, 8)
    slots = ["quote"] * quotes + ["prose"] * rng.randint(4, 6)
    rng.shuffle(slots)
    introduced: set[str] = set()
    paragraphs = [" ".join(w.prose() for _ in range(rng.randint(2, 3)))]  # a lede of prose
    for slot in slots:
        if slot == "prose":
            paragraphs.append(" ".join(w.prose() for _ in range(rng.randint(2, 4))))
            continue
        if rng.random() < 0.08:
            sentence = w.statement()
        else:
            who = rng.choice(cast)
            sentence = w.quoted(who, who.name in introduced)
            introduced.add(who.name)
        around = [w.prose() for _ in range(rng.randint(0, 2))]
        paragraphs.append(" ".join([sentence, *around]))
    text = "\n\n".join(paragraphs)
    while len(text) < 4_500:  # news runs to ~4,600 characters: pad with more reporting
        text += "\n\n" + " ".join(w.prose() for _ in range(3))
    outlet = world.outlets[min(int(len(world.outlets) ** rng.random()), len(world.outlets)) - 1]
    headline = f"{cast[0].last} {_zipf_choice(rng, _VERBS)}s {w.noun()} {w.noun()} in {w.city}"
    slug = outlet.lower().replace(" ", "-").replace("the-", "")
    return {
        "url": f"https://{slug}.example/{when:%Y/%m/%d}/{n}",
        "title": headline[0].upper() + headline[1:],
        "outlet": outlet,
        "published": when.isoformat(),
        "text": text,
    }


def articles(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """``count`` articles, the same for the same seed, dated over a year."""
    rng = random.Random(seed)
    world = make_world(random.Random(f"world-{seed}"))
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(count):
        when = start + timedelta(seconds=rng.randrange(365 * 86_400))
        yield article(rng, world, when, n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="How many articles.")
    parser.add_argument("--seed", type=int, default=1, help="Same seed, same articles.")
    args = parser.parse_args(argv)
    out = sys.stdout
    for item in articles(args.articles, args.seed):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
