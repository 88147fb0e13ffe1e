"""``sct-archive search``, ``db reindex``, ``export --format parquet``, ``flags --published-*``."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.cli.search import parse_vnd
from archive.storage.store import Archive
from tests.archive.read.conftest import fill


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def db(sqlite_url):
    with Archive.open(sqlite_url) as archive:
        ids = fill(archive)
    return sqlite_url, ids


def test_search_prints_ranked_hits_with_marked_snippets(db):
    url, ids = db
    out = run("--db", url, "search", "hoi", "cho").output
    assert out.splitlines()[0].startswith(f"#{ids['fair']} 2025-05-10 [sct-binhduong] «Hội» «chợ»")
    assert "«Hội» «chợ» triển lãm hàng công nghiệp" in out
    assert run("--db", url, "search", "HỘI CHỢ").output == out


def test_search_json_jsonl_and_csv(db):
    url, ids = db
    doc = json.loads(run("--db", url, "search", "khuyến công", "--json").output)
    assert [h["id"] for h in doc["hits"]] == [ids["funding"]]
    hit = doc["hits"][0]
    assert hit["flags"] == ["funding"] and hit["published"] == "2025-08-01"
    assert "<mark>khuyến công</mark>" not in hit["snippet_html"] and "<mark>khuyến</mark>" in hit["snippet_html"]
    lines = run("--db", url, "search", "cong", "thuong", "--format", "jsonl", "--limit", "3").output.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["id"] for line in lines)
    rows = list(csv.DictReader(io.StringIO(run("--db", url, "search", "xang", "--format", "csv").output)))
    assert [int(r["id"]) for r in rows] == [ids["roads"]] and rows[0]["site"] == "sct-dongnai"


def test_search_filters_on_the_command_line(db):
    url, ids = db

    def found(*args):
        return [h["id"] for h in json.loads(run("--db", url, "search", *args, "--json").output)["hits"]]

    assert found("cong thuong", "--province", "binh duong") == [ids["fair"]]
    assert found("cong thuong", "--site", "sct-dongnai") == [ids["roads"]]
    assert found("cong thuong", "--until", "2023-12-31") == [ids["hoa"]]
    assert found("cong thuong", "--flag", "funding", "--min-vnd", "3 tỷ") == [ids["funding"]]
    assert found("cong thuong", "--min-vnd", "3.150.000.001") == []
    assert ids["roads"] not in found("cong", "thuong", "-xang", "--limit", "50")  # not an option
    assert found("500 gian hang") == []
    assert found("500 gian hang", "--all-versions") == [ids["fair"]]


@pytest.mark.parametrize("args, message", [
    (["-xang"], "only excludes"),
    (["!!!"], "nothing to search for"),
    (["cong", "--province", "Atlantis"], "unknown province"),
    (["cong", "--site", "sct-nowhere"], "no site"),
    (["cong", "--min-vnd", "nhiều tiền"], "not an amount"),
])
def test_search_mistakes_are_one_line_errors(db, args, message):
    url, _ = db
    result = run("--db", url, "search", *args, ok=False)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_no_hit_is_said_on_stderr_and_exits_0(db):
    url, _ = db
    result = CliRunner().invoke(cli, ["--db", url, "search", "zzzz"])
    assert result.exit_code == 0 and "No article matches" in result.output


@pytest.mark.parametrize("text, vnd", [
    ("1000000000", 10**9), ("1.000.000.000", 10**9), ("1 tỷ", 10**9), ("1,5 tỷ", 1_500_000_000),
    ("1.5 ty", 1_500_000_000), ("500 triệu", 500_000_000), ("1.000 tỷ", 10**12), ("2e9", 2 * 10**9),
])
def test_parse_vnd(text, vnd):
    assert parse_vnd(text) == vnd


def test_db_reindex(db):
    url, ids = db
    out = json.loads(run("--db", url, "db", "reindex", "--json").output)
    assert out["versions"] == 6
    assert json.loads(run("--db", url, "search", "hoi cho", "--json").output)["hits"][0]["id"] == ids["fair"]


def test_export_parquet_tables_are_typed(db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    url, ids = db
    for table in ("articles", "versions", "flags", "attachments"):
        out = tmp_path / f"{table}.parquet"
        result = run("--db", url, "export", "--format", "parquet", "--table", table, "--out", str(out))
        assert "exported" in result.output
    articles = pq.read_table(tmp_path / "articles.parquet")
    assert articles.num_rows == 5
    assert articles.schema.field("published").type == pa.date32()
    assert articles.schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    flag_type = articles.schema.field("flags").type
    assert pa.types.is_list(flag_type) and pa.types.is_struct(flag_type.value_type)
    assert flag_type.value_type.field("amounts").type == pa.list_(pa.int64())
    rows = {r["id"]: r for r in articles.to_pylist()}
    assert rows[ids["fair"]]["published"] == date(2025, 5, 10) and rows[ids["fair"]]["versions"] == 2
    funding = next(f for f in rows[ids["funding"]]["flags"] if f["kind"] == "funding")
    assert funding["amounts"] == [3_150_000_000] and funding["amount_phrases"] == ["3.150 triệu đồng"]
    versions = pq.read_table(tmp_path / "versions.parquet").to_pylist()
    assert len(versions) == 6
    assert sorted((v["version"], v["current"]) for v in versions if v["article_id"] == ids["fair"]) == [
        (1, False), (2, True)]
    flags = pq.read_table(tmp_path / "flags.parquet")
    assert flags.schema.field("event_date").type == pa.date32()
    assert flags.schema.field("amounts").type == pa.list_(pa.int64())
    assert {r["kind"] for r in flags.to_pylist()} >= {"funding"}
    attachments = pq.read_table(tmp_path / "attachments.parquet").to_pylist()
    assert [(a["article_id"], a["filename"]) for a in attachments] == [(ids["funding"], "quyet-dinh.pdf")]
    assert not list(tmp_path.glob("*.part"))


def test_export_table_needs_parquet(db):
    url, _ = db
    result = run("--db", url, "export", "--format", "jsonl", "--table", "flags", ok=False)
    assert result.exit_code == 1 and "--table flags is for --format parquet" in result.output


def test_flags_published_since_and_until(db):
    url, ids = db
    doc = json.loads(run("--db", url, "flags", "--kind", "funding", "--published-since", "2025-01-01",
                         "--published-until", "2025-12-31", "--json").output)
    assert [r["id"] for r in doc] == [ids["funding"]]
    assert json.loads(run("--db", url, "flags", "--kind", "funding", "--published-until",
                          "2024-12-31", "--json").output) == []
    assert "FETCHED" in run("flags", "--help").output


def test_search_says_when_a_broad_query_ranked_only_its_newest_matches(db, monkeypatch):
    from archive.read import search as fts

    url, _ids = db
    doc = json.loads(run("--db", url, "search", "cong", "--json").output)
    assert doc["ranked_among"] is None and len(doc["hits"]) >= 3
    monkeypatch.setattr(fts, "RANK_CAP", 2)
    doc = json.loads(run("--db", url, "search", "cong", "--limit", "1", "--json").output)
    assert doc["ranked_among"] == 2 and len(doc["hits"]) == 1
    result = CliRunner().invoke(cli, ["--db", url, "search", "cong", "--limit", "1"])
    assert result.exit_code == 0
    assert "ranked among the 2 most recently archived matches" in result.output
