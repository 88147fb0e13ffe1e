"""``sct-archive status``: per site, the last run, the next one, the queue, the lease, health.

A site is *unhealthy* (``status`` exits 1) when its recent runs say its crawl is broken:

- ``health_max_failures`` failed or timed-out runs in a row;
- its last ``health_runs`` finished runs fetched no listing page, or found no article
  link on any listing page (the start URLs or the CMS profile no longer fit the site);
- more than ``health_max_empty_text`` of the article pages of those runs gave no main
  text, or more than ``health_max_no_date`` no publication date (judged from
  ``health_min_pages`` article pages on).

The run counters come from ``crawl_runs.health`` (``listing_pages``, ``empty_listings``,
``article_pages``, ``empty_text``, ``no_date``); a missing key counts as 0. Notes
(never crawled, one failed run, a stale lease…) are shown but do not make a site
unhealthy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from archive.storage.leases import live_leases
from archive.storage.models import CrawlRun
from archive.storage.models import Site as SiteRow
from scheduler import queue
from scheduler.config import SchedulerConfig
from scheduler.daemon import scheduled_jobs

FAILED_OUTCOMES = ("failed", "timeout")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _run_dict(run: CrawlRun) -> dict[str, Any]:
    return {
        "id": run.id, "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
        "outcome": run.outcome, "trigger": run.trigger, "full": run.full, "pages": run.pages,
        "new_articles": run.new_articles, "new_versions": run.new_versions,
        "failed": run.failed, "error": run.error,
    }


def _count(health: dict[str, Any] | None, key: str) -> int:
    try:
        return int((health or {}).get(key) or 0)
    except (TypeError, ValueError):
        return 0


def assess(runs: list[CrawlRun], config: SchedulerConfig) -> tuple[list[str], list[str]]:
    """(warnings, notes) of a site from its runs, newest first."""
    warnings: list[str] = []
    notes: list[str] = []
    if not runs:
        return warnings, ["never crawled"]
    ended = [r for r in runs if r.outcome != "running"]
    streak = 0
    for run in ended:
        if run.outcome not in FAILED_OUTCOMES:
            break
        streak += 1
    if streak and streak >= config.health_max_failures:
        last = ended[0]
        why = f": {last.error.splitlines()[0][:200]}" if last.error else ""
        warnings.append(f"failing: the last {streak} runs {last.outcome if streak == 1 else 'failed or timed out'}{why}")
    elif streak:
        notes.append(f"the last run {'timed out' if ended[0].outcome == 'timeout' else 'failed'}")
    # Health counters of runs that walked the listings (a recrawl of given URLs does not).
    walked = [
        r for r in ended
        if r.outcome == "finished" and r.health is not None and (r.trigger != "recrawl" or r.full)
    ][: config.health_runs]
    if walked:
        n = len(walked)
        runs_word = "run" if n == 1 else f"{n} runs"
        listing = sum(_count(r.health, "listing_pages") for r in walked)
        empty = sum(_count(r.health, "empty_listings") for r in walked)
        if listing == 0:
            warnings.append(f"no listing page fetched in the last {runs_word}")
        elif empty >= listing:
            warnings.append(f"no article links on any listing page in the last {runs_word}")
    judged = [r for r in ended if r.outcome == "finished" and r.health is not None][: config.health_runs]
    pages = sum(_count(r.health, "article_pages") for r in judged)
    if pages and pages >= config.health_min_pages:
        for key, limit, what in (
            ("empty_text", config.health_max_empty_text, "without main text"),
            ("no_date", config.health_max_no_date, "without a publication date"),
        ):
            share = sum(_count(r.health, key) for r in judged) / pages
            if share > limit:
                warnings.append(f"{share:.0%} of {pages} article pages {what} "
                                f"(limit {limit:.0%}) in the last {len(judged)} run(s)")
    if ended and ended[0].outcome == "interrupted":
        notes.append("the last run was interrupted")
    return warnings, notes


def site_status(engine: Engine, registry: Any, config: SchedulerConfig, *,
                keys: Iterable[str] = (), include_disabled: bool = False) -> list[dict[str, Any]]:
    """One status object per site: the given keys, else the enabled (or all) registry sites."""
    keys = list(keys)
    if keys:
        sites = [registry.get(key) for key in keys]
    else:
        sites = list(registry) if include_disabled else list(registry.enabled())
    jobs = scheduled_jobs(engine)
    open_requests: dict[str, list[queue.Request]] = {}
    for req in queue.requests(engine):
        open_requests.setdefault(req.site_key, []).append(req)
    leases = live_leases(engine)
    depth = max(config.health_runs, config.health_max_failures) + 5
    out = []
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        for site in sites:
            runs = list(session.scalars(
                select(CrawlRun).join(SiteRow, SiteRow.id == CrawlRun.site_id)
                .where(SiteRow.key == site.key).order_by(CrawlRun.id.desc()).limit(depth)
            ))
            warnings, notes = assess(runs, config)
            lease = leases.get(site.key)
            running = [r for r in runs if r.outcome == "running"]
            if running and lease is None:
                notes.append(f"run #{running[0].id} is marked running but no crawl holds the site's lease "
                             "(killed? the next crawl or daemon start closes it)")
            last = next((r for r in runs if r.outcome != "running"), None)
            next_run = jobs.get(site.key)
            out.append({
                "site": site.key,
                "name": site.name,
                "enabled": site.enabled,
                "schedule": site.schedule,
                "last_run": _run_dict(last) if last is not None else None,
                "running": _run_dict(running[0]) if running else None,
                "next_run": _iso(next_run) if site.enabled else None,
                "queued": [r.to_dict() for r in open_requests.get(site.key, [])],
                "lease": {"holder": lease[0], "expires_at": lease[1].isoformat()} if lease else None,
                "healthy": not warnings,
                "warnings": warnings,
                "notes": notes,
            })
    return out


def report(engine: Engine, registry: Any, config: SchedulerConfig, **kwargs: Any) -> dict[str, Any]:
    sites = site_status(engine, registry, config, **kwargs)
    return {
        "checked_at": datetime.now(UTC).isoformat(),
        "sites": sites,
        "unhealthy": [s["site"] for s in sites if s["enabled"] and not s["healthy"]],
        "queued": sum(1 for s in sites for r in s["queued"] if r["status"] == queue.QUEUED),
    }


def ops_report(engine: Engine) -> dict[str, Any]:
    """The ``status --json`` report, for the ops view of ``sct-archive serve`` (``/sites``).

    Found through the ``sct_archive.ops`` entry point (the archive never imports the
    scheduler); the configuration and registry are the defaults ``status`` would use
    (``$SCT_ARCHIVE_CONFIG``, ``$SCT_ARCHIVE_SITES``). Reads only.
    """
    from crawler.registry import load_registry
    from scheduler.config import load_config

    config = load_config(None)
    return report(engine, load_registry(config.sites_file), config)
