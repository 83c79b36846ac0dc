"""Hostile requests, as plain data, for the app in-process and for a served instance.

Each case is (name, method, target, content type or None, body or None, status). Every
one must answer that 4xx status as problem+json and change nothing stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

JSON = "application/json"
TEXT = "text/plain"
HTML = "text/html"
NDJSON = "application/x-ndjson"
# Defaults of MAX_ARTICLE_BYTES and MAX_CONTENT_LENGTH.
MAX_ARTICLE_BYTES = 512 * 1024
MAX_CONTENT_LENGTH = 5 * 1024 * 1024

_GARBAGE = bytes(range(256)) * 16 + b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00"


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


Case = tuple[str, str, str, str | None, bytes | None, int]

ARTICLES = "/api/v1/articles"
CASES: list[Case] = [
    # Bodies that are not an article.
    ("malformed JSON", "POST", ARTICLES, JSON, b'{"text": "He said', 400),
    ("JSON nested 100,000 deep", "POST", ARTICLES, JSON, b"[" * 100_000, 400),
    ("a JSON list", "POST", ARTICLES, JSON, b'["text"]', 422),
    ("text a number", "POST", ARTICLES, JSON, _json({"text": 5}), 422),
    ("text a list", "POST", ARTICLES, JSON, _json({"text": ["a"]}), 422),
    ("text null", "POST", ARTICLES, JSON, _json({"text": None}), 422),
    ("text infinite", "POST", ARTICLES, JSON, b'{"text": 1e999}', 422),
    (
        "published a number",
        "POST",
        ARTICLES,
        JSON,
        _json({"text": "Jo said hi.", "published": 5}),
        422,
    ),
    (
        "published past year 9999 in UTC",
        "POST",
        ARTICLES,
        JSON,
        _json({"text": "Jo said hi.", "published": "9999-12-31T23:59:59-14:00"}),
        422,
    ),
    (
        "published before year 1 in UTC",
        "POST",
        ARTICLES,
        JSON,
        _json({"text": "Jo said hi.", "published": "0001-01-01T00:00:00+14:00"}),
        422,
    ),
    (
        "url javascript:",
        "POST",
        ARTICLES,
        JSON,
        _json({"text": "Jo said hi.", "url": "javascript:x"}),
        422,
    ),
    ("unknown field", "POST", ARTICLES, JSON, _json({"text": "Jo said hi.", "colour": "red"}), 422),
    ("empty text", "POST", ARTICLES, JSON, _json({"text": ""}), 422),
    ("whitespace text", "POST", ARTICLES, JSON, _json({"text": " \n\t\u00a0\u2003 "}), 422),
    ("NUL in JSON text", "POST", ARTICLES, JSON, _json({"text": "Jo said \u0000 hi."}), 422),
    ("NUL in plain text", "POST", ARTICLES, TEXT, b"Jo said \x00 hi.", 422),
    ("lone surrogate in text", "POST", ARTICLES, JSON, b'{"text": "Jo said \\ud800 hi."}', 422),
    (
        "lone surrogate in title",
        "POST",
        ARTICLES,
        JSON,
        b'{"text": "Jo said hi.", "title": "\\udfff"}',
        422,
    ),
    ("invalid UTF-8 in JSON", "POST", ARTICLES, JSON, b'{"text": "caf\xe9 owner said hi"}', 400),
    ("invalid UTF-8 in plain text", "POST", ARTICLES, TEXT, b"caf\xe9 owner said hi", 400),
    ("UTF-8-encoded surrogate", "POST", ARTICLES, TEXT, b"Jo said \xed\xa0\x80", 400),
    ("unknown charset", "POST", ARTICLES, "text/plain; charset=rot13", b"Jo said hi.", 400),
    ("binary garbage as JSON", "POST", ARTICLES, JSON, _GARBAGE, 400),
    ("binary garbage as text", "POST", ARTICLES, TEXT, _GARBAGE, 400),
    ("binary garbage as HTML", "POST", ARTICLES, HTML, _GARBAGE, 400),
    ("control bytes as HTML", "POST", ARTICLES, HTML, b"\x00\x01\x02" * 300, 422),
    ("an empty page", "POST", ARTICLES, HTML, b"<html><body></body></html>", 422),
    ("binary garbage as octet-stream", "POST", ARTICLES, "application/octet-stream", _GARBAGE, 415),
    ("a PDF", "POST", ARTICLES, "application/pdf", b"%PDF-1.4", 415),
    ("form-encoded", "POST", ARTICLES, "application/x-www-form-urlencoded", b"text=hi", 415),
    ("no content type", "POST", ARTICLES, None, b"Jo said hi.", 415),
    (
        "text over MAX_ARTICLE_BYTES (JSON)",
        "POST",
        ARTICLES,
        JSON,
        _json({"text": "x" * (MAX_ARTICLE_BYTES + 1)}),
        413,
    ),
    (
        "text over MAX_ARTICLE_BYTES (plain)",
        "POST",
        ARTICLES,
        TEXT,
        "é".encode() * (MAX_ARTICLE_BYTES // 2 + 1),
        413,
    ),
    ("body over MAX_CONTENT_LENGTH", "POST", ARTICLES, TEXT, b"x" * (MAX_CONTENT_LENGTH + 1), 413),
    (
        "bad query parameter",
        "POST",
        f"{ARTICLES}?replace=maybe",
        JSON,
        _json({"text": "Jo said."}),
        400,
    ),
    ("unknown wait", "POST", f"{ARTICLES}?wait=forever", JSON, _json({"text": "Jo said."}), 400),
    ("bulk as JSON", "POST", f"{ARTICLES}/bulk", JSON, _json({"text": "Jo said."}), 415),
    (
        "bulk with unknown parameter",
        "POST",
        f"{ARTICLES}/bulk?x=1",
        NDJSON,
        _json({"text": "Jo said."}),
        400,
    ),
    ("extract a lone surrogate", "POST", "/api/v1/extract", JSON, b'{"text": "\\ud800"}', 422),
    ("extract nested JSON", "POST", "/api/v1/extract", JSON, b"{" * 50_000, 400),
    (
        "extract over MAX_ARTICLE_BYTES",
        "POST",
        "/api/v1/extract",
        JSON,
        _json({"text": "“" * (MAX_ARTICLE_BYTES + 1)}),
        413,
    ),
    ("delete what is not there", "DELETE", f"{ARTICLES}/%ED%A0%80", None, None, 404),
    ("wrong method", "PUT", ARTICLES, JSON, _json({"text": "Jo said."}), 405),
    # Absurd paging.
    ("page 10**30", "GET", "/api/v1/quotes?page=" + "1" + "0" * 30, None, None, 400),
    ("page_size -1", "GET", "/api/v1/quotes?page_size=-1", None, None, 400),
    ("page 0", "GET", "/api/v1/quotes?page=0", None, None, 400),
    ("page 1e400", "GET", "/api/v1/quotes?page=1e400", None, None, 400),
    ("page of 5,000 digits", "GET", "/api/v1/speakers?page=" + "9" * 5000, None, None, 400),
    (
        "speakers page_size 10**30",
        "GET",
        "/api/v1/speakers?page_size=" + "1" + "0" * 30,
        None,
        None,
        400,
    ),
    ("speakers limit -1", "GET", "/api/v1/speakers?limit=-1", None, None, 400),
    (
        "cursor past 64 bits",
        "GET",
        "/api/v1/quotes?cursor=" + _cursor("v1.99999999999999999999.1"),
        None,
        None,
        400,
    ),
    (
        "cursor negative",
        "GET",
        "/api/v1/quotes?cursor=" + _cursor("v1.-5.-99999999999999999999"),
        None,
        None,
        400,
    ),
    ("cursor garbage", "GET", "/api/v1/quotes?cursor=%FF%FE", None, None, 400),
    ("cursor and page", "GET", "/api/v1/quotes?cursor=*&page=2", None, None, 400),
    ("to the day after 9999-12-31", "GET", "/api/v1/quotes?to=9999-12-31", None, None, 400),
    ("from after to", "GET", "/api/v1/quotes?from=2024-02-01&to=2024-01-01", None, None, 400),
    # Query syntax abuse.
    ("q=*", "GET", "/api/v1/quotes?q=*", None, None, 400),
    ("q=a*", "GET", "/api/v1/quotes?q=a*", None, None, 400),
    ("q=?", "GET", "/api/v1/quotes?q=te%3Ft", None, None, 400),
    ("q=~9", "GET", "/api/v1/quotes?q=putin~9", None, None, 400),
    ("q=~ huge", "GET", "/api/v1/quotes?q=putin~" + "9" * 40, None, None, 400),
    ("phrase ~9", "GET", "/api/v1/quotes?q=%22kim+jong%22~9", None, None, 400),
    ("unbalanced (", "GET", "/api/v1/quotes?q=" + "(" * 500 + "putin", None, None, 400),
    ("unbalanced )", "GET", "/api/v1/quotes?q=putin)", None, None, 400),
    ("unbalanced quote", "GET", "/api/v1/quotes?q=%22putin", None, None, 400),
    ("field that does not exist", "GET", "/api/v1/quotes?q=nosuch:putin", None, None, 400),
    ("field that exists", "GET", "/api/v1/quotes?q=speaker:putin", None, None, 400),
    ("range syntax", "GET", "/api/v1/quotes?q=published:%5B2021+to+2022%5D", None, None, 400),
    ("51 terms", "GET", "/api/v1/quotes?q=" + "+".join(["putin"] * 51), None, None, 400),
    ("10,000 terms", "GET", "/api/v1/quotes?q=" + "+".join(["w"] * 10_000), None, None, 400),
    ("unknown parameter", "GET", "/api/v1/quotes?colour=red", None, None, 400),
    ("bad sort", "GET", "/api/v1/quotes?sort=%27;DROP+TABLE+quotes;--", None, None, 400),
    ("bad kind", "GET", "/api/v1/quotes?kind=1%20OR%201=1", None, None, 400),
    ("not a date", "GET", "/api/v1/quotes?from=yesterday", None, None, 400),
    ("SQL in a speaker id", "GET", "/api/v1/speakers/x'%20OR%20'1'='1", None, None, 404),
    ("SQL in an article id", "GET", f"{ARTICLES}/x'%20OR%201=1;--", None, None, 404),
    ("NUL in an id", "GET", "/api/v1/quotes/%00", None, None, 404),
    ("no route", "GET", "/api/v1/../../etc/passwd", None, None, 404),
]

# Through gunicorn these request lines are longer than it reads (4 KB): it refuses them
# before the app sees them, with a 414 problem (quoteapi.serving.write_problem).
SERVED_STATUS = {"10,000 terms": 414, "page of 5,000 digits": 414}


def fingerprint(store: Any) -> tuple[dict[str, int], str]:
    """Counts, the last change, and a digest of every article, quote and change row."""
    conn = store.record.connection()
    digest = hashlib.sha256()
    for table in ("articles", "quotes", "changes"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
    return store.record.counts(), digest.hexdigest()
