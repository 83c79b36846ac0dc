"""The extraction table: one or more rows per capability, negatives beside positives.

Every sentence here is invented for these tests (the people are invented, or public
figures in invented sentences). A row names the quotes it expects, by their exact
text, with the fields that matter for that row, and the spans that must not come
out as quotes at all.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from quoteapi.extract import Quote, Speaker, extract_quotes, fold_name

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@dataclass(frozen=True)
class Q:
    """An expected quote: its exact text, its speaker's name, and any other field to check."""

    text: str
    name: str | None
    fields: dict[str, Any] = field(default_factory=dict)


def q(text: str, name: str | None, **fields: Any) -> Q:
    return Q(text, name, fields)


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    quotes: tuple[Q, ...] = ()
    absent: tuple[str, ...] = ()  # spans that must not be returned as quotes
    exact: bool = False  # the row lists every quote the text holds


SPEAKER_FIELDS = {"title", "type", "mention"}


# fmt: off
ROWS = [
    # --- quotation marks -------------------------------------------------------------
    Row("curly marks", "“We will rebuild the bridge,” Mayor Ana Lopez said on Friday.",
        (q("We will rebuild the bridge,", "Ana Lopez", title="Mayor", cue="said", kind="direct"),),
        exact=True),
    Row("straight marks", '"The budget is balanced," said Tom Reyes.',
        (q("The budget is balanced,", "Tom Reyes", cue="said"),), exact=True),
    Row("guillemets", "Foreign Minister Lena Berg said: «We stay the course.»",
        (q("We stay the course.", "Lena Berg", title="Foreign Minister"),), exact=True),
    Row("low-9 opening mark", "Klaus Weber told reporters: „The plan works.“",
        (q("The plan works.", "Klaus Weber", cue="told"),), exact=True),
    Row("single marks where an article has no double ones",
        "‘We will not back down,’ said Priya Shah, the union leader.",
        (q("We will not back down,", "Priya Shah"),), exact=True),
    Row("right mark used as an opening mark",
        "”The talks are over”, spokesman Omar Haddad said after the meeting.",
        (q("The talks are over", "Omar Haddad", title="spokesman"),), exact=True),
    Row("apostrophes are not quotes",
        "It’s the states’ call, and Ana’s aides played rock ’n’ roll from the ’90s.", exact=True),
    Row("straight apostrophes are not quotes",
        "It's the players' union and the 'n' in rock 'n' roll.", exact=True),
    Row("a quote over two paragraphs is one quote",
        "Dr. Mia Chen said:\n\n“The first part of the plan is done.\n\n"
        "“The second part starts now.”",
        (q("The first part of the plan is done.\n\n“The second part starts now.", "Mia Chen"),),
        exact=True),
    Row("nested quotes stay inside the outer one",
        "“He told me ‘never again’ and walked out,” said Jo Park.",
        (q("He told me ‘never again’ and walked out,", "Jo Park"),), absent=("never again",),
        exact=True),
    Row("an unclosed mark costs only its own quote",
        "Ana Lopez called the vote “rigged. Officials disagreed.\n\nTom Reyes said: “We will win.”",
        (q("We will win.", "Tom Reyes"),), exact=True),
    Row("a stray closing mark costs nothing",
        "The plan” failed. “It is over,” said Tom Reyes.",
        (q("It is over,", "Tom Reyes"),), exact=True),
    Row("an odd straight mark costs one quote",
        'Lopez said "yes. Then "no," said Tom Reyes.',
        (q("no,", "Tom Reyes"),), exact=True),
    # --- where quotes sit ----------------------------------------------------------
    Row("a quote interrupted by its attribution",
        "“We believe – Foreign Minister Lena Berg said – that peace is near.”",
        (q("We believe – Foreign Minister Lena Berg said – that peace is near.", "Lena Berg"),),
        exact=True),
    Row("a dash inside a quote is not an attribution",
        "“The plan – all of it – is ready,” said Tom Reyes.",
        (q("The plan – all of it – is ready,", "Tom Reyes"),), exact=True),
    Row("a quote in a headline, its speaker named in full below",
        "Berg slams “reckless” plan\n\nForeign Minister Lena Berg criticized the plan on Monday.",
        (q("reckless", "Lena Berg", kind="partial", cue="slams"),), exact=True),
    Row("a partial quote woven into a sentence",
        "Senator Maria Ortiz praised the workers for “their quiet courage” on Tuesday.",
        (q("their quiet courage", "Maria Ortiz", kind="partial", cue="praised"),), exact=True),
    # --- attribution patterns ------------------------------------------------------
    Row("X said, colon", "Tom Reyes said: “We are ready.”",
        (q("We are ready.", "Tom Reyes", cue="said", kind="direct"),)),
    Row("X says, surname resolved to the full name",
        "Economist Tom Reyes spoke in Lima.\n\n“Prices will fall,” Reyes says.",
        (q("Prices will fall,", "Tom Reyes", cue="says", mention="Reyes"),)),
    Row("the full name given only later in the article",
        "“Prices will fall,” Reyes said.\n\nEconomist Tom Reyes has studied prices for years.",
        (q("Prices will fall,", "Tom Reyes", mention="Reyes"),)),
    Row("X told Y", "Ana Lopez told the Daily Planet: “The bridge opens in May.”",
        (q("The bridge opens in May.", "Ana Lopez", cue="told"),)),
    Row("X wrote in an op-ed",
        "In an op-ed, Governor Sam Hill wrote that the state needs “a fresh start.”",
        (q("a fresh start.", "Sam Hill", cue="wrote", title="Governor"),)),
    Row("X added", "Ana Lopez spoke first. “And we will finish early,” Lopez added.",
        (q("And we will finish early,", "Ana Lopez", cue="added"),)),
    Row("according to X, before the quote",
        "Engineer Ana Lopez visited the site. According to Lopez, the bridge is “nearly finished.”",
        (q("nearly finished.", "Ana Lopez", cue="according to"),)),
    Row("according to X, after the quote",
        "“The bridge is safe,” according to Ana Lopez.",
        (q("The bridge is safe,", "Ana Lopez", cue="according to"),)),
    Row("in a statement, by an organisation",
        "“We regret the delay,” Acme Corporation said in a statement.",
        (q("We regret the delay,", "Acme Corporation", type="organization"),)),
    Row("colon introduction in a headline", "Acme Corporation: “No layoffs this year”",
        (q("No layoffs this year", "Acme Corporation", cue=":"),)),
    Row("dash attribution", "“We are done here” – Tom Reyes",
        (q("We are done here", "Tom Reyes", cue="–"),)),
    Row("dash attribution on the next line",
        "“We are done here.”\n\n– Tom Reyes\n\nThe vote is today.",
        (q("We are done here.", "Tom Reyes", cue="–"),)),
    Row("dash signatures after each quote of a list, with no-break spaces",
        "“The debate was a mess.” ―\u00a0Jo Park\n“We need better choices.” ―\u00a0Ana Lopez.",
        (q("The debate was a mess.", "Jo Park", cue="–"),
         q("We need better choices.", "Ana Lopez", cue="–"))),
    Row("said X, inverted with a long title",
        "“We are watching,” said the adviser to the prime minister Yuri Petrov.",
        (q("We are watching,", "Yuri Petrov", title="adviser to the prime minister"),)),
    Row("an appositive between the speaker and the verb",
        "“It was close,” Hugh Hill, a doctor at the clinic, said.",
        (q("It was close,", "Hugh Hill"),)),
    Row("a name set off by commas after a description",
        "Her lawyer, David Kent, wrote that the appeal would “go nowhere.”",
        (q("go nowhere.", "David Kent", cue="wrote"),)),
    Row("a quote in the sentence after the one naming its speaker",
        "Tom Reyes spoke to reporters after the vote. “This is a good day.”",
        (q("This is a good day.", "Tom Reyes", cue="spoke"),)),
    Row("a quote sentence after a sentence about a person, with no verb, is theirs",
        "Ana Lopez is upbeat about the vote. “We will win.”",
        (q("We will win.", "Ana Lopez", cue=None, confidence=0.4),)),
    Row("a phrase woven into a sentence with no speech verb is its subject's",
        "Tom Reyes sees the plan as “a fresh start for everyone.”",
        (q("a fresh start for everyone.", "Tom Reyes", cue=None, confidence=0.35),)),
    Row("a one-word scare quote in such a sentence is nobody's",
        "Tom Reyes sees the plan as “historic.”", (q("historic.", None),)),
    Row("a follow-on quote paragraph continues the speaker",
        "“The first point is cost,” said Tom Reyes.\n\n“The second point is time.”",
        (q("The first point is cost,", "Tom Reyes"),
         q("The second point is time.", "Tom Reyes", cue=None)),
        exact=True),
    Row("a quote after a quote that ends its sentence: “…?” X asked",
        "“Will it pass?” Ana Lopez asked on Monday.",
        (q("Will it pass?", "Ana Lopez", cue="asked"),)),
    Row("a new statement after a quote is not its attribution",
        "Critics called it “a waste.” Tom Reyes said the plan was sound.",
        (q("a waste.", None),)),
    Row("a participle takes the subject of its clause",
        "Ana Lopez rejected the idea, saying it was “a mistake from the start.”",
        (q("a mistake from the start.", "Ana Lopez", cue="saying"),)),
    # --- speakers ----------------------------------------------------------------------
    Row("title split off the name",
        "“Aid will arrive,” US Treasury Department spokeswoman Jane Doe said.",
        (q("Aid will arrive,", "Jane Doe", title="US Treasury Department spokeswoman",
           type="person"),)),
    Row("he resolved to the person named before",
        "Tom Reyes arrived late. “We are ready,” he said.",
        (q("We are ready,", "Tom Reyes", mention="he"),)),
    Row("she skips a man named since, when the forename gives gender",
        "Mary Lopez met Thomas Reyes. “It went well,” she said.",
        (q("It went well,", "Mary Lopez", mention="she"),)),
    Row("he skips a woman named since, when the forename gives gender",
        "Thomas Reyes met Mary Lopez. “It went well,” he said.",
        (q("It went well,", "Thomas Reyes", mention="he"),)),
    Row("an honorific gives gender too",
        "Jo Lopez met Mr. Sam Reyes. “It went well,” she said.",
        (q("It went well,", "Jo Lopez", mention="she"),)),
    Row("a description resolved through the titles the article gives",
        "Russian President Vladimir Putin arrived on Monday.\n\n"
        "“We are friends,” the Russian leader said.",
        (q("We are friends,", "Vladimir Putin", mention="the Russian leader"),)),
    Row("a seat of government stands for its country",
        "Russian President Vladimir Putin landed at noon. "
        "The Kremlin chief praised the “warm welcome.”",
        (q("warm welcome.", "Vladimir Putin"),)),
    Row("a description no one in the article fits stays unnamed",
        "The rally was loud. “We are friends,” the Brazilian leader said.",
        (q("We are friends,", None, mention="the Brazilian leader"),)),
    Row("an organisation as speaker", "“The talks failed,” the Kremlin said.",
        (q("The talks failed,", "Kremlin", type="organization"),)),
    Row("it resolved to the organisation that is the sentence's subject",
        "The Harbour Council rejected what it called “a reckless budget.”",
        (q("a reckless budget.", "Harbour Council", type="organization", mention="it"),)),
    Row("a news agency as speaker", "“The visit was a success,” KCNA reported.",
        (q("The visit was a success,", "KCNA", type="organization"),)),
    Row("it reads: a letter credited to its author",
        "Governor Sam Hill published a letter to voters. “Our state is strong,” it reads.",
        (q("Our state is strong,", "Sam Hill", cue="it reads", mention="it"),)),
    Row("an anonymous source keeps its mention, no name", "“The deal is off,” a source said.",
        (q("The deal is off,", None, mention="a source"),)),
    Row("officials, plural and unnamed", "“No comment,” officials said.",
        (q("No comment,", None, mention="officials"),)),
    Row("first-person words are never the speaker", "“We said no,” we said.",
        (q("We said no,", None),)),
    # --- not anyone's words ----------------------------------------------------------
    Row("scare quotes in single marks are not quotes",
        "“We stay,” said Tom Reyes. The ‘hermit kingdom’ stays closed.",
        (q("We stay,", "Tom Reyes"),), absent=("hermit kingdom",), exact=True),
    Row("a newspaper's name in double marks gets no speaker",
        "Tom Reyes arrived.\n\nThe newspaper “Daily Planet” printed the story.",
        (q("Daily Planet", None),)),
    Row("boilerplate lines yield no quotes",
        "PREV “Big” news of the week\nFollow us on Google News for “more”\nLeave a Reply “now”",
        exact=True),
    Row("a repeated title line yields its quote once",
        "Lopez: “We won”\n\nLopez: “We won”\n\nMayor Ana Lopez spoke.",
        (q("We won", "Ana Lopez"),), exact=True),
    Row("markup attributes and handles are not quotes",
        '<tweet author="JaneDoe" id="12345">Great day</tweet> "@JaneDoe" said '
        '"hello," Jo Park said.',
        (q("hello,", "Jo Park"),), exact=True),
]
# fmt: on


def _matches(quote: Quote, want: Q) -> list[str]:
    """What differs between a quote and the row's expectation ([] if nothing)."""
    problems = []
    if quote.speaker.name != want.name:
        problems.append(f"speaker {quote.speaker.name!r} != {want.name!r}")
    for key, value in want.fields.items():
        got = getattr(quote.speaker, key) if key in SPEAKER_FIELDS else getattr(quote, key)
        if got != value:
            problems.append(f"{key} {got!r} != {value!r}")
    return problems


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_extraction_table(row: Row) -> None:
    quotes = extract_quotes(row.text)
    by_text = {quote.text: quote for quote in quotes}
    for want in row.quotes:
        assert want.text in by_text, f"missing {want.text!r}; got {[x.text for x in quotes]}"
        assert _matches(by_text[want.text], want) == []
    for text in row.absent:
        assert text not in by_text
    if row.exact:
        assert sorted(by_text) == sorted(w.text for w in row.quotes)
    for quote in quotes:
        assert row.text[quote.start : quote.end] == quote.text


@pytest.mark.parametrize(
    "verb",
    [
        "said",
        "says",
        "wrote",
        "added",
        "clarified",
        "specified",
        "recalled",
        "assured",
        "explained",
        "insisted",
        "warned",
        "tweeted",
        "asked",
        "replied",
        "noted",
        "stressed",
    ],
)
def test_speech_verb_lexicon(verb: str) -> None:
    (quote,) = extract_quotes(f"“The plan works,” Tom Reyes {verb}.")
    assert (quote.speaker.name, quote.cue) == ("Tom Reyes", verb)


@pytest.mark.parametrize("verb", ["praised", "described", "mocked", "called"])
def test_speech_verbs_before_a_partial_quote(verb: str) -> None:
    (quote,) = extract_quotes(f"Tom Reyes {verb} the plan as “a fresh start.”")
    assert (quote.speaker.name, quote.cue, quote.kind) == ("Tom Reyes", verb, "partial")


@pytest.mark.parametrize("word", ["ate", "built", "visited"])
def test_a_verb_that_is_not_speech_attributes_nothing(word: str) -> None:
    (quote,) = extract_quotes(f"Tom Reyes {word} the “famous” bridge.")
    assert quote.speaker.name is None


def test_confidence_orders_explicit_over_resolved_over_inherited() -> None:
    text = (
        "Plan “zero” on hold\n\n“One,” Tom Reyes said.\n\n“Two.”\n\n"
        "Ana Lopez arrived. “Three,” she said. The plan was called “four.”"
    )
    conf = {quote.text: quote.confidence for quote in extract_quotes(text)}
    assert conf["One,"] > conf["Three,"] > conf["Two."] > conf["four."] > conf["zero"] == 0.0


def test_quote_record_fields() -> None:
    (quote,) = extract_quotes("“Yes,” said Tom Reyes.")
    assert quote == Quote(
        text="Yes,",
        start=1,
        end=5,
        speaker=Speaker(name="Tom Reyes", title=None, type="person", mention="Tom Reyes"),
        cue="said",
        kind="direct",
        confidence=quote.confidence,
    )
    assert 0.0 < quote.confidence <= 1.0


@pytest.mark.parametrize("bad", [b"bytes", None, 42, ["a list"]])
def test_non_str_input_raises_a_clear_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="needs the article as str"):
        extract_quotes(bad)  # type: ignore[arg-type]


NASTY = [
    "",
    " ",
    "\n\n",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "„",
    '""',
    "“”",
    "‘’",
    '"""',
    "“““",
    "”””",
    "’’’",
    "'''",
    "“a",
    "a”",
    "‘a",
    "— said",
    ": “",
    "said “",
    "“x,” said",
    "“x,” said the",
    "“x” – ",
    "“x”\n\n–",
    "he said “",
    "“" * 1000,
    "’s" * 500,
    "A" * 5000,
    "Mr. " * 300,
    "“a ‘b «c „d" * 50,
    "\u0000“\ufeff”\u200b",
    "“” “” “”",
    "“,” said ,",
    "x" + "\n" * 100 + "“y”",
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_never_raises_and_offsets_hold(text: str) -> None:
    for quote in extract_quotes(text):
        assert text[quote.start : quote.end] == quote.text


def test_the_seeds_hold_quotes() -> None:
    assert sum(len(extract_quotes(p.read_text(encoding="utf-8"))) for p in SEEDS) >= 30


ADVERSARIAL = {
    "marks": '"“”‘’«»„' * 25_000,
    "apostrophes": "it’s Putin’s rock ’n’ roll '90s " * 6_000,
    "one word": "a" * 200_000,
    "deep nesting": "“‘«„" * 25_000 + "“’»”" * 25_000,
    "blank lines in an open quote": "“a" + "\n" * 100_000 + "“b”",
    "one line of quotes": "“a” said Jo Ames and " * 10_000,
    "quotes and pronouns": "Jo Ames came. “Yes,” he said. " * 7_000,
    "people sharing a surname": "".join(f"Al{i} Smith said “x{i}”. " for i in range(8_000)),
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_input_takes_linear_time(name: str) -> None:
    # 200 KB each; a quadratic step would take minutes here, linear takes well under 1 s.
    text = ADVERSARIAL[name]
    start = time.process_time()
    quotes = extract_quotes(text)
    assert time.process_time() - start < 5.0
    assert all(text[x.start : x.end] == x.text for x in quotes[:100])


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_offsets_slice_every_seed_exactly(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    quotes = extract_quotes(text)
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
        assert quote.kind in ("direct", "partial")
        assert quote.speaker.type in ("person", "organization", "unknown")
        assert 0.0 <= quote.confidence <= 1.0
    assert [x.start for x in quotes] == sorted(x.start for x in quotes)


def test_extract_is_pure() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    assert extract_quotes(text) == extract_quotes(text)


def test_fold_name_is_exported() -> None:
    assert fold_name("Kim Jong-un") == fold_name("kim jong un")


@pytest.mark.skipif(
    not (SHARED_EVAL / "seeds.gold.json").is_file(), reason="../shared/eval not present"
)
def test_seeds_score_with_the_gold(capsys: pytest.CaptureFixture[str]) -> None:
    from quoteapi.evaluation import run_eval

    result = run_eval(SHARED_EVAL / "seeds.gold.json", texts_dir=ROOT / "seeds")
    assert result["e2e_f1"] >= 0.95
    assert result["invented_speakers"] == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("quotes: P=")
    assert json.loads(lines[1]) == result


def test_run_eval_needs_a_scorer(tmp_path: Path) -> None:
    from quoteapi.evaluation import run_eval

    gold = tmp_path / "x.gold.json"
    gold.write_text('{"articles": {}}', encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="no scorer"):
        run_eval(gold)


def test_run_eval_with_its_own_scorer_and_texts(tmp_path: Path) -> None:
    from quoteapi.evaluation import default_texts_dir, run_eval

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text("“Yes,” said Tom Reyes.", encoding="utf-8")
    gold = tmp_path / "x.gold.json"
    gold.write_text(json.dumps({"articles": {"a.txt": {"quotes": []}}}), encoding="utf-8")
    scorer = tmp_path / "score.py"
    scorer.write_text(
        "def score(gold, pred, verbose=False):\n"
        "    n = sum(len(v) for v in pred.values())\n"
        "    return {k: float(n) for k in ('span_p', 'span_r', 'span_f1', 'speaker_acc',"
        " 'e2e_p', 'e2e_r', 'e2e_f1')}\n",
        encoding="utf-8",
    )
    assert default_texts_dir(gold) == tmp_path / "x"
    assert run_eval(gold)["span_p"] == 1.0
