"""Matches, totals, facets and pages of a Whoosh query with numpy, segment by segment.

Whoosh's collectors visit every match in Python: at a million quotes a common word
matches a quarter of them and a search took seconds. Here the query's own matcher tree
(what Whoosh would run, built by Whoosh on each segment) is evaluated a posting block at
a time: each term's document numbers and weights come straight from its posting blocks
into numpy arrays, AND/OR/NOT are array operations, BM25F scores are computed over whole
arrays with Whoosh's formula and statistics, and date and order ranges compare each
segment's column instead of reading trie terms. Facets are counts of each segment's value
numbers over the matches; the page is a partial sort of the matches' keys. A phrase is
the AND of its words, then their positions where all of them are. Parts of a matcher
tree this module does not know run through Whoosh's own matcher, posting by posting.

Segments never change but for deletions, so their arrays are kept until the segment
goes: column values as numbers, sort keys, field lengths, and the decoded postings of
the most used terms (a bounded cache).
"""

from __future__ import annotations

import itertools
import pickle
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import columns, matching
from whoosh.codec import whoosh3
from whoosh.matching import combo, wrappers
from whoosh.matching.binary import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    UnionMatcher,
)
from whoosh.query import Every, NumericRange, Phrase, Query, QueryError, SpanNear2, Term
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util import make_binary_tree
from whoosh.util.numeric import to_sortable

Array = np.ndarray[Any, Any]

# Column fields compared directly by range queries, and the columns the engine reads as
# fixed-width numbers (sort keys): name -> numpy dtype of Whoosh's big-endian column.
_NUMBER_COLUMNS = {"date": ">u8", "order": ">u8", "when": ">i8"}
# Field lengths are stored as one byte a document; Whoosh decodes them with this table.
_LENGTHS = np.array([whoosh3.byte_to_length(b) for b in range(256)], dtype=np.float64)
# In a posting block's pickle, what starts the positions (pickled through _codecs.encode,
# which costs ~0.7 µs a posting to unpickle): reading stops before it.
_VALUES_START = b"c_codecs\nencode\n"
# Terms with fewer postings are read each time (cheap); more are kept, this many bytes of
# them a process at most, least recently used first out.
CACHE_MIN_POSTINGS = 2048
CACHE_BYTES = 96 * 1024 * 1024
_CHECK_EVERY = 64  # posting blocks (or 64 * 4 postings walked in Python) between clock checks


class SearchTimeout(RuntimeError):
    """A search ran past its time budget and was stopped."""


@dataclass(slots=True)
class _Matches:
    """A segment's matching documents (ascending, segment numbers) and their scores."""

    docs: Array
    scores: Array | None


@dataclass(slots=True)
class Segment:
    """One segment's part of a search: its first document's number, matches and arrays."""

    offset: int
    docs: Array
    scores: Array | None
    columns: _Columns


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise SearchTimeout("The search ran out of time.")


class _ColumnRange(NumericRange):
    """A numeric range read from the field's column instead of its trie terms."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _ColumnRangeMatcher(self)


class _ColumnRangeMatcher(matching.NullMatcherClass):
    """Stands for a :class:`_ColumnRange` in a matcher tree; the engine evaluates it."""

    def __init__(self, query: Any) -> None:
        self.query = query


class _AllDocs(Every):
    """Every document, without Whoosh listing the document numbers one by one."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _AllDocsMatcher(self)


class _AllDocsMatcher(_ColumnRangeMatcher):
    """Stands for :class:`_AllDocs` in a matcher tree."""


class _Phrase(Phrase):
    """A phrase whose matcher leaves its words' postings unread until the engine asks."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        # What Phrase.matcher checks, without starting Whoosh's phrase matcher (which
        # reads postings, in Python, until it finds the first match).
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[self.fieldname]
        if not field.format or not field.format.supports("positions"):
            raise QueryError(f"Phrase search: {self.fieldname!r} field has no positions")
        terms = []
        for word in self.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, text) not in searcher.reader():
                return matching.NullMatcher()
            terms.append(Term(self.fieldname, text))
        return _PhraseMatcher(self, [t.matcher(searcher, context) for t in terms])


class _PhraseMatcher(matching.NullMatcherClass):
    """Stands for a :class:`_Phrase` (and its words' matchers) in a matcher tree."""

    def __init__(self, query: _Phrase, words: list[Any]) -> None:
        self.query = query
        self.words = words

    def whoosh(self) -> Any:
        """Whoosh's own matcher for the phrase (what Phrase.matcher returns)."""
        m = SpanNear2.SpanNear2Matcher(self.words, slop=self.query.slop, ordered=True, mindist=1)
        return m if self.query.boost == 1.0 else matching.WrappingMatcher(m, self.query.boost)


def _column_ranges(q: Query) -> Query:
    """``q`` with the parts the engine reads from columns put in its own terms."""
    if type(q) is Phrase:
        return _Phrase(q.fieldname, q.words, q.slop, q.boost, q.char_ranges)
    if type(q) is Every and q.fieldname in (None, "", "*"):
        return _AllDocs(boost=q.boost)
    if isinstance(q, NumericRange) and q.fieldname in _NUMBER_COLUMNS:
        return _ColumnRange(
            q.fieldname, q.start, q.end, q.startexcl, q.endexcl, q.boost, q.constantscore
        )
    return q


class _Columns:
    """A segment's arrays, made on first use and kept while the segment lives."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.count = int(reader.doc_count_all())
        self.arrays: dict[str, Array] = {}
        self.deleted: tuple[int, Array | None] = (-1, None)
        self.lock = threading.Lock()

    def kept(self, key: str, make: Callable[[], Array]) -> Array:
        """The array kept under ``key``, made by ``make`` the first time (once however
        many threads ask at once)."""
        found = self.arrays.get(key)
        if found is None:
            with self.lock:
                found = self.arrays.get(key)
                if found is None:
                    found = self.arrays[key] = make()
        return found


class Engine:
    """Per-segment arrays and the numpy evaluation of queries over them."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._segments: dict[str, _Columns] = {}
        # Column fields' values, numbered across segments: field -> value -> number.
        self._numbers: dict[str, dict[Any, int]] = {}
        self.values: dict[str, list[str]] = {}
        self.empty: dict[str, list[int]] = {}  # the numbers of a field's empty value
        self._postings: OrderedDict[tuple[str, str, bytes], tuple[Array, Array | None]] = (
            OrderedDict()
        )
        self._postings_bytes = 0
        self._lock = threading.Lock()

    # -- segments and their arrays --------------------------------------------------------

    def forget(self, live: Iterable[str]) -> None:
        """Drop the arrays of segments no longer in the index."""
        keep = set(live)
        with self._lock:
            self._segments = {k: v for k, v in self._segments.items() if k in keep}
            for key in [k for k in self._postings if k[0] not in keep]:
                ids, weights = self._postings.pop(key)
                self._postings_bytes -= ids.nbytes + (0 if weights is None else weights.nbytes)

    def _columns(self, reader: Any) -> _Columns:
        key = reader.segment().segment_id()
        with self._lock:
            found = self._segments.get(key)
            if found is None:
                found = self._segments[key] = _Columns(reader)
            # the arrays outlive a searcher; its readers close with it
            found.reader = reader
            return found

    def value_numbers(self, cols: _Columns, fieldname: str) -> Array:
        """Each document's value of a column field as a number (see ``values``)."""
        return cols.kept(fieldname, lambda: self._number_values(cols, fieldname))

    def _number_values(self, cols: _Columns, fieldname: str) -> Array:
        fieldobj = self.schema[fieldname]
        with self._lock:
            numbers = self._numbers.setdefault(fieldname, {})
            values = self.values.setdefault(fieldname, [])
            local: dict[Any, int] = {}
            column = cols.reader.column_reader(fieldname, translate=False)
            out = np.fromiter(
                (local.setdefault(v, len(local)) for v in column), dtype=np.int32, count=cols.count
            )
            mapping = np.empty(len(local), dtype=np.int32)
            for value, n in local.items():
                number = numbers.get(value)
                if number is None:
                    number = numbers[value] = len(values)
                    values.append(fieldobj.from_column_value(value))
                    if not values[-1]:
                        self.empty.setdefault(fieldname, []).append(number)
                mapping[n] = number
        return mapping[out]

    def number_column(self, cols: _Columns, fieldname: str) -> Array:
        """A fixed-width number column (``_NUMBER_COLUMNS``) as one numpy array."""
        return cols.kept(
            fieldname,
            lambda: _read_numbers(
                cols.reader.column_reader(fieldname, translate=False),
                cols.count,
                _NUMBER_COLUMNS[fieldname],
            ),
        )

    def _lengths(self, cols: _Columns, fieldname: str) -> Array:
        """Each document's length in ``fieldname`` (ones for a field that keeps none)."""

        def read() -> Array:
            lengths = cols.reader._perdoc._cached_reader(
                whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN
            )
            if lengths is None:
                return np.ones(cols.count, dtype=np.uint8)
            return _read_numbers(lengths, cols.count, "u1")

        return cols.kept(f"length:{fieldname}", read)

    def _live(self, cols: _Columns) -> Array | None:
        """A mask of the segment's undeleted documents (None: none deleted)."""
        segment = cols.reader.segment()
        deleted = segment.deleted_count()
        if not deleted:
            return None
        known, mask = cols.deleted
        if known != deleted or mask is None:
            mask = np.ones(cols.count, dtype=bool)
            mask[np.fromiter(segment.deleted_docs(), dtype=np.int64)] = False
            cols.deleted = (deleted, mask)
        return mask

    def warm(self, searcher: Any, numbered: Iterable[str], scored: Iterable[str]) -> None:
        """Read every segment's arrays now rather than at the first search that needs them
        (seconds at a million quotes): the value numbers of the ``numbered`` column
        fields, the number columns, the lengths of the ``scored`` fields, the deletions."""
        for subsearcher, _ in searcher.leaf_searchers():
            reader = subsearcher.reader()
            if reader.segment() is None:  # an empty index
                continue
            cols = self._columns(reader)
            for fieldname in numbered:
                self.value_numbers(cols, fieldname)
            for fieldname in _NUMBER_COLUMNS:
                self.number_column(cols, fieldname)
            for fieldname in scored:
                self._lengths(cols, fieldname)
            self._live(cols)

    # -- matching -------------------------------------------------------------------------

    def match(self, searcher: Any, q: Query, scored: bool, budget: float) -> list[Segment]:
        """Every document of every segment matching ``q``, with scores when ``scored``."""
        deadline = _Deadline(budget)
        q = q.accept(_column_ranges)
        out = []
        for subsearcher, offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            if reader.segment() is None or not reader.doc_count_all():
                continue
            cols = self._columns(reader)
            context = subsearcher.context() if scored else subsearcher.boolean_context()
            run = _Run(self, cols, subsearcher, scored, deadline)
            found = run.evaluate(q.matcher(subsearcher, context))
            deadline.check()
            live = self._live(cols)
            docs, scores = found.docs, found.scores
            if live is not None:
                keep = live[docs]
                docs = docs[keep]
                scores = None if scores is None else scores[keep]
            out.append(Segment(offset, docs, scores, cols))
        return out

    def postings(self, cols: _Columns, m: Any, deadline: _Deadline) -> tuple[Array, Array | None]:
        """A term's document numbers and weights (None: all 1.0) from its posting blocks."""
        fieldname, text = m._term
        key = (cols.reader.segment().segment_id(), fieldname, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = _read_blocks(m, deadline)
        if len(found[0]) >= CACHE_MIN_POSTINGS:
            size = found[0].nbytes + (0 if found[1] is None else found[1].nbytes)
            with self._lock:
                if key not in self._postings:
                    self._postings[key] = found
                    self._postings_bytes += size
                while self._postings_bytes > CACHE_BYTES and self._postings:
                    ids, weights = self._postings.popitem(last=False)[1]
                    self._postings_bytes -= ids.nbytes + (0 if weights is None else weights.nbytes)
        return found


def _read_numbers(column: Any, count: int, dtype: str) -> Array:
    """A ``NumericColumn`` reader's values as an array of ``count`` numbers.

    Whoosh writes nothing for the trailing documents that hold the default value.
    """
    native = np.dtype(dtype).newbyteorder("=")
    if type(column) is not columns.NumericColumn.Reader:
        return np.fromiter(iter(column), dtype=native, count=count)
    width = column._fixedlen
    have = min(column._count, count)
    raw = np.frombuffer(column._dbfile.get(column._basepos, have * width), dtype=dtype)
    out = np.full(count, column._default, dtype=native)
    out[:have] = raw
    return out


def _read_blocks(m: Any, deadline: _Deadline) -> tuple[Array, Array | None]:
    """Document numbers and weights of a ``W3LeafMatcher``'s posting blocks.

    A block is a zlib-compressed pickle of (delta-encoded ids, weights, values); only the
    start of it is decompressed and unpickled when the values are positions.
    """
    postfile = m._postfile
    m.reset()
    ids: list[tuple[int, ...]] = []
    weights: list[Any] = []
    lasts: list[int] = []
    while True:
        n = m._blocklength
        data = postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        block = _ids_and_weights(data, m._compression, n)
        ids.append(block[0])
        weights.append(block[1])
        lasts.append(m._maxid)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
        if len(ids) % _CHECK_EVERY == 0:
            deadline.check()
    sizes = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    total = int(sizes.sum())
    deltas = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=total)
    # Each block's first id is absolute: make it a delta from the previous block's last.
    starts = np.cumsum(sizes)[:-1]
    deltas[starts] -= np.array(lasts[:-1], dtype=np.int64)
    docs = np.cumsum(deltas).astype(np.int32)
    if all(w is None for w in weights):
        return docs, None
    flat = itertools.chain.from_iterable(
        itertools.repeat(1.0 if w is None else w, size) if not isinstance(w, tuple) else w
        for w, size in zip(weights, sizes.tolist(), strict=True)
    )
    return docs, np.fromiter(flat, dtype=np.float32, count=total)


def _ids_and_weights(data: bytes, compression: int, n: int) -> tuple[tuple[int, ...], Any]:
    # ids take at most 5 bytes each in the pickle, weights 9: enough to find the values
    head = zlib.decompressobj().decompress(data, 14 * n + 64) if compression else data
    cut = head.find(_VALUES_START)
    if cut > 0:
        if head[cut - 1 : cut] == b"(":
            cut -= 1
        try:
            # the two items on the stack as a tuple (TUPLE2), then STOP
            got = pickle.loads(head[:cut] + b"\x86.")
        except Exception:
            got = None
        if isinstance(got, tuple) and isinstance(got[0], tuple) and len(got[0]) == n:
            return got[0], got[1]
    whole = pickle.loads(zlib.decompress(data) if compression else data)
    return whole[0], whole[1]


class _Run:
    """The evaluation of one segment's matcher tree."""

    def __init__(
        self, engine: Engine, cols: _Columns, searcher: Any, scored: bool, deadline: _Deadline
    ) -> None:
        self.engine = engine
        self.cols = cols
        self.searcher = searcher
        self.scored = scored
        self.deadline = deadline
        self._handlers: dict[type, Callable[[Any], _Matches]] = {
            whoosh3.W3LeafMatcher: self._leaf,
            IntersectionMatcher: self._intersection,
            UnionMatcher: self._union,
            AndNotMatcher: self._and_not,
            AndMaybeMatcher: self._and_maybe,
            combo.ArrayUnionMatcher: self._array_union,
            wrappers.InverseMatcher: self._inverse,
            wrappers.RequireMatcher: self._require,
            wrappers.WrappingMatcher: self._wrapping,
            wrappers.FilterMatcher: self._filter,
            matching.NullMatcherClass: self._null,
            _ColumnRangeMatcher: self._column_range,
            _AllDocsMatcher: self._all,
            _PhraseMatcher: self._phrase,
        }

    def evaluate(self, m: Any) -> _Matches:
        handler = self._handlers.get(type(m))
        if handler is None:
            return self._walk(m)
        return handler(m)

    def _empty(self) -> _Matches:
        return _Matches(np.empty(0, np.int32), np.empty(0) if self.scored else None)

    def _null(self, m: Any) -> _Matches:
        return self._empty()

    def _walk(self, m: Any) -> _Matches:
        """Whoosh's own matcher, posting by posting (a phrase with slop, say)."""
        docs: list[int] = []
        scores: list[float] = []
        n = 0
        while m.is_active():
            docs.append(m.id())
            if self.scored:
                scores.append(m.score())
            m.next()
            n += 1
            if n % (_CHECK_EVERY * 4) == 0:
                self.deadline.check()
        found = np.array(docs, dtype=np.int32)
        return _Matches(found, np.array(scores, dtype=np.float64) if self.scored else None)

    def _score(self, scorer: Any, fieldname: str, docs: Array, weights: Array | None) -> Array:
        tf = np.ones(len(docs)) if weights is None else weights.astype(np.float64)
        if type(scorer) is BM25FScorer:
            fl = _LENGTHS[self.engine._lengths(self.cols, fieldname)[docs]]
            k1, b = scorer.K1, scorer.B
            # Whoosh's bm25(), term by term, so the scores are the same to the last bit
            return scorer.idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / scorer.avgfl)))
        if type(scorer) is WeightScorer:
            return tf
        raise _Unknown

    def _leaf(self, m: Any) -> _Matches:
        docs, weights = self.engine.postings(self.cols, m, self.deadline)
        if not self.scored:
            return _Matches(docs, None)
        try:
            return _Matches(docs, self._score(m.scorer, m._term[0], docs, weights))
        except _Unknown:
            m.reset()
            return self._walk(m)

    def _pair(self, m: Any) -> tuple[_Matches, _Matches, Array, Array]:
        """Both sides of a binary matcher, and where ``a``'s documents are in ``b``."""
        a, b = self.evaluate(m.a), self.evaluate(m.b)
        hit, at = _where(a.docs, b.docs)
        return a, b, hit, at

    def _intersection(self, m: Any) -> _Matches:
        return self._and(self.evaluate(m.a), self.evaluate(m.b))

    def _require(self, m: Any) -> _Matches:
        a, _, hit, _ = self._pair(m)
        return _Matches(a.docs[hit], None if a.scores is None else a.scores[hit])

    def _and_not(self, m: Any) -> _Matches:
        a, _, hit, _ = self._pair(m)
        return _Matches(a.docs[~hit], None if a.scores is None else a.scores[~hit])

    def _and_maybe(self, m: Any) -> _Matches:
        a, b, hit, at = self._pair(m)
        scores = None
        if self.scored:
            assert a.scores is not None and b.scores is not None
            scores = a.scores.copy()
            scores[hit] = a.scores[hit] + b.scores[at[hit]]
        return _Matches(a.docs, scores)

    def _union(self, m: Any) -> _Matches:
        return self._sum([self.evaluate(m.a), self.evaluate(m.b)], 1.0)

    def _array_union(self, m: Any) -> _Matches:
        return self._sum([self.evaluate(sub) for sub in m._submatchers], m._boost)

    def _sum(self, parts: list[_Matches], boost: float) -> _Matches:
        """The union of ``parts``, each document's score the sum of its parts' in order."""
        seen = np.zeros(self.cols.count, dtype=bool)
        for part in parts:
            seen[part.docs] = True
        docs = np.flatnonzero(seen).astype(np.int32)
        scores = None
        if self.scored:
            total = np.zeros(self.cols.count)
            for part in parts:
                assert part.scores is not None
                total[part.docs] += part.scores if boost == 1.0 else part.scores * boost
            scores = total[docs]
        return _Matches(docs, scores)

    def _inverse(self, m: Any) -> _Matches:
        child = self.evaluate(m.child)
        seen = np.ones(m.limit, dtype=bool)
        seen[child.docs] = False
        docs = np.flatnonzero(seen).astype(np.int32)
        return _Matches(docs, np.full(len(docs), float(m._weight)) if self.scored else None)

    def _wrapping(self, m: Any) -> _Matches:
        child = self.evaluate(m.child)
        if child.scores is not None and m.boost != 1.0:
            return _Matches(child.docs, child.scores * m.boost)
        return child

    def _filter(self, m: Any) -> _Matches:
        child = self._wrapping(m)
        ids = np.fromiter(m._ids, dtype=np.int64)
        inside = np.isin(child.docs, ids)
        keep = ~inside if m._exclude else inside
        return _Matches(child.docs[keep], None if child.scores is None else child.scores[keep])

    def _phrase(self, m: _PhraseMatcher) -> _Matches:
        """Documents with the words in a row: the words' documents and scores in numpy
        (Whoosh scores a phrase as the AND of its words), positions only where all are."""
        leaves = [w.child if type(w) is wrappers.FilterMatcher else w for w in m.words]
        if m.query.slop != 1 or any(type(leaf) is not whoosh3.W3LeafMatcher for leaf in leaves):
            return self._walk(m.whoosh())
        both = make_binary_tree(self._and, [self.evaluate(w) for w in m.words])
        if len(both.docs):
            words = [_positions(leaf, both.docs, self.deadline) for leaf in leaves]
            keep = np.fromiter(
                (_in_a_row(at) for at in zip(*words, strict=True)), dtype=bool, count=len(both.docs)
            )
            both = _Matches(both.docs[keep], None if both.scores is None else both.scores[keep])
        if both.scores is not None and m.query.boost != 1.0:
            both = _Matches(both.docs, both.scores * m.query.boost)
        return both

    def _and(self, a: _Matches, b: _Matches) -> _Matches:
        """Documents in both, scored ``a + b`` (IntersectionMatcher's score)."""
        hit, at = _where(a.docs, b.docs)
        scores = None
        if a.scores is not None and b.scores is not None:
            scores = a.scores[hit] + b.scores[at[hit]]
        return _Matches(a.docs[hit], scores)

    def _all(self, m: _AllDocsMatcher) -> _Matches:
        docs = np.arange(self.cols.count, dtype=np.int32)
        return _Matches(docs, np.full(len(docs), float(m.query.boost)) if self.scored else None)

    def _column_range(self, m: _ColumnRangeMatcher) -> _Matches:
        q = m.query
        fieldobj = self.engine.schema[q.fieldname]
        values = self.engine.number_column(self.cols, q.fieldname)
        keep = np.ones(self.cols.count, dtype=bool)
        # The column holds what the field's to_column_value makes of a value.
        if q.start is not None:
            start = _column_value(fieldobj, q.start)
            keep &= (values > start) if q.startexcl else (values >= start)
        if q.end is not None:
            end = _column_value(fieldobj, q.end)
            keep &= (values < end) if q.endexcl else (values <= end)
        docs = np.flatnonzero(keep).astype(np.int32)
        return _Matches(docs, np.full(len(docs), float(q.boost)) if self.scored else None)


def _where(a: Array, b: Array) -> tuple[Array, Array]:
    """Which of ``a`` are in ``b`` (both ascending), and where in ``b`` each would be."""
    at = np.searchsorted(b, a)
    inside = at < len(b)
    hit = np.zeros(len(a), dtype=bool)
    hit[inside] = b[at[inside]] == a[inside]
    return hit, at


def _positions(m: Any, docs: Array, deadline: _Deadline) -> list[list[int]]:
    """The positions of a ``W3LeafMatcher``'s term in each of ``docs`` (which all hold it).

    Only the posting blocks holding some of ``docs`` are unpickled in full.
    """
    out: list[list[int]] = []
    wanted = docs.tolist()
    j = 0
    m.reset()
    blocks = 0
    while j < len(wanted):
        if wanted[j] <= m._maxid:
            data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
            ids, _, values = pickle.loads(zlib.decompress(data) if m._compression else data)
            where = dict(zip(itertools.accumulate(ids), values, strict=True))
            while j < len(wanted) and wanted[j] <= m._maxid:
                out.append(m.format.decode_as("positions", where[wanted[j]]))
                j += 1
        if j < len(wanted):
            m._goto(m._nextoffset)
            blocks += 1
            if blocks % _CHECK_EVERY == 0:
                deadline.check()
    return out


def _in_a_row(positions: tuple[list[int], ...]) -> bool:
    """Whether some position of the first word has each next word one further on."""
    rest = [set(p) for p in positions[1:]]
    return any(all(p + k in later for k, later in enumerate(rest, 1)) for p in positions[0])


def _column_value(fieldobj: Any, number: int) -> int:
    """A range bound as the column stores it (DATETIME: the number itself; NUMERIC: sortable)."""
    if type(fieldobj).__name__ == "DATETIME":
        return int(number)
    number = fieldobj.prepare_number(number)
    return int(to_sortable(fieldobj.numtype, fieldobj.bits, fieldobj.signed, number))


class _Unknown(Exception):
    """A scorer the engine does not compute with numpy."""
