"""Schemathesis hooks for quoteapi (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz.py).

The bulk endpoint takes application/x-ndjson, which schemathesis cannot send by itself:
a generated string goes as it is, UTF-8; anything else as one JSON line.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx: Any, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    text = value if isinstance(value, str) else json.dumps(value)
    return text.encode("utf-8", "surrogatepass")
