"""Quality gate: precision and recall of the flags on the hand-labelled set."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "flags_labeled.jsonl"


@pytest.fixture(scope="module")
def flags_eval():
    spec = importlib.util.spec_from_file_location("flags_eval", ROOT / "bench" / "flags_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def items(flags_eval):
    return flags_eval.load(DATA)


def test_labelled_set_shape(items):
    assert len(items) >= 160
    assert len({i["id"] for i in items}) == len(items)
    mix = Counter(tuple(sorted(i["labels"])) for i in items)
    assert mix[("conference",)] >= 45
    assert mix[("funding",)] >= 40
    assert mix[("conference", "funding")] >= 25
    assert mix[()] >= 50
    for item in items:
        assert item["title"] and item["lead"] and item["published"]
        assert set(item["labels"]) <= {"conference", "funding"}


@pytest.mark.parametrize("kind", ["conference", "funding"])
def test_precision_and_recall(flags_eval, items, kind):
    result = flags_eval.evaluate(items)["kinds"][kind]
    assert result["precision"] >= 0.95, result
    assert result["recall"] >= 0.90, result


def test_cli_json(flags_eval, capsys):
    assert flags_eval.main(["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["items"] >= 160
    assert set(out["kinds"]) == {"conference", "funding"}
    assert {"tp", "fp", "fn", "precision", "recall"} <= set(out["kinds"]["funding"])


def test_cli_table(flags_eval, capsys):
    assert flags_eval.main(["--errors"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "conference" in out and "funding" in out
