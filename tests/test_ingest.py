"""Bulk ingest: the record first, the index beside it in another process, nothing lost."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from multiprocessing import resource_tracker
from pathlib import Path

import pytest
from conftest import ROOT

from quoteapi.ingest import bulk_writer_settings, indexing_alongside, prepare_article
from quoteapi.schemas import ArticleInSchema
from quoteapi.store import NewArticle, Store

sys.path.insert(0, str(ROOT / "benchmarks"))

import synth


def _articles(count: int, seed: int) -> list[NewArticle]:
    schema = ArticleInSchema()
    return [prepare_article(schema.load(item)) for item in synth.articles(count, seed=seed)]


def _indexed(store: Store) -> list[str]:
    """The quote id of every document in the index (duplicates included)."""
    with store.index.ix.searcher() as searcher:
        return [fields["id"] for fields in searcher.all_stored_fields()]


def _quote_ids(store: Store) -> list[str]:
    return [row[0] for row in store.record.connection().execute("SELECT id FROM quotes")]


def _own_processes() -> set[int]:
    """Processes of this process group other than this one and its ancestors."""
    resource_tracker.ensure_running()  # started with the first spawn; it stays: count it now
    ancestors, pid = set(), os.getpid()
    while pid > 1:
        ancestors.add(pid)
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    group = os.getpgid(0)
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in ancestors:
            try:
                if os.getpgid(int(entry.name)) == group:
                    found.add(int(entry.name))
            except ProcessLookupError:
                continue
    return found


def test_ingest_indexes_every_stored_quote_once(tmp_path: Path) -> None:
    articles = _articles(60, seed=4)
    # The same article again in a later batch, with other quotes: replaced, not doubled.
    again = dataclasses.replace(articles[5], quotes=articles[5].quotes[:2])
    store = Store(tmp_path / "data", batch_size=10)
    with indexing_alongside(store):
        for i in range(0, len(articles), 20):
            store.add_articles(articles[i : i + 20])
        store.add_articles([again])
    assert store.index.indexed_seq() == store.record.last_seq()
    indexed = _indexed(store)
    assert sorted(indexed) == sorted(_quote_ids(store))
    assert len(indexed) == sum(len(a.quotes) for a in articles) - len(articles[5].quotes) + 2
    store.close()


def test_a_failed_ingest_keeps_what_it_wrote_and_stops_indexing(tmp_path: Path) -> None:
    articles = _articles(40, seed=5)
    before = _own_processes()
    store = Store(tmp_path / "data")
    with pytest.raises(RuntimeError, match="reading failed"), indexing_alongside(store):
        store.add_articles(articles[:20])
        store.add_articles(articles[20:])
        # Fail once the indexing process and its writer processes are at work.
        started = 1 + bulk_writer_settings().get("procs", 0)
        deadline = time.monotonic() + 60
        while len(_own_processes() - before) < started and time.monotonic() < deadline:
            time.sleep(0.05)
        raise RuntimeError("reading failed")
    assert _own_processes() <= before  # the indexing process and its writers are gone
    assert len(_quote_ids(store)) == sum(len(a.quotes) for a in articles)
    store.catch_up(timeout=5.0)
    assert sorted(_indexed(store)) == sorted(_quote_ids(store))
    store.close()
