"""What the full-text index holds of a version, as pure functions (no database).

:mod:`archive.storage.searchindex` writes it; an extraction worker can compute it ahead
(:func:`archive.storage.derived.derive`) without importing the database layer.
"""

from __future__ import annotations

from collections.abc import Iterable

from archive.vietnamese.textnorm import fold

#: What is indexed of one version's body at most (characters): a hostile or broken
#: multi-megabyte page stays searchable by its beginning without bloating the index.
MAX_INDEXED_CHARS = 1_000_000


def indexed_body(body: str, attachments: Iterable[str]) -> str:
    """The body the index holds: the text, then the attachments' text, cut at the cap."""
    parts = [body, *(a for a in attachments if a)]
    return "\n".join(parts)[:MAX_INDEXED_CHARS]


def folded(title: str | None, body: str | None, attachments: Iterable[str] = ()) -> tuple[str, str]:
    """(folded title, folded body): the index's text before its words are split."""
    return fold(title or ""), fold(indexed_body(body or "", attachments))
