"""Precision and recall of the flags on the hand-labelled set.

    .venv/bin/python bench/flags_eval.py [--data tests/data/flags_labeled.jsonl] [--json] [--errors] [--time]

Each item is a title, a lead (1–3 sentences), a publication date and the labels a
reader gave it (``conference``, ``funding``, both or none). The item is flagged with
``flag_version(title, lead, published)``; per kind, the counts of true positives,
false positives and false negatives give precision and recall. ``--errors`` lists
the items the rules got wrong; ``--time`` adds the mean time of one ``flag_version``
call on the seed article (tests/data/sct-binhduong/article.txt, about 10 kB).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.flags import RULES_VERSION, flag_version  # noqa: E402

KINDS = ("conference", "funding")
DEFAULT_DATA = ROOT / "tests" / "data" / "flags_labeled.jsonl"
SEED = ROOT / "tests" / "data" / "sct-binhduong"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(items: list[dict]) -> dict:
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    errors = []
    for item in items:
        published = date.fromisoformat(item["published"]) if item.get("published") else None
        got = {f.kind for f in flag_version(item["title"], item["lead"], published)}
        want = set(item["labels"])
        for kind in KINDS:
            if kind in got and kind in want:
                counts[kind]["tp"] += 1
            elif kind in got:
                counts[kind]["fp"] += 1
                errors.append({"id": item["id"], "kind": kind, "error": "fp", "title": item["title"]})
            elif kind in want:
                counts[kind]["fn"] += 1
                errors.append({"id": item["id"], "kind": kind, "error": "fn", "title": item["title"]})
    result: dict = {"rules_version": RULES_VERSION, "items": len(items), "kinds": {}, "errors": errors}
    for kind, c in counts.items():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        result["kinds"][kind] = {
            **c,
            "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        }
    return result


def seed_timing(repeat: int = 300) -> dict:
    """Mean milliseconds per flag_version call on the seed article, whole and first 5 kB."""
    title = json.loads((SEED / "article.expected.json").read_text(encoding="utf-8"))["title"]
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    head = text.encode()[:5000].decode(errors="ignore")
    out = {}
    for name, body in (("seed_ms", text), ("seed_5kb_ms", head)):
        flag_version(title, body, date(2018, 12, 2))
        start = time.perf_counter()
        for _ in range(repeat):
            flag_version(title, body, date(2018, 12, 2))
        out[name] = round((time.perf_counter() - start) / repeat * 1000, 3)
    out["seed_bytes"] = len(text.encode())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--errors", action="store_true", help="list the misclassified items")
    parser.add_argument("--time", action="store_true", help="time flag_version on the seed article")
    args = parser.parse_args(argv)
    result = evaluate(load(args.data))
    if args.time:
        result["timing"] = seed_timing()
    if args.json:
        if not args.errors:
            result = {k: v for k, v in result.items() if k != "errors"}
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"rules {result['rules_version']}, {result['items']} items")
    print(f"{'kind':<12}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for kind, r in result["kinds"].items():
        print(f"{kind:<12}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['precision']:>11.3f}{r['recall']:>8.3f}")
    if args.time:
        t = result["timing"]
        print(f"flag_version: {t['seed_ms']:.2f} ms on the seed article ({t['seed_bytes']} bytes), "
              f"{t['seed_5kb_ms']:.2f} ms on its first 5 kB")
    if args.errors:
        for e in result["errors"]:
            print(f"  {e['error']} {e['kind']:<11} {e['id']}: {e['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
