"""API keys for writes: ``Authorization: Bearer KEY`` on every POST and DELETE.

Reads are open; every write view carries :func:`require_api_key`. Keys come from
``API_KEYS`` (env ``QUOTEAPI_API_KEYS``: ``"k1,k2"`` or ``'["k1", "k2"]'``). When none
is configured, the app uses the key in ``DATA_DIR/api-key``, which ``quoteapi serve``
creates on first start (:func:`ensure_api_key`) and prints. An app with neither refuses
every write with a 401 that says how to configure a key: writes are never open.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Mapping
from copy import deepcopy
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from flask import Flask, current_app, request
from flask_smorest import abort

from quoteapi.api import ratelimit
from quoteapi.api.web import setting_list
from quoteapi.errors import PROBLEM_MIMETYPE, ProblemSchema

KEY_FILE = "api-key"
SECURITY_SCHEME = "bearerAuth"

_EXTENSION = "quoteapi.api_keys"
_HOW_TO_CONFIGURE = (
    "Set QUOTEAPI_API_KEYS (comma-separated or a JSON list), or start the server with "
    f"`quoteapi serve`, which creates a key in the data directory ({KEY_FILE}) and prints it."
)

# What a write may answer besides its own responses, in flask-smorest's alt_response form.
_WRITE_RESPONSES: dict[int, dict[str, Any]] = {
    401: {
        "description": "No API key, a wrong one, or none configured on the server",
        "schema": ProblemSchema,
        "content_type": PROBLEM_MIMETYPE,
        "headers": {
            "WWW-Authenticate": {
                "description": "The Bearer challenge (RFC 6750)",
                "schema": {"type": "string"},
            }
        },
    },
    429: {
        "description": "Too many writes from this client; retry later",
        "schema": ProblemSchema,
        "content_type": PROBLEM_MIMETYPE,
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before writing again",
                "schema": {"type": "integer"},
            }
        },
    },
}

View = TypeVar("View", bound=Callable[..., Any])


def read_key_file(data_dir: str | os.PathLike[str]) -> str | None:
    """The key stored in ``data_dir`` by :func:`ensure_api_key`, or None if there is none."""
    path = Path(data_dir) / KEY_FILE
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not key:
        raise ValueError(f"{path} is empty: delete it to have a new key made, or put a key in it.")
    return key


def ensure_api_key(data_dir: str | os.PathLike[str]) -> str:
    """The key in ``data_dir/api-key``, made (random, mode 0600) if there is none yet.

    Safe when several processes start at once: the key is written to a private
    temporary file and hard-linked into place, so exactly one key wins and no reader
    ever sees a half-written file.
    """
    directory = Path(data_dir)
    existing = read_key_file(directory)
    if existing:
        return existing
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    temporary = directory / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(key + "\n")
        try:
            os.link(temporary, directory / KEY_FILE)
        except FileExistsError:  # another process got there first: its key is the key
            key = read_key_file(directory) or key
    finally:
        temporary.unlink(missing_ok=True)
    return key


def configured_api_keys(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys set in ``API_KEYS``; when there are none, ``serve`` calls ensure_api_key."""
    return tuple(setting_list(config.get("API_KEYS")))


def load_api_keys(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys the app accepts: ``API_KEYS``, else the key file in ``DATA_DIR``, else none."""
    keys = configured_api_keys(config)
    if keys:
        return keys
    stored = read_key_file(config["DATA_DIR"]) if config.get("DATA_DIR") else None
    return (stored,) if stored else ()


def _digest(key: str) -> bytes:
    # Comparing fixed-length digests keeps the length of the real keys out of the timing.
    return hashlib.sha256(key.encode("utf-8")).digest()


def _matching_key(presented: str, digests: tuple[bytes, ...]) -> bytes | None:
    """The stored digest ``presented`` matches, or None; compares with every key, no early exit."""
    candidate = _digest(presented)
    found: bytes | None = None
    for digest in digests:
        if hmac.compare_digest(candidate, digest):
            found = digest
    return found


def _bearer_token() -> str | None:
    """The token of ``Authorization: Bearer TOKEN``, or None when the header is absent."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _refuse(detail: str, error: str | None = None) -> NoReturn:
    """Answer 401 with the RFC 6750 challenge (``error`` says the token was wrong)."""
    challenge = 'Bearer realm="quoteapi"' + (f', error="{error}"' if error else "")
    abort(401, message=detail, headers={"WWW-Authenticate": challenge})
    raise AssertionError("unreachable: abort raises")


def authorize_write() -> None:
    """Let the current request write, or answer 401 (no or wrong key) or 429 (too many writes).

    A failed attempt is charged to the client's address, so guessing keys is throttled
    as well; an accepted one to its key, so clients behind one proxy have their own budget.
    """
    try:
        digests: tuple[bytes, ...] = current_app.extensions[_EXTENSION]
    except KeyError:
        raise RuntimeError("Call quoteapi.api.auth.init_app(app) before serving writes.") from None
    token = _bearer_token()
    matched = _matching_key(token or "", digests)
    if matched is None:
        ratelimit.charge_write(f"address:{request.remote_addr}")
        if not digests:
            _refuse(f"Writes are refused: no API key is configured. {_HOW_TO_CONFIGURE}")
        if token is None:
            _refuse("Writes need an API key: send `Authorization: Bearer KEY`.")
        _refuse("The API key is not valid.", error="invalid_token")
    ratelimit.charge_write(f"key:{matched.hex()}")


def _document_security(apidoc: dict[str, Any]) -> dict[str, Any]:
    """``apidoc`` (flask-smorest's view doc) plus the bearer requirement and its 401 and 429."""
    doc = deepcopy(apidoc)
    doc.setdefault("manual_doc", {})["security"] = [{SECURITY_SCHEME: []}]
    responses = doc.setdefault("response", {}).setdefault("responses", {})
    for status, response in _WRITE_RESPONSES.items():
        responses.setdefault(status, []).append(deepcopy(response))
    return doc


def require_api_key(view: View) -> View:
    """Refuse the view without a valid ``Authorization: Bearer KEY`` (401), or too often (429).

    Put it under ``@blp.route`` and above ``@blp.arguments``, so a request without a key
    is refused before its body is read. It also documents the requirement in OpenAPI.
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        authorize_write()
        return current_app.ensure_sync(view)(*args, **kwargs)

    wrapper._apidoc = _document_security(getattr(view, "_apidoc", {}))  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    """Load the accepted keys and the write limit, and document the bearer scheme.

    Call it after the flask-smorest ``Api`` is set up on ``app``.
    """
    app.extensions[_EXTENSION] = tuple(_digest(key) for key in load_api_keys(app.config))
    ratelimit.init_app(app)
    apis = app.extensions.get("flask-smorest", {}).get("apis", {})
    if not apis:
        raise RuntimeError("Set up the flask-smorest Api before quoteapi.api.auth.init_app(app).")
    for entry in apis.values():
        entry["ext_obj"].spec.components.security_scheme(
            SECURITY_SCHEME,
            {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key, needed for writes (POST, DELETE). Reads are open. "
                + _HOW_TO_CONFIGURE,
            },
        )
