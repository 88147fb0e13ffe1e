"""The shared sample-site framework: the corpus generator and the HTTP server."""

from __future__ import annotations

import http.client
import io
import itertools
import json
import re
import socket
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import docx
import pypdf
import pytest

from tests.sample_sites.base import DOC, DOCX, PDF, Response, SampleSite, not_found
from tests.sample_sites.corpus import (
    OLE_MAGIC,
    PROVINCES,
    fold,
    make_articles,
    make_docx,
    make_pdf,
    slugify,
)
from tests.sample_sites.server import SampleServer, http_date

VN = timezone(timedelta(hours=7))
START = datetime(2024, 3, 1, 9, 0)


class TinySite(SampleSite):
    """A minimal CMS: a listing with a hit counter, articles, a POST echo, attachments."""

    profile = "testsite"
    has_sitemap = True

    def start_urls(self) -> list[str]:
        return [self.abs("/tin-tuc")]

    def article_url(self, a) -> str:
        return self.abs(f"/tin/{a.id}/{a.slug}")

    def route(self, req):
        if req.path == "/tin-tuc":
            items = "".join(f'<li><a href="{self.article_url(a)}">{self.esc(a.title)}</a></li>' for a in self.page_of(1))
            return Response(200, f"<html><body><p>Lượt truy cập: {self.hit()}</p><ul>{items}</ul></body></html>")
        m = re.fullmatch(r"/tin/(\d+)/[\w-]+", req.path)
        if m and (a := self.by_id(int(m.group(1)))):
            paras = "".join(f"<p>{self.esc(p)}</p>" for p in a.paragraphs)
            return Response(200, f"<html><body><h1>{self.esc(a.title)}</h1>{paras}</body></html>",
                            last_modified=a.modified)
        if req.path == "/echo" and req.method == "POST":
            ctype = req.headers.get("content-type", "")
            data = req.json() if ctype.startswith("application/json") else req.form
            return Response(200, json.dumps({"method": req.method, "data": data, "q": req.query}),
                            content_type="application/json")
        if req.path == "/own-etag":
            return Response(200, "fixed", etag='"v1"')
        if req.path == "/boom":
            raise RuntimeError("boom in route")
        return self.serve_attachment(req) or not_found()


class PlainSite(TinySite):
    has_sitemap = False
    robots_disallow = ("/tim-kiem", "/admin")


@pytest.fixture
def site():
    return TinySite(60, seed=3)


@pytest.fixture
def srv(site):
    with SampleServer(site) as server:
        yield server


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET", data: bytes | None = None):
    """(status, headers, body) without raising for 3xx/4xx/5xx."""
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# -- the server -----------------------------------------------------------------------------


def test_robots_txt(srv, site):
    status, headers, body = get(srv.base_url + "/robots.txt")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode() == (
        f"User-agent: *\nDisallow: /tim-kiem\n\nSitemap: {srv.base_url}/sitemap.xml\n"
    )
    with SampleServer(PlainSite(3)) as other:
        _, _, body = get(other.base_url + "/robots.txt")
        assert body.decode() == "User-agent: *\nDisallow: /tim-kiem\nDisallow: /admin\n"


def test_base_url_free_port_and_two_servers(site):
    other_site = PlainSite(5, seed=9)
    with SampleServer(site) as one, SampleServer(other_site) as two:
        assert one.base_url.startswith("http://127.0.0.1:") and two.base_url.startswith("http://127.0.0.1:")
        assert one.port != two.port and one.port > 0
        assert site.base_url == one.base_url and other_site.base_url == two.base_url
        assert site.article_url(site.articles[0]).startswith(one.base_url + "/tin/")
        a, b = site.articles[0], other_site.articles[0]
        assert get(site.article_url(a))[0] == 200
        assert get(other_site.article_url(b))[0] == 200
        assert one.paths() == [site.article_url(a).removeprefix(one.base_url)]
        assert two.paths() == [other_site.article_url(b).removeprefix(two.base_url)]


def test_200_has_etag_and_last_modified(srv, site):
    a = site.articles[0]
    status, headers, body = get(site.article_url(a))
    assert status == 200
    assert a.title in body.decode("utf-8")
    assert re.fullmatch(r'W/"[0-9a-f]{16}"', headers["ETag"])  # from the modification time
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    # naive = Vietnam time, sent in GMT
    assert headers["Last-Modified"].endswith(" GMT")
    assert parsedate_to_datetime(headers["Last-Modified"]) == a.modified.replace(tzinfo=VN)
    assert headers["Last-Modified"] == http_date(a.modified)
    # the same page twice: the same ETag
    assert get(site.article_url(a))[1]["ETag"] == headers["ETag"]
    # no last_modified on the Response: the site's start time
    _, headers, _ = get(srv.base_url + "/tin-tuc")
    assert parsedate_to_datetime(headers["Last-Modified"]) == site.started.replace(tzinfo=VN)
    # a Response's own ETag is used as is
    assert get(srv.base_url + "/own-etag")[1]["ETag"] == '"v1"'


def test_conditional_get_304_both_ways(srv, site):
    url = site.article_url(site.articles[1])
    _, headers, _ = get(url)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]

    status, h304, body = get(url, {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert h304["ETag"] == etag
    assert get(url, {"If-None-Match": f'"nope", {etag.removeprefix("W/")}'})[0] == 304  # lists, weak comparison
    assert get(url, {"If-None-Match": "*"})[0] == 304
    assert get(url, {"If-None-Match": '"other"'})[0] == 200

    assert get(url, {"If-Modified-Since": last_modified})[0] == 304
    later = format_datetime(parsedate_to_datetime(last_modified) + timedelta(days=1), usegmt=True)
    earlier = format_datetime(parsedate_to_datetime(last_modified) - timedelta(seconds=1), usegmt=True)
    assert get(url, {"If-Modified-Since": later})[0] == 304
    assert get(url, {"If-Modified-Since": earlier})[0] == 200
    assert get(url, {"If-Modified-Since": "not a date"})[0] == 200
    # If-None-Match wins over If-Modified-Since
    assert get(url, {"If-None-Match": '"other"', "If-Modified-Since": later})[0] == 200
    # only GET gets a 304; HEAD has the headers and no body
    status, hh, body = get(url, {"If-None-Match": etag}, method="HEAD")
    assert status == 200 and body == b"" and hh["ETag"] == etag and int(hh["Content-Length"]) > 0
    # a page whose body changes on every request (hit counter) never matches
    _, lh, _ = get(srv.base_url + "/tin-tuc")
    assert get(srv.base_url + "/tin-tuc", {"If-None-Match": lh["ETag"]})[0] == 200
    # not for non-200 responses
    assert get(srv.base_url + "/missing", {"If-None-Match": "*"})[0] == 404
    assert [e.status for e in srv.log].count(304) == 5


def test_edit_changes_etag_unless_stable(srv, site):
    a = site.articles[2]
    url = site.article_url(a)
    etag = get(url)[1]["ETag"]
    site.edit_article(a.id, paragraphs=[*a.paragraphs, "Nội dung bổ sung sau khi chỉnh sửa bài viết, bảo đảm đủ dài để là một đoạn văn hoàn chỉnh trong bài."])
    status, headers, _ = get(url, {"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag

    site.stable_etag = True  # a lying server: one ETag per URL whatever the content
    stable = get(url)[1]["ETag"]
    assert get(url + "?x=1")[1]["ETag"] != stable  # per path + query
    site.edit_article(a.id, title="Tiêu đề mới của bài viết sau khi biên tập lại")
    assert get(url)[1]["ETag"] == stable
    status, _, body = get(url, {"If-None-Match": stable})
    assert (status, body) == (304, b"")  # the crawler is told nothing changed
    _, _, body = get(url)
    assert "Tiêu đề mới" in body.decode()


def test_post_form_and_json_reach_route(srv):
    status, _, body = get(srv.base_url + "/echo?page=2&empty=", method="POST",
                          data=b"__EVENTTARGET=pager&__VIEWSTATE=abc%3D&tu_khoa=h%E1%BB%99i+ch%E1%BB%A3",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    echoed = json.loads(body)
    assert echoed["method"] == "POST"
    assert echoed["data"] == {"__EVENTTARGET": "pager", "__VIEWSTATE": "abc=", "tu_khoa": "hội chợ"}
    assert echoed["q"] == {"page": ["2"], "empty": [""]}

    payload = json.dumps({"start": 10, "length": 10, "q": "khuyến công"}).encode()
    status, headers, body = get(srv.base_url + "/echo", method="POST", data=payload,
                                headers={"Content-Type": "application/json; charset=utf-8"})
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["data"] == {"start": 10, "length": 10, "q": "khuyến công"}
    assert srv.paths(method="POST") == ["/echo?page=2&empty=", "/echo"]
    assert get(srv.base_url + "/echo")[0] == 404  # GET is not routed to the echo


def test_request_log(srv, site):
    a = site.articles[0]
    path = site.article_url(a).removeprefix(srv.base_url)
    t0 = time.time()
    get(srv.base_url + path + "?utm_source=fb", {"User-Agent": "sct-archive-test", "X-Custom": "1"})
    get(srv.base_url + "/missing")
    get(srv.base_url + "/echo", method="POST", data=b"a=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    log = srv.log
    assert [(e.method, e.path, e.status) for e in log] == [
        ("GET", path + "?utm_source=fb", 200), ("GET", "/missing", 404), ("POST", "/echo", 200),
    ]
    assert log[0].headers["user-agent"] == "sct-archive-test" and log[0].headers["x-custom"] == "1"
    assert all(k == k.lower() for e in log for k in e.headers)
    assert log[0].body == b"" and log[2].body == b"a=1"
    assert t0 - 1 <= log[0].time <= log[2].time <= time.time() + 1
    assert srv.paths(status=404) == ["/missing"]
    assert srv.paths(method="GET") == [path + "?utm_source=fb", "/missing"]
    srv.clear_log()
    assert srv.log == [] and srv.paths() == []


def test_keep_alive_connection(srv, site):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        for a in site.articles[:5]:
            conn.request("GET", site.article_url(a).removeprefix(srv.base_url))
            resp = conn.getresponse()
            assert resp.status == 200 and a.title in resp.read().decode()
        conn.request("GET", "/robots.txt")
        assert conn.getresponse().read().startswith(b"User-agent: *")
    finally:
        conn.close()
    assert len(srv.paths(status=200)) == 6


def test_attachment_served(srv, site):
    with_files = [a for a in site.articles if a.attachments]
    assert with_files, "the corpus should give some of 60 articles attachments"
    a = with_files[0]
    att = a.attachments[0]
    url = site.attachment_url(a, att)
    assert url.rsplit("/", 1)[1] == att.filename
    status, headers, body = get(url)
    assert status == 200 and body == att.data
    assert headers["Content-Type"] == att.media_type
    assert att.filename in headers["Content-Disposition"]
    assert "ETag" in headers and "Last-Modified" in headers


def test_site_exception_is_500(srv, capsys):
    status, _, _ = get(srv.base_url + "/boom")
    assert status == 500
    assert srv.paths(status=500) == ["/boom"]
    assert len(srv.errors) == 1 and "RuntimeError: boom in route" in srv.errors[0]
    assert "boom in route" in capsys.readouterr().err
    assert get(srv.base_url + "/tin-tuc")[0] == 200  # the server lives on


def test_fail_next(srv):
    srv.fail_next("/tin-tuc", status=503, times=2)
    srv.fail_next("/robots", status=429)
    assert get(srv.base_url + "/tin-tuc?page=1")[0] == 503
    assert get(srv.base_url + "/tin-tuc")[0] == 503
    assert get(srv.base_url + "/tin-tuc")[0] == 200
    assert get(srv.base_url + "/robots.txt")[0] == 429
    assert get(srv.base_url + "/robots.txt")[0] == 200
    assert [e.status for e in srv.log] == [503, 503, 200, 429, 200]


def test_hang_times_out_client_and_releases(srv):
    srv.hang("/tin-tuc", 30, times=1)
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        urllib.request.urlopen(srv.base_url + "/tin-tuc", timeout=0.3)
    assert srv.wait_hanging(1, timeout=5)
    srv.clear_faults()  # the held handler is released (and answers a client that has gone)
    assert get(srv.base_url + "/tin-tuc")[0] == 200  # times=1: only the first was held


def test_hang_wakes_on_stop(site):
    srv = SampleServer(site).start()
    srv.hang("/tin", 30)
    outcome: list[object] = []

    def fetch() -> None:
        try:
            outcome.append(get(srv.base_url + "/tin-tuc")[0])
        except Exception as exc:  # the connection is dropped unanswered
            outcome.append(exc)

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    assert srv.wait_hanging(1, timeout=5)
    t0 = time.monotonic()
    srv.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - t0 < 5
    assert outcome and not isinstance(outcome[0], int)
    srv.stop()  # idempotent
    with pytest.raises(OSError):
        urllib.request.urlopen(srv.base_url + "/robots.txt", timeout=2)


def test_stop_is_prompt_and_idempotent(site):
    srv = SampleServer(site)
    srv.start()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    conn.request("GET", "/tin-tuc")
    conn.getresponse().read()  # an idle keep-alive connection stays open
    t0 = time.monotonic()
    srv.stop()
    srv.stop()
    assert time.monotonic() - t0 < 3
    with pytest.raises((OSError, http.client.HTTPException)):
        conn.request("GET", "/tin-tuc")
        conn.getresponse()
    conn.close()


def test_many_requests(srv, site):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    paths = [site.article_url(a).removeprefix(srv.base_url) for a in site.articles] * 5
    try:
        for p in paths:
            conn.request("GET", p)
            r = conn.getresponse()
            r.read()
            assert r.status == 200
    finally:
        conn.close()
    assert len(srv.log) == len(paths)


# -- the corpus -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big():
    return make_articles(2000, seed=1, start=START)


def test_corpus_is_deterministic():
    one = make_articles(80, seed=7, start=START)
    two = make_articles(80, seed=7, start=START)
    assert [a.title for a in one] == [a.title for a in two]
    assert [(a.slug, a.published, a.paragraphs, a.source, a.updated) for a in one] == [
        (a.slug, a.published, a.paragraphs, a.source, a.updated) for a in two
    ]
    assert [[(t.filename, t.media_type, t.text) for t in a.attachments] for a in one] == [
        [(t.filename, t.media_type, t.text) for t in a.attachments] for a in two
    ]
    other = make_articles(80, seed=8, start=START)
    assert [a.title for a in other] != [a.title for a in one]


def test_ids_and_dates():
    arts = make_articles(300, seed=2, start=START, first_id=41)
    assert [a.id for a in arts] == list(range(41, 341))
    assert arts[0].published >= START
    for prev, a in itertools.pairwise(arts):
        assert a.published > prev.published
        assert a.published - prev.published <= timedelta(hours=48)
    for a in arts:
        assert a.published.tzinfo is None and 7 <= a.published.hour < 18
        assert a.updated is None or a.updated > a.published
        assert a.modified == (a.updated or a.published)
    # an evening start moves to the next morning
    late = make_articles(3, seed=2, start=datetime(2024, 3, 1, 21, 30))
    assert late[0].published > datetime(2024, 3, 1, 21, 30) and 7 <= late[0].published.hour < 18


def test_big_corpus_titles_slugs_files(big):
    assert len(big) == 2000
    assert len({a.title for a in big}) == 2000
    assert len({a.slug for a in big}) == 2000
    for a in big:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a.slug), a.slug
        assert a.slug == slugify(a.title)
        assert a.title == unicodedata.normalize("NFC", a.title) and a.title == a.title.strip()
    files = [t.filename for a in big for t in a.attachments]
    assert len(files) == len(set(files))
    assert all(re.fullmatch(r"[a-z0-9-]+\.(pdf|docx|doc)", f) for f in files)
    with_files = sum(1 for a in big if a.attachments) / len(big)
    assert 0.14 <= with_files <= 0.26
    assert all(1 <= len(a.attachments) <= 2 for a in big if a.attachments)
    kinds = {t.media_type for a in big for t in a.attachments}
    assert kinds == {PDF, DOCX, DOC}
    sources = [a.source for a in big if a.source]
    assert 0.3 <= len(sources) / len(big) <= 0.5
    assert all(s.startswith(("Nguồn:", "Nguồn tin:")) for s in sources)
    updated = sum(1 for a in big if a.updated) / len(big)
    assert 0.05 <= updated <= 0.15
    # provinces vary
    mentioned = {name for name, _, _ in PROVINCES for a in big[:400] if name in a.text or name in a.title}
    assert len(mentioned) >= 30


def test_paragraph_rules(big):
    date_line = re.compile(r"^[\d\s/.:,-]+$")
    for a in big:
        assert 3 <= len(a.paragraphs) <= 8
        assert len(a.text) >= 300
        assert len(set(a.paragraphs)) == len(a.paragraphs)
        for p in a.paragraphs:
            assert "\n" not in p and "\r" not in p
            assert p == p.strip() and "  " not in p
            assert 120 <= len(p) <= 600, (a.id, len(p))
            assert p == unicodedata.normalize("NFC", p)
            assert not p.startswith(("Nguồn", "Theo ", "Tác giả")), p
            assert "Nguồn tin" not in p
            assert not date_line.match(p)
            assert "{" not in p and "}" not in p  # every slot filled
            assert p != a.title


def test_pdf_and_docx_text_extracts(big):
    docs: dict[tuple[str, str], object] = {}
    for a in big:
        for t in a.attachments:
            if t.media_type in (PDF, DOCX):
                docs.setdefault((t.media_type, t.text), t)
    pdfs = [t for (kind, _), t in docs.items() if kind == PDF][:6]
    docxs = [t for (kind, _), t in docs.items() if kind == DOCX][:6]
    assert pdfs and docxs
    for t in pdfs:
        assert t.data.startswith(b"%PDF")
        reader = pypdf.PdfReader(io.BytesIO(t.data))
        text = norm(" ".join(page.extract_text() for page in reader.pages))
        assert 5 <= len(t.text.split()) <= 10
        assert t.text in text, (t.filename, t.text, text)
    for t in docxs:
        assert t.data.startswith(b"PK")
        text = norm("\n".join(p.text for p in docx.Document(io.BytesIO(t.data)).paragraphs))
        assert 5 <= len(t.text.split()) <= 10
        assert t.text in text, (t.filename, t.text, text)
    legacy = [t for a in big for t in a.attachments if t.media_type == DOC]
    assert legacy and all(t.text is None and t.data.startswith(OLE_MAGIC) for t in legacy)
    assert all(t.filename.endswith(".doc") for t in legacy)


def test_make_pdf_docx_directly():
    text = ("KẾ HOẠCH Tổ chức Hội chợ hàng công nghiệp nông thôn tiêu biểu tỉnh Đắk Lắk\n"
            "Kinh phí khuyến công địa phương hỗ trợ 1.250 triệu đồng cho các cơ sở sản xuất đủ điều kiện, "
            "trong đó có cơ sở chế biến cà phê, hạt điều và mật ong của đồng bào.")
    pdf = make_pdf(text)
    assert make_pdf(text) is pdf  # cached
    extracted = norm(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "hỗ trợ 1.250 triệu đồng cho các cơ sở sản xuất đủ điều kiện" in extracted
    assert "Đắk Lắk" in extracted
    data = make_docx(text)
    assert make_docx(text) == data
    paras = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert paras == text.split("\n")


def test_slugify_and_fold():
    assert slugify("Hội chợ Đắk Lắk năm 2026: 3,5 tỷ đồng!") == "hoi-cho-dak-lak-nam-2026-3-5-ty-dong"
    assert fold("ĐIỆN LỰC Thừa Thiên Huế") == "dien luc thua thien hue"
    assert slugify("  --Xin chào--  ") == "xin-chao"


def test_site_uses_corpus_newest_first():
    site = TinySite(36)
    assert len(site.articles) == 36
    assert all(a.published > b.published for a, b in itertools.pairwise(site.articles))
    assert site.articles[0].published < datetime(2026, 11, 24)
    new = site.add_articles(5)
    assert [a.id for a in new] == [41, 40, 39, 38, 37]
    assert len({a.title for a in site.articles}) == 41
