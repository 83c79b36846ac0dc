"""The HTTP API through Flask's test client, over a real store."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from problems import assert_problem

from quoteapi.store import Store

ARTICLE = {
    "text": "The harbour master, Jo Ames, said: “The port reopens on Friday.” "
    "Traders welcomed the news.",
    "url": "https://news.example/harbour",
    "title": "Port to reopen",
    "outlet": "Example News",
    "published": "2024-06-18",
}


def test_post_article_extracts_and_stores(client: FlaskClient, store: Store) -> None:
    response = client.post("/api/v1/articles", json=ARTICLE)
    assert response.status_code == 201, response.get_json()
    article = response.get_json()
    assert article["title"] == "Port to reopen"
    assert article["published"] == "2024-06-18T00:00:00+00:00"
    [quote] = article["quotes"]
    assert quote["text"] == "The port reopens on Friday."
    assert ARTICLE["text"][quote["start"] : quote["end"]] == quote["text"]
    assert quote["speaker"]["name"] == "Jo Ames"
    assert client.get(f"/api/v1/articles/{article['id']}").get_json() == article

    assert store.wait_indexed(timeout=5)
    found = client.get("/api/v1/quotes?q=reopening")
    assert found.status_code == 200
    body = found.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["page_size"] == 20
    assert body["results"][0]["article"] == {
        "id": article["id"],
        "title": "Port to reopen",
        "url": ARTICLE["url"],
        "outlet": "Example News",
        "published": "2024-06-18T00:00:00+00:00",
    }


def test_reposting_the_same_url_replaces(client: FlaskClient, store: Store) -> None:
    first = client.post("/api/v1/articles", json=ARTICLE).get_json()
    second = client.post("/api/v1/articles", json={**ARTICLE, "title": "Port reopens"}).get_json()
    assert first["id"] == second["id"] and second["title"] == "Port reopens"
    assert store.health()["articles"] == 1


def test_seed_quotes_by_speaker_and_words(client: FlaskClient, seeded: Store) -> None:
    kirby = client.get("/api/v1/quotes?speaker=kirby").get_json()
    assert kirby["total"] >= 2
    assert {hit["speaker"]["name"] for hit in kirby["results"]} == {"John Kirby"}
    assert all(hit["article"]["id"] for hit in kirby["results"])
    ammo = client.get("/api/v1/quotes?q=ammunition").get_json()
    assert "Matthew Miller" in {hit["speaker"]["name"] for hit in ammo["results"]}


def test_paging_headers(client: FlaskClient, seeded: Store) -> None:
    response = client.get("/api/v1/quotes?page_size=2&page=2")
    body = response.get_json()
    assert body["page"] == 2 and len(body["results"]) == 2
    paging = json.loads(response.headers["X-Pagination"])
    assert paging["total"] == body["total"] and paging["previous_page"] == 1
    assert paging["next_page"] == 3
    link = response.headers["Link"]
    assert 'page_size=2&page=3>; rel="next"' in link and 'rel="prev"' in link


def test_speakers(client: FlaskClient, seeded: Store) -> None:
    body = client.get("/api/v1/speakers").get_json()
    names = [s["name"] for s in body["results"]]
    assert names[0] == "Vladimir Putin"
    counts = [s["quotes"] for s in body["results"]]
    assert counts == sorted(counts, reverse=True)
    assert body["total"] == len(names)


def test_healthz(client: FlaskClient, seeded: Store) -> None:
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["articles"] == 5
    assert body["quotes"] == body["indexed_quotes"] > 0 and body["index_lag"] == 0


def test_openapi_document(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/quotes",
        "/api/v1/speakers",
        "/healthz",
    } <= set(doc["paths"])
    params = {p["name"] for p in doc["paths"]["/api/v1/quotes"]["get"]["parameters"]}
    assert {"q", "speaker", "page", "page_size"} <= params
    assert "Problem" in doc["components"]["schemas"]


def test_errors_share_one_shape(client: FlaskClient) -> None:
    assert_problem(client.get("/api/v1/articles/nope"), 404)
    assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert_problem(client.delete("/api/v1/quotes"), 405)
    assert_problem(
        client.post("/api/v1/articles", data="{not json", content_type="application/json"), 400
    )
    assert_problem(client.post("/api/v1/articles", json={}), 422, "text")
    assert_problem(client.post("/api/v1/articles", json={"text": "  \n "}), 422, "text")
    assert_problem(client.post("/api/v1/articles", json={"text": "a\x00b"}), 422, "text")
    assert_problem(client.post("/api/v1/articles", json={"text": 5}), 422, "text")
    assert_problem(client.post("/api/v1/articles", json={"text": "x", "colour": 1}), 422, "colour")
    assert_problem(
        client.post("/api/v1/articles", json={"text": "x", "published": "June"}), 422, "published"
    )
    assert_problem(
        client.post("/api/v1/articles", json={"text": "x", "url": "ftp://a/b"}), 422, "url"
    )
    # Bad query strings are 400; bad bodies 422.
    assert_problem(client.get("/api/v1/quotes?page=0"), 400, "page")
    assert_problem(client.get("/api/v1/quotes?page_size=101"), 400, "page_size")
    assert_problem(client.get("/api/v1/quotes?speker=putin"), 400, "speker")
    assert_problem(client.get("/api/v1/speakers?page=x"), 400, "page")


def test_405_says_what_is_allowed(client: FlaskClient) -> None:
    response = client.put("/api/v1/articles")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_oversized_body_is_413(client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    assert_problem(client.post("/api/v1/articles", json={"text": "x" * 2000}), 413)
