"""Both cores: ``reextract`` and WARC ``import`` with one process vs an extraction pool.

    .venv/bin/python bench/parallel_bench.py [--articles 1000] [--repeat 3] [--workers 2] [--json]

A sample Liferay site of ``--articles`` articles is crawled once (bench/crawl_bench.py's
crawl, attachments off) into a SQLite archive, which is exported as WARC. Then, for each
repetition and each worker count (0 = in-process, ``--workers``):

* ``reextract`` on a fresh copy of the crawled archive (every snapshot read again);
* ``import`` of the WARC export into a new, empty archive;

each timed end to end as a child process. Reported: medians of articles/s and the ratio
pool ÷ one process (target ≥ 1.7 on 2 cores). Every run is checked: the article count
and every version's content hash are the same with and without the pool, otherwise the
benchmark fails (exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl_bench import BenchError, crawl_command, registry, run_child  # noqa: E402

from tests.sample_sites import SITES, SampleServer  # noqa: E402

TARGET = 1.7


def hashes(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute(
            "SELECT a.article_key, v.content_hash FROM articles a "
            "JOIN article_versions v ON v.id = a.current_version_id"))
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    site = SITES["liferay"](args.articles, page_size=50)
    with tempfile.TemporaryDirectory() as tmp_, SampleServer(site) as srv:
        tmp = Path(tmp_)
        sites = tmp / "sites.toml"
        sites.write_text(registry(srv, "liferay"), encoding="utf-8")
        crawled = tmp / "crawled.sqlite3"
        env = {**os.environ, "SCT_ARCHIVE_SITES": str(sites), "SCT_ARCHIVE_DB": f"sqlite:///{crawled}",
               "PYTHONPATH": str(ROOT)}
        code, _, err, usage = run_child([sys.executable, *crawl_command(8, "off")], env, tmp)
        if code != 0:
            raise BenchError(f"crawl exit {code}: {err[-2000:]}")
        want = hashes(crawled)
        if len(want) != args.articles:
            raise BenchError(f"crawl archived {len(want)} of {args.articles} articles")
        warc = tmp / "export.warc.gz"
        subprocess.run([sys.executable, "-m", "archive", "-q", "export", "--format", "warc",
                        "--out", str(warc)], env=env, check=True, cwd=ROOT)
        results: dict[str, dict[int, list[float]]] = {"reextract": {}, "import": {}}
        for rep in range(args.repeat):
            for workers in (0, args.workers):
                db = tmp / f"re-{rep}-{workers}.sqlite3"
                shutil.copy(crawled, db)
                run_env = {**env, "SCT_ARCHIVE_DB": f"sqlite:///{db}"}
                code, _, err, usage = run_child(
                    [sys.executable, "-m", "archive", "-q", "reextract", "--workers", str(workers)],
                    run_env, tmp)
                if code != 0 or hashes(db) != want:
                    raise BenchError(f"reextract --workers {workers}: exit {code}, rows differ: "
                                     f"{hashes(db) != want}\n{err[-2000:]}")
                results["reextract"].setdefault(workers, []).append(args.articles / usage["seconds"])
                db.unlink()
                db = tmp / f"im-{rep}-{workers}.sqlite3"
                run_env = {**env, "SCT_ARCHIVE_DB": f"sqlite:///{db}"}
                code, _, err, usage = run_child(
                    [sys.executable, "-m", "archive", "-q", "import", str(warc), "--site", "bench",
                     "--workers", str(workers)], run_env, tmp)
                if code != 0 or hashes(db) != want:
                    raise BenchError(f"import --workers {workers}: exit {code}, rows differ: "
                                     f"{hashes(db) != want}\n{err[-2000:]}")
                results["import"].setdefault(workers, []).append(args.articles / usage["seconds"])
                db.unlink()
    report = {}
    for name, by_workers in results.items():
        one = statistics.median(by_workers[0])
        pool = statistics.median(by_workers[args.workers])
        report[name] = {"one_process_articles_per_s": round(one, 1),
                        f"workers_{args.workers}_articles_per_s": round(pool, 1),
                        "ratio": round(pool / one, 2), "target": TARGET}
    if args.json:
        print(json.dumps({"articles": args.articles, "repeat": args.repeat, "cores": os.cpu_count(),
                          "results": report}, indent=2))
    else:
        print(f"{args.articles} articles, {args.repeat} repetitions, {os.cpu_count()} cores")
        for name, r in report.items():
            vals = list(r.values())
            print(f"{name:<10} one process {vals[0]:>7.1f}/s   {args.workers} workers {vals[1]:>7.1f}/s"
                  f"   ratio {r['ratio']:.2f} (target ≥ {TARGET})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
