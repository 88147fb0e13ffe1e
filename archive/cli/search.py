"""``sct-archive search`` (full-text, Vietnamese folding) and ``sct-archive serve`` (the web UI).

Heavy imports (Starlette, uvicorn, Jinja2) happen inside the commands, so
``sct-archive --help`` stays fast.
"""

from __future__ import annotations

import csv
import gc
import json
import re
import sys
from datetime import date, datetime

import click

from archive.cli import AppContext, db_option, echo_json
from archive.errors import InputError

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _ctx() -> AppContext:
    return click.get_current_context().find_object(AppContext) or AppContext()


_SCALES = {"ty": 10**9, "ti": 10**9, "trieu": 10**6, "tr": 10**6, "nghin": 10**3, "ngan": 10**3,
           "k": 10**3, "m": 10**6, "b": 10**9}


def parse_vnd(value: str) -> int:
    """``1000000000``, ``1.000.000.000``, ``1 tỷ``, ``1,5 tỷ``, ``500 triệu``, ``2e9`` → VND."""
    from archive.vietnamese.textnorm import fold

    raw = fold(value).replace(" ", "").replace("_", "").replace("dong", "").replace("vnd", "")
    m = re.fullmatch(r"(\d+(?:[.,]\d+)*)([a-z]*)", raw)
    if m is None:
        try:
            return int(float(raw))
        except ValueError:
            raise InputError(f"not an amount in VND: {value!r} (e.g. 1000000000 or '1 tỷ')") from None
    number, unit = m.groups()
    if unit and unit not in _SCALES:
        raise InputError(f"unknown unit {unit!r} in {value!r} (tỷ, triệu, nghìn)")
    # Vietnamese writing: "." groups thousands, "," is the decimal comma (1.000 tỷ, 1,5 tỷ);
    # a single "." not followed by three digits is a decimal point (1.5 tỷ)
    if "," in number:
        amount = float(number.replace(".", "").replace(",", ".", 1).replace(",", ""))
    elif re.fullmatch(r"\d+\.\d{1,2}|\d+\.\d{4,}", number):
        amount = float(number)
    else:
        amount = float(number.replace(".", ""))
    return round(amount * (_SCALES[unit] if unit else 1))


class VND(click.ParamType):
    name = "VND"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_vnd(value)
        except InputError as exc:
            self.fail(str(exc), param, ctx)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.command(context_settings={"ignore_unknown_options": True})  # `search hoi -xang`
@click.argument("query", nargs=-1, required=True)
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only these sites (repeatable).")
@click.option("--province", metavar="NAME",
              help="Only sites of this province: a current name (its merged former provinces "
                   "included) or a pre-2025 one, with or without diacritics.")
@click.option("--from", "published_from", type=DATE, metavar="DATE", help="Published on or after DATE.")
@click.option("--until", "published_until", type=DATE, metavar="DATE", help="Published on or before DATE.")
@click.option("--flag", "flag_kinds", multiple=True, type=click.Choice(["conference", "funding"]),
              help="Only versions carrying this flag (repeatable: any of them).")
@click.option("--min-vnd", type=VND(), metavar="AMOUNT",
              help="Only versions whose funding flag names at least this amount (1000000000, '1 tỷ').")
@click.option("--all-versions", is_flag=True,
              help="Search every version, not only each article's latest.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits (paging).")
@click.option("--json", "as_json", is_flag=True, help="The hits as one JSON document.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl", "csv"]), default="text",
              show_default=True, help="Output format (--json is the same as a JSON array).")
@db_option
def search(query: tuple[str, ...], sites, province, published_from, published_until, flag_kinds,
           min_vnd, all_versions, limit, offset, as_json, fmt, db) -> None:
    """Full-text search of the archived articles, in Vietnamese with or without diacritics.

    \b
    hội chợ = hoi cho = HỘI CHỢ; đ = d; hoà = hòa. Title, text and attachment
    text of each article's latest version (every version with --all-versions),
    ranked best first (newest first on ties), with a snippet around the match.
    A query matching more than 5,000 articles ranks the 5,000 most recently
    archived (and says so); narrow it to rank older ones.
    QUERY syntax:
      hoi cho              both words, anywhere
      "hội chợ triển lãm"  a phrase (quote it for the shell too)
      -xang  -"dau khi"    without this word / phrase
      khuyen*              a prefix

    \b
    Examples:
      sct-archive search hoi cho --province "Bình Dương" --from 2025-01-01
      sct-archive search '"khuyến công"' --flag funding --min-vnd "1 tỷ" --json
      sct-archive search 'xuc tien thuong mai' --format csv > hits.csv
    """
    from archive.read import search as fts

    filters = fts.Filters(
        sites=tuple(sites), province=province, published_from=_day(published_from),
        published_until=_day(published_until), flag_kinds=tuple(flag_kinds), min_vnd=min_vnd,
        all_versions=all_versions,
    )
    q = " ".join(query)
    with _ctx().archive(db) as archive, archive.engine.connect() as conn:
        hits = fts.search(conn, q, filters, limit=limit, offset=offset)
    records = [h.record() for h in hits]
    if as_json:
        echo_json({"query": q, "filters": filters.describe(), "hits": records,
                   "ranked_among": hits.ranked_among})
        return
    if fmt == "jsonl":
        for r in records:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    if fmt == "csv":
        fields = ["id", "version", "current", "site", "url", "title", "published", "score",
                  "flags", "snippet"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for r in records:
            writer.writerow({**r, "flags": " ".join(r["flags"])})
        return
    if hits.ranked_among and fmt == "text":
        click.echo(f"(ranked among the {hits.ranked_among:,} most recently archived matches; "
                   "narrow the search to rank older ones)", err=True)
    if not records:
        click.echo(f"No article matches {q!r}" + (" with those filters." if any(
            filters.describe()[k] for k in ("site", "province", "published_from", "published_until",
                                             "flag", "min_vnd")) else "."), err=True)
        return
    for r in records:
        flags = (" [" + ", ".join(r["flags"]) + "]") if r["flags"] else ""
        version = "" if r["current"] else f" (version {r['version']})"
        click.echo(click.style(f"#{r['id']}", bold=True)
                   + f" {r['published'] or '????-??-??'} [{r['site']}] "
                   + _marked(r["title_html"] or "(no title)") + version + flags)
        click.echo(f"    {r['url']}")
        if r["snippet_html"]:
            click.echo("    " + _marked(r["snippet_html"]))


def _marked(html_text: str) -> str:
    """A snippet for the terminal: marks in bold (with a colour terminal), else «…»."""
    from html import unescape

    color = sys.stdout.isatty()
    parts = re.split(r"(<mark>.*?</mark>)", html_text)
    out = []
    for part in parts:
        if part.startswith("<mark>"):
            word = unescape(part[6:-7])
            out.append(click.style(word, bold=True, fg="yellow") if color else f"«{word}»")
        else:
            out.append(unescape(part))
    return "".join(out)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (another than 127.0.0.1 exposes the archive to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--max-page-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Largest ?size= a page accepts (beyond: 400).")
@click.option("--timeout-ms", type=click.IntRange(50, 60_000), default=2_000, show_default=True,
              help="Longest a search may run (beyond: 400 with a message).")
@db_option
def serve(host: str, port: int, max_page_size: int, timeout_ms: int, db: str | None) -> None:
    """Browse and search the archive in a web browser (read-only), with a JSON API.

    \b
    Pages (each has a JSON twin: add .json or send Accept: application/json):
      /search?q=hoi+cho&site=…&province=…&from=…&until=…&flag=…&min_vnd=…
      /search.csv?q=…, /search.jsonl?q=…   download a result set
      /articles/ID, /articles/ID/versions/N, /articles/ID/diff?from=1&to=2
      /flags   conferences by event date, funding per province and year
      /sites   per-site health, last and next run, queue, lease
      /health  200 with the schema revision

    The database is opened read-only; an archive that needs `db upgrade` is refused.
    """
    import uvicorn

    from archive.read.web.app import Settings, create_app

    app = create_app(_ctx().db_url(db),
                     settings=Settings(max_page_size=max_page_size, timeout_ms=timeout_ms))
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: anyone who can reach it can read the archive.",
                   err=True)
    click.echo(f"Serving the archive read-only on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    # everything loaded so far lives as long as the server: out of the collector's way, so a
    # full collection walks only what requests create (one took 25-48 ms on a search page,
    # 0.3-0.6 ms frozen; BENCHMARKS.md)
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
