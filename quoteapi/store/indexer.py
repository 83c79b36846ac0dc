"""The indexer process: keeps a data directory's index caught up with its record.

``python -m quoteapi.store.indexer DATA_DIR`` catches up whenever the record moves on,
as :meth:`Store.start_indexer` does in a thread, until SIGTERM or until the process
named by ``--parent`` (the server's master) is gone. A served instance runs one, started
by whichever worker holds ``indexer.lock`` (see :meth:`Store.start_indexer`); it
inherits that lock, so a second one never starts while it lives.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from quoteapi.store import Store


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc: kill's answer is all there is
        return True
    return stat[stat.rindex(")") + 2] != "Z"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between looks")
    parser.add_argument("--parent", type=int, help="stop when this process is gone")
    args = parser.parse_args(argv)
    store = Store(args.data_dir, batch_size=args.batch_size)
    # The handler only sets a flag: one that took a lock (Event.set) could wait forever on
    # a lock the interrupted code holds; the loop reads the flag every ``interval``.
    signalled: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        signalled.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    parent = args.parent

    def alive() -> bool:
        return not signalled and (parent is None or _alive(parent))

    store.run_indexer(args.interval, alive=alive)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
