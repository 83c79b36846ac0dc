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
CREATE INDEX IF NOT EXISTS quotes_by_cluster ON quotes(cluster_id);
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
            for article, quotes in articles:
                if if_seq is not None and article["id"] in if_seq:
                    row = conn.execute(
                        "SELECT seq FROM articles WHERE id = ?", (article["id"],)
                    ).fetchone()
                    if row is None or row["seq"] != if_seq[article["id"]]:
                        continue
                seq = self._log_change(conn, article["id"])
                conn.execute("DELETE FROM quotes WHERE article_id = ?", (article["id"],))
                conn.execute(
                    f"INSERT OR REPLACE INTO articles({', '.join(ARTICLE_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                    [seq if col == "seq" else article[col] for col in ARTICLE_COLUMNS],
                )
                bands: list[tuple[str, str]] = []
                for quote in quotes:
                    terms = content_terms(quote["text"])
                    keys = band_keys(terms)
                    cluster = self._cluster_of(conn, quote, terms, keys)
                    quote["cluster_id"] = cluster or quote["id"]
                    bands.extend((key, quote["id"]) for key in keys)
                conn.executemany(
                    f"INSERT INTO quotes({', '.join(QUOTE_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})",
                    [[q[col] for col in QUOTE_COLUMNS] for q in quotes],
                )
                conn.executemany("INSERT INTO quote_bands(band, quote_id) VALUES (?, ?)", bands)
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

    def quotes_with_articles(self, quote_ids: Sequence[str]) -> dict[str, sqlite3.Row]:
        """Quotes by id, each row joined with its article's metadata and text."""
        if not quote_ids:
            return {}
        rows = (
            self.connection()
            .execute(
                "SELECT q.*, a.title AS article_title, a.url AS article_url,"
                " a.outlet AS article_outlet, a.published AS article_published,"
                " a.text AS article_text"
                " FROM quotes q JOIN articles a ON a.id = q.article_id"
                f" WHERE q.id IN ({', '.join('?' * len(quote_ids))})",
                list(quote_ids),
            )
            .fetchall()
        )
        return {row["id"]: row for row in rows}

    def cluster_articles(self, cluster_ids: Sequence[str]) -> list[sqlite3.Row]:
        """The articles quoting each cluster: (cluster_id, id, title, url, outlet, published)."""
        if not cluster_ids:
            return []
        return (
            self.connection()
            .execute(
                "SELECT DISTINCT q.cluster_id, a.id, a.title, a.url, a.outlet, a.published"
                " FROM quotes q JOIN articles a ON a.id = q.article_id"
                f" WHERE q.cluster_id IN ({', '.join('?' * len(cluster_ids))})"
                " ORDER BY a.published, a.id",
                list(cluster_ids),
            )
            .fetchall()
        )

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
