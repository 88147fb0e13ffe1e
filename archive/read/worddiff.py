"""Word-level differences between two versions' texts, for people (the web's diff view).

Lines (paragraphs) are matched first, then the words of each changed run of lines,
so a 5 MB text never meets a quadratic word-by-word comparison. Each segment is
``(op, text)`` with op ``"="``, ``"-"`` (only in the old text) or ``"+"`` (only in the new).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|[^\s]+")
#: Changed runs longer than this (tokens on either side) are shown whole, not word by word.
MAX_WORD_DIFF_TOKENS = 20_000

Segment = tuple[str, str]


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for op, text in segments:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def _words(old: str, new: str) -> list[Segment]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(a) > MAX_WORD_DIFF_TOKENS or len(b) > MAX_WORD_DIFF_TOKENS:
        return [("-", old), ("+", new)]
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
        else:
            out.append(("-", "".join(a[i1:i2])))
            out.append(("+", "".join(b[j1:j2])))
    return out


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new``."""
    a, b = old.split("\n"), new.split("\n")
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            out.append(("=", "\n".join(a[i1:i2]) + "\n"))
        elif tag == "delete":
            out.append(("-", "\n".join(a[i1:i2]) + "\n"))
        elif tag == "insert":
            out.append(("+", "\n".join(b[j1:j2]) + "\n"))
        else:
            out.extend(_words("\n".join(a[i1:i2]), "\n".join(b[j1:j2])))
            out.append(("=", "\n"))
    merged = _merge(out)
    if merged and merged[-1][0] == "=" and merged[-1][1].endswith("\n"):
        merged[-1] = ("=", merged[-1][1][:-1])
    return _merge(merged)


def changed_words(segments: list[Segment]) -> dict[str, list[str]]:
    """The words removed and added (for JSON consumers and tests)."""
    return {
        "removed": [w for op, t in segments if op == "-" for w in t.split()],
        "added": [w for op, t in segments if op == "+" for w in t.split()],
    }
