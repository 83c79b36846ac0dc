// The quoteapi dashboard: search, speakers and articles, through the public API alone.
//
// Every view is a function of the URL (path and query string), so a view can be shared
// and the back button returns to it. Text from the API is only ever put on the page as
// text (textContent, createTextNode); the one piece of HTML the API sends, a search
// hit's `highlight`, is rebuilt from its text and <mark> elements, nothing else.

const API = "/api/v1";
const EMBED = document.body.dataset.mode === "embed";
const HOME = document.body.dataset.home || "/";
// The search filters a URL may carry; anything else in the query string is ignored.
const FILTERS = ["q", "speaker", "speaker_id", "outlet", "kind", "from", "to", "sort"];
const PAGING = ["page", "page_size"];
const EMBED_PAGE_SIZE = "5";
const MAX_DEPTH = 10000; // the API's page × page_size cap
const SVG = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const status = $("status");
const problemBox = $("problem");
const views = {
  search: $("search-view"),
  speaker: $("speaker-view"),
  article: $("article-view"),
};

// -- the API ----------------------------------------------------------------------------

class Problem extends Error {
  constructor(title, detail, status = 0, errors = null) {
    super(detail || title);
    this.title = title;
    this.detail = detail;
    this.status = status;
    this.errors = errors;
  }
}

// GET API + path with the non-empty params; the JSON body, or a Problem (RFC 9457).
async function api(path, params = {}, signal = undefined) {
  const url = new URL(API + path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new Problem("The server could not be reached", "Check the connection and try again.");
  }
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    throw new Problem(
      (body && body.title) || `HTTP ${response.status}`,
      (body && body.detail) || response.statusText,
      response.status,
      body && body.errors,
    );
  }
  return body;
}

// -- building the page ------------------------------------------------------------------

// An element with attributes and children; strings become text nodes, never markup.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

function clear(el) {
  el.replaceChildren();
  return el;
}

// The API's highlight as nodes: its text, and <mark> where it marks a word. Any other
// element gives up its text only; if that text is not the quote's, the quote wins.
function highlighted(html, text) {
  if (!html) return [document.createTextNode(text)];
  const template = document.createElement("template");
  template.innerHTML = html; // inert: a template's content runs and loads nothing
  const rebuild = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return [document.createTextNode(node.data)];
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    const inner = [...node.childNodes].flatMap(rebuild);
    return node.tagName === "MARK" ? [append(document.createElement("mark"), inner)] : inner;
  };
  const nodes = [...template.content.childNodes].flatMap(rebuild);
  const same = nodes.map((node) => node.textContent).join("") === text;
  return same ? nodes : [document.createTextNode(text)];
}

// An href for a URL from the data: http(s) only, so no "javascript:" link is ever made.
function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// In the widget, links open the full dashboard in a new tab; in the page, they navigate.
function internalLink(href, attrs, ...children) {
  const extra = EMBED ? { target: "_blank", rel: "noopener" } : { "data-nav": true };
  return h("a", { href, ...extra, ...attrs }, ...children);
}

function linkButton(label, onclick) {
  return h("button", { type: "button", class: "link", onclick }, label);
}

function countOf(n) {
  return h("span", { class: "count" }, String(n));
}

// An article's outlet, or that none was given: metadata is shown, never guessed.
function outletOf(article) {
  return article.outlet
    ? h("span", { class: "outlet" }, article.outlet)
    : h("span", { class: "outlet missing" }, "outlet not given");
}

function dateOf(article) {
  return article.published
    ? h("time", { datetime: article.published }, day(article.published))
    : h("span", { class: "missing" }, "date not given");
}

function sourceLink(href) {
  return h(
    "a",
    { class: "source-link", href, target: "_blank", rel: "noopener noreferrer" },
    "Source article ↗",
  );
}

function day(iso) {
  if (!iso) return null;
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

function speakerPath(id) {
  return `${HOME}speakers/${encodeURIComponent(id)}`;
}

function articlePath(articleId, quoteId) {
  const path = `${HOME}articles/${encodeURIComponent(articleId)}`;
  return quoteId ? `${path}?quote=${encodeURIComponent(quoteId)}` : path;
}

// path?query with the non-empty params.
function withQuery(path, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
  return query ? `${path}?${query}` : path;
}

function searchPath(params) {
  return withQuery(HOME, params);
}

// -- state in the URL -------------------------------------------------------------------

function route() {
  const params = new URLSearchParams(location.search);
  if (!EMBED) {
    const rest = location.pathname.slice(HOME.length).split("/");
    if (rest.length === 2 && rest[0] === "speakers" && rest[1]) {
      return { view: "speaker", id: decodeURIComponent(rest[1]), params };
    }
    if (rest.length === 2 && rest[0] === "articles" && rest[1]) {
      return { view: "article", id: decodeURIComponent(rest[1]), params };
    }
  }
  return { view: "search", params };
}

// The search's filters and paging from a query string, without empty values.
function searchState(params) {
  const state = {};
  for (const key of [...FILTERS, ...PAGING]) {
    const value = (params.get(key) || "").trim();
    if (value) state[key] = value;
  }
  if (state.page === "1") delete state.page;
  return state;
}

let navigated = false; // true once this tab has moved within the dashboard

function navigate(url, { replace = false, focus = null } = {}) {
  // In an iframe, pushState would add to the host page's history: replace instead.
  if (replace || EMBED) history.replaceState({ dashboard: true }, "", url);
  else history.pushState({ dashboard: true }, "", url);
  navigated = true;
  return render(focus);
}

function searchWith(changes, focus = "summary") {
  const merged = { ...searchState(new URLSearchParams(location.search)), ...changes };
  if (!("page" in changes)) delete merged.page; // new filters start at the first page
  if (!EMBED && route().view !== "search") {
    for (const key of PAGING) delete merged[key];
  }
  // Always in the same order, so the same search has the same URL however it was made.
  const state = {};
  for (const key of [...FILTERS, ...PAGING]) if (merged[key]) state[key] = merged[key];
  // The widget stays the widget: its searches keep to /embed.
  return navigate(withQuery(EMBED ? location.pathname : HOME, state), { focus });
}

// -- loading, errors --------------------------------------------------------------------

let current = null; // the AbortController of the view being loaded

function startLoading(message) {
  if (current) current.abort();
  current = new AbortController();
  document.body.setAttribute("aria-busy", "true");
  status.textContent = message;
  problemBox.hidden = true;
  return current.signal;
}

function doneLoading(signal, message = "") {
  if (signal.aborted) return false;
  document.body.removeAttribute("aria-busy");
  status.textContent = message;
  return true;
}

function showProblem(signal, error) {
  if (error.name === "AbortError" || signal.aborted) return;
  doneLoading(signal, "");
  clear(problemBox).append(
    h("h2", {}, error.status ? `${error.title} (${error.status})` : error.title),
    h("p", {}, error.detail || ""),
    h("p", {}, internalLink(HOME, {}, "Start a new search")),
  );
  problemBox.hidden = false;
  for (const view of Object.values(views)) view.hidden = true;
}

// -- search -----------------------------------------------------------------------------

function fillForm(state) {
  for (const key of ["q", "outlet", "from", "to", "kind"]) {
    form.elements[key].value = state[key] || "";
  }
  form.elements.sort.value = state.sort || "relevance";
  combobox.set(state.speaker || "", state.speaker_id || null);
}

function formState() {
  const values = {};
  for (const key of ["q", "outlet", "from", "to", "kind", "sort"]) {
    values[key] = form.elements[key].value.trim();
  }
  if (values.sort === "relevance") values.sort = "";
  const picked = combobox.picked();
  values.speaker_id = picked ? picked.id : "";
  values.speaker = picked ? "" : form.elements.speaker.value.trim();
  return values;
}

async function showSearch(params, focus) {
  const state = searchState(params);
  if (EMBED && !state.page_size) state.page_size = EMBED_PAGE_SIZE;
  fillForm(state);
  views.search.hidden = false;
  const signal = startLoading("Searching…");
  $("results").setAttribute("aria-busy", "true");
  let page;
  try {
    page = await api("/quotes", state, signal);
  } catch (error) {
    showProblem(signal, error);
    return;
  } finally {
    $("results").removeAttribute("aria-busy");
  }
  if (!doneLoading(signal, `${plural(page.total, "quote")} found.`)) return;
  renderFilters(state, page.facets);
  if (state.speaker_id) combobox.name(speakerName(state, page.facets.speakers));
  renderSummary(state, page);
  renderResults($("results"), page.results);
  renderEmpty(state, page);
  append(clear($("pager")), [pager(page, (n) => searchWith({ page: n > 1 ? String(n) : "" }))]);
  renderSpeakerFacet(state, page.facets.speakers);
  renderOutletFacet(state, page.facets.outlets);
  clear($("timeline")).append(timeline(page.facets.days, "Quotes per day for this search"));
  $("open-full").href = searchPath(withoutPaging(state));
  if (focus) $(focus)?.focus();
}

function withoutPaging(state) {
  const rest = { ...state };
  for (const key of PAGING) delete rest[key];
  return rest;
}

function speakerName(state, speakers) {
  const facet = speakers.find((s) => s.id === state.speaker_id);
  return facet ? facet.name : state.speaker_id;
}

function renderFilters(state, facets) {
  const labels = {
    q: "Words",
    speaker: "Speaker",
    speaker_id: "Speaker",
    outlet: "Outlet",
    kind: "Kind",
    from: "From",
    to: "To",
  };
  const chips = Object.keys(labels)
    .filter((key) => state[key])
    .map((key) => {
      const value = key === "speaker_id" ? speakerName(state, facets.speakers) : state[key];
      const label = `${labels[key]}: ${value}`;
      if (EMBED) return h("li", { class: "chip" }, label);
      return h(
        "li",
        { class: "chip" },
        label,
        h(
          "button",
          {
            type: "button",
            class: "chip-remove",
            "aria-label": `Remove ${label}`,
            onclick: () => searchWith({ [key]: "" }),
          },
          "×",
        ),
      );
    });
  const box = clear($("filters"));
  if (chips.length) {
    box.append(h("span", { class: "filters-label" }, "Filters:"), h("ul", {}, chips));
    if (!EMBED && chips.length > 1) {
      box.append(linkButton("Clear all", () => navigate(HOME)));
    }
  }
}

function renderSummary(state, page) {
  const total = page.total;
  let text = total ? plural(total, "quote") : "No quotes";
  if (state.q) text += ` for “${state.q}”`;
  $("summary").textContent = text;
}

function renderEmpty(state, page) {
  const box = clear($("empty"));
  box.hidden = page.total > 0;
  if (page.total > 0) return;
  const filtered = FILTERS.some((key) => key !== "sort" && state[key]);
  box.append(
    h(
      "p",
      {},
      filtered
        ? "Nothing matches these words and filters."
        : "No quotes yet: articles posted to /api/v1/articles show up here.",
    ),
  );
  const suggestions = page.suggestions || {};
  const ideas = [];
  if (suggestions.q && suggestions.q !== state.q) {
    ideas.push(
      linkButton(`“${suggestions.q}”`, () => searchWith({ q: suggestions.q })),
    );
  }
  for (const name of suggestions.speakers || []) {
    const bySpeaker = () => searchWith({ speaker: name, speaker_id: "" });
    ideas.push(linkButton(`quotes by ${name}`, bySpeaker));
  }
  if (ideas.length) {
    const choices = ideas.flatMap((idea, i) => (i ? [" or ", idea] : [idea]));
    box.append(h("p", { class: "did-you-mean" }, "Did you mean ", choices, "?"));
  }
  if (filtered) box.append(h("p", {}, "Try fewer words, or remove a filter above."));
}

function renderResults(list, results) {
  clear(list).append(...results.map(resultItem));
}

function resultItem(hit) {
  const article = hit.article || {};
  const speaker = hit.speaker || {};
  const inArticle = articlePath(article.id, hit.id);
  const source = safeHref(article.url);
  const who = speaker.name
    ? speaker.id
      ? internalLink(speakerPath(speaker.id), { class: "speaker-name" }, speaker.name)
      : h("span", { class: "speaker-name" }, speaker.name)
    : h("span", { class: "speaker-name unknown" }, "Speaker not named");
  return h(
    "li",
    { class: "hit", "data-quote-id": hit.id },
    h(
      "blockquote",
      { class: `quote ${hit.kind || ""}` },
      internalLink(
        inArticle,
        { class: "quote-text", title: "Show this quote in its article" },
        highlighted(hit.highlight, hit.text),
      ),
    ),
    h(
      "p",
      { class: "attribution" },
      "— ",
      who,
      speaker.title ? h("span", { class: "speaker-title" }, `, ${speaker.title}`) : null,
      hit.kind === "partial" ? h("span", { class: "badge" }, "partial") : null,
    ),
    h(
      "p",
      { class: "meta" },
      outletOf(article),
      " · ",
      dateOf(article),
      article.title ? [" · ", h("cite", { class: "article-title" }, article.title)] : null,
    ),
    h(
      "p",
      { class: "links" },
      source
        ? sourceLink(source)
        : internalLink(inArticle, { class: "source-link" }, "Article text (no source link given)"),
      source ? [" · ", internalLink(inArticle, { class: "in-article" }, "Show in article")] : null,
    ),
    hit.also_reported_by && hit.also_reported_by.length
      ? h(
          "p",
          { class: "also" },
          "Also reported by ",
          hit.also_reported_by.flatMap((other, i) => [
            i ? ", " : "",
            internalLink(
              articlePath(other.id, null),
              {},
              other.outlet || other.title || "another article",
            ),
          ]),
          hit.also_reported_count > hit.also_reported_by.length
            ? ` and ${(hit.also_reported_count - hit.also_reported_by.length).toLocaleString("en")} more`
            : null,
        )
      : null,
  );
}

function facetButton(label, count, pressed, onclick) {
  return h(
    "li",
    {},
    h(
      "button",
      { type: "button", class: "facet", "aria-pressed": pressed ? "true" : "false", onclick },
      h("span", { class: "facet-name" }, label),
      countOf(count),
    ),
  );
}

function renderSpeakerFacet(state, speakers) {
  const list = clear($("facet-speakers"));
  if (!speakers.length) list.append(h("li", { class: "none" }, "None"));
  for (const s of speakers) {
    const on = state.speaker_id === s.id;
    list.append(
      facetButton(s.name, s.count, on, () =>
        searchWith({ speaker_id: on ? "" : s.id, speaker: "" }),
      ),
    );
  }
}

function renderOutletFacet(state, outlets) {
  const list = clear($("facet-outlets"));
  const options = clear($("outlet-options"));
  if (!outlets.length) list.append(h("li", { class: "none" }, "None given"));
  for (const o of outlets) {
    if (!o.name) continue;
    const on = (state.outlet || "").toLowerCase() === o.name.toLowerCase();
    list.append(facetButton(o.name, o.count, on, () => searchWith({ outlet: on ? "" : o.name })));
    options.append(h("option", { value: o.name }));
  }
}

// -- the timeline: quotes per day as bars ---------------------------------------------

function timeline(days, caption) {
  if (!days || !days.length) return h("p", { class: "none" }, "No dates.");
  const counts = new Map(days.map((d) => [d.date, d.count]));
  const sorted = [...counts.keys()].sort();
  const first = new Date(`${sorted[0]}T00:00:00Z`);
  const last = new Date(`${sorted[sorted.length - 1]}T00:00:00Z`);
  const span = Math.round((last - first) / 86400000) + 1;
  // Every day between the first and the last, so gaps show; very long spans: dates seen.
  const dates = [];
  if (span <= 400) {
    for (let i = 0; i < span; i++) {
      dates.push(new Date(first.getTime() + i * 86400000).toISOString().slice(0, 10));
    }
  } else {
    dates.push(...sorted);
  }
  const max = Math.max(...counts.values());
  const slots = Math.max(dates.length, 14);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${slots * 10} 100`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "bars");
  dates.forEach((date, i) => {
    const count = counts.get(date) || 0;
    const height = count ? Math.max(4, (count / max) * 100) : 0;
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("x", String(i * 10 + 1));
    bar.setAttribute("width", "8");
    bar.setAttribute("y", String(100 - height));
    bar.setAttribute("height", String(height));
    const tip = document.createElementNS(SVG, "title");
    tip.textContent = `${day(date)}: ${plural(count, "quote")}`;
    bar.append(tip);
    svg.append(bar);
  });
  const busiest = sorted.reduce((a, b) => (counts.get(b) > counts.get(a) ? b : a));
  const most = counts.get(busiest);
  const summary =
    sorted.length === 1
      ? `${plural(most, "quote")}, all on ${day(busiest)}.`
      : `${day(sorted[0])} to ${day(sorted.at(-1))}; most on ${day(busiest)} (${most}).`;
  return h(
    "figure",
    { class: "timeline-figure" },
    svg,
    h("figcaption", {}, summary),
    h(
      "table",
      { class: "visually-hidden" },
      h("caption", {}, caption),
      h("tr", {}, h("th", { scope: "col" }, "Day"), h("th", { scope: "col" }, "Quotes")),
      sorted.map((date) => h("tr", {}, h("td", {}, date), h("td", {}, String(counts.get(date))))),
    ),
  );
}

// -- the speaker view -------------------------------------------------------------------

async function showSpeaker(id, params, focus) {
  const view = views.speaker;
  const { page: pageNumber, page_size } = searchState(params);
  const signal = startLoading("Loading the speaker…");
  let speaker;
  let page;
  try {
    [speaker, page] = await Promise.all([
      api(`/speakers/${encodeURIComponent(id)}`, {}, signal),
      api("/quotes", { speaker_id: id, sort: "newest", page: pageNumber, page_size }, signal),
    ]);
  } catch (error) {
    showProblem(signal, error);
    return;
  }
  if (!doneLoading(signal, "")) return;
  document.title = `${speaker.name} — quoteapi`;
  const titles = speaker.titles || [];
  const outlets = speaker.outlets || [];
  const results = h("ol", { class: "results" });
  renderResults(results, page.results);
  append(clear(view), [
    h("p", {}, h("a", { href: HOME, "data-nav": true, class: "back" }, "← Search")),
    h("h1", { id: "speaker-name", tabindex: "-1" }, speaker.name),
    h(
      "p",
      { class: "speaker-summary" },
      speaker.title ? `${speaker.title} · ` : "",
      `${plural(speaker.quotes, "quote")} · ${speaker.type}`,
    ),
    h(
      "div",
      { class: "speaker-facts" },
      h(
        "section",
        { class: "titles" },
        h("h2", {}, "Titles seen"),
        titles.length
          ? h("ul", {}, titles.map((t) => h("li", {}, t.title, " ", countOf(t.count))))
          : h("p", { class: "none" }, "No title given."),
      ),
      h(
        "section",
        { class: "aliases" },
        h("h2", {}, "Also named as"),
        speaker.aliases && speaker.aliases.length
          ? h("ul", {}, speaker.aliases.map((a) => h("li", {}, a)))
          : h("p", { class: "none" }, "Only by this name."),
      ),
      h(
        "section",
        { class: "outlets" },
        h("h2", {}, "Quoted by"),
        h(
          "ul",
          { class: "facet-list" },
          outlets.map((o) =>
            o.name
              ? facetButton(o.name, o.count, false, () =>
                  navigate(searchPath({ speaker_id: id, outlet: o.name }), { focus: "summary" }),
                )
              : h("li", { class: "missing" }, "outlet not given ", countOf(o.count)),
          ),
        ),
      ),
      h(
        "section",
        { class: "speaker-timeline" },
        h("h2", {}, "Quotes over time"),
        timeline(speaker.timeline, `Quotes by ${speaker.name} per day`),
      ),
    ),
    h("h2", { id: "speaker-quotes", tabindex: "-1" }, "Their quotes, newest first"),
    results,
    pager(page, (n) =>
      navigate(withQuery(speakerPath(id), { page: n > 1 ? n : "", page_size }), {
        focus: "speaker-quotes",
      }),
    ),
    h(
      "p",
      {},
      h(
        "a",
        { href: searchPath({ speaker_id: id }), "data-nav": true },
        `Search within ${speaker.name}’s quotes →`,
      ),
    ),
  ]);
  view.hidden = false;
  if (focus) $("speaker-name").focus();
}

// Previous and Next over a page of results; `go(n)` shows page n.
function pager(page, go) {
  const pages = Math.max(1, Math.ceil(page.total / page.page_size));
  if (pages <= 1) return null;
  const last = Math.min(pages, Math.floor(MAX_DEPTH / page.page_size));
  const back = () => go(page.page - 1);
  const on = () => go(page.page + 1);
  return h(
    "nav",
    { class: "pager", "aria-label": "Quote pages" },
    h(
      "button",
      { type: "button", class: "prev", disabled: page.page <= 1, onclick: back },
      "← Previous",
    ),
    h("span", { class: "page-of" }, `Page ${page.page} of ${pages}`),
    h(
      "button",
      { type: "button", class: "next", disabled: page.page >= last, onclick: on },
      "Next →",
    ),
  );
}

// -- the article view: the text, each quote marked at its offsets ------------------------

// The API's offsets count Unicode code points; JavaScript strings count UTF-16 units.
function unitOffsets(text) {
  const units = [];
  let unit = 0;
  for (const char of text) {
    units.push(unit);
    unit += char.length;
  }
  units.push(unit);
  return (point) => units[Math.max(0, Math.min(point, units.length - 1))];
}

function markedText(text, quotes, currentId) {
  const at = unitOffsets(text);
  // The current quote first, then the others that do not overlap what is marked already.
  const isCurrent = (quote) => (quote.id === currentId ? 1 : 0);
  const ordered = [...quotes].sort((a, b) => isCurrent(b) - isCurrent(a) || a.start - b.start);
  const kept = [];
  for (const quote of ordered) {
    if (kept.every((k) => quote.end <= k.start || quote.start >= k.end)) kept.push(quote);
  }
  kept.sort((a, b) => a.start - b.start);
  const nodes = [];
  let position = 0;
  for (const quote of kept) {
    const start = at(quote.start);
    const end = at(quote.end);
    nodes.push(text.slice(position, start));
    const name = (quote.speaker && quote.speaker.name) || "speaker not named";
    nodes.push(
      h(
        "mark",
        {
          class: quote.id === currentId ? "said current" : "said",
          id: `quote-${quote.id}`,
          "data-quote-id": quote.id,
          title: `Said by ${name}`,
          tabindex: quote.id === currentId ? "-1" : null,
        },
        text.slice(start, end),
      ),
    );
    position = end;
  }
  nodes.push(text.slice(position));
  return nodes;
}

async function showArticle(id, params, focus) {
  const view = views.article;
  const quoteId = params.get("quote");
  const signal = startLoading("Loading the article…");
  let article;
  try {
    article = await api(`/articles/${encodeURIComponent(id)}`, {}, signal);
  } catch (error) {
    showProblem(signal, error);
    return;
  }
  if (!doneLoading(signal, "")) return;
  document.title = `${article.title || "Article"} — quoteapi`;
  const quotes = [...(article.quotes || [])].sort((a, b) => a.start - b.start);
  const quote = quotes.find((q) => q.id === quoteId);
  const source = safeHref(article.url);
  const back = navigated
    ? h("button", { type: "button", class: "link back", onclick: () => history.back() }, "← Back")
    : h("a", { href: HOME, "data-nav": true, class: "back" }, "← Search");
  append(clear(view), [
    h("p", {}, back),
    h("h1", { id: "article-title", tabindex: "-1" }, article.title || "Untitled article"),
    h(
      "p",
      { class: "meta" },
      outletOf(article),
      " · ",
      dateOf(article),
      " · ",
      source ? sourceLink(source) : h("span", { class: "missing" }, "no source link given"),
    ),
    h(
      "div",
      { class: "article-columns" },
      h("div", { class: "article-text" }, markedText(article.text, quotes, quote && quote.id)),
      h(
        "aside",
        { class: "article-quotes", "aria-label": "Quotes in this article" },
        quote
          ? h(
              "p",
              { class: "current-quote" },
              "Highlighted: the quote by ",
              quote.speaker && quote.speaker.id
                ? internalLink(speakerPath(quote.speaker.id), {}, quote.speaker.name)
                : (quote.speaker && quote.speaker.name) || "a speaker not named",
              quote.speaker && quote.speaker.title ? `, ${quote.speaker.title}` : "",
              ` (characters ${quote.start}–${quote.end}).`,
            )
          : quoteId
            ? h("p", { class: "problem-inline" }, "This article has no such quote.")
            : null,
        h("h2", {}, `${plural(quotes.length, "quote")} in this article`),
        h(
          "ol",
          { class: "quote-index" },
          quotes.map((q) =>
            h(
              "li",
              {},
              h(
                "a",
                {
                  href: articlePath(article.id, q.id),
                  "data-nav": true,
                  "data-replace": true,
                  "aria-current": quote && q.id === quote.id ? "true" : null,
                },
                h("span", { class: "speaker-name" }, q.speaker?.name || "Speaker not named"),
                ": ",
                q.text.length > 70 ? `${q.text.slice(0, 68)}…` : q.text,
              ),
            ),
          ),
        ),
      ),
    ),
  ]);
  view.hidden = false;
  const mark = view.querySelector("mark.current");
  if (mark) {
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  } else if (focus) {
    $("article-title").focus();
  }
}

// -- the speaker field: an ARIA combobox over /speakers?q= --------------------------------

const combobox = (() => {
  const input = $("speaker");
  const list = $("speaker-options");
  let options = [];
  let active = -1;
  let chosen = null; // {id, name} once a suggestion is picked
  let timer = null;
  let asked = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(index) {
    const speaker = options[index];
    chosen = { id: speaker.id, name: speaker.name };
    input.value = speaker.name;
    close();
    searchWith({ speaker_id: speaker.id, speaker: "" });
  }

  async function suggest() {
    const words = input.value.trim();
    if (!words) return close();
    if (asked) asked.abort();
    asked = new AbortController();
    let page;
    try {
      page = await api("/speakers", { q: words, page_size: 8 }, asked.signal);
    } catch {
      return close(); // suggestions are a convenience: the search itself reports errors
    }
    options = page.results;
    clear(list).append(
      ...options.map((s, i) =>
        h(
          "li",
          {
            id: `speaker-option-${i}`,
            role: "option",
            "aria-selected": "false",
            onmousedown: (event) => event.preventDefault(), // keep focus in the input
            onclick: () => pick(i),
          },
          h("span", { class: "option-name" }, s.name),
          s.title ? h("span", { class: "option-title" }, s.title) : null,
          h("span", { class: "count" }, plural(s.quotes, "quote")),
        ),
      ),
    );
    if (!options.length) return close();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  }

  input.addEventListener("input", () => {
    chosen = null;
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) suggest();
      else highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault(); // pick the speaker instead of submitting the typed words
      pick(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));

  return {
    // Fill the field from the URL: words typed, or a speaker picked by id (shown by
    // id until the results name them).
    set(words, id) {
      chosen = id ? { id, name: id } : null;
      input.value = id || words || "";
      close();
    },
    // The picked speaker, as long as the field still shows their name.
    picked() {
      return chosen && input.value.trim() === chosen.name ? chosen : null;
    },
    name(name) {
      if (chosen && input.value === chosen.name) {
        chosen.name = name;
        input.value = name;
      }
    },
  };
})();

// -- wiring -----------------------------------------------------------------------------

async function render(focus = null) {
  const where = route();
  for (const view of Object.values(views)) view.hidden = true;
  document.body.dataset.view = where.view;
  if (where.view === "speaker") return showSpeaker(where.id, where.params, focus);
  if (where.view === "article") return showArticle(where.id, where.params, focus);
  document.title = EMBED ? "Quote search" : "quoteapi — who said what";
  return showSearch(where.params, focus);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const state = formState();
  if (EMBED) {
    // The widget's filters are fixed by its host page; only the words change.
    searchWith({ q: state.q }, null);
  } else {
    searchWith(state, null);
  }
});
// A choice from a list applies at once; dates, typed a part at a time, wait for Search.
for (const key of ["sort", "kind"]) {
  form.elements[key].addEventListener("change", () => form.requestSubmit());
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-nav]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const replace = link.hasAttribute("data-replace");
  navigate(link.getAttribute("href"), { focus: "main", replace });
});
window.addEventListener("popstate", () => render());

// The widget tells its host page how tall it is, so the iframe fits it (see embed.js).
if (EMBED && window.parent !== window) {
  const report = () => {
    const height = document.documentElement.scrollHeight;
    window.parent.postMessage({ quoteapi: "height", height }, "*"); // a height is no secret
  };
  new ResizeObserver(report).observe(document.body);
}

render();
