"""The one generic spider, ``news`` (``scrapy crawl news -a site=KEY``). May import the
crawler's profiles, extraction and registry, and :mod:`archive`.
"""
