"""The SharePoint (WebForms) profile against its sample site: postback paging with a
server-validated viewstate, list-item URL variants, recognition, mutations."""

from __future__ import annotations

import base64
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from crawler.extraction import extract
from crawler.profiles import Page, RequestSpec, get_profile, recognize
from tests.conftest import SEED_DIR
from tests.profile_walk import compare, fetch, page_of, walk
from tests.sample_sites.base import Request
from tests.sample_sites.sharepoint import ALL_ITEMS, LISTING, PAGER_UID, SITE, SharePointSite

PROFILE = get_profile("sharepoint")
SEED_PAGE = SEED_DIR / "article.html"  # the repo copy of ../shared/samples


class Recorder:
    """Wraps a site's route to log (request, response) pairs."""

    def __init__(self, site: SharePointSite):
        self.site = site
        self.calls: list[tuple[Request, object]] = []
        self._route = site.route
        site.route = self  # type: ignore[method-assign]

    def __call__(self, req: Request):
        resp = self._route(req)
        self.calls.append((req, resp))
        return resp

    def listing_calls(self):
        return [(q, r) for q, r in self.calls if q.path.lower() in (LISTING.lower(), ALL_ITEMS.lower())]


def hidden(html: str, name: str) -> str:
    tree = Page("http://x/", html).tree
    return tree.xpath(f"//input[@name='{name}']/@value")[0]


def post(site: SharePointSite, path: str, fields: dict[str, str]):
    return site.route(Request("POST", path, {}, {"content-type": "application/x-www-form-urlencoded"},
                              urlencode(fields).encode()))


def extracted(site: SharePointSite, url: str):
    resp = fetch(site, url)
    assert resp.status == 200, url
    return extract(resp.body_bytes(), url, content_type=resp.content_type, profile=PROFILE)


@pytest.fixture(scope="module")
def walked():
    site = SITE(36)
    rec = Recorder(site)
    order, arts = walk(site)
    return site, rec, order, arts


def test_walk_finds_every_article_newest_first(walked):
    site, _rec, order, arts = walked
    assert compare(site, arts) == []
    assert len(arts) == 36
    assert [PROFILE.article_key(u) for u in order] == [PROFILE.article_key(site.article_url(a)) for a in site.articles]
    assert order[0] == site.article_url(site.articles[0])
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus should have attachments"
    for a in with_files:
        links = arts[PROFILE.article_key(site.article_url(a))].attachment_links
        assert sorted(urlsplit(u).path for u in links) == sorted(
            f"/Lists/TinTuc/Attachments/{a.id}/{t.filename}" for t in a.attachments
        )
        for u in links:
            served = fetch(site, u)
            assert served.status == 200 and served.body_bytes() == next(
                t.data for t in a.attachments if u.endswith("/" + t.filename)
            )


def test_postbacks_carry_the_rendered_viewstate(walked):
    site, rec, _order, _arts = walked
    calls = rec.listing_calls()
    assert site.n_pages == 4
    assert [q.method for q, _ in calls] == ["GET", "POST", "POST", "POST"]
    for n, ((q, r), (_prev_q, prev_r)) in enumerate(zip(calls[1:], calls, strict=False), start=2):
        assert r.status == 200
        form = q.form
        assert q.path == LISTING
        assert form["__EVENTTARGET"] == PAGER_UID
        assert form["__EVENTARGUMENT"] == f"Page${n}"
        prev_html = prev_r.body_bytes().decode("utf-8-sig")
        # exactly what the previous page rendered, and what the server validates
        assert form["__VIEWSTATE"] == hidden(prev_html, "__VIEWSTATE")
        assert form["__EVENTVALIDATION"] == hidden(prev_html, "__EVENTVALIDATION")
        assert form["__REQUESTDIGEST"] == hidden(prev_html, "__REQUESTDIGEST")
        assert site.read_viewstate(LISTING, form["__VIEWSTATE"]) == n - 1
        # the page the server answered is page n: its items and its pager
        html = r.body_bytes().decode("utf-8-sig")
        assert f"<td><span>{n}</span></td>" in html
        assert f"ChiTiet.aspx?ID={site.page_of(n)[0].id}\"" in html
        assert site.read_viewstate(LISTING, hidden(html, "__VIEWSTATE")) == n
    # the viewstate is opaque: base64, no page number in clear
    vs = calls[1][0].form["__VIEWSTATE"]
    assert base64.b64decode(vs).startswith(b"\xff\x01") and "Page" not in vs


def test_forged_or_stale_postbacks_are_rejected():
    site = SITE(36)
    page1 = fetch(site, site.start_urls()[0]).body_bytes().decode("utf-8-sig")
    good = {
        "__EVENTTARGET": PAGER_UID, "__EVENTARGUMENT": "Page$2",
        "__VIEWSTATE": hidden(page1, "__VIEWSTATE"), "__EVENTVALIDATION": hidden(page1, "__EVENTVALIDATION"),
    }
    ok = post(site, LISTING, good)
    assert ok.status == 200 and f"ID={site.page_of(2)[0].id}\"" in ok.body_bytes().decode("utf-8-sig")

    other = SharePointSite(36)
    other.secret = b"another-farm-machineKey"
    forged_vs = other.viewstate(LISTING, 1)  # well-formed, signed with the wrong machine key
    for bad in (
        {**good, "__VIEWSTATE": forged_vs},
        {**good, "__VIEWSTATE": "/wEPDwUKLTk1NjQ5OTQ0Mw9kFgJmD2QWAgIBD2QWBAIBD2QWAgIDD2Q="},
        {**good, "__VIEWSTATE": "not base64 at all!"},
        {k: v for k, v in good.items() if k != "__VIEWSTATE"},
        {**good, "__EVENTVALIDATION": other.event_validation(LISTING, 1)},
        {**good, "__EVENTARGUMENT": "Page$9"},  # not offered by page 1's pager
        {**good, "__EVENTTARGET": "ctl00$PlaceHolderMain$ctl01$other"},
        {**good, "__EVENTVALIDATION": "AAAA"},
        {**good, "__EVENTVALIDATION": hidden(page1, "__EVENTVALIDATION")[:-8] + "AAAAAAA="},
    ):
        resp = post(site, LISTING, bad)
        assert resp.status == 500, bad
        assert b"Invalid" in resp.body_bytes()
    # a viewstate rendered for /Pages/TinTuc.aspx does not validate on AllItems.aspx
    assert post(site, ALL_ITEMS, good).status == 500
    # a GET always shows page 1, whatever the query says
    for query in ({}, {"Page": ["2"]}, {"__EVENTARGUMENT": ["Page$3"]}):
        resp = site.route(Request("GET", LISTING, query, {}))
        assert "<td><span>1</span></td>" in resp.body_bytes().decode("utf-8-sig")


def test_paging_is_bounded_and_forward_only():
    site = SITE(36)
    url = site.start_urls()[0]
    html = fetch(site, url).body_bytes().decode("utf-8-sig")
    spec = RequestSpec(url, page=1)
    (nxt,) = PROFILE.parse_listing(Page(url, html), spec).next
    assert nxt.method == "POST" and nxt.page == 2 and nxt.url == url
    # a server answering page 1 to the postback for page 3 must not start a loop
    assert PROFILE.parse_listing(Page(url, html), RequestSpec(url, "POST", nxt.formdata, page=3)).next == ()
    # the last page offers nothing further
    last = site.n_pages
    vs = site.viewstate(LISTING, last - 1)
    resp = post(site, LISTING, {"__EVENTTARGET": PAGER_UID, "__EVENTARGUMENT": f"Page${last}", "__VIEWSTATE": vs,
                                "__EVENTVALIDATION": site.event_validation(LISTING, last - 1)})
    page = page_of(resp, url)
    assert PROFILE.parse_listing(page, RequestSpec(url, page=last)).next == ()
    # named pager arguments work too ("Trang sau" = Page$Next)
    resp = post(site, LISTING, {"__EVENTTARGET": PAGER_UID, "__EVENTARGUMENT": "Page$Next",
                                "__VIEWSTATE": site.viewstate(LISTING, 2),
                                "__EVENTVALIDATION": site.event_validation(LISTING, 2)})
    assert "<td><span>3</span></td>" in resp.body_bytes().decode("utf-8-sig")


def test_next_previous_pager_and_get_paged_views():
    form = (
        '<form method="post" action="./AllItems.aspx?View=%7B1%7D" id="aspnetForm">'
        '<input type="hidden" name="__EVENTTARGET" value="" /><input type="hidden" name="__EVENTARGUMENT" value="" />'
        '<input type="hidden" name="__VIEWSTATE" value="/wEPabc" /><input type="text" name="q" value="x" />'
    )
    nxt = "<a href=\"javascript:__doPostBack('ctl00$m$g_1$grid','Page$Next')\">Trang sau</a>"
    url = "http://sct.example.gov.vn/Lists/TinTuc/AllItems.aspx"
    (spec,) = PROFILE.next_pages(Page(url, f"<html><body>{form}{nxt}</form></body></html>"), RequestSpec(url, page=1))
    assert spec.url == "http://sct.example.gov.vn/Lists/TinTuc/AllItems.aspx?View=%7B1%7D"
    assert dict(spec.formdata) == {"__EVENTTARGET": "ctl00$m$g_1$grid", "__EVENTARGUMENT": "Page$Next",
                                   "__VIEWSTATE": "/wEPabc"}
    assert spec.page == 2
    assert list(PROFILE.next_pages(Page(url, f"<html><body>{form}</form></body></html>"), RequestSpec(url))) == []
    paged = '<a href="/Lists/TinTuc/AllItems.aspx?Paged=TRUE&amp;p_ID=26&amp;PageFirstRow=11">&gt;</a>'
    (get,) = PROFILE.next_pages(Page(url, f"<html><body>{paged}</body></html>"), RequestSpec(url, page=1))
    assert get.method == "GET" and "PageFirstRow=11" in get.url and get.page == 2


def _pager_html(uid: str, current: int, last: int) -> str:
    cells = "".join(
        f"<td><span>{k}</span></td>" if k == current
        else f"<td><a href=\"javascript:__doPostBack('{uid}','Page${k}')\">{k}</a></td>"
        for k in range(1, last + 1)
    )
    return f'<div class="pager" id="{uid.replace("$", "_")}"><table><tr>{cells}</tr></table></div>'


def test_the_listings_own_pager_is_followed_not_a_sidebar_pager_before_it():
    url = "http://sct.example.gov.vn/Pages/TinTuc.aspx"
    side, news = "ctl00$g_thongBao$pager", "ctl00$PlaceHolderMain$ctl01$pager"
    form = (
        '<form method="post" action="./TinTuc.aspx" id="aspnetForm">'
        '<input type="hidden" name="__EVENTTARGET" value="" /><input type="hidden" name="__EVENTARGUMENT" value="" />'
        '<input type="hidden" name="__VIEWSTATE" value="/wEPabc" />'
    )
    # a paged "Thông báo" web part in the left column, on its page 1 of 5, comes first
    sidebar = (
        '<div id="sideNavBox"><div class="ms-webpart-zone"><div id="MSOZoneCell_WebPartWPQ1" class="s4-wpcell-plain">'
        '<div class="ms-webpart-chrome"><div class="thong-bao"><ul>'
        '<li><a href="/Lists/ThongBao/ChiTiet.aspx?ID=7">Thông báo nghỉ lễ</a></li></ul></div>'
        f"{_pager_html(side, 1, 5)}</div></div></div></div>"
    )
    # the news list's own web part, on its page 2 of 3
    main = (
        '<div id="DeltaPlaceHolderMain"><div class="ms-webpart-zone"><div id="MSOZoneCell_WebPartWPQ2" '
        'class="s4-wpcell-plain"><div class="ms-webpart-chrome"><div class="news-list">'
        '<div class="news-item"><a href="/Lists/TinTuc/ChiTiet.aspx?ID=20">Tin 20</a></div>'
        '<div class="news-item"><a href="/Lists/TinTuc/ChiTiet.aspx?ID=19">Tin 19</a></div></div>'
        f"{_pager_html(news, 2, 3)}</div></div></div></div>"
    )
    page = Page(url, f"<html><body>{form}{sidebar}{main}</form></body></html>")
    listing = PROFILE.parse_listing(page, RequestSpec(url, "POST", page=2))
    assert listing.articles == ("http://sct.example.gov.vn/Lists/TinTuc/ChiTiet.aspx?ID=20",
                                "http://sct.example.gov.vn/Lists/TinTuc/ChiTiet.aspx?ID=19")
    (nxt,) = listing.next
    assert dict(nxt.formdata)["__EVENTTARGET"] == news
    assert dict(nxt.formdata)["__EVENTARGUMENT"] == "Page$3" and nxt.page == 3
    # on the news list's last page the sidebar's pager does not lead further
    last = page.text.replace(_pager_html(news, 2, 3), _pager_html(news, 3, 3))
    assert PROFILE.parse_listing(Page(url, last), RequestSpec(url, "POST", page=3)).next == ()
    # without web part markup to tell, the page's first pager is followed, as before
    bare = f"<html><body>{form}{_pager_html(news, 1, 3)}</form></body></html>"
    (spec,) = PROFILE.next_pages(Page(url, bare), RequestSpec(url, page=1))
    assert dict(spec.formdata)["__EVENTARGUMENT"] == "Page$2"


def test_all_items_view_walks_too():
    site = SITE(36)
    site.start_urls = lambda: [site.abs(ALL_ITEMS)]  # type: ignore[method-assign]
    rec = Recorder(site)
    order, arts = walk(site)
    assert compare(site, arts) == [] and len(arts) == 36
    assert all("/DispForm.aspx?ID=" in u for u in order)
    posts = [q for q, _ in rec.listing_calls() if q.method == "POST"]
    assert [q.form["__EVENTARGUMENT"] for q in posts] == ["Page$2", "Page$3", "Page$4"]
    assert all(q.path == ALL_ITEMS for q in posts)


def test_url_variants_are_one_article():
    site = SITE(36)
    for a in site.articles[:8]:
        key = PROFILE.article_key(site.article_url(a))
        assert key == f"/lists/tintuc/{a.id}"
        for url in site.variant_urls(a):
            assert PROFILE.is_article_url(url), url
            assert PROFILE.article_key(url) == key, url
            assert PROFILE.article_key(PROFILE.canonical_url(url)) == key, url
            assert fetch(site, url).status == 200, url
            assert fetch(site, PROFILE.canonical_url(url)).status == 200, url
        assert PROFILE.canonical_url(site.variant_urls(a)[1]) == site.article_url(a)
    a = site.articles[0]
    listing = fetch(site, site.start_urls()[0]).body_bytes().decode("utf-8-sig")
    article = fetch(site, site.article_url(a)).body_bytes().decode("utf-8-sig")
    truth = {PROFILE.article_key(t["url"]) for t in site.ground_truth()}
    # every link the pages emit (most read with &Source=, print, Tin khác, Tin liên quan) is a known article
    for html, url in ((listing, site.start_urls()[0]), (article, site.article_url(a))):
        links = [u for u, _ in Page(url, html).links() if PROFILE.is_article_url(u)]
        assert links and {PROFILE.article_key(u) for u in links} <= truth
    most = [u for u, _ in Page(site.start_urls()[0], listing).links(".tin-doc-nhieu")]
    assert len(most) == 5 and all("&Source=" in u for u in most)
    assert any("IsDlg=1" in u for u, _ in Page(site.article_url(a), article).links())
    for url in (site.start_urls()[0], site.abs(ALL_ITEMS), site.abs("/Pages/Default.aspx"),
                site.abs("/Lists/TinTuc/DispForm.aspx"), site.abs("/Lists/TinTuc/ChiTiet.aspx?ID=abc"),
                site.abs(f"/Lists/TinTuc/Attachments/{a.id}/ke-hoach.pdf"),
                site.abs("/_layouts/15/osssearchresults.aspx?k=x"), site.abs("/Pages/GioiThieu.aspx")):
        assert not PROFILE.is_article_url(url), url
    assert PROFILE.is_article_url("http://sct.example.gov.vn/tintuc/Pages/hoi-nghi-tong-ket-nam-2025.aspx")
    assert fetch(site, site.abs("/Lists/TinTuc/ChiTiet.aspx?ID=99999")).status == 404


def test_print_view_reads_the_same():
    site = SITE(36)
    for a in site.articles[:4]:
        full = extracted(site, site.article_url(a))
        dlg = extracted(site, f"{site.article_url(a)}&IsDlg=1")
        assert (dlg.title, dlg.text, dlg.published, dlg.source_line, dlg.article_key) == (
            full.title, full.text, full.published, full.source_line, full.article_key)
        assert full.title == a.title and full.text == a.text and full.charset_source == "bom"


def test_recognize():
    site = SITE(36)
    a = site.articles[0]
    for url in (site.start_urls()[0], site.article_url(a), f"{site.article_url(a)}&IsDlg=1", site.abs(ALL_ITEMS)):
        html = fetch(site, url).body_bytes().decode("utf-8-sig")
        assert recognize(html, url).name == "sharepoint", url
    seed = SEED_PAGE.read_text(encoding="utf-8", errors="replace")
    assert recognize(seed, "https://sct.binhduong.gov.vn/web/guest/tin-tuc").name != "sharepoint"
    assert PROFILE.detect(seed, "https://sct.binhduong.gov.vn/") < 0.3


def test_page_chrome_links_robots_path_and_today_is_not_content():
    site = SITE(36)
    a = site.articles[3]
    url = site.article_url(a)
    listing = fetch(site, site.start_urls()[0]).body_bytes().decode("utf-8-sig")
    assert f'href="{site.robots_disallow[0]}?k=' in listing
    before_html = fetch(site, url).body_bytes()
    before = extracted(site, url)
    site.set_today(date(2027, 2, 3))
    after_html = fetch(site, url).body_bytes()
    after = extracted(site, url)
    assert before_html != after_html and "ngày 3 tháng 2 năm 2027" in after_html.decode("utf-8-sig")
    fields = ("title", "text", "published", "source_line", "attachment_links", "article_key")
    assert [getattr(before, f) for f in fields] == [getattr(after, f) for f in fields]


def test_mutations_show_in_the_next_walk():
    site = SITE(36)
    walk(site)
    new = site.add_articles(5)
    edited = site.edit_article(site.articles[20].id, title="Tiêu đề đã sửa về hội chợ hàng Việt")
    extended = site.edit_article(site.articles[30].id)
    order, arts = walk(site)
    assert compare(site, arts) == [] and len(arts) == 41
    assert [PROFILE.article_key(u) for u in order[:5]] == [PROFILE.article_key(site.article_url(a)) for a in new]
    assert arts[PROFILE.article_key(site.article_url(edited))].title == "Tiêu đề đã sửa về hội chợ hàng Việt"
    assert arts[PROFILE.article_key(site.article_url(extended))].text.endswith(
        "Bài viết đã được cập nhật thêm thông tin mới.")
    assert site.n_pages == 5
    site.delete_article(new[0].id)
    assert fetch(site, site.article_url(new[0])).status == 404
    assert dict(parse_qsl(urlsplit(site.article_url(new[1])).query)) == {"ID": str(new[1].id)}


VINHPHUC = "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/View_Detail.aspx?ItemID=38"


def test_custom_list_view_items_are_articles_of_their_list():
    """Vĩnh Phúc's ``Lists/<list>/View_Detail.aspx?ItemID=N``: the item of its list, any case."""
    key = "/noidung/qlnhanuoc/lists/thanhtra/38"
    assert PROFILE.is_article_url(VINHPHUC) and PROFILE.article_key(VINHPHUC) == key
    assert PROFILE.canonical_url(VINHPHUC + "&Source=%2Fnoidung%2Fqlnhanuoc&utm_source=zalo") == VINHPHUC
    for variant in (
        VINHPHUC.replace("ItemID=38", "itemid=038"), VINHPHUC.replace("ItemID", "ITEMID"),
        VINHPHUC.replace("/Lists/ThanhTra/View_Detail.aspx", "/lists/thanhtra/view_detail.aspx"),
        VINHPHUC + "&IsDlg=1&ContentTypeId=0x0100", VINHPHUC + "#top",
        VINHPHUC.replace("?", ";jsessionid=0A1B2C?"),
        VINHPHUC.replace("soct.vinhphuc.gov.vn", "SOCT.VINHPHUC.GOV.VN"),
    ):
        assert PROFILE.is_article_url(variant), variant
        assert PROFILE.article_key(variant) == key, variant
        assert PROFILE.canonical_url(variant).lower() == VINHPHUC.lower(), variant
    # another item, another list: other articles
    assert PROFILE.article_key(VINHPHUC.replace("=38", "=39")) == "/noidung/qlnhanuoc/lists/thanhtra/39"
    assert PROFILE.article_key(VINHPHUC.replace("ThanhTra", "TinTuc")) == "/noidung/qlnhanuoc/lists/tintuc/38"
    # the list's views and a view without an item are not articles
    for url in (
        "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/View_Detail.aspx",
        "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/View_Detail.aspx?ItemID=abc",
        "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/View_Detail.aspx?ListID=38",
        "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/AllItems.aspx",
        "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/View_All.aspx?Page=2",
        "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Pages/ThanhTra.aspx",
    ):
        assert not PROFILE.is_article_url(url), url
    # the stock forms keep their ID= identity
    stock = "http://soct.vinhphuc.gov.vn/noidung/qlnhanuoc/Lists/ThanhTra/DispForm.aspx?id=38&Source=x"
    assert PROFILE.article_key(stock) == key
    assert PROFILE.canonical_url(stock).endswith("/Lists/ThanhTra/DispForm.aspx?ID=38")


def test_publishing_pages_in_a_dated_folder_are_articles():
    """Ninh Thuận's portal: ``/portal/Pages/<yyyy-mm-dd>/<slug>.aspx``."""
    url = "https://soct.ninhthuan.gov.vn/portal/Pages/2024-11-28/Hoi-nghi-nganh-Cong-Thuong-15-tinh-khu-vssup0s.aspx"
    key = "/portal/pages/2024-11-28/hoi-nghi-nganh-cong-thuong-15-tinh-khu-vssup0s.aspx"
    assert PROFILE.is_article_url(url) and PROFILE.article_key(url) == key
    assert PROFILE.canonical_url(url + "?utm_source=zalo#top") == url
    assert PROFILE.article_key(url.upper().replace("HTTPS://", "https://")) == key
    assert PROFILE.article_key(url.replace("2024-11-28", "2024-11-29")) != key
    for other in (
        "https://soct.ninhthuan.gov.vn/portal/Pages/Default.aspx",
        "https://soct.ninhthuan.gov.vn/portal/Pages/2024-11-28/Default.aspx",
        "https://soct.ninhthuan.gov.vn/portal/Pages/TinTuc.aspx?p=2",
        "https://soct.ninhthuan.gov.vn/portal/Pages/2024/hoi-nghi-nganh-cong-thuong-cac-tinh.aspx",
    ):
        assert not PROFILE.is_article_url(other), other
