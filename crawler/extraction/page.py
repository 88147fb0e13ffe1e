"""Bytes to an lxml tree, and the metadata in ``<head>`` (meta tags, canonical link, JSON-LD)."""

from __future__ import annotations

import json
import re

from lxml import etree
from lxml import html as lxml_html

from archive.errors import InputError
from crawler.extraction.encoding import Decoded, decode_html

# -- decoding and parsing -----------------------------------------------------------------


def decode(body: bytes | str, content_type: str | None) -> Decoded:
    if isinstance(body, str):
        import unicodedata

        return Decoded(unicodedata.normalize("NFC", body), "utf-8", "default")
    return decode_html(body, content_type)


def parse(html: str, url: str):
    if not html.strip():
        raise InputError(f"empty page: {url}")
    probe = html[:4096].lower()
    if "<" not in probe or not re.search(r"<(html|head|body|div|p|title|meta|article|table)\b", probe + html.lower()[:65536]):
        raise InputError(f"not an HTML page: {url}")
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML of {url}: {exc}") from None
    # Comments and processing instructions are never text, and trafilatura, given a
    # tree, splits or drops the text around them ("by <!-- -->email<!-- -->."): gone
    # here, their tails kept, before anything reads the tree.
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    return tree


# -- metadata from <head> ------------------------------------------------------------------


def head_meta(tree) -> dict[str, str]:
    """name/property → content for <meta>, plus canonical link and JSON-LD dates."""
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if key and content and key not in out:
            out[key] = content
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            out.setdefault("canonical", link.get("href").strip())
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if not isinstance(obj, dict):
                continue
            for obj2 in [obj, *obj.get("@graph", [])] if isinstance(obj.get("@graph"), list) else [obj]:
                if isinstance(obj2, dict):
                    for k in ("datePublished", "dateModified", "headline"):
                        if isinstance(obj2.get(k), str):
                            out.setdefault(f"ld:{k.lower()}", obj2[k])
    return out

