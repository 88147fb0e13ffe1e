"""Text of documents linked from articles: PDF (pypdf), DOCX (python-docx).

Other formats (legacy binary .doc, spreadsheets, archives) are kept as snapshots and
recorded as ``unsupported`` — never guessed at. A document larger than the cap is
recorded as ``too_large`` without its body.
"""

from __future__ import annotations

import io
import logging
import posixpath
import unicodedata
import zipfile
from urllib.parse import unquote, urlsplit

from archive.storage.records import AttachmentText, Fetch
from archive.vietnamese.textnorm import clean

log = logging.getLogger(__name__)

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
}


def filename_of(url: str) -> str:
    name = posixpath.basename(unquote(urlsplit(url).path)) or "attachment"
    return unicodedata.normalize("NFC", name)


def kind_of(data: bytes, url: str, content_type: str | None) -> str:
    """"pdf", "docx", "doc" or the extension, judged by magic bytes before names."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file: legacy Office
        return "doc" if filename_of(url).lower().endswith(".doc") else "ole"
    ext = posixpath.splitext(filename_of(url).lower())[1].lstrip(".")
    return ext or (content_type or "unknown").split("/")[-1]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


READERS = {"pdf": _pdf_text, "docx": _docx_text}


def read_attachment(fetch: Fetch, *, max_bytes: int | None = None) -> AttachmentText:
    """What can be read from one downloaded attachment (never raises on a bad document)."""
    url = fetch.url
    name = filename_of(url)
    media_type = fetch.content_type
    if fetch.status != 200:
        return AttachmentText(url, name, "failed", media_type, note=f"HTTP {fetch.status}", fetch=fetch)
    if max_bytes is not None and len(fetch.body) > max_bytes:
        return AttachmentText(url, name, "too_large", media_type,
                              note=f"{len(fetch.body)} bytes > {max_bytes}", fetch=None)
    kind = kind_of(fetch.body, url, media_type)
    reader = READERS.get(kind)
    if reader is None:
        return AttachmentText(url, name, "unsupported", media_type, note=f"cannot read {kind} files",
                              fetch=fetch)
    try:
        text = clean(reader(fetch.body))
    except Exception as exc:  # a broken document is a fact to record, not a crash
        log.warning("cannot read attachment %s: %s", url, exc)
        return AttachmentText(url, name, "failed", media_type, note=f"{kind}: {exc}"[:300], fetch=fetch)
    return AttachmentText(url, name, "ok" if text else "empty", media_type, text=text, fetch=fetch)
