"""Full-text search speed on a large synthetic archive: SQLite (FTS5) and PostgreSQL.

    .venv/bin/python bench/search_bench.py [--articles 100000] [--backend sqlite --backend postgresql]
                                           [--repeat 5] [--write-sample 1000] [--no-serve] [--json]

For each backend, a fresh archive is filled with ``--articles`` synthetic Vietnamese
articles (``tests/sample_sites/corpus.py``: the news templates with varied provinces,
products, amounts and dates, spread over 40 sites and 2019–2026; flags computed by
the real rules from each title and lead) by bulk inserts, then:

* **bulk indexing**: ``searchindex.reindex`` over the whole archive (what migration
  0008 and ``sct-archive db reindex`` do), per article;
* **write path**: ``--write-sample`` more articles recorded one by one with
  ``Archive.record_page`` (one transaction each, as a crawl does); the time spent in
  the index hook (``searchindex.index_version``: folding + the index insert) is
  measured per article, beside the whole ``record_page``;
* **queries**: 20 realistic queries (common and rare words, folded and not, phrases,
  exclusions, prefixes, filters), each run ``--repeat`` times after one warm-up run:
  latency of ``search()`` (the top 20 hits with their snippets), p50 and p95 over all runs
  (each run its own transaction; the process's long-lived objects frozen out of the
  garbage collector first, as ``serve`` does);
* **pages** (unless ``--no-serve``): ``sct-archive serve`` in a child process (uvicorn),
  the 20 queries' ``/search`` pages (hits, count and facets) and 100 ``/articles/<id>``
  pages, each fetched ``--repeat`` times over HTTP on 127.0.0.1: p50 and p95.

PostgreSQL runs on a throwaway server started here (tests/pgserver.py: initdb in a
temporary directory, fsync off). Nothing is asserted; figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text, update  # noqa: E402

from archive.flags import flag_version  # noqa: E402
from archive.read import search as fts  # noqa: E402
from archive.storage import searchindex  # noqa: E402
from archive.storage.db import open_engine  # noqa: E402
from archive.storage.models import Article, ArticleVersion, Flag, Site  # noqa: E402
from archive.storage.records import Extracted, Fetch  # noqa: E402
from archive.storage.store import Archive, _flag_values  # noqa: E402
from archive.vietnamese.textnorm import content_hash  # noqa: E402
from tests.sample_sites.corpus import make_articles  # noqa: E402

SITES = 40
START = datetime(2019, 1, 1, 8, 0)

QUERIES: list[tuple[str, dict]] = [
    ("hội chợ", {}),
    ("hoi cho", {}),
    ("HỘI CHỢ TRIỂN LÃM", {}),
    ("khuyến công", {}),
    ("khuyen cong quoc gia", {}),
    ('"khuyến công quốc gia"', {}),
    ('"hoi nghi tong ket"', {}),
    ("xúc tiến thương mại", {}),
    ("thuong mai dien tu", {}),
    ("an toàn thực phẩm -tập", {}),
    ("điện lực", {}),
    ("dien luc -gia", {}),
    ("xuất khẩu nông sản", {}),
    ("quản lý thị trường hàng giả", {}),
    ("khuyen*", {}),
    ("tap huan*", {}),
    ("hội nghị", {"flag_kinds": ("conference",)}),
    ("kinh phí", {"flag_kinds": ("funding",), "min_vnd": 1_000_000_000}),
    ("hoi cho", {"province": "Bình Dương"}),
    ("cong thuong", {"published_from": datetime(2025, 1, 1).date(),
                     "published_until": datetime(2025, 12, 31).date()}),
]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


#: Departments of former provinces (merged on 1 July 2025) beside the current ones.
FORMER_SITES = ("Bình Dương", "Hải Dương", "Quảng Nam", "Bình Định", "Long An", "Nam Định")


def _sites() -> list[tuple[str, str]]:
    from archive.vietnamese.provinces import CURRENT
    from tests.sample_sites.corpus import slugify

    names = (list(CURRENT) + list(FORMER_SITES))[:SITES]
    return [(f"sct-{slugify(name).replace('-', '')}", f"Sở Công Thương {name}") for name in names]


def fill(engine, n: int, *, seed: int = 14, progress=print) -> dict[str, float]:
    """Bulk-load ``n`` articles (no snapshots): sites, articles, versions, flags."""
    sites = _sites()
    t0 = time.perf_counter()
    with engine.begin() as conn:
        site_ids = []
        for key, name in sites:
            site_ids.append(conn.execute(insert(Site).values(
                key=key, name=name, created_at=datetime.now(UTC))).inserted_primary_key[0])
    rng = random.Random(seed)
    chunk = 5000
    made = 0
    flag_s = 0.0
    while made < n:
        m = min(chunk, n - made)
        start = START + timedelta(days=made * 2800 // max(n, 1))
        arts = make_articles(m, seed=seed + made, start=start, first_id=made + 1)
        with engine.begin() as conn:
            a_rows, v_rows = [], []
            for art in arts:
                sid = site_ids[rng.randrange(len(site_ids))]
                fetched = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(minutes=made)
                a_rows.append({"id": art.id, "site_id": sid, "article_key": f"k{art.id}",
                               "canonical_url": f"http://s{sid}.example.gov.vn/tin/{art.slug}",
                               "first_seen": fetched, "last_seen": fetched})
                v_rows.append({"id": art.id, "article_id": art.id, "number": 1,
                               "content_hash": content_hash(art.title, art.published.date(), art.text),
                               "title": art.title, "published": art.published.date(),
                               "text": art.text, "fetched_at": fetched, "produced_by": "crawl",
                               "extractor": "bench/0", "created_at": fetched})
            conn.execute(insert(Article), a_rows)
            conn.execute(insert(ArticleVersion), v_rows)
            conn.execute(update(Article).where(Article.id.in_([r["id"] for r in a_rows]))
                         .values(current_version_id=Article.id))
            f_rows = []
            tf = time.perf_counter()
            for art in arts:
                lead = "\n".join(art.paragraphs[:2])
                for flag in flag_version(art.title, lead, art.published.date()):
                    f_rows.append(_flag_values(art.id, flag))
            flag_s += time.perf_counter() - tf
            if f_rows:
                conn.execute(insert(Flag), f_rows)
        made += m
        progress(f"  loaded {made}/{n} articles ({time.perf_counter() - t0:.0f} s)")
    if engine.dialect.name == "postgresql":  # the ids were given: move the sequences past them
        with engine.begin() as conn:
            for table in ("articles", "article_versions"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                  f" (SELECT max(id) FROM {table}))"))
    return {"load_s": time.perf_counter() - t0, "flag_s": flag_s}


def bench_reindex(engine) -> dict[str, float]:
    t0 = time.perf_counter()
    with engine.begin() as conn:
        n = searchindex.reindex(conn)
    seconds = time.perf_counter() - t0
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return {"versions": n, "seconds": seconds, "ms_per_article": 1000 * seconds / max(n, 1)}


def bench_write_path(archive: Archive, n: int, seed: int = 99) -> dict[str, float]:
    """Time ``record_page`` and, inside it, the index hook, over ``n`` new articles."""
    spent: list[float] = []
    original = searchindex.index_version

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t)

    searchindex.index_version = timed
    import archive.storage.store as store_module

    had = getattr(store_module, "index_version", None)
    if had is not None:
        store_module.index_version = timed
    arts = make_articles(n, seed=seed, start=datetime(2026, 6, 1, 8))
    total: list[float] = []
    try:
        for art in arts:
            url = f"http://bench.example.gov.vn/tin/{art.slug}"
            fetch = Fetch(url=url, fetched_at=datetime.now(UTC), status=200,
                          body=art.text.encode()[:2000], headers=(("Content-Type", "text/html"),))
            ex = Extracted(url=url, canonical_url=url, article_key=f"w{art.id}", title=art.title,
                           text=art.text, published=art.published.date(), extractor="bench/0")
            t = time.perf_counter()
            archive.record_page("sct-bench-write", fetch, ex)
            total.append(time.perf_counter() - t)
    finally:
        searchindex.index_version = original
        if had is not None:
            store_module.index_version = had
    chars = statistics.mean(len(a.text) for a in arts)
    # the same hook on the seed page's text (7.7 kB, a long real article), in a rolled-back transaction
    seed = (ROOT / "tests" / "data" / "sct-binhduong" / "article.txt").read_text(encoding="utf-8")
    seed_times = []
    with archive.engine.connect() as conn:
        # PostgreSQL's index row needs an existing version (a foreign key): it is replaced, then rolled back
        base = 1 if conn.dialect.name == "postgresql" else 10_000_000
        for i in range(200):
            t = time.perf_counter()
            original(conn, base + i, "Hội nghị tổng kết công tác khuyến công", seed, ())
            seed_times.append(time.perf_counter() - t)
        conn.rollback()
    return {
        "seed_chars": len(seed), "seed_index_ms_median": 1000 * statistics.median(seed_times),
        "articles": n, "mean_text_chars": round(chars),
        "index_ms_mean": 1000 * statistics.mean(spent) if spent else float("nan"),
        "index_ms_p95": 1000 * _pct(spent, 95) if spent else float("nan"),
        "record_page_ms_mean": 1000 * statistics.mean(total),
        "hooked_calls": len(spent),
    }


def bench_queries(engine, repeat: int) -> dict[str, object]:
    """Each search in its own transaction, as a page or a command runs it, in a process whose
    long-lived objects are frozen out of the garbage collector, as ``serve`` does (gc.freeze:
    a full collection over this process's heap took 25-48 ms, inside whichever query ran)."""
    per_query = []
    all_ms: list[float] = []
    gc.collect()
    gc.freeze()
    with engine.connect() as conn:
        for q, kw in QUERIES:
            f = fts.Filters(**kw)
            fts.search(conn, q, f)  # warm-up
            conn.rollback()
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                hits = fts.search(conn, q, f, limit=20)
                conn.rollback()
                times.append(1000 * (time.perf_counter() - t))
            total = fts.count(conn, q, f)
            conn.rollback()
            per_query.append({"query": q, "filters": {k: str(v) for k, v in kw.items()},
                              "matches": total, "hits": len(hits),
                              "p50_ms": round(statistics.median(times), 2),
                              "max_ms": round(max(times), 2)})
            all_ms += times
    return {"p50_ms": round(_pct(all_ms, 50), 2), "p95_ms": round(_pct(all_ms, 95), 2),
            "max_ms": round(max(all_ms), 2), "queries": per_query}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_pages(db_url: str, repeat: int, article_ids: list[int]) -> dict[str, object]:
    try:
        import httpx
    except ImportError:  # the project depends on httpx2 (same API)
        import httpx2 as httpx

    port = _free_port()
    exe = Path(sys.executable).with_name("sct-archive")
    # its log goes to a file: a pipe nobody reads fills up and stalls the server
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(exe), "--db", db_url, "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(200):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                log.seek(0)
                raise RuntimeError("sct-archive serve did not start: " + log.read().decode()[-500:])
            results = {}
            search_urls = []
            for q, kw in QUERIES:
                params = {"q": q}
                if "province" in kw:
                    params["province"] = kw["province"]
                if "flag_kinds" in kw:
                    params["flag"] = kw["flag_kinds"][0]
                if "min_vnd" in kw:
                    params["min_vnd"] = str(kw["min_vnd"])
                if "published_from" in kw:
                    params["from"] = kw["published_from"].isoformat()
                    params["until"] = kw["published_until"].isoformat()
                search_urls.append(("/search", params))
            article_urls = [(f"/articles/{i}", {}) for i in article_ids]
            for name, urls in (("search", search_urls), ("article", article_urls)):
                for path, params in urls:  # warm-up
                    client.get(path, params=params)
                times, statuses = [], {}
                for _ in range(repeat):
                    for path, params in urls:
                        t = time.perf_counter()
                        r = client.get(path, params=params)
                        times.append(1000 * (time.perf_counter() - t))
                        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                results[name] = {"requests": len(times), "p50_ms": round(_pct(times, 50), 2),
                                 "p95_ms": round(_pct(times, 95), 2), "max_ms": round(max(times), 2),
                                 "statuses": statuses}
            return results
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.seek(0)
        tail = log.read().decode(errors="replace")[-2000:]
        log.close()
        if proc.returncode not in (0, -15):
            print(f"serve exited {proc.returncode}:\n{tail}", file=sys.stderr)


def run_backend(name: str, url: str, args, log) -> dict[str, object]:
    log(f"{name}: filling {args.articles} articles")
    engine = open_engine(url)
    out: dict[str, object] = {"backend": name, "articles": args.articles}
    out["load"] = fill(engine, args.articles, progress=log)
    log(f"{name}: reindex")
    out["reindex"] = bench_reindex(engine)
    log(f"{name}: queries")
    out["queries"] = bench_queries(engine, args.repeat)
    log(f"{name}: write path ({args.write_sample} articles)")
    archive = Archive(engine)
    out["write_path"] = bench_write_path(archive, args.write_sample)
    if args.serve:
        log(f"{name}: pages under serve")
        rng = random.Random(5)
        ids = [rng.randint(1, args.articles) for _ in range(100)]
        try:
            out["pages"] = bench_pages(url, args.repeat, ids)
        except Exception as exc:  # the other figures are kept
            log(f"{name}: pages failed: {exc!r}")
            out["pages_error"] = repr(exc)
    engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--write-sample", type=int, default=1000)
    p.add_argument("--no-serve", dest="serve", action="store_false")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    backends = args.backend or ["sqlite", "postgresql"]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    results = []
    with tempfile.TemporaryDirectory(prefix="sct-search-bench-") as tmp:
        for backend in backends:
            if backend == "sqlite":
                results.append(run_backend("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args, log))
            else:
                from tests.pgserver import PostgresServer

                server = PostgresServer().start()
                try:
                    results.append(run_backend("postgresql", server.url(server.create_database()), args, log))
                finally:
                    server.stop()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
        return 0
    for r in results:
        q, w, ri = r["queries"], r["write_path"], r["reindex"]
        print(f"\n== {r['backend']}: {r['articles']} articles ==")
        print(f"search() top 20 with snippets: p50 {q['p50_ms']} ms, p95 {q['p95_ms']} ms, max {q['max_ms']} ms")
        for item in q["queries"]:
            print(f"  {item['p50_ms']:8.2f} ms  {item['matches']:7d} matches  {item['query']} {item['filters'] or ''}")
        print(f"bulk index (reindex): {ri['seconds']:.1f} s, {ri['ms_per_article']:.3f} ms per article")
        print(f"write path: index hook {w['index_ms_mean']:.3f} ms mean ({w['index_ms_p95']:.3f} p95) per article "
              f"of {w['mean_text_chars']} chars; record_page {w['record_page_ms_mean']:.2f} ms mean "
              f"({w['hooked_calls']} hooked calls); on the {w['seed_chars']}-char seed article "
              f"{w['seed_index_ms_median']:.3f} ms (median)")
        if "pages" in r:
            for name, pr in r["pages"].items():
                print(f"page /{name}: p50 {pr['p50_ms']} ms, p95 {pr['p95_ms']} ms over {pr['requests']} requests {pr['statuses']}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("SCT_ARCHIVE_LOG_FORMAT", "text")
    sys.exit(main())
