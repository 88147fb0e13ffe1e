"""``sct-archive status``: per site, the last run, the next one, the queue, the lease, health.

A site is *unhealthy* (``status`` exits 1) when its recent runs say its crawl is broken —
judged the same way for every kind of run (scheduled, recrawl, incremental, full):

- its latest run ended ``empty``, ``unreachable``, ``failed`` or ``timeout``
  (:mod:`archive.outcomes`), or ``health_max_failures`` such runs came in a row;
- its last ``health_runs`` finished runs fetched no listing page, or found no article
  link on any listing page (the start URLs or the CMS profile no longer fit the site);
- more than ``health_max_empty_text`` of the article pages of those runs gave no main
  text, or more than ``health_max_no_date`` no publication date (judged from
  ``health_min_pages`` article pages on).

The run counters come from ``crawl_runs.health`` (``listing_pages``, ``empty_listings``,
``article_pages``, ``empty_text``, ``no_date``); a missing key counts as 0. Notes
(never crawled, a partial or interrupted run, a stale lease…) are shown but do not make
a site unhealthy.

Every site with runs in the archive is known, registered or not (an ad hoc ``crawl --url``
site is keyed by its host).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from archive.outcomes import BAD_OUTCOMES, GOOD_OUTCOMES, WORDS
from archive.storage.leases import live_leases
from archive.storage.models import CrawlRun
from archive.storage.models import Site as SiteRow
from scheduler import queue
from scheduler.config import SchedulerConfig
from scheduler.daemon import scheduled_jobs

FAILED_OUTCOMES = tuple(sorted(BAD_OUTCOMES))


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
    if streak and streak >= config.health_max_failures and streak > 1:
        last = ended[0]
        kinds = {r.outcome for r in ended[:streak]}
        what = "failed or timed out" if kinds <= {"failed", "timeout"} else "ended " + "/".join(sorted(kinds))
        why = f": {last.error.splitlines()[0][:200]}" if last.error else ""
        warnings.append(f"failing: the last {streak} runs {what}{why}")
    elif streak:
        last = ended[0]
        why = f": {last.error.splitlines()[0][:200]}" if last.error else ""
        warnings.append(f"the last run ended {last.outcome} ({WORDS.get(last.outcome, last.outcome)}){why}")
    # Health counters of the runs that did their work, whatever started them.
    walked = [
        r for r in ended
        if r.outcome in GOOD_OUTCOMES and r.health is not None and _count(r.health, "listing_pages")
    ][: config.health_runs]
    if walked:
        n = len(walked)
        runs_word = "run" if n == 1 else f"{n} runs"
        listing = sum(_count(r.health, "listing_pages") for r in walked)
        empty = sum(_count(r.health, "empty_listings") for r in walked)
        if empty >= listing:
            warnings.append(f"no article links on any listing page in the last {runs_word}")
    judged = [r for r in ended if r.outcome in GOOD_OUTCOMES and r.health is not None][: config.health_runs]
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
    elif ended and ended[0].outcome == "partial":
        why = f": {ended[0].error.splitlines()[0][:200]}" if ended[0].error else ""
        notes.append(f"the last run was partial{why}")
    return warnings, notes


def site_status(engine: Engine, registry: Any, config: SchedulerConfig, *,
                keys: Iterable[str] = (), include_disabled: bool = False) -> list[dict[str, Any]]:
    """One status object per site: the given keys, else the enabled (or all) registry sites."""
    keys = list(keys)
    adhoc = _adhoc_sites(engine, registry)
    if keys:
        sites = [adhoc[key] if key in adhoc else registry.get(key) for key in keys]
    else:
        sites = list(registry) if include_disabled else list(registry.enabled())
        sites += list(adhoc.values())
    jobs = scheduled_jobs(engine)
    open_requests: dict[str, list[queue.Request]] = {}
    for req in queue.requests(engine):
        open_requests.setdefault(req.site_key, []).append(req)
    leases = live_leases(engine)
    depth = max(config.health_runs, config.health_max_failures) + 5
    with engine.connect() as conn:
        learned = {key: data for key, data in conn.execute(select(SiteRow.key, SiteRow.discovery))}
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
                "discovery": _learned(learned.get(site.key)),
            })
    return out


def _learned(data: Any) -> dict[str, Any] | None:
    """What discovery learned about the site: its proven URL templates (article, listing)."""
    if not isinstance(data, dict) or not data.get("templates"):
        return None
    rows = [t for t in data["templates"] if isinstance(t, dict)]
    return {
        "article_templates": [t for t in rows if t.get("kind") == "article"],
        "listing_templates": [t for t in rows if t.get("kind") == "listing"],
        "templates": rows,
    }


class _AdhocSite:
    """A site with runs in the archive but no registry entry (``crawl --url``)."""

    enabled = True  # it has runs: judge them
    schedule = None

    def __init__(self, key: str, name: str | None) -> None:
        self.key = key
        self.name = name or key


def _adhoc_sites(engine: Engine, registry: Any) -> dict[str, _AdhocSite]:
    from sqlalchemy import exists

    known = {site.key for site in registry}
    with engine.connect() as conn:
        rows = conn.execute(
            select(SiteRow.key, SiteRow.name)
            .where(exists().where(CrawlRun.site_id == SiteRow.id))
            .order_by(SiteRow.key)
        ).all()
    return {key: _AdhocSite(key, name) for key, name in rows if key not in known}


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
