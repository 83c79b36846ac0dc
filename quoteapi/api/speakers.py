"""/api/v1/speakers: who is quoted, most quoted first; one speaker in detail."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint, abort

from quoteapi.api.paging import page_headers
from quoteapi.errors import PROBLEM
from quoteapi.schemas import SpeakerArgsSchema, SpeakerDetailSchema, SpeakerPageSchema
from quoteapi.store import Page, get_store

blp = Blueprint("speakers", __name__, description="People and bodies quoted")


@blp.route("")
@blp.arguments(SpeakerArgsSchema, location="query", unknown=ma.RAISE, error_status_code=400)
@blp.response(200, SpeakerPageSchema)
def list_speakers(args: dict[str, Any]) -> tuple[Page, dict[str, str]]:
    """Speakers, most quoted first; `q=pu` completes names with a word starting "pu"

    `limit` is accepted as another name for `page_size`.
    """
    page = get_store().list_speakers(**args)
    return page, page_headers(page)


@blp.route("/<string:speaker_id>")
@blp.response(200, SpeakerDetailSchema)
@blp.alt_response(404, description="No speaker has this id", **PROBLEM)
def get_speaker(speaker_id: str) -> dict[str, Any]:
    """A speaker: titles and aliases seen, the outlets quoting them, quotes per day

    Their quotes themselves: `GET /api/v1/quotes?speaker_id=...`.
    """
    return get_store().get_speaker(speaker_id) or abort(
        404, message=f"No speaker has id {speaker_id!r}."
    )
