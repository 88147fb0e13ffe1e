"""The read side: queries over the archive, exports (JSONL, CSV, WARC), the Atom feed of
flagged articles and its webhook. It never writes archive rows.

May import storage, the language package and the flags; never the CLI.
"""
