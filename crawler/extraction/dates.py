"""Choosing an article's published and updated dates, with where each came from.

The profile's byline selectors first (with their "Ngày đăng" / "Cập nhật" labels), then
meta tags (OpenGraph, JSON-LD, ``<time>``), the first lines of the body and the URL;
``auto`` also tries short date-like elements. Dates are day-first (the language package);
a header "today" widget is never a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit

from archive.vietnamese import dates as vndates
from crawler.extraction.selectors import css, node_text
from crawler.extraction.text import block_text
from crawler.profiles.base import Layout

VIETNAM = timezone(timedelta(hours=7), "ICT")

_GENERIC_DATE_HINT = re.compile(r"date|time|ngay|publish|posted|created|post-info|meta", re.I)


@dataclass(frozen=True, slots=True)
class DateHit:
    value: datetime | date
    has_time: bool
    source: str




def _as_hit(dt: datetime, has_time: bool, source: str) -> DateHit:
    return DateHit(dt if has_time else dt.date(), has_time, source)


def byline_dates(text: str, source: str) -> tuple[DateHit | None, DateHit | None]:
    """(published, updated) from a byline like "Ngày đăng: 08:22, 04/05/2011 | Cập nhật: …"."""
    published = updated = None
    matches = vndates.find_dates(text)
    prev_end = 0
    for m in matches:
        label = vndates.date_label(text[prev_end : m.end]) or vndates.date_label(text[: m.start])
        when = datetime.combine(m.value, m.time or time(0, 0))
        hit = _as_hit(when, m.time is not None, source)
        if label == "updated":
            updated = updated or hit
        elif published is None:
            published = hit
        prev_end = m.end
    return published, updated


def iso_date(value: str) -> DateHit | None:
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        d = vndates.parse_datetime(value)
        return _as_hit(d, d.time() != time(0, 0), "") if d else None
    has_time = "T" in value or " " in value.strip()
    if dt.tzinfo is not None:
        dt = dt.astimezone(VIETNAM).replace(tzinfo=None)
    return _as_hit(dt, has_time, "")


def with_source(hit: DateHit | None, source: str) -> DateHit | None:
    return DateHit(hit.value, hit.has_time, source) if hit else None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[^\d]|$)")


def url_date(url: str) -> DateHit | None:
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        return DateHit(date(int(m[1]), int(m[2]), int(m[3])), False, "url")
    except ValueError:
        return None


def choose_dates(tree, meta: dict[str, str], layout: Layout, url: str, body) -> tuple[DateHit | None, DateHit | None]:
    published = updated = None
    for sel in layout.dates:
        for el in css(sel)(tree):
            p, u = byline_dates(node_text(el), f"profile:{sel}")
            published = published or p
            updated = updated or u
        if published:
            break
    if published is None:
        for key in (
            "article:published_time", "og:article:published_time", "datepublished",
            "ld:datepublished", "pubdate", "publishdate", "dc.date.issued", "dc.date",
        ):
            if key in meta and (hit := iso_date(meta[key])):
                published = with_source(hit, f"meta:{key}")
                break
    if updated is None:
        for key in ("article:modified_time", "og:updated_time", "datemodified", "ld:datemodified"):
            if key in meta and (hit := iso_date(meta[key])):
                updated = with_source(hit, f"meta:{key}")
                break
    if published is None:
        for t in tree.iter("time"):
            if t.get("datetime") and "updated" not in (t.get("class") or ""):
                if hit := iso_date(t.get("datetime")):
                    published = with_source(hit, "meta:time[datetime]")
                    break
    if published is None and body is not None:
        lines = [ln for ln in block_text(body).split("\n") if ln][:3]
        for line in lines:
            if len(line) <= 120 and vndates.find_dates(line):
                p, u = byline_dates(line, "text")
                published, updated = published or p, updated or u
                if published:
                    break
    if published is None:
        published = url_date(url)
    return published, updated

def generic_date(tree) -> DateHit | None:
    """``auto``: short date-like elements outside any widget, then htmldate."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not hint.strip() or not _GENERIC_DATE_HINT.search(hint):
            continue
        text = node_text(el)
        if not text or len(text) > 120 or vndates.is_today_widget(text):
            continue
        published, _ = byline_dates(text, "generic")
        if published:
            return with_source(published, f"generic:.{(el.get('class') or el.get('id') or '').split()[0]}")
    return None


def published_values(hit: DateHit | None) -> tuple[date | None, datetime | None]:
    if hit is None:
        return None, None
    if isinstance(hit.value, datetime):
        return hit.value.date(), hit.value.replace(tzinfo=VIETNAM).astimezone(UTC)
    return hit.value, None


def updated_value(hit: DateHit | None) -> datetime | None:
    if hit is None:
        return None
    value = hit.value if isinstance(hit.value, datetime) else datetime.combine(hit.value, time(0, 0))
    return value.replace(tzinfo=VIETNAM).astimezone(UTC)
