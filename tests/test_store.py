"""The store over a real SQLite database and a real Whoosh index."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_article

from quoteapi.extract import Quote, Speaker
from quoteapi.store import NewArticle, RebuildError, Store, indexer, quote_id, speaker_id
from quoteapi.store.index import MERGE_FACTOR

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
    aid = store.add_article(
        make_article(
            TEXT,
            SAID,
            url="https://example.com/a",
            title="Budget",
            outlet="Example",
            published=datetime(2024, 6, 18, tzinfo=UTC),
        )
    )
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
    store.add_article(
        make_article(
            "Kim Jong Un said “yes” and “no”.", [("yes", "Kim Jong Un"), ("no", "Kim Jong Un")]
        )
    )
    page = store.list_speakers()
    assert page.total == 2
    kim = page.results[0]
    assert (kim["id"], kim["name"], kim["type"], kim["quotes"]) == (
        "kim-jong-un",
        "Kim Jong Un",
        "person",
        3,
    )
    assert kim["aliases"] == ["Kim Jong Un", "Kim Jong-un"]
    assert page.results[1]["id"] == speaker_id("Ana Lopes")
    assert [s["name"] for s in store.list_speakers(q="jong").results] == ["Kim Jong Un"]
    assert [s["name"] for s in store.list_speakers(q="lo").results] == ["Ana Lopes"]
    assert store.list_speakers(q="opes").total == 0


def test_a_speakers_titles_and_aliases_differing_in_case_count_as_one(store: Store) -> None:
    said = [
        ("Russian president", "Putin"),
        ("Russian president", "he"),
        ("Russian President", "PUTIN"),
        ("Russian leader", "Putin"),
    ]
    for n, (title, mention) in enumerate(said):
        text = f"The {title}, Vladimir Putin, said “point {n}”."
        quote = Quote(
            f"point {n}",
            text.index("point"),
            text.index("point") + len(f"point {n}"),
            Speaker(name="Vladimir Putin", title=title, type="person", mention=mention),
            "said",
            "direct",
            0.9,
        )
        store.add_article(NewArticle(text=text, quotes=[quote]))
    speaker = store.get_speaker(speaker_id("Vladimir Putin"))
    assert speaker is not None
    assert speaker["titles"] == [
        {"title": "Russian president", "count": 3},
        {"title": "Russian leader", "count": 1},
    ]
    assert speaker["title"] == "Russian president"
    assert speaker["aliases"] == ["Putin"]


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


def test_commits_merge_a_tier_when_it_fills_never_the_whole_index(tmp_path: Path) -> None:
    s = Store(tmp_path / "d", batch_size=1)
    sizes = []
    for i in range(80):
        s.add_article(make_article(f"He said “point {i}”.", [(f"point {i}", "Al Roe")]))
        s.catch_up()
        sizes.append(sorted(seg.doc_count() for seg in s.index.ix._segments()))
    # One commit a quote: the ninth commit folds eight one-document segments into its
    # own, and the 72nd folds eight of those; the big segment then stays as it is while
    # small ones come and merge beside it.
    assert sizes[7] == [1] * 8 and sizes[8] == [9]
    assert sizes[70] == [1] * 8 + [9] * 7 and sizes[71] == [72]
    assert sizes[79] == [1] * 8 + [72]
    assert max(len(segs) for segs in sizes) == 2 * (MERGE_FACTOR - 1) + 1
    assert s.search_quotes(q="point").total == 80
    # Deleting most of a segment's documents merges it away on the next commit.
    for n in range(40):
        s.delete_article(s.search_quotes(q=f'"point {n}"').results[0]["article"]["id"])
    s.catch_up()
    assert s.search_quotes(q="point").total == 40
    assert all(seg.deleted_count() * 2 <= seg.doc_count_all() for seg in s.index.ix._segments())
    s.close()


def test_indexer_process_catches_up_until_its_parent_is_gone(tmp_path: Path) -> None:
    s = Store(tmp_path / "d")
    s.add_article(make_article("She said “all clear”.", [("all clear", "Bo Li")]))
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1.5)"])
    started = time.monotonic()
    # Here, in this process's main thread; a served instance runs it as its own process.
    assert indexer.main([str(tmp_path / "d"), "--interval=0.05", f"--parent={parent.pid}"]) == 0
    assert time.monotonic() - started < 10
    assert parent.poll() is not None
    assert s.search_quotes(q="clear").total == 1
    s.close()


def test_indexer_process_stops_on_signals_however_they_fall(tmp_path: Path) -> None:
    Store(tmp_path / "d").close()
    for _ in range(3):
        args = ["-m", "quoteapi.store.indexer", str(tmp_path / "d"), "--interval=0.001"]
        proc = subprocess.Popen([sys.executable, *args])
        # Looping once its record is open (the handlers come just before): most of its
        # time is then spent waiting on an Event.
        fds = Path(f"/proc/{proc.pid}/fd")
        deadline = time.monotonic() + 30
        while not any(f.resolve().name == "quotes.sqlite3" for f in fds.iterdir()):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        time.sleep(0.2)
        # A burst of signals, as a second `kill` or a supervisor's retries give.
        for _ in range(30):
            proc.send_signal(signal.SIGTERM)
            time.sleep(0.0005)
        try:
            # Stopped, not stuck: 0, or SIGTERM's own if the last signals came during exit.
            assert proc.wait(timeout=10) in (0, -signal.SIGTERM)
        finally:
            proc.kill()


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


def _index_dirs(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if p.is_dir() and p.name.startswith("index"))


def test_rebuild_swaps_a_new_index_in_and_other_stores_follow(tmp_path: Path) -> None:
    writer, reader = Store(tmp_path / "d"), Store(tmp_path / "d")
    for i in range(5):
        writer.add_article(make_article(f"He said “point {i}”.", [(f"point {i}", "Al Roe")]))
    writer.catch_up()
    assert reader.search_quotes(q="point").total == 5
    rebuilt = writer.rebuild_index()
    assert (rebuilt.path.name, rebuilt.articles, rebuilt.indexed_seq) == ("index-1", 5, 5)
    # The other store (another worker) follows the pointer on its next search.
    assert reader.search_quotes(q="point").total == 5
    assert reader.index.path == rebuilt.path and writer.index.path == rebuilt.path
    # Its indexer writes to the new index from the new index's position.
    reader.add_article(make_article("She said “after the swap”.", [("after the swap", "Bo Li")]))
    assert reader.catch_up() == 1
    assert writer.search_quotes(q="swap").total == 1
    assert writer.health()["index_lag"] == 0
    # The replaced index is kept one rebuild (a search may still read it), then deleted.
    assert _index_dirs(tmp_path / "d") == ["index", "index-1"]
    assert writer.rebuild_index().removed == [tmp_path / "d" / "index"]
    assert _index_dirs(tmp_path / "d") == ["index-1", "index-2"]
    assert reader.search_quotes(q="point OR swap").total == 6
    writer.close()
    reader.close()


def test_rebuild_keeps_changes_made_while_it_runs(tmp_path: Path) -> None:
    s, other = Store(tmp_path / "d", batch_size=3), Store(tmp_path / "d")
    for i in range(10):
        s.add_article(make_article(f"He said “early {i}”.", [(f"early {i}", "Al Roe")]))
    s.catch_up()
    victim = s.add_article(make_article("She said “doomed words”.", [("doomed words", "Bo Li")]))

    def meanwhile(done: int, total: int) -> None:
        # Another process writes, deletes and indexes into the old index mid-rebuild.
        other.add_article(make_article(f"It said “during {done}”.", [(f"during {done}", "Cy")]))
        if done == 3:
            other.delete_article(victim)
        other.catch_up()

    s.rebuild_index(on_progress=meanwhile, batch=3)
    other.add_article(make_article("It said “after all”.", [("after all", "Cy")]))
    assert other.wait_indexed(timeout=10)
    assert s.search_quotes(q="early").total == 10
    assert s.search_quotes(q="during").total == 4  # progress was reported after 4 batches
    assert s.search_quotes(q="doomed").total == 0
    assert s.search_quotes(q="after").total == 1
    assert s.health()["indexed_quotes"] == s.health()["quotes"] == 15
    s.close()
    other.close()


def test_a_second_rebuild_at_once_is_refused(tmp_path: Path) -> None:
    s = Store(tmp_path / "d")
    s.add_article(make_article("He said “one”.", [("one", "Al Roe")]))
    other = Store(tmp_path / "d")

    def race(done: int, total: int) -> None:
        with pytest.raises(RebuildError, match="Another `quoteapi reindex` is running"):
            other.rebuild_index()

    s.rebuild_index(on_progress=race)
    assert _index_dirs(tmp_path / "d") == ["index", "index-1"]
    s.close()
    other.close()


def test_reextract_rewrites_quotes_through_the_write_path(tmp_path: Path) -> None:
    s = Store(tmp_path / "d")
    published = datetime(2024, 6, 18, tzinfo=UTC)
    aid = s.add_article(
        make_article(
            "Jo said “old words” and “new words”.",
            [("old words", "Jo Ames")],
            url="https://ex.am/1",
            title="T",
            outlet="O",
            published=published,
        )
    )
    kept = s.add_article(make_article("Cy said “mine”.", [("mine", "Cy")]))
    before = s.get_article(aid)
    seq = s.record.last_seq()

    def extract(text: str) -> list[Quote]:
        if "mine" in text:  # replaced by a client while its quotes were being extracted
            s.add_article(make_article("Cy said “mine”.", [("mine", "Cy Two")]))
        start = text.find("new words")
        return (
            []
            if start < 0
            else [
                Quote(
                    "new words",
                    start,
                    start + 9,
                    Speaker("Jo Ames", None, "person", "Jo"),
                    "said",
                    "direct",
                    0.9,
                )
            ]
        )

    assert s.reextract(extract) == 2
    after = s.get_article(aid)
    assert after is not None and before is not None
    assert [q["text"] for q in after["quotes"]] == ["new words"]
    assert {
        k: after[k] for k in ("title", "url", "outlet", "published", "ingested_at", "text")
    } == {k: before[k] for k in ("title", "url", "outlet", "published", "ingested_at", "text")}
    assert s.record.last_seq() == seq + 2  # one change each: the rewrite and the client's
    assert s.get_article(kept)["quotes"][0]["speaker"]["name"] == "Cy Two"  # type: ignore[index]
    s.catch_up()
    assert s.search_quotes(q="new").total == 1 and s.search_quotes(q="old").total == 0
    s.close()


def test_wait_for_articles(tmp_path: Path) -> None:
    s = Store(tmp_path / "d")
    aid = s.add_article(make_article("She said “all clear”.", [("all clear", "Bo Li")]))
    held = s.index.writer(0)  # another process holds the index: the wait runs out
    assert not s.wait_articles_indexed([aid], timeout=0.2)
    held.cancel()
    assert s.wait_articles_indexed([aid], timeout=5)
    assert s.wait_articles_indexed(["no-such-article"], timeout=0)
    s.close()
