"""docs/schema.md is generated from the models and kept current."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from archive.flags import flag_version
from archive.read import schemadoc
from archive.storage.models import Base

ROOT = Path(__file__).resolve().parents[3]


def test_docs_schema_md_is_current():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert doc == schemadoc.render(), "run: sct-archive db schema --markdown > docs/schema.md"


def test_every_table_and_column_is_described():
    assert schemadoc.missing_descriptions() == []
    described = {(t, c) for t, cols in schemadoc.COLUMNS.items() for c in cols}
    real = {(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns}
    assert described - real == set(), "schemadoc describes columns that do not exist"
    doc = schemadoc.render()
    for table in Base.metadata.sorted_tables:
        assert f"## `{table.name}`" in doc


def test_the_documented_facts_are_what_the_rules_produce():
    conference = flag_version(
        "Thông báo tổ chức Hội nghị xúc tiến thương mại năm 2025",
        "Sở Công Thương Hà Nội tổ chức Hội nghị xúc tiến thương mại vào ngày 15/3/2025 tại Hà Nội.",
        date(2025, 2, 1))
    funding = flag_version(
        "Phê duyệt kinh phí khuyến công quốc gia năm 2025",
        "Bộ Công Thương phê duyệt kế hoạch kinh phí khuyến công quốc gia năm 2025 cho tỉnh "
        "Quảng Nam với tổng kinh phí 3.150 triệu đồng để thực hiện 9 đề án.", date(2025, 3, 1))
    facts = {f.kind: set(f.facts) for f in conference + funding}
    assert facts == {kind: set(keys) for kind, keys in schemadoc.FACTS.items()}


def test_the_exit_codes_are_listed():
    doc = schemadoc.render()
    for code in ("0", "1", "2", "75", "130"):
        assert f"| {code} |" in doc
