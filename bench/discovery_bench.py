"""Discovery by content (the ``auto`` profile) on every sample site, crawled for real.

    .venv/bin/python bench/discovery_bench.py [--articles 60] [--rate-articles 300] [--json]
                                              [--skip-rate] [--skip-faults]

For each sample site (tests/sample_sites: the six CMS sites and the three unseen layouts)
served on 127.0.0.1, ``sct-archive crawl`` runs in a child process into a fresh SQLite
archive, throttles off:

* **auto only** — the site registered as ``auto`` with ``-s ARCHIVE_RECOGNIZE=False``:
  the share of its articles archived right (title, published date, text), the pages it
  fetched that were no article (listings, probes, pages judged "other"; robots.txt,
  feeds, sitemaps and attachments not counted), and all its requests;
* **own profile** — the same site with its CMS profile (the six CMS sites only): its
  requests; the difference is what exploring by content costs.

Then the end-to-end rate of an ``auto``-only crawl of a ``--rate-articles`` site (the
unseen DNN-style portal: listing pages, article pages and their attachments) against
trafilatura alone on the same article pages (``trafilatura.extract`` of their bytes, as
bench/crawl_bench.py does), and the time a faulty site takes to crawl (a page dripping a
byte every half second, a connection reset, a truncated body, a redirect loop, a 503
that answers on the retry: the test in tests/crawler/test_bounded.py, with the default
timeouts and retries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.crawlkit import path_of, served, served_site  # noqa: E402
from tests.sample_sites import SITES, UNSEEN  # noqa: E402


def _right(s) -> int:
    truth = {a.title: a for a in s.site.articles}
    right = 0
    for row in s.archived().values():
        a = truth.get(row["title"])
        if a and row["published"] == a.published.date().isoformat() and row["text"] == a.text:
            right += 1
    return right


def _counts(s) -> tuple[int, int]:
    """(pages fetched that were no article — listings, probes, robots.txt, feeds, sitemaps —
    as the run counted them, all requests the server saw)."""
    stats = s.runs()[-1].stats or {}
    return int(stats.get("archive/listing_pages", 0)), len(s.server.log)


def one_site(key: str, n: int, auto_only: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        with served_site(key, Path(tmp), n=n, auto_only=auto_only) as s:
            started = time.perf_counter()
            done = s.crawl(s.key, "--json", check=False, timeout=900)
            seconds = time.perf_counter() - started
            run = json.loads(done.stdout)["runs"][0] if done.stdout.strip() else {"outcome": "?"}
            other, total = _counts(s)
            return {"site": key, "mode": "auto" if auto_only or key in UNSEEN else "profile",
                    "outcome": run["outcome"], "articles": len(s.site.articles), "right": _right(s),
                    "non_article_pages": other, "requests": total, "seconds": round(seconds, 2)}


def rate(n: int) -> dict:
    import trafilatura

    from tests.profile_walk import fetch

    with tempfile.TemporaryDirectory() as tmp:
        with served_site("dnnportal", Path(tmp), n=n) as s:
            started = time.perf_counter()
            run = json.loads(s.crawl(s.key, "--json", timeout=1800).stdout)["runs"][0]
            crawl_seconds = time.perf_counter() - started
            assert run["new_articles"] == n, run
            pages = [fetch(s.site, s.site.article_url(a)).body_bytes() for a in s.site.articles]
    trafilatura.extract(pages[0].decode("utf-8"))
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        for body in pages:
            trafilatura.extract(body.decode("utf-8"))
        times.append(time.perf_counter() - t0)
    tra = statistics.median(times)
    return {"articles": n, "auto_crawl_seconds": round(crawl_seconds, 2),
            "auto_articles_per_s": round(n / crawl_seconds, 1),
            "trafilatura_only_articles_per_s": round(n / tra, 1),
            "ratio": round((n / crawl_seconds) / (n / tra), 3)}


def faults() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        with served("wordpress", Path(tmp), n=12, page_size=20) as s:
            arts = s.site.articles
            for how, a in zip(("drip", "reset", "truncate", "loop"), (arts[1], arts[3], arts[5], arts[7]), strict=True):
                s.server.break_path(path_of(s.site.article_url(a)), how)
            s.server.fail_next(path_of(s.site.article_url(arts[9])), status=503, times=1)
            started = time.perf_counter()
            done = s.crawl(s.key, "--json", check=False, timeout=600)
            seconds = time.perf_counter() - started
            run = json.loads(done.stdout)["runs"][0]
            return {"pages": 13, "outcome": run["outcome"], "archived": len(s.archived()),
                    "failed": run["failed"], "seconds": round(seconds, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rate-articles", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-rate", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    args = parser.parse_args()
    rows = []
    for key in sorted(SITES):
        auto = one_site(key, args.articles, True)
        own = one_site(key, args.articles, False)
        auto["profile_requests"] = own["requests"]
        auto["extra_requests"] = auto["requests"] - own["requests"]
        rows.append(auto)
    for key in sorted(UNSEEN):
        rows.append(one_site(key, args.articles, False))
    out: dict = {"discovery": rows}
    if not args.skip_rate:
        out["rate"] = rate(args.rate_articles)
    if not args.skip_faults:
        out["faults"] = faults()
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{'site':12} {'outcome':9} {'found':>9} {'non-article':>11} {'requests':>8} {'profile':>7} {'extra':>6}")
    for r in rows:
        print(f"{r['site']:12} {r['outcome']:9} {r['right']:>4}/{r['articles']:<4} {r['non_article_pages']:>11} "
              f"{r['requests']:>8} {r.get('profile_requests', '—')!s:>7} {r.get('extra_requests', '—')!s:>6}")
    if "rate" in out:
        print("rate:", out["rate"])
    if "faults" in out:
        print("faults:", out["faults"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
