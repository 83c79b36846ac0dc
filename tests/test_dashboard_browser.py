"""The dashboard in a real browser against a real `quoteapi serve` over the seeds.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright`` Python package
(never ``playwright install``: it downloads a browser). Without them the tests are
skipped. Every request to a host other than the server and the two loopback "news
sites" that embed the widget is blocked and recorded, as if the network were cut.

Screenshots go to a temporary folder; with ``QUOTEAPI_SCREENSHOTS=1`` they replace the
ones in docs/screenshots/ that the README shows.
"""

from __future__ import annotations

import os
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser import BROWSER_TEST, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT_MISSING
from harness import API_KEY, request, served

ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = 15_000

pytestmark = BROWSER_TEST
sync_api = pytest.importorskip("playwright.sync_api", reason=PLAYWRIGHT_MISSING)
expect = sync_api.expect


# -- the server, two sites that embed the widget, the browser ------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    """A static web site on a loopback port: a newsroom page that embeds the widget."""

    root: Path
    httpd: ThreadingHTTPServer

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Site]]:
    """Two sites: the first in the server's CORS_ORIGINS, the second not."""
    made = []
    for name in ("allowed", "other"):
        root = tmp_path_factory.mktemp(name)
        handler = partial(_QuietHandler, directory=str(root))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        made.append(Site(root, httpd))
    try:
        yield made[0], made[1]
    finally:
        for site in made:
            site.httpd.shutdown()
            site.httpd.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sites: tuple[Site, Site]) -> Iterator[str]:
    """A `quoteapi serve` over the seeds that the first site may frame; its base URL."""
    data = tmp_path_factory.mktemp("dashboard") / "data"
    with served(data, workers=1, env={"QUOTEAPI_CORS_ORIGINS": sites[0].origin}) as served_:
        yield served_.base


def api(server: str, path: str, **params: Any) -> Any:
    """What the API answers to GET path?params (the page must show the same)."""
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    answer = request(f"{server}/api/v1{path}{query}")
    assert answer.status == 200, answer
    return answer.body


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A page whose requests leave only for the server and the two sites, and whose
    console errors and failed requests are kept."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


OpenTab = Callable[..., Tab]


@pytest.fixture
def open_tab(browser: Any, server: str, sites: tuple[Site, Site]) -> Iterator[OpenTab]:
    tabs: list[Tab] = []
    allowed = (f"{server}/", *(f"{site.origin}/" for site in sites))

    def open_(width: int = 1280, height: int = 900) -> Tab:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(WAIT_MS)
        tab = Tab(page)

        def only_loopback(route: Any) -> None:
            if route.request.url.startswith(allowed):
                route.continue_()
            else:
                tab.blocked.append(route.request.url)
                route.abort("internetdisconnected")

        page.route("**/*", only_loopback)
        page.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: tab.problems.append(str(error)))
        tabs.append(tab)
        return tab

    yield open_
    for tab in tabs:
        tab.page.close()
    assert [url for tab in tabs for url in tab.blocked] == []
    assert [problem for tab in tabs for problem in tab.problems] == []


def screenshot(page: Any, name: str, tmp_path: Path) -> Path:
    """Keep a picture of the page: in docs/screenshots/ when asked to, else in tmp_path."""
    folder = ROOT / "docs" / "screenshots" if os.environ.get("QUOTEAPI_SCREENSHOTS") else tmp_path
    path = folder / f"dashboard-{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def shown_total(page: Any) -> int:
    """The number the results heading gives ("46 quotes", "No quotes")."""
    text = page.locator("#summary").inner_text()
    match = re.match(r"([\d,]+) quotes?", text)
    return int(match.group(1).replace(",", "")) if match else 0


def quote_texts(page: Any) -> list[str]:
    return [t.strip("“”") for t in page.locator("#results .quote-text").all_inner_texts()]


# -- search ------------------------------------------------------------------------------


def test_search_shows_the_quote_with_its_outlet_and_a_link_to_it(
    open_tab: OpenTab, server: str, tmp_path: Path
) -> None:
    hit = api(server, "/quotes", q="ammunition")["results"][0]
    assert hit["speaker"]["name"] == "Matthew Miller"
    page = open_tab().page
    page.goto(f"{server}/")
    page.get_by_label("Words or “phrases”").fill("ammunition")
    page.get_by_label("Words or “phrases”").press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=ammunition$"))
    result = page.locator(f'.hit[data-quote-id="{hit["id"]}"]')
    expect(result).to_be_visible()
    expect(page.locator("#results .hit")).to_have_count(1)
    expect(result.locator(".speaker-name")).to_have_text("Matthew Miller")
    expect(result.locator(".speaker-title")).to_contain_text(hit["speaker"]["title"])
    expect(result.locator(".quote-text")).to_have_text(hit["text"])
    expect(result.locator(".quote-text mark")).to_have_text("ammunition")
    # The seed gives no outlet and no url: the page says so, and links to its own copy.
    assert hit["article"]["outlet"] is None and hit["article"]["url"] is None
    expect(result.locator(".outlet")).to_have_text("outlet not given")
    link = result.locator(".source-link")
    href = link.get_attribute("href")
    assert href == f"/articles/{hit['article']['id']}?quote={hit['id']}"
    screenshot(page, "search", tmp_path)

    link.click()
    expect(page).to_have_url(f"{server}{href}")
    current = page.locator("#article-view mark.current")
    expect(current).to_have_text(hit["text"])
    expect(current).to_be_in_viewport()
    expect(current).to_be_focused()
    article = api(server, f"/articles/{hit['article']['id']}")
    assert article["text"][hit["start"] : hit["end"]] == hit["text"]
    expect(page.locator("#article-view mark.said")).to_have_count(len(article["quotes"]))
    expect(page.locator("#article-view h1")).to_have_text(article["title"])
    expect(page.locator(".quote-index a[aria-current=true]")).to_contain_text("Matthew Miller")
    screenshot(page, "article", tmp_path)

    # Another quote of the article, from its list: highlighted in place of the first.
    other = next(q for q in article["quotes"] if q["id"] != hit["id"])
    page.locator(f'.quote-index a[href$="quote={other["id"]}"]').click()
    expect(page).to_have_url(f"{server}/articles/{hit['article']['id']}?quote={other['id']}")
    expect(current).to_have_text(other["text"])

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=ammunition$"))
    expect(result).to_be_visible()
    expect(page.get_by_label("Words or “phrases”")).to_have_value("ammunition")

    # The link works on its own too: a fresh load of the shared URL shows the same.
    fresh = open_tab().page
    fresh.goto(f"{server}{href}")
    expect(fresh.locator("#article-view mark.current")).to_have_text(hit["text"])


def test_a_speaker_facet_narrows_the_results(
    open_tab: OpenTab, server: str, tmp_path: Path
) -> None:
    everything = api(server, "/quotes")
    kirby = next(f for f in everything["facets"]["speakers"] if f["id"] == "john-kirby")
    page = open_tab().page
    page.goto(f"{server}/")
    expect(page.locator("#summary")).to_have_text(f"{everything['total']} quotes")
    facet = page.locator("#facet-speakers button", has_text="John Kirby")
    expect(facet).to_have_attribute("aria-pressed", "false")
    facet.click()
    expect(page).to_have_url(f"{server}/?speaker_id=john-kirby")
    expect(page.locator("#summary")).to_have_text(f"{kirby['count']} quotes")
    assert shown_total(page) < everything["total"]
    names = page.locator("#results .speaker-name")
    expect(names).to_have_count(kirby["count"])
    assert set(names.all_inner_texts()) == {"John Kirby"}
    expect(page.locator("#facet-speakers button[aria-pressed=true]")).to_contain_text("John Kirby")
    expect(page.locator("#filters")).to_contain_text("Speaker: John Kirby")
    expect(page.get_by_label("Speaker", exact=True)).to_have_value("John Kirby")
    screenshot(page, "facet", tmp_path)

    # An outlet facet narrows further; removing the speaker chip widens again.
    outlet = api(server, "/quotes", speaker_id="john-kirby")["facets"]["outlets"][0]
    page.locator("#facet-outlets button", has_text=outlet["name"]).click()
    expect(page.locator("#summary")).to_have_text(re.compile(rf"^{outlet['count']} quotes?$"))
    assert set(page.locator("#results .outlet").all_inner_texts()) == {outlet["name"]}
    page.get_by_role("button", name="Remove Speaker: John Kirby").click()
    expected = api(server, "/quotes", outlet=outlet["name"])["total"]
    expect(page.locator("#summary")).to_have_text(f"{expected} quotes")

    for _ in range(3):  # outlet alone, then with the speaker, then the speaker alone
        page.go_back()
    expect(page).to_have_url(f"{server}/")
    expect(page.locator("#summary")).to_have_text(f"{everything['total']} quotes")


def test_next_page_and_back(open_tab: OpenTab, server: str) -> None:
    first = [hit["text"] for hit in api(server, "/quotes", page_size=2)["results"]]
    second = [hit["text"] for hit in api(server, "/quotes", page_size=2, page=2)["results"]]
    page = open_tab().page
    page.goto(f"{server}/?page_size=2")
    expect(page.locator("#results .hit")).to_have_count(2)
    assert quote_texts(page) == first
    expect(page.locator("#pager .page-of")).to_contain_text("Page 1 of")
    expect(page.locator("#pager .prev")).to_be_disabled()

    page.locator("#pager .next").click()
    expect(page).to_have_url(f"{server}/?page=2&page_size=2")
    expect(page.locator("#pager .page-of")).to_contain_text("Page 2 of")
    assert quote_texts(page) == second != first

    page.go_back()
    expect(page).to_have_url(f"{server}/?page_size=2")
    expect(page.locator("#pager .page-of")).to_contain_text("Page 1 of")
    assert quote_texts(page) == first


def test_the_speaker_field_completes_names_by_keyboard(open_tab: OpenTab, server: str) -> None:
    page = open_tab().page
    page.goto(f"{server}/")
    field = page.get_by_role("combobox", name="Speaker")
    field.press_sequentially("kir")
    option = page.get_by_role("option", name=re.compile("John Kirby"))
    expect(option).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    expect(option).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(page).to_have_url(f"{server}/?speaker_id=john-kirby")
    expect(field).to_have_value("John Kirby")
    expect(field).to_have_attribute("aria-expanded", "false")
    expected = api(server, "/quotes", speaker_id="john-kirby")["total"]
    expect(page.locator("#results .speaker-name")).to_have_count(expected)


def test_dates_outlet_and_sort_from_the_form(open_tab: OpenTab, server: str) -> None:
    page = open_tab().page
    page.goto(f"{server}/")
    expect(page.locator("#results .hit").first).to_be_visible()
    # A choice of order applies at once.
    page.get_by_label("Sort").select_option("oldest")
    expect(page).to_have_url(f"{server}/?sort=oldest")
    oldest = [hit["text"] for hit in api(server, "/quotes", sort="oldest")["results"]]
    expect(page.locator("#results .quote-text")).to_have_text(oldest)

    page.get_by_label("Outlet").fill("stern")
    page.get_by_label("From", exact=True).fill("2000-01-01")
    page.get_by_label("To", exact=True).fill("2099-12-31")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{server}/?outlet=stern&from=2000-01-01&to=2099-12-31&sort=oldest")
    expected = api(server, "/quotes", outlet="stern", sort="oldest", **{"from": "2000-01-01"})
    expect(page.locator("#summary")).to_have_text(f"{expected['total']} quotes")
    assert set(page.locator("#results .outlet").all_inner_texts()) == {"Stern"}

    page.get_by_label("From", exact=True).fill("2098-01-01")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#empty")).to_contain_text("Nothing matches")
    expect(page.locator("#results .hit")).to_have_count(0)


# -- the speaker view ----------------------------------------------------------------------


def test_the_speaker_view_shows_titles_aliases_outlets_and_quotes(
    open_tab: OpenTab, server: str, tmp_path: Path
) -> None:
    putin = api(server, "/speakers/vladimir-putin")
    page = open_tab().page
    page.goto(f"{server}/?q=blackmail")
    page.locator("#results .speaker-name", has_text="Vladimir Putin").first.click()
    expect(page).to_have_url(f"{server}/speakers/vladimir-putin")
    view = page.locator("#speaker-view")
    expect(view.locator("h1")).to_have_text("Vladimir Putin")
    expect(view.locator(".titles li")).to_have_text(
        [f"{t['title']} {t['count']}" for t in putin["titles"]]
    )
    expect(view.locator(".aliases li")).to_have_text(putin["aliases"])
    named = [o["name"] for o in putin["outlets"] if o["name"]]
    expect(view.locator(".outlets button .facet-name")).to_have_text(named)
    if any(o["name"] is None for o in putin["outlets"]):
        expect(view.locator(".outlets .missing")).to_contain_text("outlet not given")
    expect(view.locator(".speaker-timeline svg rect")).not_to_have_count(0)
    quotes = api(server, "/quotes", speaker_id="vladimir-putin", sort="newest")
    expect(view.locator(".results .hit")).to_have_count(len(quotes["results"]))
    assert set(view.locator(".results .speaker-name").all_inner_texts()) == {"Vladimir Putin"}
    screenshot(page, "speaker", tmp_path)

    # "Quoted by" an outlet: the search for their quotes in it.
    view.locator(".outlets button", has_text=named[0]).click()
    expect(page).to_have_url(re.compile(r"/\?speaker_id=vladimir-putin&outlet="))
    expect(page.locator("#results .hit").first).to_be_visible()
    assert set(page.locator("#results .speaker-name").all_inner_texts()) == {"Vladimir Putin"}
    page.go_back()
    expect(page.locator("#speaker-view h1")).to_have_text("Vladimir Putin")


# -- the widget ------------------------------------------------------------------------------


def test_embed_shows_only_the_speaker_of_its_query_string(open_tab: OpenTab, server: str) -> None:
    kirby = api(server, "/quotes", speaker="John Kirby")
    assert kirby["total"] > 0
    page = open_tab(width=640, height=800).page
    page.goto(f"{server}/embed?speaker=John%20Kirby")
    names = page.locator("#results .speaker-name")
    expect(names.first).to_be_visible()
    assert set(names.all_inner_texts()) == {"John Kirby"}
    expect(page.locator("#summary")).to_have_text(f"{kirby['total']} quotes")
    expect(page.locator(".masthead")).to_be_hidden()
    expect(page.locator(".facets")).to_be_hidden()
    expect(page.get_by_label("Speaker", exact=True)).to_be_hidden()
    # Links leave the widget for the full dashboard, in a new tab.
    targets = page.locator("#results a").evaluate_all("links => links.map(a => a.target)")
    assert targets and set(targets) == {"_blank"}
    expect(page.locator("#open-full")).to_have_attribute("href", "/?speaker=John+Kirby")

    # Words typed into the widget search within its speaker.
    words = api(server, "/quotes", speaker="John Kirby", q="worried")
    entries = page.evaluate("history.length")
    page.get_by_label("Words or “phrases”").fill("worried")
    page.get_by_role("button", name="Search").click()
    # The widget never adds to its host page's history: it replaces its own entry.
    expect(page).to_have_url(f"{server}/embed?q=worried&speaker=John+Kirby")
    assert page.evaluate("history.length") == entries
    expect(names).to_have_count(words["total"])
    assert set(names.all_inner_texts()) == {"John Kirby"}


def test_the_script_snippet_embeds_the_widget_on_allowed_sites_only(
    open_tab: OpenTab, server: str, sites: tuple[Site, Site], tmp_path: Path
) -> None:
    snippet = f'<script src="{server}/embed.js" data-speaker="John Kirby" async></script>'
    for site in sites:
        (site.root / "story.html").write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>A story</title></head>"
            "<body style='font-family: sans-serif; max-width: 50rem; margin: 1rem auto'>"
            f"<h1>A story</h1><p>What was said this week.</p>{snippet}"
            "<p>More of the story.</p></body></html>",
            encoding="utf-8",
        )
    allowed, other = sites
    kirby = api(server, "/quotes", speaker="John Kirby")

    page = open_tab().page
    page.goto(f"{allowed.origin}/story.html")
    frame = page.locator("iframe.quoteapi-widget")
    expect(frame).to_have_attribute("src", f"{server}/embed?speaker=John+Kirby")
    placed = "document.querySelector('script[src$=\"/embed.js\"]').nextElementSibling.tagName"
    assert page.evaluate(placed) == "IFRAME"  # right after its script tag
    names = page.frame_locator("iframe.quoteapi-widget").locator("#results .speaker-name")
    expect(names).to_have_count(kirby["total"])
    assert set(names.all_inner_texts()) == {"John Kirby"}
    # The widget reports its height, and the iframe grows to show every quote.
    widget = frame.element_handle().content_frame()
    tall = widget.evaluate("document.documentElement.scrollHeight")
    assert tall > 420  # taller than the frame starts
    page.wait_for_function(
        "h => Math.abs(document.querySelector('iframe.quoteapi-widget').clientHeight - h) < 4",
        arg=tall,
    )
    screenshot(page, "embed", tmp_path)

    tab = open_tab()
    with tab.page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        tab.page.goto(f"{other.origin}/story.html")
    expect(tab.page.locator("iframe.quoteapi-widget")).to_have_count(1)
    refused = tab.page.frame_locator("iframe.quoteapi-widget").locator("#results")
    expect(refused).to_have_count(0)
    # The browser's refusal was expected; nothing else went wrong.
    assert all("frame-ancestors" in problem for problem in tab.problems)
    tab.problems.clear()


# -- markup in the data ---------------------------------------------------------------------

HOSTILE_QUOTE = (
    'Qxzlorp <img src=x onerror="window.pwned=1"> bridges <script>window.pwned=2</script> & tolls'
)
HOSTILE_ARTICLE = {
    "url": "https://hostile.example/markup",
    "title": "<script>window.pwned=3</script><b>Bold</b> title",
    "outlet": "<img src=x onerror=window.pwned=4>Gazette",
    # An astral character before the quote: the API counts code points, JavaScript
    # UTF-16 units, and the highlight must still cover exactly the quote.
    "text": f"Roads 🚧 news. The mayor, Ada Stone, said: “{HOSTILE_QUOTE}.”",
}


@pytest.fixture
def hostile_article(server: str) -> Iterator[dict[str, Any]]:
    """HOSTILE_ARTICLE, stored and searchable; deleted afterwards."""
    posted = request(f"{server}/api/v1/articles?wait=indexed", "POST", HOSTILE_ARTICLE, key=API_KEY)
    assert posted.status == 201 and posted.headers["X-Indexed"] == "true", posted
    try:
        yield posted.body
    finally:
        gone = request(f"{server}/api/v1/articles/{posted.body['id']}", "DELETE", key=API_KEY)
        assert gone.status == 204, gone


def test_markup_in_quotes_and_articles_shows_as_text(
    open_tab: OpenTab, server: str, hostile_article: dict[str, Any]
) -> None:
    hit = api(server, "/quotes", q="qxzlorp")["results"][0]
    assert hit["article"]["id"] == hostile_article["id"]
    assert "<img" in hit["text"] and "&lt;img" in hit["highlight"]

    tab = open_tab()
    page = tab.page
    page.goto(f"{server}/?q=qxzlorp")
    result = page.locator(f'.hit[data-quote-id="{hit["id"]}"]')
    expect(result.locator(".quote-text")).to_have_text(hit["text"])
    expect(result.locator(".quote-text mark")).to_have_text("Qxzlorp")
    expect(result.locator(".outlet")).to_have_text(HOSTILE_ARTICLE["outlet"])
    expect(result.locator(".article-title")).to_have_text(HOSTILE_ARTICLE["title"])
    expect(result.locator(".source-link")).to_have_attribute("href", HOSTILE_ARTICLE["url"])
    assert page.locator("main img, main script, main b").count() == 0
    assert page.evaluate("window.pwned") is None

    result.locator(".quote-text").click()
    current = page.locator("#article-view mark.current")
    expect(current).to_have_text(hit["text"])
    expect(page.locator("#article-view h1")).to_have_text(HOSTILE_ARTICLE["title"])
    assert page.locator("main img, main script, main b").count() == 0
    assert page.evaluate("window.pwned") is None


def test_a_widely_reported_quote_names_ten_others_and_counts_the_rest(
    open_tab: OpenTab, server: str
) -> None:
    quote = "The Vornbury ferry sails again from the first of May"
    ids = []
    try:
        for n in range(13):
            article = {
                "url": f"https://wire{n}.example/ferry",
                "title": f"Ferry {n}",
                "outlet": f"Wire {n:02d}",
                "published": f"2024-05-{n + 1:02d}T09:00:00Z",
                "text": f"The harbour master, Ida Lund, said: “{quote}.”",
            }
            posted = request(f"{server}/api/v1/articles?wait=indexed", "POST", article, key=API_KEY)
            assert posted.status == 201, posted
            ids.append(posted.body["id"])
        tab = open_tab()
        page = tab.page
        page.goto(f"{server}/?q=vornbury&sort=oldest")
        also = page.locator(".hit .also").first
        expect(also).to_contain_text("Wire 01")
        expect(also).to_have_text(re.compile(r"Wire 10 and 2 more$"))
        assert also.locator("a").count() == 10
    finally:
        for article_id in ids:
            gone = request(f"{server}/api/v1/articles/{article_id}", "DELETE", key=API_KEY)
            assert gone.status == 204, gone


def test_markup_in_speaker_names_shows_as_text(open_tab: OpenTab, server: str) -> None:
    """The extractor keeps only name-like words, so no stored speaker holds markup; the
    API's real answers are given one here, to show the page would print it as text."""
    name = "<img src=x onerror=window.pwned=5>Ada"
    title = "<script>window.pwned=6</script>mayor"

    def hostile_speaker(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        if "aliases" in body:  # one speaker
            body.update(name=name, title=title, aliases=[name])
        for hit in body.get("results", []):
            if "speaker" in hit:
                hit["speaker"].update(name=name, title=title)
            else:
                hit.update(name=name, title=title, aliases=[name])
        for facet in body.get("facets", {}).get("speakers", []):
            facet["name"] = name
        route.fulfill(response=response, json=body)

    tab = open_tab()
    page = tab.page
    page.route(re.compile(r"/api/v1/(quotes|speakers)\b"), hostile_speaker)
    page.goto(f"{server}/?q=ammunition")
    expect(page.locator("#results .speaker-name")).to_have_text(name)
    expect(page.locator("#results .speaker-title")).to_have_text(f", {title}")
    expect(page.locator("#facet-speakers .facet-name")).to_have_text(name)
    page.get_by_role("combobox", name="Speaker").press_sequentially("mil")
    expect(page.get_by_role("option").first).to_contain_text(name)
    page.locator("#results .speaker-name").click()
    expect(page.locator("#speaker-view h1")).to_have_text(name)
    expect(page.locator("#speaker-view .aliases li")).to_have_text([name])
    assert page.locator("body img, main script").count() == 0
    assert page.evaluate("window.pwned") is None


# -- states and small screens ------------------------------------------------------------------


def test_loading_empty_and_error_states(open_tab: OpenTab, server: str) -> None:
    page = open_tab().page
    held: list[Any] = []
    page.route(re.compile(r"/api/v1/quotes\?q=missiles"), lambda route: held.append(route))
    page.goto(f"{server}/?q=missle")
    empty = page.locator("#empty")
    expect(empty).to_contain_text("Nothing matches")
    suggestion = api(server, "/quotes", q="missle")["suggestions"]["q"]
    assert suggestion == "missiles"
    empty.get_by_role("button", name=f"“{suggestion}”").click()
    # While the API has not answered: busy, and saying so.
    expect(page.locator("#status")).to_have_text("Searching…")
    expect(page.locator("body")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#status")).to_be_visible()
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#summary")).to_have_text(re.compile(r"quotes? for “missiles”"))
    expect(page.locator("body")).not_to_have_attribute("aria-busy", "true")
    expect(empty).to_be_hidden()

    tab = open_tab()
    tab.page.goto(f"{server}/?from=2024-06-20&to=2024-06-01")
    problem = tab.page.get_by_role("alert")
    expect(problem).to_contain_text("Bad Request (400)")
    expect(problem).to_contain_text("from must come before to")
    assert all("400" in p for p in tab.problems)  # the browser logs the failed request
    tab.problems.clear()

    tab = open_tab()
    tab.page.goto(f"{server}/speakers/nobody-at-all")
    expect(tab.page.get_by_role("alert")).to_contain_text("No speaker has id 'nobody-at-all'")
    tab.problems.clear()


@pytest.mark.parametrize("path", ["/", "/speakers/vladimir-putin", "/embed?speaker=Kirby"])
def test_a_phone_never_scrolls_sideways(
    open_tab: OpenTab, server: str, tmp_path: Path, path: str
) -> None:
    page = open_tab(width=375, height=740).page
    page.goto(f"{server}{path}")
    expect(page.locator(".hit").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if path == "/":
        page.locator("#summary").scroll_into_view_if_needed()
        screenshot(page, "phone", tmp_path)


def test_article_view_on_a_phone(open_tab: OpenTab, server: str) -> None:
    hit = api(server, "/quotes", q="ammunition")["results"][0]
    page = open_tab(width=375, height=740).page
    page.goto(f"{server}/articles/{hit['article']['id']}?quote={hit['id']}")
    expect(page.locator("mark.current")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
