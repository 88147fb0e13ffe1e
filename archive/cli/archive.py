"""Commands that read and maintain the archive: ``db``, ``show``, ``history``, ``export``."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.errors import ArchiveError


def _ctx() -> AppContext:
    return click.get_current_context().find_object(AppContext) or AppContext()


def _date(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


SINCE = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])


# -- db --------------------------------------------------------------------------------------


@click.group()
def db() -> None:
    """Create, upgrade and inspect the archive database schema."""


@db.command("upgrade")
@db_option
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def db_upgrade(db: str | None, revision: str) -> None:
    """Migrate the database to the latest schema (safe to run repeatedly).

    A new, empty database is migrated automatically by any command; an existing
    archive is only migrated by this command.
    """
    from archive.storage.config import redact
    from archive.storage.db import current_revision, head_revision, make_engine, upgrade

    engine = make_engine(_ctx().db_url(db))
    try:
        before = current_revision(engine)
        upgrade(engine, revision)
        after = current_revision(engine)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise ArchiveError(f"cannot upgrade {redact(str(engine.url))}: {detail}") from None
        raise
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"{redact(str(engine.url))}: already at {after} (head {head_revision()})")
    else:
        click.echo(f"{redact(str(engine.url))}: upgraded {before or 'empty'} → {after}")


@db.command("current")
@db_option
@json_option
def db_current(db: str | None, as_json: bool) -> None:
    """The schema revision of the database and the one this version needs."""
    from archive.storage.config import redact
    from archive.storage.db import current_revision, head_revision, make_engine

    engine = make_engine(_ctx().db_url(db), create=False)
    try:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            current = current_revision(engine)
        except SQLAlchemyError as exc:
            detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise ArchiveError(f"cannot open {redact(str(engine.url))}: {detail}") from None
    finally:
        engine.dispose()
    info = {"database": redact(str(engine.url)), "current": current, "head": head_revision()}
    if as_json:
        echo_json(info)
    else:
        status = "up to date" if current == info["head"] else "needs `sct-archive db upgrade`"
        click.echo(f"{info['database']}: {current or 'empty'} (head {info['head']}, {status})")


@db.command("check")
@click.option("--repair", is_flag=True,
              help="Merge duplicate articles into the ones they duplicate (what migration 0007 "
                   "does), then check again.")
@db_option
@json_option
def db_check(repair: bool, db: str | None, as_json: bool) -> None:
    """Look for integrity problems, changing nothing (exit 1 when there are any).

    \b
    Duplicate articles (one article key under an ad-hoc site and the registered site
    of the same host and port, what older releases' reextract and WARC import made:
    --repair merges them), versions without their snapshot, orphan rows
    (observations, URLs, attachments, flags, snapshots whose parent is gone; articles
    without versions), and ad-hoc sites that differ only by port.
    """
    from archive.storage.config import redact
    from archive.storage.db import make_engine, no_archive
    from archive.storage.integrity import check, merge_duplicates

    url = _ctx().db_url(db)
    engine = make_engine(url, create=False)
    try:
        from sqlalchemy import inspect
        from sqlalchemy.exc import SQLAlchemyError

        try:
            if not inspect(engine).has_table("articles"):
                raise no_archive(redact(url))
            merged = None
            if repair:
                with engine.begin() as conn:
                    merged = merge_duplicates(conn)
            problems = check(engine)
        except SQLAlchemyError as exc:
            detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise ArchiveError(f"cannot check {redact(url)}: {detail}") from None
    finally:
        engine.dispose()
    if merged is not None and not as_json:
        click.echo(f"merged {merged['articles']} duplicate articles ({merged['versions']} "
                   f"versions moved), removed {merged['sites']} duplicate sites")
    if as_json:
        echo_json({"database": redact(url), "ok": not problems,
                   "problems": [p.to_dict() for p in problems],
                   **({"merged": merged} if merged is not None else {})})
    elif not problems:
        click.echo(f"{redact(url)}: no integrity problems")
    else:
        for p in problems:
            click.echo(p.message + (f" (e.g. {_examples(p.examples[:3])})" if p.examples else ""))
    if problems:
        raise click.exceptions.Exit(1)


def _examples(examples: list) -> str:
    def one(e) -> str:
        if isinstance(e, dict) and "article_key" in e:
            return (f"key {e['article_key']}: articles "
                    + ", ".join(f"#{a} ({s})" for a, s in zip(e["articles"], e["sites"], strict=False)))
        if isinstance(e, list):
            return ", ".join(map(str, e))
        return f"#{e}"
    return "; ".join(one(e) for e in examples)


@db.command("reindex")
@db_option
@json_option
def db_reindex(db: str | None, as_json: bool) -> None:
    """Rebuild the full-text search index from every archived version.

    The index is written with each new version, so this is needed only after an
    upgrade that changes how text is folded or indexed (the release notes say so),
    or to repair it. One transaction: searches see the old index until it is done;
    on SQLite crawls wait for it (up to their busy timeout).
    """
    import time

    from archive.storage import searchindex
    from archive.storage.db import transaction

    app = _ctx()
    show = not as_json and sys.stderr.isatty() and not app.quiet
    started = time.perf_counter()

    def progress(done: int) -> None:
        if show:
            click.echo(f"\rindexed {done} versions", nl=False, err=True)

    with app.archive(db) as archive, transaction(archive.sessions) as s:
        n = searchindex.reindex(s.connection(), progress=progress)
    if show:
        click.echo("", err=True)
    result = {"versions": n, "seconds": round(time.perf_counter() - started, 2)}
    if as_json:
        echo_json(result)
    else:
        click.echo(f"Indexed {n} versions in {result['seconds']} s.")


@db.command("schema")
@click.option("--markdown", is_flag=True, help="As Markdown (docs/schema.md is this output).")
def db_schema(markdown: bool) -> None:
    """Every table and column of the archive, the facts of each flag kind, the exit codes.

    \b
    Regenerate the reference with:
      sct-archive db schema --markdown > docs/schema.md
    """
    from archive.read.schemadoc import render

    click.echo(render(), nl=False)


# -- show / history -----------------------------------------------------------------------------


def _load(archive, ref: str):
    from archive.read import queries

    session = archive.sessions()
    article = queries.find_article(session, ref)
    if article is None:
        session.close()
        raise ArchiveError(f"no archived article for {ref!r} (give an article id or a URL it was fetched from)")
    return session, article


@click.command()
@click.argument("ref", metavar="URL_OR_ID")
@db_option
@json_option
@click.option("--text/--no-text", default=True, show_default=True, help="Print the article text.")
def show(ref: str, db: str | None, as_json: bool, text: bool) -> None:
    """An archived article: its latest version, where it came from, and its versions.

    URL_OR_ID is an article id or any URL the article was fetched under (print
    views and other variants included).
    """
    from archive.read import queries

    with _ctx().archive(db) as archive:
        session, article = _load(archive, ref)
        with session:
            vs = queries.versions(session, article.id)
            current = next((v for v in vs if v.id == article.current_version_id), vs[-1] if vs else None)
            snap = queries.snapshot_of(session, current.snapshot_id if current else None)
            seen = queries.observation_counts(session, article.id)
            flags = archive.flags_for([current.id]).get(current.id, []) if current else []
            record = {
                "id": article.id,
                "site": article.site.key,
                "url": article.canonical_url,
                "article_key": article.article_key,
                "first_seen": queries._iso(article.first_seen),
                "last_seen": queries._iso(article.last_seen),
                "observations": seen,
                "current": queries.version_record(current) if current else None,
                "snapshot": {
                    "id": snap.id, "url": snap.url, "status": snap.status,
                    "fetched_at": queries._iso(snap.fetched_at), "charset": snap.charset,
                    "charset_source": snap.charset_source, "source": snap.source,
                } if snap else None,
                "flags": flags,
                "versions": [
                    {k: r[k] for k in ("number", "fetched_at", "produced_by", "content_hash", "title", "published")}
                    for r in map(queries.version_record, vs)
                ],
            }
    if as_json:
        echo_json(record)
        return
    cur = record["current"] or {}
    out = click.echo
    out(click.style(cur.get("title") or "(no title)", bold=True))
    out(f"Article    #{record['id']} · site {record['site']} · key {record['article_key']}")
    out(f"URL        {record['url']}")
    pub = cur.get("published") or "—"
    if cur.get("published_source"):
        pub += f"  (from {cur['published_source']})"
    out(f"Published  {pub}")
    if cur.get("updated"):
        out(f"Updated    {cur['updated']}  (from {cur.get('updated_source')})")
    out(f"Language   {cur.get('language') or '—'}")
    if cur.get("source_line"):
        out(f"Source     {cur['source_line']}")
    out(f"Seen       {record['first_seen']} → {record['last_seen']}  "
        + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
    if record["snapshot"]:
        s = record["snapshot"]
        out(f"Snapshot   #{s['id']} HTTP {s['status']} {s['fetched_at']} ({s['source']}; "
            f"{s['charset'] or '?'} from {s['charset_source'] or '?'})")
    out(f"Extractor  {cur.get('extractor')}")
    for f in flags:
        out(f"Flag       {f['kind']}/{f['subtype']} score {f['score']:.2f}")
    if text and cur.get("text"):
        out("")
        out(cur["text"])
    out("")
    out(f"Versions ({len(record['versions'])}):")
    for v in record["versions"]:
        marker = "*" if cur and v["number"] == cur.get("number") else " "
        out(f" {marker} v{v['number']:<3} {v['fetched_at']}  {v['produced_by']:<9} "
            f"{v['content_hash'][:12]}  {(v['title'] or '')[:70]}")


@click.command()
@click.argument("ref", metavar="URL_OR_ID")
@db_option
@json_option
def history(ref: str, db: str | None, as_json: bool) -> None:
    """What changed between an article's consecutive versions, as unified diffs."""
    from archive.read import queries

    with _ctx().archive(db) as archive:
        session, article = _load(archive, ref)
        with session:
            vs = list(queries.versions(session, article.id))
            diffs = [
                {"from": a.number, "to": b.number, "diff": queries.version_diff(a, b)}
                for a, b in pairwise(vs)
            ]
            listing = [queries.version_record(v) for v in vs]
    if as_json:
        echo_json({"id": article.id, "url": article.canonical_url, "versions": listing, "diffs": diffs})
        return
    click.echo(f"Article #{article.id} {article.canonical_url}: {len(listing)} version(s)")
    if not diffs:
        click.echo("Only one version: nothing has changed since it was first archived.")
    for d in diffs:
        click.echo("")
        for line in d["diff"].split("\n"):
            color = "green" if line.startswith("+") and not line.startswith("+++") else (
                "red" if line.startswith("-") and not line.startswith("---") else None)
            click.secho(line, fg=color)


def _check_sites(session, keys) -> None:
    """An unknown ``--site`` is a mistake, not an empty export."""
    from sqlalchemy import select

    from archive.storage.models import Site

    if not keys:
        return
    have = list(session.scalars(select(Site.key).order_by(Site.key)))
    for key in keys:
        if key not in have:
            listing = ", ".join(have[:10]) + (", …" if len(have) > 10 else "")
            raise ArchiveError(f"no site {key!r} in this archive; "
                               + (f"it has {listing}" if have else "it has no sites yet"))


# -- export ----------------------------------------------------------------------------------------


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc", "parquet"]), default="jsonl",
              show_default=True, help="jsonl/csv: one record per article (latest version); "
              "warc: every stored snapshot as WARC 1.1; parquet: one typed table (--table).")
@click.option("--table", type=click.Choice(["articles", "versions", "flags", "attachments"]),
              default="articles", show_default=True,
              help="parquet: which table (articles with their current version and flags; every "
                   "version; one row per flag with its facts; every attachment with its text).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Output file (default: standard output). A .warc.gz name is gzipped.")
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only these sites (repeatable).")
@click.option("--since", type=SINCE, metavar="DATE",
              help="Only articles new or changed since DATE (warc: snapshots fetched since).")
@db_option
def export(fmt: str, table: str, out_path: Path | None, sites: tuple[str, ...],
           since: datetime | None, db: str | None) -> None:
    """Export the archive for research.

    \b
    jsonl/csv fields: id, site, url, article_key, title, published, published_at,
    updated, language, source_line, text, first_seen, last_seen, versions, version,
    content_hash, fetched_at, extractor, flags (a list of objects; JSON in CSV).

    \b
    Examples:
      sct-archive export --format jsonl --out articles.jsonl
      sct-archive export --format csv --site sct-binhduong --since 2026-01-01
      sct-archive export --format warc --out snapshots.warc.gz
      sct-archive export --format parquet --table flags --out flags.parquet

    \b
    parquet: typed columns (dates as date32, times as UTC timestamps, VND amounts
    as list<int64>, flags as a list of structs); every table and column is in
    docs/schema.md. pandas: pd.read_parquet("flags.parquet"); DuckDB:
    SELECT * FROM 'flags.parquet'.
    """
    from archive.read import export as writers
    from archive.read import queries

    since = _date(since)
    if fmt == "warc" and out_path is None and sys.stdout.isatty():
        raise ArchiveError("WARC is binary: give --out FILE.warc.gz (or redirect standard output)")
    if fmt == "parquet" and out_path is None and sys.stdout.isatty():
        raise ArchiveError("Parquet is binary: give --out FILE.parquet (or redirect standard output)")
    if table != "articles" and fmt != "parquet":
        raise ArchiveError(f"--table {table} is for --format parquet (jsonl/csv/warc have one shape)")
    with _ctx().archive(db) as archive, ExitStack() as stack:
        session = stack.enter_context(archive.sessions())
        _check_sites(session, sites)
        tmp = None
        if out_path is not None:
            tmp = out_path.with_name(out_path.name + ".part")
            stack.callback(lambda: tmp.exists() and tmp.unlink())
        if fmt == "warc":
            gz = out_path is None or out_path.suffix == ".gz"
            stream = stack.enter_context(open(tmp, "wb")) if tmp else sys.stdout.buffer
            n = writers.write_warc(queries.snapshots(session, sites=sites, since=since), stream,
                                   gzip=gz, filename=out_path.name if out_path else "stdout.warc.gz")
            noun = "snapshots"
        elif fmt == "parquet":
            from archive.read import parquet

            target = str(tmp) if tmp else sys.stdout.buffer
            n = parquet.write_parquet(parquet.rows(session, table, sites=sites, since=since),
                                      target, table)
            stream = None
            noun = "articles" if table == "articles" else table
        else:
            stream = (stack.enter_context(open(tmp, "w", encoding="utf-8", newline=""))
                      if tmp else sys.stdout)
            records = queries.export_records(session, sites=sites, since=since,
                                             flags_for=archive.flags_for)
            n = (writers.write_jsonl if fmt == "jsonl" else writers.write_csv)(records, stream)
            noun = "articles"
        if tmp is not None:
            if stream is not None:
                stream.close()
            tmp.replace(out_path)  # complete or nothing
    where = str(out_path) if out_path else "standard output"
    click.echo(f"exported {n} {noun} to {where}", err=True)
