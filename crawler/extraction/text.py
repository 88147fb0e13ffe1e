"""The article's text: tables flattened, trafilatura on the body, page furniture removed.

This is the only module that calls trafilatura (with every option that matters stated).
Trafilatura reads the body element; our own line-by-line reading of the same element
(:mod:`crawler.extraction.furniture`) decides, line by line and by what each line is,
what the text is — trafilatura's keep/drop is one of the signals (see ``furniture.choose``).
"""

from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html

from archive.vietnamese import dates as vndates
from archive.vietnamese.textnorm import canonical, clean, clean_line
from crawler.extraction.furniture import body_lines, choose
from crawler.extraction.selectors import node_text

FURNITURE_LINES = {
    canonical(s).lower()
    for s in (
        "In trang", "In bài", "In bài viết", "Bản in", "Quay lại", "Trở về", "Về đầu trang",
        "Đầu trang", "Chia sẻ", "Gửi email", "Gửi bài viết", "Tweet", "Lưu bài", "Bình luận",
        "Xem thêm", "Đọc thêm", "Phản hồi", "Print", "Back", "Share", "Top",
    )
}
_COUNTER = re.compile(r"^(lượt xem|lượt truy cập|số lượt xem|views?|hits?)\s*[:：]?\s*[\d.,]+$", re.I)
SOURCE_LINE = re.compile(
    r"^(nguồn(?: tin)?|theo|tác giả|người viết|tin(?:,| và) ảnh|bài(?:,| và) ảnh|source)\s*[:：]",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 blockquote pre tr dd dt section article figcaption address "
    "table ul ol dl header footer".split()
)


def flatten_tables(root) -> frozenset:
    """Layout tables become their cells' blocks; data tables one line per row, cells tab-separated.

    Returns the row elements made for data tables (their lines are table rows).
    """
    made = []
    for table in list(root.iter("table")):
        if table.getparent() is None:
            continue
        rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
        has_blocks = any(
            el.tag in ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4")
            for cell in table.iter("td", "th")
            for el in cell
        )
        if has_blocks:
            # a layout table: keep the cells' content, in order, as blocks
            replacement = lxml_html.Element("div")
            for cell in table.iter("td", "th"):
                div = lxml_html.Element("div")
                div.text = cell.text
                for child in list(cell):
                    div.append(child)
                replacement.append(div)
        else:
            replacement = lxml_html.Element("div")
            for tr in rows:
                cells = [node_text(c) for c in tr if c.tag in ("td", "th")]
                cells = [c for c in cells if c]
                if cells:
                    p = lxml_html.Element("p")
                    p.text = "\t".join(cells)
                    replacement.append(p)
                    made.append(p)
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)
    return frozenset(made)


def block_text(root) -> str:
    """Own serializer: one line per block element (the date choice reads the first lines)."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = clean_line("".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            if el.tail:
                buf.append(el.tail)
            return
        block = el.tag in _BLOCK_TAGS
        if block:
            flush()
        if el.tag == "br":
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(root)
    flush()
    return "\n".join(lines)


def trafilatura_text(root, url: str) -> str:
    doc = trafilatura.bare_extraction(
        root,
        url=url,
        fast=True,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        favor_precision=False,
        favor_recall=True,
    )
    return (doc.text or "") if doc is not None else ""


def page_level_trafilatura(tree, url: str):
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def body_text(root, url: str) -> str:
    """The text of an article body element, one paragraph per line.

    Our lines of the body, each kept or dropped by what it is (links, bylines, date
    lines, interface phrases, prose) with trafilatura's reading of the same element as
    one signal — not by comparing the lengths of the two texts.
    """
    rows = flatten_tables(root)
    lines = body_lines(root, rows)
    if not lines:
        return ""
    return choose(lines, trafilatura_text(root, url))


def page_text(tree, doc_text: str) -> str:
    """The text trafilatura read from a whole page (no body element), furniture removed."""
    body = tree.find("body")
    lines = body_lines(body if body is not None else tree)
    return choose(lines, doc_text, add_dropped=False) if lines else doc_text


def tidy(text: str, title: str | None, byline_texts: list[str]) -> str:
    title_key = canonical(title or "").lower()
    skip = {canonical(b).lower() for b in byline_texts if b}
    out = []
    for line in clean(text).split("\n"):
        key = canonical(line).lower()
        if key in FURNITURE_LINES or key in skip or (title_key and key == title_key):
            continue
        if _COUNTER.match(line) or line == "|" or vndates.is_today_widget(line):
            continue
        if len(line) <= 60 and vndates.date_label(line) and vndates.find_dates(line):
            continue
        if len(line) <= 40 and vndates.parse_date(line) and not re.search(r"[^\d\s/.:,|-]", line):
            continue  # a bare date line such as "02-12-2018"
        out.append(line)
    return "\n".join(out)
