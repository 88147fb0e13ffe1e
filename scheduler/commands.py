"""``sct-archive daemon``, ``recrawl`` and ``status`` (entry points in pyproject.toml)."""

from __future__ import annotations

import getpass
import logging
import signal
import socket
from datetime import datetime
from typing import Any

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.errors import InputError

log = logging.getLogger(__name__)


def _ctx() -> AppContext:
    return click.get_current_context().find_object(AppContext) or AppContext()


def config_option(func):
    return click.option(
        "--config", "config_path", metavar="FILE", default=None,
        help="Daemon settings (TOML; default: $SCT_ARCHIVE_CONFIG). See docs/daemon.md.",
    )(func)


def _setup(config_path: str | None, db: str | None, **overrides: Any):
    """(settings, registry, archive URL). The registry includes the demo's sites when the
    archive is one ``sct-archive demo`` filled; crawls started from here get it too."""
    import atexit
    import shutil
    import tempfile

    from crawler.commands.demo import combined_sites_file, demo_registry_file, registry_for_archive
    from scheduler.config import load_config

    config = load_config(config_path).with_overrides(**overrides)
    app = _ctx()
    db_url = app.db_url(db or app.db or config.db)
    registry = registry_for_archive(db_url, config.sites_file)
    demo = demo_registry_file(db_url)
    if demo is not None and demo.is_file():
        tmp = tempfile.mkdtemp(prefix="sct-sites-")
        atexit.register(shutil.rmtree, tmp, True)
        combined = combined_sites_file(db_url, config.sites_file, tmp)
        if combined:
            config = config.with_overrides(sites_file=combined)
    return config, registry, db_url


def _exit_status(code: int) -> int:
    return 128 - code if code < 0 else code  # killed by signal N → 128 + N, like a shell


# -- daemon -------------------------------------------------------------------------------------


@click.command("daemon")
@config_option
@click.option("--once", is_flag=True,
              help="Crawl the sites that are due and the queued recrawls, wait for them, exit "
                   "(0 when every crawl finished). For cron or systemd timers.")
@click.option("--poll", "poll", type=float, default=None, metavar="SECONDS",
              help="Seconds between looks at the recrawl queue (poll_interval, default 2).")
@click.option("--max-parallel", type=click.IntRange(min=1), default=None, metavar="N",
              help="Crawls at the same time, never two of one site (default 2).")
@click.option("--crawl-timeout", type=float, default=None, metavar="SECONDS",
              help="Wall-clock limit of one crawl (default 14400).")
@db_option
def daemon(config_path: str | None, once: bool, poll: float | None, max_parallel: int | None,
           crawl_timeout: float | None, db: str | None) -> None:
    """Crawl every enabled site on its schedule and serve the recrawl queue.

    \b
    Each site's `schedule` in the registry (interval:12h, cron:0 */4 * * *) becomes a
    job in the archive database; each crawl runs as a child process under the site's
    lease (one crawl per site, whoever starts it). Queued `sct-archive recrawl`
    requests are picked up within --poll seconds. SIGTERM or Ctrl-C stops the crawls
    cleanly and exits 0. Settings: --config FILE, $SCT_ARCHIVE_* (docs/daemon.md).
    """
    from scheduler.daemon import Daemon

    config, registry, db_url = _setup(config_path, db, poll_interval=poll,
                                      max_parallel=max_parallel, crawl_timeout=crawl_timeout)
    if not registry.enabled():
        log.warning("no enabled site in the registry: only queued recrawls will run")
    runner = Daemon(config, db_url, registry)
    log_format = click.get_current_context().find_root().params.get("log_format")
    if log_format:
        runner.env["SCT_ARCHIVE_LOG_FORMAT"] = log_format
    runner.install_signal_handlers()
    code = runner.run(once=once)
    if code:
        raise click.exceptions.Exit(code)


# -- recrawl ------------------------------------------------------------------------------------


@click.command("recrawl")
@click.argument("sites", nargs=-1, required=True, metavar="SITE...")
@click.option("--full", is_flag=True, help="Walk every listing page, not just what is new or due.")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Fetch (only) this article URL of the site again; repeatable.")
@click.option("--now", is_flag=True,
              help="Crawl now in the foreground, with progress, instead of queueing for the "
                   "daemon; exit with the crawl's status (75: the site is being crawled).")
@config_option
@db_option
@json_option
def recrawl(sites: tuple[str, ...], full: bool, urls: tuple[str, ...], now: bool,
            config_path: str | None, db: str | None, as_json: bool) -> None:
    """Ask for a crawl of SITE now: queued for the daemon, or run here with --now.

    \b
    Examples:
      sct-archive recrawl sct-hanoi                   the daemon crawls it within seconds
      sct-archive recrawl sct-hanoi --full            everything, not just what is new
      sct-archive recrawl sct-hanoi --url https://…   one article again
      sct-archive recrawl sct-hanoi --now             here, now, progress on the terminal

    Prints the request ids; `sct-archive status SITE` shows what became of them. A
    request identical to one still queued is merged with it. Warns (stderr) when no
    daemon's heartbeat is fresh: nothing would pick the request up.
    """
    from archive.storage.db import open_engine
    from archive.storage.leases import default_holder
    from scheduler import queue

    config, registry, db_url = _setup(config_path, db)
    keys = [registry.get(key).key for key in dict.fromkeys(sites)]  # unknown keys fail here
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"not an http(s) URL: {url}")
    if urls and len(keys) > 1:
        raise click.UsageError("--url goes with one SITE")
    engine = open_engine(db_url)
    requested_by = f"{getpass.getuser()}@{socket.gethostname()}"
    try:
        if not now:
            submitted = [queue.submit(engine, key, full=full, urls=urls, requested_by=requested_by)
                         for key in keys]
            if as_json:
                echo_json({"requests": [{**queue.get(engine, i).to_dict(), "merged": merged}
                                        for i, merged in submitted],
                           "daemons": queue.live_daemons(engine)})
            else:
                for key, (request_id, merged) in zip(keys, submitted, strict=True):
                    click.echo(f"recrawl of {key} already queued as #{request_id}" if merged
                               else f"queued recrawl #{request_id} of {key}")
            if not queue.live_daemons(engine):
                click.echo(
                    "Warning: no daemon has been seen on this archive (no fresh heartbeat), so "
                    "nothing will pick this up until `sct-archive daemon` runs; to crawl now: "
                    f"`sct-archive recrawl {' '.join(keys)} --now`", err=True)
            return
        code = 0
        results = []
        for key in keys:
            request_id = queue.enqueue(engine, key, full=full, urls=urls,
                                       requested_by=requested_by, claimed_by=default_holder())
            status, exit_code = _run_foreground(engine, config, db_url, key, full, urls, request_id)
            results.append({"id": request_id, "site": key, "status": status, "exit_code": exit_code})
            if exit_code and not code:
                code = exit_code
            if status == queue.INTERRUPTED:
                break
        if as_json:
            echo_json({"requests": results})
    finally:
        engine.dispose()
    if code:
        raise click.exceptions.Exit(_exit_status(code))


def _run_foreground(engine, config, db_url: str, key: str, full: bool, urls: tuple[str, ...],
                    request_id: int) -> tuple[str, int]:
    """Run one crawl with the terminal (Ctrl-C reaches it; SIGTERM is passed on)."""
    from datetime import UTC

    from scheduler import queue
    from scheduler.process import child_env, crawl_argv, record_exit, spawn

    argv = crawl_argv(config, db_url, key, full=full, urls=urls, trigger="recrawl",
                      request_id=request_id)
    started_at = datetime.now(UTC)
    try:
        proc = spawn(argv, child_env(config), own_group=False)
    except OSError as exc:  # a wrong crawl_command: say so, and leave no request behind
        queue.finish(engine, request_id, queue.FAILED, note=f"cannot start the crawl: {exc}")
        raise InputError(f"cannot start the crawl ({argv[0]}): {exc.strerror or exc}") from None
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN),  # the child gets it too
        signal.SIGTERM: signal.signal(signal.SIGTERM, lambda *_: proc.send_signal(signal.SIGTERM)),
    }
    try:
        code = proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    status = record_exit(engine, site_key=key, pid=proc.pid, started_at=started_at, code=code,
                         request_id=request_id)
    return status, code


# -- status -------------------------------------------------------------------------------------


def _when(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")


@click.command("status")
@click.argument("sites", nargs=-1, metavar="[SITE]...")
@click.option("--all", "include_disabled", is_flag=True, help="Also the sites that are not enabled.")
@config_option
@db_option
@json_option
def status(sites: tuple[str, ...], include_disabled: bool, config_path: str | None,
           db: str | None, as_json: bool) -> None:
    """Per site: last run, next run, queued recrawls, who is crawling it, health.

    Exits 1 when an enabled site is unhealthy (failing runs, no article links on its
    listings, too many pages without text or date: docs/daemon.md), else 0.
    """
    from archive.storage.db import open_engine
    from scheduler.status import report

    config, registry, db_url = _setup(config_path, db)
    engine = open_engine(db_url, create=False)
    try:
        result = report(engine, registry, config, keys=sites, include_disabled=include_disabled)
    finally:
        engine.dispose()
    if as_json:
        echo_json(result)
    else:
        for s in result["sites"]:
            mark = "ok" if s["healthy"] else "UNHEALTHY"
            if not s["enabled"]:
                mark += " (disabled)"
            run = s["last_run"]
            last = "never" if run is None else (
                f"{_when(run['started_at'])} {run['outcome']} (+{run['new_articles']} new, "
                f"{run['new_versions']} changed, {run['failed']} failed)"
            )
            parts = [f"last {last}", f"next {_when(s['next_run'])}"]
            if s["running"]:
                parts.append(f"running since {_when(s['running']['started_at'])}")
            if s["queued"]:
                parts.append(f"{len(s['queued'])} recrawl(s) open")
            if s["lease"]:
                parts.append(f"crawled by {s['lease']['holder']}")
            click.echo(f"{s['site']}: {mark} — " + "; ".join(parts))
            for warning in s["warnings"]:
                click.echo(f"    ! {warning}")
            for note in s["notes"]:
                click.echo(f"    · {note}")
            learned = s.get("discovery")
            if learned and sites:  # what discovery learned, when a site was asked for
                for kind in ("article", "listing"):
                    for t in learned[f"{kind}_templates"]:
                        pages = sum(t.get("counts", {}).values())
                        click.echo(f"    ~ {kind} URLs like {t['template']} ({pages} pages, "
                                   f"last seen {t.get('last_seen') or '—'})")
        if not result["sites"]:
            click.echo("no enabled site (see `sct-archive sites`)")
    if result["unhealthy"]:
        raise click.exceptions.Exit(1)
