"""The IBM WebSphere Portal / WCM profile against its sample site (offline, no HTTP server)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from crawler.extraction import extract
from crawler.profiles import Page, RequestSpec, get_profile, recognize
from tests.profile_walk import compare, fetch, page_of, walk
from tests.sample_sites import SITES
from tests.sample_sites.websphere import LISTING, PAGE_PARAM, SITE, content_path

PROFILE = get_profile("websphere")
SEED = Path(__file__).resolve().parents[2] / "data" / "sct-binhduong" / "article.html"
_HREF = re.compile(r'href="([^"]+)"')


def hrefs(html: str, base: str) -> list[str]:
    return [base + unescape(h) if h.startswith("/") else unescape(h) for h in _HREF.findall(html)]


def html_of(site, url: str) -> str:
    return fetch(site, url).body_bytes().decode("utf-8")


def fields(ex) -> tuple:
    return (ex.title, ex.published, ex.text, ex.source_line, ex.attachment_links, ex.article_key)


def key_of(a) -> str:
    return f"wcm:{content_path(a).lower()}"


@pytest.fixture(scope="module")
def walked():
    site = SITE(36)
    order, arts = walk(site)
    return site, order, arts


def logged(site):
    """Wrap site.route to record (path, query) of every request."""
    log: list = []
    route = site.route

    def recording(req):
        log.append((req.path, {k: v[-1] for k, v in req.query.items()}))
        return route(req)

    site.route = recording
    return log


# -- the walk ------------------------------------------------------------------------------


def test_walk_matches_ground_truth(walked):
    site, order, arts = walked
    assert compare(site, arts) == []
    assert len(arts) == 36
    assert order == [site.article_url(a) for a in site.articles]  # newest first, canonical
    published = [arts[PROFILE.article_key(u)].published for u in order]
    assert published == sorted(published, reverse=True)
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus should have articles with attachments"
    for a in with_files:
        ex = arts[PROFILE.article_key(site.article_url(a))]
        assert len(ex.attachment_links) == len(a.attachments)
        for link, att in zip(ex.attachment_links, a.attachments, strict=True):
            assert urlsplit(link).path.startswith("/wps/wcm/connect/")
            assert "MOD=AJPERES" in link and urlsplit(link).path.rsplit("/", 1)[-1] == att.filename
            assert not PROFILE.is_article_url(link) and PROFILE.attachment_url(link)
            resp = fetch(site, link)
            assert resp.status == 200 and resp.body_bytes() == att.data
            assert resp.content_type == att.media_type


def test_extracted_fields_exactly(walked):
    site, _, arts = walked
    for a in site.articles:
        ex = arts[PROFILE.article_key(site.article_url(a))]
        assert ex.title == a.title
        assert ex.text == a.text
        assert ex.published == a.published.date()
        assert ex.canonical_url == site.article_url(a)
        assert ex.article_key == key_of(a)
        assert ex.extractor.startswith("websphere.V1/")
        if a.source:
            assert ex.source_line and a.source.split(":", 1)[-1].strip() in ex.source_line
            assert a.source not in ex.text
        else:
            assert ex.source_line is None
        for junk in ("Lượt truy cập", "Tin đọc nhiều", "Tin khác", "In bài", "Ngày đăng",
                     "Tệp đính kèm", "Tìm kiếm", "Cổng thông tin điện tử tỉnh Nghệ An"):
            assert junk not in ex.text


def test_published_time_from_byline(walked):
    site, _, arts = walked
    ex = arts[PROFILE.article_key(site.article_url(site.articles[0]))]
    assert ex.published_source == "profile:.wcm-chi-tiet .ngay-dang"
    assert ex.published_at is not None


# -- URL variants and identity -------------------------------------------------------------


def test_every_emitted_variant_maps_to_one_key():
    site = SITE(36)
    known = {key_of(a) for a in site.articles}
    listing = site.start_urls()[0]
    pages = [listing, site.article_url(site.articles[3])]
    pages += [f"{listing}?WCM_PI=1&{PAGE_PARAM}={n}" for n in range(2, site.n_pages + 1)]
    shapes = set()
    for page in pages:
        for link in hrefs(html_of(site, page), site.base_url):
            if not PROFILE.is_article_url(link):
                continue
            key = PROFILE.article_key(link)
            assert key in known, link
            canonical = PROFILE.canonical_url(link)
            assert PROFILE.article_key(canonical) == key
            assert PROFILE.canonical_url(canonical) == canonical  # idempotent
            assert "!ut" not in canonical and "PC_" not in canonical and "WCM_PI" not in canonical
            if "/wps/portal/" in link:
                assert canonical == next(site.article_url(a) for a in site.articles if key_of(a) == key)
            shapes.add(
                "global" if "WCM_GLOBAL_CONTEXT" in link else
                "portlet" if "_WCM_CONTEXT=" in link else
                "urile" if "urile=" in link else
                "servlet" if "/wps/wcm/connect/" in urlsplit(link).path else "?"
            )
    # the site really emits every spelling: list items, most read, "Tin khác", "In bài"
    assert shapes == {"global", "portlet", "urile", "servlet"}


def test_hand_written_variants_render_the_same_article():
    site = SITE(12)
    a = site.articles[4]
    canonical = site.article_url(a)
    path = content_path(a)
    b = site.base_url
    variants = [
        f"{b}/wps/portal/socongthuong/tin-tuc/!ut/p/z1/04_Sj9CPykssy0xPLMnMz0vMAfIjo8zi_QAAA/dz/d5/"
        f"L2dBISEvZ0FBIS9nQSEh/?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/{path}",
        f"{b}/wps/portal/socongthuong/tin-tuc/!ut/p/z1/04_Sj9CPykssy0xPLMnMz0vMAfIjo8zi_QBBB/dz/d5/"
        f"L2dBISEvZ0FBIS9nQSEh/?WCM_GLOBAL_CONTEXT=%2Fwps%2Fwcm%2Fconnect%2F{quote(path.upper(), safe='')}",
        f"{b}/wps/portal/socongthuong/!ut/p/c4/04_SB8K8xLLM9MSSzPy8xBz9CP0os3i_MG9_TxPDUGcnPyczA09HU6NQYw8PY38XY_2CbEdFANN_YZQ!/"
        f"?WCM_PI=1&PC_7_NVKOI41UCBNB60IA52U3HH3SS0_WCM_CONTEXT=/wps/wcm/connect/{path}",
        f"{b}/wps/myportal/socongthuong/tin-tuc/!ut/p/z1/abc/p0/IZ7_X=CZ6_Y=MEurile="
        f"{quote('wcm:path:/' + path, safe='')}!!/dz/d5/L2dBISEvZ0FBIS9nQSEh/",
        f"{b}/wps/portal/socongthuong?urile={quote('wcm:path:/' + path, safe='')}&utm_source=zalo#top",
        f"{b}/wps/wcm/connect/{path}?presentationtemplate=SoCongThuong/PT-In-An",
        f"{b}/wps/wcm/connect/{path.lower()}",
    ]
    resp = fetch(site, canonical)
    want = extract(resp.body_bytes(), canonical, content_type=resp.content_type, profile=PROFILE)
    assert (want.title, want.text) == (a.title, a.text)
    for url in variants:
        assert PROFILE.is_article_url(url), url
        assert PROFILE.article_key(url) == PROFILE.article_key(canonical) == key_of(a), url
        if "/wps/wcm/connect/" not in url:
            assert PROFILE.canonical_url(url) == canonical, url
        got = fetch(site, url)
        assert got.status == 200, url
        ex = extract(got.body_bytes(), url, content_type=got.content_type, profile=PROFILE)
        assert (ex.title, ex.published, ex.text, ex.attachment_links) == (
            want.title, want.published, want.text, want.attachment_links), url
        assert ex.article_key == want.article_key


def test_content_ids_are_their_own_identity():
    oid = "6f0e8a80-4d2b-4b1e-9c3a-1234567890ab"
    for url in (f"https://portal.example.gov.vn/wps/portal/sct?urile=wcm%3Aoid%3A{oid}",
                f"https://portal.example.gov.vn/wps/wcm/connect/{oid.upper()}"):
        assert PROFILE.is_article_url(url)
        assert PROFILE.article_key(url) == f"wcm-oid:{oid}"


def test_non_article_urls():
    site = SITE(30)
    b = site.base_url
    listing = site.start_urls()[0]
    noisy = f"{b}{LISTING}/!ut/p/z1/04_Sj9CPyQQ/dz/d5/L2dBISEvZ0FBIS9nQSEh/?WCM_PI=1&{PAGE_PARAM}=3"
    not_articles = [
        listing,
        noisy,
        f"{b}/wps/portal/socongthuong/tim-kiem/!ut/p/z1/abc/dz/d5/L2dBISEvZ0FBIS9nQSEh/",
        f"{b}/wps/portal/socongthuong?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/SoCongThuong/Tin-Tuc",
        f"{b}/wps/wcm/connect/6f0e8a80-4d2b-4b1e-9c3a-1234567890ab/ke-hoach.pdf?MOD=AJPERES&CACHEID=x",
        f"{b}/wps/wcm/connect/SoCongThuong/Banner/banner-sct.jpg?MOD=AJPERES",
        f"{b}/wps/contenthandler/!ut/p/digest!abc/sp/mashup:ra:collection?themeID=ZJ",
        f"{b}/web/guest/tin-tuc",
    ]
    for url in not_articles:
        assert not PROFILE.is_article_url(url), url
    # listing URLs lose the encoded state and portlet noise, keeping the menu page
    assert PROFILE.canonical_url(noisy) == f"{listing}?WCM_PI=1&{PAGE_PARAM}=3"
    assert PROFILE.canonical_url(f"{listing}/!ut/p/z1/x/dz/d5/y/?WCM_PI=1&{PAGE_PARAM}=1") == listing
    assert PROFILE.canonical_url(not_articles[3]) == (
        f"{b}/wps/portal/socongthuong?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/socongthuong/tin-tuc")


# -- recognizing the platform ---------------------------------------------------------------


def test_recognize():
    site = SITE(12)
    a = site.articles[0]
    urls = [site.start_urls()[0], f"{site.start_urls()[0]}?WCM_PI=1&{PAGE_PARAM}=2", site.article_url(a)]
    for url in urls:
        resp = fetch(site, url)
        assert recognize(page_of(resp, url).text, url).name == "websphere", url
    resp = fetch(site, site.article_url(a))
    ex = extract(resp.body_bytes(), site.article_url(a), content_type=resp.content_type)
    assert ex.extractor.startswith("websphere.") and ex.text == a.text


@pytest.mark.skipif(not SEED.exists(), reason="seed sample not present")
def test_seed_page_is_not_websphere():
    html = SEED.read_bytes().decode("utf-8", "replace")
    url = "https://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/abc/content/x"
    assert PROFILE.detect(html, url) < 0.3
    assert recognize(html, url).name != "websphere"


@pytest.mark.parametrize("other", sorted(n for n in SITES if n != "websphere"))
def test_other_sample_sites_are_not_websphere(other):
    site = SITES[other](6)
    for url in (*site.start_urls()[:1], site.article_url(site.articles[0])):
        html = fetch(site, url).body_bytes().decode("utf-8", "replace")
        assert PROFILE.detect(html, url) < 0.3, url
        assert recognize(html, url).name != "websphere", url


def test_websphere_pages_are_no_other_platform():
    site = SITE(6)
    for url in (site.start_urls()[0], site.article_url(site.articles[0])):
        html = fetch(site, url).body_bytes().decode("utf-8")
        for name in SITES:
            if name != "websphere":
                assert get_profile(name).detect(html, url) < 0.3, (name, url)


# -- changing pages -------------------------------------------------------------------------


def test_today_widget_and_state_change_html_not_fields():
    site = SITE(12)
    a = site.articles[2]
    url = site.article_url(a)
    first, again = fetch(site, url), fetch(site, url)
    assert first.body_bytes() != again.body_bytes()  # hit counter and encoded state change
    states1 = {h for h in hrefs(first.body_bytes().decode(), "")
               if "!ut/p/" in h and h.startswith("/wps/portal")}
    states2 = {h for h in hrefs(again.body_bytes().decode(), "")
               if "!ut/p/" in h and h.startswith("/wps/portal")}
    assert states1 and states1.isdisjoint(states2)
    site.set_today(date(2027, 3, 1))
    later = fetch(site, url)
    assert "Thứ hai, ngày 1 tháng 3 năm 2027" in later.body_bytes().decode()
    ex1 = extract(first.body_bytes(), url, content_type=first.content_type, profile=PROFILE)
    ex2 = extract(later.body_bytes(), url, content_type=later.content_type, profile=PROFILE)
    assert fields(ex1) == fields(ex2)


def test_listing_state_does_not_change_listing():
    site = SITE(25)
    url = site.start_urls()[0]
    spec = RequestSpec(url, page=1)
    one, two = (PROFILE.parse_listing(page_of(fetch(site, url), url), spec) for _ in range(2))
    # links come as the page gives them (state included); their identity does not change
    canon = [tuple(PROFILE.canonical_url(u) for u in x.articles) for x in (one, two)]
    assert canon[0] == canon[1] and one.next == two.next
    assert canon[0] == tuple(site.article_url(a) for a in site.page_of(1))
    assert one.next == (RequestSpec(f"{url}?WCM_PI=1&{PAGE_PARAM}=2", page=2),)


def test_add_and_edit_then_walk_again():
    site = SITE(36)
    new = site.add_articles(5)
    edited = site.edit_article(site.articles[20].id, title="Tiêu đề đã sửa: hội nghị khuyến công",
                               paragraphs=["Đoạn một đã được biên tập lại.", "Đoạn hai mới."])
    site.delete_article(site.articles[-1].id)
    order, arts = walk(site)
    assert compare(site, arts) == []
    assert len(arts) == 36 + 5 - 1
    assert order[:5] == [site.article_url(a) for a in new]
    ex = arts[PROFILE.article_key(site.article_url(edited))]
    assert ex.title == "Tiêu đề đã sửa: hội nghị khuyến công"
    assert fetch(site, site.article_url(edited)).last_modified == edited.modified


def test_deleted_and_unknown_articles_are_404():
    site = SITE(5)
    a = site.articles[1]
    url = site.article_url(a)
    site.delete_article(a.id)
    assert fetch(site, url).status == 404
    for path in ("/wps/portal/socongthuong?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/socongthuong/tin-tuc/khong-co",
                 f"{LISTING}?WCM_PI=1&{PAGE_PARAM}=x",
                 "/wps/wcm/connect/6f0e8a80-4d2b-4b1e-9c3a-1234567890ab/x.pdf?MOD=AJPERES",
                 "/nothing-here"):
        assert fetch(site, site.abs(path)).status == 404, path


# -- paging mechanics -----------------------------------------------------------------------


def test_paging_requests_are_clean_and_bounded():
    site = SITE(47, page_size=10)
    log = logged(site)
    _, arts = walk(site)
    assert compare(site, arts) == [] and len(arts) == 47
    listing_requests = [q for p, q in log if p == LISTING]
    # page 1 (no parameter), then the menu's pages 2..5, each once, without encoded state
    assert listing_requests == [{}] + [{"WCM_PI": "1", PAGE_PARAM: str(n)} for n in range(2, 6)]
    assert site.n_pages == 5
    # each article asked once, under the URL the listing linked (portal state included)
    article_requests = [q for p, q in log if "WCM_GLOBAL_CONTEXT" in q]
    assert len(article_requests) == 47
    assert not any("tim-kiem" in p or "/wps/wcm/" in p for p, _ in log
                   if not p.endswith((".pdf", ".docx", ".doc")))


def test_last_and_past_last_pages_have_no_next():
    site = SITE(23)
    url = site.start_urls()[0]
    last = f"{url}?WCM_PI=1&{PAGE_PARAM}=3"
    listing = PROFILE.parse_listing(page_of(fetch(site, last), last), RequestSpec(last, page=3))
    assert len(listing.articles) == 3 and listing.next == ()
    past = f"{url}?WCM_PI=1&{PAGE_PARAM}=9"
    resp = fetch(site, past)
    assert resp.status == 200  # the viewer renders an empty list
    assert PROFILE.parse_listing(page_of(resp, past), RequestSpec(past, page=9)) == type(listing)()
    second = f"{url}/!ut/p/z1/abc/dz/d5/L2dBISEvZ0FBIS9nQSEh/?WCM_PI=1&{PAGE_PARAM}=2"
    listing = PROFILE.parse_listing(page_of(fetch(site, second), second), RequestSpec(second))
    assert listing.next == (RequestSpec(f"{url}?WCM_PI=1&{PAGE_PARAM}=3", page=3),)


def test_start_requests_strip_state():
    site = SITE(3)
    listing = site.start_urls()[0]
    noisy = f"{listing}/!ut/p/z1/04_Sj9/dz/d5/L2dBISEvZ0FBIS9nQSEh/"
    assert list(PROFILE.start_requests([noisy])) == [RequestSpec(listing, page=1)]
    deep = f"{listing}/!ut/p/z1/04_Sj9/dz/d5/L2dBISEvZ0FBIS9nQSEh/?WCM_PI=1&{PAGE_PARAM}=4"
    assert list(PROFILE.start_requests([deep])) == [RequestSpec(f"{listing}?WCM_PI=1&{PAGE_PARAM}=4", page=4)]


def test_listing_ignores_sidebar_links():
    site = SITE(30)
    url = site.start_urls()[0]
    page = Page(url, fetch(site, url).body_bytes().decode("utf-8"))
    listing = PROFILE.parse_listing(page, RequestSpec(url, page=1))
    assert tuple(PROFILE.canonical_url(u) for u in listing.articles) == tuple(
        site.article_url(a) for a in site.page_of(1))
    sidebar = {PROFILE.article_key(u) for u, _ in page.links(".tin-doc-nhieu")}
    assert len(sidebar) == 5
