"""The ``auto`` profile: feed / sitemap / robots.txt discovery and generic listings.

Offline first: a small walker (below) follows a profile's start requests AND its
``discovery_requests`` against a sample site's ``route`` (tests/profile_walk.py's
``walk`` only follows start requests), answering ``/robots.txt`` the way
tests/sample_sites/server.py does and following redirects like Scrapy. Then two real
crawls (``sct-archive crawl`` in a child process) of the WordPress sample site
registered with ``profile = "auto"``: as served (the crawl recognizes WordPress and
switches profile) and with every WordPress fingerprint stripped (it stays ``auto``).
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.extraction import extract
from crawler.profiles import Listing, Page, RequestSpec, feeds, get_profile, recognize
from crawler.profiles.auto import AutoProfile
from tests.profile_walk import fetch, page_of
from tests.sample_sites import SITES
from tests.sample_sites.base import Request, Response
from tests.sample_sites.wordpress import WordPressSite

AUTO = get_profile("auto")


def canon(urls):
    """Listings give URLs as linked; their identity is the canonical form."""
    return tuple(AUTO.canonical_url(u) for u in urls)
BASE = "http://sct.example.gov.vn"


# -- an offline walker that also reads discovery -------------------------------------------------


def robots_txt(site) -> str:
    """What SampleServer answers for /robots.txt."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in site.robots_disallow)]
    if getattr(site, "has_sitemap", False):
        lines += ["", f"Sitemap: {site.base_url}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def get(site, spec: RequestSpec | str) -> tuple[str, Response]:
    """(final URL, response): robots.txt synthesized, redirects followed like Scrapy."""
    url = spec if isinstance(spec, str) else spec.url
    for _ in range(5):
        if url.removeprefix(site.base_url) == "/robots.txt":
            return url, Response(200, robots_txt(site), "text/plain; charset=utf-8")
        resp = fetch(site, url if isinstance(spec, str) or url != spec.url else spec)
        if resp.status not in (301, 302):
            return url, resp
        url = resp.headers["Location"]
    raise AssertionError(f"redirect loop at {url}")


def disallowed(site, url: str) -> bool:
    path = url.removeprefix(site.base_url)
    return any(path.startswith(p) for p in site.robots_disallow)


def discover_walk(site, profile=AUTO, *, start: bool = True, discovery: bool = True,
                  max_pages: int = 200) -> dict[str, Any]:
    """Walk listings (start requests and/or discovery) like the spider; collect article URLs.

    Returns {"articles": [canonical URLs, first-seen order], "fetched": [listing URLs],
    "statuses": {url: status}}. Discovery requests may 404 (optional, as in the spider).
    """
    queue: list[RequestSpec] = []
    if start:
        queue += list(profile.start_requests(site.start_urls()))
    if discovery:
        queue += list(profile.discovery_requests(site.base_url))
    seen: set[str] = set()
    articles: dict[str, str] = {}
    fetched: list[str] = []
    statuses: dict[str, int] = {}
    while queue and len(fetched) < max_pages:
        spec = queue.pop(0)
        if spec.url in seen or disallowed(site, spec.url):
            continue
        seen.add(spec.url)
        final, resp = get(site, spec)
        fetched.append(spec.url)
        statuses[spec.url] = resp.status
        if resp.status != 200:
            continue
        listing = profile.parse_listing(page_of(resp, final), spec)
        for url in listing.articles:
            articles.setdefault(profile.article_key(url), url)
        queue.extend(listing.next)
    return {"articles": list(articles.values()), "fetched": fetched, "statuses": statuses}


def truth_keys(site, profile=AUTO) -> set[str]:
    return {profile.article_key(t["url"]) for t in site.ground_truth()}


# -- discovery against the WordPress sample site ------------------------------------------------


def test_discovery_requests_are_few_and_rooted():
    specs = list(AUTO.discovery_requests(BASE + "/tin-tuc/index.html"))
    assert [s.url for s in specs] == [
        BASE + "/robots.txt", BASE + "/sitemap.xml", BASE + "/feed/", BASE + "/rss", BASE + "/rss.xml",
    ]
    assert all(s.method == "GET" and s.page == 0 for s in specs)
    assert [s.url for s in AUTO.discovery_requests(BASE)] == [s.url for s in specs]


def test_wordpress_site_found_through_robots_sitemap_and_feed_alone():
    site = WordPressSite(36)
    walked = discover_walk(site, start=False)
    keys = {AUTO.article_key(u) for u in walked["articles"]}
    assert keys == truth_keys(site)
    assert len(walked["articles"]) == 36
    fetched = [u.removeprefix(site.base_url) for u in walked["fetched"]]
    # robots.txt named /sitemap.xml (→ 301 /wp-sitemap.xml), read once; the index's post and
    # page sitemaps were read, its taxonomy and user sitemaps skipped
    assert fetched[0] == "/robots.txt" and fetched.count("/sitemap.xml") == 1
    assert "/wp-sitemap-posts-post-1.xml" in fetched and "/wp-sitemap-posts-page-1.xml" in fetched
    assert not [p for p in fetched if "taxonomies" in p or "users" in p]
    assert walked["statuses"][site.abs("/rss")] == 404  # guesses may miss: harmless
    assert walked["statuses"][site.abs("/feed/")] == 200


def test_wordpress_feed_alone_gives_the_latest_posts_newest_first():
    site = WordPressSite(36)
    spec = RequestSpec(site.abs("/feed/"))
    final, resp = get(site, spec)
    listing = AUTO.parse_listing(page_of(resp, final), spec)
    assert canon(listing.articles) == tuple(site.article_url(a) for a in site.articles[:10])
    assert listing.next == ()


def test_wordpress_sitemap_newest_lastmod_first():
    site = WordPressSite(36)
    spec = RequestSpec(site.abs("/wp-sitemap-posts-post-1.xml"), page=2)
    old = site.articles[-1]
    site.edit_article(old.id)  # the oldest post, edited: newest lastmod
    final, resp = get(site, spec)
    listing = AUTO.parse_listing(page_of(resp, final), spec)
    assert canon(listing.articles)[0] == site.article_url(old)
    assert set(canon(listing.articles)) == {site.article_url(a) for a in site.articles}


def test_wordpress_site_full_walk_with_listings_and_discovery():
    site = WordPressSite(36)
    walked = discover_walk(site)
    assert {AUTO.article_key(u) for u in walked["articles"]} == truth_keys(site)
    # the listing chain was walked too, one next page at a time
    fetched = [u.removeprefix(site.base_url) for u in walked["fetched"]]
    assert "/chuyen-muc/tin-tuc/page/4/" in fetched and "/chuyen-muc/tin-tuc/page/5/" not in fetched


def test_listing_chain_alone_finds_every_wordpress_post():
    site = WordPressSite(36)
    walked = discover_walk(site, discovery=False)
    assert {AUTO.article_key(u) for u in walked["articles"]} == truth_keys(site)
    assert not any("feed" in u or "sitemap" in u for u in walked["articles"])


# -- robots.txt ------------------------------------------------------------------------------


def robots_page(text: str, ctype: str = "text/plain", url: str = BASE + "/robots.txt") -> Page:
    return Page(url, text, ctype)


def test_robots_sitemap_lines_any_case():
    text = (
        "# robots for the portal\nUser-agent: *\nDisallow: /tim-kiem\n\n"
        f"Sitemap: {BASE}/sitemap.xml\n"
        f"sitemap: {BASE}/sitemap-news.xml   # news\n"
        f"SITEMAP : {BASE}/sitemap.xml\n"  # a repeat
        "Sitemap: /relative-sitemap.xml\n"
        "Sitemap: https://other.example.com/sitemap.xml\n"  # another site: not ours
        "Sitemap:\n"
    )
    listing = AUTO.parse_listing(robots_page(text), RequestSpec(BASE + "/robots.txt"))
    assert canon(listing.articles) == ()
    assert [s.url for s in listing.next] == [
        BASE + "/sitemap.xml", BASE + "/sitemap-news.xml", BASE + "/relative-sitemap.xml",
    ]
    assert all(s.page == 1 for s in listing.next)
    assert feeds.robots_sitemaps(text, BASE + "/robots.txt", limit=1) == (BASE + "/sitemap.xml",)
    # served without a content type, or as text/html by a sloppy server at /robots.txt
    assert AUTO.parse_listing(robots_page(text, ""), RequestSpec(BASE + "/robots.txt")) == listing


def test_robots_without_sitemaps_or_empty():
    for text in ("User-agent: *\nDisallow:\n", "", "\n\n"):
        listing = AUTO.parse_listing(robots_page(text), RequestSpec(BASE + "/robots.txt"))
        assert canon(listing.articles) == () and listing.next == ()


def test_soft_404_html_at_robots_is_read_as_html():
    html = (f'<html><body><a href="{BASE}/tin-tuc/hoi-nghi-tong-ket-cong-tac-nam-2025.html">x</a>'
            "</body></html>")
    listing = AUTO.parse_listing(robots_page(html, "text/html"), RequestSpec(BASE + "/robots.txt"))
    assert canon(listing.articles) == (BASE + "/tin-tuc/hoi-nghi-tong-ket-cong-tac-nam-2025.html",)


# -- feeds ---------------------------------------------------------------------------------------

A1 = BASE + "/tin-tuc/hoi-nghi-xuc-tien-thuong-mai-nam-2026.html"
A2 = BASE + "/tin-tuc/tap-huan-khuyen-cong-cho-doanh-nghiep-nho.html"
A3 = BASE + "/tin-tuc/kiem-tra-thi-truong-dip-tet-nguyen-dan.html"

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Sở Công Thương</title><link>{BASE}/</link>
<atom:link href="{BASE}/rss.xml" rel="self" type="application/rss+xml"/>
<item><title>Hội nghị</title><link>{A1}?utm_source=rss</link><pubDate>Tue, 24 Nov 2026 02:00:00 +0000</pubDate></item>
<item><title>Tập huấn</title><link>
  {A2}
</link></item>
<item><title>Mục</title><link>{BASE}/chuyen-muc/tin-tuc/</link></item>
<item><title>Ngoài</title><link>https://baochinhphu.vn/tin/hoi-nghi-toan-quoc-ve-cong-thuong-2026.htm</link></item>
<item><title>Chỉ có guid</title><guid>{A3}</guid></item>
<item><title>guid không phải liên kết</title><guid isPermaLink="false">{BASE}/?p=77</guid></item>
<item><title>Lặp lại</title><link>{A1}</link></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Tin tức</title><link rel="self" href="{BASE}/atom.xml"/><link href="{BASE}/"/>
<entry><title>Một</title><link rel="alternate" type="text/html" href="{A2}"/><id>urn:1</id></entry>
<entry><title>Hai</title><link rel="edit" href="{BASE}/edit/1"/><link href="/tin-tuc/kiem-tra-thi-truong-dip-tet-nguyen-dan.html"/></entry>
<entry><title>Ba</title><link rel="enclosure" href="{BASE}/files/bao-cao-tong-ket-nam-2026.pdf"/></entry>
</feed>
"""

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="{BASE}/"><title>x</title></channel>
<item rdf:about="{A3}"><title>y</title><link>{A3}</link></item>
</rdf:RDF>
"""


@pytest.mark.parametrize("ctype", ["application/rss+xml", "text/xml", "application/xml", "", "text/html"])
def test_rss2(ctype):
    spec = RequestSpec(BASE + "/rss.xml")
    listing = AUTO.parse_listing(Page(spec.url, RSS, ctype), spec)
    assert canon(listing.articles) == (A1, A2, A3)  # feed order, canonical, same-site articles only
    assert listing.next == ()


def test_atom_and_rss1():
    spec = RequestSpec(BASE + "/atom.xml")
    assert canon(AUTO.parse_listing(Page(spec.url, ATOM, "application/atom+xml"), spec).articles) == (A2, A3)
    assert feeds.parse_xml(ATOM, spec.url).kind == "atom"
    assert canon(AUTO.parse_listing(Page(BASE + "/index.rdf", RDF, "application/rdf+xml"), spec).articles) == (A3,)


def test_feed_with_a_declared_legacy_encoding_reads_the_decoded_text():
    xml = RSS.replace('encoding="UTF-8"', 'encoding="windows-1258"').replace("Hội nghị", "Hội nghị ngành")
    doc = feeds.parse_xml(xml, BASE + "/rss.xml")
    assert doc.kind == "rss" and doc.urls[0].startswith(A1)


# -- sitemaps ------------------------------------------------------------------------------------

INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{BASE}/sitemap-tin-tuc-2024.xml</loc><lastmod>2024-12-31</lastmod></sitemap>
<sitemap><loc>{BASE}/sitemap-tin-tuc-2026.xml</loc><lastmod>2026-11-20T08:00:00+07:00</lastmod></sitemap>
<sitemap><loc>{BASE}/sitemap-categories.xml</loc><lastmod>2026-11-21</lastmod></sitemap>
<sitemap><loc>{BASE}/post_tag-sitemap.xml</loc></sitemap>
<sitemap><loc>{BASE}/sitemap-van-ban.xml</loc></sitemap>
<sitemap><loc>https://cdn.example.net/sitemap-other.xml</loc></sitemap>
<sitemap><loc>{BASE}/sitemap-tin-tuc-2025.xml</loc><lastmod>2025-12-31T23:00:00Z</lastmod></sitemap>
</sitemapindex>
"""

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}/</loc><lastmod>2026-11-24</lastmod></url>
<url><loc>{A1}</loc><lastmod>2026-01-05</lastmod></url>
<url><loc>{A2}</loc></url>
<url><loc>{A3}</loc><lastmod>2026-11-20T10:00:00+07:00</lastmod></url>
<url><loc>{BASE}/tin-tuc/gioi-thieu-chung-ve-so-cong-thuong.html</loc><lastmod>2026-11-20T04:00:00Z</lastmod></url>
<url><loc>{BASE}/tin-tuc/bao-cao-tinh-hinh-san-xuat-cong-nghiep.html</loc><lastmod>not a date</lastmod></url>
<url><loc>{BASE}/chuyen-muc/tin-tuc/</loc><lastmod>2026-11-24</lastmod></url>
<url><loc>https://other.gov.vn/tin-tuc/bai-viet-cua-trang-khac-nam-2026.html</loc></url>
<url><lastmod>2026-11-24</lastmod></url>
</urlset>
"""


def test_sitemap_index_children_newest_first_taxonomies_and_other_sites_skipped():
    spec = RequestSpec(BASE + "/sitemap.xml", page=1)
    listing = AUTO.parse_listing(Page(spec.url, INDEX, "application/xml"), spec)
    assert canon(listing.articles) == ()
    assert [s.url for s in listing.next] == [
        BASE + "/sitemap-tin-tuc-2026.xml", BASE + "/sitemap-tin-tuc-2025.xml",
        BASE + "/sitemap-tin-tuc-2024.xml", BASE + "/sitemap-van-ban.xml",
    ]
    assert all(s.page == 2 for s in listing.next)
    doc = feeds.parse_xml(INDEX, spec.url)
    assert doc.kind == "sitemapindex" and len(doc.sitemaps) == 7 and doc.urls == ()


def test_sitemap_index_is_bounded():
    body = "".join(f"<sitemap><loc>{BASE}/sitemap-{i}.xml</loc></sitemap>" for i in range(500))
    xml = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'
    listing = AUTO.parse_listing(Page(BASE + "/sitemap.xml", xml, "text/xml"), RequestSpec(BASE))
    assert len(listing.next) == feeds.MAX_SITEMAPS
    assert listing.next[0].url == BASE + "/sitemap-0.xml"


def test_urlset_newest_lastmod_first_then_undated_in_order():
    spec = RequestSpec(BASE + "/sitemap-tin-tuc-2026.xml", page=2)
    listing = AUTO.parse_listing(Page(spec.url, URLSET, "application/xml"), spec)
    assert canon(listing.articles) == (
        BASE + "/tin-tuc/gioi-thieu-chung-ve-so-cong-thuong.html",  # 2026-11-20 04:00 UTC
        A3,  # 2026-11-20 10:00 +07:00 = 03:00 UTC
        A1,  # 2026-01-05
        A2,  # undated (or unreadable lastmod): after the dated, in document order
        BASE + "/tin-tuc/bao-cao-tinh-hinh-san-xuat-cong-nghiep.html",
    )
    assert listing.next == ()
    doc = feeds.parse_xml(URLSET, spec.url, max_urls=2)
    assert len(doc.urls) == 2 and doc.kind == "urlset"


def test_lastmod_formats():
    assert feeds.lastmod("2026-11-20").isoformat() == "2026-11-20T00:00:00+00:00"
    assert feeds.lastmod("2026-11-20T10:00:00Z").isoformat() == "2026-11-20T10:00:00+00:00"
    assert feeds.lastmod("2026-11-20T10:00:00+07:00").utcoffset().total_seconds() == 7 * 3600
    assert feeds.lastmod("hôm qua") is None


@pytest.mark.parametrize("text", [
    "",
    "   \n",
    "<?xml version='1.0'?>",
    "<?xml version='1.0'?><urlset><url><loc>",
    f"<?xml version='1.0'?><rss><channel><item><link>{A1}</link></item><item><link>",
    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><rss>&a;</rss>",
    "<?xml version='1.0'?><html><body>not a feed</body></html>",
    "\x1f\x8b\x08\x00binary gzip \x00\x01",
    "<urlset><url><loc>\ufffd\ufffd</loc></url></urlset>",
])
def test_malformed_or_empty_xml_never_raises(text):
    spec = RequestSpec(BASE + "/sitemap.xml")
    for ctype in ("application/xml", "text/xml", ""):
        listing = AUTO.parse_listing(Page(spec.url, text, ctype), spec)
        assert listing.next == ()
        assert set(canon(listing.articles)) <= {A1}
    feeds.parse_xml(text, spec.url)


def test_truncated_feed_still_yields_what_it_can():
    text = f"<?xml version='1.0'?><rss><channel><item><link>{A1}</link></item><item><link>"
    assert canon(AUTO.parse_listing(Page(BASE + "/rss", text, "application/rss+xml"),
                              RequestSpec(BASE + "/rss")).articles) == (A1,)


def test_json_answers_are_no_listing():
    for text, ctype in (('{"items": []}', "application/json"), ("[1, 2]", "text/html")):
        assert AUTO.parse_listing(Page(BASE + "/api", text, ctype), RequestSpec(BASE)) == Listing()


# -- HTML listings -------------------------------------------------------------------------------


def listing_html(*, body: str, head: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><title>Tin tức</title>{head}</head><body>
<div id="menu"><a href="/">Trang chủ</a> <a href="/chuyen-muc/tin-tuc/">Tin tức</a>
<a href="/lien-he/">Liên hệ</a> <a href="/tim-kiem?q=x">Tìm kiếm</a></div>
<div class="list">
<h3><a href="{A1}">Hội nghị xúc tiến thương mại năm 2026</a></h3>
<h3><a href="{A2}?utm_source=home">Tập huấn khuyến công</a></h3>
<h3><a href="/tin-tuc/{"kiem-tra-thi-truong-dip-tet-nguyen-dan.html"}">Kiểm tra thị trường</a></h3>
</div>
{body}
<a href="/files/bao-cao-tong-ket-cong-tac-nam-2026.pdf">Báo cáo</a>
</body></html>"""


def next_of(html: str, url: str, page: int = 1) -> list[RequestSpec]:
    return list(AUTO.parse_listing(Page(url, html), RequestSpec(url, page=page)).next)


def test_html_listing_articles_and_rel_next():
    url = BASE + "/tin-tuc/"
    html = listing_html(head=f'<link rel="next" href="{BASE}/tin-tuc/?page=2">',
                        body='<div class="pager"><a href="/tin-tuc/?page=2">2</a></div>')
    listing = AUTO.parse_listing(Page(url, html), RequestSpec(url, page=1))
    assert canon(listing.articles) == (A1, A2, A3)
    assert listing.next == (RequestSpec(BASE + "/tin-tuc/?page=2", page=2),)
    # <a rel="next"> works the same way
    html = listing_html(body='<a rel="next nofollow" href="/tin-tuc/trang-2.html">›</a>')
    assert next_of(html, url) == [RequestSpec(BASE + "/tin-tuc/trang-2.html", page=2)]


@pytest.mark.parametrize("label", ["Trang sau", "Trang sau »", "Tiếp", "Tiếp theo ›", "»", "Next",
                                   "TRANG SAU", "Tie\u0302\u0301p"])  # NFD too
def test_html_listing_labelled_next(label):
    url = BASE + "/index.php?option=com_content&view=category&id=8"
    html = listing_html(body=(
        '<ul class="pagination"><li><a href="/index.php?option=com_content&view=category&id=8">«</a></li>'
        f'<li><a href="/index.php?option=com_content&view=category&id=8&limitstart=10">{label}</a></li>'
        '<li><a href="/index.php?option=com_content&view=category&id=8&limitstart=30">Cuối »»</a></li></ul>'
    ))
    assert next_of(html, url) == [RequestSpec(
        BASE + "/index.php?id=8&limitstart=10&option=com_content&view=category", page=2)]


def test_labelled_next_by_title_attribute_and_chain_numbers():
    url = BASE + "/tin-tuc/?page=3"
    html = listing_html(body='<a title="Trang sau" href="/tin-tuc/?page=4"><i class="icon"></i></a>')
    assert next_of(html, url, page=3) == [RequestSpec(BASE + "/tin-tuc/?page=4", page=4)]


@pytest.mark.parametrize(("url", "links", "want"), [
    (BASE + "/chuyen-muc/tin-tuc/", ["/chuyen-muc/tin-tuc/page/2/", "/chuyen-muc/tin-tuc/page/3/"],
     BASE + "/chuyen-muc/tin-tuc/page/2/"),
    (BASE + "/chuyen-muc/tin-tuc/page/2/", ["/chuyen-muc/tin-tuc/", "/chuyen-muc/tin-tuc/page/3/"],
     BASE + "/chuyen-muc/tin-tuc/page/3/"),
    (BASE + "/tin-tuc.html?page=4", ["/tin-tuc.html?page=3", "/tin-tuc.html?page=5"],
     BASE + "/tin-tuc.html?page=5"),
    (BASE + "/tin-tuc/trang-1.html", ["/tin-tuc/trang-2.html"], BASE + "/tin-tuc/trang-2.html"),
    # page 2 of ANOTHER listing (a sidebar box) is not our next page
    (BASE + "/tin-tuc/", ["/thong-bao/?page=2"], None),
    # the last page: only links back
    (BASE + "/tin-tuc/?page=5", ["/tin-tuc/?page=4", "/tin-tuc/?page=1"], None),
])
def test_html_listing_numbered_next(url, links, want):
    body = "".join(f'<a href="{href}">{i + 1}</a> ' for i, href in enumerate(links))
    got = next_of(listing_html(body=body), url)
    assert [s.url for s in got] == ([want] if want else [])


def test_next_never_goes_back_to_itself_or_to_an_article():
    url = BASE + "/tin-tuc/?page=4"
    html = listing_html(body=(
        '<a href="/tin-tuc/?page=4">Trang sau</a>'  # itself
        '<a href="/tin-tuc/?page=2">»</a>'  # backwards
        f'<a rel="next" href="{A1}">Tin tiếp theo</a>'  # the next article
    ))
    assert next_of(html, url, page=4) == []


def test_html_listing_follows_announced_feeds_on_first_pages_only():
    head = (
        f'<link rel="alternate" type="application/rss+xml" title="Tin tức" href="/rss/tin-tuc.rss">'
        f'<link rel="alternate" type="application/atom+xml" href="{BASE}/atom.xml">'
        f'<link rel="alternate" type="application/rss+xml" title="Dòng phản hồi" href="/comments/feed/">'
        f'<link rel="alternate" type="application/rss+xml" href="https://feeds.example.com/x">'
        f'<link rel="alternate" hreflang="en" href="{BASE}/en/">'
    )
    url = BASE + "/tin-tuc/"
    listing = AUTO.parse_listing(Page(url, listing_html(head=head, body="")), RequestSpec(url, page=1))
    assert [s.url for s in listing.next] == [BASE + "/rss/tin-tuc.rss", BASE + "/atom.xml"]
    listing = AUTO.parse_listing(Page(url + "?page=3", listing_html(head=head, body="")),
                                 RequestSpec(url + "?page=3", page=3))
    assert listing.next == ()


def test_rss_directory_page_from_discovery_lists_section_feeds():
    html = listing_html(body="".join(
        f'<a href="/rss/chuyen-muc-{i}.rss">Mục {i}</a> ' for i in range(30)
    ) + '<a href="/rss/huong-dan.html">Hướng dẫn</a>')
    spec = RequestSpec(BASE + "/rss", page=0)  # a discovery request answered with HTML
    listing = AUTO.parse_listing(Page(spec.url, html), spec)
    feeds_found = [s.url for s in listing.next]
    assert feeds_found[0] == BASE + "/rss/chuyen-muc-0.rss" and len(feeds_found) == 20
    assert all(u.endswith(".rss") for u in feeds_found)
    # the same page reached as a listing (page 1) does not spray feed requests
    assert AUTO.parse_listing(Page(spec.url, html), RequestSpec(spec.url, page=1)).next == ()


def test_not_html_at_all():
    assert AUTO.parse_listing(Page(BASE + "/x", "plain words", "text/plain"), RequestSpec(BASE)).next == ()


# -- recognition stays a fallback ----------------------------------------------------------------


def test_detect_is_the_fallback_score():
    assert AUTO.detect("<html></html>", BASE) == 0.05
    site = WordPressSite(12)
    html = fetch(site, site.start_urls()[0]).body
    assert AUTO.detect(html, site.start_urls()[0]) == 0.05
    assert recognize(html, site.start_urls()[0]).name == "wordpress"
    assert isinstance(AUTO, AutoProfile)


# -- a WordPress site with its fingerprints stripped: auto all the way -------------------------

_STRIP = (
    (re.compile(r'<meta name="generator"[^>]*>\n?'), ""),
    (re.compile(r'<link rel="https://api\.w\.org/"[^>]*>\n?'), ""),
    (re.compile(r"/wp-content/themes/"), "/static/themes/"),
    (re.compile(r"/wp-includes/"), "/static/core/"),
    (re.compile(r"/wp-json/"), "/api/"),
    (re.compile(r"wp-embed-responsive"), ""),
)


class PlainSite(WordPressSite):
    """The WordPress sample site with nothing that tells WordPress (an unknown CMS)."""

    def route(self, req: Request) -> Response:
        resp = super().route(req)
        if resp.status == 200 and resp.content_type.startswith("text/html"):
            text = resp.body if isinstance(resp.body, str) else resp.body.decode("utf-8")
            for pattern, repl in _STRIP:
                text = pattern.sub(repl, text)
            resp.body = text
        return resp


def test_plain_site_is_not_recognized():
    site = PlainSite(12)
    for url in (site.start_urls()[0], site.article_url(site.articles[0])):
        html = fetch(site, url).body
        assert recognize(html, url).name == "auto", url


def test_plain_site_offline_walk_and_extraction():
    site = PlainSite(24)
    walked = discover_walk(site)
    assert {AUTO.article_key(u) for u in walked["articles"]} == truth_keys(site)
    truth = {AUTO.article_key(t["url"]): t for t in site.ground_truth()}
    for url in walked["articles"]:
        final, resp = get(site, url)
        got = extract(resp.body_bytes(), final, content_type=resp.content_type, profile=AUTO)
        want = truth[AUTO.article_key(url)]
        assert got.title == want["title"]
        assert got.published is not None and got.published.isoformat() == want["published"]
        assert got.text == want["text"], url  # share buttons, related posts, counters dropped
        files = sorted(u.rsplit("/", 1)[-1] for u in got.attachment_links)
        assert files == sorted(a["filename"] for a in want["attachments"]), url


# -- real crawls: `sct-archive crawl` with profile = "auto" --------------------------------------


@contextmanager
def served_auto(site, tmp: Path):
    from tests.crawlkit import ROOT, Served
    from tests.sample_sites import SampleServer

    with SampleServer(site) as srv:
        sites_file = tmp / "sites.toml"
        sites_file.write_text("\n".join([
            "[[site]]",
            'key = "auto-site"',
            'name = "Sở Công Thương (CMS chưa biết)"',
            'kind = "sct"',
            'province = "Bắc Ninh"',
            f'base_url = "{srv.base_url}"',
            "start_urls = [" + ", ".join(f'"{u}"' for u in site.start_urls()) + "]",
            'profile = "auto"',
            "verified = false",
            "",
        ]), encoding="utf-8")
        db = f"sqlite:///{tmp / 'archive.sqlite3'}"
        env = {**os.environ, "SCT_ARCHIVE_SITES": str(sites_file), "SCT_ARCHIVE_DB": db,
               "PYTHONPATH": str(ROOT)}
        yield Served(site, srv, db, env, "auto-site", tmp)


def _crawl_and_check(s, *, want_switch: bool | None) -> dict[str, Any]:
    done = s.crawl(s.key, "--json")
    run = json.loads(done.stdout)["runs"][0]
    assert run["outcome"] == "finished" and run["failed"] == 0, run
    archived = s.archived()
    assert len(archived) == len(s.site.articles), sorted(archived)
    titles = sorted(a["title"] for a in archived.values())
    assert titles == sorted(t["title"] for t in s.site.ground_truth())
    switched = "looks like wordpress" in done.stderr
    if want_switch is not None:
        assert switched == want_switch, done.stderr[-2000:]
    # discovery was asked for, robots.txt respected
    paths = [r.path for r in s.server.log]
    assert "/robots.txt" in paths
    for prefix in s.site.robots_disallow:
        assert not [p for p in paths if p.startswith(prefix)], prefix
    return {"run": run, "archived": archived, "paths": paths, "stderr": done.stderr}


@pytest.mark.skipif("wordpress" not in SITES, reason="no WordPress sample site")
def test_crawl_wordpress_site_registered_as_auto(tmp_path):
    with served_auto(WordPressSite(36), tmp_path) as s:
        out = _crawl_and_check(s, want_switch=True)
        # the crawl recognized WordPress and archived exactly the site
        from tests.crawlkit import mismatches

        assert mismatches(s) == []
        assert out["run"]["new_articles"] == 36


@pytest.mark.skipif("wordpress" not in SITES, reason="no WordPress sample site")
def test_crawl_unknown_cms_site_with_auto_finds_everything(tmp_path):
    with served_auto(PlainSite(36), tmp_path) as s:
        out = _crawl_and_check(s, want_switch=False)
        paths = out["paths"]
        # the feed and the sitemaps (named by robots.txt) were read
        assert "/feed/" in paths and "/sitemap.xml" in paths and "/wp-sitemap-posts-post-1.xml" in paths
        truth = {t["title"]: t for t in s.site.ground_truth()}
        for a in out["archived"].values():
            want = truth[a["title"]]
            assert (a["published"], a["text"]) == (want["published"], want["text"]), a["title"]
            assert set(a["attachments"]) == {f["filename"] for f in want["attachments"]}
            assert a["versions"] == 1
        # every article fetched once (auto's keys are the permalink paths)
        # (each under a URL some page linked it by: a feed's ?utm_source=rss is kept)
        paths = [r.path.split("?")[0] for r in s.server.log]
        keys = [p for p in paths if re.fullmatch(r"/\d{4}/\d\d/[^/?]+/", p)]
        assert len(keys) == len(set(keys)) == 36
        # the next crawl (incremental) still reads discovery and finds what is new
        added = s.site.add_articles(3)
        s.server.clear_log()
        run = json.loads(s.crawl(s.key, "--json").stdout)["runs"][0]
        assert run["new_articles"] == 3 and run["failed"] == 0, run
        assert {r.path for r in s.server.log} >= {"/robots.txt", "/feed/"}
        titles = {a["title"] for a in s.archived().values()}
        assert {a.title for a in added} <= titles and len(titles) == 39


# -- URL shapes of registered auto sites (the registry's evidence) ---------------------------
# URL rules only help (a page is judged by what it is); these keep the shapes seen on real
# departments' sites from sending listings down the article path and articles down the listing one.


@pytest.mark.parametrize("url", [
    # Hà Tĩnh: /index.php/<category>/n<id>.html
    "https://socongthuong.hatinh.gov.vn/index.php/hoat-dong-cong-thuong-nam-2019/n421.html",
    # Phú Thọ: a detail view inside a category
    "https://socongthuong.phutho.gov.vn/Chuyen-muc-tin/Chi-tiet-tin/title/1653/ctitle/151",
    # NukeViet (Đắk Lắk, Đồng Nai, Bình Định): /vi/news/<category>/<slug>-<id>.html
    "https://socongthuong.daklak.gov.vn/vi/news/thong-tin-gia-ca-thi-truong/bang-gia-nong-san-ngay-23-4-2026-6247.html",
    "https://sct.dongnai.gov.vn/vi/news/Gia-ca-thi-truong/gia-ngay-05-02-2024-cua-mot-so-mat-hang-6224.html",
    "https://sct.binhdinh.gov.vn/vi/news/213/1201-1201.html",
    # Kiên Giang: the whole site under /trang/
    "https://sct.kiengiang.gov.vn/trang/TinTuc/137/1320/Gia-mot-so-mat-hang-trong-yeu-10-ngay--tu-ngay-21-31-8-2019-.html",
    "https://sct.kiengiang.gov.vn/trang/TinTuc/137/1321/hoi-nghi-tong-ket-cong-tac-nam.html",
])
def test_article_shapes_of_registered_auto_sites(url):
    assert AUTO.is_article_url(url), url
    assert AUTO.is_article_url(AUTO.canonical_url(url + "?utm_source=zalo#top")), url


@pytest.mark.parametrize("url", [
    "https://socongthuong.phutho.gov.vn/Chuyen-muc-tin/ctitle/170",
    "https://socongthuong.phutho.gov.vn/Chuyen-muc-tin/ctitle/170/",
    "http://sct.example.gov.vn/tin-tuc/cat/1024",
    "http://sct.example.gov.vn/news/catid/215",
    "https://socongthuong.daklak.gov.vn/vi/news/thong-tin-gia-ca-thi-truong/",
    "https://socongthuong.daklak.gov.vn/vi/news/thong-tin-gia-ca-thi-truong/page-2/",
    "https://sct.dongnai.gov.vn/vi/news/Gia-ca-thi-truong/",
    "https://sct.dongnai.gov.vn/vi/news/",
    "https://sct.dongnai.gov.vn/vi/news/topic/hoi-nghi-xuc-tien-thuong-mai-2024/",
    "https://sct.kiengiang.gov.vn/trang",
    "https://sct.kiengiang.gov.vn/trang/3",
    "https://sct.kiengiang.gov.vn/tin-tuc-su-kien-nganh-cong-thuong/trang/12/",
    # the pagers and taxonomies the rules always refused
    "http://sct.example.gov.vn/page/2/", "http://sct.example.gov.vn/chuyen-muc/tin-tuc/page/3/",
    "http://sct.example.gov.vn/tag/hoi-nghi-khuyen-cong-quoc-gia/",
    "http://socongthuong.tuyenquang.gov.vn/tin-tuc-su-kien/cong-nghiep-khuyen-cong/trang-3.html",
])
def test_listing_shapes_of_registered_auto_sites(url):
    assert not AUTO.is_article_url(url), url
    assert not AUTO.is_article_url(AUTO.canonical_url(url)), url


def test_the_listing_rules_refuse_no_article_of_the_sample_sites():
    """The pager, category-id and NukeViet rules refuse none of the sample sites' articles."""
    from crawler.profiles import auto

    def refused(url: str) -> bool:
        path = urlsplit(url).path
        return bool(auto._PAGER_SEGMENT.search(path) or auto._NUKEVIET_LIST.match(path)
                    or (auto._CATEGORY_ID.search(path) and not auto._DETAIL.search(path)))

    for name, cls in SITES.items():
        site = cls(24)
        urls = [t["url"] for t in site.ground_truth()]
        assert urls, name
        for url in urls:
            assert not refused(url), (name, url)
