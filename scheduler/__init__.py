"""Scheduling crawls: the daemon, the recrawl queue, status.

Starts crawls as child processes (``sct-archive crawl``) and never imports spider
code; it uses :mod:`archive` (database, leases, runs) and :mod:`crawler.registry`
(checked by import-linter).
"""
