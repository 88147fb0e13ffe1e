"""Full-text search with Vietnamese folding, on SQLite (FTS5) and a real PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from archive.errors import InputError
from archive.read import search as fts
from archive.storage import searchindex

from .conftest import T0, fill, page


def ids(archive, q, filters=None, **kw):
    return [h.article_id for h in hits(archive, q, filters, **kw)]


def hits(archive, q, filters=None, **kw):
    with archive.engine.connect() as conn:
        return fts.search(conn, q, filters or fts.Filters(), **kw)


@pytest.mark.parametrize("q", ["hội chợ", "hoi cho", "HỘI CHỢ", "Hôi Chơ", "hội  chợ,", "HOI CHO"])
def test_a_query_finds_the_same_article_with_or_without_diacritics(filled, q):
    archive, by = filled
    assert ids(archive, q) == [by["fair"]]


@pytest.mark.parametrize("q", ["duong day nong", "Đường dây nóng", "ĐƯỜNG DÂY", "dong nai"])
def test_d_with_stroke_folds_to_d(filled, q):
    archive, by = filled
    assert ids(archive, q) == [by["roads"]]


@pytest.mark.parametrize("q", ["Khánh Hoà", "Khánh Hòa", "khanh hoa", "thuỷ sản", "thủy sản"])
def test_tone_mark_placement_does_not_matter(filled, q):
    archive, by = filled
    assert ids(archive, q) == [by["hoa"]]


def test_phrases_exclusion_and_prefixes(filled):
    archive, by = filled
    assert ids(archive, '"gian hàng"') == [by["fair"]]
    assert ids(archive, '"hang gian"') == []
    assert ids(archive, '"nông thôn tiêu biểu"') == [by["fair"]]
    everyone = set(ids(archive, "cong thuong", limit=50))
    assert by["roads"] in everyone
    without = set(ids(archive, "cong thuong -xang", limit=50))
    assert by["roads"] not in without and without == everyone - {by["roads"]}
    assert by["fair"] not in ids(archive, 'cong thuong -"hoi cho"', limit=50)
    assert ids(archive, "khuyen*") == [by["funding"]]
    assert ids(archive, "khuy*") == [by["funding"]]
    assert ids(archive, "khuyen") == [by["funding"]]
    assert ids(archive, "khuy") == []  # a word is matched whole unless it ends with *
    assert set(ids(archive, "nuoc*")) == {by["fair"], by["hoa"]}  # nước (v2), nước mắm


def test_fts_syntax_in_a_query_is_only_words(filled):
    archive, by = filled
    for q in ["(hoi cho", "hoi:cho", "hoi & cho", "hoi | !cho", "'hoi' cho", "hoi* cho)", '"hoi cho',
              "hoi^ {cho}", "hoi <-> cho"]:
        assert by["fair"] in ids(archive, q), q  # never an FTS5 / tsquery syntax error
    assert ids(archive, "hoi AND cho") == []  # "and" is a word like any other
    assert ids(archive, "NEAR(hoi cho)") == []


@pytest.mark.parametrize("q", ["", "   ", "-xang", '-"hoi cho"', "!!!", '"', "k*"])
def test_queries_with_nothing_to_find_are_user_errors(filled, q):
    archive, _ = filled
    with pytest.raises(InputError):
        ids(archive, q)


def test_latest_version_by_default_every_version_on_request(filled):
    archive, by = filled
    assert ids(archive, "500 gian hàng") == []  # v2 says 650
    old = hits(archive, "500 gian hàng", fts.Filters(all_versions=True))
    assert [(h.article_id, h.version, h.current) for h in old] == [(by["fair"], 1, False)]
    assert [(h.version, h.current, h.versions) for h in hits(archive, "650 gian hang")] == [(2, True, 2)]


def test_attachment_text_is_searched_and_gives_the_snippet(filled):
    archive, by = filled
    [hit] = hits(archive, "may say nong san")
    assert hit.article_id == by["funding"]
    assert hit.snippet_html.startswith("[quyet-dinh.pdf]")
    assert "<mark>máy sấy nông sản</mark>" not in hit.snippet_html  # words are marked one term each
    assert "<mark>máy</mark>" in hit.snippet_html and "<mark>sấy</mark>" in hit.snippet_html


def test_filters(filled):
    archive, by = filled
    F = fts.Filters
    assert ids(archive, "cong thuong", F(sites=("sct-hanoi",)), limit=50) == ids(
        archive, "cong thuong", F(province="Hà Nội"), limit=50)
    assert set(ids(archive, "cong thuong", F(sites=("sct-hanoi",)), limit=50)) == {by["funding"], by["hostile"]}
    # a former province (merged into Hồ Chí Minh on 1 July 2025), with or without diacritics
    assert ids(archive, "cong thuong", F(province="Bình Dương")) == [by["fair"]]
    assert ids(archive, "cong thuong", F(province="binh duong")) == [by["fair"]]
    assert ids(archive, "cong thuong", F(province="Hồ Chí Minh")) == [by["fair"]]
    assert ids(archive, "cong thuong", F(province="Khánh Hoà")) == [by["hoa"]]
    assert ids(archive, "cong thuong", F(province="Ninh Thuận")) == []  # merged into Khánh Hòa
    assert set(ids(archive, "cong thuong", F(published_from=date(2025, 1, 1)), limit=50)) == {
        by["fair"], by["funding"], by["hostile"]}
    assert ids(archive, "cong thuong", F(published_until=date(2023, 12, 31))) == [by["hoa"]]
    assert ids(archive, "cong thuong", F(flag_kinds=("funding",))) == [by["funding"]]
    assert ids(archive, "cong thuong", F(min_vnd=3_000_000_000)) == [by["funding"]]
    assert ids(archive, "cong thuong", F(min_vnd=3_150_000_001)) == []
    with pytest.raises(InputError, match="unknown province"):
        ids(archive, "cong", F(province="Atlantis"))
    with pytest.raises(InputError, match="no site"):
        ids(archive, "cong", F(sites=("sct-nowhere",)))


def test_ranked_title_first_then_newest_on_ties(archive):
    fill(archive)
    same = "Tin về hội nghị xúc tiến thương mại vùng Đông Nam Bộ năm nay." + " lorem" * 40
    a = archive.record_page("sct-hanoi", *page("sct-hanoi", "old", "Tin A", same, date(2020, 1, 1)))
    b = archive.record_page("sct-hanoi", *page("sct-hanoi", "new", "Tin B", same, date(2026, 1, 1)))
    title = archive.record_page("sct-hanoi", *page(
        "sct-hanoi", "t", "Xúc tiến thương mại", "Nội dung khác." + " lorem" * 40, date(2019, 1, 1)))
    found = hits(archive, "xuc tien thuong mai")
    assert [h.article_id for h in found] == [title.article_id, b.article_id, a.article_id]
    assert found[0].score > found[1].score
    assert found[1].score == pytest.approx(found[2].score)


def test_snippets_escape_archived_markup_and_mark_the_words(filled):
    archive, by = filled
    [hit] = hits(archive, '"hang gia"')
    assert hit.article_id == by["hostile"]
    assert "<script" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<img" not in hit.snippet_html and "&lt;img" in hit.snippet_html
    assert "<mark>hàng giả</mark>" in hit.snippet_html
    assert fts.strip_marks(hit.snippet_html).startswith("Cảnh báo hàng giả <img src=x")
    [fair] = hits(archive, "hoi cho")
    assert "<mark>Hội</mark> <mark>chợ</mark>" in fair.title_html


def test_snippet_of_a_long_text_is_a_window_around_the_match(archive):
    long = ("Mở đầu bài viết dài. " * 500) + "Cuối cùng là hội chợ thương mại." + (" Phần kết." * 500)
    archive.record_page("sct-hanoi", *page("sct-hanoi", "long", "Bài dài", long, date(2025, 1, 1)))
    [hit] = hits(archive, "hoi cho")
    assert hit.snippet_html.startswith("…") and hit.snippet_html.endswith("…")
    assert "<mark>hội</mark> <mark>chợ</mark>" in hit.snippet_html
    assert len(fts.strip_marks(hit.snippet_html)) < fts.SNIPPET_CHARS + 80


def test_every_version_is_indexed_in_its_own_transaction(filled):
    archive, _ = filled
    table = "search_fts" if archive.engine.dialect.name == "sqlite" else "search_documents"
    key = "rowid" if table == "search_fts" else "version_id"
    with archive.engine.connect() as conn:
        indexed = set(conn.execute(text(f"SELECT {key} FROM {table}")).scalars())
        versions = set(conn.execute(text("SELECT id FROM article_versions")).scalars())
    assert indexed == versions and len(versions) == 6


def test_a_failed_write_leaves_no_index_row(archive, monkeypatch):
    from archive.storage.store import Archive

    original = Archive.after_new_version

    def index_then_fail(self, *args, **kwargs):
        original(self, *args, **kwargs)  # the index row is written here…
        raise RuntimeError("disk full")  # …and rolled back with the version

    archive.record_page("sct-hanoi", *page("sct-hanoi", "ok", "Bài một", "Hội chợ. " * 40, date(2025, 1, 1)))
    monkeypatch.setattr(Archive, "after_new_version", index_then_fail)
    with pytest.raises(RuntimeError):
        archive.record_page("sct-hanoi", *page("sct-hanoi", "x", "Hội chợ hai", "Hội chợ. " * 40,
                                               date(2025, 1, 1), at=T0 + timedelta(hours=1)))
    assert len(ids(archive, "hoi cho")) == 1


def test_reindex_rebuilds_the_index(filled):
    archive, by = filled
    with archive.engine.begin() as conn:
        searchindex.drop(conn)
        searchindex.create(conn)
    assert ids(archive, "hoi cho") == []
    with archive.engine.begin() as conn:
        assert searchindex.reindex(conn, chunk=2) == 6
    assert ids(archive, "hoi cho") == [by["fair"]]
    assert ids(archive, "may say") == [by["funding"]]  # attachments too


def test_the_migration_adds_and_fills_the_index(filled):
    from alembic import command

    from archive.storage.db import alembic_config, current_revision, head_revision

    archive, by = filled
    command.downgrade(alembic_config(archive.engine), "0008-1")
    with archive.engine.connect() as conn:
        tables = {r for r in conn.execute(text(
            "SELECT name FROM sqlite_master" if conn.dialect.name == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()}
    assert not any(searchindex.is_index_table(t) for t in tables)
    command.upgrade(alembic_config(archive.engine), "head")
    assert current_revision(archive.engine) == head_revision()
    assert ids(archive, "hoi cho") == [by["fair"]]


def test_migration_0009_rebuilds_the_index_with_dates_and_adds_the_article_index(filled):
    from alembic import command

    from archive.storage.db import alembic_config, current_revision, head_revision

    archive, by = filled
    command.downgrade(alembic_config(archive.engine), "0008")
    sqlite = archive.engine.dialect.name == "sqlite"
    with archive.engine.begin() as conn:
        if sqlite:  # the index as 0008 built it: no tags column
            conn.execute(text(f"DROP TABLE {searchindex.SQLITE_TABLE}"))
            conn.execute(text(f"CREATE VIRTUAL TABLE {searchindex.SQLITE_TABLE} USING fts5(title, body,"
                              " content='', tokenize='unicode61 remove_diacritics 0', prefix='2 3')"))
            conn.execute(text(f"INSERT INTO {searchindex.SQLITE_TABLE} (rowid, title, body)"
                              " SELECT id, 'x', 'y' FROM article_versions"))
        else:  # as 0008 built it: no published column
            conn.execute(text(f"ALTER TABLE {searchindex.POSTGRES_TABLE} DROP COLUMN published"))
        assert not searchindex.layout_current(conn)
    with archive.engine.connect() as conn:
        names = {
            i["name"] for i in sa_inspect(conn).get_indexes("articles")}
    assert "ix_articles_current_version_site" not in names
    command.upgrade(alembic_config(archive.engine), "head")
    assert current_revision(archive.engine) == head_revision()
    with archive.engine.connect() as conn:
        assert searchindex.layout_current(conn)
        if not sqlite:  # the dates copied from the versions
            assert conn.execute(text(
                f"SELECT count(*) FROM {searchindex.POSTGRES_TABLE} d JOIN article_versions v"
                " ON v.id = d.version_id WHERE d.published IS NOT DISTINCT FROM v.published")).scalar() == 6
        assert "ix_articles_current_version_site" in {i["name"] for i in sa_inspect(conn).get_indexes("articles")}
    assert ids(archive, "hoi cho") == [by["fair"]]
    assert ids(archive, "cong thuong", fts.Filters(published_until=date(2023, 12, 31))) == [by["hoa"]]


def test_facets_count_the_matching_articles(filled):
    archive, _ = filled
    with archive.engine.connect() as conn:
        f = fts.facets(conn, "cong thuong")
        total = fts.count(conn, "cong thuong")
    assert total == 5
    assert {d["value"]: d["count"] for d in f["site"]} == {
        "sct-hanoi": 2, "sct-binhduong": 1, "sct-dongnai": 1, "sct-khanhhoa": 1}
    assert {d["value"]: d["count"] for d in f["province"]} == {
        "Hà Nội": 2, "Hồ Chí Minh": 1, "Đồng Nai": 1, "Khánh Hòa": 1}
    assert {d["value"]: d["count"] for d in f["year"]} == {2025: 3, 2024: 1, 2023: 1}
    assert {d["value"]: d["count"] for d in f["flag"]}.get("funding") == 1


def test_each_facet_agrees_with_its_filter(filled):
    """One pass counts every facet: a flag kind's count is the count of the matches with
    that flag (a version with both kinds is in both), and the sites add up to the total."""
    archive, _ = filled
    flagged = 0
    with archive.engine.connect() as conn:
        for q in ("cong thuong", "hoi nghi", "kinh phi", "khuyen cong"):
            f = fts.facets(conn, q)
            assert sum(d["count"] for d in f["site"]) == f["total"] == fts.count(conn, q)
            flags = {d["value"]: d["count"] for d in f["flag"]}
            for kind in ("conference", "funding"):
                assert flags.get(kind, 0) == fts.count(conn, q, fts.Filters(flag_kinds=(kind,))), (q, kind)
                flagged += flags.get(kind, 0)
    assert flagged


def test_a_query_over_its_time_limit_is_refused(archive):
    slow = ("SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            " WHERE x < 100000000) SELECT x FROM c) t" if archive.engine.dialect.name == "sqlite"
            else "SELECT pg_sleep(20)")
    with archive.engine.connect() as conn, pytest.raises(fts.QueryTooExpensive, match="longer than 50 ms"):
        with fts.time_limit(conn, 50):
            conn.execute(text(slow))


def test_site_province_reads_the_name_or_the_key():
    assert fts.site_province("sct-binhduong", "Sở Công Thương Bình Dương") == ("Hồ Chí Minh", "Bình Dương")
    assert fts.site_province("sct-binhduong", None) == ("Hồ Chí Minh", "Bình Dương")
    assert fts.site_province("sct-hanoi", "Sở Công Thương Hà Nội") == ("Hà Nội", None)
    assert fts.site_province("ttkc-thanhhoa", "Trung tâm Khuyến công Thanh Hóa") == ("Thanh Hóa", None)
    assert fts.site_province("moit", "Bộ Công Thương") == (None, None)


def test_parse_query():
    q = fts.parse_query('Hội chợ "triển lãm quốc tế" -xăng -"dầu khí" khuyen* 5.000')
    assert [(t.words, t.prefix, t.negated) for t in q.terms] == [
        (("hoi",), False, False), (("cho",), False, False),
        (("trien", "lam", "quoc", "te"), False, False), (("xang",), False, True),
        (("dau", "khi"), False, True), (("khuyen",), True, False), (("5", "000"), False, False),
    ]
    assert q.fts5() == ('("hoi" AND "cho" AND "trien lam quoc te" AND "khuyen"* AND "5 000")'
                        ' NOT ("xang" OR "dau khi")')
    assert q.tsquery() == ("'hoi' & 'cho' & ('trien' <-> 'lam' <-> 'quoc' <-> 'te') & 'khuyen':*"
                           " & ('5' <-> '000') & !'xang' & !('dau' <-> 'khi')")


def _tied_pages(archive, n=30):
    """``n`` more matches of "cong thuong", in three groups of equal scores."""
    for i in range(n):
        archive.record_page("sct-hanoi", *page("sct-hanoi", f"tie{i}", "Tin công thương",
                                               "Công thương địa phương. " * (10 + i % 3),
                                               date(2024, 1, 1) + timedelta(days=i)))


def _brute_force(archive, q, f):
    """Every match of ``q``, ranked in Python from its score and date: the reference order."""
    with archive.engine.connect() as conn:
        every = fts.search(conn, q, f, limit=fts.MAX_LIMIT, snippets=False)
        assert every.ranked_among is None and len(every) < fts.MAX_LIMIT
    return sorted(((h.article_id, round(h.score, 9), h.published, h.version_id) for h in every),
                  key=lambda r: (-r[1], -(r[2].toordinal() if r[2] else -1), -r[3]))


@pytest.mark.parametrize("q, filters", [
    ("cong thuong", {}), ("cong thuong", {"sites": ("sct-hanoi",)}), ("hoi cho", {"all_versions": True}),
    ("cong", {"published_from": date(2024, 1, 1)}), ("cong thuong -xang", {}), ("nuoc*", {}),
])
def test_pages_of_hits_follow_the_exact_ranking_ties_included(filled, q, filters):
    """Score first, then the newest publication date, then the newest version; any page
    of hits, even one that starts or ends inside a group of equal scores."""
    archive, _ = filled
    _tied_pages(archive)
    f = fts.Filters(**filters)
    expected = [(aid, score) for aid, score, _pub, _vid in _brute_force(archive, q, f)]
    assert expected
    for offset in (0, 3, 5, 11):
        got = [(h.article_id, round(h.score, 9)) for h in hits(archive, q, f, limit=7, offset=offset)]
        assert got == expected[offset:offset + 7]


def test_a_broad_query_ranks_its_most_recently_archived_matches_and_says_so(filled, monkeypatch):
    archive, _ = filled
    _tied_pages(archive)
    # the best match by far is archived first: beyond a cut of the 10 newest matches
    best = archive.record_page("sct-hanoi", *page("sct-hanoi", "best", "Công thương công thương",
                                                  "Công thương. " * 40, date(2026, 1, 1)))
    newer = [archive.record_page("sct-hanoi", *page("sct-hanoi", f"new{i}", "Tin mới",
                                                    f"Công thương địa phương số {i}. " * 12,
                                                    date(2025, 1, 1))) for i in range(12)]
    f = fts.Filters()
    full = _brute_force(archive, "cong thuong", f)
    assert full[0][0] == best.article_id
    monkeypatch.setattr(fts, "RANK_CAP", 10)
    with archive.engine.connect() as conn:
        cut = fts.search(conn, "cong thuong", f, limit=5)
        deeper = fts.search(conn, "cong thuong", f, limit=5, offset=10)
        assert fts.count(conn, "cong thuong", f) == len(full) > 10  # the count stays exact
    newest = sorted(full, key=lambda r: -r[3])[:10]
    assert {h.article_id for h in newer} >= {r[0] for r in newest}
    assert cut.ranked_among == 10 and cut.matched is None  # not all counted: no total
    assert [h.article_id for h in cut] == [r[0] for r in sorted(
        newest, key=lambda r: (-r[1], -r[2].toordinal(), -r[3]))][:5]
    assert best.article_id not in [h.article_id for h in cut]
    assert deeper.ranked_among == 15 and len(deeper) == 5  # a deeper page widens the cut
    monkeypatch.setattr(fts, "RANK_CAP", len(full))
    with archive.engine.connect() as conn:
        every = fts.search(conn, "cong thuong", f, limit=5)
        assert every.ranked_among is None and every.matched == len(full)


@pytest.mark.parametrize("q, filters", [
    ("cong thuong", {}), ("cong thuong", {"sites": ("sct-hanoi",)}), ("hoi cho", {"all_versions": True}),
    ("cong", {"published_from": date(2024, 1, 1)}), ("cong thuong -xang", {}), ("khong co dau", {}),
])
def test_a_search_that_ranked_every_match_knows_the_total_and_the_facets_use_it(filled, q, filters):
    """The page's total comes from the search when it read every match (no second count)."""
    archive, _ = filled
    f = fts.Filters(**filters)
    with archive.engine.connect() as conn:
        total = fts.count(conn, q, f)
        first = fts.search(conn, q, f, limit=2)
        beyond = fts.search(conn, q, f, limit=2, offset=total + 5)
        assert first.matched == total
        assert beyond.matched in (None, total) and not beyond  # an empty page may not know it
        assert fts.facets(conn, q, f, total=first.matched) == fts.facets(conn, q, f)


def test_facets_beyond_the_exact_limit_are_estimated_from_a_sample(filled, monkeypatch):
    archive, _ = filled
    monkeypatch.setattr(fts, "FACET_EXACT_MAX", 2)
    monkeypatch.setattr(fts, "FACET_SAMPLE", 2)
    with archive.engine.connect() as conn:
        f = fts.facets(conn, "cong thuong")
        exact = fts.facets(conn, "cong thuong", exact=True)
    assert f["total"] == exact["total"] == 5
    assert f["approximate"]["sample_every"] == 3 and exact["approximate"] is None
    with archive.engine.connect() as conn:  # every 3rd version id of the 5 matches was counted
        vids = [h.version_id for h in fts.search(conn, "cong thuong", limit=50)]
    assert f["approximate"]["sampled"] == sum(1 for v in vids if v % 3 == 0) > 0
    assert sum(d["count"] for d in f["site"]) == pytest.approx(5, abs=1)
    assert {d["value"]: d["count"] for d in exact["year"]} == {2025: 3, 2024: 1, 2023: 1}


def test_date_filters_in_the_index_select_exactly_the_range():
    """SQLite's date filter is a MATCH over the ``tags`` tokens: every range, every edge."""
    import random
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(tags, content='', prefix='2 3')")
    days = [date(1, 1, 1), date(999, 12, 31), date(1000, 1, 1), date(1999, 12, 31), date(9999, 12, 31)]
    days += [date(2018, 12, 1) + timedelta(days=i) for i in range(0, 3000, 3)]
    for i, d in enumerate(days):
        db.execute("INSERT INTO t (rowid, tags) VALUES (?, ?)", (i, searchindex.date_tags(d)))
    rng = random.Random(14)
    ranges = [(None, None), (date(2025, 1, 1), date(2025, 12, 31)), (date(2020, 2, 29), None),
              (None, date(2019, 12, 31)), (date(2024, 12, 30), date(2025, 1, 2)),
              (date(2026, 3, 1), date(2026, 2, 1)), (date(1, 1, 1), date(1, 1, 1)),
              (date(9999, 12, 1), None)]
    for _ in range(300):
        lo = date(2018, 11, 1) + timedelta(days=rng.randrange(3200))
        ranges.append((lo, lo + timedelta(days=rng.choice([0, 1, 27, 40, 365, 800]))))
        ranges.append((lo, None) if rng.random() < 0.5 else (None, lo))
    for lo, hi in ranges:
        expr = searchindex.date_range_match(lo, hi).replace("tags : ", "", 1)
        got = {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,))}
        want = {i for i, d in enumerate(days) if (lo is None or d >= lo) and (hi is None or d <= hi)}
        assert got == want, (lo, hi)
        assert expr.count(" OR ") < 120, (lo, hi)  # a few dozen phrases at most
