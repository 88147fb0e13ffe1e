"""The README's three research questions: every SQL and pandas block runs, and they agree."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.storage.store import Archive
from tests.archive.read.conftest import fill, page

ROOT = Path(__file__).resolve().parents[1]


def _blocks() -> tuple[list[str], list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Three research questions", 1)[1].split("\n## ", 1)[0]
    return (re.findall(r"```sql\n(.*?)```", section, re.S),
            re.findall(r"```python\n(.*?)```", section, re.S))


@pytest.fixture
def research(tmp_path, monkeypatch):
    """(sqlite3 connection, pandas namespace per question, ids) on the sample archive."""
    pytest.importorskip("pandas")
    path = tmp_path / "archive.sqlite3"
    url = f"sqlite:///{path}"
    with Archive.open(url) as archive:
        ids = fill(archive)
        start = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
        day = start + timedelta(days=4)
        out = archive.record_page("sct-hanoi", *page(
            "sct-hanoi", "next-month", "Thông báo tổ chức Hội nghị xúc tiến thương mại",
            f"Sở Công Thương Hà Nội tổ chức Hội nghị xúc tiến thương mại vào ngày "
            f"{day.day}/{day.month}/{day.year} tại Hà Nội. Kính mời các doanh nghiệp đăng ký "
            "tham dự hội nghị." + " Thông tin chi tiết xem tại đây." * 6, date.today()))
        ids["next_month"] = out.article_id
    for table in ("flags", "versions"):
        result = CliRunner().invoke(cli, ["--db", url, "export", "--format", "parquet", "--table",
                                          table, "--out", str(tmp_path / f"{table}.parquet")])
        assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    yield conn, ids
    conn.close()


def test_the_readme_has_three_questions_in_sql_and_pandas():
    sql, python = _blocks()
    assert len(sql) == 3 and len(python) == 3


def _pandas(block: str) -> dict:
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    return namespace


def test_funding_per_site_and_year(research):
    conn, _ids = research
    sql, python = _blocks()
    rows = conn.execute(sql[0]).fetchall()
    assert rows == [("sct-hanoi", 2025, 3_150_000_000)]
    frame = _pandas(python[0])["per_year"]
    assert [(r.site, int(r.year), int(r.vnd)) for r in frame.itertuples()] == rows


def test_conferences_announced_for_next_month(research):
    conn, ids = research
    sql, python = _blocks()
    rows = conn.execute(sql[1]).fetchall()
    assert [r[0] for r in rows] == [ids["next_month"]]
    frame = _pandas(python[1])["next_month"]
    assert list(frame.article_id) == [r[0] for r in rows]
    assert [d.isoformat() for d in frame.event_date] == [r[2] for r in rows]


def test_articles_edited_after_they_were_archived(research):
    conn, ids = research
    sql, python = _blocks()
    rows = conn.execute(sql[2]).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [(ids["fair"], "sct-binhduong", 2)]
    frame = _pandas(python[2])["edited"]
    assert [(r.article_id, r.site, r.versions) for r in frame.itertuples()] == [(r[0], r[1], r[2]) for r in rows]
