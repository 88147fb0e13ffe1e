"""The Joomla profile against its sample site (a windows-1258 legacy SCT site), offline."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.extraction import extract
from crawler.extraction.encoding import decode_html
from crawler.profiles import Page, RequestSpec, get_profile, recognize
from tests.conftest import SEED_DIR
from tests.profile_walk import compare, fetch, walk
from tests.sample_sites.base import today_widget
from tests.sample_sites.joomla import SITE, JoomlaSite, encode_cp1258

PROFILE = get_profile("joomla")
SEED = SEED_DIR / "article.html"  # the repo copy of ../shared/samples


@pytest.fixture(scope="module")
def walked():
    site = SITE(36)
    order, arts = walk(site)
    return site, order, arts


def html_of(site: JoomlaSite, url: str) -> str:
    resp = fetch(site, url)
    assert resp.status == 200, url
    return decode_html(resp.body_bytes(), resp.content_type).text


def links(site: JoomlaSite, url: str, scope: str | None = None) -> list[tuple[str, str]]:
    return list(Page(url, html_of(site, url)).links(scope))


def key_of(a) -> str:
    return f"article/{a.id}"


# -- the walk ------------------------------------------------------------------------------


def test_walk_matches_ground_truth(walked):
    site, order, arts = walked
    assert SITE is JoomlaSite and SITE.profile == "joomla"
    assert compare(site, arts) == []
    assert len(arts) == 36
    assert [PROFILE.article_key(u) for u in order] == [key_of(a) for a in site.articles]
    published = [arts[PROFILE.article_key(u)].published for u in order]
    assert published == sorted(published, reverse=True)
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus should have attachments"
    for a in with_files:
        got = arts[key_of(a)].attachment_links
        assert sorted(u.rsplit("/", 1)[-1] for u in got) == sorted(t.filename for t in a.attachments)
        assert all(urlsplit(u).path.startswith(f"/attachments/article/{a.id}/") for u in got)


def test_titles_and_text_are_exact_nfc_from_windows_1258(walked):
    site, _order, arts = walked
    for a in site.articles:
        got = arts[key_of(a)]
        assert got.charset == "cp1258" and got.charset_source == "meta"
        assert got.title == a.title and unicodedata.is_normalized("NFC", got.title)
        assert got.text == a.text and unicodedata.is_normalized("NFC", got.text)
        assert got.source_line == a.source
        assert got.published == a.published.date()
        assert got.published_source == "profile:dl.article-info dd.published"
        assert got.extractor.startswith("joomla.V1/")


def test_both_byline_formats_are_read_day_first(walked):
    site, _order, arts = walked
    html = html_of(site, site.article_url(site.by_id(3)))
    p = site.by_id(3).published
    assert f"{p:%d} Tháng {p.month} {p.year} {p:%H:%M}" in html  # Joomla 1.5 LC2
    html = html_of(site, site.article_url(site.by_id(4)))
    assert f"Ngày đăng: {site.by_id(4).published:%d-%m-%Y %H:%M}" in html
    for a in site.articles:  # day ≤ 12 would be misread month-first; all must be exact
        assert arts[key_of(a)].published_at is not None
        assert arts[key_of(a)].published == a.published.date()


# -- windows-1258 ------------------------------------------------------------------------


def test_encode_cp1258_is_real_world_windows_1258():
    text = "Đắk Lắk: ặ ự ấ Ý ỹ Ỵ ổ Ở đường “Hùng Vương” – 1.000 ₫"
    raw = encode_cp1258(text)
    assert raw[:1] == b"\xd0" and b"\xd0".decode("cp1258") == "Đ"
    assert b"\xe3\xec" in raw  # "ắ" = "ă" (0xE3) + combining acute (0xEC)
    assert b"\xe3\xf2" in raw  # "ặ" = "ă" + combining dot below (0xF2)
    assert b"Y\xec" in raw and b"y\xde" in raw and b"\xd5\xd2" in raw  # Ý, ỹ, Ở = Ơ + hook
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == text
    decoded = decode_html(raw, "text/html")
    assert decoded.text == text and decoded.charset == "cp1258"
    assert encode_cp1258("中") == b"&#20013;"  # outside the code page: a character reference


def test_pages_are_windows_1258_declared_only_in_meta(walked):
    site, _order, _arts = walked
    a = site.articles[0]
    for url in (site.start_urls()[0], site.article_url(a)):
        resp = fetch(site, url)
        assert resp.content_type == "text/html"  # no charset in the header
        raw = resp.body_bytes()
        assert b'<meta http-equiv="content-type" content="text/html; charset=windows-1258" />' in raw[:600]
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert any(mark in raw for mark in (b"\xcc", b"\xec", b"\xd2", b"\xde", b"\xf2"))
        decoded = decode_html(raw, resp.content_type)
        assert (decoded.charset, decoded.source) == ("cp1258", "meta")
        assert unicodedata.normalize("NFC", raw.decode("cp1258")) == decoded.text
    text = decode_html(fetch(site, site.article_url(a)).body_bytes(), "text/html").text
    assert all(para in html.unescape(text) for para in (a.title, *a.paragraphs))


def test_all_article_texts_roundtrip_through_cp1258(walked):
    site, _order, _arts = walked
    for a in site.articles:
        for s in (a.title, a.text, a.source or ""):
            assert unicodedata.normalize("NFC", encode_cp1258(s).decode("cp1258")) == s


# -- URL identity --------------------------------------------------------------------------


def test_every_emitted_variant_is_the_same_article(walked):
    site, _order, _arts = walked
    a = site.articles[5]
    url = site.article_url(a)
    page = links(site, url)
    print_links = [u for u, t in page if t == "In trang"]
    assert print_links and "tmpl=component" in print_links[0] and "print=1" in print_links[0]
    assert PROFILE.article_key(print_links[0]) == key_of(a)
    # "Tin đọc nhiều" (other Itemid, lang=vi, no slug), "Các tin khác" (.html SEF, short
    # slug), pagenav (SEF with the category segment): each one is its own article
    emitted = (
        links(site, url, ".mostread") + links(site, url, ".tin-khac") + links(site, url, ".pagenav")
    )
    assert len(emitted) >= 9
    by_title = {x.title: x for x in site.articles}
    kinds = set()
    for link, text in emitted:
        if text in ("Trước", "Tiếp"):
            continue
        target = by_title[text]
        assert PROFILE.is_article_url(link), link
        assert PROFILE.article_key(link) == key_of(target), link
        assert PROFILE.article_key(link) == PROFILE.article_key(site.article_url(target))
        kinds.add(re.sub(r"\d+", "N", urlsplit(link).path) + ("?" + "&".join(
            sorted(k for k in parse_qs(urlsplit(link).query))) if urlsplit(link).query else ""))
    assert len(kinds) >= 3, kinds  # several URL shapes really were emitted
    newer, older = site.neighbours(a)
    nav = dict((t, u) for u, t in links(site, url, ".pagenav"))
    assert PROFILE.article_key(nav["Trước"]) == key_of(newer)
    assert PROFILE.article_key(nav["Tiếp"]) == key_of(older)
    assert "/index.php/tin-tuc/8-tin-tuc/" in nav["Tiếp"]


def test_hand_made_variants_render_and_key_alike(walked):
    site, _order, _arts = walked
    a = site.articles[7]
    n, slug, base = a.id, a.slug, site.base_url
    variants = [
        f"{base}/index.php?option=com_content&view=article&id={n}",
        f"{base}/index.php?option=com_content&view=article&id={n}:{slug}&catid=8&Itemid=101",
        f"{base}/index.php?option=com_content&view=article&id={n}:other-slug&catid=3&Itemid=7",
        f"{base}/index.php?option=com_content&view=article&id={n}:{slug}&catid=8&Itemid=101&lang=vi",
        f"{base}/index.php?option=com_content&view=article&id={n}:{slug}&Itemid=101&utm_source=fb#top",
        f"{base}/index.php?view=article&catid=8:tin-tuc&id={n}:{slug}&tmpl=component&print=1"
        "&layout=default&page=&option=com_content&Itemid=101",
        f"{base}/index.php?option=com_content&task=view&id={n}&Itemid=101",
        f"{base}/index.php/tin-tuc/8-tin-tuc/{n}-{slug}",
        f"{base}/tin-tuc/{n}-{slug}.html",
        f"{base}/?option=com_content&view=article&id={n}",
    ]
    canonical = f"{base}/index.php?option=com_content&view=article&id={n}"
    for url in variants:
        assert PROFILE.is_article_url(url), url
        assert PROFILE.article_key(url) == key_of(a), url
        assert PROFILE.canonical_url(url) == canonical, url
        resp = fetch(site, url)
        assert resp.status == 200, url
        got = extract(resp.body_bytes(), url, content_type=resp.content_type, profile=PROFILE)
        assert (got.title, got.text, got.published) == (a.title, a.text, a.published.date()), url
        assert got.article_key == key_of(a) and got.canonical_url == canonical
    assert PROFILE.canonical_url(f"http://h/portal/index.php?option=com_content&view=article&id={n}:x&Itemid=2") == (
        f"http://h/portal/index.php?option=com_content&view=article&id={n}"
    )
    assert PROFILE.article_key(f"http://h/content/view/{n}/45/") == key_of(a)


def test_listing_and_other_urls_are_not_articles(walked):
    site, _order, _arts = walked
    base = site.base_url
    a = next(x for x in site.articles if x.attachments)
    not_articles = [
        *site.start_urls(),
        f"{base}/index.php?option=com_content&view=category&layout=blog&id=8&Itemid=101&limitstart=10",
        f"{base}/index.php/tin-tuc",
        f"{base}/index.php/tin-tuc?start=20",
        f"{base}/index.php/tin-tuc/8-tin-tuc",
        f"{base}/index.php",
        f"{base}/",
        f"{base}/index.php?option=com_contact&view=contact&id=1&Itemid=110",
        f"{base}/index.php?option=com_content&view=featured&Itemid=101",
        f"{base}/index.php?option=com_content&view=article&id=abc",
        f"{base}/tim-kiem?searchword=khuyen+cong&searchphrase=all",
        f"{base}/administrator/",
        f"{base}/images/stories/tin-tuc/2026/12-anh-hoi-nghi-khuyen-cong.html",
        site.attachment_url(a, a.attachments[0]),
    ]
    for url in not_articles:
        assert not PROFILE.is_article_url(url), url
        assert not PROFILE.article_key(url).startswith("article/"), url
    # every link on a listing page that is not in the blog is not taken as the listing's
    listing = PROFILE.parse_listing(Page(site.start_urls()[0], html_of(site, site.start_urls()[0])),
                                    RequestSpec(site.start_urls()[0], page=1))
    assert [PROFILE.article_key(u) for u in listing.articles] == [key_of(x) for x in site.page_of(1)]


# -- recognition ---------------------------------------------------------------------------


def test_recognize_picks_joomla_on_its_pages(walked):
    site, _order, _arts = walked
    a = site.articles[0]
    urls = [site.start_urls()[0], site.abs("/index.php/tin-tuc?start=10"), site.article_url(a),
            site.abs(site.print_path(a)), site.abs(site.sef_path(a))]
    for url in urls:
        html = html_of(site, url)
        assert recognize(html, url).name == "joomla", url
        # sites that strip the generator meta are still known by their markup
        stripped = re.sub(r'<meta name="generator"[^>]*>', "", html)
        assert "Joomla!" not in stripped
        assert recognize(stripped, url).name == "joomla", url


def test_recognize_does_not_take_the_liferay_seed():
    html = SEED.read_text(encoding="utf-8", errors="replace")
    url = "https://sct.binhduong.gov.vn/web/guest/tin-tuc"
    assert recognize(html, url).name != "joomla"
    assert PROFILE.detect(html, url) == 0.0


# -- widget, mutations ---------------------------------------------------------------------


def _fields(e):
    return (e.title, e.text, e.published, e.source_line, e.attachment_links, e.article_key)


def test_today_widget_changes_html_not_extraction():
    site = SITE(12)
    a = next(x for x in site.articles if x.attachments) if any(x.attachments for x in site.articles) else site.articles[0]
    url = site.article_url(a)
    before_html = html_of(site, url)
    before = extract(fetch(site, url).body_bytes(), url, content_type="text/html", profile=PROFILE)
    site.set_today(date(2027, 3, 2))
    after_html = html_of(site, url)
    after = extract(fetch(site, url).body_bytes(), url, content_type="text/html", profile=PROFILE)
    assert today_widget(date(2026, 11, 24)) in before_html
    assert today_widget(date(2027, 3, 2)) in after_html
    assert today_widget(date(2026, 11, 24)) not in after_html
    strip = re.compile(r"Lượt (?:xem|truy cập): \d+|UserPageVisits:\d+")
    assert strip.sub("", before_html) != strip.sub("", after_html)
    assert _fields(before) == _fields(after)
    assert after.published == a.published.date()


def test_hit_counters_change_on_every_request():
    site = SITE(12)
    url = site.article_url(site.articles[0])
    first, second = html_of(site, url), html_of(site, url)
    assert first != second
    assert re.search(r"Lượt xem: \d+", first) and re.search(r"Lượt truy cập: \d+", first)
    one = extract(encode_cp1258(first), url, content_type="text/html", profile=PROFILE)
    two = extract(encode_cp1258(second), url, content_type="text/html", profile=PROFILE)
    assert _fields(one) == _fields(two)
    assert "Lượt" not in one.text


def test_add_and_edit_articles_then_walk_again():
    site = SITE(24)
    new = site.add_articles(5)
    target = site.articles[10]
    old_published = target.published
    site.edit_article(target.id, title="Sở Công Thương Phú Thọ tổng kết công tác khuyến công năm 2026",
                      paragraphs=["Đoạn một đã được biên tập lại: kinh phí khuyến công địa phương đạt 3,5 tỷ đồng.",
                                  "Đoạn hai: Ủy ban nhân dân tỉnh đánh giá cao kết quả đạt được."])
    order, arts = walk(site)
    assert compare(site, arts) == []
    assert len(arts) == 29
    assert [PROFILE.article_key(u) for u in order[:5]] == [key_of(a) for a in new]
    got = arts[key_of(target)]
    assert got.title == "Sở Công Thương Phú Thọ tổng kết công tác khuyến công năm 2026"
    assert got.text.startswith("Đoạn một đã được biên tập lại")
    assert got.published == old_published.date()
    assert got.updated is not None and got.updated_source == "profile:dl.article-info dd.modified"
    site.delete_article(new[0].id)
    assert fetch(site, site.article_url(new[0])).status == 404
    _order, arts = walk(site)
    assert compare(site, arts) == [] and len(arts) == 28


# -- paging mechanics ------------------------------------------------------------------------


def _recording(site: JoomlaSite) -> list[str]:
    seen: list[str] = []
    route = site.route

    def logged(req):
        query = "&".join(f"{k}={v[-1]}" for k, v in req.query.items())
        seen.append(req.path + (f"?{query}" if query else ""))
        return route(req)

    site.route = logged  # type: ignore[method-assign]
    return seen


def test_limitstart_paging_walks_each_page_once_forward():
    site = SITE(36)
    seen = _recording(site)
    _order, arts = walk(site)
    listings = [p for p in seen if "view=category" in p]
    assert [parse_qs(urlsplit(p).query).get("limitstart", ["0"])[0] for p in listings] == [
        "0", "10", "20", "30"
    ]
    assert len(seen) == len(listings) + 36  # each article fetched once, nothing else
    assert len(arts) == 36 and compare(site, arts) == []


def test_sef_start_paging():
    site = SITE(25)
    site.start_urls = lambda: [site.abs("/index.php/tin-tuc")]  # type: ignore[method-assign]
    seen = _recording(site)
    _order, arts = walk(site)
    assert [p for p in seen if p.startswith("/index.php/tin-tuc") and not re.search(r"/\d+-", p)] == [
        "/index.php/tin-tuc", "/index.php/tin-tuc?start=10", "/index.php/tin-tuc?start=20"
    ]
    assert compare(site, arts) == [] and len(arts) == 25


def test_next_pages_is_bounded():
    site = SITE(36)
    listing = site.start_urls()[0]
    last = f"{listing}&limitstart=30"
    page = Page(last, html_of(site, last))
    parsed = PROFILE.parse_listing(page, RequestSpec(last, page=4))
    assert len(parsed.articles) == 6 and parsed.next == ()  # "Đầu"/"Trước"/numbers go back: ignored
    middle = f"{listing}&limitstart=10"
    parsed = PROFILE.parse_listing(Page(middle, html_of(site, middle)), RequestSpec(middle, page=2))
    assert [(parse_qs(urlsplit(s.url).query)["limitstart"], s.page) for s in parsed.next] == [(["20"], 3)]
    past = f"{listing}&limitstart=1000"  # Joomla renders an empty blog past the end
    parsed = PROFILE.parse_listing(Page(past, html_of(site, past)), RequestSpec(past, page=101))
    assert parsed.articles == () and parsed.next == ()


def test_single_page_listing_has_no_pagination():
    site = SITE(8)
    seen = _recording(site)
    _order, arts = walk(site)
    assert len([p for p in seen if "view=category" in p]) == 1
    assert compare(site, arts) == [] and len(arts) == 8


def test_print_view_has_no_modules_and_same_content(walked):
    site, _order, arts = walked
    a = site.articles[2]
    url = site.abs(site.print_path(a))
    html = html_of(site, url)
    assert 'class="contentpane modal"' in html
    assert "Tin đọc nhiều" not in html and today_widget(site.today) not in html
    got = extract(fetch(site, url).body_bytes(), url, content_type="text/html", profile=PROFILE)
    assert _fields(got)[:4] == _fields(arts[key_of(a)])[:4]


def test_unknown_pages_are_404():
    site = SITE(6)
    base = site.base_url
    for url in (
        f"{base}/index.php?option=com_content&view=article&id=9999:khong-co",
        f"{base}/tin-tuc/9999-khong-co-bai-nay.html",
        f"{base}/index.php?option=com_content&view=category&id=99",
        f"{base}/index.php?option=com_users&view=login",
        f"{base}/khong-co-trang-nay",
        f"{base}/attachments/article/1/khong-co.pdf",
    ):
        assert fetch(site, url).status == 404, url
