"""Every profile reads robots.txt, feeds and sitemaps the same way (Profile.parse_discovery),
so an auto crawl that recognizes the CMS midway still reads the discovery documents it asked for."""

from __future__ import annotations

import pytest

from crawler.profiles import Page, RequestSpec, get_profile
from crawler.profiles.base import is_discovery
from tests.sample_sites import SITES


@pytest.mark.parametrize("name", sorted(SITES))
def test_a_sitemap_of_any_platform_gives_its_articles(name):
    site = SITES[name](12)
    profile = get_profile(name)
    urls = "".join(f"<url><loc>{site.esc(site.article_url(a))}</loc></url>" for a in site.articles)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>'
           f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
           f"<url><loc>{site.base_url}/lien-he</loc></url>"  # not an article
           '<url><loc>https://elsewhere.example/x-y-z-w</loc></url></urlset>')
    page = Page(site.base_url + "/sitemap.xml", xml, "application/xml")
    assert is_discovery(page)
    listing = profile.parse_discovery(page, RequestSpec(page.url))
    want = [profile.article_key(site.article_url(a)) for a in site.articles]
    assert [profile.article_key(u) for u in listing.articles] == want


@pytest.mark.parametrize("name", ["liferay", "joomla", "auto"])
def test_robots_txt_sitemap_lines_are_followed(name):
    text = "User-agent: *\nDisallow: /tim-kiem\n\nSitemap: /sitemap.xml\nsitemap: http://127.0.0.1/news.xml\n"
    page = Page("http://127.0.0.1/robots.txt", text, "text/plain")
    listing = get_profile(name).parse_discovery(page, RequestSpec(page.url))
    assert listing.articles == ()
    assert [s.url for s in listing.next] == ["http://127.0.0.1/sitemap.xml", "http://127.0.0.1/news.xml"]


def test_html_pages_are_not_discovery_documents():
    site = SITES["liferay"](3)
    assert not is_discovery(Page(site.start_urls()[0], "<!DOCTYPE html><html><body></body></html>", "text/html"))
