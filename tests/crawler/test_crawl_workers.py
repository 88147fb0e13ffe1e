"""The crawl's extraction pool (``crawl --workers N``, ``ARCHIVE_EXTRACT_WORKERS``): pages
judged and read in worker processes give the same archive as reading them in the crawl's
own process — the same articles, versions, content hashes, fields, attachments and flags
(which the workers compute for the store, see ``PageRead.derived``).

``auto`` crawls also read pages of a URL template proven to hold articles with that
template's layout instead of judging each one again (``archive/read_by_template``); the
pages it saves judging are still checked (title, date, text) and archived right.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from archive.storage.models import Article, ArticleVersion, Attachment, Flag, Site
from archive.storage.store import Archive
from tests.crawlkit import served_site


def _rows(s) -> dict[str, tuple]:
    """article key → (canonical URL, versions: (number, content hash, title, published, text,
    attachments: (filename, status, text), flags: (kind, subtype, score, evidence, facts)))."""
    out: dict[str, tuple] = {}
    with Archive.open(s.db) as a, a.sessions() as session:
        arts = session.scalars(select(Article).join(Site).where(Site.key == s.key)).all()
        for art in arts:
            versions = session.scalars(select(ArticleVersion).where(
                ArticleVersion.article_id == art.id).order_by(ArticleVersion.number)).all()
            rows = []
            for v in versions:
                atts = session.scalars(select(Attachment).where(Attachment.version_id == v.id)
                                       .order_by(Attachment.filename)).all()
                flags = session.scalars(select(Flag).where(Flag.version_id == v.id)
                                        .order_by(Flag.kind)).all()
                rows.append((v.number, v.content_hash, v.title, v.published, v.text,
                             tuple((t.filename, t.status, t.text) for t in atts),
                             tuple((f.kind, f.subtype, f.score, json.dumps(f.evidence),
                                    json.dumps(f.facts, sort_keys=True)) for f in flags)))
            out[art.article_key] = (art.canonical_url, tuple(rows))
    return out


def _crawl(s, name: str, workers: int) -> tuple[dict[str, tuple], dict]:
    db = f"sqlite:///{s.tmp / name}"
    s.env = {**s.env, "SCT_ARCHIVE_DB": db}
    s.db = db
    done = s.crawl(s.key, "--workers", str(workers), "--json")
    run = json.loads(done.stdout)["runs"][0]
    assert run["outcome"] == "finished", run
    return _rows(s), s.runs()[-1].stats or {}


@pytest.mark.parametrize("key, auto_only", [("dnnportal", False), ("liferay", True), ("noticeboard", False)])
def test_two_workers_archive_what_one_process_archives(key, auto_only, tmp_path):
    with served_site(key, tmp_path, n=30, auto_only=auto_only) as s:
        alone, stats0 = _crawl(s, "alone.sqlite3", 0)
        pooled, stats2 = _crawl(s, "pooled.sqlite3", 2)
        assert stats0.get("archive/extract_workers") == 0
        assert stats2.get("archive/extract_workers") == 2
        assert len(alone) == len(pooled) == len(s.site.articles)
        # every article's versions: hashes, fields and attachments alike
        assert sorted(v for _url, v in pooled.values()) == sorted(v for _url, v in alone.values())
        if not auto_only:
            assert pooled == alone  # the same keys and URLs too
        # (a CMS site read as auto has URL variants with nothing in the URL to tell them apart;
        # they are merged by content under whichever was fetched first, in either mode)
        titles = {versions[-1][2] for _url, versions in pooled.values()}
        assert titles == {a.title for a in s.site.articles}
        # the comparison covers flags: the sample sites' announcements are flagged
        assert any(v[-1] for _url, versions in pooled.values() for v in versions)
        # the proven template's layout read pages in both modes (not the short
        # announcements of the noticeboard: those are judged in full)
        assert stats0.get("archive/read_by_template", 0) > 0
        assert stats2.get("archive/read_by_template", 0) > 0


def test_a_page_of_a_proven_template_that_is_no_article_is_judged_in_full():
    """Read with its template's layout, a page without a date fails the article test and
    is judged by its content like any unknown page: not an article."""
    from crawler.discovery.content import PROVEN
    from crawler.discovery.explore import Explorer, PageJob, read_page

    def page(n: int, dated: bool) -> bytes:
        date = '<span id="lblDate">Ngày 12/03/2026</span>' if dated else ""
        prose = " ".join(f"Câu thứ {i} của bài số {n} nói về hoạt động khuyến công trong tỉnh." for i in range(12))
        return (f'<html><head><title>Sở Công Thương</title></head><body><div id="main">'
                f'<h2 id="lblTitle">Tin tức hoạt động ngành công thương số {n}</h2>{date}'
                f'<div id="pnlContent"><p>{prose}</p></div></div></body></html>').encode()

    ex = Explorer()
    url = "http://127.0.0.1/tin-tuc/ctl/Detail/mid/412/ItemID/{}/Default.aspx"
    for n in (1, 2, 3):
        read = read_page(PageJob(page(n, True), url.format(n), "text/html; charset=utf-8", None, "auto"))
        assert read.verdict.kind == "article" and read.verdict.why != PROVEN
        ex.observe(read.verdict, url.format(n))
    layout = ex.layout_for(url.format(4))
    assert layout is not None
    read = read_page(PageJob(page(4, True), url.format(4), "text/html; charset=utf-8", None, "auto",
                             layout=layout))
    assert read.verdict.why == PROVEN and read.extracted.title.endswith("số 4")
    undated = read_page(PageJob(page(5, False), url.format(5), "text/html; charset=utf-8", None,
                                "auto", layout=layout))
    assert undated.verdict.why != PROVEN
    assert undated.verdict.kind != "article" and undated.extracted is None
    ex.observe(undated.verdict, url.format(5))
    assert ex.layout_for(url.format(6)) is None  # some page of it was no article: judge each


def test_a_worker_derives_what_the_store_would_for_an_article():
    """``PageJob(derive=True)``: the stored body, the content hash and the flags the store
    would compute itself; no flags while the page's files are still to be read (they read
    their text too) or when the content is the archived version's (no new version)."""
    import zlib

    from archive.storage.derived import derive
    from crawler.discovery.explore import PageJob, read_page

    prose = " ".join(f"Sở Công Thương tổ chức hội nghị xúc tiến thương mại lần thứ {i} tại tỉnh."
                     for i in range(8))
    body = ('<html><head><title>Sở Công Thương</title></head><body><div id="main">'
            '<h2 id="lblTitle">Hội nghị xúc tiến thương mại năm 2026</h2>'
            '<span id="lblDate">Ngày 12/03/2026</span>'
            f'<div id="pnlContent"><p>{prose}</p>'
            '{files}</div></div></body></html>')
    url = "http://127.0.0.1/tin-tuc/ctl/Detail/mid/412/ItemID/7/Default.aspx"
    plain = body.format(files="").encode()
    read = read_page(PageJob(plain, url, "text/html; charset=utf-8", None, "auto", derive=True))
    assert read.extracted is not None and read.derived is not None
    expected = derive(read.extracted, plain)
    assert read.derived.content_hash == expected.content_hash
    assert read.derived.body.sha256 == expected.body.sha256
    assert zlib.decompress(read.derived.body.data) == plain
    assert read.derived.flags == expected.flags
    assert read.derived.folded == expected.folded and "hoi nghi xuc tien" in read.derived.folded[0]
    assert "conference" in {f["kind"] for f in read.derived.flags}

    linked = body.format(files='<p><a href="/files/ke-hoach.pdf">Kế hoạch</a></p>').encode()
    with_files = read_page(PageJob(linked, url, "text/html; charset=utf-8", None, "auto", derive=True))
    assert with_files.extracted.attachment_links
    assert with_files.derived.flags is None and with_files.derived.folded is None
    assert with_files.derived.content_hash
    # files not downloaded (attachments off): flags from the page alone
    no_files = read_page(PageJob(linked, url, "text/html; charset=utf-8", None, "auto", derive=True,
                                 attachments=False))
    assert no_files.derived.flags

    same = read_page(PageJob(plain, url, "text/html; charset=utf-8", None, "auto", derive=True,
                             current_hash=expected.content_hash))
    assert same.derived.flags is None and same.derived.folded is None
    assert same.derived.content_hash == expected.content_hash
    assert read_page(PageJob(plain, url, "text/html; charset=utf-8", None, "auto")).derived is None
