"""Reading WARC files: the captures of sites that no longer exist."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from archive.errors import InputError
from archive.storage.records import Fetch

HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    """True for WARC files (plain or gzipped), judged by content first, then by name."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            if head[:2] == b"\x1f\x8b":
                f.seek(0)
                with gzip.open(f) as g:
                    head = g.read(4)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error):
        return path.name.endswith((".warc", ".warc.gz"))
    return head == b"WARC" or path.name.endswith((".warc", ".warc.gz"))


def _date(value: str | None) -> datetime:
    if not value:
        raise InputError("WARC record without WARC-Date")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        raise InputError(f"bad WARC-Date {value!r}") from None


def iter_warc_responses(path: Path) -> Iterator[tuple[Fetch, bool]]:
    """(fetch, is_html) for every HTTP response record, with its original fetch date."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if not uri:
                    continue
                status = int(record.http_headers.get_statuscode() or 0)
                headers = tuple(
                    (k, v) for k, v in record.http_headers.headers
                    if k.lower() not in ("content-encoding", "transfer-encoding")
                )
                ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                body = record.content_stream().read()
                n += 1
                yield (
                    Fetch(
                        url=uri,
                        fetched_at=_date(record.rec_headers.get_header("WARC-Date")),
                        status=status,
                        body=body,
                        headers=headers,
                        source="warc",
                        warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
                    ),
                    ctype in HTML_TYPES or (not ctype and body.lstrip()[:1] == b"<"),
                )
    except ArchiveLoadFailed as exc:
        raise InputError(f"{path}: not a valid WARC file ({' '.join(str(exc).split())[:200]})") from None
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise InputError(f"{path}: cannot read WARC ({exc})") from None
    if n == 0:
        raise InputError(f"{path}: no HTTP response records in this WARC")
