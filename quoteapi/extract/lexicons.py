"""Word lists the extractor matches against, built once at import.

These are facts about English news prose (which verbs attribute speech, which words
are titles, which nouns head an organisation's name), not examples from any corpus.
Every set holds lower-case words; callers fold before looking up.
"""

from __future__ import annotations


def split_words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a lexicon written as a block of text."""
    return tuple(text.split())


# Speech verbs that _inflect gets wrong: base -> (3rd person, past, -ing[, participle]).
_IRREGULAR_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "speak": ("speaks", "spoke", "speaking", "spoken"),
    "write": ("writes", "wrote", "writing", "written"),
    "admit": ("admits", "admitted", "admitting"),
    "quip": ("quips", "quipped", "quipping"),
    "put": ("puts", "put", "putting"),
    "read": ("reads", "read", "reading"),
    "testify": ("testifies", "testified", "testifying"),
    "reply": ("replies", "replied", "replying"),
    "specify": ("specifies", "specified", "specifying"),
    "clarify": ("clarifies", "clarified", "clarifying"),
    "deny": ("denies", "denied", "denying"),
    "cry": ("cries", "cried", "crying"),
    "slam": ("slams", "slammed", "slamming"),
    "identify": ("identifies", "identified", "identifying"),
    "imply": ("implies", "implied", "implying"),
    "worry": ("worries", "worried", "worrying"),
    "pen": ("pens", "penned", "penning"),
    "dub": ("dubs", "dubbed", "dubbing"),
    "refer": ("refers", "referred", "referring"),
    "brag": ("brags", "bragged", "bragging"),
    "deadpan": ("deadpans", "deadpanned", "deadpanning"),
}

# Regular speech verbs (inflected by _inflect): a broad lexicon of attribution cues.
_REGULAR_VERBS = split_words("""
accuse acknowledge add affirm agree allege announce answer applaud argue ask assert
assure attack beam beg blame blast boast brand call caution challenge chant charge
cite claim commend comment complain concede conclude concur condemn confide confirm
congratulate contend continue contradict correct counter criticise criticize declare
decry defend demand denounce deride describe disagree disclose dismiss dispute echo
elaborate emphasise emphasize estimate exclaim exhort explain express fume gasp
gripe groan grumble gush hail herald insist interject interrupt joke knock label lambast
lament lash laud laugh liken mention mock muse note observe opine plead pledge point
ponder post praise predict press proclaim project promise propose protest question
quote rail rant rave react reason recall recite recount reiterate remark remind
repeat report respond retort retweet reveal ridicule rule scoff scold scream shout
sigh signal sneer snipe state stress suggest summarize taunt tease thank trash tweet
urge vow warn welcome whisper wonder yell
bark chide email hint marvel mutter retaliate speculate surmise theorize underscore
""")


def _inflect(base: str) -> tuple[str, ...]:
    """Regular inflections of a verb (decry: decries, decried, decrying)."""
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    third = base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")
    if base.endswith("e"):
        return base, third, base + "d", base[:-1] + "ing"
    return base, third, base + "ed", base + "ing"


def _build_speech_verbs() -> frozenset[str]:
    forms: set[str] = set()
    for base, inflected in _IRREGULAR_VERBS.items():
        forms.add(base)
        forms.update(inflected)
    for base in _REGULAR_VERBS:
        forms.update(_inflect(base))
    return frozenset(forms)


# Forms that are far more often nouns than verbs in news ("head of state", "reports").
_NOUN_LIKE_FORMS = frozenset(
    split_words("""
state note report post quote charge question answer call comment point signal echo
read reading rule cite demand protest counter claim warning welcome welcomes label
labels brand brands project projects attack attacks challenge challenges correct
estimate estimates express defend pen press presses posts charges questions answers
points signals rules quotes protests cites echoes email emails hint hints
""")
)

#: Every form of every verb that can attribute a quotation ("said", "tweeted", "praising").
SPEECH_VERBS: frozenset[str] = _build_speech_verbs() - _NOUN_LIKE_FORMS

#: Verbs that attribute speech with a particle ("Lopez shot back", "Ames went on"),
#: by particle.
PARTICLE_VERBS: dict[str, frozenset[str]] = {
    "back": frozenset(split_words("shot fired hit hits snapped pushed struck wrote answered")),
    "on": frozenset(split_words("went goes going")),
    "in": frozenset(split_words("chimed chimes weighed weighs")),
    "up": frozenset(split_words("spoke speaks summed sums")),
}

#: Nouns for what someone said: after a possessive they name its speaker ("Lopez’s
#: claim that the plan is “dead”").
SPEECH_NOUNS = frozenset(
    split_words("""
claim claims assertion assertions statement statements remark remarks comment comments
call calls promise promises pledge pledges vow vows words warning warnings conclusion
insistence suggestion argument accusation accusations description characterization
contention prediction slogan motto message tweet tweets quip retort boast
""")
)

#: Documents and outlets that speak for their author: "the IMF report said" is the
#: IMF's word, "the Global Times tabloid" the Global Times's.
DOCUMENT_NOUNS = frozenset(
    split_words("""
report statement letter article study memo analysis survey editorial release ad
tweet post email filing lawsuit ruling opinion column transcript poll
newspaper tabloid website site magazine paper outlet blog
""")
)

#: Verbs whose subject is usually the writer of a document rather than its author
#: ("the letter reads"); "it reads" stands for the author.
DOCUMENT_VERBS = frozenset({"reads", "read", "states", "stated"})

#: Auxiliaries and adverbs that may sit between a speaker and the speech verb
#: ("Kim has also said", "the Kremlin always explains").
VERB_FILLERS = frozenset(
    split_words("""
has have had was were is are will would could should may might can did does do also
then later again once previously recently repeatedly always often further similarly
flatly simply quickly publicly privately reportedly openly never not just already
even still only frequently earlier subsequently separately bluntly directly
specifically herself himself themselves itself now
""")
)

#: Common verbs that end a speaker phrase or a name: "Reyes hammered Lopez" and
#: "Zoe Ames Got Real" are a subject and its verb, not one long name. (Speech verbs
#: in the past end it too; see mentions.VERB_WORDS.)
COMMON_VERBS = frozenset(
    split_words("""
is was are were be been has have had does did do gets got get goes went go takes took
take makes made make sees saw see began begins begin starts started comes came come
gives gave give keeps kept wants wanted needs needed seems seemed shows showed hits
shot joined won wins lost loses leads led backs backed chose chooses
""")
)

#: Adverbs that end a lower-case run before a name: "Reyes now", "Lopez during".
PHRASE_ADVERBS = frozenset(
    split_words("""
now then first however both perhaps most how during once still never also already
even just again each
""")
)

PHRASE_BREAKERS = COMMON_VERBS | PHRASE_ADVERBS

#: Lower-case words that name a role, so they belong to a title ("spokesman"), never
#: to a name. Also the heads of descriptions ("the Russian leader").
ROLE_WORDS = frozenset(
    split_words("""
president vice minister prime secretary spokesman spokeswoman spokesperson
spokespeople leader chief head adviser advisor aide director chairman chairwoman
chair senator sen representative rep congressman congresswoman governor gov mayor
ambassador envoy general gen admiral commander officer official officials diplomat
chancellor premier king queen prince princess emperor dictator ruler candidate
nominee contender challenger incumbent hopeful frontrunner front-runner strategist
pollster analyst expert professor researcher economist scientist lawyer attorney
counsel judge justice sheriff commissioner inspector manager executive ceo founder
owner editor columnist correspondent reporter anchor host commentator writer author
journalist historian activist organizer member lawmaker legislator politician
delegate deputy assistant undersecretary coordinator negotiator mediator observer
monitor source sources chairperson speaker whip leader majority minority
representative staffer staff operative consultant surrogate campaign supporter
supporters employee worker volunteer resident student teacher voter delegate
engineer architect designer scholar physicist father mother son daughter wife coach
archbishop patriarch detective agent trainer ally master harbourmaster harbormaster
husband brother sister cousin widow doctor dr physician nurse pastor reverend rev
bishop cardinal pope rabbi imam colonel col captain capt lieutenant lt major maj
sergeant sgt corporal foreign defense defence interior finance justice state
security national press deputy acting former ex late current incoming outgoing top
senior junior presidential vice-presidential republican democratic democrat
conservative liberal independent libertarian progressive moderate
""")
)

#: Words that make a leader of any kind, so "the Russian leader" can stand for a
#: "Russian President".
LEADER_HEADS = frozenset(
    split_words("""
president leader chief head premier chancellor king queen dictator ruler emperor
""")
)

#: Capitalised title words that open a name run ("President", "Sen.") and are split off.
TITLE_WORDS = frozenset(
    w.lower()
    for w in split_words("""
President Vice Minister Prime Secretary Spokesman Spokeswoman Leader Chief Head
Adviser Advisor Senator Sen Representative Rep Congressman Congresswoman Governor
Gov Mayor Ambassador Envoy General Gen Admiral Adm Commander Chancellor Premier King
Queen Prince Princess Emperor Dictator Judge Justice Sheriff Commissioner Inspector
Director Chairman Chairwoman Chair Speaker Whip Deputy Assistant Undersecretary
Attorney Foreign Defense Defence Interior Finance State Security National Press
Acting Former Mr Mrs Ms Miss Mx Dr Prof Professor Rev Reverend Sir Dame Lord Lady Del Mister
Colonel Col Captain Capt Lieutenant Lt Major Maj Sergeant Sgt Corporal Cpl Pope
Cardinal Bishop Rabbi Imam Sheikh Ayatollah Supreme Autocratic Democratic Republican
GOP Democrat Presidential Candidate Nominee Minority Majority Leader Trade Economy
Energy Health Education Labor Labour Agriculture Transportation Homeland Treasury
Commerce Justice Veterans Housing Environment Communications Culture Sports Senior
Top Executive CEO Founder Editor Anchor Host Expert Analyst Strategist Pollster
Official Officer
""")
)

#: Honorifics give a person's gender ("Mr Miller" -> he).
MALE_HONORIFICS = frozenset({"mr", "mister", "sir", "lord", "king", "prince", "father", "brother"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess"})

#: Common forenames whose bearers are mostly men or mostly women, so "he"/"she" can
#: skip a person of the other gender. Names used by both are left out.
MALE_FORENAMES = frozenset(
    split_words("""
james john robert michael william david richard joseph thomas charles christopher
daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan
stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter
kyle ethan walter noah jeremy christian keith roger terry gerald harold sean austin
carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert
willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason
philip louis barack bernie ted marco jeb mitch chuck mike tom bill ben rand newt
vladimir sergei dmitry yuri boris xi emmanuel olaf rishi volodymyr dmytro
""")
)
FEMALE_FORENAMES = frozenset(
    split_words("""
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy
melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley
anna brenda pamela emma nicole helen samantha katherine christine debra rachel
carolyn janet catherine maria heather diane ruth julie olivia joyce virginia
victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah
jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail
alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa
diana natalie brittany charlotte marie kayla alexis lori hillary nikki kamala
elizabeth nancy sarah angela theresa ursula giorgia marine jacinda
""")
)

#: Words that make a capitalised run an organisation ("State Department").
ORGANIZATION_WORDS = frozenset(
    split_words("""
department ministry council agency institute institution university college party
committee commission office house court bank times post news press network
foundation association center centre campaign group corporation corp inc ltd llc
company co service services union administration government parliament congress
senate assembly cabinet army navy force forces police bureau board federation
coalition alliance organization organisation fund authority tribune journal gazette
herald telegraph guardian magazine daily radio television tv channel media agencies
kremlin pentagon politburo secretariat embassy consulate club league team movement
front caucus republicans democrats pac school academy hospital church
""")
)

#: Organisations and media often named by one word with no telltale head.
KNOWN_ORGANIZATIONS = frozenset(
    split_words("""
kremlin pentagon whitehall tass kcna ria reuters ap afp yonhap xinhua bloomberg
interfax nato un eu cnn bbc nbc abc cbs fox msnbc politico axios breitbart nyt fbi
cia nsa ioc opec who imf wto gop dnc rnc icc isis hamas hezbollah taliban
""")
)

#: Known organisations that are also ordinary words or name syllables ("Un" in Kim
#: Jong Un, "Who", "Fox"): they name the organisation only when written in capitals.
CAPITALS_ONLY_ORGANIZATIONS = frozenset(
    split_words("""
ap un eu abc who fox ria isis nsa
""")
)

#: Capitalised words of places, laws, buildings and things that never belong to a
#: person's name ("New York", "Main Street", "the Clean Water Act", "Acme Images").
NON_PERSON_WORDS = frozenset(
    split_words("""
new york jersey hampshire mexico street avenue road city county state states island
beach valley lake river mountain square middle
eastern western northern southern central act acts amendment treaty care
affordable school university college academy church cathedral mosque temple hospital
clinic research partners partnership international global national federal capitol
tower building hall room plaza center centre airport station stadium arena district
images photo photos getty war wars night morning evening times politics
policy program programme project initiative summit conference convention debate
primary caucus caucuses poll polls survey holocaust genocide revolution empire
los las san santa st saint fort port des
""")
)

#: Words of the names of US states: "in Elm Falls, New Hampshire, Ames said" sets off a
#: place, not a speaker.
US_STATE_WORDS = frozenset(
    split_words("""
alabama alaska arizona arkansas california colorado connecticut delaware florida
georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
massachusetts michigan minnesota mississippi missouri montana nebraska nevada new
hampshire jersey mexico york north south carolina dakota ohio oklahoma oregon
pennsylvania rhode island tennessee texas utah vermont virginia washington west
wisconsin wyoming d.c.
""")
)

#: Abbreviated US states as news style writes them, folded and without the final full
#: stop ("Raleigh, N.C.", "Fresno, Calif."): places, never names.
US_STATE_ABBREVIATIONS = frozenset(
    split_words("""
ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss
mo mont neb nev n.h n.j n.m n.y n.c n.d okla ore pa r.i s.c s.d tenn tex vt va wash
wis wyo d.c
""")
)

#: Countries, capitals and their demonyms: a bare place as subject speaks for its
#: government ("Washington said"), and descriptions match titles through them
#: ("the Kremlin chief" ~ "Russian President").
PLACE_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "russia russian russians moscow kremlin soviet",
        "us u.s. u.s usa america american americans washington united states white house",
        "north korea korean pyongyang dprk",
        "south korea korean seoul",
        "china chinese beijing",
        "ukraine ukrainian kiev kyiv",
        "japan japanese tokyo",
        "iran iranian tehran",
        "israel israeli jerusalem",
        "britain british uk u.k london downing",
        "france french paris elysee",
        "germany german berlin",
        "india indian delhi",
        "vietnam vietnamese hanoi",
        "turkey turkish ankara",
        "syria syrian damascus",
        "mexico mexican",
        "canada canadian ottawa",
        "italy italian rome",
        "spain spanish madrid",
        "poland polish warsaw",
        "iraq iraqi baghdad",
        "afghanistan afghan kabul",
        "pakistan pakistani islamabad",
        "saudi arabia riyadh",
        "egypt egyptian cairo",
        "cuba cuban havana",
        "venezuela venezuelan caracas",
        "brazil brazilian brasilia",
        "australia australian canberra",
        "europe european brussels",
    )
)

#: Lower-case place words, from PLACE_GROUPS, mapped to the index of their group.
PLACE_INDEX: dict[str, int] = {w: i for i, g in enumerate(PLACE_GROUPS) for w in g}

#: Capitalised words that begin a sentence or a date and are never a speaker's name.
NON_NAME_CAPS = frozenset(
    split_words("""
the a an in on at but and or for so yet if as when while after before since though
although because however meanwhile still also then this that these those there here
it its he she they we i you his her their our my your him them us me who what where
why how which whose whom not no yes monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec according during
despite following ahead early earlier later last next today yesterday like unlike
tomorrow tonight read follow subscribe share related source sources photo image
video first second third finally now instead then still yet thus therefore indeed
sign both all each every most either neither likewise similarly moreover furthermore
nevertheless nonetheless otherwise besides additionally perhaps even
anyone someone somebody nobody everyone everybody anybody just only hours minutes
days weeks months years maybe never can
""")
)

#: Words that open a group or one unnamed among many, never a name ("Some Clinton
#: aides", "Another Lopez fan", "Many Americans").
QUANTIFIERS = frozenset(
    split_words("""
some many several other others another any few most all both each every one two three
four five six seven eight nine ten more
""")
)

#: Personal pronouns that can be the subject of a speech verb.
ALL_PRONOUNS = frozenset({"he", "she", "it", "they", "i", "we", "you"})

#: Words that open an anonymous source ("a source", "two officials").
ANONYMOUS_DETERMINERS = frozenset(
    split_words("""
a an one two three four several some many other another two various unnamed senior
""")
)

#: Heads of an anonymous or collective source: kept as the mention, no name.
ANONYMOUS_HEADS = frozenset(
    split_words("""
source sources official officials aide aides diplomat diplomats expert experts
analyst analysts observer observers critic critics supporter supporters resident
residents witness witnesses insider insiders person people someone spokesman
spokeswoman spokesperson agencies agency media reports report statement letter
article critics voters voter members member lawmakers
hundreds thousands dozens millions
""")
)

#: Common nouns that introduce a named thing, not a person ("the newspaper Rodong
#: Sinmun", "the agency Tass"): a run after one of them is not a person's name.
THING_NOUNS = frozenset(
    split_words("""
newspaper paper daily weekly magazine journal agency channel network station show
program programme series book novel film movie song album play city town village
province region state county district country island river lake mountain street
avenue square airport hotel palace ship company firm group party operation festival
conference summit treaty accord website site app platform brand
""")
)

#: Recordings that show someone speaking: "footage of Ames saying “…”" is Ames's.
RECORDING_NOUNS = frozenset(
    split_words("""
footage video videos clip clips recording recordings audio tape tapes film
""")
)

#: Prepositions after which a name is an object, not a speaker.
PREPOSITIONS = frozenset(
    split_words("""
of to for with by from at in on about against between than into onto over under
toward towards upon without within like via among amid behind beside near through
across around throughout beyond along
""")
)

#: Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    split_words("""
mr mrs ms dr prof sen rep gov gen col lt capt sgt maj adm st jr sr rev hon messrs no del
vs etc inc corp ltd co jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k
d.c e.g i.e a.m p.m
""")
)

#: Lines that news pages leave in scraped text; quotes in them are not news.
BOILERPLATE_PATTERNS = (
    r"(?:prev|next|previous)\b.*",
    r"(?:for latest updates )?follow us\b.*",
    r"leave a (?:reply|comment)\b.*",
    r"subscribe\b.*",
    r"sign up\b.*",
    r"read (?:also|more|the rest)\b.*",
    r"related(?: news| posts| articles)?\s*:?.*",
    r"latest posts\b.*",
    r"share (?:this|on)\b.*",
    r"your email address will not be published\b.*",
    r"(?:click|tap) here\b.*",
    r"(?:advertisement|sponsored)\s*",
    r"source\s*:.*",
    r"published \d.*",
    r"join .{0,40} to follow\b.*",
)
