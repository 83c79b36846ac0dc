"""/healthz: liveness and counts, for load balancers and people."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from quoteapi.schemas import HealthSchema
from quoteapi.store import get_store

blp = Blueprint("health", __name__, url_prefix="/healthz", description="Service health")


@blp.route("")
@blp.response(200, HealthSchema)
def healthz() -> dict[str, Any]:
    """Status and counts of articles, quotes and what the index still has to catch up"""
    return {"status": "ok", **get_store().health()}
