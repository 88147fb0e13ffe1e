"""The read-only web interface and JSON API (Starlette + Jinja2), Datasette-style.

Every HTML page has a JSON twin: the same URL with ``.json`` or an ``Accept:
application/json`` header. The URLs are a public contract::

    /search?q=…&site=…&province=…&from=…&until=…&flag=…&min_vnd=…&all_versions=1&page=…&size=…
    /search.csv?…, /search.jsonl?…          the whole result set (up to MAX_DOWNLOAD rows)
    /articles/<id>                          the latest version, flags, attachments, versions
    /articles/<id>/versions/<n>             a version's permalink
    /articles/<id>/diff?from=<n>&to=<m>     word-level differences between two versions
    /articles/<id>/versions/<n>/captured    the stored page, sanitized, in a CSP sandbox
    /flags                                  conferences by event date, funding totals
    /sites                                  the ops view (the data of ``status --json``)
    /health                                 200 and the schema revision

Safe by default: the database is opened read-only, every archived string is escaped
by Jinja2's autoescaping (snippets are built from escaped text, see
:mod:`archive.read.search`), no page runs a script (``script-src 'none'``), page sizes
and query times are bounded (a request beyond them gets 400 and a message).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from archive.errors import InputError
from archive.read import search as fts
from archive.read.worddiff import changed_words, word_diff
from archive.storage.models import (
    Article,
    ArticleVersion,
    Attachment,
    Flag,
    Payload,
    Site,
    Snapshot,
)

HERE = Path(__file__).parent
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_DOWNLOAD = 10_000
MAX_QUERY_CHARS = 500
DEFAULT_TIMEOUT_MS = 2_000
#: The article text shown on a page at most (a 5 MB page is cut, with a note).
MAX_SHOWN_CHARS = 300_000

PAGE_CSP = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'self'; frame-src 'self'; img-src 'self' data:; "
            "style-src 'self'")
CAPTURED_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                "frame-ancestors 'self'; form-action 'none'; base-uri 'none'")


class JSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=_jsonable).encode("utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Markup):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


@dataclass
class Settings:
    max_page_size: int = MAX_PAGE_SIZE
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    facet_timeout_ms: int = 500
    max_download: int = MAX_DOWNLOAD
    #: What "upcoming" is measured from (tests pin it).
    today: Any = date.today


# -- helpers ---------------------------------------------------------------------------------


def wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _iso(value: Any) -> str | None:
    return _jsonable(value) if isinstance(value, date | datetime) else value


def _param_int(request: Request, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name} must be a whole number, not {raw!r}") from None
    if not lo <= value <= hi:
        raise InputError(f"{name} must be between {lo} and {hi} (got {value})")
    return value


def _param_date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{name} must be a date YYYY-MM-DD, not {raw!r}") from None


def _filters(request: Request) -> fts.Filters:
    p = request.query_params
    kinds = tuple(k for k in p.getlist("flag") if k)
    for k in kinds:
        if k not in ("conference", "funding"):
            raise InputError(f"flag must be conference or funding, not {k!r}")
    min_vnd = _param_int(request, "min_vnd", None, 0, 10**18)
    return fts.Filters(
        sites=tuple(s for s in p.getlist("site") if s), province=p.get("province") or None,
        published_from=_param_date(request, "from"), published_until=_param_date(request, "until"),
        flag_kinds=kinds, min_vnd=min_vnd, all_versions=p.get("all_versions") in ("1", "on", "true"),
    )


def url_with(request: Request, path: str | None = None, **changes: Any) -> str:
    """The current URL's query with ``changes`` (None removes a key; a list repeats it)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for k, v in changes.items():
        if v is None:
            continue
        for one in v if isinstance(v, list | tuple) else [v]:
            items.append((k, one))
    query = urlencode(items)
    return (path or request.url.path) + (f"?{query}" if query else "")


def _format_vnd(value: int | None) -> str:
    if value is None:
        return "—"
    if value >= 10**9:
        return f"{value / 10**9:,.2f} tỷ đồng".replace(",", " ")
    if value >= 10**6:
        return f"{value / 10**6:,.1f} triệu đồng".replace(",", " ")
    return f"{value:,} đồng".replace(",", ".")


def highlight_sentences(text: str, sentences: list[str]) -> Markup:
    """``text`` escaped, with each of ``sentences`` found in it wrapped in ``<mark>``."""
    spans: list[tuple[int, int]] = []
    for s in sentences:
        s = (s or "").strip()
        if len(s) < 5:
            continue
        i = text.find(s)
        if i == -1:
            continue
        spans.append((i, i + len(s)))
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append('<mark class="evidence">' + escape(text[start:end]) + "</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return Markup("".join(out))


# -- the captured page ------------------------------------------------------------------------


def sanitize_snapshot(body: bytes, charset: str | None) -> str:
    """A stored page with scripts, event handlers, forms, frames, objects and remote resources removed."""
    import lxml.html
    from lxml_html_clean import Cleaner

    try:
        html_text = body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        html_text = body.decode("utf-8", errors="replace")
    if not html_text.strip():
        return "<!doctype html><p>(empty page)</p>"
    cleaner = Cleaner(
        scripts=True, javascript=True, comments=True, style=False, inline_style=False,
        links=True, meta=True, page_structure=False, processing_instructions=True,
        embedded=True, frames=True, forms=True, annoying_tags=True, remove_unknown_tags=False,
        safe_attrs_only=True, add_nofollow=True,
    )
    try:
        doc = lxml.html.document_fromstring(html_text)
    except (ValueError, lxml.etree.ParserError):
        return "<!doctype html><p>(the stored page could not be parsed)</p>"
    doc = cleaner.clean_html(doc)
    # remote images and backgrounds would be fetched from the original site (or blocked
    # by the CSP, with console noise): they are dropped, their alt text stays
    for el in doc.iter("img"):
        src = el.get("src") or ""
        if not src.startswith("data:"):
            el.attrib.pop("src", None)
            el.set("data-archived-src", src[:500])
        el.attrib.pop("srcset", None)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("background", "style"):
            if "url(" in (el.get(attr) or "").lower():
                del el.attrib[attr]
        href = (el.get("href") or "").strip().lower()
        if href.startswith(("javascript:", "vbscript:", "data:")):
            del el.attrib["href"]
    for base in doc.iter("base"):
        base.drop_tree()
    out = lxml.html.tostring(doc, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    banner = ('<div style="background:#fff3cd;border-bottom:1px solid #c9a227;padding:4px 8px;'
              'font:13px sans-serif">Archived copy, sanitized: scripts, forms, frames and remote '
              "resources removed.</div>")
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, out, count=1) if "<body" in out else banner + out


# -- the application ------------------------------------------------------------------------------


class Web:
    """The endpoints, sharing one read-only engine."""

    def __init__(self, engine: Engine, settings: Settings, ops=None) -> None:
        self.engine = engine
        self.settings = settings
        self.ops = ops
        env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True)
        env.globals.update(url_with=url_with, vnd=_format_vnd, iso=_iso)
        env.filters["vnd"] = _format_vnd
        self.templates = Jinja2Templates(env=env)

    # responses

    def render(self, request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
        if wants_json(request):
            return JSON(data, status_code=status)
        base = request.url.path.removesuffix(".json")
        json_url = base + ".json" + (f"?{request.url.query}" if request.url.query else "")
        return self.templates.TemplateResponse(
            request, template, {**data, "json_url": json_url, "page_path": base}, status_code=status
        )

    def error(self, request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSON({"error": message, "status": status}, status_code=status)
        return self.templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message, "json_url": None},
            status_code=status,
        )

    # pages

    def home(self, request: Request) -> Response:
        return RedirectResponse("/search", status_code=302)

    def health(self, request: Request) -> Response:
        from archive.storage.db import current_revision, head_revision

        revision = current_revision(self.engine)
        return JSON({"status": "ok", "schema_revision": revision, "head": head_revision(),
                     "read_only": True})

    def _search_args(self, request: Request) -> tuple[str, fts.Filters]:
        q = (request.query_params.get("q") or "").strip()
        if len(q) > MAX_QUERY_CHARS:
            raise InputError(f"the query is too long ({len(q)} characters; at most {MAX_QUERY_CHARS})")
        return q, _filters(request)

    def search(self, request: Request) -> Response:
        q, filters = self._search_args(request)
        size = _param_int(request, "size", DEFAULT_PAGE_SIZE, 1, self.settings.max_page_size)
        page = _param_int(request, "page", 1, 1, 10_000)
        data: dict[str, Any] = {"query": q, "filters": filters.describe(), "size": size,
                                "page": page, "total": 0, "hits": [], "facets": {}, "pages": 0,
                                "facets_approximate": None, "ranked_among": None,
                                "sites": [], "links": {}}
        with self.engine.connect() as conn:
            data["sites"] = [key for _id, key, _name in fts._site_rows(conn)]
            if q:
                query = fts.parse_query(q)
                timeout = self.settings.timeout_ms
                hits = fts.search(conn, query, filters, limit=size, offset=(page - 1) * size,
                                  timeout_ms=timeout)
                # facets are a help, not the answer: like Datasette's facet_time_limit_ms, they
                # get a shorter limit and are left out (with a note) when it runs out; they
                # count the total on the way, else it is counted on its own (unless the
                # search ranked every match, and so counted them)
                try:
                    facets = fts.facets(conn, query, filters, timeout_ms=self.settings.facet_timeout_ms,
                                        total=hits.matched)
                    total = facets.pop("total")
                    # beyond fts.FACET_EXACT_MAX matches the facet counts are estimated from a
                    # sample (the total stays exact): said in the page and its JSON
                    data["facets_approximate"] = facets.pop("approximate")
                except fts.QueryTooExpensive:
                    facets, data["facets_note"] = {}, "too many matches to count by facet: narrow the search"
                    total = hits.matched if hits.matched is not None else \
                        fts.count(conn, query, filters, timeout_ms=timeout)
                data.update(
                    total=total, pages=math.ceil(total / size), hits=[h.record() for h in hits],
                    ranked_among=hits.ranked_among,
                    facets=facets, folded=" ".join(" ".join(t.words) for t in query.terms),
                )
                data["links"] = {
                    "csv": url_with(request, "/search.csv", page=None, size=None),
                    "jsonl": url_with(request, "/search.jsonl", page=None, size=None),
                    "next": url_with(request, "/search", page=page + 1) if page * size < total else None,
                    "prev": url_with(request, "/search", page=page - 1) if page > 1 else None,
                }
        return self.render(request, "search.html", data)

    def download(self, request: Request) -> Response:
        fmt = "csv" if request.url.path.endswith(".csv") else "jsonl"
        q, filters = self._search_args(request)
        if not q:
            raise InputError(f"give a query: /search.{fmt}?q=…")
        query = fts.parse_query(q)
        limit = _param_int(request, "limit", self.settings.max_download, 1, self.settings.max_download)
        with self.engine.connect() as conn:
            rows: list[dict[str, Any]] = []
            offset = 0
            while offset < limit:
                n = min(fts.MAX_LIMIT, limit - offset)
                hits = fts.search(conn, query, filters, limit=n, offset=offset,
                                  timeout_ms=self.settings.timeout_ms)
                rows += [h.record() for h in hits]
                if len(hits) < n:
                    break
                offset += n
        fields = ["id", "version", "current", "versions", "site", "url", "title", "published",
                  "fetched_at", "score", "flags", "snippet"]
        buf = io.StringIO()
        if fmt == "csv":
            writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            for r in rows:
                writer.writerow({**r, "flags": " ".join(r["flags"])})
            media = "text/csv; charset=utf-8"
        else:
            for r in rows:
                buf.write(json.dumps({k: r[k] for k in fields}, ensure_ascii=False) + "\n")
            media = "application/x-ndjson; charset=utf-8"
        return Response(buf.getvalue(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="search.{fmt}"'})

    # articles

    def _article(self, session: Session, article_id: int) -> Article:
        article = session.get(Article, article_id)
        if article is None:
            raise HTTPException(404, f"no article #{article_id} in the archive")
        return article

    def _versions(self, session: Session, article_id: int) -> list[ArticleVersion]:
        return list(session.scalars(
            select(ArticleVersion).where(ArticleVersion.article_id == article_id)
            .order_by(ArticleVersion.number)))

    def article(self, request: Request) -> Response:
        article_id = request.path_params["id"]
        number = request.path_params.get("n")
        with Session(self.engine) as s:
            article = self._article(s, article_id)
            versions = self._versions(s, article_id)
            if not versions:
                raise HTTPException(404, f"article #{article_id} has no version")
            if number is None:
                version = next((v for v in versions if v.id == article.current_version_id), versions[-1])
            else:
                version = next((v for v in versions if v.number == number), None)
                if version is None:
                    raise HTTPException(404, f"article #{article_id} has no version {number}")
            data = self._article_data(s, article, version, versions)
        return self.render(request, "article.html", data)

    def _article_data(self, s: Session, article: Article, v: ArticleVersion,
                      versions: list[ArticleVersion]) -> dict[str, Any]:
        snap = s.get(Snapshot, v.snapshot_id) if v.snapshot_id else None
        flags = list(s.scalars(select(Flag).where(Flag.version_id == v.id).order_by(Flag.kind)))
        attachments = list(s.scalars(select(Attachment).where(Attachment.version_id == v.id)
                                     .order_by(Attachment.id)))
        evidence = [e for f in flags for e in (f.evidence or [])]
        shown = v.text[:MAX_SHOWN_CHARS]
        base = f"/articles/{article.id}"
        return {
            "article": {
                "id": article.id, "site": article.site.key, "site_name": article.site.name,
                "url": article.canonical_url, "article_key": article.article_key,
                "first_seen": article.first_seen, "last_seen": article.last_seen,
                "gone_at": article.gone_at, "versions": len(versions),
                "current_version": next((x.number for x in versions if x.id == article.current_version_id), None),
            },
            "version": {
                "number": v.number, "current": v.id == article.current_version_id,
                "permalink": f"{base}/versions/{v.number}", "title": v.title,
                "published": v.published, "published_at": v.published_at,
                "published_source": v.published_source, "updated": v.updated,
                "updated_source": v.updated_source, "language": v.language,
                "source_line": v.source_line, "fetched_at": v.fetched_at,
                "produced_by": v.produced_by, "extractor": v.extractor,
                "content_hash": v.content_hash, "text": v.text[:MAX_SHOWN_CHARS],
                "text_truncated": len(v.text) > MAX_SHOWN_CHARS, "text_chars": len(v.text),
                "captured": f"{base}/versions/{v.number}/captured" if snap is not None else None,
            },
            "snapshot": {
                "id": snap.id, "url": snap.url, "status": snap.status, "fetched_at": snap.fetched_at,
                "content_type": snap.content_type, "charset": snap.charset,
                "charset_source": snap.charset_source, "source": snap.source,
            } if snap is not None else None,
            "text_html": highlight_sentences(shown, evidence),
            "flags": [
                {"kind": f.kind, "subtype": f.subtype, "score": round(f.score, 3),
                 "evidence": list(f.evidence or []), "facts": f.facts, "rules_version": f.rules_version}
                for f in flags
            ],
            "attachments": [
                {"id": a.id, "url": a.url, "filename": a.filename, "media_type": a.media_type,
                 "status": a.status, "note": a.note, "text": a.text[:MAX_SHOWN_CHARS]}
                for a in attachments
            ],
            "versions": [
                {"number": x.number, "fetched_at": x.fetched_at, "produced_by": x.produced_by,
                 "title": x.title, "published": x.published, "content_hash": x.content_hash,
                 "current": x.id == article.current_version_id,
                 "permalink": f"{base}/versions/{x.number}"}
                for x in versions
            ],
        }

    def diff(self, request: Request) -> Response:
        article_id = request.path_params["id"]
        with Session(self.engine) as s:
            article = self._article(s, article_id)
            versions = self._versions(s, article_id)
            by_number = {v.number: v for v in versions}
            last = versions[-1].number if versions else 1
            to_n = _param_int(request, "to", last, 1, 10**6)
            from_n = _param_int(request, "from", max(1, to_n - 1), 1, 10**6)
            if from_n not in by_number or to_n not in by_number:
                raise HTTPException(404, f"article #{article_id} has versions 1 to {last}")
            old, new = by_number[from_n], by_number[to_n]
            title = word_diff(old.title or "", new.title or "")
            body = word_diff(old.text[:MAX_SHOWN_CHARS], new.text[:MAX_SHOWN_CHARS])
            data = {
                "article": {"id": article.id, "url": article.canonical_url, "site": article.site.key,
                            "title": new.title},
                "from": {"number": old.number, "fetched_at": old.fetched_at, "published": old.published},
                "to": {"number": new.number, "fetched_at": new.fetched_at, "published": new.published},
                "versions": [{"number": v.number, "fetched_at": v.fetched_at} for v in versions],
                "title_diff": title, "text_diff": body,
                "changed": {"title": changed_words(title), "text": changed_words(body)},
                "published_changed": old.published != new.published,
            }
        return self.render(request, "diff.html", data)

    def captured(self, request: Request) -> Response:
        article_id, number = request.path_params["id"], request.path_params["n"]
        with Session(self.engine) as s:
            row = s.execute(
                select(Payload.data, Payload.compression, Snapshot.charset)
                .join(Snapshot, Snapshot.payload_id == Payload.id)
                .join(ArticleVersion, ArticleVersion.snapshot_id == Snapshot.id)
                .where(ArticleVersion.article_id == article_id, ArticleVersion.number == number)
            ).first()
        if row is None:
            raise HTTPException(404, f"no stored page for article #{article_id} version {number}")
        data, compression, charset = row
        body = zlib.decompress(data) if compression == "zlib" else data
        html_text = sanitize_snapshot(body, charset)
        return HTMLResponse(html_text, headers={"Content-Security-Policy": CAPTURED_CSP,
                                                "X-Frame-Options": "SAMEORIGIN"})

    # flags

    def flags(self, request: Request) -> Response:
        province = request.query_params.get("province") or None
        size = _param_int(request, "size", 50, 1, self.settings.max_page_size)
        today = self.settings.today()
        wanted = None
        if province:
            from archive.vietnamese import provinces

            wanted = provinces.lookup(province)
            if wanted is None:
                raise InputError(f"unknown province {province!r} (a current or pre-2025 name)")
        with Session(self.engine) as s:
            sites = {sid: fts.site_province(key, name) for sid, key, name in
                     s.execute(select(Site.id, Site.key, Site.name)).all()}
            keys = dict(s.execute(select(Site.id, Site.key)).all())
            rows = s.execute(
                select(Flag.kind, Flag.subtype, Flag.score, Flag.facts, Flag.evidence, Article.id,
                       Article.site_id, ArticleVersion.title, ArticleVersion.published)
                .join(ArticleVersion, ArticleVersion.id == Flag.version_id)
                .join(Article, Article.current_version_id == ArticleVersion.id)
                .order_by(Article.id)
            ).all()
        conferences, funding = [], []
        totals: dict[tuple[str, int | None], int] = {}
        per_year: dict[int, int] = {}
        for kind, subtype, score, facts, _evidence, aid, site_id, title, published in rows:
            cur, former = sites.get(site_id, (None, None))
            item = {"id": aid, "site": keys.get(site_id), "title": title, "published": published,
                    "subtype": subtype, "score": round(score, 3), "province": cur}
            if kind == "conference":
                place = facts.get("current_province") or cur
                if wanted and wanted not in (place, facts.get("location"), cur, former):
                    continue
                item.update(event_date=facts.get("event_date"), location=facts.get("location"),
                            event_name=facts.get("event_name"), place=place)
                conferences.append(item)
            else:
                if wanted and wanted not in (cur, former):
                    continue
                amounts = [a.get("vnd") for a in facts.get("amounts") or [] if isinstance(a.get("vnd"), int)]
                top = max(amounts) if amounts else None
                year = facts.get("year") or (published.year if published else None)
                item.update(amounts=amounts, largest=top, year=year, programme=facts.get("programme"))
                funding.append(item)
                if top:
                    totals[(cur or "—", year)] = totals.get((cur or "—", year), 0) + top
                    if year:
                        per_year[year] = per_year.get(year, 0) + top
        iso_today = today.isoformat()
        upcoming = sorted((c for c in conferences if (c["event_date"] or "") >= iso_today),
                          key=lambda c: (c["event_date"], c["id"]))
        past = sorted((c for c in conferences if (c["event_date"] or "") < iso_today),
                      key=lambda c: (c["event_date"] or "", c["id"]), reverse=True)
        funding.sort(key=lambda f: (f["published"] or date.min, f["id"]), reverse=True)
        chart_max = max(per_year.values(), default=0)
        data = {
            "province": wanted, "today": today,
            "conferences": {"upcoming": upcoming[:size], "past": past[:size],
                            "total": len(conferences)},
            "funding": {
                "announcements": funding[:size], "total": len(funding),
                "totals": [{"province": p, "year": y, "vnd": v}
                           for (p, y), v in sorted(totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))],
                "per_year": [{"year": y, "vnd": v} for y, v in sorted(per_year.items())],
            },
            "chart": [{"year": y, "vnd": v, "height": round(160 * v / chart_max) if chart_max else 0}
                      for y, v in sorted(per_year.items())],
        }
        return self.render(request, "flags.html", data)

    # ops

    def sites(self, request: Request) -> Response:
        report = None
        if self.ops is not None:
            report = self.ops(self.engine)
        else:
            report = self._db_sites()
        return self.render(request, "sites.html", report)

    def _db_sites(self) -> dict[str, Any]:
        from archive.storage.models import CrawlRun

        with Session(self.engine) as s:
            counts = dict(s.execute(select(Article.site_id, func.count()).group_by(Article.site_id)).all())
            out = []
            for site in s.scalars(select(Site).order_by(Site.key)):
                run = s.scalars(select(CrawlRun).where(CrawlRun.site_id == site.id)
                                .order_by(CrawlRun.id.desc()).limit(1)).first()
                out.append({
                    "site": site.key, "name": site.name, "enabled": None, "schedule": None,
                    "articles": counts.get(site.id, 0),
                    "last_run": {"id": run.id, "started_at": _iso(run.started_at),
                                 "finished_at": _iso(run.finished_at), "outcome": run.outcome,
                                 "new_articles": run.new_articles, "new_versions": run.new_versions,
                                 "failed": run.failed} if run else None,
                    "running": None, "next_run": None, "queued": [], "lease": None,
                    "healthy": None, "warnings": [], "notes": ["no scheduler installed: archive data only"],
                })
        return {"checked_at": _iso(datetime.now(UTC)), "sites": out, "unhealthy": [], "queued": 0}


class SecurityHeaders:
    """Every response: a CSP with no script at all, no sniffing, no referrer, same-origin frames."""

    HEADERS = (
        (b"content-security-policy", PAGE_CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"cross-origin-opener-policy", b"same-origin"),
    )

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _v in headers}
                headers += [(k, v) for k, v in self.HEADERS if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def load_ops():
    """The ops report contributed by an installed package (``sct_archive.ops`` entry points)."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="sct_archive.ops"):
        try:
            return ep.load()
        except Exception:  # a broken plugin must not take the archive view down
            return None
    return None


def create_app(db_url: str | None = None, *, engine: Engine | None = None,
               settings: Settings | None = None, ops: Any = "auto") -> Starlette:
    """The web application on the archive at ``db_url`` (opened read-only)."""
    if engine is None:
        from archive.read.web.readonly import readonly_engine

        engine = readonly_engine(db_url)
    web = Web(engine, settings or Settings(), ops=load_ops() if ops == "auto" else ops)

    def json_twin(path: str, endpoint) -> list[Route]:
        return [Route(path, endpoint), Route(path + ".json", endpoint)]

    routes = [
        Route("/", web.home),
        Route("/health", web.health),
        Route("/health.json", web.health),
        *json_twin("/search", web.search),
        Route("/search.csv", web.download),
        Route("/search.jsonl", web.download),
        *json_twin("/articles/{id:int}", web.article),
        *json_twin("/articles/{id:int}/versions/{n:int}", web.article),
        *json_twin("/articles/{id:int}/diff", web.diff),
        Route("/articles/{id:int}/versions/{n:int}/captured", web.captured),
        *json_twin("/flags", web.flags),
        *json_twin("/sites", web.sites),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", 301)),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    async def input_error(request: Request, exc: Exception) -> Response:
        return web.error(request, 400, str(exc))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return web.error(request, exc.status_code, exc.detail or "error")

    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={InputError: input_error, HTTPException: http_error},
    )
    app.state.web = web
    app.state.engine = engine
    return app
