"""The record: articles and their quotes in SQLite, the source of truth.

Every write appends to ``changes``; its sequence number is what the index follows
(see :mod:`quoteapi.store.index`). The database runs in WAL mode with
``synchronous=FULL``, so a committed write has been fsynced before the API answers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from quoteapi.clusters import band_keys, content_terms, same_quote

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id          TEXT PRIMARY KEY,
    url         TEXT,
    title       TEXT,
    outlet      TEXT,
    published   TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    seq         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    id              TEXT PRIMARY KEY,
    article_id      TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    span_start      INTEGER NOT NULL,
    span_end        INTEGER NOT NULL,
    text            TEXT NOT NULL,
    speaker_name    TEXT,
    speaker_id      TEXT,
    speaker_title   TEXT,
    speaker_type    TEXT NOT NULL,
    speaker_mention TEXT,
    cue             TEXT,
    kind            TEXT NOT NULL,
    confidence      REAL NOT NULL,
    position        INTEGER NOT NULL,
    cluster_id      TEXT NOT NULL
);
-- Covering: how many articles carry a cluster is counted from the index alone. It
-- also finds a cluster's quotes: an index of cluster_id alone would only cost writes.
DROP INDEX IF EXISTS quotes_by_cluster;
CREATE INDEX IF NOT EXISTS quotes_by_cluster_article ON quotes(cluster_id, article_id);
CREATE TABLE IF NOT EXISTS quote_bands (
    band     TEXT NOT NULL,
    quote_id TEXT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS quote_bands_by_band ON quote_bands(band);
CREATE INDEX IF NOT EXISTS quote_bands_by_quote ON quote_bands(quote_id);
CREATE INDEX IF NOT EXISTS quotes_by_article ON quotes(article_id, span_start);
-- Covering: a speaker's spellings are counted from the index alone (facet names, lists).
DROP INDEX IF EXISTS quotes_by_speaker;
CREATE INDEX IF NOT EXISTS quotes_by_speaker_name
    ON quotes(speaker_id, speaker_name, speaker_type);
CREATE TABLE IF NOT EXISTS changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL
);
"""

ARTICLE_COLUMNS = ("id", "url", "title", "outlet", "published", "text", "ingested_at", "seq")
QUOTE_COLUMNS = (
    "id",
    "article_id",
    "span_start",
    "span_end",
    "text",
    "speaker_name",
    "speaker_id",
    "speaker_title",
    "speaker_type",
    "speaker_mention",
    "cue",
    "kind",
    "confidence",
    "position",
    "cluster_id",
)
# Quotes sharing a band with a new one, compared with it at most. Common words make some
# bands crowded at a million quotes; past this many the write would grow with the record.
_CANDIDATES_PER_QUOTE = 20
# A quote said in many articles is a candidate for many later ones: its content words are
# worked out once per process, not once per comparison.
_candidate_terms = lru_cache(maxsize=1 << 16)(content_terms)
# Band rows a bulk run keeps in memory at most (~140 bytes each with their quotes); past it,
# one query a quote. Reading them from a record takes ~5 s a million: a run copies the
# record's band table only while it is small, and adds what it writes itself.
_MIRROR_MAX_BANDS = 1_000_000
_MIRROR_MAX_LOADED = 100_000
# SQLite's page cache for a bulk run, in KiB: the quote and band indexes stay in memory.
_BULK_CACHE_KIB = 65_536


@dataclass(slots=True)
class _Candidate:
    """A stored quote as the band lookup sees it."""

    text: str
    cluster_id: str
    article_id: str
    terms: frozenset[str] | None = None
    live: bool = True


class _BandMirror:
    """``quote_bands`` in memory, for one process writing batch after batch (a bulk ingest).

    Finds the cluster exactly as :meth:`Record._cluster_of`'s query does: band keys in
    ascending order (SQLite walks an ``IN`` list sorted), each band's rows in the order
    they were written (its index's rowid order), distinct (text, cluster) pairs from other
    articles, at most ``_CANDIDATES_PER_QUOTE``, the first that says the same wins. So a
    quote joins the same cluster as through SQL, without a query a quote.
    """

    def __init__(self, seq: int) -> None:
        self.seq = seq  # the last change the mirror reflects
        self.rows = 0
        self._bands: dict[str, list[_Candidate]] = {}
        self._articles: dict[str, list[_Candidate]] = {}

    def add(self, candidate: _Candidate, keys: Iterable[str]) -> None:
        self._articles.setdefault(candidate.article_id, []).append(candidate)
        for key in keys:
            self._bands.setdefault(key, []).append(candidate)
            self.rows += 1

    def forget(self, article_id: str) -> None:
        """Drop an article's quotes, as its rewrite or delete does in SQLite."""
        for candidate in self._articles.pop(article_id, ()):
            candidate.live = False

    def cluster_of(self, article_id: str, terms: frozenset[str], keys: list[str]) -> str | None:
        seen: set[tuple[str, str]] = set()
        for key in sorted(keys):
            for candidate in self._bands.get(key, ()):
                if not candidate.live or candidate.article_id == article_id:
                    continue
                pair = (candidate.text, candidate.cluster_id)
                if pair in seen:
                    continue
                seen.add(pair)
                if candidate.terms is None:
                    candidate.terms = _candidate_terms(candidate.text)
                if same_quote(terms, candidate.terms):
                    return candidate.cluster_id
                if len(seen) >= _CANDIDATES_PER_QUOTE:
                    return None
        return None


class Record:
    """SQLite access, one connection per thread.

    Notes:
        Writers serialise on ``BEGIN IMMEDIATE``; sequence numbers are handed out inside
        that lock, so commit order and sequence order agree and the index never skips a
        change that commits late.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._mirror: _BandMirror | None = None
        self.connection().executescript(_SCHEMA)

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Make this process's writes meanwhile cheaper, for many batches in a row.

        Clusters are looked up in a copy of the band table kept in memory (the same
        clusters, see ``_BandMirror``), unless the record already holds too many bands to
        copy, the run writes too many to keep, or another process writes meanwhile: then,
        from then on, through SQL as always.
        SQLite gets a bigger page cache. Each transaction is as durable as ever.
        """
        conn = self.connection()
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
        self._mirror = self._load_mirror(conn)
        try:
            yield
        finally:
            self._mirror = None
            conn.execute(f"PRAGMA cache_size={int(cache_size)}")

    @staticmethod
    def _load_mirror(conn: sqlite3.Connection) -> _BandMirror | None:
        """The band table in memory, or None when it is too big to hold."""
        conn.execute("BEGIN")
        try:
            bounded = "SELECT count(*) FROM (SELECT 1 FROM quote_bands LIMIT ?)"
            if conn.execute(bounded, (_MIRROR_MAX_LOADED + 1,)).fetchone()[0] > _MIRROR_MAX_LOADED:
                return None
            mirror = _BandMirror(
                int(conn.execute("SELECT max(seq) FROM changes").fetchone()[0] or 0)
            )
            quotes = {
                qid: _Candidate(text, cluster_id, article_id)
                for qid, text, cluster_id, article_id in conn.execute(
                    "SELECT id, text, cluster_id, article_id FROM quotes"
                    " WHERE id IN (SELECT quote_id FROM quote_bands)"
                )
            }
            for band, qid in conn.execute("SELECT band, quote_id FROM quote_bands ORDER BY rowid"):
                mirror.add(quotes[qid], [band])
            return mirror
        finally:
            conn.execute("COMMIT")

    def _current_mirror(self, conn: sqlite3.Connection) -> _BandMirror | None:
        """The band mirror if it still reflects the record (call inside the write lock)."""
        mirror = self._mirror
        if mirror is not None:
            last = conn.execute("SELECT max(seq) FROM changes").fetchone()[0] or 0
            if last != mirror.seq or mirror.rows > _MIRROR_MAX_BANDS:
                # Another writer moved the record on (or the mirror outgrew its bound).
                mirror = self._mirror = None
        return mirror

    def write_articles(
        self,
        articles: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]],
        if_seq: Mapping[str, int] | None = None,
    ) -> int:
        """Write (article, quotes) pairs in one transaction, replacing earlier versions.

        Each quote joins the cluster of an earlier quote from another article that says
        the same (see :mod:`quoteapi.clusters`), or starts its own. An article whose id
        is in ``if_seq`` is written only if the stored one still has that sequence
        number (nobody replaced or deleted it meanwhile). Returns the sequence number of
        the last change written (0: none).
        """
        seq = 0
        with self.transaction() as conn:
            mirror = self._current_mirror(conn)
            # With the mirror, clusters are found in memory: the rows of the batch's
            # quotes can wait and go in together, unless an article comes back in it.
            quote_rows: list[list[Any]] = []
            band_rows: list[tuple[str, str]] = []
            waiting: set[str] = set()

            def insert() -> None:
                conn.executemany(
                    f"INSERT INTO quotes({', '.join(QUOTE_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})",
                    quote_rows,
                )
                conn.executemany("INSERT INTO quote_bands(band, quote_id) VALUES (?, ?)", band_rows)
                quote_rows.clear()
                band_rows.clear()
                waiting.clear()

            try:
                for article, quotes in articles:
                    if if_seq is not None and article["id"] in if_seq:
                        row = conn.execute(
                            "SELECT seq FROM articles WHERE id = ?", (article["id"],)
                        ).fetchone()
                        if row is None or row["seq"] != if_seq[article["id"]]:
                            continue
                    if article["id"] in waiting:
                        insert()
                    seq = self._log_change(conn, article["id"])
                    conn.execute("DELETE FROM quotes WHERE article_id = ?", (article["id"],))
                    conn.execute(
                        f"INSERT OR REPLACE INTO articles({', '.join(ARTICLE_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                        [seq if col == "seq" else article[col] for col in ARTICLE_COLUMNS],
                    )
                    if mirror is not None:
                        mirror.forget(article["id"])
                    found: list[tuple[_Candidate, list[str]]] = []
                    for quote in quotes:
                        terms = content_terms(quote["text"])
                        keys = band_keys(terms)
                        if mirror is None:
                            cluster = self._cluster_of(conn, quote, terms, keys)
                        elif keys:
                            cluster = mirror.cluster_of(quote["article_id"], terms, keys)
                        else:
                            cluster = None
                        quote["cluster_id"] = cluster or quote["id"]
                        band_rows.extend((key, quote["id"]) for key in keys)
                        if keys:
                            text, cluster_id = quote["text"], quote["cluster_id"]
                            found.append((_Candidate(text, cluster_id, article["id"], terms), keys))
                    quote_rows.extend([q[col] for col in QUOTE_COLUMNS] for q in quotes)
                    waiting.add(article["id"])
                    if mirror is None:
                        insert()  # the next article's clusters are looked up in SQL
                    else:
                        for candidate, keys in found:
                            mirror.add(candidate, keys)
                insert()
            except BaseException:
                self._mirror = None  # it may hold writes the rollback undoes
                raise
            if mirror is not None and seq:
                mirror.seq = seq
        return seq

    def delete_article(self, article_id: str) -> bool:
        """Delete an article and its quotes; False if there was none."""
        with self.transaction() as conn:
            row = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return False
            self._log_change(conn, article_id)
            conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return True

    @staticmethod
    def _log_change(conn: sqlite3.Connection, article_id: str) -> int:
        cursor = conn.execute("INSERT INTO changes(article_id) VALUES (?)", (article_id,))
        return cursor.lastrowid or 0

    @staticmethod
    def _cluster_of(
        conn: sqlite3.Connection, quote: dict[str, Any], terms: frozenset[str], keys: list[str]
    ) -> str | None:
        """The cluster of an earlier quote, in another article, that says the same."""
        if not keys:
            return None
        candidates = conn.execute(
            "SELECT DISTINCT q.text, q.cluster_id FROM quote_bands b"
            " JOIN quotes q ON q.id = b.quote_id"
            f" WHERE b.band IN ({', '.join('?' * len(keys))}) AND q.article_id != ?"
            " LIMIT ?",
            [*keys, quote["article_id"], _CANDIDATES_PER_QUOTE],
        ).fetchall()
        for text, cluster_id in candidates:
            if same_quote(terms, _candidate_terms(text)):
                return str(cluster_id)
        return None

    def article(self, article_id: str) -> sqlite3.Row | None:
        return (
            self.connection()
            .execute("SELECT * FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )

    def quotes_of(self, article_id: str) -> list[sqlite3.Row]:
        return (
            self.connection()
            .execute("SELECT * FROM quotes WHERE article_id = ? ORDER BY span_start", (article_id,))
            .fetchall()
        )

    def quotes_with_articles(self, quote_ids: Sequence[str], around: int) -> dict[str, sqlite3.Row]:
        """Quotes by id, each row joined with its article's metadata and the part of its
        text from ``around`` characters before the quote to ``around`` after it:
        ``article_window``, which starts at offset ``window_start`` of the text.

        Only the window leaves SQLite: a whole article is a few kilobytes a hit.
        """
        if not quote_ids:
            return {}
        rows = (
            self.connection()
            .execute(
                "SELECT q.*, a.title AS article_title, a.url AS article_url,"
                " a.outlet AS article_outlet, a.published AS article_published,"
                " max(q.span_start - :around, 0) AS window_start,"
                # substr counts characters (code points, as Python's str does) from 1.
                " substr(a.text, max(q.span_start - :around, 0) + 1,"
                "        q.span_end - max(q.span_start - :around, 0) + :around) AS article_window"
                " FROM quotes q JOIN articles a ON a.id = q.article_id"
                f" WHERE q.id IN ({', '.join(f':q{i}' for i in range(len(quote_ids)))})",
                {"around": around, **{f"q{i}": qid for i, qid in enumerate(quote_ids)}},
            )
            .fetchall()
        )
        return {row["id"]: row for row in rows}

    def cluster_reports(
        self, cluster_ids: Sequence[str], most: int
    ) -> dict[str, tuple[int, list[sqlite3.Row]]]:
        """For each cluster, how many articles quote it and the first ``most`` of them
        recorded, oldest first: rows of (id, title, url, outlet, published).

        Work grows with ``most``, not with the cluster: a quote carried by thousands of
        articles is counted from an index and only its first ``most`` are read.
        """
        if not cluster_ids:
            return {}
        conn = self.connection()
        counts = dict(
            conn.execute(
                "SELECT cluster_id, count(DISTINCT article_id) FROM quotes"
                f" WHERE cluster_id IN ({', '.join('?' * len(cluster_ids))})"
                " GROUP BY cluster_id",
                list(cluster_ids),
            ).fetchall()
        )
        firsts: dict[str, list[str]] = {}
        for cluster_id in counts:
            first: dict[str, None] = {}
            for (article_id,) in conn.execute(
                "SELECT article_id FROM quotes WHERE cluster_id = ? ORDER BY rowid", (cluster_id,)
            ):
                first[article_id] = None
                if len(first) == most:
                    break
            firsts[cluster_id] = list(first)
        wanted = sorted({a for ids in firsts.values() for a in ids})
        articles = {
            row["id"]: row
            for row in conn.execute(
                "SELECT id, title, url, outlet, published FROM articles"
                f" WHERE id IN ({', '.join('?' * len(wanted))})",
                wanted,
            )
        }
        return {
            cluster_id: (
                counts[cluster_id],
                sorted(
                    (articles[a] for a in ids if a in articles),
                    key=lambda row: (row["published"] or "", row["id"]),
                ),
            )
            for cluster_id, ids in firsts.items()
        }

    _SPEAKERS = """
        WITH spellings AS (
            SELECT speaker_id, speaker_name, speaker_type, count(*) AS n
            FROM quotes WHERE speaker_id IS NOT NULL {where}
            GROUP BY speaker_id, speaker_name, speaker_type
        ), ranked AS (
            SELECT speaker_id, speaker_name, speaker_type,
                   sum(n) OVER (PARTITION BY speaker_id) AS quotes,
                   row_number() OVER (PARTITION BY speaker_id
                                      ORDER BY n DESC, speaker_name) AS rank
            FROM spellings
        )
        SELECT speaker_id AS id, speaker_name AS name, speaker_type AS type, quotes
        FROM ranked WHERE rank = 1
        ORDER BY quotes DESC, id LIMIT ? OFFSET ?
    """

    def speakers(
        self, prefix: str | None, limit: int, offset: int
    ) -> tuple[int, list[sqlite3.Row]]:
        """Named speakers, most quoted first, each under its most frequent spelling.

        ``prefix`` (a folded, hyphenated word start) keeps speakers with a name word
        starting with it.
        """
        where, params = "", []
        if prefix:
            where = "AND (speaker_id LIKE ? ESCAPE '\\' OR speaker_id LIKE ? ESCAPE '\\')"
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params = [f"{escaped}%", f"%-{escaped}%"]
        conn = self.connection()
        total = conn.execute(
            f"SELECT count(DISTINCT speaker_id) FROM quotes WHERE speaker_id IS NOT NULL {where}",
            params,
        ).fetchone()[0]
        rows = conn.execute(self._SPEAKERS.format(where=where), [*params, limit, offset]).fetchall()
        return total, rows

    def speaker(self, speaker_id: str) -> sqlite3.Row | None:
        """One speaker as :meth:`speakers` lists them."""
        return (
            self.connection()
            .execute(self._SPEAKERS.format(where="AND speaker_id = ?"), (speaker_id, 1, 0))
            .fetchone()
        )

    def speaker_names(self, speaker_ids: Sequence[str]) -> dict[str, str]:
        """Each speaker's most frequent spelling."""
        if not speaker_ids:
            return {}
        rows = (
            self.connection()
            .execute(
                self._SPEAKERS.format(
                    where=f"AND speaker_id IN ({', '.join('?' * len(speaker_ids))})"
                ),
                [*speaker_ids, len(speaker_ids), 0],
            )
            .fetchall()
        )
        return {row["id"]: row["name"] for row in rows}

    def speaker_details(
        self, speaker_ids: Sequence[str]
    ) -> dict[str, dict[str, list[sqlite3.Row]]]:
        """For each speaker: titles and mentions with counts, most frequent first."""
        if not speaker_ids:
            return {}
        marks = ", ".join("?" * len(speaker_ids))
        details: dict[str, dict[str, list[sqlite3.Row]]] = {
            sid: {"titles": [], "mentions": []} for sid in speaker_ids
        }
        for column, key in (("speaker_title", "titles"), ("speaker_mention", "mentions")):
            rows = (
                self.connection()
                .execute(
                    f"SELECT speaker_id, {column} AS value, count(*) AS n FROM quotes"
                    f" WHERE speaker_id IN ({marks}) AND {column} IS NOT NULL"
                    f" GROUP BY speaker_id, {column} ORDER BY n DESC, value",
                    list(speaker_ids),
                )
                .fetchall()
            )
            for row in rows:
                details[row["speaker_id"]][key].append(row)
        return details

    def speaker_breakdown(self, speaker_id: str) -> dict[str, list[sqlite3.Row]]:
        """A speaker's quotes counted by outlet and by day."""
        conn = self.connection()
        outlets = conn.execute(
            "SELECT a.outlet AS name, count(*) AS count FROM quotes q"
            " JOIN articles a ON a.id = q.article_id WHERE q.speaker_id = ?"
            " GROUP BY a.outlet ORDER BY count DESC, name",
            (speaker_id,),
        ).fetchall()
        days = conn.execute(
            "SELECT substr(coalesce(a.published, a.ingested_at), 1, 10) AS date,"
            " count(*) AS count FROM quotes q JOIN articles a ON a.id = q.article_id"
            " WHERE q.speaker_id = ? GROUP BY date ORDER BY date",
            (speaker_id,),
        ).fetchall()
        return {"outlets": outlets, "timeline": days}

    def counts(self) -> dict[str, int]:
        conn = self.connection()
        return {
            "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            "quotes": conn.execute("SELECT count(*) FROM quotes").fetchone()[0],
            "seq": self.last_seq(),
        }

    def last_seq(self) -> int:
        row = self.connection().execute("SELECT max(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    def articles_by_seq(self, after: int, upto: int, limit: int) -> list[sqlite3.Row]:
        """(id, seq) of articles whose last change is in (after, upto], oldest first."""
        return (
            self.connection()
            .execute(
                "SELECT id, seq FROM articles WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                (after, upto, limit),
            )
            .fetchall()
        )

    def articles_after(self, after_id: str, limit: int) -> list[sqlite3.Row]:
        """Whole article rows with ids after ``after_id``, in id order."""
        return (
            self.connection()
            .execute("SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))
            .fetchall()
        )

    def changes_since(self, seq: int, limit: int) -> list[sqlite3.Row]:
        return (
            self.connection()
            .execute(
                "SELECT seq, article_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                (seq, limit),
            )
            .fetchall()
        )

    def index_rows(self, article_ids: Sequence[str]) -> list[sqlite3.Row]:
        """The quotes of these articles with the article fields the index needs."""
        if not article_ids:
            return []
        return (
            self.connection()
            .execute(
                "SELECT q.id, q.article_id, q.text, q.speaker_name, q.speaker_id, q.kind,"
                " q.position, q.cluster_id, a.outlet, a.published, a.ingested_at, a.seq"
                " FROM quotes q JOIN articles a ON a.id = q.article_id"
                f" WHERE q.article_id IN ({', '.join('?' * len(article_ids))})",
                list(article_ids),
            )
            .fetchall()
        )
