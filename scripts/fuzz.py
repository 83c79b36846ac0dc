"""Fuzz: schemathesis, driven by the OpenAPI document, against a real served instance.

usage: .venv/bin/python scripts/fuzz.py [--max-examples 100] [--seed 1] [--deterministic]
                                        [--max-time 600]

Starts `quoteapi serve` on a free 127.0.0.1 port with its data in a temporary
directory and an API key (so writes are exercised), then runs every operation of
/api/v1/openapi.json through schemathesis' examples, coverage, fuzzing and stateful
phases. Fails on any 5xx and on any answer that breaks the documented schema (status
code, media type, headers, body). Checks that the API's rules cannot state in OpenAPI
(the paging depth cap, query syntax, non-blank text) are left out: the hostile-request
table (tests/hostile.py) covers refusals.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import API_KEY, served

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
)


def run_fuzz(
    base: str,
    max_examples: int,
    seed: int | None = None,
    workers: int = 1,
    max_time: float | None = None,
    timeout: float = 900.0,
) -> subprocess.CompletedProcess[str]:
    """Run schemathesis against ``base``; its output is in the result."""
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {API_KEY}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(max_examples),
        "--workers",
        str(workers),
        "--request-timeout",
        "30",
        "--no-color",
    ]
    # No seed: the same cases every run (for CI); a seed: random cases, repeatable.
    command += ["--generation-deterministic"] if seed is None else ["--seed", str(seed)]
    if max_time:
        command += ["--max-time", str(int(max_time))]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "fuzz_hooks",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH")])
        ),
    }
    # schemathesis keeps a .schemathesis/ folder in its working directory: not in the tree.
    with tempfile.TemporaryDirectory(prefix="quoteapi-schemathesis-") as cwd:
        return subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--deterministic",
        action="store_true",
        help="the same cases as the test suite, instead of random ones by --seed",
    )
    # One: schemathesis' threads trip a CPython 3.11 AST bug in hypothesis (a runtime error).
    parser.add_argument("--workers", type=int, default=1, help="schemathesis' concurrent clients")
    parser.add_argument(
        "--max-time",
        type=float,
        default=None,
        help="seconds schemathesis may spend (it repeats fuzzing until then)",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with (
        tempfile.TemporaryDirectory(prefix="quoteapi-fuzz-") as tmp,
        served(Path(tmp) / "data", workers=2) as server,
    ):
        result = run_fuzz(
            server.base,
            args.max_examples,
            None if args.deterministic else args.seed,
            args.workers,
            max_time=args.max_time,
        )
    print(result.stdout)
    print(result.stderr, file=sys.stderr)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
