"""Daemon settings: defaults ← a TOML file ← ``SCT_ARCHIVE_*`` environment variables.

The file is ``--config FILE``, else ``$SCT_ARCHIVE_CONFIG``, else none. Its keys are the
field names of :class:`SchedulerConfig` at the top level, plus a ``[site_timeouts]``
table (site key → seconds). Every field also has an environment variable (see
:data:`ENV`), which wins over the file; command-line options win over both.
``docs/daemon.md`` lists them all (``tests/scheduler/test_scheduler.py`` checks it does).
"""

from __future__ import annotations

import os
import shlex
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from archive.errors import InputError

ENV_CONFIG = "SCT_ARCHIVE_CONFIG"


def _default_crawl_command() -> list[str]:
    return [sys.executable, "-m", "archive"]


@dataclass(frozen=True)
class SchedulerConfig:
    """How the daemon schedules, starts and supervises crawls, and what ``status`` calls healthy."""

    #: The archive database URL (``--db`` wins; ``$SCT_ARCHIVE_DB``).
    db: str | None = None
    #: The site registry file (``$SCT_ARCHIVE_SITES``; default: the packaged crawler/sites.toml).
    sites_file: str | None = None
    #: Seconds between two looks at the recrawl queue and the running crawls.
    poll_interval: float = 2.0
    #: Crawls running at the same time (never two of one site).
    max_parallel: int = 2
    #: Wall-clock limit of one crawl in seconds; then SIGTERM, then SIGKILL after ``kill_grace``.
    crawl_timeout: float = 4 * 3600.0
    #: Per-site wall-clock limits (site key → seconds), over ``crawl_timeout``.
    site_timeouts: Mapping[str, float] = field(default_factory=dict)
    #: Seconds between the SIGTERM of a crawl that timed out and its SIGKILL.
    kill_grace: float = 30.0
    #: On SIGTERM/SIGINT, seconds the daemon waits for running crawls to close before SIGKILL.
    shutdown_grace: float = 30.0
    #: Crawl lease time in seconds (passed to crawls as ``$SCT_ARCHIVE_LEASE_TTL``).
    lease_ttl: float = 120.0
    #: Up to this many seconds of random delay added to each scheduled start.
    jitter: float = 300.0
    #: A scheduled start later than this (seconds) is skipped until the next one.
    misfire_grace_time: float = 86400.0
    #: Time zone of ``cron:`` schedules (IANA name; default: the system's).
    timezone: str | None = None
    #: How to run sct-archive; ``--db URL crawl SITE …`` is appended.
    crawl_command: tuple[str, ...] = field(default_factory=lambda: tuple(_default_crawl_command()))
    #: Extra arguments after ``crawl SITE`` (e.g. ``-s DOWNLOAD_DELAY=2``).
    crawl_args: tuple[str, ...] = ()
    #: Starts of a queued recrawl that found its site busy before it is given up ("busy").
    max_attempts: int = 3
    #: Seconds after a scheduled or manual crawl that failed, timed out or was interrupted
    #: before the site is crawled again (instead of waiting its whole interval).
    retry_backoff: float = 600.0
    #: Seconds a daemon's heartbeat counts as alive (``recrawl`` warns when none is).
    heartbeat_ttl: float = 60.0
    #: ``status``: how many recent finished runs the health checks look at.
    health_runs: int = 3
    #: ``status``: article pages needed before the text/date shares are judged.
    health_min_pages: int = 5
    #: ``status``: largest healthy share of article pages without main text.
    health_max_empty_text: float = 0.5
    #: ``status``: largest healthy share of article pages without a publication date.
    health_max_no_date: float = 0.5
    #: ``status``: this many failed or timed-out runs in a row make a site unhealthy.
    health_max_failures: int = 2

    def timeout_for(self, site_key: str) -> float:
        return float(self.site_timeouts.get(site_key, self.crawl_timeout))

    def with_overrides(self, **values: Any) -> SchedulerConfig:
        """A copy with the given non-None values (command-line options) applied and checked."""
        changed = {k: v for k, v in values.items() if v is not None}
        return _checked(replace(self, **changed)) if changed else self


#: Environment variable of each field.
ENV: dict[str, str] = {
    f.name: {"db": "SCT_ARCHIVE_DB", "sites_file": "SCT_ARCHIVE_SITES"}.get(
        f.name, f"SCT_ARCHIVE_{f.name.upper()}"
    )
    for f in fields(SchedulerConfig)
}

_FLOATS = {"poll_interval", "crawl_timeout", "kill_grace", "shutdown_grace", "lease_ttl",
           "retry_backoff", "heartbeat_ttl",
           "jitter", "misfire_grace_time", "health_max_empty_text", "health_max_no_date"}
_INTS = {"max_parallel", "max_attempts", "health_runs", "health_min_pages", "health_max_failures"}
_STRS = {"db", "sites_file", "timezone"}
_LISTS = {"crawl_command", "crawl_args"}
_POSITIVE = {"poll_interval", "max_parallel", "crawl_timeout", "lease_ttl", "max_attempts",
             "heartbeat_ttl",
             "health_runs"}
_SHARES = {"health_max_empty_text", "health_max_no_date"}


def _convert(name: str, value: Any, origin: str) -> Any:
    def bad(expected: str) -> InputError:
        return InputError(f"{origin}: {name} must be {expected}, got {value!r}")

    if name in _FLOATS:
        if isinstance(value, bool):
            raise bad("a number")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad("a number") from None
    if name in _INTS:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise bad("a whole number")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad("a whole number") from None
    if name in _STRS:
        if not isinstance(value, str):
            raise bad("a string")
        return value.strip() or None
    if name in _LISTS:
        if isinstance(value, str):
            return tuple(shlex.split(value))
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise bad("a list of strings (or one shell-quoted string)")
    if name == "site_timeouts":
        if isinstance(value, str):  # env: "key=seconds,key2=seconds"
            pairs = [p.partition("=") for p in value.split(",") if p.strip()]
            if any(not sep for _, sep, _ in pairs):
                raise bad("KEY=SECONDS pairs separated by commas")
            value = {k.strip(): v.strip() for k, _, v in pairs}
        if not isinstance(value, Mapping):
            raise bad("a table of site key = seconds")
        out = {}
        for key, seconds in value.items():
            try:
                out[str(key)] = float(seconds)
            except (TypeError, ValueError):
                raise bad("a table of site key = seconds") from None
            if out[str(key)] <= 0:
                raise bad("a table of positive seconds")
        return out
    raise InputError(f"{origin}: unknown setting {name!r}")  # pragma: no cover


def _checked(config: SchedulerConfig) -> SchedulerConfig:
    for name in _POSITIVE:
        if getattr(config, name) <= 0:
            raise InputError(f"{name} must be positive, got {getattr(config, name)!r}")
    for name in _FLOATS | _INTS:
        if getattr(config, name) < 0:
            raise InputError(f"{name} must not be negative, got {getattr(config, name)!r}")
    for name in _SHARES:
        if not 0 <= getattr(config, name) <= 1:
            raise InputError(f"{name} is a share between 0 and 1, got {getattr(config, name)!r}")
    if not config.crawl_command:
        raise InputError("crawl_command must not be empty")
    if config.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone {config.timezone!r}") from None
    return config


def read_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The settings of a TOML file, converted; InputError naming the file when it is wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"config file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read config file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    known = set(ENV)
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"{path}: unknown setting(s) {', '.join(unknown)}; see docs/daemon.md")
    return {name: _convert(name, value, str(path)) for name, value in data.items()}


def read_env(env: Mapping[str, str]) -> dict[str, Any]:
    out = {}
    for name, var in ENV.items():
        value = env.get(var)
        if value is not None and value.strip():
            out[name] = _convert(name, value.strip(), f"${var}")
    return out


def load_config(path: str | os.PathLike[str] | None = None, *,
                env: Mapping[str, str] | None = None) -> SchedulerConfig:
    """Defaults, then the file (``path`` or ``$SCT_ARCHIVE_CONFIG``), then the environment."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = path or env.get(ENV_CONFIG) or None
    if path:
        values.update(read_file(path))
    values.update(read_env(env))
    return _checked(SchedulerConfig(**values))
