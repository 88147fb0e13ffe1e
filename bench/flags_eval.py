"""Precision and recall of the flags: our hand-labelled set and real articles.

    .venv/bin/python bench/flags_eval.py [--data tests/data/flags_labeled.jsonl] [--real PATH]
                                         [--json] [--errors] [--time]

Our set (``--data``): each item is a title, a lead or a whole text we wrote, a
publication date and the labels a reader gave it (``conference``, ``funding``, both or
none); items carry a ``batch`` (none: the first 215 items; ``blind-2026-12``: written in
the shapes of real articles *before* the rules were tuned on them; ``shapes-2026-12``:
written while tuning). The item is flagged with ``flag_version(title, lead, published)``;
per kind, the counts of true positives, false positives and false negatives give
precision and recall, for the whole set and per batch.

Real articles (``--real``, default ``../shared/flags-real-dev.jsonl`` beside the
repository, or the nearest ``shared/`` above it): read in place, never copied (third-party text stays out of the
repository); items with ``sure: false`` are left out; flagged with no publication date
(the file has none). Skipped, saying so, when the file is absent.

``--errors`` lists the items the rules got wrong; ``--time`` adds the mean time of one
``flag_version`` call on the seed article (tests/data/sct-binhduong/article.txt, 10 kB).
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
REAL_NAME = "flags-real-dev.jsonl"


def _default_real() -> Path:
    """``../shared/flags-real-dev.jsonl`` beside the repository (a git worktree nested one
    level deeper, as in /work/wt/<name>, finds the same ``shared`` further up)."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / REAL_NAME
        if candidate.exists():
            return candidate
    return ROOT.parent / "shared" / REAL_NAME


DEFAULT_REAL = _default_real()
#: The targets on real articles (issue 13), per kind.
REAL_TARGET = {"precision": 0.97, "recall": 0.95}
SEED = ROOT / "tests" / "data" / "sct-binhduong"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_real(path: Path) -> list[dict] | None:
    """Real articles as items (``sure: false`` left out); None when the file is absent."""
    if not path.exists():
        return None
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            if not raw.get("sure", True):
                continue
            labels = [k for k, key in (("conference", "c"), ("funding", "f")) if raw.get(key)]
            out.append({"id": f"real-{n}", "title": raw.get("title") or "", "lead": raw.get("text") or "",
                        "published": raw.get("published"), "labels": labels, "batch": "real"})
    return out


def by_batch(items: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in items:
        out.setdefault(item.get("batch") or "original", []).append(item)
    return out


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
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="real articles (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--errors", action="store_true", help="list the misclassified items")
    parser.add_argument("--time", action="store_true", help="time flag_version on the seed article")
    args = parser.parse_args(argv)
    items = load(args.data)
    result = evaluate(items)
    batches = by_batch(items)
    result["batches"] = {name: evaluate(b)["kinds"] for name, b in batches.items()} if len(batches) > 1 else {}
    real = load_real(args.real)
    result["real"] = None if real is None else evaluate(real)
    if args.time:
        result["timing"] = seed_timing()
    if args.json:
        if not args.errors:
            result = {k: v for k, v in result.items() if k != "errors"}
            if result["real"] is not None:
                result["real"] = {k: v for k, v in result["real"].items() if k != "errors"}
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0

    def table(title: str, kinds: dict) -> None:
        print(title)
        print(f"  {'kind':<12}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
        for kind, r in kinds.items():
            print(f"  {kind:<12}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['precision']:>11.3f}{r['recall']:>8.3f}")

    print(f"rules {result['rules_version']}")
    table(f"our labelled set ({args.data.name}), {result['items']} items:", result["kinds"])
    for name, kinds in result["batches"].items():
        table(f"  batch {name} ({len(batches[name])} items):", kinds)
    if real is None:
        print(f"real articles: skipped ({args.real} not present)")
    else:
        table(f"real articles ({args.real.name}), {len(real)} items with sure labels "
              f"(target P >= {REAL_TARGET['precision']}, R >= {REAL_TARGET['recall']}):",
              result["real"]["kinds"])
    if args.time:
        t = result["timing"]
        print(f"flag_version: {t['seed_ms']:.2f} ms on the seed article ({t['seed_bytes']} bytes), "
              f"{t['seed_5kb_ms']:.2f} ms on its first 5 kB")
    if args.errors:
        for e in result["errors"] + (result["real"]["errors"] if result["real"] else []):
            print(f"  {e['error']} {e['kind']:<11} {e['id']}: {e['title'][:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
