"""The ``quoteapi`` command: serve, ingest, reindex, extract, search, eval."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from quoteapi import __version__


@contextmanager
def _opened_store() -> Iterator[Any]:
    """The configured store, with no background indexer, closed afterwards."""
    from quoteapi import load_settings
    from quoteapi.store import open_store

    store = open_store(load_settings())
    try:
        yield store
    finally:
        store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quoteapi")
def main() -> None:
    """Who said what in the news: find, attribute, index and serve quotations.

    Data lives in QUOTEAPI_DATA_DIR (default: ./data).
    """


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API with gunicorn (seeding an empty data directory first)."""
    from gunicorn.app.base import BaseApplication

    from quoteapi import create_app, serving

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key in ("worker_class", "timeout", "graceful_timeout", "accesslog", "errorlog"):
                self.cfg.set(key, getattr(serving, key))
            self.cfg.set("on_starting", serving.on_starting)
            self.cfg.set("post_worker_init", serving.post_worker_init)
            self.cfg.set("bind", [f"{host}:{port}"])
            self.cfg.set("workers", workers)

        def load(self) -> Any:
            return create_app()

    click.echo(f"quoteapi {__version__} on http://{host}:{port}/api/v1/quotes", err=True)
    _Server().run()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--batch",
    default=200,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles written per transaction.",
)
def ingest(paths: tuple[Path, ...], batch: int) -> None:
    """Extract and store articles from files or folders (.txt, .json, .ndjson).

    Each batch of articles is durable in the record when written; a second process
    indexes them meanwhile, and the command returns once search finds them all.
    """
    from tqdm import tqdm

    from quoteapi.ingest import (
        ArticleFileError,
        IndexingError,
        article_files,
        indexing_alongside,
        prepare_article,
        read_article_file,
    )

    try:
        files = article_files(list(paths))
    except ArticleFileError as err:
        raise click.ClickException(str(err)) from None
    failures: list[str] = []
    count = 0
    start = time.perf_counter()
    with _opened_store() as store:
        try:
            with (
                indexing_alongside(store),
                tqdm(desc="ingest", unit=" articles", disable=None) as bar,
            ):
                pending: list[Any] = []
                for path in files:
                    try:
                        for fields in read_article_file(path):
                            pending.append(prepare_article(fields))
                            if len(pending) >= batch:
                                count += len(store.add_articles(pending))
                                bar.update(len(pending))
                                pending = []
                    except ArticleFileError as err:
                        failures.append(str(err))
                count += len(store.add_articles(pending))
                bar.update(len(pending))
                bar.set_postfix_str("indexing the last batches")
                written = time.perf_counter()
        except IndexingError as err:
            raise click.ClickException(str(err)) from None
        indexed = time.perf_counter()
        health = store.health()
    for failure in failures:
        click.echo(f"skipped {failure}", err=True)
    click.echo(
        f"ingested {count} articles in {indexed - start:.1f} s (stored in {written - start:.1f} s,"
        f" indexed {indexed - written:.1f} s later); the store holds {health['articles']}"
        f" articles, {health['quotes']} quotes"
    )
    if failures:
        sys.exit(1)


def _progress(bar: Any) -> Any:
    """A store progress callback that moves a tqdm bar."""

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return update


@main.command()
@click.option(
    "--re-extract",
    is_flag=True,
    help="Extract every stored article's quotes again first (after the extractor "
    "improved), then rebuild.",
)
def reindex(re_extract: bool) -> None:
    """Rebuild the search index from the record and swap it in; a server may keep running.

    The new index is built beside the old one, which serves searches meanwhile, and
    replaces it atomically; running servers follow within one request.
    """
    from tqdm import tqdm

    from quoteapi.extract import extract_quotes
    from quoteapi.store import RebuildError

    with _opened_store() as store:
        try:
            if re_extract:
                with tqdm(desc="re-extract", unit="article", disable=None) as bar:
                    store.reextract(extract_quotes, on_progress=_progress(bar))
            with tqdm(desc="reindex", unit="article", disable=None) as bar:
                rebuilt = store.rebuild_index(on_progress=_progress(bar))
        except RebuildError as err:
            raise click.ClickException(str(err)) from None
        health = store.health()
    click.echo(
        f"indexed {rebuilt.articles} articles into {rebuilt.path.name} "
        f"({health['indexed_quotes']} quotes, index lag {health['index_lag']}); "
        f"removed {len(rebuilt.removed)} old index directories"
    )


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
def extract(file: Path, fmt: str) -> None:
    """Print the quotes of one text file (offsets index its text as-is); stores nothing."""
    from quoteapi.extract import extract_quotes
    from quoteapi.ingest import ArticleFileError, read_text

    try:
        quotes = extract_quotes(read_text(file))
    except ArticleFileError as err:
        raise click.ClickException(str(err)) from None
    if fmt == "json":
        click.echo(
            json.dumps(
                {"quotes": [dataclasses.asdict(q) for q in quotes]}, ensure_ascii=False, indent=2
            )
        )
        return
    for q in quotes:
        who = q.speaker.name or (f"({q.speaker.mention})" if q.speaker.mention else "(unknown)")
        click.echo(
            f"{q.start}-{q.end} {who} [{q.cue or '-'}, {q.kind}, {q.confidence:.2f}]: {q.text}"
        )


@main.command()
@click.argument("query", required=False)
@click.option("--speaker", help="Words of the speaker's name.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--page-size", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
def search(query: str | None, speaker: str | None, page: int, page_size: int, fmt: str) -> None:
    """Search stored quotes by words (QUERY) and speaker."""
    from quoteapi.schemas import QuotePageSchema

    with _opened_store() as store:
        result = store.search_quotes(q=query, speaker=speaker, page=page, page_size=page_size)
    if fmt == "json":
        click.echo(json.dumps(QuotePageSchema().dump(result), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.total} quotes")
    for hit in result.results:
        who = hit["speaker"]["name"] or "(unknown)"
        source = hit["article"]["title"] or hit["article"]["id"]
        click.echo(f"- {who}: \u201c{hit['text']}\u201d  ({source})")


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--texts",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the gold's article texts (default: beside the gold, or seeds/).",
)
@click.option(
    "--scorer",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="score.py to use (default: the one beside the gold file).",
)
@click.option("--verbose", is_flag=True, help="Print each miss.")
def evaluate(gold: Path, texts: Path | None, scorer: Path | None, verbose: bool) -> None:
    """Score the extractor against a gold file of annotated quotes."""
    from quoteapi.evaluation import run_eval

    try:
        run_eval(gold, texts_dir=texts, scorer_path=scorer, verbose=verbose)
    except (FileNotFoundError, ValueError) as err:
        raise click.ClickException(str(err)) from None
