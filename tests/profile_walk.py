"""Walk a sample site with a CMS profile, offline: no HTTP server, no Scrapy.

The profile's own rules (start requests, listing parsing, next pages, canonical
keys) drive the walk, pages come from ``site.route`` directly, and articles are read
by :func:`crawler.extraction.extract` — the same function the spider calls. The
per-profile tests use it to check a profile against its sample site's ground truth
quickly; the end-to-end crawl tests (tests/crawler/test_crawl.py) then check the real thing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from archive.storage.records import Extracted
from crawler.extraction import extract
from crawler.profiles import Page, Profile, RequestSpec, get_profile
from tests.sample_sites.base import Request, Response, SampleSite


def fetch(site: SampleSite, spec: RequestSpec | str) -> Response:
    """What the site answers to a request (a URL or a profile's RequestSpec)."""
    if isinstance(spec, str):
        spec = RequestSpec(spec)
    parts = urlsplit(spec.url)
    headers = {k.lower(): v for k, v in spec.headers}
    body = b""
    if spec.json_body is not None:
        body = json.dumps(spec.json_body).encode()
        headers["content-type"] = "application/json"
    elif spec.formdata is not None:
        body = urlencode(list(spec.formdata)).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    method = spec.method if spec.json_body is None and spec.formdata is None else "POST"
    req = Request(method, parts.path or "/", parse_qs(parts.query, keep_blank_values=True), headers, body)
    return site.route(req)


def page_of(resp: Response, url: str) -> Page:
    raw = resp.body_bytes()
    charset = "utf-8"
    for part in resp.content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip()
    return Page(url, raw.decode(charset, "replace"), resp.content_type.split(";")[0])


def walk(
    site: SampleSite, profile: str | Profile | None = None, *, max_pages: int = 500
) -> tuple[list[str], dict[str, Extracted]]:
    """(article URLs in the order listings gave them, {article_key: extracted})."""
    prof = get_profile(profile or site.profile) if not isinstance(profile, Profile) else profile
    queue = list(prof.start_requests(site.start_urls()))
    discover = getattr(prof, "discovery_requests", None)
    seen_specs: set[Any] = set()
    order: list[str] = []
    articles: dict[str, Extracted] = {}
    pages = 0
    while queue and pages < max_pages:
        spec = queue.pop(0)
        ident = (spec.url, spec.method, spec.formdata, json.dumps(spec.json_body, sort_keys=True))
        if ident in seen_specs:
            continue
        seen_specs.add(ident)
        pages += 1
        resp = fetch(site, spec)
        if resp.status != 200:
            raise AssertionError(f"listing {spec.url} answered {resp.status}")
        listing = prof.parse_listing(page_of(resp, spec.url), spec)
        for url in listing.articles:
            key = prof.article_key(url)
            if key in articles:
                continue
            order.append(url)
            art = fetch(site, url)
            if art.status != 200:
                raise AssertionError(f"article {url} answered {art.status}")
            articles[key] = extract(art.body_bytes(), url, content_type=art.content_type, profile=prof)
        queue.extend(listing.next)
    del discover
    return order, articles


def compare(site: SampleSite, articles: dict[str, Extracted], profile: str | Profile | None = None) -> list[str]:
    """Differences between what was extracted and the site's ground truth (empty: all good)."""
    prof = get_profile(profile or site.profile) if not isinstance(profile, Profile) else profile
    problems: list[str] = []
    truth = {prof.article_key(t["url"]): t for t in site.ground_truth()}
    for key in truth.keys() - articles.keys():
        problems.append(f"missing {key}")
    for key in articles.keys() - truth.keys():
        problems.append(f"unexpected {key}")
    for key, t in truth.items():
        got = articles.get(key)
        if got is None:
            continue
        if got.title != t["title"]:
            problems.append(f"{key}: title {got.title!r} != {t['title']!r}")
        if (got.published.isoformat() if got.published else None) != t["published"]:
            problems.append(f"{key}: published {got.published} != {t['published']}")
        if got.text != t["text"]:
            problems.append(f"{key}: text differs:\n  got  {got.text[:300]!r}\n  want {t['text'][:300]!r}")
        want_files = sorted(a["filename"] for a in t["attachments"])
        got_files = sorted(urlsplit(u).path.rsplit("/", 1)[-1] for u in got.attachment_links)
        if got_files != want_files:
            problems.append(f"{key}: attachments {got_files} != {want_files}")
    return problems
