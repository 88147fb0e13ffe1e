"""An offline ``auto`` walk of a sample site driven by :class:`crawler.discovery.explore.Explorer`.

The same decisions the spider makes for an unrecognized site (judge each page by its
content, plan articles / listings / probes, read an article with the layout its
verdict taught), without Scrapy or an HTTP server: pages come from ``site.route``.
Used by the fast discovery tests and bench/discovery_bench.py.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from archive.storage.records import Extracted
from archive.vietnamese.textnorm import content_hash
from crawler.discovery.explore import Explorer, reading_profile
from crawler.discovery.templates import Knowledge
from crawler.extraction import extract
from crawler.extraction.encoding import decode_html
from crawler.profiles import Page, RequestSpec, get_profile
from tests.profile_walk import fetch
from tests.sample_sites.base import SampleSite


@dataclass
class Walk:
    articles: dict[str, Extracted] = field(default_factory=dict)  # article_key → extracted
    requests: list[str] = field(default_factory=list)  # every URL fetched, in order
    non_articles: int = 0  # pages fetched that were no article
    knowledge: Knowledge = field(default_factory=Knowledge)


def walk(site: SampleSite, *, knowledge: Knowledge | None = None, depth: int = 3,
         budget: int = 200, max_requests: int = 2000) -> Walk:
    auto = get_profile("auto")
    explorer = Explorer(knowledge, depth=depth, budget=budget)
    out = Walk(knowledge=explorer.knowledge)
    queue: deque[tuple[str | RequestSpec, int, bool]] = deque((u, 0, False) for u in site.start_urls())
    planned: set[str] = set()
    by_content: dict[str, str] = {}
    seen_pages: set[str] = set()
    while queue and len(out.requests) < max_requests:
        target, depth_here, as_article = queue.popleft()
        spec = target if isinstance(target, RequestSpec) else RequestSpec(target)
        url = spec.url
        key = auto.article_key(url)
        page_id = auto.canonical_url(url) + repr(spec.formdata or "")
        if key in planned or page_id in seen_pages:
            continue
        seen_pages.add(page_id)
        if as_article:
            planned.add(key)
        out.requests.append(url)
        resp = fetch(site, spec)
        if resp.status in (301, 302, 303, 307, 308):
            location = resp.headers.get("Location")
            if location:
                queue.appendleft((location, depth_here, as_article))
            continue
        if resp.status != 200 or not resp.content_type.startswith("text/html"):
            continue
        text = decode_html(resp.body_bytes(), resp.content_type).text
        verdict = explorer.judge(text, url)
        if verdict.kind == "article":
            ex = extract(resp.body_bytes(), url, content_type=resp.content_type,
                         profile=reading_profile(verdict, auto))
            planned.add(ex.article_key)
            digest = content_hash(ex.title, ex.published, ex.text)
            same = by_content.setdefault(digest, ex.article_key)  # a URL variant of one article
            out.articles.setdefault(same, ex)
            plan = explorer.plan(verdict, url, explorer.depth)  # from an article: no probes
        else:
            out.non_articles += 1
            plan = explorer.plan(verdict, url, depth_here)
        for link in plan.articles:
            queue.appendleft((link, depth_here, True))
        for link in plan.listings:
            queue.append((link, depth_here, False))
        if verdict.kind == "listing":
            for post in explorer.postbacks(Page(url, text), spec):
                queue.append((post, depth_here, False))
        for link in plan.probes:
            if explorer.take_probe(link):
                queue.append((link, depth_here + 1, False))
    return out
