"""marshmallow schemas: what the API accepts and what it answers."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from quoteapi.store import CursorError, QueryError, QuotePage, check_query, decode_cursor

MAX_PAGE_SIZE = 100
# How deep page-based paging may go; a cursor walks any result set to its end.
MAX_DEPTH = 10_000
_SURROGATE = re.compile("[\ud800-\udfff]")


class Timestamp(fields.DateTime):
    """An ISO 8601 date or date-time; a bare date means its midnight UTC.

    With ``end_of_day=True`` a bare date means the midnight after it, so that a range
    ending on a date includes that whole day.
    """

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.end_of_day = end_of_day

    default_error_messages = {  # noqa: RUF012 - marshmallow merges this class attribute
        "invalid": "Not a valid ISO 8601 date or date-time (2024-06-18 or 2024-06-18T16:11:00Z)."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        if isinstance(value, str) and len(value) == 10:
            try:
                day = dt.date.fromisoformat(value) + dt.timedelta(days=self.end_of_day)
                return dt.datetime.combine(day, dt.time(), dt.UTC)
            except (ValueError, OverflowError):  # 9999-12-31 has no day after it
                raise self.make_error("invalid") from None
        parsed: dt.datetime = super()._deserialize(value, attr, data, **kwargs)
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        try:
            parsed.astimezone(dt.UTC)  # stored in UTC: 9999-12-31T23:00-05:00 is not a date
        except OverflowError:
            raise self.make_error("invalid") from None
        return parsed


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("The text is empty; send the article's text.")
    if "\x00" in value:
        raise ma.ValidationError("The text holds a NUL character; send plain text.")


class ArticleInSchema(ma.Schema):
    @ma.pre_load
    def _valid_unicode(self, data: Any, **kwargs: Any) -> Any:
        """Refuse lone surrogates (JSON "\\ud800"): no UTF-8 can store or send them back."""
        if isinstance(data, dict):
            bad = {
                key: ["Not valid Unicode: it holds a lone surrogate (\\ud800-\\udfff)."]
                for key, value in data.items()
                if isinstance(value, str) and _SURROGATE.search(value)
            }
            if bad:
                raise ma.ValidationError(bad)
        return data

    text = fields.String(
        required=True,
        validate=[validate.Length(min=1), _not_blank],
        metadata={"description": "The article's text; quote offsets refer to it"},
    )
    url = fields.Url(
        load_default=None,
        allow_none=True,
        schemes={"http", "https"},
        metadata={"description": "Where the article lives; re-posting it replaces"},
    )
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    outlet = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    published = Timestamp(
        load_default=None, allow_none=True, metadata={"description": "ISO 8601 date or date-time"}
    )


class WaitQuerySchema(ma.Schema):
    wait = fields.String(
        load_default=None,
        validate=validate.OneOf(["indexed"]),
        metadata={
            "description": "indexed: answer once search finds the article (a bounded wait; the "
            "X-Indexed header says whether it did)"
        },
    )


class ArticleQuerySchema(WaitQuerySchema):
    replace = fields.Boolean(
        load_default=True,
        metadata={
            "description": "false: refuse (409) an article whose url, or text, is stored already"
        },
    )
    url = fields.String(metadata={"description": "For text/plain and text/html bodies"})
    title = fields.String(metadata={"description": "For text/plain and text/html bodies"})
    outlet = fields.String(metadata={"description": "For text/plain and text/html bodies"})
    published = fields.String(metadata={"description": "For text/plain and text/html bodies"})


class ExtractInSchema(ArticleInSchema):
    """What /extract reads: an article's fields (only the text is used)."""


class AttributionSchema(ma.Schema):
    name = fields.String(
        allow_none=True, metadata={"description": "Fullest name the article gives"}
    )
    title = fields.String(allow_none=True, metadata={"description": "Role the article gives"})
    type = fields.String(validate=validate.OneOf(["person", "organization", "unknown"]))
    mention = fields.String(allow_none=True, metadata={"description": "Words naming the speaker"})


class SpeakerRefSchema(AttributionSchema):
    id = fields.String(allow_none=True, metadata={"description": "Speaker id (folded name)"})


class ArticleRefSchema(ma.Schema):
    id = fields.String()
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    published = fields.DateTime(allow_none=True)


class QuoteSchema(ma.Schema):
    id = fields.String(metadata={"description": "Stable id: same article and span, same id"})
    text = fields.String(metadata={"description": "The quoted words, without quotation marks"})
    start = fields.Integer(metadata={"description": "Offset of text in the article text"})
    end = fields.Integer(metadata={"description": "End offset (exclusive)"})
    speaker = fields.Nested(SpeakerRefSchema)
    cue = fields.String(allow_none=True, metadata={"description": "Attributing verb or phrase"})
    kind = fields.String(validate=validate.OneOf(["direct", "partial"]))
    confidence = fields.Float(metadata={"description": "0..1, how sure the attribution is"})
    cluster_id = fields.String(
        metadata={"description": "Shared by the same quote as reported by several articles"}
    )


class ExtractedQuoteSchema(ma.Schema):
    text = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    speaker = fields.Nested(AttributionSchema)
    cue = fields.String(allow_none=True)
    kind = fields.String()
    confidence = fields.Float()


class ExtractResultSchema(ma.Schema):
    text = fields.String(metadata={"description": "The text the offsets refer to"})
    quotes = fields.List(fields.Nested(ExtractedQuoteSchema))


class BulkLineSchema(ma.Schema):
    line = fields.Integer(metadata={"description": "Line number in the body, from 1"})
    status = fields.Integer(metadata={"description": "201 stored, 422 refused"})
    id = fields.String(metadata={"description": "The stored article's id"})
    errors = fields.Dict(metadata={"description": "Field name to messages"})


class BulkResultSchema(ma.Schema):
    created = fields.Integer()
    failed = fields.Integer()
    results = fields.List(fields.Nested(BulkLineSchema))


class QuoteHitSchema(QuoteSchema):
    article = fields.Nested(ArticleRefSchema)
    context = fields.String(metadata={"description": "The sentence around the quote"})
    highlight = fields.String(
        metadata={"description": "The quote as HTML, words matching q in <mark>, the rest escaped"}
    )
    also_reported_by = fields.List(
        fields.Nested(ArticleRefSchema),
        metadata={
            "description": "Other articles carrying the same quote (same cluster_id): the "
            "first 10 recorded, oldest first"
        },
    )
    also_reported_count = fields.Integer(
        metadata={
            "description": "How many other articles carry the same quote; the cluster_id "
            "filter of GET /api/v1/quotes lists them all"
        }
    )


class ArticleSchema(ArticleRefSchema):
    text = fields.String()
    ingested_at = fields.DateTime()
    quotes = fields.List(fields.Nested(QuoteSchema))


class PageArgsSchema(ma.Schema):
    @ma.pre_load
    def _blank_is_absent(self, data: Any, **kwargs: Any) -> Any:
        """``?speaker=`` or ``?q=%20`` means no such filter, not a filter on nothing."""
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))

    @ma.validates_schema
    def _within_depth(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("page", 1) * data.get("page_size", 20) > MAX_DEPTH:
            raise ma.ValidationError(
                f"page × page_size may not pass {MAX_DEPTH:,} (the paging depth cap); "
                "walk a larger result set with cursor.",
                "page",
            )


def _valid_query(q: str) -> None:
    try:
        check_query(q)
    except QueryError as err:
        raise ma.ValidationError(str(err)) from None


def _valid_cursor(cursor: str) -> None:
    try:
        decode_cursor(cursor)
    except CursorError as err:
        raise ma.ValidationError(str(err)) from None


class QuoteSearchArgsSchema(PageArgsSchema):
    q = fields.String(
        load_default=None,
        validate=[validate.Length(max=1000), _valid_query],
        metadata={
            "description": 'Words or "phrases" of the quote, stemmed; AND, OR, NOT, -word, word~1'
        },
    )
    speaker = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={
            "description": "Words of the speaker's name; any case, "
            "accents and hyphens ignored; partial names work"
        },
    )
    speaker_id = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "Exact speaker id (from facets)"},
    )
    outlet = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "The outlet's name, any case"},
    )
    article_id = fields.String(load_default=None, validate=validate.Length(max=64))
    cluster_id = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={"description": "Quotes of one cluster: every article carrying the same quote"},
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(["direct", "partial"]))
    date_from = Timestamp(
        data_key="from",
        load_default=None,
        metadata={"description": "Quotes published on or after (ISO 8601)"},
    )
    date_to = Timestamp(
        data_key="to",
        load_default=None,
        end_of_day=True,
        metadata={"description": "Quotes published on or before (ISO 8601)"},
    )
    sort = fields.String(
        load_default="relevance",
        validate=validate.OneOf(["relevance", "newest", "oldest"]),
        metadata={
            "description": "relevance (newest when there is no q), "
            "newest or oldest by publication date"
        },
    )
    collapse = fields.Boolean(
        load_default=False,
        metadata={"description": "Show each quote once, however many articles reported it"},
    )
    cursor = fields.String(
        load_default=None,
        validate=[validate.Length(max=200), _valid_cursor],
        metadata={
            "description": "Walk the whole result set: * to start, then each answer's next_cursor"
        },
    )

    @ma.validates_schema
    def _cursor_or_page(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("cursor") is not None and data.get("page", 1) != 1:
            raise ma.ValidationError("Use either page or cursor, not both.", "cursor")
        if data.get("date_from") and data.get("date_to") and data["date_from"] >= data["date_to"]:
            raise ma.ValidationError("from must come before to.", "from")


class SpeakerArgsSchema(PageArgsSchema):
    q = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Start of a word of the name (autocomplete)"},
    )

    @ma.pre_load
    def _limit_is_page_size(self, data: Any, **kwargs: Any) -> Any:
        if "limit" in data and "page_size" not in data:
            data = {k: v for k, v in data.items() if k != "limit"} | {"page_size": data["limit"]}
        return data


class PageSchema(ma.Schema):
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class SpeakerFacetSchema(ma.Schema):
    id = fields.String()
    name = fields.String()
    count = fields.Integer()


class OutletFacetSchema(ma.Schema):
    name = fields.String(allow_none=True, metadata={"description": "null: no outlet given"})
    count = fields.Integer()


class DayFacetSchema(ma.Schema):
    date = fields.String(metadata={"description": "YYYY-MM-DD (publication, else ingestion)"})
    count = fields.Integer()


class FacetsSchema(ma.Schema):
    speakers = fields.List(fields.Nested(SpeakerFacetSchema))
    outlets = fields.List(fields.Nested(OutletFacetSchema))
    days = fields.List(fields.Nested(DayFacetSchema))


class SuggestionsSchema(ma.Schema):
    q = fields.String(allow_none=True, metadata={"description": "q with its words corrected"})
    speakers = fields.List(fields.String(), metadata={"description": "Nearest speaker names"})


class QuotePageSchema(PageSchema):
    results = fields.List(fields.Nested(QuoteHitSchema))
    facets = fields.Nested(FacetsSchema, metadata={"description": "Over the whole result set"})
    suggestions = fields.Nested(
        SuggestionsSchema,
        allow_none=True,
        metadata={"description": "Did you mean, when nothing matched"},
    )
    next_cursor = fields.String(allow_none=True)


# Search answers are dumped by hand: a page of twenty hits holds some two hundred nested
# articles, and marshmallow's field-by-field dump of them cost more than the search itself.
# The functions below write exactly what QuoteHitSchema and QuotePageSchema dump, key for
# key and in their order (tests/test_api_speed_paths.py dumps both ways and compares);
# a field added to those schemas must be added here too. The store's values already have
# the fields' types (str, int, float, None), so only dates need converting.


@functools.lru_cache(maxsize=1 << 16)
def _iso_utc(value: dt.datetime) -> str:
    # An aware isoformat() takes 1.4 µs; a page names some two hundred articles, and the
    # store hands out the same datetime objects again (their hash is kept).
    return value.isoformat()


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    # Only UTC ones share a cache entry: equal instants in other zones print differently.
    return _iso_utc(value) if value.tzinfo is dt.UTC else value.isoformat()


def _article_ref_dump(article: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": article["id"],
        "title": article["title"],
        "url": article["url"],
        "outlet": article["outlet"],
        "published": _iso(article["published"]),
    }


def dump_quote_hit(hit: dict[str, Any]) -> dict[str, Any]:
    """``QuoteHitSchema().dump(hit)``, without the generic dump's cost."""
    speaker = hit["speaker"]
    return {
        "id": hit["id"],
        "text": hit["text"],
        "start": hit["start"],
        "end": hit["end"],
        "speaker": {
            "name": speaker["name"],
            "title": speaker["title"],
            "type": speaker["type"],
            "mention": speaker["mention"],
            "id": speaker["id"],
        },
        "cue": hit["cue"],
        "kind": hit["kind"],
        "confidence": hit["confidence"],
        "cluster_id": hit["cluster_id"],
        "article": _article_ref_dump(hit["article"]),
        "context": hit["context"],
        "highlight": hit["highlight"],
        "also_reported_by": [_article_ref_dump(a) for a in hit["also_reported_by"]],
        "also_reported_count": hit["also_reported_count"],
    }


def dump_quote_page(page: QuotePage) -> dict[str, Any]:
    """``QuotePageSchema().dump(page)``, without the generic dump's cost."""
    suggestions = page.suggestions
    return {
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
        "results": [dump_quote_hit(hit) for hit in page.results],
        # Made for this page by the store, already in FacetsSchema's shape (a year of days
        # is some 365 entries: not copied).
        "facets": page.facets,
        "suggestions": None
        if suggestions is None
        else {"q": suggestions["q"], "speakers": list(suggestions["speakers"])},
        "next_cursor": page.next_cursor,
    }


class TitleCountSchema(ma.Schema):
    title = fields.String()
    count = fields.Integer()


class SpeakerSchema(ma.Schema):
    id = fields.String()
    name = fields.String()
    type = fields.String()
    title = fields.String(allow_none=True, metadata={"description": "Most common title"})
    titles = fields.List(fields.Nested(TitleCountSchema))
    quotes = fields.Integer(metadata={"description": "How many quotes are attributed to them"})
    aliases = fields.List(fields.String(), metadata={"description": "How articles name them"})


class SpeakerPageSchema(PageSchema):
    results = fields.List(fields.Nested(SpeakerSchema))


class SpeakerDetailSchema(SpeakerSchema):
    outlets = fields.List(
        fields.Nested(OutletFacetSchema),
        metadata={"description": "Outlets quoting them, most first"},
    )
    timeline = fields.List(
        fields.Nested(DayFacetSchema), metadata={"description": "Their quotes per day"}
    )


class HealthSchema(ma.Schema):
    status = fields.String()
    articles = fields.Integer()
    quotes = fields.Integer()
    indexed_quotes = fields.Integer()
    index_lag = fields.Integer(metadata={"description": "Changes the index has yet to apply"})
    index = fields.String(
        metadata={
            "description": "The index directory this worker searches (index-<n> after a reindex)"
        }
    )
