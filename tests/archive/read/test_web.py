"""``sct-archive serve``: the read-only web interface and its JSON twins (Starlette's TestClient)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from archive.read import search as fts
from archive.read.web.app import Settings, create_app
from archive.storage.db import head_revision

from .conftest import fill, page


def _url(archive) -> str:
    return archive.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def site(archive):
    """(client, article ids) on each backend: the sample archive served read-only."""
    ids = fill(archive)
    app = create_app(_url(archive), ops=None)
    with TestClient(app) as client:
        yield client, ids
    app.state.engine.dispose()


def test_health_answers_with_the_schema_revision(site):
    client, _ = site
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["schema_revision"] == head_revision()


def test_folded_search_page_and_its_json_twins(site):
    client, ids = site
    r = client.get("/search", params={"q": "hoi cho"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert f'data-article="{ids["fair"]}"' in r.text
    assert "<mark>Hội</mark> <mark>chợ</mark>" in r.text
    j = client.get("/search.json", params={"q": "HỘI CHỢ"}).json()
    assert [h["id"] for h in j["hits"]] == [ids["fair"]] and j["total"] == 1
    k = client.get("/search", params={"q": "hội chợ"}, headers={"Accept": "application/json"}).json()
    assert k["hits"] == j["hits"]


def test_search_filters_and_facets(site):
    client, ids = site
    j = client.get("/search.json", params={"q": "cong thuong"}).json()
    assert j["total"] == 5
    assert {f["value"]: f["count"] for f in j["facets"]["province"]}["Hồ Chí Minh"] == 1
    assert {f["value"]: f["count"] for f in j["facets"]["year"]} == {2025: 3, 2024: 1, 2023: 1}
    j = client.get("/search.json", params={"q": "cong thuong", "province": "Bình Dương"}).json()
    assert [h["id"] for h in j["hits"]] == [ids["fair"]]
    j = client.get("/search.json", params=[("q", "cong thuong"), ("flag", "funding"),
                                           ("min_vnd", "3000000000")]).json()
    assert [h["id"] for h in j["hits"]] == [ids["funding"]]
    j = client.get("/search.json", params={"q": "cong thuong", "from": "2024-01-01",
                                           "until": "2024-12-31"}).json()
    assert [h["id"] for h in j["hits"]] == [ids["roads"]]
    j = client.get("/search.json", params={"q": "500 gian hang", "all_versions": "1"}).json()
    assert [(h["id"], h["version"]) for h in j["hits"]] == [(ids["fair"], 1)]
    html_page = client.get("/search", params={"q": "cong thuong"}).text
    assert "/search?q=cong+thuong&amp;province=H%E1%BB%93+Ch%C3%AD+Minh" in html_page  # a facet link


def test_paging(site):
    client, _ = site
    first = client.get("/search.json", params={"q": "cong thuong", "size": 2}).json()
    second = client.get("/search.json", params={"q": "cong thuong", "size": 2, "page": 2}).json()
    assert len(first["hits"]) == 2 and len(second["hits"]) == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert first["links"]["next"] and first["pages"] == 3


def test_downloads_of_a_result_set(site):
    client, ids = site
    r = client.get("/search.csv", params={"q": "cong thuong"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 5 and {int(r["id"]) for r in rows} == set(ids.values())
    r = client.get("/search.jsonl", params={"q": "xang"})
    assert r.status_code == 200 and len(r.text.splitlines()) == 1 and '"sct-dongnai"' in r.text


@pytest.mark.parametrize("params, message", [
    ({"q": "hoi", "size": "1000"}, "size must be between 1 and 100"),
    ({"q": "hoi", "page": "x"}, "page must be a whole number"),
    ({"q": "-xang"}, "only excludes"),
    ({"q": "x" * 600}, "too long"),
    ({"q": "hoi", "from": "01/02/2025"}, "date YYYY-MM-DD"),
    ({"q": "hoi", "flag": "weather"}, "flag must be conference or funding"),
    ({"q": "hoi", "province": "Atlantis"}, "unknown province"),
])
def test_bad_requests_get_400_with_a_message(site, params, message):
    client, _ = site
    r = client.get("/search", params=params)
    assert r.status_code == 400 and message in r.text
    j = client.get("/search.json", params=params)
    assert j.status_code == 400 and message in j.json()["error"]


def test_a_search_over_its_time_limit_gets_400(site, monkeypatch):
    client, _ = site

    def too_slow(*args, **kwargs):
        raise fts.QueryTooExpensive("the search took longer than 2000 ms: narrow it down")

    monkeypatch.setattr(fts, "ranked", too_slow)  # the search itself
    r = client.get("/search.json", params={"q": "cong"})
    assert r.status_code == 400 and "longer than 2000 ms" in r.json()["error"]


def test_facets_over_their_time_limit_are_left_out(site, monkeypatch):
    client, ids = site

    def too_slow(*args, **kwargs):
        raise fts.QueryTooExpensive("slow")

    monkeypatch.setattr(fts, "facets", too_slow)
    j = client.get("/search.json", params={"q": "hoi cho"}).json()
    assert [h["id"] for h in j["hits"]] == [ids["fair"]] and j["facets"] == {}
    assert "narrow the search" in j["facets_note"]


def test_article_page_shows_fields_flags_attachments_and_versions(site):
    client, ids = site
    r = client.get(f"/articles/{ids['funding']}")
    assert r.status_code == 200
    assert "Phê duyệt kinh phí khuyến công quốc gia năm 2025 cho Hà Nội" in r.text
    assert 'class="flag funding"' in r.text and "3.15 tỷ đồng" in r.text
    assert '<mark class="evidence">' in r.text
    assert "quyet-dinh.pdf" in r.text and "máy sấy nông sản" in r.text
    j = client.get(f"/articles/{ids['funding']}.json").json()
    assert j["version"]["published"] == "2025-08-01" and j["flags"][0]["kind"] == "funding"
    assert j["flags"][0]["facts"]["amounts"][0]["vnd"] == 3_150_000_000
    assert j["attachments"][0]["filename"] == "quyet-dinh.pdf"


def test_versions_permalinks_and_word_diff(site):
    client, ids = site
    j = client.get(f"/articles/{ids['fair']}.json").json()
    assert [v["number"] for v in j["versions"]] == [1, 2] and j["version"]["number"] == 2
    old = client.get(f"/articles/{ids['fair']}/versions/1.json").json()
    assert old["version"]["current"] is False and "500 gian hàng" in old["version"]["text"]
    assert "version 1 of 2" in client.get(f"/articles/{ids['fair']}/versions/1").text
    d = client.get(f"/articles/{ids['fair']}/diff.json", params={"from": 1, "to": 2}).json()
    assert d["changed"]["text"] == {"removed": ["500", "tỉnh."], "added": ["650", "nước."]}
    assert d["changed"]["title"] == {"removed": [], "added": []}
    html_page = client.get(f"/articles/{ids['fair']}/diff", params={"from": 1, "to": 2}).text
    assert "<del>500</del><ins>650</ins>" in html_page
    assert client.get(f"/articles/{ids['fair']}/diff", params={"from": 1, "to": 9}).status_code == 404
    assert client.get(f"/articles/{ids['fair']}/versions/9").status_code == 404
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/articles/999999.json").json()["status"] == 404


def test_hostile_archived_content_is_escaped_everywhere(site):
    client, ids = site
    pages = [client.get(f"/articles/{ids['hostile']}").text,
             client.get("/search", params={"q": '"hang gia"'}).text,
             client.get(f"/articles/{ids['hostile']}/versions/1").text]
    for html_page in pages:
        assert "<script" not in html_page
        assert "&lt;script&gt;alert(" in html_page
        assert "<img src=x" not in html_page and "&lt;img src=x onerror=" in html_page
        assert "<b>nóng</b>" not in html_page
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html_page, re.I)


def test_every_page_forbids_scripts(site):
    client, ids = site
    for path in ["/search?q=hoi", f"/articles/{ids['fair']}", "/flags", "/sites", "/nope"]:
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'none'" in csp and "object-src 'none'" in csp
    assert client.get("/search").headers["x-content-type-options"] == "nosniff"


def test_the_page_as_captured_is_sanitized_and_sandboxed(site):
    client, ids = site
    r = client.get(f"/articles/{ids['hostile']}/versions/1/captured")
    assert r.status_code == 200
    assert r.headers["content-security-policy"].startswith("sandbox;")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    body = r.text.lower()
    for bad in ("<script", "onerror", "onclick", "<form", "<iframe", "javascript:", ' src="/pwned-img"'):
        assert bad not in body, bad
    assert "cảnh báo hàng giả" in body  # the page's own text stays
    article = client.get(f"/articles/{ids['hostile']}").text
    assert f'<iframe src="/articles/{ids["hostile"]}/versions/1/captured" sandbox' in article


def test_a_5_mb_article(archive):
    big = ("Hội chợ hàng Việt. " + "Nội dung rất dài về thương mại và công nghiệp. " * 60 + "\n") * 1800
    assert len(big) > 5_000_000
    out = archive.record_page("sct-hanoi", *page("sct-hanoi", "big", "Bài rất dài", big, date(2025, 2, 2)))
    app = create_app(_url(archive), ops=None)
    with TestClient(app) as client:
        r = client.get(f"/articles/{out.article_id}")
        assert r.status_code == 200 and len(r.content) < 1_000_000
        assert "Shown: the first" in r.text
        j = client.get("/search.json", params={"q": "hoi cho hang viet"}).json()
        assert [h["id"] for h in j["hits"]] == [out.article_id]
        assert len(j["hits"][0]["snippet_html"]) < 2_000
        d = client.get(f"/articles/{out.article_id}/diff.json")
        assert d.status_code == 200
    app.state.engine.dispose()


def test_the_database_is_opened_read_only(site):
    client, _ = site
    engine = client.app.state.engine
    with pytest.raises(Exception, match=r"(?i)read.?only|readonly|attempt to write"):
        with engine.begin() as conn:
            conn.execute(text("UPDATE sites SET name = 'x'"))


def test_flags_page_conferences_and_funding_totals(archive):
    ids = fill(archive)
    announced = archive.record_page("sct-hanoi", *page(
        "sct-hanoi", "hn-xttm", "Thông báo tổ chức Hội nghị xúc tiến thương mại năm 2025",
        "Sở Công Thương Hà Nội tổ chức Hội nghị xúc tiến thương mại vào ngày 15/3/2025 tại Hà Nội. "
        "Kính mời các doanh nghiệp đăng ký tham dự hội nghị." + " Thông tin chi tiết xem tại đây." * 6,
        date(2025, 2, 1)))
    app = create_app(_url(archive), ops=None, settings=Settings(today=lambda: date(2025, 3, 1)))
    with TestClient(app) as client:
        j = client.get("/flags.json").json()
        upcoming = j["conferences"]["upcoming"]
        assert [(c["id"], c["event_date"]) for c in upcoming] == [(announced.article_id, "2025-03-15")]
        assert {c["id"] for c in j["conferences"]["past"]} >= {ids["hoa"]}
        assert j["funding"]["total"] == 1
        assert j["funding"]["totals"] == [{"province": "Hà Nội", "year": 2025, "vnd": 3_150_000_000}]
        assert j["chart"] == [{"year": 2025, "vnd": 3_150_000_000, "height": 160}]
        html_page = client.get("/flags").text
        assert "<svg" in html_page and "Funding per year" in html_page
        assert html_page.index("2025-03-15") < html_page.index("Past and undated")
        by_province = client.get("/flags.json", params={"province": "Khánh Hoà"}).json()
        assert by_province["funding"]["total"] == 0
        assert [c["id"] for c in by_province["conferences"]["past"]] == [ids["hoa"]]
        assert client.get("/flags", params={"province": "Atlantis"}).status_code == 400
    app.state.engine.dispose()


def test_sites_page_without_and_with_the_scheduler(site, archive):
    client, _ = site
    j = client.get("/sites.json").json()
    assert {s["site"] for s in j["sites"]} >= {"sct-hanoi", "sct-binhduong"}
    app = create_app(_url(archive))  # the ops report comes from the scheduler's entry point
    with TestClient(app) as c2:
        r = c2.get("/sites.json")
        assert r.status_code == 200 and "unhealthy" in r.json() and isinstance(r.json()["sites"], list)
        assert c2.get("/sites").status_code == 200
    app.state.engine.dispose()


def test_an_outdated_or_missing_archive_is_refused(tmp_path):
    from archive.errors import DatabaseError

    with pytest.raises(DatabaseError, match="no archive database"):
        create_app(f"sqlite:///{tmp_path / 'none.sqlite3'}")


def test_static_assets_are_served_from_the_package(site):
    client, _ = site
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/favicon.ico").status_code == 200
    html_page = client.get("/search").text
    assert "http://" not in re.sub(r'placeholder="[^"]*"', "", html_page.split("<body>")[0])
    assert not re.search(r'(src|href)="(https?:)?//', html_page)


def test_settings_bound_the_page_size(archive):
    fill(archive)
    app = create_app(_url(archive), settings=Settings(max_page_size=3), ops=None)
    with TestClient(app) as client:
        assert client.get("/search.json", params={"q": "cong", "size": 4}).status_code == 400
        assert client.get("/search.json", params={"q": "cong", "size": 3}).status_code == 200
    app.state.engine.dispose()


def test_facets_of_a_broad_query_are_estimated_and_say_so(site, monkeypatch):
    client, _ids = site
    exact = client.get("/search.json", params={"q": "cong thuong"}).json()
    assert exact["facets_approximate"] is None and exact["total"] == 5
    monkeypatch.setattr(fts, "FACET_EXACT_MAX", 2)
    monkeypatch.setattr(fts, "FACET_SAMPLE", 2)
    j = client.get("/search.json", params={"q": "cong thuong"}).json()
    assert j["total"] == 5  # the total stays exact
    approx = j["facets_approximate"]
    assert approx["sample_every"] == 3 and 1 <= approx["sampled"] <= 2
    assert sum(f["count"] for f in j["facets"]["site"]) in (4, 5, 6)  # scaled to the total
    html_page = client.get("/search", params={"q": "cong thuong"}).text
    assert 'id="facets-approximate"' in html_page and "1 in 3" in html_page
    assert '<span class="count">≈' in html_page
    assert 'id="facets-approximate"' not in client.get("/search", params={"q": "hoi cho"}).text


def test_a_broad_query_says_it_ranked_only_its_newest_matches(site, monkeypatch):
    client, _ids = site
    j = client.get("/search.json", params={"q": "cong thuong"}).json()
    assert j["ranked_among"] is None and j["total"] == 5
    assert 'id="ranked-among"' not in client.get("/search", params={"q": "cong thuong"}).text
    monkeypatch.setattr(fts, "RANK_CAP", 3)
    j = client.get("/search.json", params={"q": "cong thuong", "size": 2}).json()
    assert j["ranked_among"] == 3 and j["total"] == 5 and len(j["hits"]) == 2
    html_page = client.get("/search", params={"q": "cong thuong", "size": 2}).text
    assert 'id="ranked-among"' in html_page and "the 3 most recently archived matches (of 5)" in html_page
