"""Search over HTTP: filters, sort, paging, cursor, facets, highlights, suggestions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import make_article
from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.store import Store

LONG = (
    "We will build new schools and modern hospitals in every northern province "
    "before the winter arrives"
)
LONG_TRANSLATED = (
    "We shall build modern hospitals and new schools in each northern province "
    "before winter arrives"
)


def _day(d: int) -> datetime:
    return datetime(2024, 6, d, 12, tzinfo=UTC)


@pytest.fixture
def corpus(store: Store) -> Store:
    articles = [
        make_article(
            f"Minister Ada Stone said: “{LONG}.” Critics scoffed.",
            [(LONG, "Ada Stone")],
            url="https://a.example/1",
            title="Schools plan",
            outlet="Daily Planet",
            published=_day(10),
        ),
        make_article(
            f"Ada Stone told reporters: “{LONG_TRANSLATED}.” <b>Bold</b> words.",
            [(LONG_TRANSLATED, "Ada Stone")],
            url="https://b.example/2",
            title="Hospitals pledge",
            outlet="Le Monde Example",
            published=_day(11),
        ),
        make_article(
            "John Kirby said: “We are watching the threats closely.” "
            "He added: “No <script>alert(1)</script> surprises.”",
            [
                ("We are watching the threats closely.", "John Kirby"),
                ("No <script>alert(1)</script> surprises.", "John Kirby"),
            ],
            url="https://a.example/3",
            title="Watching",
            outlet="Daily Planet",
            published=_day(12),
        ),
        make_article(
            "Officials described a “threat to stability” in the region.",
            [("threat to stability", None)],
            url="https://c.example/4",
            title="Region",
            outlet="daily planet",
            published=_day(13),
        ),
    ]
    store.add_articles(articles)
    store.catch_up()
    return store


def _get(client: FlaskClient, query: str) -> dict:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/quotes?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def _texts(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [hit["text"] for hit in body["results"]]


def test_words_are_stemmed_with_phrases_and_operators(client: FlaskClient, corpus: Store) -> None:
    assert len(_texts(_get(client, "q=threat"))) == 2
    assert _texts(_get(client, 'q="threat to stability"')) == ["threat to stability"]
    assert _texts(_get(client, "q=threat -stability")) == ["We are watching the threats closely."]
    assert _texts(_get(client, "q=threat NOT stability")) == _texts(
        _get(client, "q=threat -stability")
    )
    assert len(_texts(_get(client, "q=surprises OR stability"))) == 2
    assert len(_texts(_get(client, "q=hospitls~1"))) == 2
    assert _get(client, "q=-stability")["total"] == 4  # everything but
    assert _get(client, "q=%2Bthreat")["total"] == 2


def test_blank_parameters_are_absent(client: FlaskClient, corpus: Store) -> None:
    assert _get(client, "q=%20&speaker=&outlet=")["total"] == 5


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("q=*", "Wildcards"),
        ("q=threa*", "Wildcards"),
        ("q=te?t", "Wildcards"),
        ("q=speaker:kirby", "Field syntax"),
        ("q=threat~9", "Fuzzy distance"),
        ("q=(threat", "parentheses"),
        ("q=threat)", "parentheses"),
        ('q="threat', "quotation mark"),
        ("q=" + "+".join(["w"] * 51), "more than 50 words"),
        ("q=" + "x" * 1001, "Longer than"),
    ],
)
def test_query_abuse_is_refused_with_a_reason(client: FlaskClient, query: str, words: str) -> None:
    body = assert_problem(client.get(f"/api/v1/quotes?{query}"), 400, "q")
    assert words in body["detail"]


def test_filters_combine(client: FlaskClient, corpus: Store) -> None:
    assert len(_texts(_get(client, "speaker_id=john-kirby"))) == 2
    assert len(_texts(_get(client, "outlet=DAILY%20PLANET"))) == 4
    assert len(_texts(_get(client, "outlet=daily planet&speaker=ada"))) == 1
    assert _get(client, "kind=partial")["total"] == 0
    assert _get(client, "from=2024-06-11&to=2024-06-12")["total"] == 3
    assert _get(client, "to=2024-06-10")["total"] == 1
    assert _get(client, "from=2024-06-12T13:00:00Z")["total"] == 1
    article = _get(client, "speaker=kirby")["results"][0]["article"]["id"]
    assert _get(client, f"article_id={article}")["total"] == 2
    assert_problem(client.get("/api/v1/quotes?from=yesterday"), 400, "from")
    assert_problem(client.get("/api/v1/quotes?from=2024-06-12&to=2024-06-11"), 400, "from")
    assert_problem(client.get("/api/v1/quotes?kind=indirect"), 400, "kind")


def test_sort(client: FlaskClient, corpus: Store) -> None:
    newest = _texts(_get(client, "sort=newest"))
    assert newest[0] == "threat to stability" and newest[-1] == LONG
    assert _texts(_get(client, "sort=oldest")) == newest[::-1]
    assert_problem(client.get("/api/v1/quotes?sort=random"), 400, "sort")


def test_hits_carry_context_highlight_and_article(client: FlaskClient, corpus: Store) -> None:
    [hit] = _get(client, "q=surprises")["results"]
    assert hit["context"] == "He added: “No <script>alert(1)</script> surprises.”"
    assert hit["highlight"] == "No &lt;script&gt;alert(1)&lt;/script&gt; <mark>surprises</mark>."
    assert hit["article"]["title"] == "Watching"
    assert hit["speaker"]["name"] == "John Kirby"
    assert _get(client, "speaker=kirby&page_size=1")["results"][0]["highlight"].startswith(
        "No &lt;"
    )


def test_facets_cover_the_whole_result_set(client: FlaskClient, corpus: Store) -> None:
    facets = _get(client, "page_size=1")["facets"]
    assert facets["speakers"] == [
        {"id": "ada-stone", "name": "Ada Stone", "count": 2},
        {"id": "john-kirby", "name": "John Kirby", "count": 2},
    ]
    assert {o["name"]: o["count"] for o in facets["outlets"]} == {
        "Daily Planet": 3,
        "Le Monde Example": 1,
        "daily planet": 1,
    }
    assert facets["days"] == [
        {"date": f"2024-06-{d}", "count": n} for d, n in ((10, 1), (11, 1), (12, 2), (13, 1))
    ]


def test_same_quote_from_two_outlets_is_one_cluster(client: FlaskClient, corpus: Store) -> None:
    hits = _get(client, "speaker=ada")["results"]
    assert hits[0]["cluster_id"] == hits[1]["cluster_id"]
    assert [a["title"] for a in hits[0]["also_reported_by"]] == ["Schools plan"]
    assert [a["title"] for a in hits[1]["also_reported_by"]] == ["Hospitals pledge"]
    collapsed = _get(client, "speaker=ada&collapse=true")
    assert collapsed["total"] == 1 and len(collapsed["results"]) == 1
    kirby = _get(client, "speaker=kirby")["results"]
    assert kirby[0]["cluster_id"] != kirby[1]["cluster_id"]
    assert kirby[0]["also_reported_by"] == [] and kirby[0]["also_reported_count"] == 0
    assert hits[0]["also_reported_count"] == hits[1]["also_reported_count"] == 1


def test_a_widely_reported_quote_lists_ten_others_and_counts_them_all(
    client: FlaskClient, store: Store
) -> None:
    quote = "The river crossing opens to traffic on Monday morning at last"
    store.add_articles(
        [
            make_article(
                f"Mayor Ida Lund said: “{quote}.”",
                [(quote, "Ida Lund")],
                url=f"https://wire{n}.example/crossing",
                title=f"Crossing {n}",
                outlet=f"Wire {n:02d}",
                published=_day(1 + n),
            )
            for n in range(14)
        ]
    )
    store.catch_up()
    body = _get(client, "q=crossing&sort=oldest&page_size=1")
    assert body["total"] == 14
    hit = body["results"][0]
    assert hit["article"]["title"] == "Crossing 0"
    # the first ten others, oldest first, and how many there are in all
    assert [a["title"] for a in hit["also_reported_by"]] == [f"Crossing {n}" for n in range(1, 11)]
    assert hit["also_reported_count"] == 13
    single = client.get(f"/api/v1/quotes/{hit['id']}").get_json()
    assert single["also_reported_count"] == 13 and len(single["also_reported_by"]) == 10
    # the cluster filter lists every article carrying it
    every = _get(client, f"cluster_id={hit['cluster_id']}&page_size=100")
    assert every["total"] == 14
    assert {h["article"]["title"] for h in every["results"]} == {f"Crossing {n}" for n in range(14)}
    assert _get(client, "cluster_id=nope")["total"] == 0
    assert_problem(client.get("/api/v1/quotes?cluster_id=" + "x" * 65), 400, "cluster_id")


def test_depth_cap_names_the_cap(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/quotes?page=101&page_size=100"), 400, "page")
    assert "10,000" in body["detail"] and "cursor" in body["detail"]
    assert client.get("/api/v1/quotes?page=100&page_size=100").status_code == 200


def test_cursor_walks_everything_once_while_articles_arrive(
    client: FlaskClient, corpus: Store
) -> None:
    seen: list[str] = []
    body = _get(client, "cursor=*&page_size=2")
    assert body["total"] == 5
    while True:
        seen.extend(hit["id"] for hit in body["results"])
        if len(seen) == 2:  # a new article arrives mid-walk
            corpus.add_article(
                make_article("Late said “we arrive late”.", [("we arrive late", "Lou Late")])
            )
            corpus.catch_up()
        if not body["next_cursor"]:
            break
        body = _get(client, f"cursor={body['next_cursor']}&page_size=2")
    assert len(seen) == len(set(seen)) == 5
    assert _get(client, "page_size=100")["total"] == 6
    assert_problem(client.get("/api/v1/quotes?cursor=bogus"), 400, "cursor")
    assert_problem(client.get("/api/v1/quotes?cursor=*&page=2"), 400, "cursor")


def test_did_you_mean(client: FlaskClient, corpus: Store) -> None:
    body = _get(client, "speaker=kriby")
    assert body["total"] == 0
    assert body["suggestions"]["speakers"] == ["John Kirby"]
    body = _get(client, "q=hospitels")
    assert body["total"] == 0 and body["suggestions"]["q"] == "hospitals"
    assert _get(client, "q=hospitals")["suggestions"] is None


def test_one_quote(client: FlaskClient, corpus: Store) -> None:
    hit = _get(client, "speaker=ada&sort=oldest")["results"][0]
    quote = client.get(f"/api/v1/quotes/{hit['id']}").get_json()
    assert quote["text"] == LONG and quote["context"].startswith("Minister Ada Stone said")
    assert [a["title"] for a in quote["also_reported_by"]] == ["Hospitals pledge"]
    assert_problem(client.get("/api/v1/quotes/nope"), 404)


def test_speakers_autocomplete_and_detail(client: FlaskClient, corpus: Store) -> None:
    body = client.get("/api/v1/speakers?q=ki&limit=10").get_json()
    assert [s["name"] for s in body["results"]] == ["John Kirby"]
    assert body["page_size"] == 10
    ada = client.get("/api/v1/speakers/ada-stone").get_json()
    assert ada["quotes"] == 2 and ada["aliases"] == ["Ada Stone"]
    assert {o["name"]: o["count"] for o in ada["outlets"]} == {
        "Daily Planet": 1,
        "Le Monde Example": 1,
    }
    assert ada["timeline"] == [
        {"date": "2024-06-10", "count": 1},
        {"date": "2024-06-11", "count": 1},
    ]
    assert_problem(client.get("/api/v1/speakers/nobody"), 404)
    assert_problem(client.get("/api/v1/speakers?limit=0"), 400, "page_size")


def test_link_header_and_pagination(client: FlaskClient, corpus: Store) -> None:
    response = client.get("/api/v1/quotes?page_size=2&outlet=Daily%20Planet")
    paging = json.loads(response.headers["X-Pagination"])
    assert paging == {
        "total": 4,
        "total_pages": 2,
        "first_page": 1,
        "last_page": 2,
        "page": 1,
        "next_page": 2,
    }
    assert "outlet=Daily+Planet" in response.headers["Link"]
