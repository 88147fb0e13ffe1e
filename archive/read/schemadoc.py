"""docs/schema.md, generated from the models: every table and column, the flags' facts, exit codes.

``sct-archive db schema --markdown > docs/schema.md``; a test fails while the file is
out of date or a column has no description here.
"""

from __future__ import annotations

import inspect

from sqlalchemy import Table

from archive.storage.models import Base

#: One line per column: what it holds. A new column needs a line here (the test says so).
COLUMNS: dict[str, dict[str, str]] = {
    "sites": {
        "id": "row id",
        "key": "the registry key (`sct-hanoi`); never renamed once crawled",
        "name": "the site owner's name (`Sở Công Thương Hà Nội`)",
        "base_url": "scheme and host (and path prefix)",
        "profile": "the CMS profile that read it (liferay, vhv, …)",
        "created_at": "when the archive first saw the site (UTC)",
        "discovery": "what discovery learned: URL templates with the kind of page each proved "
                     "to hold (article, listing, other), counts and when (`status KEY`)",
    },
    "payloads": {
        "id": "row id",
        "sha256": "SHA-256 of the body as received (decoded transfer encoding)",
        "size": "body size in bytes",
        "compression": "`zlib` (or `none`)",
        "data": "the body, compressed",
    },
    "snapshots": {
        "id": "row id",
        "site_id": "→ sites",
        "run_id": "→ crawl_runs: the crawl that fetched it (null for imports)",
        "url": "the URL fetched",
        "fetched_at": "when it was fetched (UTC)",
        "status": "HTTP status",
        "headers": "response headers as [name, value] pairs (JSON)",
        "content_type": "the Content-Type header",
        "payload_id": "→ payloads: the body",
        "payload_digest": "SHA-256 of the body (= payloads.sha256)",
        "source": "`crawl`, `import` or `warc`",
        "kind": "`page` or `attachment`",
        "charset": "the charset the page was decoded with",
        "charset_source": "who said so: `bom`, `header`, `meta`, `detected` or `default`",
        "warc_record_id": "the WARC-Record-ID it was imported from",
    },
    "articles": {
        "id": "the article id (`/articles/<id>`, `show <id>`)",
        "site_id": "→ sites",
        "article_key": "the CMS's identity of the article (Liferay url-title, Joomla id…): one row per site and key",
        "canonical_url": "the article's canonical URL",
        "first_seen": "first fetch (UTC)",
        "last_seen": "latest fetch (UTC)",
        "current_version_id": "→ article_versions: the version the site shows now",
        "etag": "ETag of the last response (conditional GET)",
        "last_modified": "Last-Modified of the last response",
        "last_checked_at": "last time the crawler asked for it",
        "next_check_at": "when the crawler plans to revisit it (null: never)",
        "gone_at": "when the site stopped serving it (404/410); its versions stay",
    },
    "article_urls": {
        "url": "a URL the article was reached under (print views, slug variants…)",
        "article_id": "→ articles",
    },
    "article_versions": {
        "id": "the version id",
        "article_id": "→ articles",
        "number": "1, 2, … per article in the order they were archived",
        "content_hash": "SHA-256 of the canonical title, published date and text: a new version only when it changes",
        "title": "the title",
        "published": "publication date as the site gives it (day-first dates read right)",
        "published_at": "publication time, when the page gives a time of day (UTC)",
        "published_source": "where the date came from (`profile:.news-date`, `meta:…`, `url`, `text`)",
        "updated": "the update time the page shows, if any (UTC)",
        "updated_source": "where the update time came from",
        "text": "the article text, one paragraph per line (NFC)",
        "language": "detected language (`vi`)",
        "source_line": "the byline or `Nguồn: …` line",
        "fetched_at": "fetch time of the snapshot this version was read from (UTC)",
        "snapshot_id": "→ snapshots: the raw response it was read from",
        "produced_by": "`crawl`, `import` or `reextract`",
        "extractor": "profile layout + extractor version that read it",
        "created_at": "when the row was written (UTC)",
    },
    "observations": {
        "id": "row id",
        "article_id": "→ articles",
        "version_id": "→ article_versions: the version this sighting showed (null when rejected)",
        "snapshot_id": "→ snapshots",
        "run_id": "→ crawl_runs",
        "observed_at": "when (UTC)",
        "outcome": "`new`, `changed`, `unchanged`, `returned` (an earlier version again), `rejected`, `not_modified`",
        "note": "why it was rejected",
    },
    "attachments": {
        "id": "row id",
        "version_id": "→ article_versions",
        "url": "the document's URL",
        "filename": "its file name",
        "media_type": "its media type",
        "status": "`ok`, `empty`, `unsupported`, `too_large` or `failed`",
        "text": "the text read from it (PDF, DOCX); searched with the article",
        "note": "why there is no text",
        "snapshot_id": "→ snapshots: the document as downloaded",
    },
    "flags": {
        "id": "row id",
        "version_id": "→ article_versions (one flag per version and kind)",
        "kind": "`conference` or `funding`",
        "subtype": "conference: `announcement`, `report`; funding: `approval`, `disbursement`, `call`, `report`",
        "score": "0–1; a flag is stored from the rules' threshold up",
        "evidence": "the sentences that made the flag (JSON list of strings)",
        "facts": "what the rules read, by kind (see below; JSON object)",
        "rules_version": "the rules that produced it (`reflag` recomputes)",
        "created_at": "when the row was written (UTC)",
    },
    "crawl_runs": {
        "id": "run id",
        "site_id": "→ sites",
        "started_at": "start (UTC)",
        "finished_at": "end (UTC; null while running)",
        "outcome": "`running`, `finished`, `partial`, `empty`, `unreachable`, `failed`, `interrupted` or `timeout` (docs/outcomes.md)",
        "trigger": "what started it: `manual`, `schedule`, `recrawl`, `import`, …",
        "full": "a full crawl (not incremental)",
        "pid": "process id of the crawl",
        "host": "host name of the crawl",
        "pages": "pages fetched",
        "new_articles": "articles first archived by this run",
        "new_versions": "changed articles (new versions)",
        "unchanged": "articles seen unchanged",
        "not_modified": "conditional requests answered 304",
        "failed": "pages that failed",
        "stats": "Scrapy's stats (JSON)",
        "health": "health counters: listing_pages, empty_listings, article_pages, empty_text, no_date (JSON)",
        "error": "why it failed",
        "complete": "every listing was walked to its end",
    },
    "crawl_leases": {
        "site_key": "the site being crawled",
        "holder": "host:pid of the crawl holding it",
        "acquired_at": "when it was taken (UTC)",
        "expires_at": "when it lapses unless renewed (UTC)",
    },
    "crawl_requests": {
        "id": "request id",
        "site_key": "the site to crawl",
        "full": "a full crawl",
        "urls": "only these URLs (JSON list), or all",
        "requested_at": "when it was asked for (UTC)",
        "requested_by": "who asked (user@host)",
        "status": "`queued`, `running`, `done`, `failed`, `busy`, `timeout`, `interrupted`",
        "attempts": "how many times it was started",
        "claimed_by": "host:pid of the daemon running it",
        "started_at": "start of the last attempt (UTC)",
        "finished_at": "end (UTC)",
        "run_id": "→ crawl_runs",
        "exit_code": "the crawl's exit code",
        "note": "what happened",
    },
}

FACTS = {
    "conference": {
        "event_name": "the event's name as written (`Hội nghị tổng kết …`) or null",
        "event_date": "the event's (first) day, ISO date, or null",
        "event_end_date": "its last day for a multi-day event, or null",
        "location": "where, as written (a province, a venue) or null",
        "current_province": "the province of the location after the 1 July 2025 merger, or null",
        "organizers": "organising bodies named (list of strings)",
    },
    "funding": {
        "amounts": "every VND amount named: a list of {`vnd`: integer, `phrase`: as written}",
        "programme": "`KCQG` (national khuyến công), `KCĐP` (local) or null",
        "year": "the budget year named (else the publication year), or null",
    },
}

EXIT_CODES = [
    ("0", "success (`search` with no hit included)"),
    ("1", "an error the user can act on (`Error: …` on one line): bad database URL, unknown "
          "article, bad query; `crawl`: the crawl failed; `status`: an enabled site is unhealthy"),
    ("2", "a usage error (unknown option, bad value): click's message"),
    ("75", "`crawl`/`recrawl --now`: every requested site is being crawled by someone else "
           "(EX_TEMPFAIL: try again later)"),
    ("130", "interrupted (Ctrl-C)"),
    ("143", "`crawl` stopped by SIGTERM (the run is recorded as interrupted)"),
]

SEARCH_INDEX = """\
## The full-text index (not a model)

Written with every new version in the same transaction, rebuilt by `sct-archive db
reindex`, created and filled by migration 0008 (the publication date added by 0009). It holds the *folded* words of the
title and of the body (text, then attachment text; the first 1,000,000 characters):
lower case, no diacritics, `đ` → `d` (`archive.vietnamese.textnorm.search_words`).

| backend | table | columns |
| --- | --- | --- |
| SQLite | `search_fts` (FTS5, contentless, `unicode61 remove_diacritics 0`, prefix indexes 2 and 3) | `rowid` = `article_versions.id`, `title`, `body`, `tags` (the publication date as `y2025 m202501 d20250115`, for date filters: `tags : ("y2025")`) |
| PostgreSQL | `search_documents` (GIN index on `document`) | `version_id` → article_versions, `document` tsvector (`simple`; title weight A, body D), `published` (the version's) |

SQL on it: `SELECT v.* FROM search_fts JOIN article_versions v ON v.id = search_fts.rowid
WHERE search_fts MATCH '{title body} : (hoi cho)' ORDER BY bm25(search_fts, 4, 1, 0)` (SQLite; the words folded);
`… WHERE document @@ to_tsquery('simple', 'hoi & cho') ORDER BY ts_rank(document, …) DESC`
(PostgreSQL). `sct-archive search` and `/search` do the folding for you.
"""


def _type(column) -> str:
    t = column.type
    impl = getattr(t, "impl", None)
    name = type(impl if impl is not None else t).__name__
    if name == "UTCDateTime" or type(t).__name__ == "UTCDateTime":
        return "timestamp (UTC)"
    length = getattr(impl if impl is not None else t, "length", None)
    mapping = {"String": "text", "Text": "text", "Integer": "integer", "BigInteger": "bigint",
               "Boolean": "boolean", "Float": "float", "Date": "date", "DateTime": "timestamp (UTC)",
               "JSON": "JSON", "LargeBinary": "bytes"}
    out = mapping.get(name, name.lower())
    if name == "String" and length:
        out = f"text ≤ {length}"
    return out


def _doc(model) -> str:
    doc = inspect.getdoc(model) or ""
    return " ".join(doc.split("\n\n")[0].split())


def missing_descriptions() -> list[str]:
    out = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name not in COLUMNS.get(table.name, {}):
                out.append(f"{table.name}.{column.name}")
    return out


def render() -> str:
    models = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
    lines = [
        "# The archive's schema",
        "",
        "<!-- Generated by `sct-archive db schema --markdown > docs/schema.md`; "
        "tests/archive/read/test_schemadoc.py fails while it is out of date. -->",
        "",
        "Every table of the archive database (SQLite or PostgreSQL; the same columns on both),",
        "generated from `archive/storage/models.py`. Times are UTC. `→ table` is a foreign key.",
        "`export --format parquet --table articles|versions|flags|attachments` gives the same",
        "data as typed columns (dates as dates, amounts as `list<int64>`, flags as structs).",
        "",
    ]
    order = ["sites", "articles", "article_versions", "flags", "attachments", "article_urls",
             "observations", "snapshots", "payloads", "crawl_runs", "crawl_leases", "crawl_requests"]
    tables: dict[str, Table] = dict(Base.metadata.tables)
    for name in order + sorted(set(tables) - set(order)):
        table = tables.get(name)
        if table is None:
            continue
        lines += [f"## `{name}`", "", _doc(models[name]) if name in models else "", "",
                  "| column | type | null | description |", "| --- | --- | --- | --- |"]
        for column in table.columns:
            key = " (primary key)" if column.primary_key else ""
            fks = [f"→ {fk.column.table.name}" for fk in column.foreign_keys]
            desc = COLUMNS.get(name, {}).get(column.name, "")
            if fks and not desc.startswith("→"):
                desc = f"{', '.join(fks)}: {desc}" if desc else ", ".join(fks)
            null = "yes" if column.nullable and not column.primary_key else "no"
            lines.append(f"| `{column.name}`{key} | {_type(column)} | {null} | {desc} |")
        uniques = sorted(", ".join(c.name for c in u.columns) for u in table.constraints
                         if type(u).__name__ == "UniqueConstraint")
        for cols in uniques:
            lines.append("")
            lines.append(f"Unique: ({cols}).")
        lines.append("")
    lines += ["## The facts of each flag kind", "",
              "`flags.facts` is a JSON object; its keys depend on `flags.kind`. In the JSON and CSV "
              "exports they sit beside `kind`, `subtype`, `score` and `evidence` in each flag "
              "object; in Parquet they are fields of the flag struct (`amounts` as `list<int64>` "
              "of VND and `amount_phrases` as `list<string>`).", ""]
    for kind, facts in FACTS.items():
        lines += [f"### {kind}", "", "| fact | meaning |", "| --- | --- |"]
        lines += [f"| `{k}` | {v} |" for k, v in facts.items()]
        lines.append("")
    lines += [SEARCH_INDEX, "## Exit codes of `sct-archive`", "", "| code | meaning |", "| --- | --- |"]
    lines += [f"| {code} | {meaning} |" for code, meaning in EXIT_CODES]
    lines.append("")
    return "\n".join(lines)
