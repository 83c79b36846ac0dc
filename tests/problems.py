"""The one error shape, checked the same way on every error path."""

from __future__ import annotations

from typing import Any

from werkzeug.test import TestResponse


def assert_problem(response: TestResponse, status: int, *fields: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem with ``status``; ``fields`` must be named in ``errors``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) <= {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    for name in fields:
        assert name in body.get("errors", {}), body
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "sqlite" not in text.lower()
    return body
