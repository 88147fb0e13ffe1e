"""``sct-archive import``: saved pages and WARC captures into the archive."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.errors import ArchiveError, InputError
from archive.storage.records import Fetch
from crawler.ingest import ingest, profile_for
from crawler.registry import Site, adhoc_site, load_registry
from crawler.warc import is_warc, iter_warc_responses

WHEN = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])


def _site(key: str | None, url: str) -> Site:
    registry = load_registry()
    if key:
        return registry.get(key)
    return registry.for_url(url) or adhoc_site(url)


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not data.strip():
        raise InputError(f"{path} is empty")
    return data


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", help="The URL a saved HTML page was fetched from (required for HTML files).")
@click.option("--site", "site_key", metavar="KEY",
              help="Registry site the pages belong to (default: found from the URL's host).")
@click.option("--fetched-at", type=WHEN, metavar="DATETIME",
              help="When a saved HTML page was fetched (UTC; default: the file's modification time).")
@db_option
@json_option
def import_(files: tuple[Path, ...], url: str | None, site_key: str | None,
            fetched_at: datetime | None, db: str | None, as_json: bool) -> None:
    """Archive saved HTML pages or WARC captures through the crawl's extraction and versioning.

    \b
    A saved page needs the URL it came from:
      sct-archive import article.html --url http://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/…
    A WARC (.warc or .warc.gz) carries its own URLs and fetch dates; every HTML
    response in it is archived (article pages become versions, the rest snapshots):
      sct-archive import captures.warc.gz --site sct-binhduong

    Each article is one transaction: a failure never leaves half an article behind.
    Exit status 1 if any file could not be imported.
    """
    ctx = click.get_current_context().find_object(AppContext) or AppContext()
    results: list[dict] = []
    failures = 0
    totals: Counter[str] = Counter()
    with ctx.archive(db) as archive:
        runs: dict[str, int] = {}

        def run_for(site: Site) -> int:
            if site.key not in runs:
                archive.site_id(site.key, name=site.name, base_url=site.base_url, profile=site.profile)
                runs[site.key] = archive.start_run(site.key, trigger="import")
            return runs[site.key]

        for path in files:
            try:
                if not path.exists():
                    raise InputError(f"no such file: {path}")
                if is_warc(path):
                    counts: Counter[str] = Counter()
                    for fetch, is_html in iter_warc_responses(path):
                        site = _site(site_key, fetch.url)
                        run = run_for(site)
                        if not is_html:
                            archive.record_snapshot(site.key, fetch, run_id=run)
                            counts["snapshot only (not HTML)"] += 1
                            continue
                        head = fetch.body[:200_000].decode("utf-8", "replace")
                        if not profile_for(site, head, fetch.url).is_article_url(fetch.url):
                            archive.record_snapshot(site.key, fetch, run_id=run)
                            counts["snapshot only (not an article page)"] += 1
                            continue
                        result = ingest(archive, site, fetch, produced_by="import", run_id=run)
                        counts[result.outcome.status] += 1
                    totals.update(counts)
                    results.append({"file": str(path), "warc": True, "outcomes": dict(counts)})
                    summary = ", ".join(f"{n} {k}" for k, n in counts.most_common()) or "no records"
                    if not as_json:
                        click.echo(f"{path}: {summary}")
                    continue
                if not url:
                    raise ArchiveError(f"{path} is an HTML page: give the URL it was fetched from with --url")
                body = _read(path)
                when = (fetched_at.replace(tzinfo=UTC) if fetched_at else
                        datetime.fromtimestamp(os.path.getmtime(path), UTC))
                site = _site(site_key, url)
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
                    what = {"new": "new article", "changed": "new version", "unchanged": "unchanged",
                            "returned": "returned to an earlier version", "rejected": "not archived"}
                    extra = f" ({o.reason})" if o.reason else ""
                    click.echo(f"{path}: {what.get(o.status, o.status)}{extra} → article "
                               f"{o.article_id if o.article_id else '—'}")
            except (ArchiveError, InputError) as exc:
                failures += 1
                results.append({"file": str(path), "error": str(exc)})
                click.echo(f"Error: {exc}", err=True)
        for run in runs.values():
            archive.finish_run(run, "finished" if not failures else "failed",
                               new_articles=totals["new"], new_versions=totals["changed"],
                               unchanged=totals["unchanged"] + totals["returned"],
                               failed=failures + totals["rejected"], pages=sum(totals.values()))
    if as_json:
        echo_json({"files": results, "totals": dict(totals), "failures": failures})
    if failures:
        raise SystemExit(1)
