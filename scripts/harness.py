"""A real `quoteapi serve` (gunicorn) on a free loopback port, and plain HTTP to it.

Shared by the load and crash procedures in this folder and by the tests that run them
small. Everything talks to 127.0.0.1 only; every wait is bounded and fails with a
message saying what did not happen.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

API_KEY = "procedure-key-0123456789abcdef"
WHOOSH_WRITE_LOCK = "MAIN_WRITELOCK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Answer:
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""


def request(
    url: str,
    method: str = "GET",
    body: Any = None,
    key: str | None = API_KEY,
    timeout: float = 30.0,
) -> Answer:
    """One HTTP request; JSON in and out. Never raises for HTTP or connection errors."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if key and method != "GET":
        headers["Authorization"] = f"Bearer {key}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw = response.read()
            return Answer(
                response.status, json.loads(raw) if raw else None, dict(response.headers.items())
            )
    except urllib.error.HTTPError as err:
        with err:
            raw = err.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw.decode("utf-8", "replace")
            return Answer(err.code, parsed, dict(err.headers.items()))
    except (OSError, ValueError, http.client.HTTPException) as err:  # refused, reset, cut short
        return Answer(0, error=f"{type(err).__name__}: {err}")


class Server:
    """`quoteapi serve` in its own process group, so the whole of it can be SIGKILLed."""

    def __init__(
        self,
        data_dir: Path,
        workers: int = 4,
        port: int | None = None,
        log_path: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or data_dir.parent / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "QUOTEAPI_DATA_DIR": str(data_dir),
            "QUOTEAPI_API_KEYS": API_KEY,
            "QUOTEAPI_WRITE_RATE_LIMIT": "0",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._log: TextIO | None = None
        self.starts = 0

    def start(self, timeout: float = 60.0) -> None:
        """Start it and wait until every worker answers /healthz."""
        quoteapi = Path(sys.executable).with_name("quoteapi")
        self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(quoteapi), "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts += 1
        deadline = time.monotonic() + timeout
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"the server exited at start ({self.process.returncode});"
                        f" see {self.log_path}"
                    )
                if (
                    request(f"{self.base}/healthz", timeout=5).status == 200
                    and len(self.worker_pids()) >= self.workers
                ):
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the server did not answer within {timeout:.0f} s; see {self.log_path}"
                    )
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """SIGTERM, then SIGKILL whatever is left of the process group."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_all()
        self._forget()

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self._forget()

    def _forget(self) -> None:
        """Wait out the process group, then drop the process and close the log."""
        self._reap_group()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def _reap_group(self) -> None:
        """Wait (bounded) until no process of the group is left holding the port."""
        if self.process is None:
            return
        deadline = time.monotonic() + 20
        while _group_members(self.process.pid):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            if time.monotonic() > deadline:
                raise RuntimeError("server processes outlived SIGKILL for 20 s")
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        assert self.process is not None, "the server is not running"
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return _children(self.pid) if self.process is not None else []

    def index_writer_pid(self) -> int | None:
        """The process holding the Whoosh write lock (indexing right now), if any."""
        index_dir = self.data_dir / _index_name(self.data_dir)
        try:
            inode = os.stat(index_dir / WHOOSH_WRITE_LOCK).st_ino
        except FileNotFoundError:
            return None
        with open("/proc/locks", encoding="ascii") as locks:
            for line in locks:
                parts = line.split()
                # "1: FLOCK  ADVISORY  WRITE 1234 fe:00:5678 0 EOF"
                if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].endswith(f":{inode}"):
                    return int(parts[4])
        return None

    def indexer_pids(self) -> list[int]:
        """The live indexer processes of this server's data directory (one, normally)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or not (stat := _stat_of(int(entry))) or stat[0] == "Z":
                continue
            try:
                argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"quoteapi.store.indexer" in argv and str(self.data_dir).encode() in argv:
                found.append(int(entry))
        return found

    def kill_worker(self, pid: int) -> bool:
        """SIGKILL one worker (gunicorn's master starts another); False if it was gone."""
        try:
            os.kill(pid, signal.SIGKILL)
            return True
        except ProcessLookupError:
            return False

    def wait_workers(self, timeout: float = 30.0) -> None:
        """Wait until the master has a full set of workers again."""
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < self.workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the master did not restart its workers in {timeout:.0f} s")
            time.sleep(0.05)

    def wait_indexed(self, timeout: float = 60.0) -> dict[str, Any]:
        """Wait until /healthz reports no index lag; return the health answer."""
        deadline = time.monotonic() + timeout
        while True:
            health = request(f"{self.base}/healthz", timeout=5)
            if health.status == 200 and health.body["index_lag"] == 0:
                return dict(health.body)
            if time.monotonic() > deadline:
                raise RuntimeError(f"the index still lags after {timeout:.0f} s: {health.body}")
            time.sleep(0.1)


@contextmanager
def served(data_dir: Path, workers: int = 4, **kwargs: Any) -> Iterator[Server]:
    server = Server(data_dir, workers=workers, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _index_name(data_dir: Path) -> str:
    try:
        return (data_dir / "index-current").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return "index"


def _stat_of(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()  # after "(comm)": state ppid pgrp ...


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if (
            entry.isdigit()
            and (stat := _stat_of(int(entry)))
            and stat[0] != "Z"
            and int(stat[1]) == pid
        ):
            found.append(int(entry))
    return found


def _group_members(pgid: int) -> list[int]:
    return [
        int(e)
        for e in os.listdir("/proc")
        if e.isdigit() and (stat := _stat_of(int(e))) and stat[0] != "Z" and int(stat[2]) == pgid
    ]


# -- articles whose quotes are known ------------------------------------------------------

# Consonants but "s": the stemmer would cut a final s and make one token another's.
_LETTERS = "bcdfghjklmnpqrtvwxz"


def token(n: int, run: str) -> str:
    """A word found in one article only (no vowels and no s, so stemming leaves it whole)."""
    word = ""
    n += 1
    while n:
        n, digit = divmod(n, len(_LETTERS))
        word += _LETTERS[digit]
    return f"qx{run}{word}"


def article(n: int, run: str) -> dict[str, Any]:
    """An article with three quotes that each hold its token."""
    word = token(n, run)
    rng = random.Random(n)
    name = rng.choice(["Ada Stone", "Ro Vik", "Jo Ames", "Lee Vance", "Mia Sol"])
    return {
        "url": f"https://procedure.example/{run}/{n}",
        "title": f"Story {n}",
        "outlet": rng.choice(["Daily Planet", "Harbour Times", "Wire"]),
        "text": (
            f"The mayor, {name}, said: “The {word} bridge opens on Monday.” "
            f"Council member Kim Hale added: “We paid for the {word} project in full.” "
            f"Later {name} told reporters: “Nobody should fear the {word} tolls.”"
        ),
    }
