"""QuoteWriter and QuoteMpWriter against Whoosh's own writers: the same index, byte for byte
in every posting, stored field, length and column, whatever the text."""

from __future__ import annotations

import pickle
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import (
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.codec.base import OutOfOrderError
from whoosh.fields import ID, TEXT, Schema
from whoosh.multiproc import MpWriter
from whoosh.writing import OPTIMIZE

from quoteapi.store.index import (
    _TEXT_ANALYZER,
    _WORDS_ANALYZER,
    SCHEMA,
    Codec,
    Index,
    WhooshCodec,
    documents,
)
from quoteapi.store.writing import QuoteMpWriter, QuoteWriter, _terms_function

# Text that takes every branch of the analyzers: stop words, one-letter words, dotted
# abbreviations, accents, apostrophes, digits, the asterisk the tokenizer keeps, letters
# whose lower case is longer (İ), scripts without case, characters past the BMP.
PIECES = [
    "the",
    "a",
    "I",
    "of",
    "it",
    "is",
    "U.S.",
    "e.g.",
    "Mr.",
    "said",
    "saying",
    "says",
    "running",
    "ran",
    "runs",
    "Café",
    "café",
    "naïve",
    "Élysée",
    "don't",
    "Putin’s",
    "Kim",
    "Jong-un",
    "2024",
    "3.5",
    "1,000",
    "self-*",
    "a*b",
    "İstanbul",
    "straße",
    "ﬁne",
    "Łódź",
    "Ωmega",
    "東京",
    "🙂",
    "x" * 40,
    "rock ’n’ roll",
    "“quoted”",
    "—",
    "...",
    "\n",
    "  ",
    "support",
    "supports",
    "supported",
    "economy",
    "economic",
    "economies",
    "TBD",
    "Tbd",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(PIECES) for _ in range(words))


def _rows(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Rows shaped as Record.index_rows gives them: several quotes an article, shared
    speakers, outlets, clusters and dates, some fields missing."""
    rng = random.Random(seed)
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    rows = []
    for n in range(count):
        article = n // 4
        speaker = rng.choice([None, "Vladimir Putin", "Kim Jong-un", "José Álvarez", "İlkay"])
        rows.append(
            {
                "id": f"q{n:05d}",
                "article_id": f"a{article:04d}",
                "text": _text(rng, rng.choice([0, 1, 3, 12, 40])),
                "kind": rng.choice(["direct", "partial"]),
                "cluster_id": f"q{(n - n % 3):05d}" if n % 5 else f"q{n:05d}",
                "published": None
                if article % 7 == 0
                else (start + timedelta(hours=article)).isoformat(),
                "ingested_at": start.isoformat(),
                "seq": article + 1,
                "position": n % 4,
                "speaker_name": speaker,
                "speaker_id": speaker and speaker.lower().replace(" ", "-"),
                "outlet": rng.choice([None, "Reuters", "Le Monde", "KCNA"]),
            }
        )
    return rows


def _contents(path: Path) -> dict[str, Any]:
    """Everything an index holds, by document id instead of document number (segments
    made by several processes number documents differently)."""
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as reader:
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        postings: dict[tuple[str, bytes], list[Any]] = {}
        infos = {}
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            found = []
            while matcher.is_active():
                found.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            postings[(fieldname, term)] = sorted(found)
            info = reader.term_info(fieldname, term)
            infos[(fieldname, term)] = (
                info.weight(),
                info.doc_frequency(),
                info.max_weight(),
                info.min_length(),
                info.max_length(),
            )
        names = SCHEMA.names()
        return {
            "count": reader.doc_count_all(),
            "postings": postings,
            "terms": infos,
            "stored": {ids[d]: fields for d, fields in reader.iter_docs()},
            "lengths": {
                (ids[d], name): reader.doc_field_length(d, name) for d in ids for name in names
            },
            "field_lengths": {name: reader.field_length(name) for name in names},
            "columns": {
                (name, ids[d]): value
                for name in names
                if reader.has_column(name)
                for d, value in enumerate(reader.column_reader(name, translate=False))
            },
        }


def _build(path: Path, make_writer: Callable[[Any], Any], batches: list[list[dict]]) -> None:
    """Each batch of documents in one writer and commit; the last commit merges all."""
    Index(path).close()
    ix = whoosh_index.open_dir(str(path))
    for i, batch in enumerate(batches):
        writer = make_writer(ix)
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(mergetype=OPTIMIZE if i == len(batches) - 1 and i else None)


def _whoosh(ix: Any) -> Any:
    return ix.writer(codec=WhooshCodec())  # Whoosh's writer, and its codec but for reading


@pytest.mark.parametrize("by_term", [False, True])
def test_quote_writer_writes_what_whoosh_writes(tmp_path: Path, by_term: bool) -> None:
    docs = list(documents(_rows(400)))
    _build(tmp_path / "whoosh", _whoosh, [docs])
    _build(tmp_path / "ours", lambda ix: QuoteWriter(ix, codec=Codec(), by_term=by_term), [docs])
    expected = _contents(tmp_path / "whoosh")
    assert expected["count"] == 400
    assert len(expected["postings"]) > 500
    assert _contents(tmp_path / "ours") == expected


@pytest.mark.parametrize("by_term", [False, True])
def test_merging_segments_keeps_every_length(tmp_path: Path, by_term: bool) -> None:
    # The last writer merges the earlier segments into its own: their lengths come
    # from their columns, the new documents' from what the writer recorded (by term:
    # the merged postings come through Whoosh's pool, and the writer's join them).
    docs = list(documents(_rows(300, seed=11)))
    batches = [docs[:100], docs[100:180], docs[180:]]
    _build(tmp_path / "whoosh", _whoosh, batches)
    _build(tmp_path / "ours", lambda ix: QuoteWriter(ix, codec=Codec(), by_term=by_term), batches)
    assert _contents(tmp_path / "ours") == _contents(tmp_path / "whoosh")


def test_a_small_pool_spills_runs_to_disk_and_merges_them_back(tmp_path: Path) -> None:
    docs = list(documents(_rows(300, seed=5)))
    _build(tmp_path / "whoosh", _whoosh, [docs])
    # A pool of 0.05 MB spills a sorted run every few documents.
    _build(tmp_path / "ours", lambda ix: QuoteWriter(ix, codec=Codec(), limitmb=0.05), [docs])
    assert _contents(tmp_path / "ours") == _contents(tmp_path / "whoosh")


@pytest.mark.parametrize("multisegment", [True, False])
def test_writer_processes_write_what_whoosh_writes(tmp_path: Path, multisegment: bool) -> None:
    # Whoosh's MpWriter against ours, with the same settings. (Merged into one segment,
    # a field's total length is summed from the one-byte lengths: Whoosh's own writer
    # processes then give totals that differ from one writer's, and so do ours.)
    docs = list(documents(_rows(500, seed=3)))
    settings = {"procs": 2, "batchsize": 40, "multisegment": multisegment}
    _build(tmp_path / "whoosh", lambda ix: MpWriter(ix, codec=WhooshCodec(), **settings), [docs])
    _build(tmp_path / "ours", lambda ix: QuoteMpWriter(ix, codec=Codec(), **settings), [docs])
    expected = _contents(tmp_path / "whoosh")
    assert expected["count"] == 500
    assert _contents(tmp_path / "ours") == expected


def test_writer_processes_leave_a_segment_each_so_many_documents(tmp_path: Path) -> None:
    docs = list(documents(_rows(500, seed=9)))
    _build(tmp_path / "whoosh", _whoosh, [docs])
    settings = {"procs": 2, "batchsize": 40, "multisegment": True, "segment_docs": 100}
    _build(tmp_path / "ours", lambda ix: QuoteMpWriter(ix, codec=Codec(), **settings), [docs])
    segments = whoosh_index.open_dir(str(tmp_path / "ours"))._segments()
    # 500 documents in jobs of 40 between two processes, each writing a segment once it
    # holds 100 documents, then 200: two or three segments each.
    assert 3 <= len(segments) <= 6
    assert max(seg.doc_count() for seg in segments) >= 100
    assert sum(seg.doc_count() for seg in segments) == 500
    assert _contents(tmp_path / "ours") == _contents(tmp_path / "whoosh")


def test_a_writer_process_that_dies_fails_the_commit(tmp_path: Path) -> None:
    Index(tmp_path / "index").close()
    ix = whoosh_index.open_dir(str(tmp_path / "index"))
    writer = QuoteMpWriter(ix, procs=2, batchsize=10, multisegment=True, codec=Codec())
    for doc in documents(_rows(40)):
        writer.add_document(**doc)
    for task in writer.tasks:
        task.kill()
        task.join()
    with pytest.raises(RuntimeError, match="ended without its segments"):
        writer.commit()
    writer.cancel()


def test_the_store_writes_with_the_fast_path(tmp_path: Path) -> None:
    index = Index(tmp_path / "index")
    writer = index.writer(0.0)
    assert type(writer) is QuoteWriter
    writer.cancel()
    writer = index.writer(0.0, bulk=True, procs=2, multisegment=True)
    assert type(writer) is QuoteMpWriter
    writer.cancel()
    index.close()
    for name in ("text", "words", "speaker"):
        assert _terms_function(SCHEMA[name].analyzer) is not None, name


@pytest.mark.parametrize("analyzer", [_TEXT_ANALYZER, _WORDS_ANALYZER, StemmingAnalyzer()])
def test_terms_are_the_analyzers_tokens(analyzer: Any) -> None:
    terms = _terms_function(analyzer)
    assert terms is not None
    rng = random.Random(1)
    texts = [_text(rng, rng.randrange(0, 30)) for _ in range(300)] + ["", " ", "the a of"]
    for text in texts:
        expected = [(t.text, t.pos) for t in analyzer(text, positions=True) if not t.stopped]
        assert terms(text) == expected, text


def test_other_analyzers_are_left_to_whoosh() -> None:
    # Shapes the fast path does not know: gaps, a stop filter that keeps positions, a
    # tokenizer alone followed by a filter out of order.
    assert _terms_function(RegexTokenizer(r"\s+", gaps=True)) is None
    assert _terms_function(RegexTokenizer() | StopFilter(renumber=False)) is None
    assert _terms_function(RegexTokenizer() | StopFilter()) is None


@pytest.mark.parametrize("with_spelling", [False, True])
def test_fields_the_fast_path_does_not_know_are_written_by_whoosh(
    tmp_path: Path, with_spelling: bool
) -> None:
    # An ID with another analyzer, a TEXT with Whoosh's standard analyzer, a value given as
    # a list, a boosted document; with spelling and term vectors, every document.
    body = (
        TEXT(analyzer=RegexTokenizer(r"\s+", gaps=True), spelling=True, vector=True)
        if with_spelling
        else TEXT(analyzer=RegexTokenizer(r"\s+", gaps=True))
    )
    schema = Schema(
        id=ID(stored=True),
        lower=ID(analyzer=IDTokenizer() | LowercaseFilter()),
        body=body,
        tags=TEXT(),
    )
    docs = [
        {"id": "1", "lower": "MiXed", "body": "one two  three", "tags": ["x", "y"]},
        {"id": "2", "lower": "Other", "body": "two", "tags": "plain words", "_boost": 2.0},
        {"id": "3", "body": None, "tags": "the same words words"},
    ]
    contents = []
    for name, make in (("whoosh", None), ("ours", QuoteWriter)):
        path = tmp_path / name
        path.mkdir()
        ix = whoosh_index.create_in(str(path), schema)
        writer = ix.writer() if make is None else make(ix)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        with ix.reader() as reader:
            postings = {
                key: list(reader.postings(*key).items_as("weight")) for key in reader.all_terms()
            }
            contents.append(
                (
                    postings,
                    [reader.stored_fields(d) for d in range(3)],
                    [reader.doc_field_length(d, "tags") for d in range(3)],
                    with_spelling and list(reader.vector_as("weight", 0, "body")),
                )
            )
    assert len(contents[0][0]) > 8
    assert contents[0] == contents[1]


def test_indexes_naming_the_codec_by_its_former_name_still_open() -> None:
    # Segments pickle their codec by module and name; older indexes say "_Codec".
    old = pickle.dumps(Codec(), protocol=0).replace(b"\nCodec\n", b"\n_Codec\n")
    assert b"_Codec" in old
    assert type(pickle.loads(old)) is Codec


def test_a_value_a_field_cannot_take_fails_as_in_whoosh(tmp_path: Path) -> None:
    doc = next(documents(_rows(1)))
    errors = []
    for name, make in (("whoosh", _whoosh), ("ours", lambda ix: QuoteWriter(ix, codec=Codec()))):
        Index(tmp_path / name).close()
        writer = make(whoosh_index.open_dir(str(tmp_path / name)))
        with pytest.raises(ValueError) as raised:
            writer.add_document(**{**doc, "order": "not a number"})
        errors.append(str(raised.value))
        writer.cancel()
    assert errors[0] == errors[1]


def test_postings_out_of_order_are_refused(tmp_path: Path) -> None:
    Index(tmp_path / "index").close()
    ix = whoosh_index.open_dir(str(tmp_path / "index"))
    for items in (
        [("text", b"b", 0, 1.0, b""), ("text", b"a", 1, 1.0, b"")],
        [("words", b"a", 0, 1.0, b""), ("text", b"a", 1, 1.0, b"")],
    ):
        writer = QuoteWriter(ix, codec=Codec())
        with pytest.raises(OutOfOrderError):
            writer.fieldwriter.add_postings(SCHEMA, None, iter(items))
        writer.cancel()
