"""The index: quotes in Whoosh, derived from the record and rebuildable from it.

The index remembers the last change sequence number it holds (a small file beside its
segments, written after each commit). Catching up is idempotent: an article's documents
are deleted and re-added from the record as it is now, so replaying a change after a
crash between commit and that file does no harm.
"""

from __future__ import annotations

import functools
import html
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import numpy as np
from whoosh import columns, qparser, sorting
from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.codec import whoosh3
from whoosh.fields import COLUMN, DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import And, DateRange, Every, NumericRange, Query, Term
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from quoteapi.extract import fold_name
from quoteapi.store.engine import Engine, Segment
from quoteapi.store.engine import SearchTimeout as SearchTimeout  # raised by Index.search
from quoteapi.store.writing import QuoteMpWriter, QuoteWriter, WritingCodec

P = ParamSpec("P")
R = TypeVar("R")

_SEQ_FILE = "quoteapi-indexed-seq"
# The data directory's file naming the index directory in use. Without it the index is
# ``index/`` (a data directory from before rebuilds); a rebuild writes ``index-<n>/``
# and then replaces this file, so every process moves to the new index at once.
INDEX_POINTER = "index-current"
_FIRST_INDEX = "index"
_INDEX_DIR = re.compile(r"index-(\d+)")
# A quote's place in ingestion order: its article's change number, then its position.
ORDER_SHIFT = 16

_TEXT_ANALYZER = StemmingAnalyzer() | CharsetFilter(accent_map)
# Unstemmed words, for spelling suggestions (a stemmed lexicon suggests "ammunit").
_WORDS_ANALYZER = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
# Names split on anything that is not a letter or digit, so "Kim Jong-un" and
# "kim jong un" give the same terms; no stemming, so names stay whole.
_NAME_ANALYZER = _WORDS_ANALYZER

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    article_id=ID,
    text=TEXT(analyzer=_TEXT_ANALYZER),
    words=TEXT(analyzer=_WORDS_ANALYZER, phrase=False),
    speaker=TEXT(analyzer=_NAME_ANALYZER),
    speaker_id=ID(sortable=True),
    outlet=ID(sortable=True),
    outlet_key=ID,
    kind=ID,
    cluster=ID(sortable=True),
    date=DATETIME(sortable=True),
    day=ID(sortable=True),
    # signed: in Whoosh-Reloaded 2.7.5 ranges over unsigned NUMERIC fields match everything.
    # A wider trie step: 8 terms a document instead of 16 (indexing cost grows with
    # postings); cursor ranges read a few more terms.
    order=NUMERIC(sortable=True, bits=64, stored=True, shift_step=8),
    # Date then ingestion order in one number: sorting on one field keeps Whoosh's
    # collapse counts right (with a MultiFacet it counts collapsed documents anyway).
    # Only sorted on, never searched: a column, no terms.
    when=COLUMN(columns.NumericColumn("q")),
)

# The parser keeps words, "phrases", AND/OR/NOT, +/-, groups and fuzzy words (~1, ~2);
# it drops the syntax that names other fields, ranges or wildcards (slow or silently
# wrong), and check_query() refuses such input with a reason instead of ignoring it.
_DROPPED_PLUGINS = (
    qparser.FieldsPlugin,
    qparser.WildcardPlugin,
    qparser.RangePlugin,
    qparser.BoostPlugin,
    qparser.EveryPlugin,
    qparser.SingleQuotePlugin,
)
_PHRASE = re.compile(r'"[^"]*"')
_PLUS_MINUS = re.compile(r"(?<![^\s(])([+-])(?=[^\s+-])")
_FIELD = re.compile(r"(?<![\w:])([^\W\d]\w*):(?=\S)")
_FUZZY = re.compile(r"~(\d*)")
MAX_QUERY_TERMS = 50
MAX_FUZZY = 2
FACET_SIZE = 10
# The facets counted over every match (name in the answer, column field), beside "days".
_FACETS = (("speakers", "speaker_id"), ("outlets", "outlet"))
# The column fields a search numbers (facets, days, collapse) and the fields it scores.
_NUMBERED = (*(fieldname for _, fieldname in _FACETS), "day", "cluster")
_SCORED = ("text", "speaker")
# Megabytes of postings a writer sorts in memory before spilling a run to disk. Measured
# (benchmarks/bench_ingest.py): 256 MB indexes ~5% faster than Whoosh's default 128 and
# than 512; two writer processes (``procs=2``) were slower on two cores, each document
# being pickled to a subprocess. A batch of the background indexer is small: the default.
_LIMITMB = 128
BULK_LIMITMB = 256


def documents(rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The index documents of quote rows (as :meth:`Record.index_rows` reads them)."""
    for row in rows:
        date = datetime.fromisoformat(row["published"] or row["ingested_at"])
        order = (row["seq"] << ORDER_SHIFT) + row["position"]
        doc: dict[str, Any] = {
            "id": row["id"],
            "article_id": row["article_id"],
            "text": row["text"],
            "words": row["text"],
            "kind": row["kind"],
            "cluster": row["cluster_id"],
            "date": date,
            "day": date.date().isoformat(),
            "order": order,
            "when": (int(date.replace(tzinfo=UTC).timestamp()) << 24) | (order & 0xFFFFFF),
        }
        if row["speaker_name"]:
            doc["speaker"] = row["speaker_name"]
            doc["speaker_id"] = row["speaker_id"]
        if row["outlet"]:
            doc["outlet"] = row["outlet"]
            doc["outlet_key"] = fold_name(row["outlet"])
        yield doc


class _PerDocReader(whoosh3.W3PerDocReader):
    """Remembers which columns a segment lacks.

    Whoosh asks, for every posting it writes, whether the field's lengths column
    exists, and fields without lengths (ids, numbers, dates) answer with a file-system
    ``stat`` each time: a third of the indexing time before this cache.
    """

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._columns: dict[str, bool] = {}

    def has_column(self, fieldname: str) -> bool:
        known = self._columns.get(fieldname)
        if known is None:
            known = self._columns[fieldname] = bool(super().has_column(fieldname))
        return known


class WhooshCodec(whoosh3.W3Codec):
    """Whoosh's codec, reading segments through :class:`_PerDocReader`: Whoosh's own way
    of writing, the limit ``benchmarks/bench_ingest.py`` holds ingest to."""

    def per_document_reader(self, storage: Any, segment: Any) -> _PerDocReader:
        return _PerDocReader(storage, segment)


class Codec(WritingCodec, WhooshCodec):
    """The index's codec: :class:`WhooshCodec`, writing postings a term at a time
    (:class:`~quoteapi.store.writing.WritingCodec`)."""


# Whoosh pickles each segment's codec into the index's table of contents: indexes
# written before the codec had its public name name it so.
_Codec = Codec


def _remember_column_readers(reader: Any) -> None:
    """Make ``reader`` open each column reader once, not once a search.

    A column of variable-length values (ids, names, days) reads its whole offsets and
    lengths arrays when its reader opens: every facet and sort of every search read
    megabytes at a million quotes before this. Readers of the same column, direction and
    translation are interchangeable, so the reused searcher keeps them.
    """
    opened: dict[tuple[str, bool, bool], Any] = {}
    open_column = reader.column_reader

    def column_reader(
        fieldname: str, column: Any = None, reverse: bool = False, translate: bool = True
    ) -> Any:
        if column is not None:
            return open_column(fieldname, column, reverse, translate)
        key = (fieldname, reverse, translate)
        found = opened.get(key)
        if found is None:
            found = opened[key] = open_column(fieldname, None, reverse, translate)
        return found

    reader.column_reader = column_reader


class QueryError(ValueError):
    """A search query quoteapi refuses; the message says why and what to do."""


def check_query(q: str) -> None:
    """Refuse query syntax that Whoosh would silently misread or run for seconds.

    Raises:
        QueryError: with a message naming the problem.
    """
    if q.count('"') % 2:
        raise QueryError('Unbalanced quotation mark: close the "phrase".')
    bare = _PHRASE.sub(" ", q)
    if "*" in bare or "?" in bare:
        raise QueryError("Wildcards (* and ?) are not supported; search for whole words.")
    field_syntax = _FIELD.search(bare)
    if field_syntax:
        raise QueryError(
            f"Field syntax ({field_syntax.group(1)}:) is not supported; use the speaker, "
            "speaker_id, outlet, kind, from and to parameters to filter."
        )
    for fuzzy in _FUZZY.finditer(bare):
        if fuzzy.group(1) and int(fuzzy.group(1)) > MAX_FUZZY:
            raise QueryError(f"Fuzzy distance ~{fuzzy.group(1)} is too large; use ~1 or ~2.")
    depth = 0
    for char in bare:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            break
    if depth != 0:
        raise QueryError("Unbalanced parentheses in the query.")
    if len(q.split()) > MAX_QUERY_TERMS:
        raise QueryError(f"The query has more than {MAX_QUERY_TERMS} words.")


def _plus_minus_to_operators(q: str) -> str:
    """``-word`` as ``NOT word`` and ``+word`` as ``word``, outside "phrases".

    Whoosh's own PlusMinusPlugin makes a query of only ``-word`` match nothing, where
    people mean "everything but".
    """
    out, last = [], 0
    for phrase in _PHRASE.finditer(q):
        out.append(_PLUS_MINUS.sub(_operator, q[last : phrase.start()]))
        out.append(phrase.group())
        last = phrase.end()
    out.append(_PLUS_MINUS.sub(_operator, q[last:]))
    return "".join(out)


def _operator(sign: re.Match[str]) -> str:
    return "NOT " if sign.group(1) == "-" else ""


@dataclass(frozen=True, slots=True)
class Search:
    """What to look for; every field but the paging ones narrows the result set."""

    q: str | None = None
    speaker: str | None = None
    speaker_id: str | None = None
    outlet: str | None = None
    article_id: str | None = None
    cluster_id: str | None = None
    kind: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    sort: str = "relevance"
    collapse: bool = False
    offset: int = 0
    limit: int = 20
    after: int | None = None  # cursor: only quotes later than this order, oldest first
    until: int | None = None  # cursor: the walk's snapshot, the last order it may see


@dataclass(frozen=True, slots=True)
class Hits:
    total: int
    ids: list[str]
    orders: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    terms: frozenset[str] = frozenset()


def _one_reader(method: Callable[Concatenate[Index, P], R]) -> Callable[Concatenate[Index, P], R]:
    """Run ``method`` holding the index's read lock (see ``Index._reading``)."""

    @functools.wraps(method)
    def reading(self: Index, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._reading:
            return method(self, *args, **kwargs)

    return reading


class Index:
    """A Whoosh index of quotes with one reusable searcher per process.

    Notes:
        ``Searcher.refresh()`` is broken in Whoosh-Reloaded 2.7.5 (stale documents after
        a merge), so a new searcher is opened when the index generation moves on.
        ``search_page`` past the last page returns the last page again, so paging is
        done here with offsets.
    """

    def __init__(self, path: Path, time_budget: float = 5.0) -> None:
        self.path = path
        self.time_budget = time_budget
        path.mkdir(parents=True, exist_ok=True)
        # No mmap: Whoosh copies each sub-file of an mmapped compound segment into a
        # BytesIO, a private copy of the postings in every process (860 MB a worker at a
        # million quotes); read through the file, they stay in the shared page cache.
        # Reads then seek and read one file position: one thread reads at a time.
        storage = FileStorage(str(path), supports_mmap=False)
        if storage.index_exists():
            self.ix = storage.open_index()
        else:
            self.ix = storage.create_index(SCHEMA)
        self._searcher: Searcher | None = None
        # per-segment arrays (column values, sort keys, postings) for searching
        self._engine = Engine(SCHEMA)
        self._lock = threading.Lock()
        # One thread at a time reads the index: its files are read at one file position.
        self._reading = threading.RLock()
        self._parser = qparser.QueryParser("text", SCHEMA, group=qparser.AndGroup)
        for plugin in _DROPPED_PLUGINS:
            self._parser.remove_plugin_class(plugin)
        self._parser.add_plugin(qparser.FuzzyTermPlugin())

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    # -- the sequence number the index holds -------------------------------------------

    def indexed_seq(self) -> int:
        try:
            return int((self.path / _SEQ_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return 0

    def _write_seq(self, seq: int) -> None:
        tmp = self.path / f"{_SEQ_FILE}.{os.getpid()}.tmp"
        tmp.write_text(str(seq))
        os.replace(tmp, self.path / _SEQ_FILE)

    # -- writing ------------------------------------------------------------------------

    def writer(self, timeout: float, bulk: bool = False, **settings: Any) -> Any:
        """A writer holding the index lock; raises ``whoosh.index.LockError`` after timeout.

        ``bulk``: a writer for many batches before one commit (a rebuild, a bulk
        ingest), with a bigger pool of postings in memory (see ``BULK_LIMITMB``).
        ``settings`` go to Whoosh's writer as they are (benchmarks try others).
        """
        settings = {"limitmb": BULK_LIMITMB if bulk else _LIMITMB, **settings}
        if settings.get("procs", 1) > 1:
            return QuoteMpWriter(self.ix, timeout=timeout, delay=0.05, codec=Codec(), **settings)
        settings.pop("procs", None)
        return QuoteWriter(self.ix, timeout=timeout, delay=0.05, codec=Codec(), **settings)

    def apply(self, writer: Any, article_ids: Sequence[str], rows: Iterable[Any]) -> None:
        """Replace the documents of ``article_ids`` with ``rows`` in ``writer``."""
        if article_ids:
            # One searcher for the batch: delete_by_term opens one a call otherwise.
            with writer.searcher() as searcher:
                for article_id in article_ids:
                    writer.delete_by_term("article_id", article_id, searcher=searcher)
        for doc in documents(rows):
            writer.add_document(**doc)

    def commit(self, writer: Any, seq: int | None) -> None:
        """Commit ``writer``, then remember ``seq`` as the last change held (None: keep).

        The commit merges small segments only (:func:`merge_small_tiers`), so a new
        article is never kept waiting behind a big merge; :meth:`merge` does the rest
        when the index is idle.
        """
        writer.commit(mergetype=merge_small_tiers)
        if seq is not None:
            self._write_seq(seq)

    def merge(self, timeout: float = 0.0) -> bool:
        """Merge every full tier of segments up to ``IDLE_MERGE_DOCS`` documents.

        Returns True if it merged; False if there was nothing to merge or another
        process held the write lock.
        """
        if not tier_merges(self.ix._segments(), IDLE_MERGE_DOCS):
            return False
        try:
            writer = self.writer(timeout)
        except whoosh_index.LockError:
            return False
        if not tier_merges(writer.segments, IDLE_MERGE_DOCS):
            writer.cancel()
            return False
        writer.commit(mergetype=merge_big_tiers)
        return True

    # -- reading ------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """The process's searcher, reopened when another process has committed."""
        with self._lock:
            current = self._searcher
            if current is None or current.reader().generation() != self.ix.latest_generation():
                if current is not None:
                    current.close()
                current = self._searcher = self.ix.searcher()
                live = set()
                for reader, _ in current.reader().leaf_readers():
                    _remember_column_readers(reader)
                    if reader.segment() is not None:  # None: an empty index
                        live.add(reader.segment().segment_id())
                self._engine.forget(live)
            return current

    @_one_reader
    def warm(self) -> None:
        """Open the searcher and read each segment's arrays before the first search."""
        self._engine.warm(self.searcher(), _NUMBERED, _SCORED)

    def _name_query(self, name: str) -> Query | None:
        terms = [token.text for token in _NAME_ANALYZER(name)]
        return And([Term("speaker", t) for t in terms]) if terms else None

    def _query(self, s: Search) -> tuple[Query | None, frozenset[str]]:
        """The Whoosh query for ``s`` (None: nothing can match) and the quote terms sought."""
        parts: list[Query] = []
        terms: frozenset[str] = frozenset()
        if s.q:
            check_query(s.q)
            parsed = self._parser.parse(_plus_minus_to_operators(s.q))
            parts.append(parsed)
            terms = frozenset(
                text.decode() if isinstance(text, bytes) else text
                for fieldname, text in parsed.iter_all_terms()
                if fieldname == "text"
            )
        if s.speaker:
            name = self._name_query(s.speaker)
            if name is None:
                return None, terms
            parts.append(name)
        for fieldname, value in (
            ("speaker_id", s.speaker_id),
            ("article_id", s.article_id),
            ("cluster", s.cluster_id),
            ("kind", s.kind),
        ):
            if value:
                parts.append(Term(fieldname, value))
        if s.outlet:
            parts.append(Term("outlet_key", fold_name(s.outlet)))
        if s.date_from or s.date_to:
            parts.append(DateRange("date", s.date_from, s.date_to, endexcl=True))
        if s.after is not None or s.until is not None:
            parts.append(NumericRange("order", None if s.after is None else s.after + 1, s.until))
        return (And(parts) if parts else Every()), terms

    @_one_reader
    def search(self, s: Search) -> Hits:
        """Quote ids matching ``s``, one page of them, with facets over all matches.

        Matches, totals and facets come from :mod:`quoteapi.store.engine` (numpy over
        each segment's postings and columns); the page is what Whoosh's collectors would
        return for the same query: by score (ties: index order), by date, or for a cursor
        by ingestion order. Collapsed, each cluster is its best match in that order;
        total and facets count those.

        Raises:
            QueryError: the query's syntax is refused.
            SearchTimeout: the search took longer than the index's time budget.
        """
        query, terms = self._query(s)
        if query is None:
            return Hits(0, [], [], {}, terms)
        cursor = s.after is not None or s.until is not None
        scored = s.sort == "relevance" and bool(s.q) and not cursor
        searcher = self.searcher()
        segments = self._engine.match(searcher, query, scored, self.time_budget)
        docs = _joined([seg.docs.astype(np.int64) + seg.offset for seg in segments], np.int64)
        keys = _joined(
            [self._sort_keys(seg, s, cursor) for seg in segments],
            np.float64 if scored else np.int64,
        )
        chosen = None
        if s.collapse:
            chosen = self._collapsed(segments, keys, docs)
            docs, keys = docs[chosen], keys[chosen]
        page = _top(keys, docs, s.offset + s.limit)[s.offset :]
        facets = {}
        for name, fieldname in _FACETS:
            counts = [(k, n) for k, n in self._count(segments, fieldname, chosen) if k]
            facets[name] = sorted(counts, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
        facets["days"] = sorted((k, n) for k, n in self._count(segments, "day", chosen) if k)
        stored = [searcher.stored_fields(int(docnum)) for docnum in page]
        return Hits(
            len(docs),
            [hit["id"] for hit in stored],
            [hit["order"] for hit in stored],
            facets,
            terms,
        )

    def _sort_keys(self, seg: Segment, s: Search, cursor: bool) -> Any:
        """The matches' sort keys, smallest first (what Whoosh's collector sorts by)."""
        if cursor:  # the column holds Whoosh's sortable form: order + 2**63
            sortable = self._engine.number_column(seg.columns, "order")[seg.docs]
            return (sortable - np.uint64(1 << 63)).astype(np.int64)
        if seg.scores is not None:
            return -seg.scores
        when = self._engine.number_column(seg.columns, "when")[seg.docs]
        return when if s.sort == "oldest" else -when

    def _collapsed(self, segments: list[Segment], keys: Any, docs: Any) -> Any:
        """Positions of each cluster's first match in sort order, and of every unclustered."""
        clusters = self._value_numbers(segments, "cluster")
        order = np.lexsort((docs, keys, clusters))
        first = np.ones(len(order), dtype=bool)
        first[1:] = clusters[order[1:]] != clusters[order[:-1]]
        # Whoosh never collapses documents without a key.
        first |= np.isin(clusters[order], self._engine.empty.get("cluster", []))
        return np.sort(order[first])

    def _value_numbers(self, segments: list[Segment], fieldname: str) -> Any:
        """Each match's value number of a column field, over all segments in order."""
        return _joined(
            [self._engine.value_numbers(seg.columns, fieldname)[seg.docs] for seg in segments],
            np.int64,
        )

    def _count(
        self, segments: list[Segment], fieldname: str, chosen: Any
    ) -> Iterator[tuple[str, int]]:
        """How many of the matches (``chosen`` of them, if given) hold each value."""
        numbers = self._value_numbers(segments, fieldname)
        if chosen is not None:
            numbers = numbers[chosen]
        values = self._engine.values.get(fieldname, [])
        counts = np.bincount(numbers, minlength=len(values))
        for number in np.flatnonzero(counts).tolist():
            yield values[number], int(counts[number])

    def last_order(self) -> int:
        """The order of the newest quote in the index (0 when empty)."""
        return self.indexed_seq() << ORDER_SHIFT | ((1 << ORDER_SHIFT) - 1)

    @staticmethod
    def highlight(text: str, terms: frozenset[str]) -> str:
        """``text`` as HTML with each word matching ``terms`` in <mark>.

        The quote's own tokens, analysed as the index analyses them, are compared with
        the terms: what Whoosh's highlighter does for a whole-text fragment, without its
        fragment scoring (a third of a search's time on a page of twenty hits).
        """
        out: list[str] = []
        last = 0
        if terms:
            for token in _TEXT_ANALYZER(text, chars=True, mode="query", removestops=False):
                if token.text in terms:
                    out.append(html.escape(text[last : token.startchar], quote=False))
                    word = html.escape(text[token.startchar : token.endchar], quote=False)
                    out.append(f"<mark>{word}</mark>")
                    last = token.endchar
        out.append(html.escape(text[last:], quote=False))
        return "".join(out)

    @_one_reader
    def suggest_words(self, q: str) -> str | None:
        """``q`` with unknown words replaced by the nearest indexed ones, or None."""
        searcher = self.searcher()
        corrector, reader = searcher.corrector("words"), searcher.reader()
        changed = False
        out = []
        for word in re.split(r"(\W+)", q):
            key = word.lower()
            if (
                word.isalpha()
                and word.upper() not in ("AND", "OR", "NOT")
                and not reader.frequency("words", key)
            ):
                guesses = corrector.suggest(key, limit=1)
                if guesses:
                    word, changed = guesses[0], True
            out.append(word)
        return "".join(out) if changed else None

    @_one_reader
    def suggest_name_words(self, name: str) -> list[str]:
        """The indexed name words nearest to each unknown word of ``name``."""
        searcher = self.searcher()
        corrector, reader = searcher.corrector("speaker"), searcher.reader()
        words = []
        for token in _NAME_ANALYZER(name):
            if reader.frequency("speaker", token.text):
                words.append(token.text)
            else:  # a guess reads the whole name lexicon: only for words it lacks
                words.append(next(iter(corrector.suggest(token.text, limit=1)), ""))
        return [w for w in words if w]

    @_one_reader
    def doc_count(self) -> int:
        return int(self.searcher().doc_count())


def whoosh_sortedby(s: Search) -> Any:
    """The ``sortedby`` for Whoosh's own ``searcher.search`` that orders ``s``'s matches as
    :meth:`Index.search` does (None: by score): the reference benchmarks and tests compare
    Index.search with."""
    if s.after is not None or s.until is not None:
        return sorting.FieldFacet("order")
    if s.sort == "relevance" and s.q:
        return None
    return sorting.FieldFacet("when", reverse=s.sort != "oldest")


def _joined(parts: list[Any], dtype: Any) -> Any:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


def _top(keys: Any, docs: Any, k: int) -> Any:
    """The ``k`` documents first by (key, document number), in that order.

    A partial sort: only the matches up to the k-th key (and its ties) are sorted.
    """
    if k <= 0 or not len(keys):
        return docs[:0]
    if k < len(keys):
        kth = np.partition(keys, k - 1)[k - 1]
        near = np.flatnonzero(keys <= kth)
        keys, docs = keys[near], docs[near]
    return docs[np.lexsort((docs, keys))[:k]]


# -- which index directory is in use --------------------------------------------------------


def pointer_stamp(data_dir: Path) -> tuple[int, int]:
    """What identifies the pointer file's current version: (inode, mtime); (0, 0) if none.

    ``os.replace`` gives the file a new inode, so a moved pointer never looks unchanged.
    """
    try:
        stat = os.stat(data_dir / INDEX_POINTER)
    except FileNotFoundError:
        return 0, 0
    return stat.st_ino, stat.st_mtime_ns


# Segments whose document counts share a power of this factor form a tier; a full tier
# is merged into one segment of the next.
MERGE_FACTOR = 8


# A commit merges at most this many documents, or twice its own if more: merging costs
# Whoosh about what indexing does, so a commit's work stays within three times its own
# and new articles are not kept waiting behind a big merge. The rest waits for
# Index.merge, when no change is waiting, which makes segments of at most
# IDLE_MERGE_DOCS documents (merging a million would take minutes).
COMMIT_MERGE_DOCS = 512
IDLE_MERGE_DOCS = MERGE_FACTOR**6


def tier_merges(segments: Sequence[Any], most: int | None = None) -> list[Any]:
    """The segments to merge into one: every full tier, and the mostly deleted.

    Segments whose document counts share a power of ``MERGE_FACTOR`` form a tier; a
    tier is full with ``MERGE_FACTOR`` segments, the segment being made counting as one
    while it is no bigger. Smaller segments left beside a full tier join its merge. A
    merge that would make a segment of more than ``most`` documents is left undone.
    """

    def tier(docs: int) -> int:
        return int(math.log(max(docs, 1), MERGE_FACTOR))

    merge = [seg for seg in segments if seg.doc_count() * 2 < seg.doc_count_all()]
    keep = sorted((seg for seg in segments if seg not in merge), key=lambda seg: seg.doc_count())
    merged = sum(seg.doc_count() for seg in merge)  # the segment being made, in documents
    level = 0
    while keep and level <= tier(max(keep[-1].doc_count(), merged)):
        same = sum(tier(seg.doc_count()) == level for seg in keep)
        if same + (bool(merge) and tier(merged) == level) >= MERGE_FACTOR:
            folded = [seg for seg in keep if tier(seg.doc_count()) <= level]
            if most is not None and merged + sum(seg.doc_count() for seg in folded) > most:
                break
            merge += folded
            merged += sum(seg.doc_count() for seg in folded)
            keep = keep[len(folded) :]
        level += 1
    return merge


def merge_tiers(writer: Any, segments: list[Any], most: int | None = None) -> list[Any]:
    """Whoosh merge policy: merge what :func:`tier_merges` says; return the rest.

    Each commit adds one small segment. Whoosh's own policy (``MERGE_SMALL``) merges
    every segment, the largest too, whenever there are a dozen small ones, so one
    commit in a dozen re-indexes the whole index (seconds under load, while new
    articles wait). Here a document is merged again only when its tier fills, about
    log8(N) times in all.
    """
    from whoosh.reading import SegmentReader

    merge = tier_merges(segments, most)
    for seg in merge:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in merge]


def merge_small_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """:func:`merge_tiers` for a commit: see ``COMMIT_MERGE_DOCS``."""
    return merge_tiers(writer, segments, most=max(COMMIT_MERGE_DOCS, 2 * writer.docnum))


def merge_big_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """:func:`merge_tiers` for an idle index: see ``IDLE_MERGE_DOCS``."""
    return merge_tiers(writer, segments, most=IDLE_MERGE_DOCS)


def current_index_dir(data_dir: Path) -> Path:
    """The index directory the pointer names (``index/`` when there is no pointer)."""
    try:
        name = (data_dir / INDEX_POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        name = _FIRST_INDEX
    if name != _FIRST_INDEX and not _INDEX_DIR.fullmatch(name):
        raise ValueError(
            f"{data_dir / INDEX_POINTER} names {name!r}, not an index directory; "
            "delete the file to use index/, or run `quoteapi reindex`."
        )
    return data_dir / name


def next_index_dir(data_dir: Path) -> Path:
    """A new, empty index directory, numbered after every one in ``data_dir``."""
    numbers = [int(m.group(1)) for p in data_dir.iterdir() if (m := _INDEX_DIR.fullmatch(p.name))]
    path = data_dir / f"index-{max(numbers, default=0) + 1}"
    path.mkdir()
    return path


def point_index(data_dir: Path, index_dir: Path) -> None:
    """Make ``index_dir`` the index in use, atomically and durably."""
    tmp = data_dir / f"{INDEX_POINTER}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(index_dir.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, data_dir / INDEX_POINTER)
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stale_index_dirs(data_dir: Path, keep: Sequence[Path]) -> list[Path]:
    """Index directories in ``data_dir`` other than ``keep``."""
    kept = {p.name for p in keep}
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.is_dir()
        and p.name not in kept
        and (p.name == _FIRST_INDEX or _INDEX_DIR.fullmatch(p.name))
    )
