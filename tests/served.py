"""A real `quoteapi serve` on a free loopback port, for tests that talk HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Served:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:
            return json.loads(response.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(data_dir: Path, *, workers: int = 2, env: dict[str, str] | None = None,
          start_timeout: float = 30.0) -> Iterator[Served]:
    """Start `quoteapi serve` over ``data_dir``; stop it (SIGTERM, then SIGKILL) after."""
    port = free_port()
    quoteapi = Path(sys.executable).with_name("quoteapi")
    log = data_dir.parent / f"serve-{port}.log"
    environment = {**os.environ, "QUOTEAPI_DATA_DIR": str(data_dir), **(env or {})}
    with log.open("wb") as out, subprocess.Popen(
        [str(quoteapi), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=environment, stdout=out, stderr=subprocess.STDOUT,
    ) as process:
        served = Served(f"http://127.0.0.1:{port}", process, log)
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    served.get("/healthz")
                    break
                except OSError:
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, f"server did not start in {start_timeout} s"
                    time.sleep(0.2)
            yield served
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
