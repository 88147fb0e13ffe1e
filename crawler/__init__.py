"""The Scrapy project: which URLs to fetch and how to read what comes back.

Rooms: ``sites.toml`` + ``registry`` (the sites, as data), ``profiles`` (one CMS profile
per platform: listings, identity, layouts), ``spiders`` / ``pipelines`` / ``middlewares``
/ ``extensions`` / ``settings`` (Scrapy's standard parts), ``extraction`` (a page →
fields), ``ingest`` (extract + store, the one path of the spider, ``import`` and
``reextract``), ``commands`` (its ``sct-archive`` commands). May import :mod:`archive`;
never :mod:`scheduler`.
"""
