"""Crawl throughput and memory on a generated sample site (loopback, throttles off).

    .venv/bin/python bench/crawl_bench.py [--articles 2000] [--repeat 3] [--profile liferay ...]
                                          [--concurrency 8] [--modes on,off] [--json]
    .venv/bin/python bench/crawl_bench.py --cprofile /tmp/crawl.prof   # one profiled crawl instead
    .venv/bin/python bench/crawl_bench.py --auto --profile liferay     # discovery by content

A sample site of ``--articles`` articles (``tests/sample_sites``, the CMS of
``--profile``; 50 per listing page; about one in five articles links PDF/DOCX/DOC
attachments) is served by :class:`SampleServer` on 127.0.0.1 in this process. Each
repetition runs, for each mode:

* ``attachments on``  — ``sct-archive crawl`` as ops and the daemon run it, in a child
  process, into a fresh SQLite archive: listings, article pages, the attachments they
  link (downloaded and read: pypdf / python-docx), everything stored;
* ``attachments off`` — the same with ``-s ARCHIVE_ATTACHMENTS_ENABLED=False``, so the
  work is the same pages as the baseline;

timed end to end (process start to exit: imports, schema creation and the closing run
summary included), with the child's own peak RSS and CPU time (``getrusage`` in a small
launcher process, see ``LAUNCHER``). Then, in
this process, **trafilatura only**: ``trafilatura.extract(html)`` with its default
options over the same article pages (their bytes fetched once before the first
repetition, decoded as UTF-8 inside the timed loop; one warm-up call outside it).

Throttles off: ``DOWNLOAD_DELAY=0``, ``AUTOTHROTTLE_ENABLED=False``,
``CONCURRENT_REQUESTS_PER_DOMAIN=--concurrency`` (``CONCURRENT_REQUESTS`` stays 16);
robots.txt is still fetched and obeyed; ``ARCHIVE_MAX_LISTING_PAGES`` is raised so
the whole site is walked. Every crawl is checked: the run finished, archived exactly
the site's articles (keys and count) and, with attachments on, one attachment row
per linked document — otherwise the benchmark fails loudly (exit status 1).

``--auto`` registers the site as ``auto`` and adds ``-s ARCHIVE_RECOGNIZE=False``: every
page is judged by its content (:mod:`crawler.discovery`) instead of read through the
site's CMS profile — the "auto crawl" of issues 11 and 13. The unseen layouts of
``tests/sample_sites`` (``--profile dnnportal``, ``noticeboard``, ``tabledesk``) have no
profile of their own and are always crawled that way.

Reported per profile and mode: medians over the repetitions of articles/s (ours and
trafilatura-only), their ratio (median ÷ median; target ≥ 0.6) and peak RSS (max over
the repetitions; target < 400 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sample_sites import SITES, UNSEEN, SampleServer  # noqa: E402

MODES = {"on": (), "off": ("-s", "ARCHIVE_ATTACHMENTS_ENABLED=False")}
TARGET_RATIO = 0.6
TARGET_RSS_MB = 400
EXTRA: tuple[str, ...] = ()  # --set NAME=VALUE: more settings for every crawl (experiments)
AUTO = False  # --auto: every site registered as auto, recognition off
ALL_SITES = {**SITES, **UNSEEN}


def site_profile(profile: str) -> str:
    """The profile the registry names for the bench site of sample ``profile``."""
    return "auto" if AUTO or profile in UNSEEN else profile


class BenchError(Exception):
    """A crawl that did not archive what the site holds: the figures would be meaningless."""


def registry(srv, profile: str) -> str:
    starts = ", ".join(f'"{u}"' for u in srv.site.start_urls())
    return (
        f'[[site]]\nkey = "bench"\nname = "Benchmark site"\nkind = "sct"\nprovince = "Hà Nội"\n'
        f'base_url = "{srv.base_url}"\nstart_urls = [{starts}]\nprofile = "{site_profile(profile)}"\n'
    )


def crawl_command(concurrency: int, mode: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [
        "-m", "archive", "-q", "crawl", "bench", "--json",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
        "-s", "ARCHIVE_PROGRESS_INTERVAL=0", "-s", "ARCHIVE_MAX_LISTING_PAGES=100000",
        *MODES[mode],
        *(("-s", "ARCHIVE_RECOGNIZE=False") if AUTO else ()),
        *(arg for setting in extra for arg in ("-s", setting)),
    ]


# The crawl is started by this small launcher, not by the benchmark process itself:
# Linux carries a process's memory high-water mark across fork + exec into the
# child's ru_maxrss, so a child forked straight from this (large) process would
# report this process's peak RSS instead of its own.
LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:])
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    json.dump({"code": code, "seconds": elapsed, "maxrss_kb": usage.ru_maxrss,
               "cpu_s": usage.ru_utime + usage.ru_stime}, f)
"""


def run_child(argv: list[str], env: dict[str, str], workdir: Path) -> tuple[int, str, str, dict]:
    """Run ``argv`` to the end: (exit status, stdout, stderr, {seconds, maxrss_kb, cpu_s} of that process)."""
    out, err, usage = workdir / "child.out", workdir / "child.err", workdir / "child.json"
    with out.open("wb") as fo, err.open("wb") as fe:
        subprocess.run([sys.executable, "-c", LAUNCHER, str(usage), *argv], env=env, cwd=ROOT,
                       stdout=fo, stderr=fe, check=False)
    measured = json.loads(usage.read_text())
    return (measured["code"], out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"),
            measured)


def check_archive(db: Path, site, profile: str, mode: str) -> dict:
    """What the crawl archived, compared with the site: raises BenchError on any difference."""
    from crawler.profiles import get_profile

    prof = get_profile(site_profile(profile))
    con = sqlite3.connect(db)
    try:
        if site_profile(profile) == "auto":
            # URL variants are merged by content under the first key seen, whichever
            # that was: compare the articles by their (unique) titles instead
            want = {a.title for a in site.articles}
            got = {t for (t,) in con.execute(
                "SELECT v.title FROM articles a JOIN article_versions v ON v.id = a.current_version_id")}
        else:
            want = {prof.article_key(site.article_url(a)) for a in site.articles}
            got = {k for (k,) in con.execute(
                "SELECT article_key FROM articles WHERE current_version_id IS NOT NULL")}
        rows = con.execute(
            "SELECT count(*) FROM articles WHERE current_version_id IS NOT NULL").fetchone()[0]
        short = con.execute(
            "SELECT count(*) FROM article_versions WHERE length(text) < 200").fetchone()[0]
        att_rows = dict(con.execute("SELECT status, count(*) FROM attachments GROUP BY status").fetchall())
    finally:
        con.close()
    problems = []
    if rows != len(got):
        problems.append(f"{rows} archived articles for {len(got)} distinct ones")
    if got != want:
        problems.append(f"archived {len(got)} articles, the site has {len(want)} "
                        f"({len(want - got)} missing, {len(got - want)} unexpected)")
    if short:
        problems.append(f"{short} versions with < 200 characters of text")
    linked = sum(len(a.attachments) for a in site.articles)
    n_att = sum(att_rows.values())
    if mode == "on" and n_att != linked:
        problems.append(f"{n_att} attachment rows, the site links {linked} documents")
    if mode == "off" and n_att:
        problems.append(f"{n_att} attachment rows with attachments off")
    if problems:
        raise BenchError(f"{profile}/attachments {mode}: " + "; ".join(problems))
    return {"articles": len(got), "attachments": att_rows}


def crawl_once(srv, profile: str, mode: str, concurrency: int, workdir: Path, rep: int,
               prefix: tuple[str, ...] = ()) -> dict:
    db = workdir / f"bench-{profile}-{mode}-{rep}.sqlite3"
    sites = workdir / "sites.toml"
    sites.write_text(registry(srv, profile), encoding="utf-8")
    env = {**os.environ, "SCT_ARCHIVE_SITES": str(sites), "SCT_ARCHIVE_DB": f"sqlite:///{db}",
           "PYTHONPATH": str(ROOT)}
    srv.clear_log()
    code, out, err, usage = run_child(
        [sys.executable, *prefix, *crawl_command(concurrency, mode, EXTRA)], env, workdir)
    if code != 0:
        raise BenchError(f"{profile}/attachments {mode}: crawl exit {code}\n{err[-3000:]}")
    run = json.loads(out)["runs"][0]
    if run["outcome"] != "finished" or run["failed"]:
        raise BenchError(f"{profile}/attachments {mode}: run {run['outcome']}, {run['failed']} failed")
    archived = check_archive(db, srv.site, profile, mode)
    if run["new_articles"] != archived["articles"]:
        raise BenchError(f"run says {run['new_articles']} new, archive holds {archived['articles']}")
    requests = len(srv.log)
    for path in workdir.glob(f"{db.name}*"):
        path.unlink()
    for path in workdir.glob("*.atom"):
        path.unlink()
    return {
        "seconds": usage["seconds"],
        "articles": archived["articles"],
        "articles_per_s": archived["articles"] / usage["seconds"],
        "requests": requests,
        "attachments": archived["attachments"],
        "peak_rss_mb": usage["maxrss_kb"] / 1024,  # KiB on Linux
        "cpu_s": usage["cpu_s"],
    }


def trafilatura_only(pages: list[bytes]) -> float:
    """Seconds for ``trafilatura.extract`` (default options) over ``pages``, in this process."""
    import trafilatura

    trafilatura.extract(pages[0].decode("utf-8", "replace"))  # warm-up: lazy initialisation
    start = time.perf_counter()
    for body in pages:
        trafilatura.extract(body.decode("utf-8", "replace"))
    return time.perf_counter() - start


def fetch_pages(site) -> list[bytes]:
    pages = []
    for a in site.articles:
        with urllib.request.urlopen(site.article_url(a)) as resp:
            if resp.status != 200:
                raise BenchError(f"{site.article_url(a)}: HTTP {resp.status}")
            pages.append(resp.read())
    return pages


def bench_profile(profile: str, args, tmp: Path) -> dict:
    site = ALL_SITES[profile](n_articles=args.articles, page_size=50)
    modes = args.modes
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    extracts: list[float] = []
    with SampleServer(site) as srv:
        pages = fetch_pages(site)
        for rep in range(args.repeat):
            for mode in modes:
                runs[mode].append(crawl_once(srv, profile, mode, args.concurrency, tmp, rep))
                log(f"{profile} rep {rep + 1} attachments {mode}: "
                    f"{runs[mode][-1]['articles_per_s']:.1f} articles/s, "
                    f"{runs[mode][-1]['peak_rss_mb']:.0f} MB")
            extracts.append(len(pages) / trafilatura_only(pages))
            log(f"{profile} rep {rep + 1} trafilatura only: {extracts[-1]:.1f} articles/s")
    plain = statistics.median(extracts)
    out = {
        "profile": profile,
        "articles": len(site.articles),
        "attachments_linked": sum(len(a.attachments) for a in site.articles),
        "articles_with_attachments": sum(1 for a in site.articles if a.attachments),
        "page_kb_mean": round(sum(map(len, pages)) / len(pages) / 1024, 1),
        "trafilatura_only_articles_per_s": [round(x, 1) for x in extracts],
        "trafilatura_only_median": round(plain, 1),
    }
    for mode in modes:
        rs = runs[mode]
        ours = statistics.median(r["articles_per_s"] for r in rs)
        out[f"attachments_{mode}"] = {
            "articles_per_s": [round(r["articles_per_s"], 1) for r in rs],
            "median": round(ours, 1),
            "ratio": round(ours / plain, 2),
            "ratio_per_rep": [round(r["articles_per_s"] / e, 2) for r, e in zip(rs, extracts, strict=True)],
            "seconds_median": round(statistics.median(r["seconds"] for r in rs), 1),
            "cpu_s_median": round(statistics.median(r["cpu_s"] for r in rs), 1),
            "requests": rs[-1]["requests"],
            "attachment_rows": rs[-1]["attachments"],
            "peak_rss_mb_max": round(max(r["peak_rss_mb"] for r in rs), 1),
        }
    return out


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def profile_crawl(args) -> None:
    """One crawl under cProfile (not timed as a figure): where the crawl child spends its time."""
    import pstats

    profile = args.profile[0]
    site = ALL_SITES[profile](n_articles=args.articles, page_size=50)
    with SampleServer(site) as srv, tempfile.TemporaryDirectory() as tmp:
        r = crawl_once(srv, profile, args.modes[0], args.concurrency, Path(tmp), 0,
                       prefix=("-m", "cProfile", "-o", args.cprofile))
    log(f"profiled crawl: {r['articles']} articles in {r['seconds']:.1f} s (under cProfile)")
    pstats.Stats(args.cprofile).sort_stats("cumulative").print_stats(r"sct|crawler|archive", 40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="append", choices=sorted(ALL_SITES),
                        help="sample site CMS (repeatable; default liferay)")
    parser.add_argument("--auto", action="store_true",
                        help="register the sites as auto, recognition off (discovery by content)")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="CONCURRENT_REQUESTS_PER_DOMAIN (default 8)")
    parser.add_argument("--modes", default="on,off",
                        help="attachments on, off or both (default on,off)")
    parser.add_argument("--cprofile", metavar="FILE",
                        help="run one crawl under cProfile into FILE and print its top functions")
    parser.add_argument("--set", dest="extra", action="append", default=[], metavar="NAME=VALUE",
                        help="another crawl setting (experiments; the figures then differ)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    global EXTRA, AUTO
    EXTRA = tuple(args.extra)
    AUTO = args.auto
    args.profile = args.profile or ["liferay"]
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or set(args.modes) - set(MODES):
        parser.error("--modes: on, off or on,off")
    if args.cprofile:
        profile_crawl(args)
        return 0

    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for profile in args.profile:
                results.append(bench_profile(profile, args, Path(tmp)))
    except BenchError as exc:
        log(f"BENCHMARK FAILED: {exc}")
        return 1
    report = {
        "articles": args.articles,
        "repeat": args.repeat,
        "concurrency_per_domain": args.concurrency,
        "auto": AUTO,
        "extra_settings": list(EXTRA),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "profiles": results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.articles} articles per site, {args.repeat} repetitions, "
          f"{'auto (discovery by content), ' if AUTO else ''}"
          f"CONCURRENT_REQUESTS_PER_DOMAIN={args.concurrency}, Python {report['python']}, "
          f"{report['cpus']} CPUs")
    print(f"{'profile':10} {'attachments':11} {'ours/s':>7} {'trafilatura/s':>13} {'ratio':>6} "
          f"{'peak RSS MB':>11} {'cpu s':>6} {'wall s':>6}")
    for r in results:
        for mode in args.modes:
            m = r[f"attachments_{mode}"]
            print(f"{r['profile']:10} {mode:11} {m['median']:7.1f} {r['trafilatura_only_median']:13.1f} "
                  f"{m['ratio']:6.2f} {m['peak_rss_mb_max']:11.1f} {m['cpu_s_median']:6.1f} "
                  f"{m['seconds_median']:6.1f}")
    print(f"targets: ratio ≥ {TARGET_RATIO}, peak RSS < {TARGET_RSS_MB} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
