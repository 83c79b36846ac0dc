"""The search answer's fast paths give exactly what the slow, generic ones give.

Search answers are dumped by hand (``dump_quote_page``, ``dump_quote_hit``) and encoded
with orjson; each answer here is compared, byte for byte, with the marshmallow schema's
dump of the same page encoded by Flask's ``jsonify``. The store reads a window of each
article for the context and keeps speaker names and cluster articles until the next
write; those answers are compared with the whole text and with writes made meanwhile.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import make_article
from flask import Flask, jsonify
from flask.testing import FlaskClient

from quoteapi.schemas import QuoteHitSchema, QuotePageSchema, QuoteSearchArgsSchema
from quoteapi.snippets import CONTEXT_CHARS, sentence_around
from quoteapi.store import Store

SAID = "We will open the northern bridge to traffic before the first snow falls"


@pytest.fixture
def corpus(seeded: Store) -> Store:
    """The seed articles, and articles with every optional field empty or unusual."""
    seeded.add_articles(
        [
            # No url, title, outlet or date; a quote nobody is named for.
            make_article(f"Plans were published. “{SAID}.” Nobody said more.", [(SAID, None)]),
            # The same quote again (one cluster), a date with microseconds, accents.
            make_article(
                f"Mayor Zoë Ñúñez said: “{SAID}.” The council agreed.",
                [(SAID, "Zoë Ñúñez")],
                url="https://news.example/bridge",
                title="Bridge “soon”",
                outlet="Gazette",
                published=datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
            ),
        ]
    )
    seeded.catch_up()
    return seeded


QUERIES = [
    "q=bridge",
    "q=bridge&collapse=true",
    "speaker=kirby",
    "q=ammunition&sort=oldest",
    "sort=newest&page_size=3&page=2",
    "cursor=*&page_size=4",
    "outlet=gazette",
    "q=brigde",  # nothing: suggestions
    "speaker=kirbby",
    "q=zzzzqqq",
]


def _expected_page(app: Flask, store: Store, query: str) -> bytes:
    """What flask-smorest answered before: the schema's dump through Flask's jsonify."""
    with app.test_request_context(f"/api/v1/quotes?{query}"):
        from flask import request

        args = QuoteSearchArgsSchema().load(request.args.to_dict())
        return jsonify(QuotePageSchema().dump(store.search_quotes(**args))).get_data()


def test_search_answers_are_the_schemas_dump_byte_for_byte(
    app: Flask, client: FlaskClient, corpus: Store
) -> None:
    bodies: list[dict[str, Any]] = []
    for query in QUERIES:
        response = client.get(f"/api/v1/quotes?{query}")
        assert response.status_code == 200, response.get_json()
        assert response.content_type == "application/json"
        assert response.get_data() == _expected_page(app, corpus, query), query
        bodies.append(response.get_json())
    hits = [hit for body in bodies for hit in body["results"]]
    # The comparison covered every kind of value the answer can hold.
    assert any(hit["also_reported_by"] for hit in hits)
    assert any(hit["speaker"]["name"] is None for hit in hits)
    assert any(hit["article"]["published"] is None for hit in hits)
    assert any(hit["article"]["url"] is None for hit in hits)
    assert any("<mark>" in hit["highlight"] for hit in hits)
    assert any(not hit["text"].isascii() or not hit["context"].isascii() for hit in hits)
    assert any(body["suggestions"] and body["suggestions"]["q"] for body in bodies)
    assert any(body["suggestions"] and body["suggestions"]["speakers"] for body in bodies)
    assert any(body["next_cursor"] for body in bodies)
    assert any(".123456+00:00" in str(hit["article"]) for hit in hits)


def test_one_quote_is_the_schemas_dump_byte_for_byte(
    app: Flask, client: FlaskClient, corpus: Store
) -> None:
    ids = [hit["id"] for hit in corpus.search_quotes(page_size=100).results]
    assert len(ids) > 10
    for qid in ids:
        response = client.get(f"/api/v1/quotes/{qid}")
        assert response.status_code == 200
        with app.app_context():
            expected = jsonify(QuoteHitSchema().dump(corpus.get_quote(qid))).get_data()
        assert response.get_data() == expected


TEXT = (
    "First sentence here. “Quoted at the start,” she said! Then (a note.) "
    "And “another one?” he asked.\nA new line: “last words”"
)


@pytest.mark.parametrize("words", ["First", "Quoted at the start,", "another one?", "last words"])
@pytest.mark.parametrize("padding", [0, 5, CONTEXT_CHARS - 3, CONTEXT_CHARS, CONTEXT_CHARS + 7])
def test_context_from_a_window_is_the_context_from_the_whole_text(words: str, padding: int) -> None:
    text = "x. " * padding + TEXT + " y." * padding
    start = text.index(words)
    end = start + len(words)
    left = max(start - CONTEXT_CHARS, 0)
    window = text[left : end + CONTEXT_CHARS]
    assert sentence_around(window, start - left, end - left) == sentence_around(text, start, end)


def _facet_names(store: Store, **search: Any) -> dict[str, str]:
    return {f["id"]: f["name"] for f in store.search_quotes(**search).facets["speakers"]}


def test_answers_follow_writes_made_after_a_search(store: Store) -> None:
    first = make_article(f"Jo Ames said: “{SAID}.”", [(SAID, "Jo Ames")], url="https://a.example/1")
    store.add_articles([first])
    store.catch_up()
    [hit] = store.search_quotes(q="bridge").results
    assert hit["also_reported_by"] == []
    assert _facet_names(store, q="bridge") == {"jo-ames": "Jo Ames"}

    # The same quote elsewhere, from a speaker spelled another way, twice.
    store.add_articles(
        [
            make_article(f"JO AMES said: “{SAID}.”", [(SAID, "JO AMES")], url=f"https://b/{n}")
            for n in range(2)
        ]
    )
    store.catch_up()
    hits = store.search_quotes(q="bridge").results
    assert len(hits) == 3
    assert all(len(hit["also_reported_by"]) == 2 for hit in hits)
    assert _facet_names(store, q="bridge") == {"jo-ames": "JO AMES"}

    store.delete_article(hits[0]["article"]["id"])
    store.catch_up()
    assert all(len(hit["also_reported_by"]) == 1 for hit in store.search_quotes(q="bridge").results)


def test_answers_are_the_same_when_the_read_cache_starts_over(
    corpus: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = [{"q": "bridge"}, {"speaker": "kirby"}, {"page_size": 50}]
    before = [corpus.search_quotes(**query) for query in queries]
    monkeypatch.setattr("quoteapi.store._ReadCache.MAX_ARTICLES", 1)
    assert [corpus.search_quotes(**query) for query in queries] == before
    assert [corpus.search_quotes(**query) for query in queries] == before
