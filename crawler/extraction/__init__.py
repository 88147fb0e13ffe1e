"""Reading a page: (bytes, URL, headers, profile, fetch date) → :class:`Extracted`.

One public entry point, :func:`extract`, used by the spider, ``import`` and ``reextract``.
Inside: ``encoding`` (bytes → NFC text), ``page`` (tree and head metadata), ``selectors``
(a layout's CSS rules), ``dates`` (the date choice), ``text`` (the only trafilatura
caller), ``reader`` (the steps in order), ``attachments`` (PDF/DOCX/DOC text). May import
:mod:`archive` (records, the language package) and :mod:`crawler.profiles`.
"""

from crawler.extraction.dates import VIETNAM
from crawler.extraction.reader import EXTRACTOR_VERSION, extract, resolve_profile
from crawler.extraction.selectors import select, select_first

__all__ = ["EXTRACTOR_VERSION", "VIETNAM", "extract", "resolve_profile", "select", "select_first"]
