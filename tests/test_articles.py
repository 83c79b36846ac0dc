"""Articles in every form: JSON, plain text, HTML, NDJSON bulk; delete; extract only."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.store import Store

TEXT = "The harbour master, Jo Ames, said: “The port reopens on Friday.”"
PAGE = """<html><head><title>Port to reopen | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-06-18T10:00:00Z">
<link rel="canonical" href="https://news.example/port"></head>
<body><nav>Home | World | Sport</nav><article><h1>Port to reopen</h1>
<p>The harbour master, Jo Ames, said: “The port reopens on Friday.” Traders welcomed
the news, which came after three weeks of closure in the old city.</p>
<p>Fishing crews had waited at the quay since the storm, and the council promised
repairs to the breakwater before the autumn season begins.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def test_plain_text_with_metadata_in_the_query(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/articles?title=Port&outlet=Harbour%20Times&published=2024-06-18",
        data=TEXT.encode(),
        content_type="text/plain; charset=utf-8",
    )
    assert response.status_code == 201, response.get_json()
    article = response.get_json()
    assert article["text"] == TEXT and article["outlet"] == "Harbour Times"
    assert article["quotes"][0]["text"] == "The port reopens on Friday."


def test_html_page_gives_main_text_and_metadata(client: FlaskClient) -> None:
    response = client.post("/api/v1/articles", data=PAGE.encode(), content_type="text/html")
    assert response.status_code == 201, response.get_json()
    article = response.get_json()
    assert article["title"] == "Port to reopen"
    assert article["url"] == "https://news.example/port"
    assert article["outlet"] == "Example News"
    assert article["published"].startswith("2024-06-18")
    assert "Subscribe" not in article["text"] and "Home | World" not in article["text"]
    [quote] = article["quotes"]
    assert article["text"][quote["start"] : quote["end"]] == "The port reopens on Friday."
    # The query string overrides what the page says.
    again = client.post(
        "/api/v1/articles?outlet=Wire", data=PAGE.encode(), content_type="text/html"
    ).get_json()
    assert again["id"] == article["id"] and again["outlet"] == "Wire"


def test_unusable_bodies(client: FlaskClient) -> None:
    assert_problem(
        client.post(
            "/api/v1/articles", data=b"<html><body></body></html>", content_type="text/html"
        ),
        422,
        "text",
    )
    assert_problem(client.post("/api/v1/articles", data=b"x", content_type="image/png"), 415)
    assert_problem(client.post("/api/v1/articles", data=b"x"), 415)
    assert_problem(
        client.post("/api/v1/articles", data=b"caf\xe9 said", content_type="text/plain"), 400
    )
    assert_problem(
        client.post("/api/v1/articles?colour=red", data=b"Text", content_type="text/plain"),
        400,
        "colour",
    )
    assert_problem(client.post("/api/v1/articles", json=["a list"]), 422)


def test_bulk_ndjson_answers_per_line(client: FlaskClient, store: Store) -> None:
    lines = [
        json.dumps({"text": TEXT, "url": "https://ex.am/1"}),
        "",
        "{not json",
        json.dumps({"text": " "}),
        json.dumps({"text": "Coach Lee Vance said: “Defence wins.”", "outlet": "Sports"}),
        json.dumps(["not", "an", "object"]),
    ]
    response = client.post(
        "/api/v1/articles/bulk", data="\n".join(lines).encode(), content_type="application/x-ndjson"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["created"] == 2 and body["failed"] == 3
    assert [(r["line"], r["status"]) for r in body["results"]] == [
        (1, 201),
        (3, 400),
        (4, 422),
        (5, 201),
        (6, 422),
    ]
    assert "text" in body["results"][2]["errors"]
    assert store.health()["articles"] == 2
    assert client.get(f"/api/v1/articles/{body['results'][0]['id']}").status_code == 200
    assert_problem(client.post("/api/v1/articles/bulk", json={"text": TEXT}), 415)


def test_delete_removes_article_and_its_quotes(client: FlaskClient, store: Store) -> None:
    article = client.post("/api/v1/articles", json={"text": TEXT}).get_json()
    store.catch_up()
    assert client.get("/api/v1/quotes?q=port").get_json()["total"] == 1
    response = client.delete(f"/api/v1/articles/{article['id']}")
    assert response.status_code == 204 and response.data == b""
    assert_problem(client.get(f"/api/v1/articles/{article['id']}"), 404)
    assert_problem(client.delete(f"/api/v1/articles/{article['id']}"), 404)
    store.catch_up()
    assert client.get("/api/v1/quotes?q=port").get_json()["total"] == 0
    assert store.health()["quotes"] == 0


def test_extract_stores_nothing(client: FlaskClient, store: Store) -> None:
    response = client.post("/api/v1/extract", json={"text": TEXT})
    assert response.status_code == 200
    body = response.get_json()
    assert body["text"] == TEXT
    [quote] = body["quotes"]
    assert quote["text"] == "The port reopens on Friday." and "id" not in quote["speaker"]
    html = client.post("/api/v1/extract", data=PAGE.encode(), content_type="text/html").get_json()
    quote = html["quotes"][0]
    assert html["text"][quote["start"] : quote["end"]] == quote["text"]
    assert store.health()["articles"] == 0
    assert_problem(client.post("/api/v1/extract", json={}), 422, "text")


def test_writes_need_a_key(anonymous: FlaskClient, store: Store) -> None:
    assert_problem(anonymous.post("/api/v1/articles", json={"text": TEXT}), 401)
    assert_problem(
        anonymous.post("/api/v1/articles/bulk", data=b"{}", content_type="application/x-ndjson"),
        401,
    )
    assert_problem(anonymous.delete("/api/v1/articles/abc"), 401)
    assert store.health()["articles"] == 0
    assert anonymous.get("/api/v1/quotes").status_code == 200


def test_replace_false_refuses_a_stored_article(client: FlaskClient) -> None:
    first = client.post("/api/v1/articles?replace=false", json={"text": TEXT})
    assert first.status_code == 201
    body = assert_problem(client.post("/api/v1/articles?replace=false", json={"text": TEXT}), 409)
    assert first.get_json()["id"] in body["detail"]
    assert client.post("/api/v1/articles", json={"text": TEXT}).status_code == 201


def test_wait_indexed_answers_once_search_finds_it(client: FlaskClient, store: Store) -> None:
    response = client.post("/api/v1/articles?wait=indexed", json={"text": TEXT})
    assert response.status_code == 201 and response.headers["X-Indexed"] == "true"
    assert client.get("/api/v1/quotes?q=reopens").get_json()["total"] == 1
    bulk = client.post(
        "/api/v1/articles/bulk?wait=indexed",
        content_type="application/x-ndjson",
        data=json.dumps({"text": "Coach Lee Vance said: “Defence wins.”"}).encode(),
    )
    assert bulk.status_code == 200 and bulk.headers["X-Indexed"] == "true"
    assert client.get("/api/v1/quotes?q=defence").get_json()["total"] == 1
    assert "X-Indexed" not in client.post("/api/v1/articles", json={"text": TEXT}).headers
    assert_problem(client.post("/api/v1/articles?wait=forever", json={"text": TEXT}), 400, "wait")


def test_wait_indexed_is_bounded(app: Flask, client: FlaskClient, store: Store) -> None:
    app.config["WAIT_INDEXED_TIMEOUT"] = 0.3
    held = store.index.writer(0)  # another worker holds the index and never lets go
    try:
        response = client.post("/api/v1/articles?wait=indexed", json={"text": TEXT})
    finally:
        held.cancel()
    # Stored (201) all the same, and the answer says it is not searchable yet.
    assert response.status_code == 201 and response.headers["X-Indexed"] == "false"
    assert client.get(f"/api/v1/articles/{response.get_json()['id']}").status_code == 200


def test_text_over_max_article_bytes_is_413(app: Flask, client: FlaskClient, store: Store) -> None:
    app.config["MAX_ARTICLE_BYTES"] = 100
    fits = "é" * 50  # 100 bytes in UTF-8
    assert client.post("/api/v1/articles", json={"text": fits}).status_code == 201
    for send in (
        lambda: client.post("/api/v1/articles", json={"text": fits + "x"}),
        lambda: client.post(
            "/api/v1/articles", data=(fits + "x").encode(), content_type="text/plain"
        ),
        lambda: client.post("/api/v1/extract", json={"text": "x" * 101}),
    ):
        assert "MAX_ARTICLE_BYTES" in assert_problem(send(), 413, "text")["detail"]
    bulk = client.post(
        "/api/v1/articles/bulk",
        content_type="application/x-ndjson",
        data=(json.dumps({"text": "x" * 101}) + "\n" + json.dumps({"text": "short"})).encode(),
    ).get_json()
    assert [r["status"] for r in bulk["results"]] == [413, 201]
    assert "text" in bulk["results"][0]["errors"]
    assert store.health()["articles"] == 2
