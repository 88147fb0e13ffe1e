"""Bad input gets an honest exit: damaged WARCs, oversized and binary input, signals (issue 12)."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from archive.cli import cli
from archive.storage.models import Article, ArticleVersion, CrawlRun, Observation, Snapshot
from archive.storage.store import Archive
from tests.conftest import SEED_DIR

EXPECTED = json.loads((SEED_DIR / "article.expected.json").read_text(encoding="utf-8"))
URL = EXPECTED["url"]
PAGES = [(SEED_DIR / "article.html").read_bytes(), (SEED_DIR / "article-next-day.html").read_bytes()]
EXIT_DAMAGED = 65  # import: a WARC ends in a truncated or corrupt record (EX_DATAERR)


def invoke(*args: str, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def counts(db: str) -> dict[str, int]:
    with Archive.open(db) as a, a.sessions() as s:
        return {name: s.scalar(select(func.count()).select_from(model))
                for name, model in (("articles", Article), ("versions", ArticleVersion),
                                    ("observations", Observation), ("snapshots", Snapshot))}


def warc_bytes(bodies: list[bytes], *, gz: bool, url: str = URL) -> tuple[bytes, list[int]]:
    """A WARC of one response per body (a day apart), and where each record starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz, warc_version="1.1")
    starts = []
    when = datetime(2018, 12, 3, 8, tzinfo=UTC)
    for n, body in enumerate(bodies):
        starts.append(out.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": (when + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")})
        writer.write_record(record)
    return out.getvalue(), starts


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    assert invoke("--db", url, "db", "upgrade").exit_code == 0
    return url


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_a_truncated_warc_imports_its_complete_records_then_fails(gz, db, tmp_path):
    data, starts = warc_bytes([PAGES[0], PAGES[1], PAGES[0]], gz=gz)
    cut = starts[2] + (len(data) - starts[2]) // 2  # in the middle of the third record
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[:cut])
    result = invoke("--db", db, "import", str(path))
    assert result.exit_code == EXIT_DAMAGED, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output
    assert f"{path}: truncated or corrupt record at byte {starts[2]}" in errors[0]
    assert "after 2 complete records" in errors[0]
    # the two complete records are archived, nothing of the third
    assert counts(db) == {"articles": 1, "versions": 1, "observations": 2, "snapshots": 2}
    with Archive.open(db) as a, a.sessions() as s:
        assert s.scalars(select(CrawlRun.outcome)).all() == ["failed"]


def test_garbage_in_the_middle_of_a_warc_stops_there(db, tmp_path):
    data, starts = warc_bytes([PAGES[0], PAGES[1]], gz=True)
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data[:starts[1]] + b"\x1f\x8b\x08\x00garbage" * 50 + data[starts[1]:])
    result = invoke("--db", db, "import", str(path))
    assert result.exit_code == EXIT_DAMAGED, result.output
    assert f"corrupt record at byte {starts[1]}" in result.output
    assert counts(db)["versions"] == 1


def test_import_refuses_a_page_over_the_size_cap(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SCT_ARCHIVE_MAX_BODY", "100000")
    big = tmp_path / "big.html"
    big.write_bytes(PAGES[0] + b"<!-- padding -->" * 20000)
    result = invoke("--db", db, "import", str(big), "--url", URL)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"Error: {big}: {big.stat().st_size / 1e6:.1f} MB is over the page size cap of 0.1 MB "
                     "(DOWNLOAD_MAXSIZE; $SCT_ARCHIVE_MAX_BODY)"]
    assert counts(db) == {"articles": 0, "versions": 0, "observations": 0, "snapshots": 0}


def test_extract_refuses_a_page_over_the_size_cap(monkeypatch):
    monkeypatch.setenv("SCT_ARCHIVE_MAX_BODY", "100000")
    result = invoke("extract", "-", "--url", URL, input=PAGES[0] + b" " * 200_000)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: -: over the page size cap")


def test_a_warc_record_over_the_size_cap_is_skipped_with_a_warning(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SCT_ARCHIVE_MAX_BODY", "100000")
    data, _ = warc_bytes([PAGES[0], PAGES[1] + b" " * 200_000], gz=True)
    path = tmp_path / "big.warc.gz"
    path.write_bytes(data)
    result = invoke("--db", db, "import", str(path))
    assert result.exit_code == 1, result.output
    assert "1 over the size cap" in result.output
    assert counts(db)["versions"] == 1


@pytest.mark.parametrize("body", [os.urandom(200_000), b"%PDF-1.7\n" + os.urandom(5000),
                                  b"\x89PNG\r\n\x1a\n" + bytes(2000)], ids=["random", "pdf", "png"])
def test_extract_refuses_binary_input(body):
    result = invoke("extract", "-", "--url", URL, input=body)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: -: not an HTML page")


def test_import_refuses_a_binary_file(db, tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(3000))
    result = invoke("--db", db, "import", str(path), "--url", URL)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {path}: not an HTML page (a PDF document)"
    assert counts(db)["snapshots"] == 0


def test_import_reports_progress_on_a_large_warc(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SCT_ARCHIVE_PROGRESS_RECORDS", "2")
    data, _ = warc_bytes([PAGES[0], PAGES[1], PAGES[0], PAGES[1], PAGES[0]], gz=True)
    path = tmp_path / "five.warc.gz"
    path.write_bytes(data)
    result = invoke("--db", db, "import", str(path))
    assert result.exit_code == 0, result.output
    progress = [line for line in result.output.splitlines() if "records read" in line]
    assert [line.split(" (")[0] for line in progress] == [f"{path}: 2 records read",
                                                          f"{path}: 4 records read"]
    assert all(line.endswith("% of the file)") for line in progress)


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)],
                         ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_import_stops_after_a_whole_article(sig, code, db, tmp_path, monkeypatch):
    import crawler.ingest as ingesting

    data, _ = warc_bytes([PAGES[0], PAGES[1], PAGES[0]], gz=True)
    path = tmp_path / "three.warc.gz"
    path.write_bytes(data)
    real = ingesting.ingest
    calls = []

    def ingest_then_signal(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            os.kill(os.getpid(), sig)  # arrives while the first article is committed
        return result

    monkeypatch.setattr(ingesting, "ingest", ingest_then_signal)  # imported when the command runs
    before = signal.getsignal(sig)
    try:
        result = invoke("--db", db, "import", str(path))
    finally:
        assert signal.getsignal(sig) == before  # the command restores the handlers
    assert result.exit_code == code, result.output
    assert result.output.strip().splitlines()[-1].startswith("interrupted")
    assert counts(db)["versions"] == 1 and len(calls) == 1
    with Archive.open(db) as a, a.sessions() as s:
        assert s.scalars(select(CrawlRun.outcome)).all() == ["interrupted"]


def test_a_signal_during_reextract_stops_after_a_whole_article(db, tmp_path, monkeypatch):
    import crawler.ingest as ingesting

    for n, page in enumerate(PAGES):
        other = tmp_path / f"p{n}.html"
        other.write_bytes(page)
    assert invoke("--db", db, "import", str(tmp_path / "p0.html"), "--url", URL).exit_code == 0
    url2 = URL.replace("tin-tuc", "tin-tuc-2") if "tin-tuc" in URL else URL + "2"
    assert invoke("--db", db, "import", str(tmp_path / "p1.html"), "--url", url2).exit_code == 0
    real = ingesting.ingest
    calls = []

    def ingest_then_signal(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        os.kill(os.getpid(), signal.SIGTERM)
        return result

    monkeypatch.setattr(ingesting, "ingest", ingest_then_signal)
    before = counts(db)
    result = invoke("--db", db, "reextract")
    assert result.exit_code == 143, result.output
    assert "interrupted" in result.output.strip().splitlines()[-1]
    assert len(calls) == 1
    assert counts(db)["articles"] == before["articles"]


def test_gzip_magic_without_a_warc_inside_is_one_error(db, tmp_path):
    path = tmp_path / "x.warc.gz"
    path.write_bytes(gzip.compress(b"not a warc at all\r\n" * 10))
    result = invoke("--db", db, "import", str(path))
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "Error:" in result.output


def test_reextract_of_an_unknown_site_is_an_error(db):
    result = invoke("--db", db, "reextract", "--site", "nosuch")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no site 'nosuch' in this archive"


def test_an_import_stopped_at_once_mid_article_keeps_every_whole_article(db, tmp_path, monkeypatch):
    """A second Ctrl-C (KeyboardInterrupt) in the middle of an article: that page is absent,
    the ones before it are archived whole (a WARC's articles are committed in groups)."""
    data, _ = warc_bytes([PAGES[0], PAGES[1], PAGES[0]], gz=True)
    path = tmp_path / "three.warc.gz"
    path.write_bytes(data)
    real = Archive._record_version
    calls = []

    def stop_in_second(self, *args, **kwargs):
        calls.append(1)
        out = real(self, *args, **kwargs)
        if len(calls) == 2:  # its snapshot and observation written, the article not done
            raise KeyboardInterrupt
        return out

    monkeypatch.setattr(Archive, "_record_version", stop_in_second)
    result = invoke("--db", db, "import", str(path), "--workers", "0")
    assert result.exit_code != 0 and len(calls) == 2
    assert counts(db) == {"articles": 1, "versions": 1, "snapshots": 1, "observations": 1}
    with Archive.open(db) as a, a.sessions() as s:
        [version] = s.scalars(select(ArticleVersion)).all()
        [snap] = s.scalars(select(Snapshot)).all()
        [seen] = s.scalars(select(Observation)).all()
        assert version.snapshot_id == snap.id == seen.snapshot_id and seen.outcome == "new"
