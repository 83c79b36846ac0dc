"""gunicorn settings, shared by ``quoteapi serve`` and the container's gunicorn command.

``gunicorn --config python:quoteapi.serving 'quoteapi:create_app()'`` serves with these;
an empty data directory is filled from the seed articles once, in the master process,
before any worker starts.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from gunicorn import util

bind = os.environ.get("QUOTEAPI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QUOTEAPI_WORKERS", "2"))
worker_class = "sync"
# One indexer process keeps the index caught up for all workers (quoteapi.store.indexer).
os.environ.setdefault("QUOTEAPI_INDEXER", "process")
timeout = 60
graceful_timeout = 10
accesslog = "-"
errorlog = "-"


def write_problem(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own error answers (a request line over 4 KB, a malformed request) in the
    API's one error shape instead of an HTML page."""
    from quoteapi.errors import PROBLEM_MIMETYPE

    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status_int, "detail": mesg or reason}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_MIMETYPE}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def on_starting(server: Any) -> None:
    """Prepare the data directory once, before any worker starts.

    An empty one is filled from the seed articles, so the first start shows quotes; with
    no API key configured, one is made (or the one made before is reused) and printed.
    gunicorn's own error answers take the problem shape (the workers fork from here).
    """
    # gunicorn has no setting for its error page; its workers call util.write_error.
    util.write_error = write_problem
    from quoteapi import create_app
    from quoteapi.api.auth import configured_api_keys, ensure_api_key
    from quoteapi.ingest import seed_if_empty
    from quoteapi.store import get_store

    app = create_app({"BACKGROUND_INDEXER": False})
    if not configured_api_keys(app.config):
        key = ensure_api_key(app.config["DATA_DIR"])
        server.log.info("API key for writes (Authorization: Bearer KEY): %s", key)
    with app.app_context():
        store = get_store()
        seeded = seed_if_empty(store, Path(app.config["SEEDS_DIR"]))
        if seeded:
            server.log.info("seeded %s with %d articles", app.config["DATA_DIR"], seeded)
        store.close()


def post_worker_init(worker: Any) -> None:
    """Read the index's per-segment arrays in the background as a worker starts, so the
    first searches it serves do not pay for them (seconds at a million quotes; a search
    that comes meanwhile waits for the index's read lock)."""
    app = worker.wsgi

    def warm() -> None:
        start = time.monotonic()
        try:
            with app.app_context():
                from quoteapi.store import get_store

                get_store().index.warm()
            worker.log.info("index read in %.1f s", time.monotonic() - start)
        except Exception:  # a failed warm-up only leaves the first search to do the work
            worker.log.exception("warming the index failed")

    threading.Thread(target=warm, name="quoteapi-warm", daemon=True).start()
