"""Telling people about new flagged articles: an Atom feed file and an optional webhook.

After each crawl run the versions it created that carry flags are appended to an
Atom 1.0 feed (newest first, bounded, rewritten atomically so a reader never sees
half a file) and, when a webhook URL is configured, POSTed there as JSON. A failing
webhook is logged and never fails the crawl.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select

from archive.storage.models import Article, ArticleVersion, Observation, Site

log = logging.getLogger(__name__)

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
FEED_ID = "urn:sct-archive:flagged"


def default_feed_path(db_url: str) -> Path:
    """Next to a SQLite archive file; else data/flagged.atom."""
    if db_url.startswith("sqlite:///") and not db_url.endswith(":memory:"):
        return Path(db_url.removeprefix("sqlite:///")).with_name("flagged.atom")
    return Path("data") / "flagged.atom"


def flagged_in_run(archive, run_id: int) -> list[dict[str, Any]]:
    """The flagged versions a run created (new articles and changed ones)."""
    with archive.sessions() as s:
        rows = s.execute(
            select(Article, ArticleVersion, Site.key)
            .join(Observation, Observation.article_id == Article.id)
            .join(ArticleVersion, ArticleVersion.id == Observation.version_id)
            .join(Site, Site.id == Article.site_id)
            .where(Observation.run_id == run_id, Observation.outcome.in_(("new", "changed")))
            .order_by(Observation.id)
        ).all()
    flags = archive.flags_for([v.id for _a, v, _k in rows])
    return [
        {
            "article_id": a.id, "version_id": v.id, "version": v.number, "site": key,
            "url": a.canonical_url, "title": v.title,
            "published": v.published.isoformat() if v.published else None,
            "fetched_at": v.fetched_at.isoformat(), "flags": flags[v.id],
        }
        for a, v, key in rows
        if flags.get(v.id)
    ]


def _summary(entry: dict[str, Any]) -> str:
    parts = []
    for f in entry["flags"]:
        bit = f"{f['kind']} ({f['subtype']})"
        if f["kind"] == "conference" and (f.get("event_date") or f.get("location")):
            bit += f": {f.get('event_date') or ''} {f.get('location') or ''}".rstrip()
        if f["kind"] == "funding" and f.get("amounts"):
            bit += ": " + ", ".join(a["phrase"] for a in f["amounts"][:3])
        parts.append(bit)
    return "; ".join(parts)


def append_atom(path: Path, entries: list[dict[str, Any]], *, max_entries: int = 1000) -> int:
    """Add entries to the feed at ``path`` (created if missing); returns how many were new."""
    q = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    existing: list[ET.Element] = []
    if path.exists():
        try:
            existing = ET.parse(path).getroot().findall(q("entry"))
        except ET.ParseError:
            log.warning("feed %s is not valid XML; starting a new one", path)
    seen = {e.findtext(q("id")) for e in existing}
    fresh = []
    for item in entries:
        entry_id = f"urn:sct-archive:version:{item['version_id']}"
        if entry_id in seen:
            continue
        el = ET.Element(q("entry"))
        ET.SubElement(el, q("id")).text = entry_id
        ET.SubElement(el, q("title")).text = item["title"] or item["url"]
        ET.SubElement(el, q("link"), href=item["url"])
        ET.SubElement(el, q("updated")).text = item["fetched_at"]
        if item["published"]:
            ET.SubElement(el, q("published")).text = f"{item['published']}T00:00:00+07:00"
        author = ET.SubElement(el, q("author"))
        ET.SubElement(author, q("name")).text = item["site"]
        for f in item["flags"]:
            ET.SubElement(el, q("category"), term=f["kind"], label=f"{f['kind']}/{f['subtype']}")
        ET.SubElement(el, q("summary")).text = _summary(item)
        ET.SubElement(el, q("content"), type="text").text = json.dumps(
            item["flags"], ensure_ascii=False
        )
        fresh.append(el)
    return _write(path, fresh, existing, max_entries)


def _write(path: Path, fresh: list, existing: list, max_entries: int) -> int:
    q = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if not fresh:
        return 0
    feed = ET.Element(q("feed"))
    ET.SubElement(feed, q("id")).text = FEED_ID
    ET.SubElement(feed, q("title")).text = "sct-archive: conference and funding announcements"
    ET.SubElement(feed, q("updated")).text = now
    author = ET.SubElement(feed, q("author"))
    ET.SubElement(author, q("name")).text = "sct-archive"
    for el in (fresh[::-1] + existing)[:max_entries]:
        feed.append(el)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(fd, "wb") as fh:
        ET.ElementTree(feed).write(fh, encoding="utf-8", xml_declaration=True)
    os.replace(tmp, path)
    return len(fresh)


def post_webhook(url: str, entries: list[dict[str, Any]], *, timeout: float = 10.0,
                 key: str = "articles") -> bool:
    """POST ``{"articles": [...]}`` as JSON; False (and a warning) on any failure."""
    body = json.dumps({key: entries}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "sct-archive"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            ok = 200 <= response.status < 300
    except Exception as exc:
        log.warning("webhook %s failed: %s", url, exc)
        return False
    if not ok:
        log.warning("webhook %s answered HTTP %s", url, response.status)
    return ok


def notify_run(archive, run_id: int, *, feed_path: Path | None, webhook_url: str | None) -> int:
    """Feed and webhook for one run; returns the number of flagged versions announced."""
    entries = flagged_in_run(archive, run_id)
    if not entries:
        return 0
    if feed_path is not None:
        try:
            append_atom(feed_path, entries)
        except OSError as exc:
            log.warning("cannot write feed %s: %s", feed_path, exc)
    if webhook_url:
        post_webhook(webhook_url, entries)
    return len(entries)


def notify_unhealthy(run: dict[str, Any], *, feed_path: Path | None, webhook_url: str | None) -> None:
    """Announce a run that ended ``empty``, ``unreachable`` or ``failed`` (``ARCHIVE_FEED_HEALTH``).

    ``run``: site, run_id, outcome, why, finished_at (ISO). One Atom entry per run (category
    ``health``), and ``{"site_health": [run]}`` to the webhook. Failures only warn.
    """
    q = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    if feed_path is not None:
        try:
            existing: list[ET.Element] = []
            if feed_path.exists():
                try:
                    existing = ET.parse(feed_path).getroot().findall(q("entry"))
                except ET.ParseError:
                    log.warning("feed %s is not valid XML; starting a new one", feed_path)
            entry_id = f"urn:sct-archive:run:{run['run_id']}"
            if entry_id not in {e.findtext(q("id")) for e in existing}:
                el = ET.Element(q("entry"))
                ET.SubElement(el, q("id")).text = entry_id
                ET.SubElement(el, q("title")).text = f"{run['site']}: crawl {run['outcome']}"
                ET.SubElement(el, q("updated")).text = run["finished_at"]
                author = ET.SubElement(el, q("author"))
                ET.SubElement(author, q("name")).text = run["site"]
                ET.SubElement(el, q("category"), term="health", label=f"health/{run['outcome']}")
                ET.SubElement(el, q("summary")).text = run.get("why") or run["outcome"]
                _write(feed_path, [el], existing, 1000)
        except OSError as exc:
            log.warning("cannot write feed %s: %s", feed_path, exc)
    if webhook_url:
        post_webhook(webhook_url, [run], key="site_health")
