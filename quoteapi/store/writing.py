"""Index writers that add quote documents with less Python per document than Whoosh's.

Whoosh's ``SegmentWriter.add_document`` sends every field value through its analyzer,
a chain of generators passing a ``Token`` object from filter to filter; its pool then
sorts every posting, and its codec takes them one call a posting, looking each one's
field length up in a column. For quote documents that is most of the cost of indexing
(``benchmarks/bench_ingest.py``). :class:`QuoteWriter` writes the same postings, stored
fields, lengths and columns, byte for byte (``tests/test_writing.py`` compares whole
indexes with Whoosh's own):

- a text field whose analyzer is one of the shapes in ``_FILTER_SHAPES`` is analysed by
  one loop over the tokenizer's matches (the same expression, filters and settings; a
  token's term is remembered); any other analyzer runs as Whoosh runs it;
- an id is its own term; a number is made sortable once for all its trie terms; the
  terms of a value many documents share (an article id, an outlet, a day, a date) are
  worked out once;
- postings reach the codec a term at a time (:class:`WritingCodec`), with the field
  lengths ``add_document`` recorded;
- with ``by_term`` (a segment of bounded size), postings are kept by term instead of in
  Whoosh's pool, so only the terms are sorted.

:class:`QuoteMpWriter` is Whoosh's multi-process writer with a :class:`QuoteWriter` in
each writer process, a job file one pickle a batch, and (``segment_docs``) a segment
written each so many documents while the next are added.
"""

from __future__ import annotations

import contextlib
import pickle
import queue
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh import multiproc
from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PostingsWriter,
    byte_to_length,
    length_to_byte,
)
from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, FieldType
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint
from whoosh.util import random_name
from whoosh.util.numeric import to_sortable
from whoosh.writing import SegmentWriter

# A value's (term, frequency, weight, encoded value) postings, as FieldType.index gives.
Items = list[tuple[bytes, int, float, bytes]]
# Field values remembered with their postings: bounded, then started afresh.
_MEMO_SIZE = 50_000
_TOKEN_CACHE_SIZE = 100_000

_FILTER_SHAPES = (
    (LowercaseFilter, StopFilter, StemFilter, CharsetFilter),
    (LowercaseFilter, StopFilter, StemFilter),
    (LowercaseFilter, CharsetFilter),
    (LowercaseFilter,),
)


def _terms_function(analyzer: Any) -> Callable[[str], list[tuple[str, int]]] | None:
    """A function giving the (term, position) tokens ``analyzer`` keeps for a string,
    for the analyzer shapes in ``_FILTER_SHAPES``; None for any other analyzer."""
    parts = list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    tokenizer, filters = parts[0], parts[1:]
    if type(tokenizer) is not RegexTokenizer or tokenizer.gaps:
        return None
    if tuple(type(f) for f in filters) not in _FILTER_SHAPES:
        return None
    finditer = tokenizer.expression.finditer
    by_type = {type(f): f for f in filters}
    stop = by_type.get(StopFilter)
    stem = by_type.get(StemFilter)
    charset = by_type.get(CharsetFilter)
    if stop is not None and not stop.renumber:
        return None
    stops = stop.stops if stop is not None else frozenset()
    minsize = stop.min if stop is not None else 0
    maxsize = stop.max if stop is not None else None
    charmap = charset.charmap if charset is not None else None
    stemfn = stem.stemfn if stem is not None else None
    ignore = stem.ignore if stem is not None else frozenset()
    # A token as written -> its term, or None for a stop word: words recur.
    known: dict[str, str | None] = {}

    def term_of(token: str) -> str | None:
        word = token.lower()
        if stop is not None:
            size = len(word)
            if size < minsize or (maxsize is not None and size > maxsize) or word in stops:
                return None
        if stemfn is not None and word not in ignore:
            word = stemfn(word)
        if charmap is not None:
            word = word.translate(charmap)
        if len(known) >= _TOKEN_CACHE_SIZE:
            known.clear()
        known[token] = word
        return word

    def terms(value: str) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        pos = -1
        for i, match in enumerate(finditer(value)):
            token = match.group(0)
            word = known[token] if token in known else term_of(token)
            if word is None:
                continue  # a stop word: Whoosh's StopFilter renumbers the positions after
            # After a stop filter, the first kept token keeps its place, the next follow.
            pos = i if stop is None or pos < 0 else pos + 1
            out.append((word, pos))
        return out

    return terms


def _text_index(field: FieldType) -> Callable[[Any], Items] | None:
    """A faster ``field.index`` for a TEXT field with positions or frequencies."""
    if type(field) is not TEXT or type(field.format) not in (Positions, Frequency):
        return None
    terms = _terms_function(field.analyzer)
    if terms is None:
        return None
    boost = field.format.field_boost
    if type(field.format) is Positions:
        encode = field.format.encode

        def positions(value: Any) -> Items:
            if not isinstance(value, str):
                return list(field.index(value))
            poses: dict[str, list[int]] = {}
            for word, pos in terms(value):
                found = poses.get(word)
                if found is None:
                    poses[word] = [pos]
                else:
                    found.append(pos)
            return [
                (word.encode("utf-8"), len(p), float(len(p)) * boost, encode(p))
                for word, p in poses.items()
            ]

        return positions

    def frequencies(value: Any) -> Items:
        if not isinstance(value, str):
            return list(field.index(value))
        freqs: dict[str, int] = {}
        for word, _ in terms(value):
            freqs[word] = freqs.get(word, 0) + 1
        return [
            (word.encode("utf-8"), n, float(n) * boost, pack_uint(n)) for word, n in freqs.items()
        ]

    return frequencies


def _id_index(field: FieldType) -> Callable[[Any], Items] | None:
    """A faster ``field.index`` for an ID field: its value is its one term."""
    if (
        type(field) is not ID
        or type(field.format) is not Existence
        or type(field.analyzer) is not IDTokenizer
    ):
        return None
    boost = field.format.field_boost

    def one_term(value: Any) -> Items:
        if not isinstance(value, str):
            return list(field.index(value))
        return [(value.encode("utf-8"), 1, boost, b"")]

    return one_term


def _numeric_index(field: FieldType) -> Callable[[Any], Items] | None:
    """A faster ``field.index`` for a NUMERIC field of integers: the number is made
    sortable once, not once for each of its trie terms."""
    if type(field) is not NUMERIC or field.decimal_places or not field.shift_step:
        return None
    shifts = range(0, field.bits, field.shift_step)
    numtype, bits, signed = field.numtype, field.bits, field.signed
    to_bytes = field.sortable_to_bytes

    def tiers(value: Any) -> Items:
        if type(value) is not int or numtype is not int:
            return list(field.index(value))
        sortable = to_sortable(numtype, bits, signed, field.prepare_number(value))
        return [(to_bytes(sortable, shift), 1, 1.0, b"") for shift in shifts]

    return tiers


class _Plan:
    """How :class:`QuoteWriter` adds one field's value."""

    __slots__ = ("column", "field", "index", "indexed", "memo", "scorable", "stored")

    def __init__(self, field: FieldType) -> None:
        self.field = field
        self.indexed = field.indexed
        self.scorable = bool(field.scorable)
        self.stored = field.stored
        self.column = field.column_type
        fast = (
            (_text_index(field) or _id_index(field) or _numeric_index(field))
            if field.indexed
            else None
        )
        self.index: Callable[[Any], Items] = fast or (lambda value: list(field.index(value)))
        # Values many documents share: an id that is not the document's own, a date.
        shared = (type(field) is ID and not field.unique) or type(field) is DATETIME
        self.memo: dict[Any, tuple[Items, Any]] | None = {} if shared else None

    def postings(self, value: Any) -> tuple[Items, Any]:
        """The value's postings and its column value (None without a column)."""
        memo = self.memo
        if memo is not None:
            try:
                return memo[value]
            except (KeyError, TypeError):
                pass
        items = self.index(value) if self.indexed else []
        column = self.field.to_column_value(value) if self.column else None
        if memo is not None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            with contextlib.suppress(TypeError):  # a value that cannot be a key
                memo[value] = (items, column)
        return items, column


# The length a length byte stands for (0: none).
_BYTE_LENGTHS = [int(byte_to_length(b)) if b else 0 for b in range(256)]


class _RecordedLengths:
    """A segment's per-document reader whose field lengths come from what the writer
    recorded for the documents it added, and from the segment's columns for others (a
    merged segment's)."""

    def __init__(self, reader: W3PerDocReader, writer: QuoteWriter) -> None:
        self._reader = reader
        self._added = writer._added_here
        self._lengths = writer._length_bytes

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            return default  # a field that is not scored: no document has a length
        if docnum < len(self._added) and self._added[docnum]:
            lbyte = lengths[docnum] if docnum < len(lengths) else 0
            return _BYTE_LENGTHS[lbyte] or default
        return int(self._reader.doc_field_length(docnum, fieldname, default))

    def lengths_of(self, fieldname: str, docnums: list[int]) -> list[int]:
        """``doc_field_length`` of each document, in order."""
        lengths, added = self._lengths.get(fieldname), self._added
        if lengths is None:
            return [0] * len(docnums)
        # Document numbers come in ascending order: the last is the largest.
        if (
            docnums
            and docnums[-1] < min(len(added), len(lengths))
            and all(added[docnum] for docnum in docnums)
        ):
            return [_BYTE_LENGTHS[lengths[docnum]] for docnum in docnums]
        return [self.doc_field_length(docnum, fieldname) for docnum in docnums]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _set(array: bytearray, index: int, value: int) -> None:
    if len(array) <= index:
        array.extend(bytes(index + 1 - len(array)))
    array[index] = value


class QuoteWriter(SegmentWriter):
    """Whoosh's segment writer, adding documents by :class:`_Plan` (see the module)."""

    def __init__(self, ix: Any, by_term: bool = False, **kwargs: Any) -> None:
        """``by_term``: keep the postings by term in memory, not in Whoosh's pool, which
        sorts them all when the segment is written and spills runs to disk past
        ``limitmb``: for a segment of a bounded number of documents."""
        super().__init__(ix, **kwargs)
        fields = {name: self.schema[name] for name in self.schema.names()}
        self._plans = {name: _Plan(field) for name, field in fields.items()}
        # Spelling words and term vectors: only Whoosh's own path writes them.
        self._plain = not any(f.separate_spelling() or f.vector for f in fields.values())
        # By document number: whether this writer's add_document added it, and the
        # length byte the codec keeps of each scored field.
        self._added_here = bytearray()
        self._length_bytes = {name: bytearray() for name, f in fields.items() if f.scorable}
        self._by_term: dict[tuple[str, bytes], list[tuple[int, float, bytes]]] | None = (
            {} if by_term and isinstance(self.fieldwriter, _FieldWriter) else None
        )

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        if not self._plain or any(name.startswith("_") for name in fields):
            # Boosts, custom stored values, spelling, vectors: Whoosh's own path.
            super().add_document(**fields)
            return
        names = sorted(fields)
        self._check_fields(self.schema, names)
        perdoc = self.perdocwriter
        docnum = self.docnum
        pool = self.pool
        postings = pool.current
        by_term = self._by_term
        plans = self._plans
        pooled = 0
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                plan = plans[name]
                items, column = plan.postings(value)
                length = 0
                if items:
                    if by_term is not None:
                        for tbytes, _, w, v in items:
                            key = (name, tbytes)
                            if key in by_term:
                                by_term[key].append((docnum, w, v))
                            else:
                                by_term[key] = [(docnum, w, v)]
                    else:
                        # What PostingPool.add does a posting, for the document's at once:
                        # the size it counts is a posting's tuple, its parts and lengths.
                        postings.extend((name, tbytes, docnum, w, v) for tbytes, _, w, v in items)
                        pooled += sum(
                            150 + len(name) + 2 * len(tbytes) + (len(v) if v else 0)
                            for tbytes, _, _, v in items
                        )
                    pool.fieldnames.add(name)
                    if plan.scorable:
                        length = sum(item[1] for item in items)
                        _set(self._length_bytes[name], docnum, length_to_byte(length))
                perdoc.add_field(name, plan.field, value if plan.stored else None, length)
                if column is not None:
                    perdoc.add_column_value(name, plan.column, column)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        _set(self._added_here, docnum, 1)
        pool.currentsize += pooled
        if pool.currentsize > pool.limit:
            pool.save()  # a sorted run to disk, as PostingPool.add would
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        by_term = self._by_term
        if not by_term:
            super()._flush_segment()
            return
        if self.pool.current or self.pool.runs:
            # Postings in the pool too (a merged segment's): all of them through it.
            self.pool.current.extend(
                (name, tbytes, docnum, w, v)
                for (name, tbytes), postings in by_term.items()
                for docnum, w, v in postings
            )
            by_term.clear()
            super()._flush_segment()
            return
        # Whoosh's _flush_segment, the terms sorted instead of every posting.
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        terms = ((name, tbytes, by_term[name, tbytes]) for name, tbytes in sorted(by_term))
        self.fieldwriter.add_terms(self.schema, lengths, terms)
        self.fieldwriter.close()
        if lengths:
            lengths.close()
        by_term.clear()

    def per_document_reader(self) -> Any:
        reader = super().per_document_reader()
        return _RecordedLengths(reader, self) if self._added_here else reader


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer, given a term's postings a block at a time."""

    def add_postings(
        self, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]
    ) -> None:
        """What ``add_posting`` does for each posting in turn (Whoosh 2.7's W3 codec)."""
        limit = self._blocklimit
        start, end = 0, len(ids)
        while start < end:
            if len(self._ids) >= limit:
                self._write_block()
            stop = min(end, start + limit - len(self._ids))
            self._ids.extend(ids[start:stop])
            block_weights = weights[start:stop]
            self._weights.extend(block_weights)
            self._maxweight = max(self._maxweight, *block_weights)  # type: ignore[has-type]
            self._values.extend(value for value in values[start:stop] if value)
            known = [length for length in lengths[start:stop] if length]
            if known:
                shortest: int | None = self._minlength  # type: ignore[has-type]
                if shortest is None or min(known) < shortest:
                    self._minlength = min(known)
                self._maxlength = max(self._maxlength, *known)  # type: ignore[has-type]
            start = stop


class _FieldWriter(W3FieldWriter):
    """Whoosh's field writer, handing each term's postings over at once."""

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        """Whoosh's ``FieldWriter.add_postings``: the sorted postings of a segment."""

        def terms() -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes]]]]:
            for (fieldname, btext), group in groupby(items, key=_FIELD_AND_TERM):
                postings = [(p[2], p[3], p[4]) for p in group if p[2] != -1]
                if postings:  # docnum -1: a spelling word (Whoosh's marker), not a posting
                    yield fieldname, btext, postings

        self.add_terms(schema, lengths, terms())

    def add_terms(
        self,
        schema: Any,
        lengths: Any,
        terms: Iterable[tuple[str, bytes, list[tuple[int, float, bytes]]]],
    ) -> None:
        """Each term's (docnum, weight, value) postings, terms in order."""
        lastfield: str | None = None
        lastterm = b""
        scored = False
        for fieldname, btext, postings in terms:
            if fieldname != lastfield:
                if lastfield is not None:
                    if fieldname < lastfield:
                        raise OutOfOrderError(f"Field {lastfield!r} .. {fieldname!r}")
                    self.finish_field()
                fieldobj = schema[fieldname]
                self.start_field(fieldname, fieldobj)
                scored = bool(fieldobj.scorable) and bool(lengths)
                lastfield = fieldname
            elif btext < lastterm:
                raise OutOfOrderError(f"Term {fieldname}:{lastterm!r} .. {btext!r}")
            lastterm = btext
            ids = [posting[0] for posting in postings]
            # A field that is not scored has no lengths.
            found = _lengths_of(lengths, fieldname, ids) if scored else [0] * len(ids)
            self.start_term(btext)
            self._postwriter.add_postings(
                ids,
                [posting[1] for posting in postings],
                [posting[2] or b"" for posting in postings],
                found,
            )
            self.finish_term()
        if lastfield is not None:
            self.finish_field()


_FIELD_AND_TERM = itemgetter(0, 1)


def _lengths_of(lengths: Any, fieldname: str, docnums: list[int]) -> list[int]:
    if isinstance(lengths, _RecordedLengths):
        return lengths.lengths_of(fieldname, docnums)
    return [lengths.doc_field_length(docnum, fieldname) for docnum in docnums]


class WritingCodec(W3Codec):
    """Whoosh's W3 codec, writing postings through :class:`_FieldWriter`."""

    def field_writer(self, storage: Any, segment: Any) -> _FieldWriter:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # term vectors: Whoosh's own writer
            return super().postings_writer(dbfile, byteids)
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=False,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _QuoteSubWriterTask(multiproc.SubWriterTask):
    """Whoosh's writer process with a :class:`QuoteWriter`. Leaving its own segments
    (``multisegment``), it writes one once it holds ``segment_docs`` documents (then
    twice that, and so on) and starts the next, so that its segments are written while
    documents still come, not all at the commit."""

    segment_docs: int | None = None

    def run(self) -> None:
        if not self.multisegment:
            # Whoosh's task, merging into the parent's segment, makes its writer from
            # this name: in this process only.
            multiproc.SegmentWriter = QuoteWriter
            super().run()
            return
        ix = self.storage.open_index(self.indexname)
        # A segment of at most segment_docs documents: its postings by term, in memory.
        by_term = bool(self.segment_docs)
        limit = self.segment_docs
        self.writer = QuoteWriter(ix, _lk=False, by_term=by_term, **self.kwargs)
        segments = []
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
            if limit and self.writer.doc_count() >= limit:
                segments.append(self.writer._finalize_segment())
                self.writer = QuoteWriter(ix, _lk=False, by_term=by_term, **self.kwargs)
                # Each segment twice the last: a million documents leave a few dozen
                # segments, not hundreds, and a small run's last one is small.
                limit *= 2
        if not self.running:
            self.writer.cancel()
            return
        if self.writer.doc_count():
            segments.append(self.writer._finalize_segment())
        else:
            self.writer._close_segment()
        # (run, fields, segments): the parent's _commit takes a list of segments.
        self.resultqueue.put((None, None, segments), timeout=5)

    def _process_file(self, filename: str, doc_count: int) -> None:
        """Add the documents of a job file :meth:`QuoteMpWriter._enqueue` wrote."""
        storage = self.writer.temp_storage()
        with storage.open_file(filename).raw_file() as f:
            docs = pickle.load(f)
        for fields in docs:
            self.writer.add_document(**fields)
        storage.delete_file(filename)


class QuoteMpWriter(multiproc.MpWriter):
    """Whoosh's multi-process writer whose writer processes are :class:`QuoteWriter`,
    handed each batch of documents as one pickle (Whoosh's pickles each document).

    With ``multisegment``, each writer process leaves a segment each ``segment_docs``
    documents (all of them in one by default) and the commit adds them all.
    """

    def __init__(self, ix: Any, segment_docs: int | None = None, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.segment_docs = segment_docs

    def _new_task(self) -> Any:
        task = _QuoteSubWriterTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        task.segment_docs = self.segment_docs
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        buffered: list[tuple[int, dict[str, Any]]] = self.docbuffer
        docs = [fields for _, fields in buffered]  # (0, fields): "add_document"
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            pickle.dump(docs, f, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self.jobqueue.put((filename, len(docs)))
        self.docbuffer: list[tuple[int, dict[str, Any]]] = []

    def _segments_of_a_task(self) -> list[Any]:
        """The next writer process's segments, once it has written them all.

        Raises:
            RuntimeError: the writer processes ended with a result missing.
        """
        while True:
            try:
                _, _, segments = self.resultqueue.get(timeout=0.5)
            except queue.Empty:
                if not any(task.is_alive() for task in self.tasks):
                    raise RuntimeError("a writer process ended without its segments") from None
            else:
                return list(segments)

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if not self.multisegment:
            super()._commit(mergetype, optimize, merge)
            return
        # Whoosh's MpWriter._commit for its own segments, each task giving a list.
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        for _ in self.tasks:
            finalsegments += self._segments_of_a_task()
        for task in self.tasks:
            task.join()
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
