"""``sct-archive import``: saved pages and WARC captures into the archive."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.errors import ArchiveError, InputError
from crawler.commands.interrupts import interruptible
from crawler.inputs import check_html, max_body, megabytes, read_capped
from crawler.registry import Site, load_registry
from crawler.warc import EXIT_DAMAGED, WarcReader, is_warc

WHEN = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])
ENV_PROGRESS = "SCT_ARCHIVE_PROGRESS_RECORDS"
BIG_WARC = 20_000_000  # bytes: progress every tenth of such a file too
POOL_MIN_BYTES = 2_000_000  # WARC files smaller than this are read in this process
LOOKUP_CHUNK = 16  # WARC records whose "already archived?" is asked in one query
T = TypeVar("T")
WHAT = {"new": "new article", "changed": "new version", "unchanged": "unchanged",
        "returned": "returned to an earlier version", "rejected": "not archived"}


def _progress_every() -> int:
    try:
        return max(1, int(os.environ.get(ENV_PROGRESS) or 500))
    except ValueError:
        return 500


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", help="The URL a saved HTML page was fetched from (required for HTML files).")
@click.option("--site", "site_key", metavar="KEY",
              help="Registry site the pages belong to (default: found from the URL's host).")
@click.option("--fetched-at", type=WHEN, metavar="DATETIME",
              help="When a saved HTML page was fetched (UTC; default: the file's modification time).")
@click.option("--workers", type=click.IntRange(min=0), default=None, metavar="N",
              help="Extraction processes for WARC files (default: one per core for files over "
                   "2 MB; 0 reads in this process). Writes stay in this process, in order.")
@db_option
@json_option
def import_(files: tuple[Path, ...], url: str | None, site_key: str | None,
            fetched_at: datetime | None, workers: int | None, db: str | None, as_json: bool) -> None:
    """Archive saved HTML pages or WARC captures through the crawl's extraction and versioning.

    \b
    A saved page needs the URL it came from:
      sct-archive import article.html --url http://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/…
    A WARC (.warc or .warc.gz) carries its own URLs and fetch dates; every HTML
    response in it is archived (article pages become versions, the rest snapshots):
      sct-archive import captures.warc.gz --site sct-binhduong

    A capture the archive already holds (its own `export --format warc`) is recorded
    as seen again, never as a new article. Pages over the crawler's size cap
    (DOWNLOAD_MAXSIZE, or $SCT_ARCHIVE_MAX_BODY bytes) and files that are not HTML
    are refused. Progress is printed every 500 WARC records
    ($SCT_ARCHIVE_PROGRESS_RECORDS) and every tenth of a WARC over 20 MB.

    \b
    Each article is whole or absent: a failure never leaves half an article behind
    (a WARC's articles are committed 16 at a time, each in a savepoint of its own).
    Exit status: 0 all imported; 1 a file (or a WARC record) could not be imported;
    65 a WARC ends in a truncated or corrupt record (the complete records before it
    are imported); 130/143 interrupted by SIGINT/SIGTERM (after a whole article).
    """
    from archive.storage.records import Fetch
    from crawler.extraction.pool import ExtractionPool, Job
    from crawler.identity import archived_site, site_for_url, stored_snapshots
    from crawler.ingest import ingest
    from crawler.profiles import profile_for

    ctx = click.get_current_context().find_object(AppContext) or AppContext()
    registry = load_registry()
    results: list[dict] = []
    failures = 0
    damaged = 0
    totals: Counter[str] = Counter()
    cap = max_body()
    every = _progress_every()
    with ctx.archive(db, create=True) as archive, interruptible() as stop:
        runs: dict[str, int] = {}
        forced: Site | None = None
        if site_key:
            forced = (registry.get(site_key) if site_key in registry
                      else archived_site(archive, site_key, registry))
            if forced is None:
                registry.get(site_key)  # the registry's "unknown site" error

        def site_of(page_url: str) -> Site:
            return forced or site_for_url(archive, registry, page_url)

        def run_for(site: Site) -> int:
            if site.key not in runs:
                archive.site_id(site.key, name=site.name, base_url=site.base_url, profile=site.profile)
                runs[site.key] = archive.start_run(site.key, trigger="import")
            return runs[site.key]

        for path in files:
            if stop.requested:
                break
            try:
                if not path.exists():
                    raise InputError(f"no such file: {path}")
                if is_warc(path):
                    reader = WarcReader(path, max_body=cap)
                    counts: Counter[str] = Counter()
                    shown = 0  # tenths of a large file reported

                    def positioned(reader: WarcReader):  # each response, where the reader was then
                        for response in reader:
                            yield response, reader.records, reader.percent

                    def job_of(item) -> Job | None:
                        # only the pages _import_record will extract go to the pool
                        response = item[0]
                        if response.too_large or not response.is_html:
                            return None
                        fetch = response.fetch
                        site = site_of(fetch.url)
                        head = fetch.body[:200_000].decode("utf-8", "replace")
                        if fetch.status != 200 or not profile_for(site, head, fetch.url).is_article_url(fetch.url):
                            return None
                        return Job(fetch.body, fetch.url, fetch.header("content-type"),
                                   None if site.profile == "auto" else site.profile, fetch.fetched_at,
                                   store_body=True)

                    n_workers = workers if workers is not None else (
                        None if path.stat().st_size > POOL_MIN_BYTES else 0)
                    with ExtractionPool(n_workers) as pool, archive.grouped() as commit:
                        for chunk in _chunks(pool.map(positioned(reader), job_of, derive=True),
                                             LOOKUP_CHUNK):
                            # "already archived?" for the whole chunk in one query; a capture
                            # stored earlier in the chunk is found in ``known`` too
                            known = stored_snapshots(
                                archive, [_capture(r, d) for (r, _, _), d in chunk if not r.too_large])
                            for (response, records, percent), read in chunk:
                                if response.too_large:
                                    counts["over the size cap"] += 1
                                    click.echo(f"Warning: {path}: {response.url}: "
                                               f"{megabytes(response.length)} is over the page size "
                                               f"cap of {megabytes(cap)}; skipped", err=True)
                                else:
                                    capture = _capture(response, read)
                                    what, snapshot_id = _import_record(
                                        archive, site_of, run_for, response, read,
                                        known=known.get(capture))
                                    counts[what] += 1
                                    if snapshot_id is not None:
                                        known.setdefault(capture, snapshot_id)
                                step = percent // 10 if reader.size > BIG_WARC else 0
                                if not as_json and not ctx.quiet and (records % every == 0
                                                                      or step > shown):
                                    click.echo(f"{path}: {records} records read "
                                               f"({percent}% of the file)", err=True)
                                shown = max(shown, step)
                                if stop.requested:
                                    break
                            commit()  # the chunk's articles, whole
                            if stop.requested:
                                break
                    totals.update(counts)
                    results.append({"file": str(path), "warc": True, "outcomes": dict(counts),
                                    **({"error": reader.damage} if reader.damage else {})})
                    summary = ", ".join(f"{n} {k}" for k, n in counts.most_common())
                    if not as_json and summary:
                        click.echo(f"{path}: {summary}")
                    if counts["over the size cap"]:
                        failures += 1
                    if reader.damage:
                        damaged += 1
                        click.echo(f"Error: {reader.damage}", err=True)
                    elif reader.responses == 0 and not stop.requested:
                        raise InputError(f"{path}: no HTTP response records in this WARC")
                    continue
                if not url:
                    raise ArchiveError(f"{path} is an HTML page: give the URL it was fetched from with --url")
                body = read_capped(path)
                if not body.strip():
                    raise InputError(f"{path} is empty")
                check_html(str(path), body)
                when = (fetched_at.replace(tzinfo=UTC) if fetched_at else
                        datetime.fromtimestamp(os.path.getmtime(path), UTC))
                site = site_of(url)
                fetch = Fetch(url=url, fetched_at=when, status=200, body=body,
                              headers=(("Content-Type", "text/html"),), source="import")
                result = ingest(archive, site, fetch, produced_by="import", run_id=run_for(site))
                if result.error:
                    raise InputError(f"{path}: {result.error}")
                o = result.outcome
                totals[o.status] += 1
                results.append({"file": str(path), "site": site.key, "status": o.status,
                                "article_id": o.article_id, "version_id": o.version_id,
                                "reason": o.reason})
                if not as_json:
                    extra = f" ({o.reason})" if o.reason else ""
                    click.echo(f"{path}: {WHAT.get(o.status, o.status)}{extra} → article "
                               f"{o.article_id if o.article_id else '—'}")
            except (ArchiveError, InputError) as exc:
                failures += 1
                results.append({"file": str(path), "error": str(exc)})
                click.echo(f"Error: {exc}", err=True)
        outcome = ("interrupted" if stop.requested else
                   "failed" if failures or damaged else "finished")
        for run in runs.values():
            archive.finish_run(run, outcome,
                               new_articles=totals["new"], new_versions=totals["changed"],
                               unchanged=totals["unchanged"] + totals["returned"],
                               failed=failures + totals["rejected"], pages=sum(totals.values()))
    if as_json:
        echo_json({"files": results, "totals": dict(totals), "failures": failures,
                   "damaged": damaged, "interrupted": stop.requested})
    if stop.requested:
        done = ", ".join(f"{n} {k}" for k, n in totals.most_common()) or "nothing imported"
        stop.exit(f"import stopped after a whole record ({done})")
    if damaged:
        raise SystemExit(EXIT_DAMAGED)
    if failures:
        raise SystemExit(1)


def _chunks(items: Iterable[T], n: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def _capture(response, read) -> tuple[str, datetime, str]:
    """What makes a WARC response the same capture as a stored snapshot."""
    fetch = response.fetch
    derived = read[2] if read is not None else None
    digest = (derived.body.sha256 if derived is not None and derived.body is not None
              else hashlib.sha256(fetch.body).hexdigest())
    return fetch.url, fetch.fetched_at, digest


def _import_record(archive, site_of, run_for, response, read=None, *, known=None
                   ) -> tuple[str, int | None]:
    """Archive one WARC response: what became of it (an outcome or a snapshot-only reason)
    and the snapshot stored for it (None: none new).

    ``read`` is what the extraction pool made of the page, with the derived values;
    ``known`` the stored snapshot that already holds this capture.
    """
    from crawler.ingest import ingest
    from crawler.profiles import profile_for

    fetch = response.fetch
    site = site_of(fetch.url)
    run = run_for(site)
    if not response.is_html:
        if known is not None:
            return "snapshot only (already archived)", None
        return "snapshot only (not HTML)", archive.record_snapshot(site.key, fetch, run_id=run)
    head = fetch.body[:200_000].decode("utf-8", "replace")
    if not profile_for(site, head, fetch.url).is_article_url(fetch.url):
        if known is not None:
            return "snapshot only (already archived)", None
        return ("snapshot only (not an article page)",
                archive.record_snapshot(site.key, fetch, run_id=run))
    result = ingest(archive, site, fetch, produced_by="import", run_id=run, snapshot_id=known,
                    read=read and read[:2], derived=read and read[2])
    return result.outcome.status, (result.outcome.snapshot_id if known is None else None)
