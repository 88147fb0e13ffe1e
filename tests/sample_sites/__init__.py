"""Realistic sample sites, one per CMS profile, served on 127.0.0.1 for the tests,
the demo command and the benchmarks. See README.md in this directory.

``SITES`` maps a profile name to its site class. ``UNSEEN`` maps a key to a site on a
layout no profile recognizes (the ``auto`` profile's acceptance sites).
"""

from __future__ import annotations

import importlib

from tests.sample_sites.base import Attachment, Request, Response, SampleArticle, SampleSite

#: One module per CMS; each defines ``SITE``, its SampleSite subclass.
_MODULES = ("liferay", "vhv", "sharepoint", "joomla", "wordpress", "webcenter", "websphere")

SITES: dict[str, type[SampleSite]] = {}
for _name in _MODULES:
    _site = importlib.import_module(f"{__name__}.{_name}").SITE
    SITES[_site.profile] = _site

#: Sites no profile recognizes (each is crawled with ``auto``); keyed by their ``key``.
_UNSEEN_MODULES = ("dnnportal", "tabledesk", "noticeboard")
UNSEEN: dict[str, type[SampleSite]] = {}
for _name in _UNSEEN_MODULES:
    _site = importlib.import_module(f"{__name__}.{_name}").SITE
    UNSEEN[_site.key] = _site


def __getattr__(name: str):
    if name == "SampleServer":  # lazy: the server module is optional for pure renderers
        from tests.sample_sites.server import SampleServer

        return SampleServer
    raise AttributeError(name)


__all__ = ["SITES", "UNSEEN", "Attachment", "Request", "Response", "SampleArticle", "SampleServer", "SampleSite"]
