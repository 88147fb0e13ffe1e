"""Errors a user can act on. The CLI prints their message as one line and exits non-zero."""


class ArchiveError(Exception):
    """Something the user can fix: a bad database URL, an unreadable file, a bad flag value."""

    exit_code = 1


class DatabaseError(ArchiveError):
    """The archive database cannot be opened, reached or migrated."""


class InputError(ArchiveError):
    """An input file or page that cannot be archived (missing, empty, not HTML, malformed WARC)."""
