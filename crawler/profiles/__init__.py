"""CMS profiles: one per platform, shared by every site that runs it.

``get_profile(name)`` returns a registered profile; ``recognize(html, url)`` picks
the platform of a page from its generator meta, markup and URL shapes, falling
back to ``auto``. A profile decides identity and listings; it may import
:mod:`archive` (errors, the language package), never the extraction or the spider.
"""

from __future__ import annotations

import importlib

from archive.errors import ArchiveError
from crawler.profiles.base import Layout, Listing, Page, Profile, RequestSpec

_PROFILES: dict[str, Profile] = {}


def register(profile: Profile) -> Profile:
    if profile.name in _PROFILES:
        raise ValueError(f"duplicate profile {profile.name!r}")
    _PROFILES[profile.name] = profile
    return profile


#: One module per platform; each defines ``PROFILE``, an instance of its Profile subclass.
_MODULES = ("liferay", "vhv", "sharepoint", "webcenter", "websphere", "joomla", "wordpress", "auto")

for _name in _MODULES:
    register(importlib.import_module(f"{__name__}.{_name}").PROFILE)


def profile_names() -> tuple[str, ...]:
    return tuple(_PROFILES)


def get_profile(name: str) -> Profile:
    try:
        return _PROFILES[name]
    except KeyError:
        raise ArchiveError(
            f"unknown profile {name!r}; known: {', '.join(sorted(_PROFILES))}"
        ) from None


def recognize(html: str, url: str, *, threshold: float = 0.3) -> Profile:
    """The profile whose platform this page most looks like, else ``auto``."""
    best, score = _PROFILES["auto"], 0.0
    for profile in _PROFILES.values():
        if profile.name == "auto":
            continue
        s = profile.detect(html, url)
        if s > score:
            best, score = profile, s
    return best if score >= threshold else _PROFILES["auto"]


__all__ = [
    "Layout", "Listing", "Page", "Profile", "RequestSpec",
    "get_profile", "profile_for", "profile_names", "recognize", "register",
]


def profile_for(site, html_head: str | None = None, url: str = "") -> Profile:
    """The site's registered profile; for ``auto`` sites, whatever the page looks like."""
    if site.profile != "auto":
        return get_profile(site.profile)
    return recognize(html_head or "", url)
