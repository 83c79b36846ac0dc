"""The store: the record (SQLite) and the index (Whoosh) behind plain functions.

This package is the only code that imports either engine. Callers hand it articles and
quotes as plain values and get plain dicts back.

Writing an article commits it to SQLite (durable when the call returns); the index
follows: :meth:`Store.catch_up` brings it up to the record's last change in batches,
one Whoosh commit per batch. A background thread per process calls it when the record
moves on; whichever process holds the Whoosh write lock does the work.

:meth:`Store.rebuild_index` builds a new index directory from the record while the old
one keeps serving, then swaps it in by replacing a pointer file; every process's store
notices the pointer moved on its next use of the index and reopens (see
:mod:`quoteapi.store.index`).
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.index import LockError

if TYPE_CHECKING:
    from flask import Flask

from quoteapi.extract import Quote, fold_name
from quoteapi.snippets import CONTEXT_CHARS, sentence_around
from quoteapi.store.index import (
    Index,
    QueryError,
    Search,
    SearchTimeout,
    check_query,
    current_index_dir,
    next_index_dir,
    point_index,
    pointer_stamp,
    stale_index_dirs,
)
from quoteapi.store.record import Record

log = logging.getLogger(__name__)

__all__ = [
    "CursorError",
    "NewArticle",
    "Page",
    "QueryError",
    "QuotePage",
    "RebuildError",
    "Search",
    "SearchTimeout",
    "Store",
    "check_query",
    "decode_cursor",
    "get_store",
    "init_app",
]

EXTENSION = "quoteapi.store"
# Mentions that are not names for the speaker anywhere else: not shown as aliases.
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "its", "their"})


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article as submitted, with the quotes extracted from it."""

    text: str
    quotes: Sequence[Quote]
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    ingested_at: datetime | None = None  # None: now


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    page: int
    page_size: int
    results: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class QuotePage(Page):
    facets: dict[str, list[dict[str, Any]]]
    suggestions: dict[str, Any] | None = None
    next_cursor: str | None = None


class CursorError(ValueError):
    """A cursor this store did not hand out."""


class RebuildError(RuntimeError):
    """The index cannot be rebuilt now; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What :meth:`Store.rebuild_index` did."""

    path: Path
    articles: int
    indexed_seq: int
    removed: list[Path]


Progress = Callable[[int, int], None]  # (done, total)
_REBUILD_LOCK = "reindex.lock"
# Held by the one indexer process of a data directory (Store.start_indexer(process=True)).
INDEXER_LOCK = "indexer.lock"
# Seconds without a change after which the indexer merges the index's big segments.
IDLE_MERGE_AFTER = 2.0


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (released when the process dies, too)."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildError(
                "Another `quoteapi reindex` is running on this data directory; "
                "wait for it to finish."
            ) from None
        yield
    finally:
        os.close(fd)


_MAX_ORDER = 2**63 - 1  # the index's order field is a signed 64-bit number


def _encode_cursor(until: int, after: int) -> str:
    return base64.urlsafe_b64encode(f"v1.{until}.{after}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int | None]:
    """(until, after) of a cursor; "*" starts a walk at the beginning."""
    if cursor == "*":
        return -1, None
    try:
        version, until, after = (
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(".")
        )
        if version != "v1":
            raise ValueError(version)
        until_order, after_order = int(until), int(after)
        if not (0 <= until_order < _MAX_ORDER and -1 <= after_order < _MAX_ORDER):
            raise ValueError(cursor)
        return until_order, after_order
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise CursorError(
            "The cursor is not one this API handed out; start again with cursor=*."
        ) from None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def article_id(text: str, url: str | None) -> str:
    """The article's stable id: from its url, or from its text when it has none."""
    return _digest("url", url) if url else _digest("text", text)


def quote_id(article: str, start: int, end: int) -> str:
    """The quote's stable id: the same article and span give the same id."""
    return _digest(article, str(start), str(end))


def speaker_id(name: str) -> str:
    """A speaker's id: the folded name as a slug ("Kim Jong-un" -> "kim-jong-un")."""
    return fold_name(name).replace(" ", "-")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()


def _published(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def _by_casefold(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Counted values (rows of ``value``, ``n``, most frequent first) with the ones that
    differ only in case counted as one ("Russian President" and "Russian president"),
    spelled as most often; as ``title``, ``count``, most frequent first."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["value"].casefold()
        if key in merged:
            merged[key]["count"] += row["n"]
        else:
            merged[key] = {"title": row["value"], "count": row["n"]}
    return sorted(merged.values(), key=lambda item: -item["count"])


def _quote_row(article: str, position: int, quote: Quote) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "id": quote_id(article, quote.start, quote.end),
        "article_id": article,
        "span_start": quote.start,
        "span_end": quote.end,
        "text": quote.text,
        "speaker_name": speaker.name,
        "speaker_id": speaker_id(speaker.name) if speaker.name else None,
        "speaker_title": speaker.title,
        "speaker_type": speaker.type,
        "speaker_mention": speaker.mention,
        "cue": quote.cue,
        "kind": quote.kind,
        "confidence": quote.confidence,
        "position": position,
    }


def _quote_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "text": row["text"],
        "start": row["span_start"],
        "end": row["span_end"],
        "speaker": {
            "id": row["speaker_id"],
            "name": row["speaker_name"],
            "title": row["speaker_title"],
            "type": row["speaker_type"],
            "mention": row["speaker_mention"],
        },
        "cue": row["cue"],
        "kind": row["kind"],
        "confidence": row["confidence"],
        "cluster_id": row["cluster_id"],
    }


def _article_ref(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "url": row["url"],
        "outlet": row["outlet"],
        "published": _published(row["published"]),
    }


def _article_of_quote(row: Any) -> dict[str, Any]:
    """The article fields of a quote row joined with its article."""
    return {
        "id": row["article_id"],
        "title": row["article_title"],
        "url": row["article_url"],
        "outlet": row["article_outlet"],
        "published": _published(row["article_published"]),
    }


# A hit lists at most this many of the other articles carrying its quote, and counts
# them all: a quote syndicated to thousands of articles would otherwise make a page
# megabytes long. The ``cluster_id`` filter lists every one.
ALSO_REPORTED = 10


class _ReadCache:
    """What searches read over and over from the record, as of one change of it.

    A speaker's name in the facets is their most frequent spelling, counted over all
    their quotes, and a hit's other reports are its cluster's first articles and their
    count: a few milliseconds of SQL a page, and the same most-quoted speakers and big
    clusters come back search after search. Every write adds a change, so a cache is good
    for exactly one sequence number of the record; the store starts a new one when that
    moves.
    """

    # Past either, start over: articles (a few hundred bytes each; one entry however many
    # clusters hold it) and clusters (a count and up to ALSO_REPORTED + 1 pointers each).
    MAX_ARTICLES = 100_000
    MAX_CLUSTERS = 100_000

    def __init__(self, seq: int) -> None:
        self.seq = seq
        self.names: dict[str, str] = {}
        self.reports: dict[str, tuple[int, list[dict[str, Any]]]] = {}
        self.articles: dict[str, dict[str, Any]] = {}

    def speaker_names(self, record: Record, speaker_ids: Sequence[str]) -> dict[str, str]:
        missing = [sid for sid in speaker_ids if sid not in self.names]
        if missing:
            self.names.update(record.speaker_names(missing))
        return self.names

    def cluster_reports(
        self, record: Record, cluster_ids: Iterable[str]
    ) -> dict[str, tuple[int, list[dict[str, Any]]]]:
        """For each cluster, how many articles quote it and the first ``ALSO_REPORTED`` + 1
        of them, oldest first (one may be the hit's own): shared, copy before changing."""
        wanted = set(cluster_ids)
        # Local references: starting over swaps in new dicts, never empties these.
        reports, articles = self.reports, self.articles
        missing = sorted(cid for cid in wanted if cid not in reports)
        if missing and (len(articles) > self.MAX_ARTICLES or len(reports) > self.MAX_CLUSTERS):
            reports, articles = self.reports, self.articles = {}, {}
            missing = sorted(wanted)
        for cluster_id, (count, rows) in record.cluster_reports(missing, ALSO_REPORTED + 1).items():
            firsts = []
            for row in rows:
                article = articles.get(row["id"])
                if article is None:
                    article = articles[row["id"]] = _article_ref(row)
                firsts.append(article)
            reports[cluster_id] = (count, firsts)
        return {cid: reports.get(cid, (0, [])) for cid in wanted}


class Store:
    """Articles and quotes, kept in ``data_dir``: ``quotes.sqlite3`` and the index directory
    that ``index-current`` names (``index/`` until the first rebuild)."""

    def __init__(
        self, data_dir: Path | str, batch_size: int = 500, search_time_budget: float = 5.0
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.record = Record(self.data_dir / "quotes.sqlite3")
        self.search_time_budget = search_time_budget
        self._pointer = pointer_stamp(self.data_dir)
        self._index = Index(current_index_dir(self.data_dir), time_budget=search_time_budget)
        self._index_lock = threading.Lock()
        self._read_cache = _ReadCache(-1)
        self._retired: list[Index] = []
        self.batch_size = batch_size
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def index(self) -> Index:
        """The index in use, reopened when a rebuild has moved the pointer (one stat a call)."""
        stamp = pointer_stamp(self.data_dir)
        if stamp != self._pointer:
            with self._index_lock:
                if stamp != self._pointer:
                    path = current_index_dir(self.data_dir)
                    if path != self._index.path:
                        log.info("index moved to %s; reopening", path.name)
                        # A search may still be running on the old one: close it a swap later.
                        for old in self._retired:
                            old.close()
                        self._retired = [self._index]
                        self._index = Index(path, time_budget=self.search_time_budget)
                    self._pointer = stamp
        return self._index

    def close(self) -> None:
        self.stop_indexer()
        for index in (*self._retired, self._index):
            index.close()
        self._retired = []
        self.record.close()

    # -- writing ------------------------------------------------------------------------

    def add_articles(
        self, articles: Iterable[NewArticle], if_seq: Mapping[str, int] | None = None
    ) -> list[str]:
        """Write articles and their quotes in one transaction; return their ids.

        An article with the url (or, without a url, the text) of one already stored
        replaces it; one whose id is in ``if_seq`` only if it is still at that sequence
        number (see :meth:`Record.write_articles`).
        """
        ids: list[str] = []
        rows = []
        now = _iso(datetime.now(UTC))
        for new in articles:
            aid = article_id(new.text, new.url)
            ids.append(aid)
            article = {
                "id": aid,
                "url": new.url,
                "title": new.title,
                "outlet": new.outlet,
                "published": _iso(new.published),
                "text": new.text,
                "ingested_at": _iso(new.ingested_at) if new.ingested_at else now,
            }
            rows.append((article, [_quote_row(aid, i, q) for i, q in enumerate(new.quotes)]))
        if rows:
            self.record.write_articles(rows, if_seq)
            self._wake.set()
        return ids

    def add_article(self, new: NewArticle) -> str:
        return self.add_articles([new])[0]

    def has_article(self, text: str, url: str | None) -> str | None:
        """The id of the stored article with this url (or text, without a url), if any."""
        aid = article_id(text, url)
        return aid if self.record.article(aid) is not None else None

    # -- reading ------------------------------------------------------------------------

    def get_article(self, aid: str) -> dict[str, Any] | None:
        row = self.record.article(aid)
        if row is None:
            return None
        article = _article_ref(row)
        article["text"] = row["text"]
        article["ingested_at"] = _published(row["ingested_at"])
        article["quotes"] = [_quote_dict(q) for q in self.record.quotes_of(aid)]
        return article

    def delete_article(self, aid: str) -> bool:
        """Delete an article and its quotes; False if there was none."""
        deleted = self.record.delete_article(aid)
        if deleted:
            self._wake.set()
        return deleted

    def get_quote(self, qid: str) -> dict[str, Any] | None:
        """One quote with its article, the sentence around it and who else reported it."""
        row = self.record.quotes_with_articles([qid], CONTEXT_CHARS).get(qid)
        return self._hits([qid], {qid: row}, frozenset(), self._reads())[0] if row else None

    def search_quotes(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        cursor: str | None = None,
        **filters: Any,
    ) -> QuotePage:
        """Quotes matching ``filters`` (see :class:`Search`), a page of them or a cursor's.

        A cursor walks the whole result set in ingestion order, frozen at the walk's
        start: quotes indexed later are left out, so nothing repeats or shifts.

        Raises:
            QueryError: the query's syntax is refused.
            CursorError: the cursor was not made here.
            SearchTimeout: the search ran past its time budget.
        """
        index = self.index
        if cursor is not None:
            until, after = decode_cursor(cursor)
            until = index.last_order() if until < 0 else until
            search = Search(**filters, limit=page_size, after=after, until=until)
        else:
            search = Search(**filters, offset=(page - 1) * page_size, limit=page_size)
        hits = index.search(search)
        rows = self.record.quotes_with_articles(hits.ids, CONTEXT_CHARS)
        reads = self._reads()
        results = self._hits(hits.ids, rows, hits.terms, reads)
        next_cursor = None
        if cursor is not None and len(hits.ids) == page_size:
            next_cursor = _encode_cursor(search.until or 0, hits.orders[-1])
        suggestions = None
        if hits.total == 0 and (search.q or search.speaker):
            suggestions = self._suggestions(search)
        return QuotePage(
            hits.total,
            page,
            page_size,
            results,
            self._facets(hits.facets, reads),
            suggestions,
            next_cursor,
        )

    def _reads(self) -> _ReadCache:
        """The read cache as of the record's last change (a new one when it has moved)."""
        seq = self.record.last_seq()
        if self._read_cache.seq != seq:
            # Replaced, never cleared: a search still holding the old one stays consistent.
            self._read_cache = _ReadCache(seq)
        return self._read_cache

    def _hits(
        self, ids: Sequence[str], rows: dict[str, Any], terms: frozenset[str], reads: _ReadCache
    ) -> list[dict[str, Any]]:
        """Quote dicts for ``ids`` in order, with article, context, highlight, other reports."""
        found = [rows[i] for i in ids if i in rows]  # the index may be a moment behind
        reports = reads.cluster_reports(self.record, (r["cluster_id"] for r in found))
        results = []
        for row in found:
            quote = _quote_dict(row)
            quote["article"] = _article_of_quote(row)
            offset = row["window_start"]
            quote["context"] = sentence_around(
                row["article_window"], row["span_start"] - offset, row["span_end"] - offset
            )
            quote["highlight"] = Index.highlight(row["text"], terms)
            count, firsts = reports[row["cluster_id"]]
            quote["also_reported_by"] = [dict(a) for a in firsts if a["id"] != row["article_id"]][
                :ALSO_REPORTED
            ]
            # Its own article is one of the cluster's (the two reads are one snapshot only
            # when nothing was written between them).
            quote["also_reported_count"] = max(count - 1, len(quote["also_reported_by"]))
            results.append(quote)
        return results

    def _facets(
        self, facets: dict[str, list[tuple[str, int]]], reads: _ReadCache
    ) -> dict[str, list[dict[str, Any]]]:
        names = reads.speaker_names(self.record, [key for key, _ in facets.get("speakers", [])])
        return {
            "speakers": [
                {"id": key, "name": names.get(key, key), "count": n}
                for key, n in facets.get("speakers", [])
            ],
            "outlets": [{"name": key, "count": n} for key, n in facets.get("outlets", [])],
            "days": [{"date": key, "count": n} for key, n in facets.get("days", [])],
        }

    def _suggestions(self, search: Search) -> dict[str, Any]:
        index = self.index
        q = index.suggest_words(search.q) if search.q else None
        speakers: list[str] = []
        if search.speaker:
            words = index.suggest_name_words(search.speaker)
            if words:
                _, rows = self.record.speakers("-".join(words), 3, 0)
                speakers = [row["name"] for row in rows]
        return {"q": q, "speakers": speakers}

    def list_speakers(self, q: str | None = None, page: int = 1, page_size: int = 20) -> Page:
        """Named speakers, most quoted first; ``q`` keeps names with a word starting so."""
        prefix = speaker_id(q) if q else None
        total, rows = self.record.speakers(prefix, page_size, (page - 1) * page_size)
        details = self.record.speaker_details([row["id"] for row in rows])
        return Page(
            total, page, page_size, [self._speaker(row, details[row["id"]]) for row in rows]
        )

    def get_speaker(self, sid: str) -> dict[str, Any] | None:
        """A speaker with titles, aliases, outlets quoting them and quotes per day."""
        row = self.record.speaker(sid)
        if row is None:
            return None
        speaker = self._speaker(row, self.record.speaker_details([sid])[sid])
        breakdown = self.record.speaker_breakdown(sid)
        speaker["outlets"] = [dict(r) for r in breakdown["outlets"]]
        speaker["timeline"] = [dict(r) for r in breakdown["timeline"]]
        return speaker

    @staticmethod
    def _speaker(row: Any, details: dict[str, list[Any]]) -> dict[str, Any]:
        titles = _by_casefold(details["titles"])
        return {
            "id": row["id"],
            "name": row["name"],
            "type": row["type"],
            "title": titles[0]["title"] if titles else None,
            "titles": titles,
            "quotes": row["quotes"],
            "aliases": [
                m["title"]
                for m in _by_casefold(details["mentions"])
                if m["title"].casefold() not in _PRONOUNS
            ],
        }

    def is_empty(self) -> bool:
        return self.record.counts()["articles"] == 0

    def health(self) -> dict[str, Any]:
        counts = self.record.counts()
        index = self.index
        return {
            "articles": counts["articles"],
            "quotes": counts["quotes"],
            "indexed_quotes": index.doc_count(),
            "index_lag": max(counts["seq"] - index.indexed_seq(), 0),
            "index": index.path.name,
        }

    # -- keeping the index up to date ----------------------------------------------------

    def catch_up(self, timeout: float = 0.0) -> int:
        """Index every change the index lacks, one commit per batch; return changes applied.

        Waits up to ``timeout`` seconds for the Whoosh write lock; returns 0 without
        waiting longer if another process holds it (that process is catching up).
        """
        applied = 0
        while True:
            # One index per batch: a rebuild may swap another in between batches.
            batch = self._catch_up_batch(self.index, timeout)
            if not batch:
                return applied
            applied += batch

    def _catch_up_batch(self, index: Index, timeout: float) -> int:
        """Apply the next batch of changes ``index`` lacks; return how many (0: none or locked)."""
        try:
            writer = index.writer(timeout)
        except LockError:
            return 0
        # Read the position under the lock: another process may just have moved it.
        changes = self.record.changes_since(index.indexed_seq(), self.batch_size)
        if not changes:
            writer.cancel()
            return 0
        article_ids = list(dict.fromkeys(row["article_id"] for row in changes))
        try:
            index.apply(writer, article_ids, self.record.index_rows(article_ids))
        except BaseException:
            writer.cancel()
            raise
        index.commit(writer, changes[-1]["seq"])
        return len(changes)

    def wait_indexed(self, seq: int | None = None, timeout: float = 5.0) -> bool:
        """Wait until the index holds change ``seq`` (default: the latest); True if it does."""
        target = self.record.last_seq() if seq is None else seq
        deadline = time.monotonic() + timeout
        while self.index.indexed_seq() < target:
            self.catch_up(timeout=min(0.5, max(deadline - time.monotonic(), 0.0)))
            if time.monotonic() >= deadline:
                return self.index.indexed_seq() >= target
            if self.index.indexed_seq() < target:
                time.sleep(0.02)
        return True

    def wait_articles_indexed(self, article_ids: Sequence[str], timeout: float) -> bool:
        """Wait until search finds these articles as stored now; True if it does in time."""
        seqs = [row["seq"] for aid in article_ids if (row := self.record.article(aid))]
        return self.wait_indexed(max(seqs, default=0), timeout=timeout)

    # -- rebuilding --------------------------------------------------------------------

    def reextract(
        self,
        extract: Callable[[str], Sequence[Quote]],
        on_progress: Progress | None = None,
        batch: int = 100,
    ) -> int:
        """Extract every stored article's quotes again and write them back; return how many.

        Each article is rewritten through the normal write path (a new change, clusters
        recomputed) keeping its metadata and ingestion time, unless it was replaced or
        deleted while its quotes were being extracted.
        """
        total = self.record.counts()["articles"]
        done, after = 0, ""
        while rows := self.record.articles_after(after, batch):
            news = [
                NewArticle(
                    text=row["text"],
                    quotes=extract(row["text"]),
                    url=row["url"],
                    title=row["title"],
                    outlet=row["outlet"],
                    published=_published(row["published"]),
                    ingested_at=_published(row["ingested_at"]),
                )
                for row in rows
            ]
            self.add_articles(news, if_seq={row["id"]: row["seq"] for row in rows})
            after, done = rows[-1]["id"], done + len(rows)
            if on_progress:
                on_progress(done, max(total, done))
        return done

    def rebuild_index(
        self, on_progress: Progress | None = None, batch: int = 1000, lock_timeout: float = 60.0
    ) -> Rebuilt:
        """Build a new index from the record and swap it in; the old one serves meanwhile.

        Notes:
            The articles as of change S are indexed into ``index-<n>/`` with no lock held;
            the new index then catches up from S through the change log like any index.
            Last, with the old index's write lock held (so no process adds to it what the
            new one would lack), the new one catches up once more and the pointer file is
            replaced. Processes notice on their next use of the index and follow; their
            indexers then carry on from the new index's position, so changes committed
            during the rebuild are never lost. The directory replaced is kept (a search may
            still be reading it); older ones are deleted.

        Raises:
            RebuildError: another rebuild holds this data directory.
        """
        with _exclusive(self.data_dir / _REBUILD_LOCK):
            old = self.index
            path = next_index_dir(self.data_dir)
            new = Index(path, time_budget=self.search_time_budget)
            try:
                upto = self.record.last_seq()
                total = self.record.counts()["articles"]
                done, after = 0, 0
                # One bulk writer and one commit: a commit per batch would write a segment
                # per batch and merge them over and over.
                writer = new.writer(lock_timeout, bulk=True)
                try:
                    while rows := self.record.articles_by_seq(after, upto, batch):
                        ids = [row["id"] for row in rows]
                        # A new index holds none of them: nothing to delete first.
                        new.apply(writer, [], self.record.index_rows(ids))
                        after, done = rows[-1]["seq"], done + len(rows)
                        if on_progress:
                            on_progress(done, max(total, done))
                except BaseException:
                    writer.cancel()
                    raise
                new.commit(writer, upto)
                while self._catch_up_batch(new, lock_timeout):
                    pass
                frozen = old.writer(lock_timeout)
                try:
                    while self._catch_up_batch(new, lock_timeout):
                        pass
                    point_index(self.data_dir, path)
                finally:
                    frozen.cancel()
            except BaseException:
                new.close()
                shutil.rmtree(path, ignore_errors=True)
                raise
            indexed = new.indexed_seq()
            new.close()
            removed = stale_index_dirs(self.data_dir, keep=[path, old.path])
            for stale in removed:
                shutil.rmtree(stale, ignore_errors=True)
        self.index  # noqa: B018 - follow the pointer now, not on the next search
        return Rebuilt(path, done, indexed, removed)

    def follow(
        self,
        finished: Callable[[], bool],
        poll: float = 0.1,
        commit_every: int = 200_000,
        lock_timeout: float = 60.0,
        **settings: Any,
    ) -> int:
        """Index changes as they are written, with one bulk writer, until ``finished()``
        and none is left; return how many changes were applied.

        For a bulk ingest, run beside the process writing the record: one core writes
        SQLite while another indexes. It commits every ``commit_every`` documents (search
        sees them then), before an article it added changes again (a writer cannot delete
        its own additions), and at the end; it holds the index's write lock meanwhile, so
        other processes' indexers skip until it is done. ``settings`` go to the writer
        (``procs``, ``multisegment``: see :func:`quoteapi.ingest.bulk_writer_settings`).

        Raises:
            whoosh.index.LockError: another process held the write lock ``lock_timeout`` s.
        """
        index = self.index
        writer = index.writer(lock_timeout, bulk=True, **settings)
        seq, applied, docs = index.indexed_seq(), 0, 0
        added: set[str] = set()  # articles this writer added: it cannot delete them
        try:
            while True:
                last_round = finished()  # read before the changes: none can follow it
                changes = self.record.changes_since(seq, self.batch_size)
                if not changes:
                    if last_round:
                        break
                    time.sleep(poll)
                    continue
                article_ids = list(dict.fromkeys(row["article_id"] for row in changes))
                if docs >= commit_every or not added.isdisjoint(article_ids):
                    index.commit(writer, seq)
                    writer, docs = index.writer(lock_timeout, bulk=True, **settings), 0
                    added = set()
                rows = self.record.index_rows(article_ids)
                index.apply(writer, article_ids, rows)
                added.update(article_ids)
                seq, applied, docs = changes[-1]["seq"], applied + len(changes), docs + len(rows)
        except BaseException:
            writer.cancel()
            raise
        index.commit(writer, seq)
        return applied

    def start_indexer(self, interval: float = 0.5, process: bool = False) -> None:
        """Catch up in the background whenever the record moves on.

        In a thread of this process by default. With ``process``, in one indexer process
        for the whole data directory (see :mod:`quoteapi.store.indexer`): each process
        that asks runs a thread that, once it holds ``indexer.lock``, starts the indexer
        with that lock and starts it again if it dies. Indexing then has a core's share
        and an interpreter of its own instead of a thread's share of a busy worker.
        """
        if self._thread is not None:
            return
        self._stop.clear()
        target = self._supervise_indexer if process else self.run_indexer
        self._thread = threading.Thread(
            target=target, args=(interval,), name="quoteapi-indexer", daemon=True
        )
        self._thread.start()

    def stop_indexer(self) -> None:
        """Stop the background indexer or :meth:`run_indexer` (not from a signal handler:
        it takes locks the interrupted code may hold)."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return
        self._thread.join(timeout=15)
        self._thread = None

    def run_indexer(self, interval: float, alive: Callable[[], bool] | None = None) -> None:
        """Catch up whenever the record moves on, until stopped (or ``alive`` says no)."""
        # Big merges wait until the record has been still for a while (Index.merge).
        still_since = time.monotonic()
        merged = False
        while not self._stop.is_set() and (alive is None or alive()):
            self._wake.wait(interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                if self.record.last_seq() > self.index.indexed_seq():
                    if self.catch_up(timeout=0.0):
                        still_since, merged = time.monotonic(), False
                elif not merged and time.monotonic() - still_since >= IDLE_MERGE_AFTER:
                    self.index.merge()
                    merged = True
            except Exception:  # keep indexing alive; the record is safe, retry next round
                log.exception("indexer: catching up failed; retrying")
                time.sleep(interval)
        self.record.close()

    def _supervise_indexer(self, interval: float) -> None:
        """Run the data directory's indexer process whenever no other process does."""
        lock_path = self.data_dir / INDEXER_LOCK
        while not self._stop.is_set():
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another process runs the indexer
                os.close(fd)
                self._stop.wait(1.0)
                continue
            try:
                # The indexer inherits the locked file: the lock lasts as long as it does,
                # whatever becomes of this process.
                indexer = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "quoteapi.store.indexer",
                        str(self.data_dir),
                        f"--batch-size={self.batch_size}",
                        f"--interval={interval}",
                        f"--parent={os.getppid()}",
                    ],
                    pass_fds=(fd,),
                )
            except OSError:
                log.exception("indexer: could not start the indexer process; retrying")
                self._stop.wait(1.0)
                continue
            finally:
                os.close(fd)
            while indexer.poll() is None and not self._stop.wait(0.2):
                pass
            if indexer.poll() is None:
                indexer.terminate()
                try:
                    indexer.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    indexer.kill()
                    indexer.wait()
            elif not self._stop.is_set():
                log.warning("indexer process ended (%s); starting another", indexer.returncode)
                self._stop.wait(0.2)


def open_store(config: Mapping[str, Any]) -> Store:
    """The store in ``config["DATA_DIR"]``, with the settings ``config`` gives it."""
    return Store(
        config["DATA_DIR"],
        batch_size=config["INDEX_BATCH_SIZE"],
        search_time_budget=config["SEARCH_TIME_BUDGET"],
    )


def init_app(app: Flask) -> None:
    """Open the store in ``DATA_DIR`` and keep it in ``app.extensions``."""
    if app.config["INDEXER"] not in ("thread", "process"):
        raise ValueError(
            f"INDEXER (QUOTEAPI_INDEXER) is {app.config['INDEXER']!r}: say thread or process"
        )
    store = open_store(app.config)
    app.extensions[EXTENSION] = store
    if app.config["BACKGROUND_INDEXER"]:
        store.start_indexer(
            app.config["INDEX_INTERVAL"], process=app.config["INDEXER"] == "process"
        )


def get_store() -> Store:
    """The store of the current app."""
    from flask import current_app

    store: Store = current_app.extensions[EXTENSION]
    return store
