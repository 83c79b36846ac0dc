"""Turning articles into stored quotes: extract, then write to the store.

Shared by the API (one article a request) and the command line (files and folders).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import marshmallow as ma

from quoteapi.extract import extract_quotes
from quoteapi.schemas import ArticleInSchema
from quoteapi.store import NewArticle, Store

ARTICLE_SUFFIXES = (".txt", ".json", ".ndjson", ".jsonl")
# NAME.meta.json beside NAME.txt holds the text's metadata (url, title, outlet, published).
META_SUFFIX = ".meta.json"
_MAX_TITLE_LINE = 150
# Writer processes indexing beside a bulk ingest at most: each holds its own postings pool.
_MAX_WRITER_PROCS = 4
# Documents in the first segment a writer process of a bulk ingest leaves (each next
# one twice as many): each is written while extraction goes on, so that little is left
# to write once the last article is stored.
BULK_SEGMENT_DOCS = 2000
# How much the indexing beside a bulk ingest yields the cores (os.nice).
_INDEXING_NICENESS = 10

_article_schema = ArticleInSchema()


class ArticleFileError(ValueError):
    """A file that holds no article quoteapi can read; the message says why."""


class IndexingError(RuntimeError):
    """The process indexing beside a bulk ingest failed; the record holds every article."""


@dataclass(frozen=True, slots=True)
class Ingested:
    article_id: str
    quotes: int


def prepare_article(fields: dict[str, Any]) -> NewArticle:
    """Extract the quotes of an article given as validated ArticleInSchema fields."""
    return NewArticle(quotes=extract_quotes(fields["text"]), **fields)


def ingest_article(store: Store, fields: dict[str, Any]) -> str:
    """Extract and store one article; return its id."""
    return store.add_article(prepare_article(fields))


def text_too_long(text: Any, max_bytes: int | None) -> str | None:
    """Why ``text`` is over ``max_bytes`` in UTF-8, or None when it is not (or no limit)."""
    if max_bytes is None or not isinstance(text, str) or len(text) * 4 <= max_bytes:
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= max_bytes:
        return None
    return f"The text is {size:,} bytes in UTF-8; the limit is {max_bytes:,} (MAX_ARTICLE_BYTES)."


def ingest_ndjson(store: Store, body: bytes, max_text_bytes: int | None = None) -> dict[str, Any]:
    """Store each valid JSON article line of ``body`` (one transaction); report every line.

    Returns ``{"created", "failed", "results"}``, one result a non-blank line, in order:
    ``{"line", "status": 201, "id"}`` or ``{"line", "status": 400 | 413 | 422, "errors"}``
    (413: a text over ``max_text_bytes``).
    """
    results: list[dict[str, Any]] = []
    articles: list[tuple[dict[str, Any], NewArticle]] = []
    for lineno, raw in enumerate(body.split(b"\n"), 1):
        if not raw.strip():
            continue
        result: dict[str, Any] = {"line": lineno}
        try:
            item = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            result.update(status=400, errors={"_line": [f"Not a JSON line: {err}"]})
        except RecursionError:
            result.update(status=400, errors={"_line": ["Not a JSON line: nested too deep."]})
        else:
            try:
                if not isinstance(item, dict):
                    raise ma.ValidationError({"_line": ["Expected a JSON object."]})
                if too_long := text_too_long(item.get("text"), max_text_bytes):
                    result.update(status=413, errors={"text": [too_long]})
                    results.append(result)
                    continue
                articles.append((result, prepare_article(_article_schema.load(item))))
                result["status"] = 201
            except ma.ValidationError as err:
                result.update(status=422, errors=err.messages)
        results.append(result)
    ids = store.add_articles([article for _, article in articles])
    for (result, _), aid in zip(articles, ids, strict=True):
        result["id"] = aid
    return {"created": len(ids), "failed": len(results) - len(ids), "results": results}


def guess_title(text: str) -> str | None:
    """A plain-text article's first line, when it reads like a headline."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            fits = len(line) <= _MAX_TITLE_LINE and not line.endswith((".", ":", ","))
            return line if fits else None
    return None


def _validated(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ArticleFileError(f'{where}: expected a JSON object with a "text" field')
    try:
        fields: dict[str, Any] = _article_schema.load(raw)
    except ma.ValidationError as err:
        raise ArticleFileError(f"{where}: {err.messages}") from None
    return fields


def read_text(path: Path) -> str:
    """A file's text exactly as it is (no newline translation), so offsets slice it.

    Raises:
        ArticleFileError: the file is not UTF-8.
    """
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except UnicodeDecodeError as err:
        raise ArticleFileError(
            f"{path}: not UTF-8 text ({err.reason} at byte {err.start})"
        ) from None


def read_article_file(path: Path) -> Iterator[dict[str, Any]]:
    """The articles in one file: .txt (one article), .json (an object or a list), .ndjson.

    Raises:
        ArticleFileError: the file cannot be read as articles; the message says why.
    """
    content = read_text(path)
    if path.suffix == ".txt":
        yield _validated(
            {"title": guess_title(content), **_sidecar(path), "text": content}, str(path)
        )
    elif path.suffix == ".json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as err:
            raise ArticleFileError(f"{path}: invalid JSON ({err})") from None
        for i, item in enumerate(data if isinstance(data, list) else [data]):
            yield _validated(item, f"{path}[{i}]")
    elif path.suffix in (".ndjson", ".jsonl"):
        for lineno, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise ArticleFileError(f"{path}:{lineno}: invalid JSON ({err})") from None
            yield _validated(item, f"{path}:{lineno}")
    else:
        raise ArticleFileError(
            f"{path}: not an article file (expected {', '.join(ARTICLE_SUFFIXES)})"
        )


def _sidecar(path: Path) -> dict[str, Any]:
    """The metadata in ``path``'s NAME.meta.json, or nothing when there is none."""
    meta = path.with_name(path.stem + META_SUFFIX)
    if not meta.is_file():
        return {}
    try:
        data = json.loads(read_text(meta))
    except json.JSONDecodeError as err:
        raise ArticleFileError(f"{meta}: invalid JSON ({err})") from None
    if not isinstance(data, dict) or "text" in data:
        raise ArticleFileError(f"{meta}: expected an object of url, title, outlet, published")
    return data


def article_files(paths: list[Path]) -> list[Path]:
    """Files named, and article files in folders named, in a stable order.

    Raises:
        ArticleFileError: a path does not exist.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in ARTICLE_SUFFIXES and not p.name.endswith(META_SUFFIX)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ArticleFileError(f"{path}: no such file or folder")
    return found


def seed_if_empty(store: Store, seeds_dir: Path) -> int:
    """Ingest the seed articles into a store that holds none; return how many."""
    if not store.is_empty() or not seeds_dir.is_dir():
        return 0
    articles = [
        prepare_article(fields)
        for path in article_files([seeds_dir])
        for fields in read_article_file(path)
    ]
    store.add_articles(articles)
    store.catch_up(timeout=30.0)
    return len(articles)


def bulk_writer_settings() -> dict[str, Any]:
    """Whoosh writer settings for indexing a bulk ingest: a writer process a core (up to
    ``_MAX_WRITER_PROCS``), each leaving its own segment, the setting with which Whoosh
    alone indexes fastest on an idle machine (``benchmarks/bench_ingest.py``); one
    writer on a single core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    procs = min(cores or 1, _MAX_WRITER_PROCS)
    if procs == 1:
        return {}
    return {"procs": procs, "multisegment": True, "segment_docs": BULK_SEGMENT_DOCS}


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _follow(data_dir: str, batch_size: int, finished: Any, parent: int) -> None:
    # Terminated (the ingest failed): unwind, so the writer processes are stopped too.
    signal.signal(signal.SIGTERM, _stop)
    # Indexing yields to the process writing the record: the ingest is durable as soon
    # as that is done, and indexing catches up with both cores after (the writer
    # processes, forked from here, inherit this).
    os.nice(_INDEXING_NICENESS)
    if "fork" in multiprocessing.get_all_start_methods():
        # Whoosh's writer processes, forked: spawned, each would import everything again.
        multiprocessing.set_start_method("fork", force=True)
    store = Store(data_dir, batch_size=batch_size)
    try:
        # Once the ingest is gone, index what it wrote and stop.
        store.follow(
            lambda: finished.is_set() or os.getppid() != parent,
            **bulk_writer_settings(),
        )
    finally:
        # Whoosh's cancel() leaves its writer processes waiting for work: end them.
        for child in multiprocessing.active_children():
            child.terminate()
            child.join()
        store.close()


@contextmanager
def indexing_alongside(store: Store) -> Iterator[None]:
    """Index what is written to ``store`` meanwhile, in a second process; on leaving,
    wait until the index holds all of it.

    The writes meanwhile look clusters up in memory (:meth:`Record.bulk_writes`); the
    indexing process hands documents to a Whoosh writer process a core
    (:func:`bulk_writer_settings`), so reading, extracting and writing SQLite share the
    cores with indexing while they last, and indexing has them all once they are done
    (see ``docs/performance.md``).

    Raises:
        IndexingError: the indexing process failed; what was written is in the record,
            and the index catches up on the next ``quoteapi reindex`` or server start.
    """
    # Forked when this process runs one thread (the indexing process imports nothing
    # again, ~0.4 s of a core; it opens its own SQLite connection and Whoosh index and
    # never touches this process's); spawned otherwise, as forking threads is unsafe.
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    context: Any = multiprocessing.get_context("fork" if forkable else "spawn")
    finished = context.Event()
    process = context.Process(
        target=_follow,
        args=(str(store.data_dir), store.batch_size, finished, os.getpid()),
        name="quoteapi-ingest-indexer",
    )
    process.start()
    try:
        with store.record.bulk_writes():
            yield
    except BaseException:
        process.terminate()
        process.join()
        raise
    finished.set()
    process.join()
    if process.exitcode != 0:
        raise IndexingError(
            f"indexing beside the ingest failed (exit code {process.exitcode}); the articles "
            "are stored: run `quoteapi reindex` or start the server to index them"
        )
