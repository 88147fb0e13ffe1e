"""``sct-archive crawl``: run the news spider for registered sites or a bare URL.

Each site is crawled under its lease (:mod:`archive.storage.leases`), so two crawls of one
site never overlap — whoever started them (a daemon, a manual recrawl, a second
daemon on the same database). Several sites run side by side in one Scrapy
process (one reactor); a scheduler runs each crawl in its own process.

Exit codes (docs/outcomes.md, archive/outcomes.py): 0 finished or partial, 65 empty,
69 unreachable, 1 failed, 130/143 interrupted by SIGINT/SIGTERM (the spider closes cleanly,
the run is recorded, the last line says "interrupted"), 75 every requested site busy
(EX_TEMPFAIL). With several sites the most severe outcome decides.
"""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from typing import Any

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.errors import InputError
from archive.outcomes import EXIT_BUSY, EXIT_INTERRUPTED, exit_code

__all__ = ["EXIT_BUSY", "EXIT_INTERRUPTED", "crawl", "run_crawls", "summary_line"]
from crawler.registry import adhoc_site, load_registry

log = logging.getLogger(__name__)



def parse_set_options(values: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs, as ``scrapy crawl`` takes them."""
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"-s expects NAME=VALUE, got {item!r}")
        out[name.strip()] = value
    return out


def crawl_settings(db_url: str, overrides: dict[str, Any] | None = None, *, verbose: int = 0,
                   sites_file: str | None = None):
    """Scrapy settings: crawler.settings, the archive URL, then ``-s`` overrides (cmdline)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_DATABASE_URL", db_url, priority="project")
    sites_file = sites_file or os.environ.get("SCT_ARCHIVE_SITES")
    if sites_file:
        settings.set("ARCHIVE_SITES_FILE", sites_file, priority="project")
    settings.set("LOG_LEVEL", "DEBUG" if verbose > 1 else ("INFO" if verbose else "WARNING"),
                 priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


class _LibraryFilter(logging.Filter):
    """Scrapy (re)configures its loggers at DEBUG; our handler keeps them at ``level``."""

    OURS = ("archive", "crawler", "scheduler")

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.OURS):
            return True
        if record.exc_info and _network_error(record.exc_info[1]):
            # a refused connection or a timeout is news about the site, not a bug: one line
            record.exc_info = None
            record.exc_text = None
        return record.levelno >= self.level


def _network_error(exc: BaseException | None) -> bool:
    names = {"ConnectionRefusedError", "DNSLookupError", "TimeoutError", "ConnectError",
             "ConnectionLost", "ResponseNeverReceived", "TCPTimedOutError", "ConnectionDone"}
    while exc is not None:
        name = type(exc).__name__
        if name in names or name.startswith("Download"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def run_crawls(
    db_url: str,
    targets: list[dict[str, Any]],
    overrides: dict[str, Any],
    *,
    verbose: int = 0,
    sites_file: str | None = None,
    received: list[int] | None = None,
) -> dict[str, str]:
    """Crawl every target (spider kwargs) in one reactor; site key → close reason.

    The shutdown signals Scrapy handles (SIGINT, SIGTERM) are appended to ``received``.
    """
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.news import NewsSpider

    settings = crawl_settings(db_url, overrides, verbose=verbose, sites_file=sites_file)
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    # Our handler (sct-archive's --log-format, -v/-q) stays in charge; Scrapy's own
    # loggers speak up only with -v (-vv for its debug lines).
    library_level = logging.DEBUG if verbose > 1 else (logging.INFO if verbose else logging.WARNING)
    quiet_libraries = _LibraryFilter(library_level)
    for handler in logging.getLogger().handlers:
        handler.addFilter(quiet_libraries)
    process = CrawlerProcess(settings)
    if received is not None:
        graceful = process._signal_shutdown  # installed when the reactor starts

        def _record(signum, frame):
            received.append(signum)
            graceful(signum, frame)

        process._signal_shutdown = _record
    reasons: dict[str, str] = {}
    for kwargs in targets:
        crawler = process.create_crawler(NewsSpider)
        key = kwargs.get("site") or kwargs.get("url")

        def _closed(spider, reason, _key=key):
            reasons[getattr(spider, "site_key", _key)] = reason

        crawler.signals.connect(_closed, signal=signals.spider_closed)
        process.crawl(crawler, **kwargs)
    process.start()
    return reasons


@click.command("crawl")
@click.argument("sites", nargs=-1, metavar="[SITE]...")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Without SITE: crawl the site of this URL (registered or not; its CMS is "
                   "recognized from its pages). With SITE: also fetch this article URL now.")
@click.option("--full", is_flag=True,
              help="Walk every listing page and look at every article, not just what is new or due.")
@click.option("-s", "--set", "set_options", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or ARCHIVE_* setting for this run, e.g. -s DOWNLOAD_DELAY=0.")
@click.option("--trigger", type=click.Choice(["manual", "schedule", "recrawl"]), default="manual",
              show_default=True, help="Recorded with the run (the scheduler passes schedule/recrawl).")
@click.option("--request-id", type=int, default=None, hidden=True,
              help="The queued recrawl request this run serves (set by the daemon).")
@click.option("--lease-ttl", type=float, default=None, metavar="SECONDS",
              help="Lease expiry if this process dies (default: $SCT_ARCHIVE_LEASE_TTL or 120).")
@click.option("--workers", type=click.IntRange(min=0), default=None, metavar="N",
              help="Extraction processes (default: one per core; 0 reads in this process). "
                   "The writes stay in this process: the rows are the same. "
                   "Same as -s ARCHIVE_EXTRACT_WORKERS=N.")
@db_option
@json_option
@click.pass_obj
def crawl(app: AppContext, sites: tuple[str, ...], urls: tuple[str, ...], full: bool,
          set_options: tuple[str, ...], trigger: str, request_id: int | None,
          lease_ttl: float | None, workers: int | None, db: str | None, as_json: bool) -> None:
    """Crawl sites into the archive: what is new, plus known articles due for a revisit.

    \b
    Examples:
      sct-archive crawl sct-binhduong               incremental crawl of one registered site
      sct-archive crawl sct-hanoi moit --full       walk everything on two sites
      sct-archive crawl --url https://example.gov.vn/tin-tuc   a site not in the registry
      sct-archive crawl sct-binhduong -s DOWNLOAD_DELAY=0 -s ARCHIVE_STOP_AFTER_KNOWN=30

    Polite by default (robots.txt, AutoThrottle, one request at a time per site, retries
    with backoff); per-site overrides live in the registry, `-s` wins over both.
    Progress is logged every ARCHIVE_PROGRESS_INTERVAL seconds. Equivalent Scrapy
    command: scrapy crawl news -a site=KEY [-a full=1].

    \b
    Each site's run ends with one line saying its outcome, and the exit code tells it:
      0    finished (complete) or partial (some requests failed, or a bound was hit)
      65   empty: pages were fetched but no article was found, or every article failed
      69   unreachable: the start URLs could not be fetched (DNS, refused, timeouts)
      1    failed: the crawl itself broke
      143  interrupted by SIGTERM (130 by SIGINT; the run is recorded)
      75   every requested site was busy (another crawl holds its lease)
    """
    from archive.storage.db import open_engine
    from archive.storage.leases import SiteBusy, default_ttl, hold_lease, release_dead_holders

    if not sites and not urls:
        raise click.UsageError("give at least one SITE (see `sct-archive sites`) or --url URL")
    overrides = parse_set_options(set_options)
    if workers is not None:
        overrides["ARCHIVE_EXTRACT_WORKERS"] = workers
    registry = load_registry(os.environ.get("SCT_ARCHIVE_SITES"))
    targets: list[dict[str, Any]] = []
    if sites:
        for key in sites:
            registry.get(key)  # unknown keys fail before anything starts
            targets.append({"site": key, "urls": list(urls), "full": full, "trigger": trigger})
    else:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise InputError(f"not an http(s) URL: {url}")
            site = registry.for_url(url) or adhoc_site(url)
            targets.append({"site": site.key if registry.for_url(url) else None, "url": url,
                            "full": full, "trigger": trigger})
    db_url = app.db_url(db)
    engine = open_engine(db_url)
    ttl = lease_ttl or default_ttl()  # $SCT_ARCHIVE_LEASE_TTL, checked, else 120 s
    busy: list[str] = []
    freed = release_dead_holders(engine)  # crawls of this host killed without cleanup
    if freed:
        log.info("took over the leases of dead crawls: %s", ", ".join(freed))
    with ExitStack() as stack:
        runnable = []
        for target in targets:
            key = target.get("site") or adhoc_site(target["url"]).key
            try:
                stack.enter_context(hold_lease(engine, key, ttl=ttl))
            except SiteBusy as exc:
                click.echo(f"skipped: {exc}", err=True)
                busy.append(key)
                continue
            runnable.append(target)
        if not runnable:
            engine.dispose()
            raise click.exceptions.Exit(EXIT_BUSY)
        received: list[int] = []
        reasons = run_crawls(db_url, runnable, overrides, verbose=app.verbose, received=received)
    summary = _summaries(engine, list(reasons))
    engine.dispose()
    if as_json:
        echo_json({"runs": summary, "busy": busy})
    elif not app.quiet:
        for row in summary:
            click.echo(summary_line(row))
    outcomes = {row["outcome"] for row in summary}
    if received or "interrupted" in outcomes or any(r == "shutdown" for r in reasons.values()):
        import signal

        signum = received[0] if received else signal.SIGTERM
        click.echo(f"interrupted ({signal.Signals(signum).name}): every article archived "
                   "before the signal is whole", err=True)
        raise click.exceptions.Exit(128 + int(signum))
    if len(summary) < len(reasons):
        outcomes.add("failed")
    code = exit_code(outcomes)
    if code:
        raise click.exceptions.Exit(code)


def summary_line(row: dict[str, Any]) -> str:
    """``SITE: OUTCOME — why; N pages, …``: the outcome in words, then the counts."""
    why = row.get("why") or {"finished": "complete"}.get(row["outcome"], "")
    return (
        f"{row['site']}: {row['outcome']} — {why + '; ' if why else ''}{row['pages']} pages, "
        f"{row['new_articles']} new, {row['new_versions']} changed, {row['unchanged']} unchanged, "
        f"{row['not_modified']} not modified, {row['failed']} failed"
    )


def _summaries(engine, keys: list[str]) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from archive.storage.models import CrawlRun, Site

    out = []
    with Session(engine) as s:
        for key in keys:
            run = s.scalars(
                select(CrawlRun).join(Site).where(Site.key == key).order_by(CrawlRun.id.desc()).limit(1)
            ).first()
            if run is None:
                continue
            out.append({
                "site": key, "run_id": run.id, "outcome": run.outcome, "pages": run.pages,
                "new_articles": run.new_articles, "new_versions": run.new_versions,
                "unchanged": run.unchanged, "not_modified": run.not_modified, "failed": run.failed,
                "complete": run.complete, "health": run.health, "why": run.error,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            })
    return out
