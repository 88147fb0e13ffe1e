"""The crawler's ``sct-archive`` commands (crawl, demo, extract, import, reextract, sites),
contributed through the ``sct_archive.commands`` entry points. May import the crawler and
:mod:`archive`; heavy libraries (Scrapy, trafilatura) are imported when a command runs.
"""
