"""Vietnam's provinces and centrally-run cities, before and after the merger of 1 July 2025.

Resolution 202/2025/QH15 reduced 63 provincial units to 34. ``CURRENT`` maps each of
the 34 to the former units merged into it (the first former unit kept the name,
except where noted). Used by the site registry (current/former province of a
site) and by the flags (the location of an event).
"""

from __future__ import annotations

from archive.vietnamese.textnorm import canonical, fold

MERGER_DATE = "2025-07-01"

#: The 34 units in force from 1 July 2025 → the units merged into them (themselves included).
CURRENT: dict[str, tuple[str, ...]] = {
    # centrally-run cities
    "Hà Nội": ("Hà Nội",),
    "Huế": ("Thừa Thiên Huế",),
    "Hải Phòng": ("Hải Phòng", "Hải Dương"),
    "Đà Nẵng": ("Đà Nẵng", "Quảng Nam"),
    "Hồ Chí Minh": ("Hồ Chí Minh", "Bình Dương", "Bà Rịa – Vũng Tàu"),
    "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    # provinces kept as they were
    "Cao Bằng": ("Cao Bằng",),
    "Điện Biên": ("Điện Biên",),
    "Lai Châu": ("Lai Châu",),
    "Sơn La": ("Sơn La",),
    "Lạng Sơn": ("Lạng Sơn",),
    "Quảng Ninh": ("Quảng Ninh",),
    "Thanh Hóa": ("Thanh Hóa",),
    "Nghệ An": ("Nghệ An",),
    "Hà Tĩnh": ("Hà Tĩnh",),
    # provinces formed by a merger
    "Tuyên Quang": ("Tuyên Quang", "Hà Giang"),
    "Lào Cai": ("Lào Cai", "Yên Bái"),
    "Thái Nguyên": ("Thái Nguyên", "Bắc Kạn"),
    "Phú Thọ": ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Ninh", "Bắc Giang"),
    "Hưng Yên": ("Hưng Yên", "Thái Bình"),
    "Ninh Bình": ("Ninh Bình", "Hà Nam", "Nam Định"),
    "Quảng Trị": ("Quảng Trị", "Quảng Bình"),
    "Quảng Ngãi": ("Quảng Ngãi", "Kon Tum"),
    "Gia Lai": ("Gia Lai", "Bình Định"),
    "Khánh Hòa": ("Khánh Hòa", "Ninh Thuận"),
    "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
    "Đồng Nai": ("Đồng Nai", "Bình Phước"),
    "Tây Ninh": ("Tây Ninh", "Long An"),
    "Vĩnh Long": ("Vĩnh Long", "Bến Tre", "Trà Vinh"),
    "Đồng Tháp": ("Đồng Tháp", "Tiền Giang"),
    "Cà Mau": ("Cà Mau", "Bạc Liêu"),
    "An Giang": ("An Giang", "Kiên Giang"),
}

CENTRAL_CITIES = frozenset(("Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"))

#: The 63 units in force until 30 June 2025 → the unit they belong to now.
FORMER: dict[str, str] = {old: new for new, olds in CURRENT.items() for old in olds}

# Other spellings met in text: abbreviations, "TP." prefixes, old/new tone placement
# is handled by canonical()/fold() already.
_ALIASES: dict[str, str] = {
    "TP HCM": "Hồ Chí Minh",
    "TP.HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "Thành phố Hồ Chí Minh": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Bà Rịa – Vũng Tàu",
    "Bà Rịa Vũng Tàu": "Bà Rịa – Vũng Tàu",
    "BR-VT": "Bà Rịa – Vũng Tàu",
    "Thừa Thiên - Huế": "Thừa Thiên Huế",
    "Đắc Lắc": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Đắk Nông": "Đắk Nông",
    "Đăk Nông": "Đắk Nông",
}

ALL_NAMES: tuple[str, ...] = tuple(sorted(set(FORMER) | set(CURRENT)))

_BY_KEY: dict[str, str] = {fold(name): name for name in ALL_NAMES}
_BY_KEY.update({fold(alias): name for alias, name in _ALIASES.items()})


def lookup(name: str) -> str | None:
    """The official spelling of a province or city name, whatever its form, or None."""
    key = fold(name).replace("tinh ", "", 1).replace("thanh pho ", "", 1).strip(" .")
    return _BY_KEY.get(key) or _BY_KEY.get(fold(canonical(name)))


def current_of(name: str) -> str | None:
    """The unit a (possibly former) province belongs to since 1 July 2025."""
    official = lookup(name)
    if official is None:
        return None
    return official if official in CURRENT else FORMER.get(official)


def search_keys() -> dict[str, str]:
    """Folded name → official name, for matching in running text (longest first)."""
    return dict(sorted(_BY_KEY.items(), key=lambda kv: -len(kv[0])))
