"""What the store derives from a page, as pure functions: computable ahead of the write.

The store needs, for each archived page, the SHA-256 and the zlib bytes of its body,
the content hash of its fields and, for a new version, its flags. None of them needs
the database, so an extraction worker (:mod:`crawler.extraction.pool`) can compute them
next to the extraction and hand them over as :class:`Derived`; the process that writes
then only writes. :meth:`archive.storage.store.Archive.record_page` takes a
``Derived`` and computes what it lacks with these same functions, so a page gives the
same rows whichever process did the work.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from archive.flags import RULES_VERSION, flag_version
from archive.storage.indexed_text import folded
from archive.storage.records import Extracted
from archive.vietnamese.textnorm import content_hash

#: zlib level of stored bodies.
COMPRESSION_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Body:
    """A response body as stored: its digest and its compressed bytes."""

    sha256: str
    size: int
    data: bytes
    compression: str = "zlib"


@dataclass(frozen=True, slots=True)
class Derived:
    """Precomputed values for one page (each None: the store computes it).

    ``flags`` are the column values of the version's flags, without the version id and
    the time of writing; ``rules_version`` is the rules that produced them. ``folded``
    is the version's full-text index text (:func:`archive.storage.indexed_text.folded`):
    like the flags, it is computed for a new version only, from the same fields, and
    used only with them.
    """

    body: Body | None = None
    content_hash: str | None = None
    flags: tuple[dict[str, Any], ...] | None = None
    rules_version: str | None = None
    folded: tuple[str, str] | None = None


def stored_body(body: bytes) -> Body:
    return Body(hashlib.sha256(body).hexdigest(), len(body), zlib.compress(body, COMPRESSION_LEVEL))


def with_attachment_text(text: str | None, attachments: Iterable[Any]) -> str:
    """What the flags read: the page's text and the text of its attachments."""
    parts = [text or ""] + [a.text for a in attachments if getattr(a, "text", None)]
    return "\n".join(p for p in parts if p)


def flag_columns(flag: Any) -> dict[str, Any]:
    """A :class:`archive.flags.Flag` as column values, but for version id, rules version and time."""
    facts = {
        k: v for k, v in flag.to_dict().items() if k not in ("kind", "subtype", "score", "evidence")
    }
    return {"kind": flag.kind, "subtype": flag.subtype, "score": float(flag.score),
            "evidence": list(flag.evidence), "facts": facts}


def version_flags(ex: Extracted) -> tuple[dict[str, Any], ...]:
    """The flags' column values of a version made of ``ex``."""
    return tuple(flag_columns(f) for f in
                 flag_version(ex.title, with_attachment_text(ex.text, ex.attachments), ex.published))


def derive(ex: Extracted | None, body: bytes | None = None, *,
           unless_hash: str | None = None, complete: bool = True) -> Derived:
    """Everything the store would compute for this page (the body's part only if given;
    no flags when the content hash is ``unless_hash``: a version that exists has them).

    ``complete=False``: the fields still lack their attachments' text (the caller reads the
    files next), so what a new version derives from all of it — flags, index text — is left
    to the store."""
    digest = content_hash(ex.title, ex.published, ex.text) if ex is not None else None
    new = complete and ex is not None and digest != unless_hash
    flags = version_flags(ex) if new else None
    return Derived(
        body=stored_body(body) if body is not None else None,
        content_hash=digest,
        flags=flags,
        rules_version=RULES_VERSION if flags is not None else None,
        folded=folded(ex.title, ex.text, [a.text for a in ex.attachments]) if new else None,
    )
