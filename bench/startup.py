"""Start-up time of the command line: median wall time of repeated runs of each command.

    .venv/bin/python bench/startup.py [--repeat 15]

Targets (issue 13): ``--help`` < 0.3 s; read commands (``show``, ``status``, ``export`` of a
small archive) < 0.6 s; ``extract`` of one page < 0.8 s. The archive is the seed page
imported into a temporary SQLite file; nothing is written into the checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("sct-archive"))
SEED = ROOT / "tests" / "data" / "sct-binhduong"


def timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = json.loads((SEED / "article.expected.json").read_text())["url"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "a.sqlite3")
        env = {**os.environ, "SCT_ARCHIVE_DB": db}
        subprocess.run([EXE, "import", str(SEED / "article.html"), "--url", url], env=env,
                       check=True, capture_output=True)
        commands = {
            "--help": [EXE, "--help"],
            "show": [EXE, "show", "1", "--no-text"],
            "status": [EXE, "status"],
            "export": [EXE, "export", "--format", "jsonl", "--out", str(Path(tmp) / "out.jsonl")],
            "extract": [EXE, "extract", str(SEED / "article.html"), "--url", url],
        }
        for argv in commands.values():  # warm the OS caches once
            timed(argv, env)
        results = {}
        for name, argv in commands.items():
            runs = [timed(argv, env) for _ in range(args.repeat)]
            results[name] = {"median_s": round(statistics.median(runs), 3),
                             "min_s": round(min(runs), 3), "runs": args.repeat}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'command':<10} {'median':>8} {'min':>8}  ({args.repeat} runs each)")
    for name, r in results.items():
        print(f"{name:<10} {r['median_s']:>7.3f}s {r['min_s']:>7.3f}s")


if __name__ == "__main__":
    main()
