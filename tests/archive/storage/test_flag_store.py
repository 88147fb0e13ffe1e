"""Flags in the archive: computed for every new version, re-flagged, listed, exported,
announced in an Atom feed and to a webhook (which may fail without failing anything)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from archive.cli import cli
from archive.flags import RULES_VERSION
from archive.read.feed import ATOM, append_atom, flagged_in_run, notify_run, post_webhook
from archive.storage.models import Flag
from archive.storage.records import Fetch
from archive.storage.store import Archive
from crawler.extraction import extract
from tests.conftest import SEED_DIR

EXPECTED = json.loads((SEED_DIR / "article.expected.json").read_text(encoding="utf-8"))
URL = EXPECTED["url"]
ARTICLE = SEED_DIR / "article.html"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    run("--db", url, "import", str(ARTICLE), "--url", URL, "--fetched-at", "2018-12-03")
    return url


def _check_seed_flags(flags: list[dict]) -> None:
    by_kind = {f["kind"]: f for f in flags}
    assert set(by_kind) == {"conference", "funding"}
    conf, fund = by_kind["conference"], by_kind["funding"]
    assert conf["subtype"] == "report"
    assert conf["event_date"] == EXPECTED["flags"]["conference"]["event_date"]
    assert conf["location"] == EXPECTED["flags"]["conference"]["location"]
    assert conf["evidence"] and all(isinstance(e, str) for e in conf["evidence"])
    vnd = {a["vnd"] for a in fund["amounts"]}
    assert set(EXPECTED["flags"]["funding"]["amounts_vnd_include"]) <= vnd
    for a in fund["amounts"]:
        assert isinstance(a["vnd"], int) and a["phrase"]
    assert 0 < fund["score"] <= 1 and fund["rules_version"] == RULES_VERSION


def test_import_flags_the_seed_and_export_carries_them(db):
    out = run("--db", db, "export", "--format", "jsonl").stdout
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 1
    _check_seed_flags(records[0]["flags"])


def test_flags_command_lists_and_filters(db):
    rows = json.loads(run("--db", db, "flags", "--json").stdout)
    assert [r["url"] for r in rows] == [URL]
    _check_seed_flags(rows[0]["flags"])
    only = json.loads(run("--db", db, "flags", "--kind", "conference", "--json").stdout)
    assert [f["kind"] for f in only[0]["flags"]] == ["conference"]
    assert json.loads(run("--db", db, "flags", "--since", "2030-01-01", "--json").stdout) == []
    nowhere = run("--db", db, "flags", "--site", "nowhere", "--json", ok=False)  # a mistake
    assert nowhere.exit_code == 1 and "no site 'nowhere' in this archive" in nowhere.output
    text = run("--db", db, "flags").stdout
    assert "conference/report" in text and "Phú Yên" in text and "27.708 triệu đồng" not in text.split("\n")[0]
    bad = run("--db", db, "flags", "--kind", "party", ok=False)
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_reflag_recomputes_after_the_flags_were_lost_or_stale(db):
    archive = Archive.open(db)
    try:
        with archive.sessions.begin() as s:
            s.execute(update(Flag).where(Flag.kind == "conference").values(rules_version="old", subtype="announcement"))
            s.execute(Flag.__table__.delete().where(Flag.kind == "funding"))
    finally:
        archive.close()
    result = json.loads(run("--db", db, "reflag", "--json").stdout)
    assert result["versions"] == 1 and result["conference"] == 1 and result["funding"] == 1
    assert result["changed"] == 1 and result["rules_version"] == RULES_VERSION
    rows = json.loads(run("--db", db, "flags", "--json").stdout)
    _check_seed_flags(rows[0]["flags"])
    # idempotent: a second run changes nothing and keeps one row per kind
    again = json.loads(run("--db", db, "reflag", "--json").stdout)
    assert again["changed"] == 0
    archive = Archive.open(db)
    try:
        with archive.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Flag)) == 2
    finally:
        archive.close()


def test_a_negative_article_gets_no_flag(tmp_path):
    page = tmp_path / "gia.html"
    page.write_text(
        "<html><head><title>Giá xăng dầu</title></head><body><article><h1>Giá xăng dầu giảm nhẹ từ chiều nay</h1>"
        "<p class='post-date'>09/07/2026</p><div class='entry-content'>"
        + "".join(
            f"<p>Theo thông báo của liên Bộ Công Thương – Tài chính, giá xăng RON95 giảm {i} đồng/lít, "
            "còn 21.350 đồng/lít; doanh thu bán lẻ của các cửa hàng trong tỉnh đạt 1.200 tỷ đồng trong quý.</p>"
            for i in range(3)
        )
        + "</div></article></body></html>",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'n.sqlite3'}"
    run("--db", db, "import", str(page), "--url", "https://example.gov.vn/gia-xang-dau-giam-nhe-tu-chieu-nay")
    assert json.loads(run("--db", db, "flags", "--json").stdout) == []


# -- notification ------------------------------------------------------------------------


def _run_with_seed(tmp_path) -> tuple[Archive, int]:
    archive = Archive.open(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    run_id = archive.start_run("sct-binhduong", trigger="test")
    body = ARTICLE.read_bytes()
    from datetime import UTC, datetime

    fetch = Fetch(url=URL, status=200, body=body, headers=(("Content-Type", "text/html; charset=utf-8"),),
                  fetched_at=datetime(2018, 12, 3, tzinfo=UTC))
    ex = extract(body, URL, content_type="text/html; charset=utf-8")
    archive.record_page("sct-binhduong", fetch, ex, run_id=run_id)
    return archive, run_id


def _valid_atom(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    q = lambda t: f"{{{ATOM}}}{t}"  # noqa: E731
    assert root.tag == q("feed")
    for tag in ("id", "title", "updated"):
        assert root.findtext(q(tag)), tag
    assert root.find(q("author")) is not None
    entries = root.findall(q("entry"))
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert e.findtext(q(tag)), tag
        assert e.find(q("link")).get("href").startswith("http")
    return entries


def test_atom_feed_is_valid_and_not_duplicated(tmp_path):
    archive, run_id = _run_with_seed(tmp_path)
    try:
        entries = flagged_in_run(archive, run_id)
        assert len(entries) == 1 and {f["kind"] for f in entries[0]["flags"]} == {"conference", "funding"}
        feed = tmp_path / "feeds" / "flagged.atom"
        assert append_atom(feed, entries) == 1
        assert append_atom(feed, entries) == 0  # same version: not announced twice
        atom = _valid_atom(feed)
        assert len(atom) == 1
        q = lambda t: f"{{{ATOM}}}{t}"  # noqa: E731
        assert {c.get("term") for c in atom[0].findall(q("category"))} == {"conference", "funding"}
        assert json.loads(atom[0].findtext(q("content")))[0]["kind"] == "conference"
        assert not list(feed.parent.glob(".*.part"))  # written atomically
    finally:
        archive.close()


class _Hook(BaseHTTPRequestHandler):
    bodies: ClassVar[list[bytes]] = []
    status = 200

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        type(self).bodies.append(self.rfile.read(n))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    _Hook.bodies, _Hook.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhook_receives_the_flagged_articles(tmp_path, hook):
    archive, run_id = _run_with_seed(tmp_path)
    try:
        url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
        assert notify_run(archive, run_id, feed_path=tmp_path / "f.atom", webhook_url=url) == 1
    finally:
        archive.close()
    assert len(_Hook.bodies) == 1
    payload = json.loads(_Hook.bodies[0])
    assert payload["articles"][0]["url"] == URL
    assert {f["kind"] for f in payload["articles"][0]["flags"]} == {"conference", "funding"}


def test_a_failing_webhook_never_fails_the_run(tmp_path, hook, caplog):
    _Hook.status = 500
    archive, run_id = _run_with_seed(tmp_path)
    try:
        url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
        assert post_webhook(url, [{"x": 1}]) is False
        # a refused connection (nothing listens there) is only a warning, and the feed is still written
        hook.shutdown()
        hook.server_close()
        feed = tmp_path / "f.atom"
        assert notify_run(archive, run_id, feed_path=feed, webhook_url=url) == 1
        assert len(_valid_atom(feed)) == 1
    finally:
        archive.close()
    assert any("webhook" in r.getMessage() for r in caplog.records)
