"""Schemathesis hooks for quoteapi (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz.py).

The bulk endpoint takes application/x-ndjson, which schemathesis cannot send by itself:
a generated string goes as it is, UTF-8.
"""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx: Any, value: Any) -> dict[str, Any]:
    if isinstance(value, bytes):
        return {"data": value}
    text = value if isinstance(value, str) else str(value)
    return {"data": text.encode("utf-8", "surrogatepass")}
