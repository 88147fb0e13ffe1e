"""The liferay profile against its sample site (a Liferay 6.2 portal like sct.binhduong.gov.vn).

Offline: pages come from ``LiferaySite.route`` and are read with the spider's own
extraction function (tests/profile_walk.py).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.extraction import extract
from crawler.profiles import Page, RequestSpec, get_profile, recognize
from tests.conftest import SEED_DIR
from tests.profile_walk import compare, fetch, page_of, walk
from tests.sample_sites import SITES
from tests.sample_sites.base import Request
from tests.sample_sites.liferay import MAIN, NOTICE, SITE, LiferaySite

PROFILE = get_profile("liferay")
SEED = SEED_DIR / "article.html"  # the repo copy of ../shared/samples
HREF = re.compile(r'href="([^"]+)"')


def hrefs(resp) -> list[str]:
    return [h.replace("&amp;", "&") for h in HREF.findall(resp.body_bytes().decode("utf-8"))]


def article_links(resp) -> list[str]:
    return [h for h in hrefs(resp) if "/-/asset_publisher/" in h]


class LoggingSite(LiferaySite):
    """The same site, remembering every request (path + query) it answered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests: list[tuple[str, dict]] = []

    def route(self, req: Request):
        self.requests.append((req.path, req.query))
        return super().route(req)


@pytest.fixture(scope="module")
def walked():
    site = LoggingSite(36)
    order, arts = walk(site, "liferay")
    return site, order, arts


def test_registered():
    assert SITES["liferay"] is SITE is LiferaySite
    assert SITE.profile == "liferay"


def test_walk_matches_ground_truth_newest_first(walked):
    site, order, arts = walked
    assert compare(site, arts) == []
    assert len(arts) == 36
    assert [PROFILE.article_key(u) for u in order] == [f"content/{a.slug}" for a in site.articles]
    assert order == [site.article_url(a) for a in site.articles]  # canonical: no redirect=, no jsessionid
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus should have attachments"
    for a in with_files:
        got = arts[f"content/{a.slug}"].attachment_links
        assert sorted(urlsplit(u).path for u in got) == sorted(
            f"/documents/10180/{20500 + a.id}/{t.filename}" for t in a.attachments
        )
    for a in site.articles:  # the "Nguồn tin" line is the source, never text
        got = arts[f"content/{a.slug}"]
        assert got.source_line == a.source
        assert got.extractor.startswith("liferay.")


def test_listing_pages_follow_the_news_portlet_pager_not_the_sidebar_one(walked):
    site, _, _ = walked
    listings = [(p, q) for p, q in site.requests if "/-/" not in p]
    assert [p.split(";")[0] for p, _ in listings] == ["/web/guest/tin-tuc"] * site.n_pages == ["/web/guest/tin-tuc"] * 4
    assert listings[0][1] == {}
    pages = [q.get(f"_101_INSTANCE_{MAIN}_cur") for _, q in listings[1:]]
    assert pages == [["2"], ["3"], ["4"]]
    assert all(q["p_p_id"] == [f"101_INSTANCE_{MAIN}"] for _, q in listings[1:])
    assert not any(f"_101_INSTANCE_{NOTICE}_cur" in q for _, q in site.requests)
    # articles fetched once each, at their canonical URL
    article_paths = [p for p, q in site.requests if "/-/" in p]
    assert len(article_paths) == len(set(article_paths)) == 36
    # each article asked once, under a URL the listing linked (URL-rewritten sessions included)


def test_sidebar_pager_comes_first_in_the_page_and_is_ignored():
    site = LiferaySite(36)
    url = site.start_urls()[0]
    html = fetch(site, url).body_bytes().decode()
    notice_pager = html.index(f"_101_INSTANCE_{NOTICE}_cur=2")
    main_pager = html.index(f"_101_INSTANCE_{MAIN}_cur=2")
    assert notice_pager < main_pager  # column-1 precedes column-2
    nxt = list(PROFILE.next_pages(Page(url, html), RequestSpec(url, page=1)))
    assert len(nxt) == 1 and nxt[0].page == 2
    q = parse_qs(urlsplit(nxt[0].url).query)
    assert q["p_p_id"] == [f"101_INSTANCE_{MAIN}"] and q[f"_101_INSTANCE_{MAIN}_cur"] == ["2"]
    assert ";jsessionid=" not in nxt[0].url  # session rewriting stripped from listing URLs too


def test_pager_is_bounded_and_past_the_end_shows_the_last_page():
    site = LiferaySite(36)
    last = site.listing_url(4)
    resp = fetch(site, last)
    assert "Trang 4 của 4" in resp.body_bytes().decode()
    assert list(PROFILE.next_pages(page_of(resp, last), RequestSpec(last, page=4))) == []
    beyond = fetch(site, site.listing_url(9))
    assert beyond.body_bytes().decode().count('class="asset-abstract') == 6  # 36 = 3×10 + 6
    # a delta of 20: two pages, and the pager keeps the delta
    resp = fetch(site, site.listing_url(1, 20))
    body = resp.body_bytes().decode()
    assert body.count('class="asset-abstract') == 20 and "Trang 1 của 2" in body
    nxt = list(PROFILE.next_pages(page_of(resp, site.listing_url(1, 20)), RequestSpec("x", page=1)))
    assert [parse_qs(urlsplit(s.url).query)[f"_101_INSTANCE_{MAIN}_delta"] for s in nxt] == [["20"]]
    # namespaced parameters only count for the portlet named by p_p_id
    other = fetch(site, site.abs(f"/web/guest/tin-tuc?_101_INSTANCE_{MAIN}_cur=3"))
    assert "Trang 1 của 4" in other.body_bytes().decode()


def test_every_url_variant_is_one_article():
    site = LiferaySite(36)
    a = site.articles[3]
    key = PROFILE.article_key(site.article_url(a))
    assert key == f"content/{a.slug}"
    variants = {
        site.print_url(a), site.popup_print_url(a),
        site.content_url(a, "trang-chu", "Xy9Zq") + "?redirect=http%3A%2F%2F127.0.0.1%2Fweb%2Fguest%2Ftrang-chu",
        site.content_url(a, "tin-tuc", NOTICE, f";jsessionid={site.session_id}")
        + f"?_101_INSTANCE_{NOTICE}_redirect=%2Fweb%2Fguest%2Ftin-tuc",
        site.article_url(a) + "?p_p_state=maximized&redirect=%2Fweb%2Fguest%2Ftin-tuc",
        site.article_url(a).replace(a.slug, a.slug.upper()),
    }
    # and every article link the site itself emits, on listings, the home page and articles
    pages = [site.start_urls()[0], site.listing_url(2), site.abs("/web/guest/trang-chu"),
             site.article_url(a), site.article_url(site.articles[0])]
    emitted = {u for p in pages for u in article_links(fetch(site, p))}
    assert any("/trang-chu/-/asset_publisher/Xy9Zq/" in u and "redirect=" in u for u in emitted)  # most read
    assert any("jsessionid=" in u for u in emitted) and any("p_p_state=maximized" in u for u in emitted)
    assert any(f"_101_INSTANCE_{MAIN}_redirect=" in u for u in emitted)
    assert any("viewMode=print" in u for u in emitted)  # the "In trang" link
    slugs = {a.slug for a in site.articles}
    for url in emitted:
        assert PROFILE.is_article_url(url)
        assert PROFILE.article_key(url).removeprefix("content/") in slugs, url
        canonical = PROFILE.canonical_url(url)  # the page's own instance kept; query and session gone
        assert "?" not in canonical and ";" not in canonical and canonical.endswith("/content/" + canonical.rsplit("/", 1)[1])
    truth = extract(fetch(site, site.article_url(a)).body_bytes(), site.article_url(a), profile=PROFILE)
    own = {u for u in emitted if urlsplit(u).path.split(";")[0].endswith(f"/content/{a.slug}")}
    assert len(own) >= 3  # on its own page (print), on the listing (title + "Xem thêm"), ...
    for url in variants | own:
        assert PROFILE.article_key(url) == key, url
        if url != site.article_url(a).replace(a.slug, a.slug.upper()):
            resp = fetch(site, url)
            assert resp.status == 200, url
            got = extract(resp.body_bytes(), url, content_type=resp.content_type, profile=PROFILE)
            assert (got.title, got.published, got.text, got.article_key) == (
                truth.title, truth.published, truth.text, key), url


def test_listing_and_other_urls_are_not_articles():
    site = LiferaySite(36)
    for url in [site.start_urls()[0], site.listing_url(2), site.notice_url(2), site.abs("/web/guest/trang-chu"),
                site.abs("/documents/10180/20501/x.pdf"), site.abs("/tim-kiem?q=a")]:
        assert not PROFILE.is_article_url(url), url
    for h in hrefs(fetch(site, site.start_urls()[0])):
        if "_cur=" in h:
            assert not PROFILE.is_article_url(h)


def test_recognize_picks_liferay_on_its_pages_and_on_the_seed():
    site = LiferaySite(12)
    for url in [site.start_urls()[0], site.listing_url(2), site.article_url(site.articles[0]),
                site.abs("/web/guest/trang-chu")]:
        resp = fetch(site, url)
        assert recognize(resp.body_bytes().decode(), url).name == "liferay", url
    seed = SEED
    url = "http://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/Kc7pQz2LmN0a/content/x"
    assert recognize(seed.read_text(encoding="utf-8"), url).name == "liferay"


def test_page_furniture_and_headers():
    site = LiferaySite(12)
    a = site.articles[0]
    resp = fetch(site, site.article_url(a))
    html = resp.body_bytes().decode("utf-8")
    assert resp.content_type.lower().replace(" ", "") == "text/html;charset=utf-8"
    assert resp.headers["Set-Cookie"].startswith(f"JSESSIONID={site.session_id}")
    assert resp.last_modified == a.modified
    for needle in ("Truy cập nội dung luôn", "Liferay.ThemeDisplay", "portlet-boundary", "bannerclient tạm thời không có.",
                   "Thứ ba, ngày 24 tháng 11 năm 2026", "Lượt truy cập:", "Tin đọc nhiều", 'href="/tim-kiem?q=',
                   f"{a.title} - Sở Công Thương Bình Dương</title>", "In trang"):
        assert needle in html, needle
    # the hit counter changes on every request
    again = fetch(site, site.article_url(a)).body_bytes()
    assert again != resp.body_bytes()
    # with the session cookie, no URL rewriting
    cookie = Request("GET", urlsplit(site.article_url(a)).path, {}, {"cookie": f"JSESSIONID={site.session_id}"})
    plain = site.route(cookie)
    assert b"jsessionid" not in plain.body_bytes() and "Set-Cookie" not in plain.headers
    # attachments from Documents and Media, unknown things 404
    att_a = next(x for x in site.articles if x.attachments)
    att = att_a.attachments[0]
    got = fetch(site, site.attachment_url(att_a, att))
    assert (got.status, got.content_type, got.body_bytes()) == (200, att.media_type, att.data)
    assert urlsplit(site.attachment_url(att_a, att)).path.startswith("/documents/10180/")
    for path in ["/web/guest/tin-tuc/-/asset_publisher/aB3dE/content/khong-co-bai-nay",
                 f"/web/guest/khuyen-cong/-/asset_publisher/{MAIN}/content/{a.slug}",
                 f"/web/guest/tin-tuc/-/asset_publisher/Zz000/content/{a.slug}",
                 "/documents/10180/1/x.pdf", "/tim-kiem"]:
        assert fetch(site, site.abs(path)).status == 404, path
    assert fetch(site, site.abs("/")).status == 302


def test_today_widget_changes_the_page_not_the_extraction():
    site = LiferaySite(12)
    a = site.articles[2]
    url = site.article_url(a)
    before = fetch(site, url).body_bytes()
    site.set_today(date(2018, 2, 3))
    after = fetch(site, url).body_bytes()
    assert "Thứ bảy, ngày 3 tháng 2 năm 2018" in after.decode() and before != after
    e1, e2 = (extract(b, url, profile=PROFILE) for b in (before, after))
    assert (e1.title, e1.published, e1.text, e1.source_line, e1.attachment_links) == (
        e2.title, e2.published, e2.text, e2.source_line, e2.attachment_links)
    assert e1.published == a.published.date()


def test_add_and_edit_articles_then_walk_again():
    site = LiferaySite(20)
    old = site.articles[7]
    new = site.add_articles(5)
    site.edit_article(old.id, title="Tiêu đề đã sửa về khuyến công", paragraphs=["Đoạn một đã sửa.", "Đoạn hai mới."])
    order, arts = walk(site, "liferay")
    assert compare(site, arts) == []
    assert len(arts) == 25 and order[:5] == [site.article_url(a) for a in new]
    got = arts[f"content/{old.slug}"]
    assert (got.title, got.text) == ("Tiêu đề đã sửa về khuyến công", "Đoạn một đã sửa.\nĐoạn hai mới.")
    assert fetch(site, site.article_url(old)).last_modified == old.modified


# -- custom portlets of provincial portals (shapes seen in the registry's evidence) -----------

BACNINH = "http://thuanthanh.bacninh.gov.vn/web/so-cong-thuong/news/-/details/57296/nganh-cong-thuong-viet-tiep"
QUANGTRI = "https://soct.quangtri.gov.vn/chi-tiet/-/view-article/1/1647394744540/1647655141019"
BRVT = ("http://soct.baria-vungtau.gov.vn/web/guest/tin-tuc-su-kien/-/ctbrvt/extAssetPublisher/content/446209/"
        "nganh-cong-thuong-don-nhan-%E2%80%9Cco-thi-dua%E2%80%9D.html")


@pytest.mark.parametrize(
    ("url", "key", "variants", "other"),
    [
        (BACNINH, "details/57296", [
            BACNINH.replace("nganh-cong-thuong-viet-tiep", "mot-slug-khac"),
            BACNINH.replace("thuanthanh.bacninh.gov.vn", "bacninh.gov.vn") + "?redirect=%2Fweb%2Fso-cong-thuong",
            BACNINH.replace("/nganh-cong-thuong-viet-tiep", ""),
            BACNINH + ";jsessionid=0A1B2C?p_p_id=details_WAR_portlet&p_p_lifecycle=0",
        ], BACNINH.replace("/57296/", "/57297/")),
        (QUANGTRI, "view-article/1647655141019", [
            QUANGTRI.replace("/chi-tiet/", "/vi/chi-tiet/"),
            QUANGTRI.replace("/1/1647394744540/", "/1/1647394744999/"),  # listed by another group
            QUANGTRI + "/",
            QUANGTRI + ";jsessionid=0A1B2C?_viewarticle_WAR_portlet_redirect=%2Ftin-tuc#top",
        ], QUANGTRI.replace("/1647655141019", "/1647402205731")),
        (BRVT, "extassetpublisher/446209", [
            BRVT.replace("/tin-tuc-su-kien/", "/trang-chu/"),
            BRVT.rsplit("/", 1)[0] + "/slug-khac.html",
            BRVT.replace("/extAssetPublisher/", "/extassetpublisher/") + "?utm_source=zalo",
        ], BRVT.replace("/446209/", "/446210/")),
    ],
)
def test_custom_portlet_articles_are_articles_keyed_by_their_id(url, key, variants, other):
    assert PROFILE.is_article_url(url)
    assert PROFILE.article_key(url) == key
    canonical = PROFILE.canonical_url(url)
    assert "?" not in canonical and PROFILE.article_key(canonical) == key
    for variant in variants:
        assert PROFILE.is_article_url(variant), variant
        assert PROFILE.article_key(variant) == key, variant
    # two articles, two keys
    assert PROFILE.is_article_url(other) and PROFILE.article_key(other) != key, other


@pytest.mark.parametrize(
    "url",
    [
        "http://thuanthanh.bacninh.gov.vn/web/so-cong-thuong/news",
        "http://thuanthanh.bacninh.gov.vn/web/so-cong-thuong/news/-/details/",
        "http://thuanthanh.bacninh.gov.vn/web/so-cong-thuong/news/-/details/trang-2",
        "https://bacninh.gov.vn/doanh-nghiep?p_p_id=mainnews_WAR_bacninhportlet&p_p_lifecycle=0&p_p_state=normal",
        "https://soct.quangtri.gov.vn/chi-tiet/-/view-article/1/1647394744540",  # a group, no article
        "https://soct.quangtri.gov.vn/vi/tin-tuc?_viewarticle_WAR_portlet_cur=2",
        "https://sct.quangbinh.gov.vn/chi-tiet-tin",
        "http://soct.baria-vungtau.gov.vn/web/guest/tin-tuc-su-kien",
        "http://soct.baria-vungtau.gov.vn/web/guest/tin-tuc-su-kien/-/ctbrvt/extAssetPublisher/list/446209",
        "http://soct.baria-vungtau.gov.vn/web/guest/tin-tuc-su-kien?_extAssetPublisher_WAR_ctbrvtportlet_cur=3",
    ],
)
def test_listings_of_the_custom_portlets_are_not_articles(url):
    assert not PROFILE.is_article_url(url), url
    assert not PROFILE.is_article_url(PROFILE.canonical_url(url)), url


def test_custom_portlet_shapes_change_nothing_on_the_sample_site():
    site = LiferaySite(12)
    pages = [site.start_urls()[0], site.listing_url(2), site.abs("/web/guest/trang-chu"),
             site.article_url(site.articles[0])]
    for url in {u for p in pages for u in hrefs(fetch(site, p))}:
        url = site.abs(url) if url.startswith("/") else url
        assert PROFILE.is_article_url(url) == ("/-/asset_publisher/" in url and "/content/" in url), url
