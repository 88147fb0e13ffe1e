"""The archive store and its versioning rule, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from archive.read import queries
from archive.storage.models import Article, ArticleVersion, Observation, Payload, Snapshot
from archive.storage.records import Extracted, Fetch

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
TEXT_A = "\n".join(
    [
        "Chiều ngày 11/7/2018, Cục Công thương địa phương phối hợp với UBND tỉnh Phú Yên tổ chức hội nghị.",
        "Tổng kinh phí khuyến công thực hiện năm 2017 của 15 tỉnh, thành phố là 44 tỷ đồng.",
        "Hội nghị đề ra 09 giải pháp chính để hoàn thành kế hoạch năm 2018 ở Khánh Hoà.",
    ]
)
TEXT_B = TEXT_A + "\nĐoạn bổ sung: Bộ Công Thương sẽ tiếp tục hỗ trợ các địa phương."


def fetch(body: bytes = b"<html><body>page</body></html>", *, at: datetime = T0, status: int = 200,
          url: str = "http://sct.example.gov.vn/tin/a") -> Fetch:
    return Fetch(url=url, fetched_at=at, status=status, body=body,
                 headers=(("Content-Type", "text/html; charset=utf-8"), ("ETag", '"x"')))


def extracted(text: str = TEXT_A, *, title: str = "Hội nghị khuyến công", key: str = "a",
              url: str = "http://sct.example.gov.vn/tin/a", published: date | None = date(2018, 12, 2)) -> Extracted:
    return Extracted(url=url, canonical_url="http://sct.example.gov.vn/tin/a", article_key=key,
                     title=title, text=text, published=published, extractor="test.V1/0")


def count(archive, model) -> int:
    with archive.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_new_article_then_unchanged_for_form_only_differences(archive):
    first = archive.record_page("site", fetch(b"<p>1</p>"), extracted())
    assert (first.status, first.version_id) == ("new", first.version_id)
    # same content: NFD, old tone placement, extra whitespace, another URL variant, new widget bytes
    variant = extracted(
        unicodedata.normalize("NFD", TEXT_A.replace("Khánh Hoà", "Khánh  Hòa")),
        title=" Hội nghị  khuyến công ",
        url="http://sct.example.gov.vn/tin/a?print=1",
    )
    again = archive.record_page("site", fetch(b"<p>2 widget changed</p>", at=T0 + timedelta(days=1)), variant)
    assert again.status == "unchanged"
    assert again.version_id == first.version_id
    assert count(archive, ArticleVersion) == 1
    assert count(archive, Snapshot) == 2  # every response is kept
    with archive.sessions() as s:
        article = s.get(Article, first.article_id)
        assert article.first_seen == T0 and article.last_seen == T0 + timedelta(days=1)
        # the print-view URL now finds the same article
        assert queries.find_article(s, "http://sct.example.gov.vn/tin/a?print=1").id == article.id


@pytest.mark.parametrize(
    "change",
    [
        {"text": TEXT_B},
        {"title": "Hội nghị khuyến công (cập nhật)"},
        {"published": date(2018, 12, 3)},
    ],
)
def test_edited_title_body_or_date_is_a_new_version(archive, change):
    archive.record_page("site", fetch(), extracted())
    out = archive.record_page("site", fetch(at=T0 + timedelta(hours=1)), extracted(**change))
    assert out.status == "changed"
    with archive.sessions() as s:
        vs = queries.versions(s, out.article_id)
        assert [v.number for v in vs] == [1, 2]
        assert s.get(Article, out.article_id).current_version_id == vs[-1].id


def test_flip_flop_between_two_renderings_does_not_grow_versions(archive):
    statuses = []
    for i in range(6):
        text = TEXT_A if i % 2 == 0 else TEXT_B
        statuses.append(archive.record_page("site", fetch(at=T0 + timedelta(hours=i)), extracted(text)).status)
    assert statuses == ["new", "changed", "returned", "returned", "returned", "returned"]
    assert count(archive, ArticleVersion) == 2
    with archive.sessions() as s:
        outcomes = s.scalars(select(Observation.outcome).order_by(Observation.id)).all()
        assert outcomes == statuses
        article = s.scalars(select(Article)).one()
        current = s.get(ArticleVersion, article.current_version_id)
        assert current.text == TEXT_B  # the last rendering seen


@pytest.mark.parametrize(
    ("status", "text", "reason"),
    [(404, TEXT_A, "HTTP 404"), (500, TEXT_A, "HTTP 500"), (200, "Không tìm thấy trang.", "text too short")],
)
def test_error_pages_and_empty_extractions_never_become_versions(archive, status, text, reason):
    out = archive.record_page("site", fetch(status=status), extracted(text))
    assert out.status == "rejected" and reason in out.reason
    assert count(archive, ArticleVersion) == 0
    assert count(archive, Article) == 0
    assert count(archive, Snapshot) == 1  # the response itself is kept


def test_rejected_fetch_of_known_article_is_observed_not_versioned(archive):
    first = archive.record_page("site", fetch(), extracted())
    out = archive.record_page("site", fetch(status=503, at=T0 + timedelta(hours=2)), extracted())
    assert out.status == "rejected" and out.article_id == first.article_id
    assert count(archive, ArticleVersion) == 1
    with archive.sessions() as s:
        assert queries.observation_counts(s, first.article_id) == {"new": 1, "rejected": 1}


def test_identical_bodies_are_stored_once(archive):
    body = b"<html>" + b"x" * 5000 + b"</html>"
    archive.record_page("site", fetch(body), extracted())
    archive.record_page("site", fetch(body, at=T0 + timedelta(hours=1)), extracted())
    archive.record_snapshot("site", fetch(body, url="http://sct.example.gov.vn/tin"))
    assert count(archive, Snapshot) == 3
    assert count(archive, Payload) == 1
    with archive.sessions() as s:
        snap_id = s.scalar(select(Snapshot.id).limit(1))
    assert archive.body(snap_id) == body


def test_an_older_capture_imported_later_does_not_replace_the_current_version(archive):
    new = archive.record_page("site", fetch(at=T0), extracted(TEXT_B))
    old = archive.record_page("site", fetch(at=T0 - timedelta(days=300)), extracted(TEXT_A))
    assert old.status == "changed"
    with archive.sessions() as s:
        article = s.get(Article, new.article_id)
        assert article.current_version_id == new.version_id
        assert article.first_seen == T0 - timedelta(days=300)
        assert [v.text for v in queries.versions(s, article.id)] == [TEXT_A, TEXT_B]  # by fetch time


def test_not_modified_updates_last_seen_and_stores_nothing(archive):
    first = archive.record_page("site", fetch(), extracted())
    out = archive.record_not_modified("site", "a", T0 + timedelta(days=2))
    assert out.status == "not_modified" and out.version_id == first.version_id
    assert count(archive, Snapshot) == 1
    with archive.sessions() as s:
        assert s.get(Article, first.article_id).last_seen == T0 + timedelta(days=2)


def test_a_failure_inside_the_transaction_leaves_nothing_half_written(archive, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive, "after_new_version", boom)
    with pytest.raises(RuntimeError):
        archive.record_page("site", fetch(), extracted())
    for model in (Snapshot, Payload, Article, ArticleVersion, Observation):
        assert count(archive, model) == 0, model.__name__


def test_same_key_on_two_sites_is_two_articles(archive):
    a = archive.record_page("one", fetch(), extracted())
    b = archive.record_page("two", fetch(), extracted())
    assert a.article_id != b.article_id and a.status == b.status == "new"


def test_runs_record_outcome_counts_and_stats(archive):
    run = archive.start_run("site", trigger="manual", full=True)
    archive.record_page("site", fetch(), extracted(), run_id=run)
    archive.finish_run(run, "finished", pages=3, new_articles=1, stats={"downloader/request_count": 3},
                       health={"empty_text_share": 0.0})
    from archive.storage.models import CrawlRun

    with archive.sessions() as s:
        r = s.get(CrawlRun, run)
        assert (r.outcome, r.pages, r.new_articles, r.full, r.trigger) == ("finished", 3, 1, True, "manual")
        assert r.stats == {"downloader/request_count": 3} and r.finished_at >= r.started_at
        assert s.scalar(select(Snapshot.run_id)) == run


def test_export_records_carry_the_public_fields(archive):
    archive.record_page("site", fetch(), extracted())
    archive.record_page("site", fetch(at=T0 + timedelta(hours=1)), extracted(TEXT_B))
    with archive.sessions() as s:
        (record,) = list(queries.export_records(s))
        assert set(queries.EXPORT_FIELDS) <= set(record)
        assert record["site"] == "site" and record["versions"] == 2 and record["text"] == TEXT_B
        assert record["published"] == "2018-12-02" and record["flags"] == []
        assert list(queries.export_records(s, sites=["other"])) == []
        assert list(queries.export_records(s, since=T0 + timedelta(days=1))) == []
        assert len(list(queries.export_records(s, since=T0 + timedelta(minutes=30)))) == 1
