"""Text extraction quality on our regression pages: our ``extract`` beside trafilatura.

    .venv/bin/python bench/extraction_eval.py [--pages] [--json] [--only NAME]

The pages (tests/crawler/extraction/regression/pages/, written by us: see ``build.py``
there) are read three ways — ``crawler.extraction.extract`` (profile ``auto``), plain
``trafilatura.extract(html)`` and ``trafilatura.extract(html, favor_precision=True)`` —
and each text is scored against the page's expected text with 4-word shingles, the way
the public article-extraction benchmark scores (tokens are ``\\w+`` runs; a shingle is
four consecutive tokens, counted — a line repeated is extracted twice): per page
precision = shared / extracted, recall = shared / expected; overall P and R are the
means over pages (a page with nothing extracted counts for recall, not precision) and
F1 their harmonic mean (mean per-page F1 is printed too).
``--pages`` prints every page's F1 for the three readers and flags pages where we are
more than 0.05 below plain trafilatura.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REGRESSION = ROOT / "tests" / "crawler" / "extraction" / "regression"
READERS = ("ours", "trafilatura", "trafilatura_precision")
#: A page where we fall this far below plain trafilatura is a failure (the issue's bar).
PAGE_MARGIN = 0.05

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def score(expected: str, got: str) -> dict[str, float | None]:
    """P, R and F1 of one page; P is None when nothing was extracted (and something expected)."""
    want, have = shingles(expected), shingles(got)
    shared = sum((want & have).values())
    extracted, wanted = sum(have.values()), sum(want.values())
    if not extracted and not wanted:
        return {"p": 1.0, "r": 1.0, "f1": 1.0}
    p = shared / extracted if extracted else None
    r = shared / wanted if wanted else 1.0
    f1 = 2 * p * r / (p + r) if p and p + r else 0.0
    return {"p": None if p is None else round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


#: (manifest, folder, batch): pages built by build.py, and pages written by hand
SETS = (("pages.json", "pages", "built"), ("handwritten.json", "handwritten", "handwritten"))
BATCHES = ("built", "handwritten", "handwritten2", "handwritten3", "handwritten4")


def load_pages(only: str | None = None, batch: str | None = None) -> list[dict]:
    out = []
    for manifest, folder, default_batch in SETS:
        for entry in json.loads((REGRESSION / manifest).read_text(encoding="utf-8")):
            if only and only not in entry["name"]:
                continue
            page = {"batch": default_batch, **entry}
            if batch and page["batch"] != batch:
                continue
            page["html"] = (REGRESSION / folder / f"{entry['name']}.html").read_bytes()
            page["expected"] = (REGRESSION / folder / f"{entry['name']}.txt").read_text(encoding="utf-8")
            out.append(page)
    return out


def read(page: dict, reader: str) -> str:
    if reader == "ours":
        from crawler.extraction import extract

        return extract(page["html"], page["url"], profile=page.get("profile", "auto")).text
    import trafilatura

    html = page["html"].decode("utf-8")
    if reader == "trafilatura":
        return trafilatura.extract(html, url=page["url"]) or ""
    return trafilatura.extract(html, url=page["url"], favor_precision=True) or ""


def evaluate(pages: list[dict], readers=READERS) -> dict:
    per_page = []
    for page in pages:
        row = {"name": page["name"]}
        for reader in readers:
            row[reader] = score(page["expected"], read(page, reader))
        per_page.append(row)
    totals = {}
    for reader in readers:
        n = len(per_page) or 1
        ps = [r[reader]["p"] for r in per_page if r[reader]["p"] is not None]
        p = sum(ps) / len(ps) if ps else 0.0
        rc = sum(r[reader]["r"] for r in per_page) / n
        totals[reader] = {
            "p": round(p, 4),
            "r": round(rc, 4),
            "f1": round(2 * p * rc / (p + rc), 4) if p + rc else 0.0,
            "mean_page_f1": round(sum(r[reader]["f1"] for r in per_page) / n, 4),
        }
    worse = []
    if "ours" in readers and "trafilatura" in readers:
        worse = [
            r["name"] for r in per_page
            if r["ours"]["f1"] < r["trafilatura"]["f1"] - PAGE_MARGIN
        ]
    return {"pages": len(per_page), "totals": totals, "per_page": per_page,
            "worse_than_trafilatura": worse}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="print every page's scores")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--batch", choices=BATCHES, help="only one set of pages")
    args = parser.parse_args(argv)
    result = evaluate(load_pages(args.only, args.batch))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    from crawler.extraction import EXTRACTOR_VERSION

    print(f"extractor {EXTRACTOR_VERSION}, {result['pages']} pages, 4-word shingles")
    print(f"{'reader':<24}{'P':>8}{'R':>8}{'F1':>8}{'page F1':>9}")
    for reader, t in result["totals"].items():
        print(f"{reader:<24}{t['p']:>8.4f}{t['r']:>8.4f}{t['f1']:>8.4f}{t['mean_page_f1']:>9.4f}")
    if args.pages:
        print(f"\n{'page':<28}{'ours':>8}{'traf':>8}{'prec':>8}")
        for r in result["per_page"]:
            mark = "  << worse" if r["name"] in result["worse_than_trafilatura"] else ""
            print(f"{r['name']:<28}{r['ours']['f1']:>8.3f}{r['trafilatura']['f1']:>8.3f}"
                  f"{r['trafilatura_precision']['f1']:>8.3f}{mark}")
    print(f"\npages more than {PAGE_MARGIN} below plain trafilatura: "
          f"{len(result['worse_than_trafilatura'])}"
          + (f" ({', '.join(result['worse_than_trafilatura'])})" if result["worse_than_trafilatura"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
