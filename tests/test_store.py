"""The store over a real SQLite database and a real Whoosh index."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from conftest import make_article

from quoteapi.store import Store, quote_id, speaker_id

TEXT = (
    "Prime Minister Ana Lopes said the budget was “a plan for growth and fair taxes” on Monday. "
    "Kim Jong-un wrote that ties were “stronger than steel”. "
    "Officials called it “a rocky start”."
)
SAID = [
    ("a plan for growth and fair taxes", "Ana Lopes"),
    ("stronger than steel", "Kim Jong-un"),
    ("a rocky start", None),
]


def test_write_then_read_back(store: Store) -> None:
    aid = store.add_article(make_article(TEXT, SAID, url="https://example.com/a", title="Budget",
                                         outlet="Example", published=datetime(2024, 6, 18, tzinfo=UTC)))
    article = store.get_article(aid)
    assert article is not None
    assert article["title"] == "Budget" and article["outlet"] == "Example"
    assert article["published"] == datetime(2024, 6, 18, tzinfo=UTC)
    assert [q["text"] for q in article["quotes"]] == [w for w, _ in SAID]
    for q in article["quotes"]:
        assert TEXT[q["start"] : q["end"]] == q["text"]
    assert article["quotes"][1]["speaker"]["id"] == "kim-jong-un"
    assert store.get_article("nope") is None


def test_reingesting_replaces_never_duplicates(store: Store) -> None:
    first = store.add_article(make_article(TEXT, SAID, url="https://example.com/a"))
    again = store.add_article(make_article(TEXT, SAID[:1], url="https://example.com/a"))
    by_text = store.add_article(make_article(TEXT, SAID))
    by_text_again = store.add_article(make_article(TEXT, SAID))
    assert first == again and by_text == by_text_again and first != by_text
    store.catch_up()
    health = store.health()
    assert health["articles"] == 2
    assert health["quotes"] == 1 + 3
    assert health["indexed_quotes"] == 4 and health["index_lag"] == 0
    assert store.search_quotes(q="growth").total == 2


def test_ids_are_stable(tmp_path: Path) -> None:
    ids = []
    for name in ("one", "two"):
        s = Store(tmp_path / name)
        aid = s.add_article(make_article(TEXT, SAID, url="https://example.com/a"))
        ids.append((aid, [q["id"] for q in s.get_article(aid)["quotes"]]))  # type: ignore[index]
        s.close()
    assert ids[0] == ids[1]
    assert ids[0][1][0] == quote_id(ids[0][0], TEXT.index(SAID[0][0]), TEXT.index(SAID[0][0]) + 32)


def test_search_by_words_is_stemmed_and_by_speaker_folds_names(store: Store) -> None:
    store.add_article(make_article(TEXT, SAID))
    store.catch_up()
    assert [h["text"] for h in store.search_quotes(q="taxing").results] == [SAID[0][0]]
    assert store.search_quotes(q='"fair taxes"').total == 1
    assert store.search_quotes(q='"taxes fair"').total == 0
    for name in ("kim jong un", "KIM JONG-UN", "jong", "Kim Jong Un"):
        hits = store.search_quotes(speaker=name).results
        assert [h["speaker"]["name"] for h in hits] == ["Kim Jong-un"], name
    assert store.search_quotes(speaker="lopes", q="steel").total == 0
    assert store.search_quotes(speaker="...").total == 0
    hit = store.search_quotes(q="steel").results[0]
    assert hit["article"]["id"] and TEXT[hit["start"] : hit["end"]] == hit["text"]


def test_search_pages_newest_first(store: Store) -> None:
    for i in range(7):
        text = f"Story {i}: the mayor said “we will fix road number {i}”."
        store.add_article(make_article(text, [(f"we will fix road number {i}", "Mayor Pat Doe")]))
    store.catch_up()
    first = store.search_quotes(page=1, page_size=3)
    assert first.total == 7
    assert [h["text"][-1] for h in first.results] == ["6", "5", "4"]
    last = store.search_quotes(page=3, page_size=3)
    assert [h["text"][-1] for h in last.results] == ["0"]
    assert store.search_quotes(page=4, page_size=3).results == []


def test_speakers_most_quoted_first(store: Store) -> None:
    store.add_article(make_article(TEXT, SAID))
    store.add_article(make_article("Kim Jong Un said “yes” and “no”.",
                                   [("yes", "Kim Jong Un"), ("no", "Kim Jong Un")]))
    page = store.list_speakers()
    assert page.total == 2
    kim = page.results[0]
    assert (kim["id"], kim["name"], kim["type"], kim["quotes"]) == (
        "kim-jong-un", "Kim Jong Un", "person", 3)
    assert kim["aliases"] == ["Kim Jong Un", "Kim Jong-un"]
    assert page.results[1]["id"] == speaker_id("Ana Lopes")
    assert [s["name"] for s in store.list_speakers(q="jong").results] == ["Kim Jong Un"]
    assert [s["name"] for s in store.list_speakers(q="lo").results] == ["Ana Lopes"]
    assert store.list_speakers(q="opes").total == 0


def test_catch_up_batches_and_is_idempotent(tmp_path: Path) -> None:
    s = Store(tmp_path / "d", batch_size=2)
    for i in range(5):
        s.add_article(make_article(f"He said “point {i}”.", [(f"point {i}", "Al Roe")]))
    assert s.health()["index_lag"] == 5
    assert s.catch_up() == 5
    assert s.catch_up() == 0
    # Losing the remembered position (a crash between commit and its note) replays safely.
    (tmp_path / "d" / "index" / "quoteapi-indexed-seq").unlink()
    assert s.catch_up() == 5
    assert s.health()["indexed_quotes"] == 5
    s.close()


def test_background_indexer_follows_writes(tmp_path: Path) -> None:
    s = Store(tmp_path / "d")
    s.start_indexer(interval=0.05)
    s.add_article(make_article("She said “all clear”.", [("all clear", "Bo Li")]))
    deadline = time.monotonic() + 10
    while s.search_quotes(q="clear").total == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert s.search_quotes(q="clear").total == 1
    s.close()


def test_wait_indexed(tmp_path: Path) -> None:
    s = Store(tmp_path / "d")
    s.add_article(make_article("She said “all clear”.", [("all clear", "Bo Li")]))
    assert s.wait_indexed(timeout=5)
    assert s.search_quotes(q="clear").total == 1
    s.close()
