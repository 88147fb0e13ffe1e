"""What the flag rules share: the :class:`Flag` record, the lower-case canonical text of a
version split into sentences (title, lead, body) with offsets, and the phrase/regex helpers
that match any tone-mark placement. Evidence sentences are cut from this text."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from archive.vietnamese.amounts import Amount, lower_aligned, parse_amounts
from archive.vietnamese.textnorm import TONES, canonical_word, clean


@dataclass(frozen=True)
class Flag:
    kind: Literal["conference", "funding"]
    subtype: str
    score: float
    evidence: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: kind, subtype, score, evidence and the facts at the top level."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "subtype": self.subtype,
            "score": self.score,
            "evidence": list(self.evidence),
        }
        out.update(self.facts)
        return out




# The tone mark of an open "oa", "oe", "uy" is written on either vowel ("hoà"/"hòa",
# "khoẻ"/"khỏe", "thuỷ"/"thủy"); those are the words :func:`canonical_word` may change.
# One character class pair (fast to scan for); the pairs that matter are checked after.
_TWO_WAY = re.compile("[oòóõỏọuùúũủụ][aàáãảạeèéẽẻẹyỳýỹỷỵ]")



def _toned(vowel: str) -> list[str]:
    return [vowel] + [unicodedata.normalize("NFC", vowel + t) for t in sorted(TONES)]


_TWO_WAY_PAIRS = frozenset(
    a + b
    for v1, v2 in (("o", "a"), ("o", "e"), ("u", "y"))
    for a in _toned(v1)
    for b in _toned(v2)
    if (a != v1) != (b != v2)  # exactly one of the two carries the tone mark
)


def _canon_words(text: str) -> str:
    """``text`` with its "oa"/"oe"/"uy" words in canonical form (same length)."""
    parts = []
    last = 0
    for m in _TWO_WAY.finditer(text):
        if m.group() not in _TWO_WAY_PAIRS or m.start() < last:
            continue
        start, end = m.start(), m.end()
        while start > last and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        parts.append(text[last:start])
        word = text[start:end]
        canon = canonical_word(word)  # cached in textnorm
        parts.append(canon if len(canon) == len(word) else word)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _key(text: str) -> str:
    """Lower case, one tone-mark placement per syllable; same length as ``text`` (NFC)."""
    return _canon_words(lower_aligned(text))


def _keyrx(src: str) -> str:
    """A regex source written in natural (lower-case) spelling, tone marks in key form."""
    return _canon_words(src)


def _expand(phrase: str) -> list[str]:
    """Spell out a leading group: "(?:a|b) c" → "a c", "b c"; "(?:a )?b" → "a b", "b"."""
    if not phrase.startswith("(?:"):
        return [phrase]
    depth, i = 0, 0
    while i < len(phrase):
        depth += phrase[i] == "("
        depth -= phrase[i] == ")"
        if depth == 0:
            break
        i += 1
    inner, rest = phrase[3:i], phrase[i + 1 :]
    if "(" in inner:
        return [phrase]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    out = [alt + rest for alt in inner.split("|")]
    return [*out, rest] if optional else out


_LITERAL_START = re.compile(r"[^\W\d_]\w*(?![?*+{])")


def _rx(*phrases: str) -> re.Pattern[str]:
    """Compile whole-word phrases in natural spelling (tone marks normalised; space = \\s+).

    Each alternative is written "x(?<!\\w.)rest": it starts with a literal letter, so the
    regex engine scans quickly for the possible first letters, and the word-boundary
    check comes right after that letter.
    """
    return _words_rx([a for p in phrases for a in _expand(_keyrx(p).replace(" ", r"\s+"))])


def _words_rx(alts: list[str]) -> re.Pattern[str]:
    if all(_LITERAL_START.match(a) and a[1:2] not in "?*+{" for a in alts):
        by_first: dict[str, list[str]] = {}
        for a in alts:
            by_first.setdefault(a[0], []).append(a[1:])
        body = "|".join(
            f"{first}(?<!\\w.)(?:{'|'.join(rests)})" for first, rests in by_first.items()
        )
        return re.compile(rf"(?:{body})(?!\w)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)")


_ABBREV_BEFORE_DOT = re.compile(
    r"(?:^|[\s(])(?:[A-ZĐ]|TP|Tp|TX|Tx|TT|Th\.?S|TS|PGS|GS|St|Mr|Ms|Dr|Ô|Q|P|H)$"
)
_SENT_END = re.compile(r"[.!?…]+[\"”’)\]]*(?:\s+|(?=[^\W\d_]))")


def _sentences(line: str, base: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one paragraph, offsets shifted by ``base``."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(line):
        nxt = line[m.end() : m.end() + 1]
        if not nxt:
            continue
        spaced = m.group().rstrip() != m.group()
        if not (nxt.isupper() or (spaced and (nxt.isdigit() or nxt in "\"“‘(–-"))):
            continue
        if m.group().startswith(".") and _ABBREV_BEFORE_DOT.search(line[start : m.start()]):
            continue
        if not spaced and not line[m.start() - 1 : m.start()].islower():
            continue  # "TP.HCM", "U.S.": no space, no lower-case letter before the dot
        spans.append((base + start, base + m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(line):
        spans.append((base + start, base + len(line)))
    return spans


@dataclass
class _Doc:
    title: str
    title_key: str
    text: str
    key: str
    spans: list[tuple[int, int]]
    lead_count: int
    amounts: list[Amount]
    title_amounts: list[Amount]
    _starts: list[int] = field(default_factory=list)

    def sentence(self, i: int) -> str:
        s, e = self.spans[i]
        return self.text[s:e]

    def skey(self, i: int) -> str:
        s, e = self.spans[i]
        return self.key[s:e]

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) - 1

    @property
    def body_start(self) -> int:
        """Offset of the first sentence after the lead."""
        return self.spans[self.lead_count][0] if self.lead_count < len(self.spans) else len(self.text)

    def sentences_with(self, matches) -> list[int]:
        """Indices of the sentences holding the given matches, in order, once each."""
        out: list[int] = []
        for m in matches:
            i = self.sentence_of(m.start())
            if i >= 0 and (not out or out[-1] != i):
                out.append(i)
        return out

    def amounts_in(self, i: int) -> list[Amount]:
        s, e = self.spans[i]
        return [a for a in self.amounts if s <= a.start < e]


# What clean() would change: invisible characters, odd spaces, blank or padded lines.
_ODD_CHARS = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\r\t\u2028\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)


def _clean(text: str) -> str:
    """:func:`archive.vietnamese.textnorm.clean`, skipped when the text is clean already (stored text is)."""
    if (
        "  " in text or "\n\n" in text or " \n" in text or "\n " in text
        or text[:1].isspace() or text[-1:].isspace()
        or not unicodedata.is_normalized("NFC", text) or _ODD_CHARS.search(text)
    ):
        return clean(text)
    return text


def _prepare(title: str | None, text: str) -> _Doc:
    title_c = _clean(title or "").replace("\n", " ")
    body = _clean(text or "")
    spans: list[tuple[int, int]] = []
    paragraph_first: list[int] = []
    pos = 0
    for line in body.split("\n"):
        paragraph_first.append(len(spans))
        spans.extend(_sentences(line, pos))
        pos += len(line) + 1
    # The lead: the first paragraph's sentences (at most 3); a very short first
    # paragraph (a dateline, "(Tin: …)") takes the next paragraph along.
    lead = 0
    for p in range(len(paragraph_first)):
        nxt = paragraph_first[p + 1] if p + 1 < len(paragraph_first) else len(spans)
        lead = nxt
        if spans and spans[nxt - 1][1] - spans[0][0] >= 80:
            break
    lead = min(lead, 3, len(spans))
    # No headline: the "title" is the text's own first sentence (pages without a heading,
    # feeds that repeat the lead). Then the lead reads on into the next paragraph.
    if spans and title_c and len(paragraph_first) > 1 and paragraph_first[1] < len(spans) and _key(
        body[spans[0][0] : spans[0][1]]
    ).startswith(_key(title_c)[: max(20, len(title_c) - 5)]):
        lead = min(max(lead, paragraph_first[1] + 1), 4, len(spans))
    doc = _Doc(
        title=title_c,
        title_key=_key(title_c),
        text=body,
        key=_key(body),
        spans=spans,
        lead_count=lead,
        amounts=parse_amounts(body),
        title_amounts=parse_amounts(title_c),
    )
    doc._starts = [s for s, _ in spans]
    return doc
