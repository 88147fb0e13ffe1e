"""Export writers: JSON Lines, CSV (one article per record) and WARC 1.1 (the raw snapshots)."""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterable
from datetime import UTC
from typing import IO, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.read.queries import EXPORT_FIELDS
from archive.storage.models import Snapshot

# Headers that described the transfer, not the stored (decoded) body.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
            403: "Forbidden", 404: "Not Found", 410: "Gone", 500: "Internal Server Error",
            503: "Service Unavailable"}


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for record in records:
        row = dict(record)
        row["flags"] = json.dumps(record.get("flags") or [], ensure_ascii=False)
        writer.writerow(row)
        n += 1
    return n


def _body(snapshot: Snapshot) -> bytes:
    payload = snapshot.payload
    return zlib.decompress(payload.data) if payload.compression == "zlib" else payload.data


def write_warc(snapshots: Iterable[Snapshot], out: IO[bytes], *, gzip: bool = True,
               filename: str = "sct-archive.warc.gz") -> int:
    """Every snapshot as a WARC/1.1 ``response`` record with its original fetch date."""
    from importlib.metadata import version

    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    writer.write_record(
        writer.create_warcinfo_record(
            filename,
            {"software": f"sct-archive/{version('sct-archive')}", "format": "WARC File Format 1.1",
             "description": "Snapshots exported from an sct-archive database"},
        )
    )
    n = 0
    for snap in snapshots:
        body = _body(snap)
        headers = [(k, v) for k, v in (snap.headers or []) if k.lower() not in _TRANSFER_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        status = f"{snap.status} {_REASONS.get(snap.status, 'Unknown')}"
        http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        warc_date = snap.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        record = writer.create_warc_record(
            snap.url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": warc_date},
        )
        writer.write_record(record)
        n += 1
    return n
