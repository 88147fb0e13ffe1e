"""Input that did not come from the crawler (``import``, ``extract``): the crawler's limits apply.

* The size cap is the crawler's page cap, ``DOWNLOAD_MAXSIZE`` (crawler/settings.py),
  or ``$SCT_ARCHIVE_MAX_BODY`` bytes: a page the crawl would have refused is refused
  here too, before it is read into memory.
* A page must look like HTML: a PDF, an image, an archive or random bytes is named
  and refused instead of being decoded as windows-1258 and "extracted".
"""

from __future__ import annotations

import os

from archive.errors import InputError

ENV_MAX_BODY = "SCT_ARCHIVE_MAX_BODY"

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/AVI/WAV) file"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"WARC/", "a WARC file (import it with `sct-archive import FILE.warc`)"),
)
_TEXT_CONTROLS = set(b"\t\n\r\f\x1b")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def max_body() -> int:
    """The page size cap in bytes: ``$SCT_ARCHIVE_MAX_BODY``, else the crawl's DOWNLOAD_MAXSIZE."""
    value = os.environ.get(ENV_MAX_BODY, "").strip()
    if value:
        try:
            cap = int(value)
        except ValueError:
            raise InputError(f"${ENV_MAX_BODY} must be a number of bytes, got {value!r}") from None
        if cap <= 0:
            raise InputError(f"${ENV_MAX_BODY} must be positive, got {value!r}")
        return cap
    from crawler import settings

    return int(settings.DOWNLOAD_MAXSIZE)


def megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def over_cap(name: str, size: int | None, cap: int) -> InputError:
    what = f"{megabytes(size)} is over" if size is not None else "over"
    return InputError(f"{name}: {what} the page size cap of {megabytes(cap)} "
                      f"(DOWNLOAD_MAXSIZE; ${ENV_MAX_BODY})")


def read_capped(path, name: str | None = None) -> bytes:
    """A file's bytes, refused (without reading it) when it is over the size cap."""
    name = name or str(path)
    cap = max_body()
    try:
        size = os.path.getsize(path)
        if size > cap:
            raise over_cap(name, size, cap)
        with open(path, "rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None
    if len(data) > cap:  # grew while we looked
        raise over_cap(name, None, cap)
    return data


def read_stream_capped(stream, name: str = "-") -> bytes:
    cap = max_body()
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise over_cap(name, None, cap)
    return data


def not_html(body: bytes, content_type: str | None = None) -> str | None:
    """Why ``body`` is not an HTML page ("a PDF document", "binary data"…), or None."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    head = body[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: text
        return None
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    if head and controls / len(head) > 0.01:
        return "binary data"
    if ctype and ctype not in HTML_TYPES and not ctype.startswith("text/"):
        return f"content type {ctype}"
    if b"<" not in body[:65536]:
        return "no HTML markup"
    return None


def check_html(name: str, body: bytes, content_type: str | None = None) -> None:
    why = not_html(body, content_type)
    if why:
        raise InputError(f"{name}: not an HTML page ({why})")
