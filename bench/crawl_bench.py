"""Crawl throughput and memory on a generated sample site (loopback, throttles off).

    .venv/bin/python bench/crawl_bench.py [--articles 2000] [--repeat 3] [--profile liferay] [--json]

For each repetition: a fresh SQLite archive, a full crawl by ``sct-archive crawl`` in a
child process (as the daemon runs it), timed end to end; its peak RSS from the
kernel's accounting of the child. Then, in this process, plain trafilatura
(``trafilatura.extract`` with default options, the same pages fetched once) is timed
over the same article pages. Reported: medians of articles/s for both, their ratio
(ours ÷ trafilatura-only; target ≥ 0.6) and the peak RSS (target < 400 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sample_sites import SITES, SampleServer  # noqa: E402


def registry(srv, profile: str) -> str:
    starts = ", ".join(f'"{u}"' for u in srv.site.start_urls())
    return (
        f'[[site]]\nkey = "bench"\nname = "Benchmark site"\nkind = "sct"\nprovince = "Hà Nội"\n'
        f'base_url = "{srv.base_url}"\nstart_urls = [{starts}]\nprofile = "{profile}"\n'
    )


def crawl_once(srv, profile: str, workdir: Path) -> dict:
    db = workdir / "bench.sqlite3"
    sites = workdir / "sites.toml"
    sites.write_text(registry(srv, profile), encoding="utf-8")
    env = {**os.environ, "SCT_ARCHIVE_SITES": str(sites), "SCT_ARCHIVE_DB": f"sqlite:///{db}"}
    cmd = [
        sys.executable, "-m", "archive", "-q", "crawl", "bench", "--json",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "ARCHIVE_PROGRESS_INTERVAL=0",
        "-s", "ARCHIVE_MAX_LISTING_PAGES=100000",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"crawl failed ({done.returncode}): {done.stderr[-2000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = json.loads(done.stdout)["runs"][0]
    for path in workdir.glob("bench.sqlite3*"):
        path.unlink()
    return {"seconds": elapsed, "articles": run["new_articles"], "pages": run["pages"],
            "peak_rss_mb": max(peak_kb, before) / 1024}


def trafilatura_only(pages: list[bytes]) -> float:
    import trafilatura

    start = time.perf_counter()
    for body in pages:
        trafilatura.extract(body.decode("utf-8", "replace"))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default="liferay", choices=sorted(SITES))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    site = SITES[args.profile](n_articles=args.articles, page_size=50)
    crawls, extracts = [], []
    with SampleServer(site) as srv, tempfile.TemporaryDirectory() as tmp:
        pages = [urllib.request.urlopen(site.article_url(a)).read() for a in site.articles]
        for _ in range(args.repeat):
            crawls.append(crawl_once(srv, args.profile, Path(tmp)))
            extracts.append(trafilatura_only(pages))
    ours = statistics.median(c["articles"] / c["seconds"] for c in crawls)
    plain = statistics.median(len(pages) / s for s in extracts)
    result = {
        "articles": args.articles,
        "profile": args.profile,
        "repeat": args.repeat,
        "archived_per_run": [c["articles"] for c in crawls],
        "crawl_articles_per_s_median": round(ours, 1),
        "trafilatura_only_articles_per_s_median": round(plain, 1),
        "ratio": round(ours / plain, 2),
        "peak_rss_mb_max": round(max(c["peak_rss_mb"] for c in crawls), 1),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:42} {value}")


if __name__ == "__main__":
    main()
