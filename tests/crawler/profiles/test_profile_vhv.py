"""The VHV profile (moit.gov.vn) against its sample site, offline.

The site's HTML listing ignores ``?page=N``; the profile must page through the
listing module's JSON POST API instead, read articles by the id in their URL, and
treat print, tracking and slug variants as one article.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlsplit

import pytest

from crawler.extraction import extract
from crawler.profiles import Page, RequestSpec, get_profile, recognize
from crawler.profiles.base import strip_noise
from crawler.profiles.vhv import MAX_API_PAGES
from tests.conftest import SEED_DIR
from tests.profile_walk import compare, fetch, page_of, walk
from tests.sample_sites.base import Request, Response
from tests.sample_sites.vhv import API_PATH, VhvSite

SEED = SEED_DIR / "article.html"  # the repo copy of ../shared/samples
PROFILE = get_profile("vhv")


@pytest.fixture
def site() -> VhvSite:
    return VhvSite(36)


class Recorder:
    """Wraps ``site.route`` and keeps (method, path, query, json body) of every request."""

    def __init__(self, site: VhvSite):
        self.site = site
        self.route = site.route
        self.requests: list[tuple[str, str, dict, object]] = []
        site.route = self  # type: ignore[method-assign]

    def __call__(self, req: Request) -> Response:
        body = json.loads(req.body) if req.body else None
        self.requests.append((req.method, req.path, req.query, body))
        return self.route(req)


def html(site: VhvSite, url: str) -> str:
    return fetch(site, url).body_bytes().decode("utf-8")


def fields(x) -> tuple:
    return (x.title, x.published, x.text, x.source_line, x.attachment_links, x.article_key)


# -- the walk ------------------------------------------------------------------------------


def test_walk_reads_every_article_newest_first(site):
    order, arts = walk(site)
    assert compare(site, arts) == []
    assert len(arts) == 36
    assert [PROFILE.article_key(u) for u in order] == [f"vhv/{a.id}" for a in site.articles]
    assert order == [site.article_url(a) for a in site.articles]  # plain article URLs
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus has attachments"
    for a in with_files:
        got = arts[f"vhv/{a.id}"].attachment_links
        assert [urlsplit(u).path for u in got] == [f"/upload/news/{a.id}/{t.filename}" for t in a.attachments]
    for a in site.articles:
        x = arts[f"vhv/{a.id}"]
        assert x.source_line == a.source
        assert x.published_at is not None and x.published_at.minute == a.published.minute
        assert x.canonical_url == site.article_url(a)


def test_listing_pages_through_the_json_api_not_the_page_links(site):
    rec = Recorder(site)
    order, arts = walk(site)
    assert len(arts) == 36
    listing_requests = [r for r in rec.requests if not PROFILE.is_article_url(r[1]) and not r[1].startswith("/upload/")]
    html_pages = [r for r in listing_requests if r[0] == "GET"]
    api_calls = [r for r in listing_requests if r[0] == "POST"]
    # one HTML listing page (page 1), never a ?page=N one
    assert [(m, p, q) for m, p, q, _ in html_pages] == [("GET", "/tin-tuc", {})]
    assert not any("page" in q for _m, _p, q, _b in rec.requests)
    # then JSON POSTs for pages 2, 3, 4 (36 articles, 10 a page), with the module's category
    assert [p for _m, p, _q, _b in api_calls] == [API_PATH] * 3
    assert [b["page"] for *_, b in api_calls] == [2, 3, 4]
    assert all(b["categoryId"] == 12 and b["pageSize"] == 10 for *_, b in api_calls)
    # the first listing page's ten articles come from HTML, the rest from the API
    assert len(order) == 36


def test_html_page_links_are_a_trap_the_profile_does_not_follow(site):
    first = fetch(site, site.abs("/tin-tuc"))
    second = fetch(site, site.abs("/tin-tuc.html?page=2"))
    assert "/tin-tuc.html?page=2" in first.body_bytes().decode()
    spec = RequestSpec(site.abs("/tin-tuc"), page=1)
    a = PROFILE.parse_listing(page_of(first, spec.url), spec)
    b = PROFILE.parse_listing(page_of(second, site.abs("/tin-tuc.html?page=2")), spec)
    assert a.articles == b.articles == tuple(site.article_url(x) for x in site.page_of(1))
    # the only next request is the API's page 2, as a JSON POST
    assert len(a.next) == 1
    nxt = a.next[0]
    assert (nxt.method, urlsplit(nxt.url).path, nxt.page) == ("POST", API_PATH, 2)
    assert nxt.json_body == {"categoryId": 12, "page": 2, "pageSize": 10}
    assert ("X-Requested-With", "XMLHttpRequest") in nxt.headers


def test_api_answers_json_pages_and_refuses_other_requests(site):
    spec = RequestSpec(site.abs(API_PATH), method="POST", json_body={"categoryId": 12, "page": 3, "pageSize": 10})
    resp = fetch(site, spec)
    assert resp.content_type.startswith("application/json")
    data = json.loads(resp.body_bytes())
    assert (data["total"], data["page"]) == (36, 3)
    assert [i["id"] for i in data["items"]] == [a.id for a in site.page_of(3)]
    assert data["items"][0]["publishedAt"] == site.page_of(3)[0].published.strftime("%d/%m/%Y %H:%M")
    assert fetch(site, site.abs(API_PATH)).status == 405
    bad = Request("POST", API_PATH, {}, {"content-type": "application/json"}, b"page=2")
    assert site.route(bad).status == 400


def test_api_paging_is_bounded(site):
    api = site.abs(API_PATH)

    def listing(data: dict, body: dict):
        spec = RequestSpec(api, method="POST", json_body=body, page=body["page"])
        return PROFILE.parse_listing(Page(api, json.dumps(data), "application/json"), spec)

    item = {"id": 7, "title": "t", "url": "/tin-tuc/quoc-te/tin-7.html", "publishedAt": "01/01/2026 08:00"}
    body = {"categoryId": 12, "page": 4, "pageSize": 10}
    # items run out
    assert listing({"items": [], "total": 36, "page": 4}, body).next == ()
    # total reached
    assert listing({"items": [item], "total": 40, "page": 4}, body).next == ()
    # more to come: the next page keeps the request's other fields
    more = listing({"items": [item], "total": 41, "page": 4}, body)
    assert more.articles == (site.abs("/tin-tuc/quoc-te/tin-7.html"),)
    assert [(n.json_body, n.page, n.method) for n in more.next] == [({**body, "page": 5}, 5, "POST")]
    # an API that ignores "page" (answers page 1 again) would loop: stop
    assert listing({"items": [item], "total": 10**6, "page": 1}, body).next == ()
    # and never past the hard bound
    last = {**body, "page": MAX_API_PAGES}
    assert listing({"items": [item], "total": 10**9, "page": MAX_API_PAGES}, last).next == ()
    # not JSON at all: nothing
    spec = RequestSpec(api, method="POST", json_body=body, page=4)
    assert PROFILE.parse_listing(Page(api, "<html>oops</html>", "application/json"), spec).articles == ()


def test_walk_stops_when_the_api_ignores_the_page(site):
    route = site.route

    def ignoring(req: Request) -> Response:
        if req.path == API_PATH:
            req = Request(req.method, req.path, req.query, req.headers,
                          json.dumps({**req.json(), "page": 1}).encode())
        return route(req)

    site.route = ignoring  # type: ignore[method-assign]
    _order, arts = walk(site, max_pages=50)
    assert len(arts) == 10  # page 1 only; no endless loop over the same ten


# -- URLs ----------------------------------------------------------------------------------


def test_every_url_variant_is_one_article(site):
    a = site.articles[3]
    canonical = site.article_url(a)
    key = PROFILE.article_key(canonical)
    assert key == f"vhv/{a.id}"
    for variant in site.variants(a):
        url = site.abs(variant)
        assert PROFILE.is_article_url(url)
        assert PROFILE.article_key(url) == key, url
        resp = fetch(site, url)
        assert resp.status == 200
        assert fields(extract(resp.body_bytes(), url, content_type=resp.content_type, profile=PROFILE)) == fields(
            extract(fetch(site, canonical).body_bytes(), canonical, profile=PROFILE)
        )
    # tracking and print parameters come off; slug variants keep their path but share the id
    assert PROFILE.canonical_url(canonical + "?utm_source=zalo&print=1#top") == canonical
    assert PROFILE.canonical_url(canonical.replace("http://127.0.0.1", "http://127.0.0.1:80")) == canonical


def test_links_on_rendered_pages_map_to_known_articles(site):
    keys = {f"vhv/{a.id}" for a in site.articles}
    pages = [site.abs("/tin-tuc"), *(site.article_url(a) for a in site.articles[:6])]
    found = set()
    for url in pages:
        page = Page(url, html(site, url))
        for link, _text in page.links():
            if PROFILE.is_article_url(link):
                assert PROFILE.article_key(link) in keys, link
                found.add(urlsplit(link).query or urlsplit(link).path.split("/")[1])
    # sidebar / print / related links use variants a crawler must canonicalize
    assert {"print=1", "utm_source=mostread&utm_medium=sidebar", "bao-chi-truyen-thong"} <= found


def test_listing_api_and_files_are_not_articles(site):
    for path in (
        "/tin-tuc", "/tin-tuc.html", "/tin-tuc.html?page=2", "/tin-tuc?page=3", API_PATH,
        "/tin-tuc/thi-truong-trong-nuoc.html", "/gioi-thieu.html", "/tim-kiem?q=hoi+nghi",
        "/upload/news/12/ke-hoach-2024.pdf", "/3rdparty/jquery/jquery-3.5.1.min.js", "/",
    ):
        assert not PROFILE.is_article_url(site.abs(path)), path
    assert PROFILE.article_key(site.abs("/tin-tuc.html?page=2&utm_source=x")) == "/tin-tuc.html?page=2"


def test_unknown_ids_and_paths_are_404(site):
    assert fetch(site, site.abs("/tin-tuc/quoc-te/khong-co-99999.html")).status == 404
    assert fetch(site, site.abs("/khong-co-trang-nay")).status == 404
    assert fetch(site, site.abs("/tim-kiem?q=x")).status == 404
    a = next(a for a in site.articles if a.attachments)
    t = a.attachments[0]
    resp = fetch(site, site.attachment_url(a, t))
    assert (resp.status, resp.content_type, resp.body_bytes()) == (200, t.media_type, t.data)


# -- recognizing the platform --------------------------------------------------------------


def test_recognize_picks_vhv_on_its_pages_only(site):
    listing = site.abs("/tin-tuc")
    article = site.article_url(site.articles[0])
    assert recognize(html(site, listing), listing).name == "vhv"
    assert recognize(html(site, article), article).name == "vhv"
    printed = article + "?print=1"
    assert recognize(html(site, printed), printed).name == "vhv"
    seed = SEED.read_text(encoding="utf-8", errors="replace")
    url = "https://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/x/content/y"
    assert recognize(seed, url).name != "vhv"
    assert PROFILE.detect(seed, url) == 0.0
    # a "-123.html" URL alone is not enough
    assert PROFILE.detect("<html><body><p>x</p></body></html>", article) == 0.0


def test_charset_is_utf8_in_the_header(site):
    resp = fetch(site, site.article_url(site.articles[0]))
    assert resp.content_type == "text/html; charset=utf-8"
    x = extract(resp.body_bytes(), site.article_url(site.articles[0]), content_type=resp.content_type)
    assert (x.charset, x.charset_source) == ("utf-8", "header")
    assert x.extractor.startswith("vhv.V1/")


# -- the site changing ---------------------------------------------------------------------


def test_today_widget_and_counters_are_not_content(site):
    a = site.articles[5]
    url = site.article_url(a)
    before = html(site, url)
    x1 = extract(before, url, profile=PROFILE)
    site.set_today(date(2027, 3, 7))
    after = html(site, url)
    assert before != after
    assert "Chủ nhật, ngày 7 tháng 3 năm 2027" in after
    x2 = extract(after, url, profile=PROFILE)
    assert fields(x1) == fields(x2)
    assert "Lượt" not in x2.text and "2027" not in x2.text


def test_added_and_edited_articles_show_in_the_next_walk(site):
    _, first = walk(site)
    new = site.add_articles(5)
    edited = site.edit_article(site.articles[20].id, title="Bộ Công Thương sửa tiêu đề bài viết")
    order, again = walk(site)
    assert compare(site, again) == []
    assert len(again) == 41
    assert [PROFILE.article_key(u) for u in order[:5]] == [f"vhv/{a.id}" for a in new]
    changed = {k for k in again if k not in first or fields(again[k]) != fields(first[k])}
    assert changed == {f"vhv/{a.id}" for a in new} | {f"vhv/{edited.id}"}
    assert again[f"vhv/{edited.id}"].title == "Bộ Công Thương sửa tiêu đề bài viết"


# -- 2026 article URLs with no id (moit.gov.vn, seen in the registry's evidence) --------------

MOIT = "https://moit.gov.vn"
NO_ID = (
    "/tin-tuc/phat-trien-nang-luong/84-du-an-dien-gio-kip-van-hanh-thuong-mai-voi-tong-cong-suat-hon-3.980-mw.html",
    "/tin-tuc/su-dung-nang-luong-tiet-kiem-va-hieu-qua/khuyen-cao-su-dung-dien-an-toan-trong-mua-dong.html",
    "/tin-tuc/bo-cong-thuong-pho-bien-luat-thuong-mai-dien-tu-va-nghi-dinh-so-248-2026-nd-cp.html",
)


@pytest.mark.parametrize("path", NO_ID)
def test_articles_without_an_id_are_keyed_by_their_path(path):
    url = MOIT + path
    key = "vhv" + path.removesuffix(".html")
    assert PROFILE.is_article_url(url) and PROFILE.article_key(url) == key
    assert PROFILE.canonical_url(url + "?utm_source=zalo&print=1#binh-luan") == url
    for variant in (url + "?utm_source=zalo&fbclid=x", url + "#top", url.replace("moit.gov.vn", "MOIT.GOV.VN"),
                    url.replace(".html", ".html;jsessionid=0A1B"), MOIT + path.upper().replace(".HTML", ".html"),
                    url + "?print=1"):
        assert PROFILE.is_article_url(variant), variant
        assert PROFILE.article_key(variant) == key, variant
    assert len({PROFILE.article_key(MOIT + p) for p in NO_ID}) == len(NO_ID)


def test_sections_categories_and_their_pages_stay_listings():
    for path in (
        "/tin-tuc", "/tin-tuc.html", "/tin-tuc/thi-truong-trong-nuoc", "/tin-tuc/phat-trien-nang-luong/",
        "/tin-tuc/thi-truong-trong-nuoc?page=2", "/tin-tuc/thi-truong-trong-nuoc.html",
        "/tin-tuc/su-dung-nang-luong-tiet-kiem-va-hieu-qua", "/tin-tuc/su-dung-nang-luong-tiet-kiem-va-hieu-qua?page=3",
        "/tin-tuc/thi-truong-trong-nuoc/trang-2.html", "/tin-tuc/thi-truong-trong-nuoc/page-12.html",
        "/tin-tuc/hoat-dong/xuat-nhap-khau.html",  # a sub-section with a short name
        "/gioi-thieu.html", "/van-ban-phap-luat.html", "/bao-chi-truyen-thong.html",
        "/upload/news/bo-cong-thuong-pho-bien-luat-thuong-mai-dien-tu.html",
        "/tim-kiem/bo-cong-thuong-pho-bien-luat-thuong-mai-dien-tu.html",
    ):
        assert not PROFILE.is_article_url(MOIT + path), path
        assert not PROFILE.is_article_url(PROFILE.canonical_url(MOIT + path)), path


def test_old_urls_with_an_id_keep_their_key(site):
    for a in site.articles[:5]:
        assert PROFILE.article_key(site.article_url(a)) == f"vhv/{a.id}"
        for variant in site.variants(a):
            assert PROFILE.article_key(site.abs(variant)) == f"vhv/{a.id}", variant
    # the id wins over the path when a slug ends in a number
    assert PROFILE.article_key(MOIT + "/tin-tuc/quoc-te/hoi-nghi-xuc-tien-thuong-mai-viet-nam-2026-123.html") == "vhv/123"
    # every link of the sample site's pages classifies as before: an article is an id URL
    pages = [site.abs("/tin-tuc"), *(site.article_url(a) for a in site.articles[:3])]
    for url in pages:
        for link, _text in Page(url, html(site, url)).links():
            assert PROFILE.is_article_url(link) == (PROFILE._id(strip_noise(link)) is not None), link
