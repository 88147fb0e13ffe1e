"""Bytes to correct NFC Vietnamese text, and which charset said so.

Order of trust: a byte-order mark, the HTTP ``Content-Type`` charset, the page's
``<meta>`` charset, then detection. A declaration is checked before it is believed:
Vietnamese cannot be written in ISO-8859-1/windows-1252, so a page declared as one
of those whose bytes are valid UTF-8 is UTF-8 (a common server misconfiguration),
and a page declared UTF-8 whose bytes are not is decoded by detection.

windows-1258 writes most tone marks as combining characters (and 0xD0 is Đ, not
latin-1's Ð); every result is normalized to NFC, which also mends pages that mix
NFC and NFD.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

CharsetSource = Literal["bom", "header", "meta", "detected", "default"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Charsets that cannot write Vietnamese: a declaration of one is a server default, not a fact.
_WESTERN = {"iso8859-1", "latin-1", "cp1252", "ascii", "iso8859-15"}
# Letters only Vietnamese uses (NFC); their share tells Vietnamese from mojibake.
_VIET = set(
    "ăâđêôơưĂÂĐÊÔƠƯ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
)
_MOJIBAKE = set("ÃÂÄÅÆÇÐÑÕÖ×ØÞßãåæçðñõö÷øþÿ¤¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str  # NFC
    charset: str  # Python codec name actually used
    source: CharsetSource
    declared: str | None = None  # what the header/meta said, when it was overruled


def codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ("windows-1258", "cp1258", "x-cp1258"):
        return "cp1258"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return codec_name(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:8192])
    return codec_name(m.group(1).decode("ascii", "ignore")) if m else None


def vietnamese_score(text: str) -> float:
    """Share of non-ASCII letters that are Vietnamese, minus mojibake; higher is better."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 0.0
    viet = sum(ch in _VIET for ch in non_ascii)
    junk = sum(ch in _MOJIBAKE or ch == "\ufffd" for ch in non_ascii)
    return (viet - 2 * junk) / len(non_ascii)


def _try(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_utf8_with_multibyte(body: bytes) -> bool:
    return any(b > 127 for b in body) and _try(body, "utf-8") is not None


def _detect(body: bytes) -> str:
    """The codec under which the bytes read as the most Vietnamese text."""
    if _try(body, "utf-8") is not None:
        return "utf-8"
    candidates = ["cp1258", "cp1252", "utf-8"]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:65536]).best()
        if best is not None and codec_name(best.encoding) not in candidates:
            candidates.append(codec_name(best.encoding) or "utf-8")
    except Exception:  # detection is best effort
        pass
    scored = []
    for codec in candidates:
        text = body.decode(codec, errors="replace")
        scored.append((vietnamese_score(unicodedata.normalize("NFC", text)), codec))
    return max(scored)[1]


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML (or XML) document to NFC text, recording which charset was used."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return Decoded(unicodedata.normalize("NFC", body.decode(codec, "replace")), codec, "bom")
    declared: list[tuple[str, CharsetSource]] = []
    if codec := header_charset(content_type):
        declared.append((codec, "header"))
    if codec := meta_charset(body):
        declared.append((codec, "meta"))
    overruled: str | None = None
    for codec, source in declared:
        if codec in _WESTERN and _is_utf8_with_multibyte(body):
            overruled = overruled or codec
            continue  # a Western default over UTF-8 bytes: not believed
        text = _try(body, codec)
        if text is None:
            overruled = overruled or codec
            continue
        return Decoded(unicodedata.normalize("NFC", text), codec, source)
    if not any(b > 127 for b in body):
        return Decoded(body.decode("ascii"), "ascii", "default", overruled)
    codec = _detect(body)
    text = body.decode(codec, errors="replace")
    return Decoded(unicodedata.normalize("NFC", text), codec, "detected", overruled)
