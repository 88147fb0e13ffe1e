"""Guard: text extraction on our regression pages (tests/crawler/extraction/regression/).

The pages are ours (written for this project, see build.py and handwritten/ there):
teaser ``<article>`` boxes beside the real one, comment markers inside paragraphs,
bylines and update lines in eight languages, video strips, galleries, subscription and
newsletter prompts, "most read" lists, tables and lists that are content. Scored with
4-word shingles by bench/extraction_eval.py. A change fails here when it drops our F1
more than 0.01 below the recorded figure, when any page falls more than 0.05 below plain
trafilatura, or when we stop beating trafilatura's ``favor_precision`` by 0.01.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REGRESSION = Path(__file__).resolve().parent / "regression"
RECORDED = json.loads((REGRESSION / "recorded.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("extraction_eval", ROOT / "bench" / "extraction_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages(bench):
    return bench.load_pages()


@pytest.fixture(scope="module")
def result(bench, pages):
    return bench.evaluate(pages)


def test_the_set_is_varied(pages):
    assert len(pages) >= 25
    assert len({p["name"] for p in pages}) == len(pages)
    assert len({p["lang"] for p in pages}) >= 6
    assert {p["batch"] for p in pages} == {"built", "handwritten", "handwritten2", "handwritten3", "handwritten4"}
    for p in pages:
        assert p["expected"].strip(), p["name"]
        assert p["html"].lstrip().lower().startswith(b"<!doctype html"), p["name"]
    furniture = {f for p in pages for f in p.get("furniture", ())}
    assert {"markers", "byline", "video", "gallery", "paywall", "newsletter", "most-read"} <= furniture


def test_our_f1_holds_the_recorded_figure(result):
    ours = result["totals"]["ours"]["f1"]
    assert ours >= RECORDED["ours_f1"] - 0.01, (ours, RECORDED)


def test_no_page_far_below_plain_trafilatura(result):
    assert result["worse_than_trafilatura"] == [], [
        (r["name"], r["ours"], r["trafilatura"]) for r in result["per_page"]
        if r["name"] in result["worse_than_trafilatura"]
    ]


def test_better_than_trafilatura_favor_precision(result):
    totals = result["totals"]
    assert totals["ours"]["f1"] >= totals["trafilatura_precision"]["f1"] + 0.01, totals


def test_scoring_is_shingles(bench):
    assert bench.score("a b c d e", "a b c d e") == {"p": 1.0, "r": 1.0, "f1": 1.0}
    half = bench.score("one two three four five six", "one two three four seven eight")
    assert half["p"] == pytest.approx(1 / 3, abs=1e-3) and half["r"] == pytest.approx(1 / 3, abs=1e-3)
    assert bench.score("one two three four", "") == {"p": None, "r": 0.0, "f1": 0.0}
    twice = bench.score("one two three four", "one two three four\none two three four")
    assert twice["p"] == 0.2 and twice["r"] == 1.0  # counted: 1 shared of the 5 extracted


def test_cli_prints_the_three_readers(bench, capsys):
    assert bench.main(["--only", "teasers-harbour"]) == 0
    out = capsys.readouterr().out
    assert "ours" in out and "trafilatura_precision" in out and "pages more than 0.05" in out
