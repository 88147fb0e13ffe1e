"""``sct-archive extract``: how a page reads, without archiving it (for debugging profiles)."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import click

from archive.cli import echo_json, json_option
from archive.errors import InputError
from crawler.inputs import check_html, max_body, over_cap, read_capped, read_stream_capped
from crawler.registry import adhoc_site, load_registry

USER_AGENT = "sct-archive (+https://github.com/sct-archive/sct-archive)"


def _fetch(url: str, timeout: float) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    cap = max_body()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(cap + 1)
            if len(body) > cap:
                raise over_cap(url, None, cap)
            return body, response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"cannot fetch {url}: {reason}") from None


@click.command()
@click.argument("source", metavar="FILE_OR_URL_OR_-")
@click.option("--url", help="The page's URL (needed for a file or stdin: canonical URL, profile rules).")
@click.option("--site", "site_key", metavar="KEY", help="Registry site whose profile to use.")
@click.option("--profile", "profile_name", metavar="NAME",
              help="Force a CMS profile (liferay, vhv, sharepoint, webcenter, joomla, wordpress, auto).")
@click.option("--fetched-at", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Pretend the page was fetched then (chooses the profile layout of that day).")
@click.option("--timeout", type=float, default=30, show_default=True, help="Seconds, when SOURCE is a URL.")
@json_option
def extract(source: str, url: str | None, site_key: str | None, profile_name: str | None,
            fetched_at: datetime | None, timeout: float, as_json: bool) -> None:
    """Show what sct-archive reads from a page: title, dates, text, source line, attachments.

    \b
    SOURCE is a saved HTML file, an http(s) URL to fetch, or - for standard input:
      sct-archive extract article.html --url http://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/…
      curl -s URL | sct-archive extract - --url URL --json
    Nothing is written to the archive. Input over the crawler's page size cap
    (DOWNLOAD_MAXSIZE, or $SCT_ARCHIVE_MAX_BODY bytes) and input that is not HTML
    (a PDF, an image, binary data) is refused.
    """
    from crawler.extraction import extract as extract_page
    from crawler.profiles import get_profile, profile_for

    content_type = None
    if source == "-":
        body = read_stream_capped(sys.stdin.buffer, "-")
    elif source.startswith(("http://", "https://")):
        url = url or source
        body, content_type = _fetch(source, timeout)
    else:
        path = Path(source)
        body = read_capped(path, source)
        if url is None:
            url = path.resolve().as_uri()
    if not body.strip():
        raise InputError(f"{source}: empty input")
    check_html(source, body, content_type)
    if url is None:
        raise click.UsageError("give --url URL for standard input")
    registry = load_registry()
    site = registry.get(site_key) if site_key else (registry.for_url(url) or adhoc_site(url))
    when = fetched_at.replace(tzinfo=UTC) if fetched_at else datetime.now(UTC)
    head = body[:200_000].decode("utf-8", "replace")
    profile = get_profile(profile_name) if profile_name else profile_for(site, head, url)
    ex = extract_page(body, url, content_type=content_type, profile=profile, fetched_at=when)
    record = {
        "url": ex.url,
        "canonical_url": ex.canonical_url,
        "article_key": ex.article_key,
        "site": site.key,
        "profile": ex.extractor.split("/")[0],
        "extractor": ex.extractor,
        "title": ex.title,
        "published": ex.published.isoformat() if ex.published else None,
        "published_at": ex.published_at.isoformat() if ex.published_at else None,
        "published_source": ex.published_source,
        "updated": ex.updated.isoformat() if ex.updated else None,
        "updated_source": ex.updated_source,
        "language": ex.language,
        "source_line": ex.source_line,
        "charset": ex.charset,
        "charset_source": ex.charset_source,
        "attachments": list(ex.attachment_links),
        "paragraphs": len(ex.text.split("\n")) if ex.text else 0,
        "text": ex.text,
    }
    if as_json:
        echo_json(record)
        return
    for label, key in (("Title", "title"), ("Site", "site"), ("Profile", "extractor"),
                       ("URL", "canonical_url"), ("Key", "article_key")):
        click.echo(f"{label:<11}{record[key] or '—'}")
    pub = record["published_at"] or record["published"] or "—"
    click.echo(f"{'Published':<11}{pub}" + (f"  (from {ex.published_source})" if ex.published_source else ""))
    if ex.updated:
        click.echo(f"{'Updated':<11}{record['updated']}  (from {ex.updated_source})")
    click.echo(f"{'Language':<11}{ex.language or '—'}")
    click.echo(f"{'Source':<11}{ex.source_line or '—'}")
    click.echo(f"{'Charset':<11}{ex.charset} (from {ex.charset_source})")
    for link in ex.attachment_links:
        click.echo(f"{'Attachment':<11}{link}")
    click.echo(f"\n{record['paragraphs']} paragraphs, {len(ex.text)} characters:\n")
    click.echo(ex.text)
