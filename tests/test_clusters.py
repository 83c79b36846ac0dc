"""Clusters: content words, MinHash bands, and the same clusters from a bulk run's lookup."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import ROOT, make_article

from quoteapi.clusters import BANDS, MIN_TERMS, band_keys, content_terms, same_quote
from quoteapi.ingest import prepare_article
from quoteapi.schemas import ArticleInSchema
from quoteapi.store import NewArticle, Store

sys.path.insert(0, str(ROOT / "benchmarks"))

import synth


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("The rulings were CHANGED by the courts", {"ruling", "chang", "court"}),
        # Function words and words of two letters or fewer say nothing.
        ("It is what it is, as we go on", set()),
        # An apostrophe inside a word keeps it whole; a trailing one is not part of it.
        ("Citizens’ rights aren’t negotiable", {"citizen", "right", "aren’t", "negotiable"}),
        ("Straße and STRASSE are one word", {"strasse", "one", "word"}),
        ("Mid-2024: 300 talks", {"mid", "talk"}),
        # Stems keep four letters at least: "sings" is not "s".
        ("sings swings meetings", {"sing", "swing", "meet"}),
    ],
)
def test_content_terms(text: str, terms: set[str]) -> None:
    assert content_terms(text) == terms


def test_band_keys_need_enough_terms_and_ignore_order() -> None:
    few = content_terms("alpha bravo charlie delta")
    assert len(few) == MIN_TERMS - 1 and band_keys(few) == []
    terms = content_terms("alpha bravo charlie delta echo foxtrot")
    keys = band_keys(terms)
    assert [key.split(":")[0] for key in keys] == [str(band) for band in range(BANDS)]
    assert band_keys(frozenset(sorted(terms, reverse=True))) == keys
    assert band_keys(content_terms("alpha bravo charlie delta echo golf")) != keys


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            "alternative trade mechanisms remain open",
            "alternative mechanisms of trade remain open",
            True,
        ),
        # Containment: the one-sentence quote is part of the two-sentence one.
        (
            "new sanctions cannot stop grain exports from northern ports",
            "new sanctions cannot stop grain exports from northern ports. Partners stay partners",
            True,
        ),
        (
            "new sanctions cannot stop grain exports from northern ports",
            "new sanctions will hurt farmers in southern valleys",
            False,
        ),
        # Under five content words nothing clusters.
        ("lonely bromance indeed", "lonely bromance indeed", False),
    ],
)
def test_same_quote(a: str, b: str, same: bool) -> None:
    assert same_quote(content_terms(a), content_terms(b)) is same


def _clusters(store: Store) -> dict[str, str]:
    rows = store.record.connection().execute("SELECT id, cluster_id FROM quotes")
    return {row["id"]: row["cluster_id"] for row in rows}


def _write(store: Store, batches: Iterable[list[NewArticle]], bulk: bool) -> dict[str, str]:
    if bulk:
        with store.record.bulk_writes():
            for batch in batches:
                store.add_articles(batch)
    else:
        for batch in batches:
            store.add_articles(batch)
    return _clusters(store)


def test_bulk_writes_find_the_clusters_sql_finds(tmp_path: Path) -> None:
    schema = ArticleInSchema()
    articles = [prepare_article(schema.load(item)) for item in synth.articles(300, seed=3)]
    # Replaced in a later batch (same url, other words), and twice in one batch.
    replaced = dataclasses.replace(articles[260], url=articles[130].url)
    batches = [articles[i : i + 40] for i in range(100, 300, 40)]
    batches[2].append(replaced)
    batches[3] += [articles[150], articles[150]]
    found = {}
    for bulk in (False, True):
        store = Store(tmp_path / f"bulk-{bulk}")
        store.add_articles(articles[:100])  # a record that holds quotes already
        found[bulk] = _write(store, batches, bulk)
        store.close()
    assert found[True] == found[False]
    sizes = Counter(found[True].values())
    assert sum(1 for n in sizes.values() if n > 1) >= 10  # quotes did cluster


def test_bulk_writes_see_what_other_writers_wrote(tmp_path: Path) -> None:
    words = "Ports will reopen to grain shipments after the spring floods recede"
    store, other = Store(tmp_path / "data"), Store(tmp_path / "data")
    with store.record.bulk_writes():
        store.add_article(make_article("Filler said “nothing to see here today”.", []))
        first = other.add_article(make_article(f"Ann Ray said “{words}”.", [(words, "Ann Ray")]))
        later = store.add_article(make_article(f"Ray added: “{words}”.", [(words, "Ray")]))
    clusters = {row["article"]: row["cluster"] for row in _quote_clusters(store)}
    assert clusters[later] == clusters[first]
    store.close()
    other.close()


def test_bulk_writes_forget_what_a_rollback_undid(tmp_path: Path) -> None:
    words = "Ports will reopen to grain shipments after the spring floods recede"
    store = Store(tmp_path / "data")
    with store.record.bulk_writes():
        undone = make_article(f"Ann Ray said “{words}”.", [(words, "Ann Ray")])
        # The same span twice: the same quote id, refused by SQLite mid-transaction.
        broken = make_article("Bo Sun said “we wait”.", [("we wait", "Bo Sun")] * 2)
        with pytest.raises(sqlite3.IntegrityError):
            store.add_articles([undone, broken])
        kept = store.add_article(make_article(f"Ray added: “{words}”.", [(words, "Ray")]))
    rows = _quote_clusters(store)
    assert [row["article"] for row in rows] == [kept]
    assert rows[0]["cluster"] == rows[0]["id"]  # no cluster of a quote that is not there
    store.close()


def _quote_clusters(store: Store) -> list[dict[str, str]]:
    rows = store.record.connection().execute("SELECT id, article_id, cluster_id FROM quotes")
    return [
        {"id": row["id"], "article": row["article_id"], "cluster": row["cluster_id"]}
        for row in rows
    ]
