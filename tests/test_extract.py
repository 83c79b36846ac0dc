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
from quoteapi.extract.mentions import is_verb_word
from quoteapi.extract.speakers import PEOPLE_PER_ARTICLE, people_limit

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
    Row("a dash signature with an aside after a comma",
        "“We need better choices.”\n\n-Ana Lopez, Toledo.\n\n“The debate was a mess.”\n\n"
        "– Jo Park, writing after the debate.",
        (q("We need better choices.", "Ana Lopez", cue="–"),
         q("The debate was a mess.", "Jo Park", cue="–"))),
    Row("a dash and a name with a clause of its own is no signature",
        "“Go home.” – Ana Lopez, who said it twice.", (q("Go home.", None),)),
    Row("said X, inverted with a long title",
        "“We are watching,” said the adviser to the prime minister Yuri Petrov.",
        (q("We are watching,", "Yuri Petrov", title="adviser to the prime minister"),)),
    Row("a lower-case title word inside a long title opens no empty name",
        "According to Tom Reyes's former education secretary Jo Park, it was “a test.”",
        (q("a test.", "Jo Park", type="person"),)),
    Row("a capitalised department word is still a title",
        "“We are ready,” said Education Secretary Jo Park.",
        (q("We are ready,", "Jo Park", title="Education Secretary"),)),
    Row("an appositive between the speaker and the verb",
        "“It was close,” Hugh Hill, a doctor at the clinic, said.",
        (q("It was close,", "Hugh Hill"),)),
    Row("an appositive naming a place, then another, before the verb",
        "“The rule oversteps,” Jo Ames, the attorney general of Ohio, a state that went to "
        "court, said.",
        (q("The rule oversteps,", "Jo Ames"),)),
    Row("a place set off inside an appositive is not the speaker",
        "Mary Hill, whose son Tom lives in Elm Falls, Ohio, since May, said the school "
        "was “a good home.”",
        (q("a good home.", "Mary Hill"),)),
    Row("a description set off with no name before it still speaks",
        "In May, the mayor, who took office in 2020, said the road was “a disgrace.”",
        (q("a disgrace.", None, mention="the mayor"),)),
    Row("a name after a clause word is no nested appositive",
        "Tom Reyes spoke, while Ana Lopez, the new mayor, called the road “a disgrace.”",
        (q("a disgrace.", "Ana Lopez"),)),
    Row("a party tag in parentheses, then a comma, before the verb",
        "Gov. Ana Lopez (R-Ohio), said, “We are ready for the road.”",
        (q("We are ready for the road.", "Ana Lopez", cue="said"),)),
    Row("a parenthesis after a phrase that names no one gives no speaker",
        "The plan (a draft), said Tom Reyes, “is ready for the road.”",
        (q("is ready for the road.", "Tom Reyes"),)),
    Row("a phrase between a named subject and its verb",
        "Jo Ames spoke first. Tom Reyes in his first speech called the plan "
        "“a burden on the towns.”",
        (q("a burden on the towns.", "Tom Reyes", cue="called"),)),
    Row("a name inside such a phrase is not the subject",
        "Voters near Tom Reyes on the stage called the plan “a burden on the towns.”",
        (q("a burden on the towns.", None),)),
    Row("a word opening a line before such a phrase may be a verb, not a name",
        "Rules.\nAppear on time called the race “a fair one for all.”",
        (q("a fair one for all.", None),)),
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
    Row("a woven word the sentence before would give a speaker goes to its own subject",
        "Jo Park said the vote was close. Tom Reyes keeps misspelling “Hamas” on his posters.",
        (q("Hamas", "Tom Reyes", cue=None),)),
    Row("a woven word gets no speaker that the sentence before would not give",
        "Jo Park arrived late. Tom Reyes keeps misspelling “Hamas” on his posters.",
        (q("Hamas", None),)),
    Row("a woven word in a sentence with no named subject keeps the speaker before",
        "Jo Park said the vote was close. The new posters keep misspelling “Hamas” in red.",
        (q("Hamas", "Jo Park"),)),
    Row("a woven phrase is its sentence subject's before the speaker of the sentence before",
        "Jo Park said the vote had failed. Tom Reyes sees the plan as “a fresh start for us.”",
        (q("a fresh start for us.", "Tom Reyes", cue=None, confidence=0.35),)),
    Row("a heading before a colon is no subject to take a woven phrase",
        "Tom Reyes arrived.\n\nBudget Fight Stalls School Plans: Ending “the long delay” is "
        "the first task of the board.",
        (q("the long delay", None),)),
    Row("the subject of the clause after a colon still takes one",
        "The vote came late: Tom Reyes sees it as “a fresh start for the town.”",
        (q("a fresh start for the town.", "Tom Reyes"),)),
    Row("a name that modifies a noun is no subject to take a woven phrase",
        "Tom Reyes, a senator from Ohio, spoke.\n\nThe Ohio senator’s reply was that "
        "“schools come first in all things.”\n\nThe Elm Falls crowd called it "
        "“a good answer.”",
        (q("schools come first in all things.", "Tom Reyes"),
         q("a good answer.", None))),
    Row("a name before a role or body in the possessive makes one speaker phrase",
        "Tom Reyes arrived.\n\nA memo on the Acme campaign’s site sees the plan as "
        "“a trap for all of us.”",
        (q("a trap for all of us.", "Acme campaign", type="organization"),)),
    Row("initials written together do not end the sentence",
        "“We will vote no,” said Rep. G.K. Reyes (D-Ohio), who chairs the panel.",
        (q("We will vote no,", "G.K. Reyes", title="Rep."),)),
    Row("an abbreviated state set off after its town is no speaker",
        "Tom Reyes, 41, of Elm Falls, N.C., who answered the survey, said it was “a mess.”",
        (q("a mess.", "Tom Reyes"),)),
    Row("an abbreviated state set off in an opener is no subject",
        "At a fair in Elm Falls, Colo., the mayor closed by reading “an old poem.”",
        (q("an old poem.", None),)),
    Row("a one-word name set off after a word that is no role is a place",
        "Ana Lopez, who farms north of the county seat, Elmira, said she “likes it there.”",
        (q("likes it there.", "Ana Lopez"),)),
    Row("Mister is an honorific, not a forename",
        "Fred Reyes spoke. Mister Reyes, as fans call him, waved.\n\n“Be kind,” Reyes said.",
        (q("Be kind,", "Fred Reyes"),)),
    Row("a place word after a common forename is a surname",
        "Tech investor Sara London spoke first.\n\n“It is possible,” London said.",
        (q("It is possible,", "Sara London", type="person"),)),
    Row("a place word alone speaks for its place",
        "“It is possible,” London said. “It is not,” said the U.S. Later, Paris agreed.",
        (q("It is possible,", "London", type="organization"),
         q("It is not,", "U.S.", type="organization"))),
    Row("a US state is a place, not a person",
        "“We sue,” Ohio said. “We join,” said New Hampshire.",
        (q("We sue,", "Ohio", type="organization"), q("We join,", "New Hampshire",
                                                       type="organization"))),
    Row("a capitalised word opening a sentence before a noun is no name",
        "Tom Reyes spoke.\n\nEdited transcript below:\n\n“We won the vote.”\n\n"
        "Coastal safety experts have warned that Elm Falls could face "
        "“a long dry summer.”",
        (q("We won the vote.", None), q("a long dry summer.", None))),
    Row("an organisation before its verb is still a subject",
        "Tom Reyes arrived.\n\nThe Acme Group sees the deal as “a trap for all of us.”",
        (q("a trap for all of us.", "Acme Group", type="organization"),)),
    Row("a capitalised opener is no subject to take a woven phrase",
        "Jo Park said the vote had failed. Audiences may find it “a little reckless.”",
        (q("a little reckless.", "Jo Park"),)),
    Row("a one-word name used mid-sentence elsewhere is a subject",
        "Analysts at Verity disagree. Verity scored the plan as “mostly unworkable.”",
        (q("mostly unworkable.", "Verity"),)),
    Row("a participle opener with a preposition is skipped for the subject",
        "Alarmed by the delay, Ana Lopez thinks the council is “asleep at the wheel.”",
        (q("asleep at the wheel.", "Ana Lopez", cue=None),)),
    Row("outside opens a clause, not a name",
        "Outside the council, Tom Reyes sees the budget as “a house of cards.”",
        (q("a house of cards.", "Tom Reyes", cue=None),)),
    Row("a one-word scare quote in such a sentence is nobody's",
        "Tom Reyes sees the plan as “historic.”", (q("historic.", None),)),
    Row("a follow-on quote paragraph continues the speaker",
        "“The first point is cost,” said Tom Reyes.\n\n“The second point is time.”",
        (q("The first point is cost,", "Tom Reyes"),
         q("The second point is time.", "Tom Reyes", cue=None)),
        exact=True),
    Row("a quote after the sentence that attributed the quote before keeps its speaker",
        "“We are ready,” Tom Reyes said after Ana Lopez spoke. “We will win.”",
        (q("We are ready,", "Tom Reyes"), q("We will win.", "Tom Reyes", cue=None))),
    Row("a quote after a new speaker's sentence is the new speaker's",
        "“We are ready,” Tom Reyes said. Ana Lopez disagreed. “We will lose.”",
        (q("We are ready,", "Tom Reyes"), q("We will lose.", "Ana Lopez"))),
    Row("a quote after a quote that ends its sentence: “…?” X asked",
        "“Will it pass?” Ana Lopez asked on Monday.",
        (q("Will it pass?", "Ana Lopez", cue="asked"),)),
    Row("the next sentence attributes, then a clause of time follows",
        "“Is it over? Is it?” Ana Lopez asked as the hall emptied.",
        (q("Is it over? Is it?", "Ana Lopez", cue="asked"),)),
    Row("the next sentence attributes, a possessive later in it is no new claim",
        "“Why now?” Tom Reyes said about his rival's plan.",
        (q("Why now?", "Tom Reyes", cue="said"),)),
    Row("a new statement with a pronoun after the verb still is not an attribution",
        "Critics called it “a waste.” Tom Reyes said he was sure it was sound.",
        (q("a waste.", None),)),
    Row("Said X, before the quote", "Said Tom Reyes, “The thought of it pains us.”",
        (q("The thought of it pains us.", "Tom Reyes", cue="Said"),)),
    Row("an acronym with a hyphen is part of the title",
        "“We are ready,” said XR-TU President Bob Sams, who leads the union.",
        (q("We are ready,", "Bob Sams", title="XR-TU President"),)),
    Row("a capitalised adverb is not a speaker",
        "Likewise, the Harbor Institute weighed the plan: “Costs will rise.”",
        (q("Costs will rise.", "Harbor Institute", type="organization"),)),
    Row("a new statement after a quote is not its attribution",
        "Critics called it “a waste.” Tom Reyes said the plan was sound.",
        (q("a waste.", None),)),
    Row("with X doing: the subject of the participle",
        "Lawmakers were angry, with Senator Ana Lopez calling the plan “a mess from the start.”",
        (q("a mess from the start.", "Ana Lopez", cue="calling"),)),
    Row("went on about before a quote", "Tom Reyes went on about “a rigged system.”",
        (q("a rigged system.", "Tom Reyes", cue="went on"),)),
    Row("footage of X saying: the subject of the participle",
        "The ad shows footage of Ana Lopez asking, “Why are we behind?”",
        (q("Why are we behind?", "Ana Lopez", cue="asking"),)),
    Row("an account of X saying is the account-giver's, not X's",
        "In the book, Tom Reyes gives an account of Ana Lopez telling an aide to “go home.”",
        (q("go home.", "Tom Reyes"),)),
    Row("an object after with and no participle is still no speaker",
        "Lawmakers met with Ana Lopez and said the plan was “a mess from the start.”",
        (q("a mess from the start.", None),)),
    Row("goes on before a noun is no speech verb",
        "Senator Ana Lopez said that once the council goes on holiday, “I will campaign.”",
        (q("I will campaign.", "Ana Lopez", cue="said"),)),
    Row("goes on before a quote is one", "“And then,” Tom Reyes went on, “we won.”",
        (q("we won.", "Tom Reyes", cue="went on"),)),
    Row("a place set off in an opener is not the subject",
        "At a fair in Elm Falls, N.C., Tom Reyes signed the bill, saying it was “fair.”",
        (q("fair.", "Tom Reyes", cue="saying"),)),
    Row("a participle takes the subject of its clause",
        "Ana Lopez rejected the idea, saying it was “a mistake from the start.”",
        (q("a mistake from the start.", "Ana Lopez", cue="saying"),)),
    Row("a two-word state set off in an opener is not the subject",
        "At a fair in Elm Falls, New Hampshire, Tom Reyes toured the site, calling it “overdue.”",
        (q("overdue.", "Tom Reyes", cue="calling"),)),
    Row("a state as the subject is still one",
        "Ohio sued the agency, calling its rule “a disaster.”",
        (q("a disaster.", "Ohio"),)),
    Row("a dateline with a news agency is not the subject",
        "Elm Falls (AP) – Senator Ana Lopez left the race, saying voters wanted “a fresh face.”",
        (q("a fresh face.", "Ana Lopez", cue="saying"),)),
    Row("a dateline in capitals is not the subject",
        "ELM FALLS — Ana Lopez left the race on Monday, saying voters wanted “a fresh face.”",
        (q("a fresh face.", "Ana Lopez", cue="saying"),)),
    Row("a dateline's state after its comma need not be in capitals",
        "Jo Ames spoke.\n\nLA CROSSE, Wis. — Gov. Ana Lopez on Thursday blamed the press, "
        "saying they were “missing the larger truth.”",
        (q("missing the larger truth.", "Ana Lopez", cue="blamed"),)),
    Row("a name in mixed case, then a state and a dash, is no dateline",
        "Tom Reyes, Ohio – and Ana Lopez, his rival – signed the bill, saying it was “fair.”",
        (q("fair.", "Tom Reyes", cue="saying"),)),
    Row("a dash after a name in mixed case is no dateline",
        "Tom Reyes – and Ana Lopez, his rival – signed the bill, saying it was “fair.”",
        (q("fair.", "Tom Reyes", cue="saying"),)),
    Row("went on after a question, in the next sentence",
        "“Why wait?” Tom Reyes went on, as the hall emptied.",
        (q("Why wait?", "Tom Reyes", cue="went on"),)),
    Row("fired back in the next sentence with a quote of its own is a new statement",
        "Critics called it “a waste.” Tom Reyes fired back on Monday, calling them “cynics.”",
        (q("a waste.", None), q("cynics.", "Tom Reyes"))),
    Row("a quote after a time clause still leaves the sentence an attribution",
        "“Who is next?” Ana Lopez asked as an aide walked in, saying he was “here to help.”",
        (q("Who is next?", "Ana Lopez", cue="asked"),)),
    Row("a relative clause between dashes inside a quote is no interruption",
        "“We knew – which we all did at the time – that it would fail,” Ana Lopez said.",
        (q("We knew – which we all did at the time – that it would fail,", "Ana Lopez",
           cue="said"),)),
    Row("a quote of its own after a while-clause is not attributed to its subject",
        "Ana Lopez calls the deal “a trap,” while Tom Reyes calls it “a bargain.”",
        (q("a trap,", "Ana Lopez"), q("a bargain.", "Tom Reyes"))),
    Row("continue to is no speech verb",
        "Ana Lopez said the levy will continue to be “a burden on farmers.”",
        (q("a burden on farmers.", "Ana Lopez", cue="said"),)),
    Row("continued before a quote is one",
        "Tom Reyes continued: “We will not stop.”",
        (q("We will not stop.", "Tom Reyes", cue="continued"),)),
    Row("barked, retaliated and bragged attribute",
        "“Sit down,” Tom Reyes barked. “Not a chance,” Ana Lopez retaliated.",
        (q("Sit down,", "Tom Reyes", cue="barked"),
         q("Not a chance,", "Ana Lopez", cue="retaliated"))),
    Row("an email as a noun is no speech verb",
        "In an email to Tom Reyes, Ana Lopez wrote: “We disagree.”",
        (q("We disagree.", "Ana Lopez", cue="wrote"),)),
    Row("emailed attributes", "Ana Lopez emailed supporters: “We disagree.”",
        (q("We disagree.", "Ana Lopez", cue="emailed"),)),
    Row("called “…” by X: the agent of a passive speech verb",
        "The audit, branded a “fishing trip” by Ana Lopez, goes on.",
        (q("fishing trip", "Ana Lopez", cue="branded by"),)),
    Row("a speech verb in the passive gives its subject no words",
        "Tom Reyes spoke first. Ana Lopez was labeled “a liar” at the rally. Ohio "
        "was called for Reyes at nine. “We won!” the crowd chanted.",
        (q("a liar", None), q("We won!", None))),
    Row("a quote before “X was asked” was put to X",
        "“Will you run?” Tom Reyes was asked at the fair. “It is over,” Ana Lopez was "
        "quoted as saying.",
        (q("Will you run?", None), q("It is over,", "Ana Lopez"))),
    Row("but quoted as saying and asked keep their subject",
        "Ana Lopez was quoted as saying “it is over.” Tom Reyes was asked about it. "
        "“No comment.”",
        (q("it is over.", "Ana Lopez"), q("No comment.", "Tom Reyes"))),
    Row("a passive earlier in the sentence leaves a later active subject its words",
        "When the figures are revealed each spring, Ana Lopez calls them “a wake-up call.”",
        (q("a wake-up call.", "Ana Lopez"),)),
    Row("a quote before by and no passive verb is the subject's",
        "Tom Reyes called the plan “a hoax” by any measure.",
        (q("a hoax", "Tom Reyes", cue="called"),)),
    Row("but now said: the verb takes the subject of the sentence",
        "“He will win,” Jo Park told reporters.\n\n"
        "Tom Reyes voted against the plan, but now said it was “worth a second look.”",
        (q("He will win,", "Jo Park"), q("worth a second look.", "Tom Reyes", cue="said"))),
    Row("a verb after but with its own subject keeps it",
        "Tom Reyes backed Ana Lopez, but Jo Park now said the mayor had “a chance.”",
        (q("a chance.", "Jo Park", cue="said"),)),
    Row("asked by X: the asker speaks the quote that follows",
        "Ana Lopez was asked by host Tom Reyes, “Will you run again?”",
        (q("Will you run again?", "Tom Reyes", cue="asked"),)),
    Row("asked by X, with the quote further on, is still the subject's",
        "Ana Lopez was asked by Tom Reyes about the plan and said “it is dead.”",
        (q("it is dead.", "Ana Lopez"),)),
    Row("an honorific keeps a surname that is a title word",
        "“We need enthusiasm,” Mr. King added.",
        (q("We need enthusiasm,", "King", title="Mr.", cue="added"),)),
    Row("a title word after the is no surname",
        "“We need enthusiasm,” the King added.",
        (q("We need enthusiasm,", None, mention="the King"),)),
    Row("a possessive before a speech noun: the claim is the speaker's",
        "Analysts checked Tom Reyes’s claim that the bridge was “perfectly safe.”",
        (q("perfectly safe.", "Tom Reyes", cue="claim"),)),
    Row("a speech noun in the object of a preposition is still the speaker's",
        "The paper ran a check on Ana Lopez's claim that the count was “rigged.”",
        (q("rigged.", "Ana Lopez", cue="claim"),)),
    Row("a verdict on someone's words is not theirs",
        "Calling Tom Reyes’s remarks “deeply unfair,” the union walked out.",
        (q("deeply unfair,", None),)),
    Row("a possessive that is no name before a speech noun gives no speaker",
        "Critics doubt Monday’s claim that the count was “rigged.”",
        (q("rigged.", None),)),
    Row("a speech noun with no possessive gives no speaker",
        "Critics doubt the claim that the count was “rigged.”",
        (q("rigged.", None),)),
    Row("a passive with a pronoun as agent names no one",
        "The plan was called “a hoax” by him on Monday.",
        (q("a hoax", None),)),
    Row("a name's thing is no speaker",
        "Critics of Tom Reyes’s plan said on Monday that it was “a mess.”",
        (q("a mess.", None),)),
    Row("a name's campaign is one",
        "Tom Reyes’s campaign said on Monday that the count was “a mess.”",
        (q("a mess.", "Tom Reyes’s campaign", type="organization"),)),
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
    Row("he later in a sentence stands for its subject, not a person named since",
        "Jo Ames spoke. Avery Hill went after Quinn Dale at the debate, when he called "
        "the plan “a poor joke.”",
        (q("a poor joke.", "Avery Hill", mention="he"),)),
    Row("but not a subject whose forename gives the other gender",
        "Jo Ames spoke. Mary Hill went after Thomas Dale at the debate, when he called "
        "the plan “a poor joke.”",
        (q("a poor joke.", "Thomas Dale", mention="he"),)),
    Row("she stands for the speaking subject, not a person named later in its sentence",
        "Ana Lopez, whose daughter Rose Park lives in Elm Falls, said the town had changed."
        "\n\n“We all feel it,” she said.",
        (q("We all feel it,", "Ana Lopez", mention="she"),)),
    Row("but a person named in a later sentence is still the nearer one",
        "Ana Lopez said the town had changed. Rose Park arrived at noon."
        "\n\n“We all feel it,” she said.",
        (q("We all feel it,", "Rose Park", mention="she"),)),
    Row("he never stands for an organisation that spoke",
        "The Acme Group said the deal was done. Tom Reyes arrived later."
        "\n\n“It is fine,” he said.",
        (q("It is fine,", "Tom Reyes", mention="he"),)),
    Row("he skips a place or thing written like a name",
        "Tom Reyes grew up in the Rust Belt, near the Elm Sea, and works in Green Bay."
        "\n\n“We build things,” he said.",
        (q("We build things,", "Tom Reyes", mention="he"),)),
    Row("he never stands for a person named only inside a quote",
        "Reyes said, “I spoke to Jo Park about it.” He added, “It was unfair.”",
        (q("It was unfair.", "Reyes", mention="He"),)),
    Row("he skips a place that looks like a name",
        "Tom Reyes flew to New York City on Monday. “We landed,” he said.",
        (q("We landed,", "Tom Reyes", mention="he"),)),
    Row("a long surname is not the first word of another run",
        "The Reyes Express rolled into town.\n\n“We won,” Reyes said.",
        (q("We won,", "Reyes"),)),
    Row("a short family name written first and a forename find the full name",
        "Xi Jinping met Hillary Lopez.\n\n“Yes,” Xi said. “No,” Hillary said.",
        (q("Yes,", "Xi Jinping"), q("No,", "Hillary Lopez"))),
    Row("a word put before a full name is not part of it",
        "The book is called Real Tom Ames. Tom Ames spoke.\n\n“No,” Ames said. "
        "Maybe Lopez will run. Can Reyes win? “Yes,” Reyes said.",
        (q("No,", "Tom Ames"), q("Yes,", "Reyes"))),
    Row("a surname that is also a word still finds its full name",
        "“That is false,” Bill Maher said. “It is,” Maher added. “No,” said Cornel West. "
        "“Never,” West added.",
        (q("It is,", "Bill Maher"), q("Never,", "Cornel West"))),
    Row("a full name with a middle initial is found from its surname",
        "Rep. Tom K. Reyes opened the fair.\n\n“Welcome,” he said. “Go,” Reyes added.",
        (q("Welcome,", "Tom K. Reyes", mention="he"), q("Go,", "Tom K. Reyes"))),
    Row("initials written together stay in the name",
        "George H.W. Bush and Ana J.J. Lopez spoke.\n\n“No,” Bush said. “Yes,” Lopez said.",
        (q("No,", "George H.W. Bush"), q("Yes,", "Ana J.J. Lopez"))),
    Row("a suffix keeps its full stop",
        "Sen. Tom Reyes Jr. spoke.\n\n“No,” Reyes said.",
        (q("No,", "Tom Reyes Jr."),)),
    Row("a name cut after an initial by a nickname is no name",
        "Rep. Tom K. “Tommy” Reyes opened the fair.\n\n“Welcome,” he said.",
        (q("Welcome,", None, mention="he"),)),
    Row("Del. is a title, not the end of a sentence",
        "“It is a waste,” said Del. Ana Plaskett of the Elm Islands.",
        (q("It is a waste,", "Ana Plaskett", title="Del."),)),
    Row("a title-case headline verb is not part of the name",
        "Tom Reyes Tells Voters “We Will Win”\n\n“It is close,” Reyes said.",
        (q("It is close,", "Tom Reyes"),)),
    Row("a person's title may hold an organisation's name",
        "“The count is over,” FBI Director Jo Ames said. “No,” said House Speaker Tom Reyes.",
        (q("The count is over,", "Jo Ames", title="FBI Director", type="person"),
         q("No,", "Tom Reyes", title="House Speaker", type="person"))),
    Row("an outlet's person speaks, the outlet is the title",
        "“The plan fails,” the Elm Post’s Jo Ames wrote. Acme News’ Tom Reyes said it was "
        "“a mess.”",
        (q("The plan fails,", "Jo Ames", title="Elm Post’s", type="person"),
         q("a mess.", "Tom Reyes", type="person"))),
    Row("a school or a PAC is an organisation",
        "“Build it,” the Elm Falls High School said. “No,” said the Reyes PAC.",
        (q("Build it,", "Elm Falls High School", type="organization"),
         q("No,", "Reyes PAC", type="organization"))),
    Row("an organisation's name goes on after of, on or for",
        "“The rule stands,” the Elm Board on Professional Ethics said. “No,” said the "
        "Association of Elm Teachers.",
        (q("The rule stands,", "Elm Board on Professional Ethics", type="organization"),
         q("No,", "Association of Elm Teachers", type="organization"))),
    Row("a person titled after an organisation's long name is the speaker",
        "“It goes too far,” the Council on Elm Relations Executive Director Jo Ames said.",
        (q("It goes too far,", "Jo Ames", type="person"),)),
    Row("a middle initial that is also a word stays in the name",
        "“We lost,” said Jill A. Reyes.\n\n“It is done,” she added. “No,” Reyes said.",
        (q("We lost,", "Jill A. Reyes"), q("No,", "Jill A. Reyes"))),
    Row("a dash signature with a middle initial",
        "“We lost.” ― Rosa M. Diaz Reyes",
        (q("We lost.", "Rosa M. Diaz Reyes"),)),
    Row("an organisation's name that holds a title word stays an organisation",
        "“The count is over,” the State Department said. “No,” said the White House Press "
        "Office.",
        (q("The count is over,", "State Department", type="organization"),
         q("No,", "White House Press Office", type="organization"))),
    Row("a role of a place is a description, not the place",
        "“The rule oversteps,” the attorney general of Ohio said. “It is ours,” said the "
        "foreign minister of France.",
        (q("The rule oversteps,", None, mention="the attorney general of Ohio"),
         q("It is ours,", None, mention="the foreign minister of France"))),
    Row("a role of a place resolves through the titles the article gives",
        "French Foreign Minister Jean Dupont flew in on Monday.\n\n“It is ours,” said the "
        "foreign minister of France.",
        (q("It is ours,", "Jean Dupont"),)),
    Row("an aide to a person, or a group of them, is not that person",
        "“The plan is dead,” an aide to Ana Lopez said. “We agree,” supporters of Lopez said.",
        (q("The plan is dead,", None, mention="an aide to Ana Lopez"),
         q("We agree,", None))),
    Row("a title with a link inside it is still the name's own",
        "Secretary of State Jo Ames flew in. “We are ready,” Ames said.",
        (q("We are ready,", "Jo Ames", title="Secretary of State"),)),
    Row("a spokesman for a person speaks for them",
        "“The plan is dead,” a spokesman for Ana Lopez said.",
        (q("The plan is dead,", "Ana Lopez", title="spokesman for"),)),
    Row("the head of an organisation speaks for it",
        "“The plan is dead,” the president of the Acme Group said.",
        (q("The plan is dead,", "Acme Group", type="organization"),)),
    Row("a compound adjective before a name describes, and is no name",
        "Ohio-born Tom Reyes spoke.\n\n“No,” Reyes said. “Yes,” said a Reyes-style candidate.",
        (q("No,", "Tom Reyes"), q("Yes,", None))),
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
    Row("a group opened by a quantifier has no name",
        "“It is over,” some Lopez aides said. “No,” another Elm Falls Democrat said. "
        "“Yes,” said many Americans.",
        (q("It is over,", None, mention="some Lopez aides"),
         q("No,", None, mention="another Elm Falls Democrat"),
         q("Yes,", None, mention="many Americans"))),
    Row("an unnamed one as the far subject of a verb keeps the quote from others",
        "Ana Lopez said the vote was close. Another voter who asked not to be named said "
        "she heard Reyes call it “a mess.”",
        (q("a mess.", None, mention="Another voter"),)),
    Row("a name and lower-case describing words before a person's name modify it",
        "“We lost,” Ohio software executive Jo Ames said. “We won,” said Elm Radio co-host "
        "Tom Reyes.",
        (q("We lost,", "Jo Ames"), q("We won,", "Tom Reyes"))),
    Row("but a verb between two names is no description",
        "Surveys show Tom Reyes ahead in Elm Falls.\n\n“It is a good sign for us.”",
        (q("It is a good sign for us.", None),)),
    Row("an adverb between with and the participle keeps its subject",
        "Fans booed at the rally in Elm Falls, Ohio, with Tom Reyes reportedly yelling "
        "“Enough of this!”",
        (q("Enough of this!", "Tom Reyes"),)),
    Row("a plural noun after a compound adjective is no speech verb",
        "Ana Lopez says Tom Reyes’s off-the-cuff comments are “lies from start to end.”",
        (q("lies from start to end.", "Ana Lopez"),)),
    Row("a time opener is no name",
        "Hours later, Tom Reyes spoke to the press, telling them “it was a long day.”",
        (q("it was a long day.", "Tom Reyes"),)),
    Row("a document speaks for its author",
        "“Growth will slow,” the IMF report said. Ana Lopez wrote to the board. "
        "“We object,” Lopez’s letter said.",
        (q("Growth will slow,", "IMF", type="organization", mention="the IMF report"),
         q("We object,", "Ana Lopez", type="person"))),
    Row("an outlet speaks for its name, a post for its owner",
        "Ana Lopez spoke.\n\n“The plan fails,” the nationalist Acme Times tabloid wrote. "
        "“No,” Lopez’s Facebook post said.",
        (q("The plan fails,", "Acme Times", type="organization"), q("No,", "Ana Lopez"))),
    Row("a name before another noun is no speaker",
        "“It is time,” the Elm Falls crowd chanted. “Yes,” one Lopez fan said.",
        (q("It is time,", None), q("Yes,", None))),
    Row("a document with no author named speaks for no one",
        "“Growth will slow,” a new report said. “It will not,” the letter said.",
        (q("Growth will slow,", None), q("It will not,", None))),
    Row("an anonymous source keeps its mention, no name", "“The deal is off,” a source said.",
        (q("The deal is off,", None, mention="a source"),)),
    Row("officials, plural and unnamed", "“No comment,” officials said.",
        (q("No comment,", None, mention="officials"),)),
    Row("first-person words are never the speaker", "“We said no,” we said.",
        (q("We said no,", None),)),
    Row("a title word the lexicon knows is split off: Coach",
        "Coach Lee Vance said: “Defence wins titles.”",
        (q("Defence wins titles.", "Lee Vance", title="Coach", mention="Coach Lee Vance"),)),
    Row("a name set off after its description takes it as title",
        "“We will not retreat,” the mayor, Ana Ruiz, told reporters on Tuesday.",
        (q("We will not retreat,", "Ana Ruiz", title="mayor", mention="the mayor, Ana Ruiz"),)),
    Row("a set-off name after a phrase with no role gets no title",
        "After the long vote, Ana Ruiz said: “We won.”",
        (q("We won.", "Ana Ruiz", title=None, mention="Ana Ruiz"),)),
    Row("a role with lower-case words before it is a title whole",
        "The harbour master, Jo Ames, said: “The tide is late.”",
        (q("The tide is late.", "Jo Ames", title="harbour master",
           mention="The harbour master, Jo Ames"),)),
    Row("a role after a possessive and lower-case words is a title whole",
        "“We are ready,” our fire chief, Lee Vance, told reporters.",
        (q("We are ready,", "Lee Vance", title="fire chief",
           mention="our fire chief, Lee Vance"),)),
    Row("lower-case words with no role before a set-off name make no title",
        "With the harbour quiet, Jo Ames said: “The tide is late.”",
        (q("The tide is late.", "Jo Ames", title=None, mention="Jo Ames"),)),
    Row("lower-case words before a role with no determiner make no title",
        "Like every harbour master, Jo Ames said: “The tide is late.”",
        (q("The tide is late.", "Jo Ames", title=None, mention="Jo Ames"),)),
    Row("a title never reaches into the sentence before",
        "Aid came from the U.S. The North Korean leader Kim Jong-un arrived on Monday. "
        "“We are ready,” Kim said.",
        (q("We are ready,", "Kim Jong-un", title="North Korean leader"),)),
    Row("a full stop with no space still ends the sentence before the speaker",
        "Arms went to Ukraine.The North Korean leader Kim Jong-un said: “We are ready.”",
        (q("We are ready.", "Kim Jong-un", title="North Korean leader"),)),
    Row("Un in a person's name is not the UN",
        "The North Korean leader, Kim Jong Un, wrote that ties are “strong.”",
        (q("strong.", "Kim Jong Un", type="person", title="North Korean leader"),)),
    Row("the UN in capitals is an organisation", "“No,” the UN said.",
        (q("No,", "UN", type="organization"),)),
    Row("a speaker phrase stops at a verb after the name",
        "Tom Reyes hammered Ana Lopez for “a reckless plan.”",
        (q("a reckless plan.", "Tom Reyes", mention="Tom Reyes"),)),
    Row("a role word after an organisation's name stays in the title",
        "“Go,” said Acme ally Jo Carvel.",
        (q("Go,", "Jo Carvel", title="Acme ally"),)),
    Row("a title-case headline: the name stops at its verb",
        "Zoe Ames Asked Voters To “Think Again.”\n\nZoe Ames spoke in Ohio.",
        (q("Think Again.", "Zoe Ames", mention="Zoe Ames"),)),
    Row("an inverted attribution opening with a capitalised verb",
        "“It is over.” Said Jo Park, a voter.",
        (q("It is over.", "Jo Park", title=None, cue="Said"),)),
    Row("an inverted verb before a colon is not part of the name",
        "Stated Jo Park:\n\n“We stay.”", (q("We stay.", "Jo Park", mention="Jo Park"),)),
    Row("a verb form inside a place name does not cut it",
        "“We will help,” said the United States.",
        (q("We will help,", "United States", type="organization"),)),
    Row("a capitalised verb before a phrase that names no one attributes nothing",
        "“It is over.” Said the report.", (q("It is over.", None),)),
    Row("a subject's verb never joins its mention",
        "Tom Reyes avoids calling it “a real crisis.”",
        (q("a real crisis.", "Tom Reyes", mention="Tom Reyes"),)),
    Row("a shouted English word is not an acronym speaker",
        "THE SENATOR HAS SPOKEN, calling it “a very good day.”", (q("a very good day.", None),)),
    Row("an acronym is still an organisation speaker",
        "NATO HAS SPOKEN, calling it “a very good day.”",
        (q("a very good day.", "NATO", type="organization"),)),
    Row("a dateline before the speaker stays out of the mention",
        "EL PASO - Senator Ana Lopez wrote on Friday that the plan was “a disgrace.”",
        (q("a disgrace.", "Ana Lopez", mention="Senator Ana Lopez"),)),
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
        assert quote.speaker.name != ""  # a name or None, never an empty string


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
        "Ana Lopez arrived. “Three,” she said. The plan is “four.”"
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
    # 600 KB: a name after a line with no space once lowercased the text back to its start.
    "names after unspaced lines": ("-" * 31 + "\nJo Ames said “yes”.\n") * 12_000,
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_input_takes_linear_time(name: str) -> None:
    # 200 KB each (but one); a quadratic step would take minutes here, linear takes well under 1 s.
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


MENTION_PROBES = [
    "Perez hammered Tom Reyes for his “reckless talk in the hall.”",
    "Zoe Ames Asked Voters To “Think Again.”\n\nZoe Ames spoke.",
    "“It is over.” Said Jo Park, a voter.",
    "EL PASO - Senator Ana Lopez wrote on Friday that the plan was “a disgrace.”",
    "Tom Reyes avoids calling it “a real crisis.”",
]


@pytest.mark.parametrize(
    "text",
    [*MENTION_PROBES, *(p.read_text(encoding="utf-8") for p in SEEDS)],
    ids=[*(f"probe {i}" for i in range(len(MENTION_PROBES))), *(p.name for p in SEEDS)],
)
def test_mentions_are_the_words_naming_the_speaker(text: str) -> None:
    # a mention is a name, a title or a description: never a verb, a clause or a sentence
    for quote in extract_quotes(text):
        mention = quote.speaker.mention
        if mention is None:
            continue
        words = [w.strip(".,’'") for w in mention.split()]
        assert not any(is_verb_word(w.lower()) for w in words), mention
        assert not any(mark in mention for mark in ("!", "?", ";", ". ", " - ")), mention
        assert text.find(mention) >= 0


def test_people_past_the_limit_are_not_indexed() -> None:
    # A page of nothing but names indexes a bounded number of people (so it stays
    # cheap): a surname then resolves among the people indexed, the last of them here.
    names = "".join(f"Al{i} Smith came. " for i in range(PEOPLE_PER_ARTICLE + 200))
    text = names + "“We are here,” Smith said."
    limit = people_limit(text)
    assert PEOPLE_PER_ARTICLE <= limit < PEOPLE_PER_ARTICLE + 200
    [quote] = extract_quotes(text)
    assert quote.speaker.name == f"Al{limit - 1} Smith"
    # within the limit, the surname resolves to the person named last
    fewer = "".join(f"Al{i} Smith came. " for i in range(PEOPLE_PER_ARTICLE - 10))
    [quote] = extract_quotes(fewer + "“We are here,” Smith said.")
    assert quote.speaker.name == f"Al{PEOPLE_PER_ARTICLE - 11} Smith"


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
