"""Paging headers for list responses: X-Pagination and RFC 8288 Link."""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

from flask import request

from quoteapi.store import Page


def page_headers(page: Page) -> dict[str, str]:
    """The X-Pagination and Link headers of ``page`` for the current request."""
    last = max(math.ceil(page.total / page.page_size), 1)
    info: dict[str, int] = {
        "total": page.total,
        "total_pages": last,
        "first_page": 1,
        "last_page": last,
        "page": page.page,
    }
    links = {"first": 1, "last": last}
    if page.page > 1:
        info["previous_page"] = links["prev"] = min(page.page - 1, last)
    if page.page < last:
        info["next_page"] = links["next"] = page.page + 1
    args = request.args.to_dict()
    link = ", ".join(
        f'<{request.base_url}?{urlencode({**args, "page": number})}>; rel="{rel}"'
        for rel, number in links.items()
    )
    return {"X-Pagination": json.dumps(info), "Link": link}
