"""Reading WARC files: the captures of sites that no longer exist.

:class:`WarcReader` yields the HTTP responses of a WARC (plain or gzipped) one
complete record at a time and notices damage instead of passing it on: a record
whose block is shorter than its ``Content-Length`` (a cut-off download), bytes that
are no WARC record, a gzip member that does not decompress. Reading stops there;
:attr:`WarcReader.damage` says where (the byte offset of the first bad record) and
how many complete records came before it, so ``import`` can archive those, report
the rest and exit :data:`EXIT_DAMAGED`.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive.errors import InputError
from archive.storage.records import Fetch

HTML_TYPES = ("text/html", "application/xhtml+xml")
#: ``import`` exit status when a WARC ends in a truncated or corrupt record (EX_DATAERR).
EXIT_DAMAGED = 65


class WarcDamaged(InputError):
    """A WARC that ends in (or holds) a record that cannot be read whole."""

    exit_code = EXIT_DAMAGED


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


@dataclass(frozen=True)
class Response:
    """One HTTP response record: the fetch (body None when over the size cap)."""

    fetch: Fetch | None
    is_html: bool
    url: str
    length: int
    too_large: bool = False


class WarcReader:
    """Iterate the complete HTTP responses of ``path``; then look at :attr:`damage`."""

    def __init__(self, path: Path, *, max_body: int | None = None) -> None:
        self.path = path
        self.max_body = max_body
        self.size = os.path.getsize(path)
        self.records = 0  # complete records read (of any type)
        self.responses = 0
        self.position = 0  # bytes of the file consumed (for progress)
        self.damage: str | None = None
        self.damage_offset: int | None = None

    @property
    def percent(self) -> int:
        return int(100 * self.position / self.size) if self.size else 100

    def _damaged(self, offset: int, what: str) -> None:
        try:  # the record separator (CRLF CRLF) is not part of the record before it
            with open(self.path, "rb") as f:
                f.seek(offset)
                chunk = f.read(64)
            offset += len(chunk) - len(chunk.lstrip(b"\r\n"))
        except OSError:
            pass
        self.damage_offset = offset
        self.damage = (f"{self.path}: {what} record at byte {offset}, after {self.records} "
                       f"complete records; the records before it were read")

    def __iter__(self) -> Iterator[Response]:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        end = 0  # where the last complete record ends
        try:
            with open(self.path, "rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    if record.rec_type is None or record.rec_headers is None:
                        self._damaged(end, "truncated or corrupt")
                        return
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    wanted = (record.rec_type == "response" and record.http_headers is not None
                              and uri)
                    length = int(record.length or 0)
                    response = None
                    if wanted:
                        ctype = (record.http_headers.get_header("Content-Type") or "")
                        ctype = ctype.split(";")[0].strip().lower()
                        if self.max_body is not None and length > self.max_body + 65536:
                            response = Response(None, ctype in HTML_TYPES, uri, length, True)
                            records.read_to_end(record)
                        else:
                            body = record.content_stream().read()
                            if getattr(record.raw_stream, "limit", 0):  # fewer bytes than promised
                                self._damaged(end, "truncated or corrupt")
                                return
                            if self.max_body is not None and len(body) > self.max_body:
                                response = Response(None, ctype in HTML_TYPES, uri, len(body), True)
                            else:
                                response = Response(self._fetch(record, uri, body),
                                                    ctype in HTML_TYPES or
                                                    (not ctype and body.lstrip()[:1] == b"<"),
                                                    uri, len(body))
                    else:
                        records.read_to_end(record)
                        if getattr(record.raw_stream, "limit", 0):
                            self._damaged(end, "truncated or corrupt")
                            return
                    end = records.get_record_offset() + records.get_record_length()
                    self.records += 1
                    self.position = stream.tell()
                    if response is not None:
                        self.responses += 1
                        yield response
                rest = self.size - end
                if rest > 0:
                    stream.seek(end)
                    tail = stream.read(min(rest, 4096))
                    if tail.strip(b"\r\n \x00") or rest > 4096:
                        self._damaged(end, "truncated or corrupt")
                        return
        except ArchiveLoadFailed:
            self._damaged(end, "corrupt")
            return
        except (EOFError, ValueError, zlib.error, gzip.BadGzipFile):
            self._damaged(end, "truncated or corrupt")
            return
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read WARC ({exc.strerror or exc})") from None
        self.position = self.size

    @staticmethod
    def _fetch(record, uri: str, body: bytes) -> Fetch:
        headers = tuple(
            (k, v) for k, v in record.http_headers.headers
            if k.lower() not in ("content-encoding", "transfer-encoding")
        )
        return Fetch(
            url=uri,
            fetched_at=_date(record.rec_headers.get_header("WARC-Date")),
            status=int(record.http_headers.get_statuscode() or 0),
            body=body,
            headers=headers,
            source="warc",
            warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
        )


def iter_warc_responses(path: Path) -> Iterator[tuple[Fetch, bool]]:
    """(fetch, is_html) for every complete HTTP response record; damage is an error at the end."""
    reader = WarcReader(path)
    for response in reader:
        if response.fetch is not None:
            yield response.fetch, response.is_html
    if reader.damage:
        raise WarcDamaged(reader.damage)
    if reader.responses == 0:
        raise InputError(f"{path}: no HTTP response records in this WARC")
