"""The WordPress profile against its sample site (tests/sample_sites/wordpress.py), offline."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from lxml import etree

from crawler.extraction import extract
from crawler.profiles import Page, RequestSpec, get_profile, recognize
from tests.conftest import SEED_DIR
from tests.profile_walk import compare, fetch, page_of, walk
from tests.sample_sites.wordpress import SITE

PROFILE = get_profile("wordpress")
SEED = SEED_DIR / "article.html"  # the repo copy of ../shared/samples


@pytest.fixture(scope="module")
def walked():
    site = SITE(36)
    order, arts = walk(site)
    return site, order, arts


def follow(site, url: str, limit: int = 5):
    """(final URL, response), following redirects like a browser / Scrapy."""
    for _ in range(limit):
        resp = fetch(site, url)
        if resp.status not in (301, 302):
            return url, resp
        url = resp.headers["Location"]
    raise AssertionError(f"redirect loop at {url}")


def extracted(site, url: str):
    final, resp = follow(site, url)
    assert resp.status == 200, url
    return extract(resp.body_bytes(), final, content_type=resp.content_type, profile=PROFILE)


# -- the walk ----------------------------------------------------------------------------------


def test_walk_matches_ground_truth(walked):
    site, order, arts = walked
    assert site.profile == "wordpress"
    assert compare(site, arts) == []
    assert len(arts) == 36
    assert order == [site.article_url(a) for a in site.articles]  # newest first, canonical
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus should have attachments"
    links = [u for x in arts.values() for u in x.attachment_links]
    assert len(links) == sum(len(a.attachments) for a in with_files)
    assert all(urlsplit(u).path.startswith("/wp-content/uploads/") for u in links)
    for a in with_files:
        for att in a.attachments:
            resp = fetch(site, site.attachment_url(a, att))
            assert resp.status == 200 and resp.body_bytes() == att.data
            assert resp.content_type == att.media_type


def test_sources_and_dates(walked):
    site, _order, arts = walked
    for a in site.articles:
        got = arts[PROFILE.article_key(site.article_url(a))]
        assert got.published == a.published.date()
        assert got.published_source and got.published_source.startswith("profile:")
        assert got.canonical_url == site.article_url(a)
        if a.source:
            assert got.source_line == a.source
            assert a.source not in got.text
        assert "Lượt xem" not in got.text and "Tin liên quan" not in got.text
        assert "Chia sẻ" not in got.text and "In trang" not in got.text


def test_nfd_paragraphs_and_titles_extract_as_nfc(walked):
    site, _order, arts = walked
    mixed = [a for a in site.articles if site.nfd_paragraphs(a)]
    titled = [a for a in site.articles if site.nfd_title(a)]
    assert 8 <= len(mixed) <= 16 and titled  # about a third
    for a in mixed:
        html = fetch(site, site.article_url(a)).body
        nfd_para = unicodedata.normalize("NFD", a.paragraphs[0])
        assert nfd_para != a.paragraphs[0] and nfd_para in html and a.paragraphs[0] not in html
        if len(a.paragraphs) > 1:
            assert a.paragraphs[1] in html  # NFC next to NFD in the same page
        if site.nfd_title(a):
            assert site.esc(a.title) not in html  # NFD wherever WordPress prints it
            assert f'<h1 class="entry-title">{site.esc(unicodedata.normalize("NFD", a.title))}</h1>' in html
        got = arts[PROFILE.article_key(site.article_url(a))]
        assert got.text == a.text and unicodedata.is_normalized("NFC", got.text)
        assert got.title == a.title


# -- URLs --------------------------------------------------------------------------------------


def variants(site, a) -> list[str]:
    url = site.article_url(a)
    return [
        url, url + "?amp=1", url + "amp/", url + "print/", url + "?replytocom=5#respond",
        url + "?utm_source=sidebar&utm_medium=widget", url + "?share=facebook", url + "#more-7",
        url.rstrip("/"), url.replace("http://", "HTTP://"),
    ]


def test_url_variants_share_one_key(walked):
    site, _order, _arts = walked
    for a in site.articles:
        key = PROFILE.article_key(site.article_url(a))
        assert key == f"post/{a.slug}"
        for v in variants(site, a):
            assert PROFILE.is_article_url(v), v
            assert PROFILE.article_key(v) == key, v
            assert PROFILE.canonical_url(v) == site.article_url(a), v


def test_links_the_site_emits_canonicalize(walked):
    site, _order, _arts = walked
    keys = {PROFILE.article_key(site.article_url(a)) for a in site.articles}
    kinds = set()
    for a in site.articles[:12]:
        page = page_of(fetch(site, site.article_url(a)), site.article_url(a))
        hrefs = [link for link, _ in page.links()]
        hrefs += [urlsplit(el.get("href")).geturl() for el in page.tree.iter("link") if el.get("href")]
        for link in hrefs:
            if "127.0.0.1" in link and PROFILE.is_article_url(link):
                if "?p=" in link:  # the shortlink
                    kinds.add("shortlink")
                    continue
                assert PROFILE.article_key(link) in keys, link
                for marker in ("utm_source", "amp=1", "/print/", "replytocom", "share="):
                    if marker in link:
                        kinds.add(marker)
    assert kinds == {"shortlink", "utm_source", "amp=1", "/print/", "replytocom", "share="}


def test_variants_render_the_same_article(walked):
    site, _order, _arts = walked
    a = next(a for a in site.articles if site.nfd_paragraphs(a) and a.source)
    want = extracted(site, site.article_url(a))
    assert (want.title, want.text) == (a.title, a.text)
    for v in variants(site, a):
        got = extracted(site, v)
        assert (got.title, got.published, got.text) == (want.title, want.published, want.text), v
        assert got.article_key == want.article_key, v
    # the year/month is not the identity: WordPress redirects a wrong one to the permalink
    wrong = site.abs(f"/2001/01/{a.slug}/")
    resp = fetch(site, wrong)
    assert resp.status == 301 and resp.headers["Location"] == site.article_url(a)


def test_shortlink_redirects_to_the_permalink(walked):
    site, _order, _arts = walked
    a = site.articles[5]
    short = site.abs(f"/?p={a.id}")
    assert PROFILE.is_article_url(short)
    assert PROFILE.article_key(short) == f"p/{a.id}"
    resp = fetch(site, short)
    assert resp.status == 301 and resp.headers["Location"] == site.article_url(a)
    # fetched through the redirect (or read at the shortlink): the page's key is the slug's
    got = extracted(site, short)
    assert got.article_key == PROFILE.article_key(site.article_url(a))
    page = fetch(site, site.article_url(a))
    at_short = extract(page.body_bytes(), short, content_type=page.content_type, profile=PROFILE)
    assert at_short.article_key == got.article_key and at_short.canonical_url == site.article_url(a)
    assert fetch(site, site.abs("/?p=999999")).status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/", "/page/2/", "/chuyen-muc/tin-tuc/", "/chuyen-muc/tin-tuc/page/3/", "/tag/khuyen-cong/",
        "/tag/khuyen-cong/page/2/", "/author/admin/", "/2026/11/", "/2026/11/page/2/", "/2026/11/09/",
        "/feed/", "/wp-sitemap.xml", "/?s=khuyen+cong", "/gioi-thieu/", "/2026/11/page/",
        "/wp-content/uploads/2026/11/ke-hoach.pdf",
    ],
)
def test_listing_and_archive_urls_are_not_articles(path):
    assert not PROFILE.is_article_url("http://127.0.0.1" + path)


def test_archive_pages_render_as_listings(walked):
    site, _order, _arts = walked
    month = site.articles[0].published
    for path in ("/", "/tag/khuyen-cong/", "/author/admin/", f"/{month:%Y}/{month:%m}/"):
        url = site.abs(path)
        resp = fetch(site, url)
        assert resp.status == 200, path
        listing = PROFILE.parse_listing(page_of(resp, url), RequestSpec(url, page=1))
        assert listing.articles and all(PROFILE.is_article_url(u) for u in listing.articles)
        assert 'class="single' not in resp.body


# -- recognizing the platform -----------------------------------------------------------------


def test_recognize(walked):
    site, _order, _arts = walked
    for url in (site.start_urls()[0], site.abs("/"), site.abs("/chuyen-muc/tin-tuc/page/2/"),
                site.article_url(site.articles[3])):
        html = fetch(site, url).body
        assert recognize(html, url).name == "wordpress", url
        assert '<meta name="generator" content="WordPress 6.6.2">' in html
    seed = SEED.read_text(encoding="utf-8", errors="replace")
    assert recognize(seed, "https://sct.binhduong.gov.vn/web/guest/tin-tuc").name != "wordpress"
    assert PROFILE.detect(seed, "https://sct.binhduong.gov.vn/") < 0.3


def test_other_sample_sites_are_not_wordpress():
    from tests.sample_sites import SITES

    for name, cls in SITES.items():
        if name == "wordpress":
            continue
        site = cls(6)
        for url in [*site.start_urls()[:1], site.article_url(site.articles[0])]:
            html = page_of(fetch(site, url), url).text
            assert PROFILE.detect(html, url) < 0.3, (name, url)
            assert recognize(html, url).name != "wordpress", (name, url)


# -- what changes and what does not -----------------------------------------------------------


def test_today_widget_is_not_content():
    site = SITE(12)
    a = site.articles[2]
    url = site.article_url(a)
    before = fetch(site, url).body
    first = extract(before, url, profile=PROFILE)
    site.set_today(site.today + timedelta(days=40))
    after = fetch(site, url).body
    second = extract(after, url, profile=PROFILE)
    assert before != after
    assert "ngày 3 tháng 1 năm 2027" in after and "ngày 3 tháng 1 năm 2027" not in before
    assert (first.title, first.published, first.text, first.source_line) == (
        second.title, second.published, second.text, second.source_line)
    assert first.published == a.published.date() != date(2027, 1, 3)


def test_add_and_edit_are_reflected():
    site = SITE(36)
    new = site.add_articles(5)
    edited = site.edit_article(site.articles[20].id, title="Tiêu đề đã sửa về hội chợ khuyến công",
                               paragraphs=["Đoạn một đã được biên tập lại.", "Đoạn hai mới hoàn toàn."])
    order, arts = walk(site)
    assert compare(site, arts) == []
    assert len(arts) == 41
    assert order[:5] == [site.article_url(a) for a in new]
    got = arts[PROFILE.article_key(site.article_url(edited))]
    assert got.title == "Tiêu đề đã sửa về hội chợ khuyến công"
    assert got.text == "Đoạn một đã được biên tập lại.\nĐoạn hai mới hoàn toàn."
    resp = fetch(site, site.article_url(edited))
    assert resp.last_modified == edited.modified and 'class="updated"' in resp.body


# -- the platform's mechanics -----------------------------------------------------------------


def test_category_paging_follows_page_numbers():
    site = SITE(36)  # 4 pages of 10
    specs = list(PROFILE.start_requests(site.start_urls()))
    assert [s.url for s in specs] == [site.abs("/chuyen-muc/tin-tuc/")]
    seen, found, spec = [], [], specs[0]
    while spec is not None:
        resp = fetch(site, spec)
        assert resp.status == 200 and resp.content_type == "text/html; charset=UTF-8"
        listing = PROFILE.parse_listing(page_of(resp, spec.url), spec)
        seen.append((spec.url, spec.page))
        found.extend(listing.articles)
        assert len(listing.next) <= 1
        spec = listing.next[0] if listing.next else None
    assert seen == [(site.abs("/chuyen-muc/tin-tuc/"), 1)] + [
        (site.abs(f"/chuyen-muc/tin-tuc/page/{n}/"), n) for n in (2, 3, 4)
    ]
    assert found == [site.article_url(a) for a in site.articles]  # no sidebar links leak in
    assert 'class="next page-numbers"' in fetch(site, site.abs("/chuyen-muc/tin-tuc/page/3/")).body
    last = fetch(site, site.abs("/chuyen-muc/tin-tuc/page/4/")).body
    assert "next page-numbers" not in last and "Trang sau" not in last
    assert fetch(site, site.abs("/chuyen-muc/tin-tuc/page/5/")).status == 404
    first = fetch(site, site.abs("/chuyen-muc/tin-tuc/page/1/"))
    assert first.status == 301 and first.headers["Location"] == site.abs("/chuyen-muc/tin-tuc/")


def test_next_pages_is_bounded_to_the_following_page():
    site = SITE(80)
    url = site.abs("/chuyen-muc/tin-tuc/page/4/")
    page = page_of(fetch(site, url), url)
    nxt = list(PROFILE.next_pages(page, RequestSpec(url, page=4)))
    assert nxt == [RequestSpec(site.abs("/chuyen-muc/tin-tuc/page/5/"), page=5)]
    # a page that links back to page 1 and 2 ("« Trang trước") never goes back
    html = page.text.replace("/page/5/", "/page/3/")
    assert list(PROFILE.next_pages(Page(url, html), RequestSpec(url, page=4))) == []


def test_feed_discovery():
    site = SITE(36)
    specs = list(PROFILE.discovery_requests(site.base_url + "/"))
    assert specs == [RequestSpec(site.abs("/feed/")), RequestSpec(site.abs("/wp-sitemap.xml"))]
    resp = fetch(site, specs[0])
    assert resp.status == 200 and resp.content_type.startswith("application/rss+xml")
    root = etree.fromstring(resp.body_bytes())
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert len(items) == 10
    for item, a in zip(items, site.articles, strict=False):
        when = parsedate_to_datetime(item.findtext("pubDate"))
        assert when.utcoffset() == timedelta(0)
        assert (when + timedelta(hours=7)).replace(tzinfo=None) == a.published
    listing = PROFILE.parse_listing(page_of(resp, specs[0].url), specs[0])
    assert listing.articles == tuple(site.article_url(a) for a in site.articles[:10])
    assert listing.next == ()
    # the same feed given as text/xml, or with no content type at all, reads the same
    assert PROFILE.parse_listing(Page(specs[0].url, resp.body, "text/xml"), specs[0]) == listing
    assert PROFILE.parse_listing(Page(specs[0].url, resp.body, ""), specs[0]) == listing
    # the feed links a new post as soon as it is published
    new = site.add_articles(1)[0]
    listing = PROFILE.parse_listing(page_of(fetch(site, specs[0]), specs[0].url), specs[0])
    assert listing.articles[0] == site.article_url(new) and len(listing.articles) == 10


def test_sitemaps():
    site = SITE(36)
    assert site.has_sitemap
    resp = fetch(site, site.abs("/sitemap.xml"))
    assert resp.status == 301 and resp.headers["Location"] == site.abs("/wp-sitemap.xml")
    spec = RequestSpec(site.abs("/wp-sitemap.xml"))
    index = PROFILE.parse_listing(page_of(fetch(site, spec), spec.url), spec)
    assert index.articles == ()
    assert [s.url for s in index.next] == [site.abs("/wp-sitemap-posts-post-1.xml")]
    posts = index.next[0]
    resp = fetch(site, posts)
    assert resp.content_type.startswith("application/xml") and "<lastmod>" in resp.body
    listing = PROFILE.parse_listing(page_of(resp, posts.url), posts)
    assert set(listing.articles) == {site.article_url(a) for a in site.articles}
    assert len(listing.articles) == 36
    # lastmod newest first: an edited old post comes first
    old = site.articles[-1]
    site.edit_article(old.id)
    listing = PROFILE.parse_listing(page_of(fetch(site, posts), posts.url), posts)
    assert listing.articles[0] == site.article_url(old)
    # the other core sitemaps list pages, terms and users: no articles
    for path in ("/wp-sitemap-posts-page-1.xml", "/wp-sitemap-taxonomies-category-1.xml",
                 "/wp-sitemap-taxonomies-post_tag-1.xml", "/wp-sitemap-users-1.xml"):
        url = site.abs(path)
        resp = fetch(site, url)
        assert resp.status == 200
        assert PROFILE.parse_listing(page_of(resp, url), RequestSpec(url)).articles == ()


def test_robots_disallowed_search_is_linked_and_served():
    site = SITE(12)
    assert site.robots_disallow[0] == "/?s="
    html = fetch(site, site.start_urls()[0]).body
    assert 'href="http://127.0.0.1/?s=' in html and 'name="s"' in html
    assert fetch(site, site.abs("/?s=khuyến công")).status == 200
    assert fetch(site, site.abs("/2026/11/khong-co-bai-nay/")).status == 404
    assert fetch(site, site.abs("/khong-co/")).status == 404
