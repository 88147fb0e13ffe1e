"""The site registry: every crawled site, as data (``crawler/sites.toml``).

One ``[[site]]`` table per site (the file's header documents the fields). The
registry is loaded and validated once per process: a bad file fails with one
:class:`~archive.errors.InputError` line naming the file, the line of the entry and
what is wrong. Sites that are not in the registry are crawled as *ad hoc* sites
(:func:`adhoc_site`): their key is their host, their CMS is recognized from their
pages (profile ``auto``).

``load_registry()`` reads, in order: an explicit path, ``$SCT_ARCHIVE_SITES``, the
packaged ``crawler/sites.toml`` (cached). ``docs/sites.md`` is generated from it by
``sct-archive sites --markdown > docs/sites.md``.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.errors import InputError
from archive.vietnamese import provinces

PROFILE_NAMES = ("liferay", "vhv", "sharepoint", "webcenter", "websphere", "joomla", "wordpress", "auto")

#: What a site is, in the order docs/sites.md lists them.
KINDS: dict[str, str] = {
    "sct": "Departments of Industry and Trade (Sở Công Thương) of the 34 provinces and cities",
    "sct-legacy": "Former departments of merged provinces (archives from before 1 July 2025)",
    "ministry": "Ministry of Industry and Trade (Bộ Công Thương)",
    "khuyencong-agency": "Industrial promotion (khuyến công) at the Ministry",
    "khuyencong-centre": "Provincial industrial-promotion (khuyến công) centres",
}
ADHOC_KIND = "adhoc"

DEFAULT_SCHEDULE = "interval:12h"
ENV_SITES = "SCT_ARCHIVE_SITES"
DEFAULT_SITES_FILE = Path(__file__).with_name("sites.toml")

_FIELDS = frozenset({
    "key", "name", "kind", "province", "former_province", "base_url", "start_urls", "profile",
    "schedule", "enabled", "verified", "live", "warc_imports", "notes", "settings",
    "aliases", "host_seen", "evidence", "searched",
})
#: What an evidence URL is: a news article, a news listing, another page of the site,
#: the bare host (linked or named by others), or a page of a related host (the
#: province's portal, a predecessor) that shows the platform.
EVIDENCE_KINDS = ("article", "listing", "page", "host", "related")
_EVIDENCE_FIELDS = frozenset({"url", "seen", "source", "kind", "note"})
_SEEN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
#: At most this many article URLs are recorded per site (enough to test the profile).
MAX_ARTICLE_EVIDENCE = 3
_KEY = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(\d+)\s*([smhdw])")


class FrozenSettings(Mapping[str, Any]):
    """A read-only, hashable mapping of Scrapy setting overrides (values are private copies)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> None:
        self._data = copy.deepcopy(dict(data))
        self._hash: int | None = None

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(json.dumps(self._data, sort_keys=True, default=repr))
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._data) == dict(other)

    def __repr__(self) -> str:
        return f"FrozenSettings({self._data!r})"

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)


def parse_schedule(schedule: str) -> tuple[str, int] | tuple[str, str]:
    """``("interval", seconds)`` or ``("cron", "m h dom mon dow")``; ValueError when malformed.

    ``interval:6h``, ``interval:1d``, ``interval:1h30m``, ``interval:90m``;
    ``cron:0 */4 * * *`` (five crontab fields, checked by APScheduler when installed).
    """
    kind, sep, spec = str(schedule).partition(":")
    kind, spec = kind.strip().lower(), spec.strip()
    if not sep or not spec:
        raise ValueError(f"bad schedule {schedule!r}: use 'interval:6h' or 'cron:0 */4 * * *'")
    if kind == "interval":
        compact = spec.replace(" ", "").lower()
        parts = _DURATION.findall(compact)
        if not parts or "".join(n + u for n, u in parts) != compact:
            raise ValueError(f"bad interval {spec!r} in schedule {schedule!r}: use e.g. 30m, 6h, 1d, 1h30m")
        seconds = sum(int(n) * _UNITS[u] for n, u in parts)
        if seconds <= 0:
            raise ValueError(f"bad schedule {schedule!r}: the interval must be positive")
        return ("interval", seconds)
    if kind == "cron":
        expr = " ".join(spec.split())
        if len(expr.split()) != 5:
            raise ValueError(f"bad cron expression {spec!r} in schedule {schedule!r}: need 5 fields")
        try:
            from apscheduler.triggers.cron import CronTrigger
        except ImportError:  # pragma: no cover - apscheduler is a dependency
            return ("cron", expr)
        try:
            CronTrigger.from_crontab(expr)
        except ValueError as exc:
            raise ValueError(f"bad cron expression {spec!r} in schedule {schedule!r}: {exc}") from None
        return ("cron", expr)
    raise ValueError(f"bad schedule {schedule!r}: use 'interval:6h' or 'cron:0 */4 * * *'")


def _host_port(url: str) -> tuple[str, int | None]:
    """(hostname without ``www.``, explicit port or None) of a URL; ("", None) if it has none."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host, port


def _effective_port(scheme: str, port: int | None) -> int | None:
    """An explicit port, or None when it is the scheme's default (so :443 and no port agree)."""
    return None if port == {"http": 80, "https": 443}.get(scheme) else port


def _norm_url(url: str) -> str:
    """A URL compared loosely: no scheme, no ``www.``, no trailing slash."""
    host, port = _host_port(url)
    parts = urlsplit(url.strip())
    port = _effective_port(parts.scheme, port)
    return f"{host}{f':{port}' if port else ''}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Evidence:
    """One URL of a site seen in a public stored copy: what it is, when, where it was found.

    ``seen`` is the date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) the copy shows the
    page live (its newest dated item), not the day it was looked up; ``source`` names
    the copy (e.g. "stored public web page (search corpus 'pages'), looked up
    2026-12-01"). Facts only: no page text is kept.
    """

    url: str
    seen: str
    source: str
    kind: str = "article"
    note: str = ""

    @property
    def host(self) -> str:
        return _host_port(self.url)[0]

    def to_dict(self) -> dict[str, Any]:
        out = {"url": self.url, "kind": self.kind, "seen": self.seen, "source": self.source}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Site:
    """One site: where it is, which CMS profile reads it, how often it is crawled."""

    key: str
    name: str
    kind: str
    base_url: str
    start_urls: tuple[str, ...]
    profile: str
    province: str | None
    former_province: str | None = None
    schedule: str = DEFAULT_SCHEDULE
    enabled: bool = True
    verified: bool = False
    live: bool = True
    warc_imports: tuple[str, ...] = ()
    notes: str = ""
    settings: Mapping[str, Any] = field(default_factory=FrozenSettings)
    #: Former hosts or spellings that may still answer or redirect (scheme + host).
    aliases: tuple[str, ...] = ()
    #: True when a public stored copy shows a page on the host (see ``evidence``).
    host_seen: bool = False
    evidence: tuple[Evidence, ...] = ()
    #: What was looked for when nothing (or not everything) was found: "date corpus: query".
    searched: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Keep the dataclass frozen and hashable whatever the caller passed.
        object.__setattr__(self, "start_urls", tuple(self.start_urls))
        object.__setattr__(self, "warc_imports", tuple(self.warc_imports))
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "evidence", tuple(self.evidence))
        object.__setattr__(self, "searched", tuple(self.searched))
        if not isinstance(self.settings, FrozenSettings):
            object.__setattr__(self, "settings", FrozenSettings(self.settings or {}))

    @property
    def host(self) -> str:
        """The hostname of the base URL, without ``www.`` and without a port ("" for files)."""
        return _host_port(self.base_url)[0]

    def schedule_trigger(self) -> tuple[str, int] | tuple[str, str]:
        """``("interval", seconds)`` or ``("cron", expression)`` from :attr:`schedule`."""
        return parse_schedule(self.schedule)

    @property
    def hosts(self) -> tuple[str, ...]:
        """The base URL's host and the aliases' hosts (without ``www.``)."""
        return tuple(dict.fromkeys(h for h in (self.host, *(_host_port(a)[0] for a in self.aliases)) if h))

    def evidence_of(self, kind: str) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.kind == kind)

    def guesses(self) -> list[str]:
        """What about this entry is still a guess, not shown by evidence or a check."""
        out = []
        if not self.host_seen:
            out.append("host")
        if not self.verified:
            out.append("profile")
        seen_listings = {_norm_url(e.url) for e in self.evidence_of("listing")}
        if not self.verified and not all(_norm_url(u) in seen_listings for u in self.start_urls):
            out.append("start_urls")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "kind": self.kind,
            "province": self.province, "former_province": self.former_province,
            "base_url": self.base_url, "host": self.host, "start_urls": list(self.start_urls),
            "profile": self.profile, "schedule": self.schedule, "enabled": self.enabled,
            "verified": self.verified, "live": self.live, "warc_imports": list(self.warc_imports),
            "notes": self.notes,
            "settings": self.settings.to_dict() if isinstance(self.settings, FrozenSettings)
            else dict(self.settings),
            "aliases": list(self.aliases), "host_seen": self.host_seen,
            "evidence": [e.to_dict() for e in self.evidence], "searched": list(self.searched),
            "guesses": self.guesses(),
        }


class Registry:
    """The sites of one registry file, in file order."""

    def __init__(self, sites: Iterable[Site], path: str | Path | None = None) -> None:
        self.sites: tuple[Site, ...] = tuple(sites)
        self.path = Path(path) if path is not None else None
        self._by_key = {site.key: site for site in self.sites}
        self._by_host: dict[str, list[Site]] = {}
        for site in self.sites:
            hosts = [site.host, *(_host_port(u)[0] for u in (*site.start_urls, *site.aliases))]
            for host in dict.fromkeys(h for h in hosts if h):
                self._by_host.setdefault(host, []).append(site)

    def __iter__(self) -> Iterator[Site]:
        return iter(self.sites)

    def __len__(self) -> int:
        return len(self.sites)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def keys(self) -> list[str]:
        return list(self._by_key)

    def get(self, key: str) -> Site:
        """The site registered under ``key``; InputError (with a suggestion) if there is none."""
        site = self._by_key.get(key) or self._by_key.get(str(key).strip().lower())
        if site is not None:
            return site
        close = difflib.get_close_matches(str(key).strip().lower(), list(self._by_key), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown site {key!r}{hint}; see `sct-archive sites`")

    def for_url(self, url: str) -> Site | None:
        """The registered site a URL belongs to (by host, ignoring ``www.``), or None.

        When a site's base URL names a port, the URL must use that port (distinct local
        servers); otherwise any port matches. Several sites on one host (sites under
        paths of a shared portal) are told apart by the longest matching base path.
        """
        host, port = _host_port(url)
        scheme = urlsplit(url.strip()).scheme
        port = _effective_port(scheme, port)

        def serves(site: Site) -> bool:
            for known in (site.base_url, *site.start_urls, *site.aliases):
                known_host, known_port = _host_port(known)
                if known_host != host:
                    continue
                known_port = _effective_port(urlsplit(known).scheme, known_port)
                if known_port is None or known_port == port:
                    return True
            return False

        candidates = [site for site in self._by_host.get(host, ()) if serves(site)]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        path = urlsplit(url).path or "/"

        def prefix(site: Site) -> int:
            base = (urlsplit(site.base_url).path or "/").rstrip("/") + "/"
            return len(base) if (path.rstrip("/") + "/").startswith(base) else -1

        return max(candidates, key=prefix)

    def enabled(self) -> list[Site]:
        """The sites the scheduler crawls (enabled; dead hosts are never enabled)."""
        return [site for site in self.sites if site.enabled]

    def filter(
        self,
        *,
        kind: str | None = None,
        province: str | None = None,
        verified: bool | None = None,
        enabled: bool | None = None,
    ) -> list[Site]:
        """Sites matching every given criterion; ``province`` matches current or former names."""
        wanted = None
        if province is not None:
            wanted = provinces.lookup(province)
            if wanted is None:
                raise InputError(f"unknown province {province!r}")
        out = []
        for site in self.sites:
            if kind is not None and site.kind != kind:
                continue
            if wanted is not None and wanted not in (site.province, site.former_province):
                continue
            if verified is not None and site.verified != verified:
                continue
            if enabled is not None and site.enabled != enabled:
                continue
            out.append(site)
        return out

    def to_markdown(self) -> str:
        """docs/sites.md: one table per kind of site."""
        lines = [
            "<!-- Generated by `sct-archive sites --markdown > docs/sites.md` from crawler/sites.toml;"
            " do not edit by hand. -->",
            "",
            "# Site registry",
            "",
            f"{len(self.sites)} sites in `crawler/sites.toml`: "
            + ", ".join(f"{sum(s.kind == k for s in self.sites)} {k}" for k in KINDS)
            + f". {sum(s.verified for s in self.sites)} verified (a profile checked against the"
            " site's real HTML), "
            f"{sum(not s.live for s in self.sites)} dead (captures to import instead of crawling).",
            "",
            "Hosts and CMS profiles of unverified sites are best guesses; their notes say what"
            " is known. Add or correct a site in `crawler/sites.toml`, then regenerate this file.",
        ]
        extra = [s for s in self.sites if s.kind not in KINDS]
        groups = [(k, title) for k, title in KINDS.items()] + ([("other", "Other sites")] if extra else [])
        for kind, title in groups:
            members = [s for s in self.sites if s.kind == kind] if kind != "other" else extra
            if not members:
                continue
            lines += [
                "",
                f"## {title} (`{kind}`, {len(members)})",
                "",
                "| key | name | province | former province | profile | verified | host seen | live"
                " | base URL | notes |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            ]
            for s in members:
                notes = s.notes
                if s.warc_imports:
                    notes = (notes + " " if notes else "") + "Captures: " + ", ".join(
                        f"`{w}`" for w in s.warc_imports
                    )
                cells = [
                    f"`{s.key}`", s.name, s.province or "—", s.former_province or "—",
                    s.profile, "yes" if s.verified else "no", "yes" if s.host_seen else "no",
                    "yes" if s.live else "**no**", s.base_url, notes or "",
                ]
                lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        lines += self._markdown_evidence()
        return "\n".join(lines) + "\n"

    def _markdown_evidence(self) -> list[str]:
        seen = sum(s.host_seen for s in self.sites)
        lines = [
            "",
            "## Evidence",
            "",
            f"{seen} of {len(self.sites)} sites have their host seen in public stored copies of their"
            " pages. Per site: the URLs seen (facts only: no page text is kept), each with the date"
            " the copy shows it live (`seen`) and where the copy was found; what was searched where"
            " nothing was found; and what is still a guess (`sct-archive sites --unverified`).",
        ]
        for s in self.sites:
            guesses = s.guesses()
            lines += [
                "",
                f"### `{s.key}`",
                "",
                f"- host seen: {'yes' if s.host_seen else 'no'}; still a guess: "
                + (", ".join(guesses) if guesses else "nothing"),
            ]
            if s.aliases:
                lines.append("- aliases: " + ", ".join(f"<{a}>" for a in s.aliases))
            for e in s.evidence:
                note = f" ({_md_text(e.note)})" if e.note else ""
                lines.append(f"- {e.kind}, seen {e.seen}: <{e.url}> — {_md_text(e.source)}{note}")
            for q in s.searched:
                lines.append(f"- searched: {_md_text(q)}")
        return lines


def _md_text(text: str) -> str:
    text = " ".join(str(text).split())
    for char, escaped in (("*", "\\*"), ("<", "&lt;"), (">", "&gt;"), ("_", "\\_")):
        text = text.replace(char, escaped)
    return text


def _md_cell(text: str) -> str:
    text = " ".join(str(text).split())
    for char, escaped in (("|", "\\|"), ("*", "\\*"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    return text


# -- loading ---------------------------------------------------------------------------------

_default_registry: Registry | None = None


def load_registry(path: str | Path | None = None) -> Registry:
    """The registry in ``path``, else ``$SCT_ARCHIVE_SITES``, else the packaged sites.toml."""
    global _default_registry
    if path is None or str(path) == "":
        path = os.environ.get(ENV_SITES) or None
    if path is None:
        if _default_registry is None:
            _default_registry = _load(DEFAULT_SITES_FILE)
        return _default_registry
    return _load(Path(path))


def clear_cache() -> None:
    """Forget the cached packaged registry (after editing sites.toml in a running process)."""
    global _default_registry
    _default_registry = None


def _load(path: Path) -> Registry:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"sites file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"sites file {path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_registry(text, path)


def parse_registry(text: str, path: str | Path = "<string>") -> Registry:
    """Validate and build a registry from TOML text (``path`` is for messages only)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"sites file {path}: {_toml_error(exc)}") from None
    unknown_top = sorted(set(data) - {"site"})
    if unknown_top:
        raise InputError(
            f"sites file {path}: unknown top-level entry {unknown_top[0]!r}; sites are [[site]] tables"
        )
    entries = data.get("site", [])
    if not isinstance(entries, list):
        raise InputError(f"sites file {path}: 'site' must be an array of [[site]] tables")
    header_lines = [
        n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*site\s*\]\]", line)
    ]
    sites: list[Site] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else None
        key = entry.get("key") if isinstance(entry, dict) else None
        where = f"sites file {path}: " + (f"line {line}" if line else f"site #{index + 1}")
        if isinstance(key, str):
            where += f" (site {key!r})"
        try:
            site = _site(entry)
        except (ValueError, TypeError) as exc:
            raise InputError(f"{where}: {' '.join(str(exc).split())}") from None
        if site.key in seen:
            raise InputError(f"{where}: duplicate key {site.key!r} (first at {seen[site.key]})")
        seen[site.key] = f"line {line}" if line else f"site #{index + 1}"
        sites.append(site)
    return Registry(sites, path)


def _toml_error(exc: tomllib.TOMLDecodeError) -> str:
    msg = " ".join(str(exc).split())
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
    if m:
        return f"line {m.group(1)}: bad TOML: {msg[: m.start()]} (column {m.group(2)})"
    m = re.search(r"\s*\(at end of document\)$", msg)
    if m:
        return f"end of file: bad TOML: {msg[: m.start()]}"
    return f"bad TOML: {msg}"


def _url(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string")
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{what} {value!r} is not an http(s) URL")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError(f"{what} {value!r} has a bad port") from None
    return value


def _bool(entry: dict, name: str, default: bool) -> bool:
    value = entry.get(name, default)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value


def _str(entry: dict, name: str, default: str | None = None) -> str | None:
    value = entry.get(name, default)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    return value


def _site(entry: Any) -> Site:
    if not isinstance(entry, dict):
        raise ValueError("each [[site]] must be a table")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(_FIELDS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown field {unknown[0]!r}{hint}")
    key = _str(entry, "key")
    if not key:
        raise ValueError("missing key")
    if not _KEY.match(key):
        raise ValueError(f"bad key {key!r}: use lower-case letters, digits, '-' and '.'")
    name = _str(entry, "name")
    if not name or not name.strip():
        raise ValueError("missing name")
    kind = _str(entry, "kind")
    if kind not in KINDS:
        raise ValueError(
            f"{'missing kind' if kind is None else f'unknown kind {kind!r}'}; known: {', '.join(KINDS)}"
        )
    if "base_url" not in entry:
        raise ValueError("missing base_url")
    base_url = _url(entry["base_url"], "base_url").rstrip("/")
    starts = entry.get("start_urls", [base_url + "/"])
    if isinstance(starts, str) or not isinstance(starts, list) or not starts:
        raise ValueError("start_urls must be a non-empty list of URLs")
    start_urls = tuple(_url(u, "start URL") for u in starts)
    profile = _str(entry, "profile", "auto")
    if profile not in PROFILE_NAMES:
        close = difflib.get_close_matches(str(profile), PROFILE_NAMES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown profile {profile!r}{hint}; known: {', '.join(PROFILE_NAMES)}")

    province, former = _provinces(entry, kind)

    schedule = _str(entry, "schedule", DEFAULT_SCHEDULE) or DEFAULT_SCHEDULE
    parse_schedule(schedule)  # ValueError with the reason
    live = _bool(entry, "live", True)
    enabled = _bool(entry, "enabled", live)
    if enabled and not live:
        raise ValueError("a dead host (live = false) cannot be enabled; import its captures instead")
    verified = _bool(entry, "verified", False)
    warcs = entry.get("warc_imports", [])
    if not isinstance(warcs, list) or not all(isinstance(w, str) and w.strip() for w in warcs):
        raise ValueError("warc_imports must be a list of paths or URLs")
    notes = " ".join((_str(entry, "notes", "") or "").split())
    settings = entry.get("settings", {})
    if not isinstance(settings, dict):
        raise ValueError("settings must be a table ([site.settings])")
    for setting in settings:
        if not _SETTING_NAME.match(setting):
            raise ValueError(f"bad setting name {setting!r}: Scrapy settings are UPPER_CASE")
    aliases = entry.get("aliases", [])
    if isinstance(aliases, str) or not isinstance(aliases, list):
        raise ValueError("aliases must be a list of URLs (former hosts)")
    aliases = [_url(a, "alias").rstrip("/") for a in aliases]
    evidence = _evidence(entry.get("evidence", []))
    host_seen = _bool(entry, "host_seen", False)
    hosts = {_host_port(base_url)[0], *(_host_port(a)[0] for a in aliases)}
    on_host = [e for e in evidence if e.kind != "related" and e.host in hosts]
    if host_seen and not on_host:
        raise ValueError(
            f"host_seen = true needs an evidence URL on {sorted(hosts)[0]!r} (or an alias)"
        )
    stray = [e for e in evidence if e.kind != "related" and e.host not in hosts]
    if stray:
        raise ValueError(
            f"evidence URL {stray[0].url!r} is not on the site's host or an alias;"
            " list its host in aliases or mark it kind = \"related\""
        )
    articles = [e for e in evidence if e.kind == "article"]
    if len(articles) > MAX_ARTICLE_EVIDENCE:
        raise ValueError(f"at most {MAX_ARTICLE_EVIDENCE} article URLs as evidence ({len(articles)} given)")
    searched = entry.get("searched", [])
    if isinstance(searched, str) or not isinstance(searched, list) or not all(
        isinstance(q, str) and q.strip() for q in searched
    ):
        raise ValueError('searched must be a list of strings ("2026-12-01 pages: query")')
    return Site(
        key=key, name=" ".join(name.split()), kind=kind, base_url=base_url, start_urls=start_urls,
        profile=profile, province=province, former_province=former, schedule=schedule,
        enabled=enabled, verified=verified, live=live, warc_imports=tuple(w.strip() for w in warcs),
        notes=notes, settings=FrozenSettings(settings), aliases=tuple(aliases),
        host_seen=host_seen, evidence=tuple(evidence),
        searched=tuple(" ".join(q.split()) for q in searched),
    )


def _evidence(value: Any) -> list[Evidence]:
    if not isinstance(value, list):
        raise ValueError("evidence must be a list of tables ({url, seen, source, kind})")
    out: list[Evidence] = []
    for n, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise ValueError(f"evidence #{n} must be a table {{url, seen, source, kind}}")
        unknown = sorted(set(item) - _EVIDENCE_FIELDS)
        if unknown:
            raise ValueError(f"evidence #{n}: unknown field {unknown[0]!r}")
        url = _url(item.get("url"), f"evidence #{n} url")
        seen = item.get("seen")
        if not isinstance(seen, str) or not _SEEN.match(seen.strip()):
            raise ValueError(f"evidence #{n} ({url}): seen must be 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY', not {seen!r}")
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"evidence #{n} ({url}): missing source (where the copy was found)")
        kind = item.get("kind", "article")
        if kind not in EVIDENCE_KINDS:
            raise ValueError(f"evidence #{n} ({url}): unknown kind {kind!r}; known: {', '.join(EVIDENCE_KINDS)}")
        note = item.get("note", "")
        if not isinstance(note, str):
            raise ValueError(f"evidence #{n} ({url}): note must be a string")
        out.append(Evidence(url=url, seen=seen.strip(), source=" ".join(source.split()), kind=kind,
                            note=" ".join(note.split())))
    return out


def _provinces(entry: dict, kind: str) -> tuple[str | None, str | None]:
    raw_province = _str(entry, "province")
    raw_former = _str(entry, "former_province")
    province = former = None
    if raw_former:
        former = provinces.lookup(raw_former)
        if former is None:
            raise ValueError(f"unknown former_province {raw_former!r}")
        if former not in provinces.FORMER:
            raise ValueError(f"former_province {raw_former!r} is not one of the 63 former provinces")
    if raw_province:
        province = provinces.lookup(raw_province)
        if province is None:
            raise ValueError(f"unknown province {raw_province!r} (use a name from archive/vietnamese/provinces.py)")
        if province not in provinces.CURRENT:
            now = provinces.current_of(province)
            raise ValueError(
                f"province {raw_province!r} is a former province: set province = {now!r} "
                f"and former_province = {province!r}"
            )
    elif former:
        province = provinces.FORMER[former]
    if former and provinces.FORMER[former] != province:
        raise ValueError(
            f"former_province {former!r} became part of {provinces.FORMER[former]!r}, not {province!r}"
        )
    if kind in ("sct", "sct-legacy", "khuyencong-centre") and province is None:
        raise ValueError(f"a {kind!r} site needs a province")
    if kind == "sct-legacy" and former is None:
        raise ValueError("an 'sct-legacy' site needs its former_province")
    if kind == "ministry" and province is not None:
        raise ValueError("the ministry has no province")
    return province, former


# -- sites not in the registry ---------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def adhoc_site(url: str) -> Site:
    """A site for a URL that no registry entry covers: key = host[:port], profile ``auto``.

    The port is kept when the URL names one that is not its scheme's default, except on
    loopback (``localhost``, 127.0.0.0/8, ``::1``): a local server gets a new free port
    each time it starts, so the key is ``localhost`` whatever the port (the base URL
    keeps it). ``www.`` is dropped, so both spellings are one. A ``file:`` URL (a page
    read from disk) belongs to the site ``local``.
    """
    parts = urlsplit(str(url).strip())
    if parts.scheme == "file" or (not parts.netloc and not parts.scheme):
        return Site(
            key="local", name="Local files", kind=ADHOC_KIND, base_url="file://",
            start_urls=(), profile="auto", province=None, notes="pages read from disk",
        )
    host, port = _host_port(url)
    if not host:
        raise InputError(f"not a URL with a host: {url!r}")
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if _is_loopback(host):
        key = "localhost"
    else:
        key = host if port is None or port == default_port else f"{host}:{port}"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return Site(
        key=key, name=key, kind=ADHOC_KIND, base_url=f"{parts.scheme}://{netloc}",
        start_urls=(str(url).strip(),), profile="auto", province=None,
        notes="not in the registry (crawled by URL)",
    )


__all__ = [
    "DEFAULT_SITES_FILE", "EVIDENCE_KINDS", "KINDS", "PROFILE_NAMES", "Evidence", "FrozenSettings",
    "Registry", "Site",
    "adhoc_site", "clear_cache", "load_registry", "parse_registry", "parse_schedule",
]
