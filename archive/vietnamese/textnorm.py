"""Vietnamese text normalization: one place for every "are these two strings the same?" rule.

Vietnamese pages arrive in NFC or NFD (or a mix), with the tone mark of an open
two-vowel syllable on either vowel ("hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe"),
with non-breaking spaces and zero-width characters. Three views are used:

* :func:`clean` — NFC, invisible characters removed, whitespace tidied; what we store
  and show. It never changes the letters a page used.
* :func:`canonical` — :func:`clean` plus one fixed tone-mark placement per syllable, so
  that the old and new orthographies compare equal. Used for content hashes and
  for matching rules (flags).
* :func:`fold` — lower case, every diacritic removed and ``đ`` folded to ``d``
  (SQLite FTS5's ``remove_diacritics`` does not fold ``đ``). Used for search keys:
  :func:`search_words` is what the full-text index holds and what a query looks for,
  :func:`fold_aligned` the same folding character by character (to mark matches in
  the original text).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache

__all__ = [
    "canonical",
    "canonical_word",
    "clean",
    "clean_line",
    "content_hash",
    "fold",
    "fold_aligned",
    "paragraphs",
    "search_words",
]

# The five tone marks as combining characters (NFD).  Other Vietnamese diacritics
# (circumflex U+0302, breve U+0306, horn U+031B) change the vowel itself and stay put.
GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONES = frozenset((GRAVE, ACUTE, TILDE, HOOK, DOT))
# Some pages (and windows-1258) carry the Vietnamese-specific combining tone marks
# U+0340/U+0341 (deprecated grave/acute tone marks); NFC maps them to the common ones.

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TABS = re.compile(r" *\t[ \t]*")  # table cells stay tab-separated
_WORD = re.compile(r"\w+", re.UNICODE)

_VOWELS = frozenset("aeiouy")
_QUALITY = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn


# What _SPACES / _TABS would change (a lone space is left as it is): checked first, since
# most lines need neither substitution and str.translate is slow on non-ASCII text.
_INVISIBLE_RX = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES_TO_FIX = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]|  ")


def clean_line(line: str) -> str:
    """NFC, no invisible characters, single spaces, stripped."""
    line = unicodedata.normalize("NFC", line)
    if _INVISIBLE_RX.search(line):
        line = line.translate(_INVISIBLE)
    if _SPACES_TO_FIX.search(line):
        line = _SPACES.sub(" ", line)
    if "\t" in line:
        line = _TABS.sub("\t", line)
    return line.strip()


def clean(text: str) -> str:
    """NFC text with one paragraph per line and no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return "\n".join(filter(None, (clean_line(line) for line in text.split("\n"))))


def paragraphs(text: str) -> list[str]:
    return [line for line in clean(text).split("\n") if line]


def _letters(word_nfd: str) -> list[list[str]]:
    """Split an NFD word into [base letter, combining marks...] clusters."""
    clusters: list[list[str]] = []
    for ch in word_nfd:
        if unicodedata.combining(ch) and clusters:
            clusters[-1].append(ch)
        else:
            clusters.append([ch])
    return clusters


@lru_cache(maxsize=1 << 16)  # a pure function of a small vocabulary: syllables repeat endlessly
def canonical_word(word: str) -> str:
    """Put a syllable's tone mark on one fixed vowel.

    The canonical placement follows the common modern usage ("hòa", "thủy",
    "khỏe", "hoàng", "người", "khuỷu"): on the vowel carrying a quality mark
    (ơ first), else on the last vowel of the nucleus when a final consonant
    follows, else on the first of two vowels or the middle of three.  Words
    with no tone mark or no vowel are returned unchanged (in NFC).
    """
    nfd = unicodedata.normalize("NFD", word)
    if not any(ch in TONES for ch in nfd):
        return unicodedata.normalize("NFC", nfd)
    clusters = _letters(nfd)
    tone = ""
    for cl in clusters:
        marks = [m for m in cl[1:] if m in TONES]
        if marks:
            tone = tone or marks[0]
            cl[1:] = [m for m in cl[1:] if m not in TONES]
    bases = [cl[0].lower() for cl in clusters]
    vowel_idx = [i for i, b in enumerate(bases) if b in _VOWELS]
    # "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
    if len(vowel_idx) > 1:
        first = vowel_idx[0]
        if first > 0 and (
            (bases[first] == "u" and bases[first - 1] == "q")
            or (bases[first] == "i" and bases[first - 1] == "g" and first == 1)
        ):
            vowel_idx = vowel_idx[1:]
    if not vowel_idx:
        clusters[-1].append(tone)
    else:
        # Keep only the first contiguous run of vowels: the syllable nucleus.
        nucleus = [vowel_idx[0]]
        for i in vowel_idx[1:]:
            if i == nucleus[-1] + 1:
                nucleus.append(i)
            else:
                break
        quality = [i for i in nucleus if any(m in _QUALITY for m in clusters[i][1:])]
        horn_o = [i for i in quality if bases[i] == "o" and "\u031b" in clusters[i]]
        has_final = nucleus[-1] < len(clusters) - 1
        if horn_o:
            target = horn_o[-1]
        elif quality:
            target = quality[0]
        elif len(nucleus) == 1:
            target = nucleus[0]
        elif has_final:
            target = nucleus[-1]
        elif len(nucleus) == 2:
            target = nucleus[0]
        else:
            target = nucleus[len(nucleus) // 2]
        clusters[target].append(tone)
    return unicodedata.normalize("NFC", "".join("".join(cl) for cl in clusters))


_WORD_SPLIT = re.compile(r"(\w+)", re.UNICODE)


def canonical(text: str) -> str:
    """:func:`clean` text with one tone-mark placement per syllable."""
    # the words are the odd items of the split (the same matches as _WORD.sub would
    # see); mapping the cached canonical_word over them runs no Python code per word
    parts = _WORD_SPLIT.split(clean(text))
    parts[1::2] = map(canonical_word, parts[1::2])
    return "".join(parts)


_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")  # U+034F is not a combining mark
# Characters that may be combining marks other than U+0300–U+036F: none below U+0300, in
# General Punctuation or in Currency Symbols (U+20AB ₫); anything else takes the slow path.
_OTHER_SCRIPTS = re.compile("[^\x00-\u02ff\u2000-\u206f\u20a0-\u20cf]")


def fold(text: str) -> str:
    """Lower case, no diacritics, ``đ`` → ``d``: a search and matching key."""
    nfd = unicodedata.normalize("NFD", clean(text).lower())
    # Vietnamese marks are all in U+0300–U+036F: one regex pass; the per-character check
    # for every combining mark only when another script is present
    stripped = _LATIN_MARKS.sub("", nfd)
    if _OTHER_SCRIPTS.search(stripped):
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("ð", "d")


# The crawler hashes a page's content to decide on fetching its attachments, and the
# store hashes it again when recording the page: a few recent results are kept (the
# same text object comes back, so the lookup does not rehash it).
@lru_cache(maxsize=32)
def content_hash(title: str | None, published: date | None, text: str | None) -> str:
    """The identity of an article's content: what a new version is decided on.

    Covers the canonical title, published date and text; whitespace, Unicode
    normal form and tone-mark placement do not count as a change.
    """
    parts = [
        canonical(title or ""),
        published.isoformat() if published else "",
        canonical(text or ""),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# -- search keys ---------------------------------------------------------------------------

#: A word for search: letters and digits (the same split as SQLite FTS5's unicode61
#: tokenizer, which treats "_" and punctuation as separators).
SEARCH_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The folded words of ``text``: what the full-text index holds and a query looks for.

    ``"Hội chợ ĐỒNG Nai, hoà"`` → ``["hoi", "cho", "dong", "nai", "hoa"]``.
    """
    return SEARCH_WORD.findall(fold(text))


def _aligned_char(ch: str) -> str:
    folded = fold(ch)
    return folded if len(folded) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


# Latin letters with diacritics (Latin-1 Supplement, Extended-A/B, Extended Additional)
# and A-Z: each folds to one character, so positions in the folded text are positions
# in the original.
_ALIGNED = {
    cp: _aligned_char(chr(cp))
    for block in (range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for cp in block
    if _aligned_char(chr(cp)) != chr(cp)
}


def fold_aligned(text: str) -> str:
    """:func:`fold` character by character, keeping the length: offsets stay valid in ``text``.

    For marking matches in the original (NFC) text; no whitespace or Unicode
    normalization is done.
    """
    return text.translate(_ALIGNED)
