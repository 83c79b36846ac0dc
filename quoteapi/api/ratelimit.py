"""A per-client limit on writes: a token bucket per API key (or address), answering 429.

``WRITE_RATE_LIMIT`` (env ``QUOTEAPI_WRITE_RATE_LIMIT``) is the number of writes a
client may make per minute, in bursts of up to that many; 0 turns the limit off. The
buckets live in the process, so under gunicorn each worker keeps its own: a client may
make up to ``workers x WRITE_RATE_LIMIT`` writes a minute. Enough to stop a runaway
script; a shared limit across machines belongs in the proxy in front.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_smorest import abort

DEFAULT_WRITE_RATE_LIMIT = 600

_EXTENSION = "quoteapi.write_limiter"
# Past this many clients, buckets that have refilled (the same as no bucket) are dropped.
_MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBucketLimiter:
    """Up to ``per_minute`` actions per client, refilled evenly over the minute."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1 (use no limiter to turn limits off)")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token of ``client``: 0.0 if it had one, else the seconds until it will."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= _MAX_BUCKETS:
                    self._drop_full(now)
                bucket = self._buckets[client] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _drop_full(self, now: float) -> None:
        full = [
            client
            for client, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.stamp) * self.rate >= self.capacity
        ]
        for client in full:
            del self._buckets[client]


def write_rate_limit(value: object) -> int:
    """``WRITE_RATE_LIMIT`` as a whole number of writes a minute, refusing anything else."""
    try:
        limit = int(value) if isinstance(value, int | str) and not isinstance(value, bool) else -1
    except ValueError:
        limit = -1
    if limit < 0:
        raise ValueError(
            "WRITE_RATE_LIMIT must be a whole number of writes a minute "
            f"(0 turns the limit off), got {value!r}"
        )
    return limit


def charge_write(client: str) -> None:
    """Count one write of ``client``; answer 429 with ``Retry-After`` when it has none left."""
    limiter: TokenBucketLimiter | None = current_app.extensions.get(_EXTENSION)
    if limiter is None:
        return
    wait = limiter.take(client)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        abort(
            429,
            message=f"Too many writes: at most {int(limiter.capacity)} a minute. "
            f"Try again in {seconds} s.",
            headers={"Retry-After": str(seconds)},
        )


def init_app(app: Flask) -> None:
    """Set up the write limiter from ``WRITE_RATE_LIMIT`` (default 600 a minute; 0 = off)."""
    limit = write_rate_limit(app.config.get("WRITE_RATE_LIMIT", DEFAULT_WRITE_RATE_LIMIT))
    app.extensions[_EXTENSION] = TokenBucketLimiter(limit) if limit else None
