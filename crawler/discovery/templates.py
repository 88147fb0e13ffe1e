"""URL templates: links grouped by shape, numbers and slugs abstracted.

``/tin-tuc/ctl/Detail/mid/412/ItemID/6001/Default.aspx`` and ``…/ItemID/6002/…`` are one
template, ``/tin-tuc/ctl/Detail/mid/{n}/ItemID/{n}/Default.aspx``; ``/Default.aspx?tabid=87
&ItemID=6001`` is ``/Default.aspx?ItemID={n}&tabid={n}``; ``/tin/phat-trien-cong-nghiep-
nong-thon-2024.html`` is ``/tin/{slug}.html``. A template is only a grouping key: which
kind of page it holds is learned from the pages' content (:mod:`.content`) and kept in
:class:`Knowledge`, stored per site in the archive and reused by the next run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from ..profiles.base import strip_noise

Kind = Literal["article", "listing", "other"]
KINDS: tuple[Kind, ...] = ("article", "listing", "other")

_NUMBER = re.compile(r"^\d+$")
_NUMBERED = re.compile(r"\d+")
_SLUG_WORDS = 4  # "phat-trien-cong-nghiep" is a slug; "tin-tuc", "thong-bao-moi" are names
_WORD = re.compile(r"^[A-Za-z][A-Za-z]*$")
_LITERAL_VALUE = re.compile(r"^[A-Za-z_][A-Za-z_.-]{0,30}$")


def _segment(seg: str) -> str:
    if not seg:
        return seg
    stem, dot, ext = seg.rpartition(".")
    if not dot or not ext.isalnum() or len(ext) > 5:
        stem, dot, ext = seg, "", ""
    if _NUMBER.match(stem):
        out = "{n}"
    elif stem.count("-") + 1 >= _SLUG_WORDS or stem.count("_") + 1 >= _SLUG_WORDS:
        out = "{n}-{slug}" if re.match(r"^\d+[-_]", stem) else "{slug}"
        if re.search(r"[-_]\d+$", stem) and out == "{slug}":
            out = "{slug}-{n}"
    elif _WORD.match(stem) or re.match(r"^[A-Za-z]+(?:[-_][A-Za-z]+)*$", stem):
        out = stem
    else:
        out = _NUMBERED.sub("{n}", stem)
    return out + (dot + ext.lower() if dot else "")


def _value(value: str) -> str:
    if _NUMBER.match(value):
        return "{n}"
    if re.match(r"^\d+[:_-]", value):  # Joomla's id=12:slug
        return "{n}:{slug}"
    if _LITERAL_VALUE.match(value):
        return value
    return "{s}"


@lru_cache(maxsize=65536)
def url_template(url: str) -> str:
    """The shape of ``url``: path segments and query keys, numbers and slugs abstracted.

    Remembered (a pure function of the string): a crawl asks for every link of every
    page, and pages link the same menus and sidebars again and again."""
    parts = urlsplit(strip_noise(url))
    segs = parts.path.split("/")
    last = segs[-1]
    stem, dot, ext = last.rpartition(".")
    if dot and ext.lower() in ("html", "htm", "shtml") and re.match(r"^[\w-]+$", stem):
        segs[-1] = "{w}." + ext.lower() if not _NUMBER.match(stem) else "{n}." + ext.lower()
        if re.match(r"^\d+[-_]", stem):
            segs[-1] = "{n}-{slug}." + ext.lower()
    path = "/".join(s if s.startswith("{") else _segment(s) for s in segs)
    query = sorted((k, _value(v)) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")


@lru_cache(maxsize=16384)
def loose_template(template: str) -> str:
    """A template with its literal path segments after the first as ``*``: sections of one
    site (``/tin-tuc/thi-truong/{w}.html``, ``/tin-tuc/hoat-dong/{w}.html``) share it."""
    path, q, query = template.partition("?")
    segs = path.split("/")
    last = len(segs) - 1
    out = [seg if i <= 1 or i == last or "{n}" in seg or not seg else "*" for i, seg in enumerate(segs)]
    return "/".join(out) + (q + query if q else "")


def page_number(url: str, template: str | None = None) -> int | None:
    """The listing page number carried by ``url`` (a ``Page/N`` / ``trang-N`` segment or a
    page-like query value), or None."""
    parts = urlsplit(url)
    segs = [s for s in parts.path.split("/") if s]
    for i, seg in enumerate(segs):
        if i and seg.isdigit() and segs[i - 1].lower() in ("page", "trang", "p", "pg", "pageindex"):
            return int(seg)
        m = re.match(r"^(?:page|trang|p)[-_](\d+)(?:\.\w+)?$", seg, re.IGNORECASE)
        if m:
            return int(m.group(1))
    for key, value in parse_qsl(parts.query):
        if value.isdigit() and key.lower() in (
            "page", "trang", "p", "pg", "paged", "pageindex", "pagenumber", "currentpage", "pageno",
        ):
            return int(value)
    return None


@dataclass
class TemplateStats:
    """What the pages of one template turned out to be."""

    template: str
    counts: dict[str, int] = field(default_factory=dict)  # kind → pages classified so
    first_seen: str | None = None
    last_seen: str | None = None

    def add(self, kind: Kind, when: datetime) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        stamp = when.astimezone(UTC).isoformat(timespec="seconds")
        self.first_seen = self.first_seen or stamp
        self.last_seen = stamp

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def kind(self) -> Kind | None:
        """The kind this template has proved to hold (two pages agreeing, none against),
        else None (keep exploring)."""
        if not self.counts:
            return None
        best = max(self.counts, key=lambda k: self.counts[k])
        n = self.counts[best]
        if n >= 2 and n >= 0.8 * self.total:
            return best  # type: ignore[return-value]
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template, "kind": self.kind(), "counts": dict(self.counts),
                "first_seen": self.first_seen, "last_seen": self.last_seen}


class Knowledge:
    """Per site: URL template → what its pages proved to be. JSON round-trips through
    the archive (``sites.discovery``)."""

    def __init__(self, stats: dict[str, TemplateStats] | None = None) -> None:
        self.stats: dict[str, TemplateStats] = stats or {}
        self.loose: dict[str, TemplateStats] = {}
        for t in self.stats.values():
            loose = loose_template(t.template)
            if loose != t.template:
                agg = self.loose.setdefault(loose, TemplateStats(loose))
                for k, n in t.counts.items():
                    agg.counts[k] = agg.counts.get(k, 0) + n

    @classmethod
    def from_json(cls, data: Any) -> Knowledge:
        stats: dict[str, TemplateStats] = {}
        for row in (data or {}).get("templates", []) if isinstance(data, dict) else []:
            try:
                t = TemplateStats(str(row["template"]), {str(k): int(v) for k, v in row["counts"].items()},
                                  row.get("first_seen"), row.get("last_seen"))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            stats[t.template] = t
        return cls(stats)

    def to_json(self) -> dict[str, Any]:
        rows = sorted(self.stats.values(), key=lambda t: (-t.total, t.template))
        return {"version": 1, "templates": [t.to_dict() for t in rows]}

    def observe(self, url: str, kind: Kind, when: datetime | None = None) -> str:
        template = url_template(url)
        stats = self.stats.setdefault(template, TemplateStats(template))
        stats.add(kind, when or datetime.now(UTC))
        loose = loose_template(template)
        if loose != template:
            self.loose.setdefault(loose, TemplateStats(loose)).add(kind, when or datetime.now(UTC))
        return template

    def kind_of(self, url: str) -> Kind | None:
        """What pages of this URL's template proved to be; else what its looser template
        (any section of the site) proved; else None."""
        template = url_template(url)
        stats = self.stats.get(template)
        kind = stats.kind() if stats else None
        if kind is None:
            loose = self.loose.get(loose_template(template))
            kind = loose.kind() if loose else None
        return kind

    def proven(self, kind: Kind) -> list[str]:
        return [t for t, s in self.stats.items() if s.kind() == kind]

    def __bool__(self) -> bool:
        return bool(self.stats)
