"""A stand-in for ``sct-archive crawl`` in the daemon tests: no Scrapy, same contract.

Takes the same arguments (``--db URL crawl SITE [--full] [--url URL]… --trigger T
[--request-id N]``), takes the site's lease through :mod:`archive.storage.leases` (exit 75 when
it is held), records a ``crawl_runs`` row with its pid, exits 0 (finished), 1 (failed)
or 143 (SIGTERM: the run is closed as interrupted). Run it with ``python -P`` so that
``tests/`` (whose ``tests/archive`` mirrors the package) is not put first on ``sys.path``.

What it does per site comes from ``$FAKE_CRAWL`` (JSON)::

    {"default": {"seconds": 0.3},
     "slow": {"seconds": 60},                       # runs until stopped
     "stubborn": {"seconds": 60, "ignore_term": true},
     "broken": {"exit": 1, "health": {"article_pages": 9, "empty_text": 9}}}
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("command")
    parser.add_argument("site")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--url", action="append", default=[])
    parser.add_argument("--trigger", default="manual")
    parser.add_argument("--request-id", type=int)
    args, _extra = parser.parse_known_args()
    assert args.command == "crawl", args.command
    spec = json.loads(os.environ.get("FAKE_CRAWL") or "{}")
    behaviour = {**spec.get("default", {}), **spec.get(args.site, {})}

    stopping = threading.Event()
    if behaviour.get("ignore_term"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())

    from archive.storage.db import open_engine
    from archive.storage.leases import SiteBusy, hold_lease
    from archive.storage.store import Archive

    engine = open_engine(args.db)
    archive = Archive(engine)
    try:
        with hold_lease(engine, args.site):
            run_id = archive.start_run(args.site, trigger=args.trigger, full=args.full)
            print(f"fake crawl of {args.site}: run {run_id}, pid {os.getpid()}", file=sys.stderr,
                  flush=True)
            if stopping.wait(float(behaviour.get("seconds", 0.3))):
                archive.finish_run(run_id, "interrupted", error="SIGTERM")
                return 143
            code = int(behaviour.get("exit", 0))
            archive.finish_run(run_id, "finished" if code == 0 else "failed",
                               health=behaviour.get("health", {"listing_pages": 1, "article_pages": 1}),
                               new_articles=int(behaviour.get("new", 0)),
                               error=None if code == 0 else "fake failure")
            return code
    except SiteBusy as exc:
        print(f"skipped: {exc}", file=sys.stderr, flush=True)
        return 75
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
