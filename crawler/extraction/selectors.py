"""CSS selectors for a layout's rules, matched in one walk of the tree where they are simple.

Used by the reader (boilerplate, title, dates, body, attachments); imports nothing of ours
but the language package's line cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector

from archive.vietnamese.textnorm import canonical, clean_line


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


# -- selectors in one pass ---------------------------------------------------------------
#
# libxml2 evaluates each CSS selector's XPath over the whole tree, and a class test is
# string work on every element (``concat(' ', normalize-space(@class), ' ')``): the 45
# boilerplate selectors of a layout cost ~2.5 ms a page, more than trafilatura. Simple
# selectors (tag, ``.class``, ``#id``, ``[attr]``/``[attr=v]``/``[attr*=v]``/``^=``/``$=``,
# joined by descendant or child combinators) are matched instead in one walk of the
# tree, with exactly the XPath's semantics (cssselect's HTML translator): tag names
# lower case, class tokens split on XML whitespace and case-sensitive, the leftmost
# compound anywhere in the context element's subtree (itself included). Anything else
# (pseudo-classes, groups, other operators) is still evaluated by CSSSelector.

_XML_SPACE = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True, slots=True)
class _Compound:
    tag: str | None
    classes: tuple[str, ...]
    id: str | None
    attrs: tuple[tuple[str, str, str | None], ...]

    def matches(self, el) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes:
            have = el.get("class")
            if not have:
                return False
            tokens = _XML_SPACE.split(have)
            if not all(c in tokens for c in self.classes):
                return False
        for name, op, value in self.attrs:
            got = el.get(name)
            if got is None:
                return False
            if op == "=":
                if got != value:
                    return False
            elif op == "*=":
                if value not in got:
                    return False
            elif op == "^=":
                if not got.startswith(value):
                    return False
            elif op == "$=":
                if not got.endswith(value):
                    return False
        return True


def _compound(node) -> _Compound | None:
    from cssselect.parser import Attrib, Class, Element, Hash

    classes: list[str] = []
    attrs: list[tuple[str, str, str | None]] = []
    ident = None
    while True:
        if isinstance(node, Class):
            classes.append(node.class_name)
        elif isinstance(node, Hash):
            if ident is not None:
                return None
            ident = node.id
        elif isinstance(node, Attrib):
            if node.namespace is not None or getattr(node, "flag", None):
                return None
            if node.operator == "exists":
                attrs.append((node.attrib.lower(), "exists", None))
            elif node.operator in ("=", "*=", "^=", "$="):
                value = node.value.value if hasattr(node.value, "value") else node.value
                if not isinstance(value, str) or (not value and node.operator != "="):
                    return None
                attrs.append((node.attrib.lower(), node.operator, value))
            else:
                return None
        elif isinstance(node, Element):
            if node.namespace is not None:
                return None
            tag = node.element.lower() if node.element and node.element != "*" else None
            return _Compound(tag, tuple(reversed(classes)), ident, tuple(reversed(attrs)))
        else:
            return None
        node = node.selector


@lru_cache(maxsize=512)
def _chain(selector: str) -> tuple[tuple[str, _Compound], ...] | None:
    """(combinator, compound) from the rightmost compound leftwards, or None when not simple."""
    from cssselect import SelectorError, parse
    from cssselect.parser import CombinedSelector

    try:
        parsed = parse(selector)
    except SelectorError:
        return None
    if len(parsed) != 1 or parsed[0].pseudo_element is not None:
        return None
    node = parsed[0].parsed_tree
    out: list[tuple[str, _Compound]] = []
    combinator = ""
    while isinstance(node, CombinedSelector):
        if node.combinator not in (" ", ">"):
            return None
        right = _compound(node.subselector)
        if right is None:
            return None
        out.append((combinator, right))
        combinator = node.combinator
        node = node.selector
    last = _compound(node)
    if last is None:
        return None
    out.append((combinator, last))
    return tuple(out)


def _ancestors_match(chain, i: int, el, root) -> bool:
    """Do the compounds ``chain[i:]`` match above ``el``, inside ``root``'s subtree?"""
    if i == len(chain):
        return True
    if el is root:
        return False
    combinator = chain[i][0]
    compound = chain[i][1]
    anc = el.getparent()
    if combinator == ">":
        return anc is not None and compound.matches(anc) and _ancestors_match(chain, i + 1, anc, root)
    while anc is not None:
        if compound.matches(anc) and _ancestors_match(chain, i + 1, anc, root):
            return True
        if anc is root:
            break
        anc = anc.getparent()
    return False


class _Selectors:
    """Several selectors evaluated in one walk of the tree (see above)."""

    def __init__(self, selectors: tuple[str, ...]) -> None:
        self.selectors = selectors
        self.chains = [_chain(s) for s in selectors]
        self.by_tag: dict[str, list[int]] = {}
        self.by_class: dict[str, list[int]] = {}
        self.by_id: dict[str, list[int]] = {}
        self.anywhere: list[int] = []
        for i, chain in enumerate(self.chains):
            if chain is None:
                continue
            c = chain[0][1]
            if c.id is not None:
                self.by_id.setdefault(c.id, []).append(i)
            elif c.classes:
                self.by_class.setdefault(c.classes[0], []).append(i)
            elif c.tag is not None:
                self.by_tag.setdefault(c.tag, []).append(i)
            else:
                self.anywhere.append(i)
        self.fast = sum(chain is not None for chain in self.chains)
        # most elements carry none of the indexed classes: one regex search says so
        self.any_class = re.compile(
            r"(?:^|[ \t\r\n])(?:" + "|".join(map(re.escape, sorted(self.by_class, key=len, reverse=True)))
            + r")(?=$|[ \t\r\n])"
        ) if self.by_class else None

    def __call__(self, root) -> list:
        buckets: list[list] = [[] for _ in self.selectors]
        chains, by_tag, by_class, by_id, anywhere = (
            self.chains, self.by_tag, self.by_class, self.by_id, self.anywhere)
        any_class = self.any_class.search if self.any_class is not None else None
        for el in root.iter(etree.Element):
            candidates = by_tag.get(el.tag, ())
            if any_class is not None:
                have = el.get("class")
                if have and any_class(have):
                    for token in set(_XML_SPACE.split(have)):
                        if token in by_class:
                            candidates = [*candidates, *by_class[token]]
            if by_id:
                ident = el.get("id")
                if ident is not None and ident in by_id:
                    candidates = [*candidates, *by_id[ident]]
            if anywhere:
                candidates = [*candidates, *anywhere]
            for i in candidates:
                chain = chains[i]
                if chain[0][1].matches(el) and _ancestors_match(chain, 1, el, root):
                    buckets[i].append(el)
        out = []
        for i, sel in enumerate(self.selectors):
            out.extend(buckets[i] if chains[i] is not None else css(sel)(root))
        return out


@lru_cache(maxsize=256)
def _selectors(selectors: tuple[str, ...]) -> _Selectors:
    return _Selectors(selectors)


def select(root, selectors: Iterable[str]) -> list:
    """Every element matching any of ``selectors``, in selector order."""
    selectors = tuple(selectors)
    many = _selectors(selectors)
    if many.fast >= 3:  # one walk in Python beats several XPath scans from about three on
        return many(root)
    out = []
    for sel in selectors:
        out.extend(css(sel)(root))
    return out


def select_first(root, selectors: Iterable[str]):
    for sel in selectors:
        found = css(sel)(root)
        if found:
            return found[0]
    return None


def node_text(el) -> str:
    return clean_line(el.text_content()) if el is not None else ""


def drop_node(el) -> None:
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()



# -- which of several matches is the article -----------------------------------------------


def _prose(el) -> int:
    """Characters of text outside links: what a reader reads, not what they click."""
    links = sum(len(a.text_content()) for a in el.iter("a"))
    return max(0, len(el.text_content()) - links)


def _holds_title(el, title_key: str) -> bool:
    return bool(title_key) and any(
        canonical(node_text(h)).lower() == title_key for h in el.iter("h1", "h2")
    )


def best_body(candidates: list, title: str | None = None):
    """The article among the elements one body selector matched (``article`` matches
    teaser boxes too): those holding the page's title as a heading, if any hold a fair
    share of the prose; of those, the one with the most prose outside links; and of an
    element wrapping another that holds nearly all its prose, the inner one."""
    if len(candidates) == 1:
        return candidates[0]
    prose = {el: _prose(el) for el in candidates}
    top = max(prose.values())
    title_key = canonical(title or "").lower()
    holders = [el for el in candidates if prose[el] >= 0.3 * top and _holds_title(el, title_key)]
    pool = holders or candidates
    best = max(pool, key=lambda el: prose[el])  # ties: the first in document order
    while True:
        inner = [el for el in pool if el is not best and prose[el] >= 0.8 * prose[best]
                 and best in el.iterancestors()]
        if not inner:
            return best
        best = max(inner, key=lambda el: prose[el])
