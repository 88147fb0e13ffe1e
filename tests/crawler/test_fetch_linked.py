"""Fetch what the site links: article requests go to the URLs the pages link, the profile's
canonical URL is only the article's identity. A server that answers 404 to every
canonicalized URL it never links still gets archived completely, for every CMS profile."""

from __future__ import annotations

import json

import pytest

from crawler.profiles import RequestSpec, get_profile
from tests.crawlkit import mismatches, path_of, served, served_site
from tests.profile_walk import fetch, page_of
from tests.sample_sites import SITES


def _linked(site, profile) -> set[str]:
    """Paths (with query) of the article links the site's listings give, as given."""
    prof = get_profile(profile)
    queue = list(prof.start_requests(site.start_urls()))
    seen: set[tuple] = set()
    out: set[str] = set()
    while queue and len(seen) < 50:
        spec: RequestSpec = queue.pop(0)
        ident = (spec.url, spec.formdata, json.dumps(spec.json_body, sort_keys=True))
        if ident in seen:
            continue
        seen.add(ident)
        resp = fetch(site, spec)
        if resp.status != 200:
            continue
        listing = prof.parse_listing(page_of(resp, spec.url), spec)
        out |= {path_of(u) for u in listing.articles}
        queue.extend(listing.next)
    return out


@pytest.mark.parametrize("profile", sorted(SITES))
def test_a_server_that_404s_canonical_urls_is_archived_from_its_links(profile, tmp_path):
    with served(profile, tmp_path, n=24) as s:
        canonical = {path_of(s.profile.canonical_url(s.site.article_url(a))) for a in s.site.articles}
        refused = canonical - _linked(s.site, profile)
        if profile in ("joomla", "liferay", "webcenter"):
            assert refused, "these sites never link the canonical form"
        s.server.refuse(refused, 404)
        out = json.loads(s.crawl(s.key, "--json").stdout)["runs"][0]
        assert out["outcome"] == "finished" and out["failed"] == 0, out
        assert mismatches(s) == []
        asked = {r.path for r in s.server.log}
        assert not asked & refused, sorted(asked & refused)[:3]


def test_joomla_requests_the_linked_url_not_a_constructed_one(tmp_path):
    with served("joomla", tmp_path, n=12) as s:
        s.crawl(s.key)
        constructed = {path_of(s.profile.canonical_url(s.site.article_url(a))) for a in s.site.articles}
        assert not {r.path for r in s.server.log} & constructed
        # snapshots are stored under the URL fetched
        from sqlalchemy import select

        from archive.storage.models import Snapshot
        from archive.storage.store import Archive

        with Archive.open(s.db) as a, a.sessions() as session:
            urls = set(session.scalars(select(Snapshot.url)))
        assert not {path_of(u) for u in urls} & constructed


def test_another_linked_variant_is_tried_when_the_first_fails(tmp_path):
    with served_site("tabledesk", tmp_path, n=12) as s:
        # the news table links ?tabid=87&ItemID=N, the home page ?ItemID=N&tabid=87: one
        # article; the first URL seen fails, the other still serves it
        target = s.site.articles[0]
        first = path_of(s.site.article_url(target))
        s.server.refuse({first}, 404)
        run = json.loads(s.crawl(s.key, "--json").stdout)["runs"][0]
        assert run["outcome"] == "finished" and run["failed"] == 0, run
        titles = {a["title"] for a in s.archived().values()}
        assert titles == {a.title for a in s.site.articles}
        tried = [r.path for r in s.server.log if f"ItemID={target.id}" in r.path]
        assert first in tried and path_of(s.site.home_url(target)) in tried
