"""The site registry (crawler/sites.toml): content rules, lookups, validation, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.errors import InputError
from archive.vietnamese import provinces
from crawler.registry import (
    DEFAULT_SITES_FILE,
    KINDS,
    PROFILE_NAMES,
    Registry,
    Site,
    adhoc_site,
    load_registry,
    parse_schedule,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "sites.md"


@pytest.fixture(autouse=True)
def _packaged_registry(monkeypatch):
    """These tests are about the packaged registry, whatever $SCT_ARCHIVE_SITES says."""
    monkeypatch.delenv("SCT_ARCHIVE_SITES", raising=False)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(DEFAULT_SITES_FILE)


# -- content ----------------------------------------------------------------------------------


def test_docs_sites_md_is_generated_from_the_registry(registry):
    assert DOCS.read_text(encoding="utf-8") == registry.to_markdown(), (
        "docs/sites.md is out of date: run `sct-archive sites --markdown > docs/sites.md`"
    )


def test_the_default_load_is_the_packaged_file_and_cached(registry):
    assert load_registry() is load_registry()
    assert [s.key for s in load_registry()] == [s.key for s in registry]


def test_every_current_province_has_exactly_one_department(registry):
    departments = [s for s in registry if s.kind == "sct"]
    by_province: dict[str, list[str]] = {}
    for site in departments:
        by_province.setdefault(site.province, []).append(site.key)
    assert set(by_province) == set(provinces.CURRENT)
    assert {p: keys for p, keys in by_province.items() if len(keys) != 1} == {}
    assert len(departments) == 34


def test_provinces_are_current_names_and_former_ones_belong_to_them(registry):
    for site in registry:
        if site.kind == "ministry":
            assert site.province is None
            continue
        if site.kind in ("sct", "sct-legacy", "khuyencong-centre"):
            assert site.province in provinces.CURRENT, site.key
        if site.former_province is not None:
            assert provinces.FORMER[site.former_province] == site.province, site.key
        if site.kind == "sct-legacy":
            assert site.former_province is not None, site.key


def test_keys_unique_profiles_and_kinds_known(registry):
    keys = [s.key for s in registry]
    assert len(keys) == len(set(keys))
    assert {s.profile for s in registry} <= set(PROFILE_NAMES)
    assert {s.kind for s in registry} <= set(KINDS)


def test_profiles_exist_in_the_profile_package(registry):
    from crawler.profiles import profile_names

    available = set(profile_names())
    missing = {s.profile for s in registry} - available
    # Profiles still being written are tolerated, but liferay and auto are the ones the seed needs.
    assert {"liferay", "auto"} <= available
    assert missing <= set(PROFILE_NAMES)


def test_only_the_seed_site_is_verified(registry):
    assert [s.key for s in registry if s.verified] == ["sct-binhduong"]
    seed = registry.get("sct-binhduong")
    assert seed.profile == "liferay"
    assert seed.base_url == "http://sct.binhduong.gov.vn"
    assert seed.start_urls == ("http://sct.binhduong.gov.vn/web/guest/tin-tuc",)
    assert (seed.province, seed.former_province) == ("Hồ Chí Minh", "Bình Dương")


def test_the_ministry_and_khuyen_cong_portals(registry):
    moit = registry.get("moit")
    assert (moit.kind, moit.profile, moit.start_urls) == ("ministry", "vhv", ("https://moit.gov.vn/tin-tuc",))
    assert [s for s in registry if s.kind == "khuyencong-agency"]
    assert len([s for s in registry if s.kind == "khuyencong-centre"]) >= 3
    assert registry.get("ttkc-bacgiang").host == "ttkhuyencong.bacgiang.gov.vn"


def test_dead_hosts_are_disabled_and_have_captures(registry):
    dead = [s for s in registry if not s.live]
    assert dead, "some legacy hosts are archived from captures"
    for site in dead:
        assert not site.enabled and site.warc_imports, site.key
    assert all(s.enabled for s in registry.enabled())
    assert len(registry.enabled()) == len(registry) - len([s for s in registry if not s.enabled])


def test_every_schedule_parses_and_settings_are_read_only(registry):
    for site in registry:
        kind, _value = site.schedule_trigger()
        assert kind in ("interval", "cron")
    seed = registry.get("sct-binhduong")
    assert seed.settings["DOWNLOAD_DELAY"] == 2
    with pytest.raises(TypeError):
        seed.settings["DOWNLOAD_DELAY"] = 0  # type: ignore[index]
    assert hash(seed) == hash(registry.get("sct-binhduong"))


def test_schedule_strings():
    assert parse_schedule("interval:6h") == ("interval", 6 * 3600)
    assert parse_schedule("interval:1d") == ("interval", 86400)
    assert parse_schedule("interval:1h30m") == ("interval", 5400)
    assert parse_schedule("cron:0 */4 * * *") == ("cron", "0 */4 * * *")
    for bad in ("6h", "interval:", "interval:6x", "interval:0h", "cron:0 */4 * *", "cron:99 * * * *",
                "every:6h"):
        with pytest.raises(ValueError):
            parse_schedule(bad)


# -- lookups --------------------------------------------------------------------------------------


def test_get_unknown_key_suggests(registry):
    with pytest.raises(InputError) as err:
        registry.get("sct-hanio")
    message = str(err.value)
    assert "unknown site 'sct-hanio'" in message and "'sct-hanoi'" in message
    assert "sct-archive sites" in message and "\n" not in message


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://sct.binhduong.gov.vn/web/guest/tin-tuc/-/asset_publisher/x/content/y", "sct-binhduong"),
        ("http://www.sct.binhduong.gov.vn/web/guest/tin-tuc?p_p_id=56&x=1", "sct-binhduong"),
        ("https://sct.binhduong.gov.vn:443/", "sct-binhduong"),
        ("https://www.moit.gov.vn/tin-tuc/thong-bao/abc.html?utm_source=x", "moit"),
        ("HTTPS://MOIT.GOV.VN/tin-tuc", "moit"),
        ("https://congthuong.hochiminhcity.gov.vn/tin-tuc#top", "sct-hochiminh"),
        ("https://socongthuong.daklak.gov.vn/vi/news/x/y.html", "sct-daklak"),
        ("https://example.gov.vn/", None),
        ("https://binhduong.gov.vn/", None),  # a parent domain is another site
    ],
)
def test_for_url(registry, url, key):
    site = registry.for_url(url)
    assert (site.key if site else None) == key


def test_for_url_with_ports_and_shared_hosts(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(
        _site("demo-a", base_url="http://127.0.0.1:8123")
        + _site("demo-b", base_url="http://127.0.0.1:8124")
        + _site("portal-a", base_url="https://portal.gov.vn/sites/a")
        + _site("portal-b", base_url="https://portal.gov.vn/sites/b"),
        encoding="utf-8",
    )
    reg = load_registry(path)
    assert reg.for_url("http://127.0.0.1:8123/tin-tuc").key == "demo-a"
    assert reg.for_url("http://127.0.0.1:8124/tin-tuc").key == "demo-b"
    assert reg.for_url("http://127.0.0.1:9999/") is None
    assert reg.for_url("http://127.0.0.1/") is None
    assert reg.for_url("https://portal.gov.vn/sites/b/tin-tuc/1").key == "portal-b"
    assert reg.for_url("https://portal.gov.vn/sites/a").key == "portal-a"


def test_adhoc_site():
    site = adhoc_site("https://www.example.gov.vn/tin-tuc?page=2")
    assert isinstance(site, Site)
    assert (site.key, site.name, site.profile, site.host) == (
        "example.gov.vn", "example.gov.vn", "auto", "example.gov.vn")
    assert site.start_urls == ("https://www.example.gov.vn/tin-tuc?page=2",)
    assert site.province is None and not site.verified
    # a loopback server's port changes each time it starts: not part of the key
    assert adhoc_site("http://127.0.0.1:8123/a").key == "localhost"
    assert adhoc_site("http://127.0.0.1:8124/a").base_url == "http://127.0.0.1:8124"
    assert adhoc_site("http://example.gov.vn:8123/a").key == "example.gov.vn:8123"
    assert adhoc_site("http://127.0.0.1:8123/a").host == "127.0.0.1"
    assert adhoc_site("https://example.gov.vn:443/").key == "example.gov.vn"
    assert adhoc_site("file:///tmp/page.html").key == "local"


def test_registry_filters(registry):
    hcm = registry.filter(province="TP.HCM")
    assert {"sct-hochiminh", "sct-binhduong", "sct-bariavungtau"} <= {s.key for s in hcm}
    assert [s.key for s in registry.filter(province="Bình Dương")] == ["sct-binhduong"]
    assert all(s.kind == "sct-legacy" for s in registry.filter(kind="sct-legacy"))
    assert [s.key for s in registry.filter(verified=True)] == ["sct-binhduong"]
    with pytest.raises(InputError):
        registry.filter(province="Atlantis")


# -- validation -------------------------------------------------------------------------------------


def _site(key: str, **fields: object) -> str:
    values: dict[str, object] = {
        "key": key, "name": f"Site {key}", "kind": "sct", "province": "Hà Nội",
        "base_url": f"https://{key}.example.gov.vn", "profile": "auto",
    }
    values.update(fields)
    lines = ["[[site]]"]
    for name, value in values.items():
        if value is None:
            continue
        lines.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n\n"


def _error(tmp_path, text: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_registry(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_a_valid_minimal_file(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(_site("a") + _site("b", kind="ministry", province=None), encoding="utf-8")
    reg = load_registry(path)
    assert [s.key for s in reg] == ["a", "b"]
    a = reg.get("a")
    assert a.start_urls == ("https://a.example.gov.vn/",)
    assert (a.schedule, a.enabled, a.live, a.verified) == ("interval:12h", True, True, False)


def test_env_var_names_another_file(tmp_path, monkeypatch):
    path = tmp_path / "env.toml"
    path.write_text(_site("only-one"), encoding="utf-8")
    monkeypatch.setenv("SCT_ARCHIVE_SITES", str(path))
    assert [s.key for s in load_registry()] == ["only-one"]


def test_duplicate_key(tmp_path):
    message = _error(tmp_path, _site("a") + _site("b") + _site("a"))
    assert "line 17 (site 'a'): duplicate key 'a' (first at line 1)" in message


def test_unknown_profile(tmp_path):
    message = _error(tmp_path, _site("a", profile="drupal"))
    assert "unknown profile 'drupal'" in message and "line 1" in message and "(site 'a')" in message


def test_bad_toml(tmp_path):
    message = _error(tmp_path, _site("a") + "[[site]]\nkey = \"b\nname = 1\n")
    assert "line 10: bad TOML" in message


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"province": "Atlantis"}, "unknown province 'Atlantis'"),
        ({"province": "Bình Dương"}, "former province"),
        ({"former_province": "Hải Dương"}, "became part of 'Hải Phòng'"),
        ({"base_url": None}, "missing base_url"),
        ({"base_url": "sct.example.gov.vn"}, "not an http(s) URL"),
        ({"schedule": "every day"}, "bad schedule"),
        ({"schedule": "interval:5y"}, "bad interval"),
        ({"kind": "department"}, "unknown kind 'department'"),
        ({"kind": "sct-legacy"}, "needs its former_province"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"live": False}, None),  # dead hosts are disabled by default: valid
        ({"live": False, "enabled": True}, "cannot be enabled"),
        ({"verified": "yes"}, "verified must be true or false"),
        ({"start_urls": "https://a.example.gov.vn/"}, "start_urls must be a non-empty list"),
        ({"key": "Bad Key"}, "bad key"),
    ],
)
def test_bad_entries(tmp_path, fields, expected):
    fields = dict(fields)
    text = _site(str(fields.pop("key", "a")), **fields)
    if expected is None:
        path = tmp_path / "ok.toml"
        path.write_text(text, encoding="utf-8")
        assert not load_registry(path).get("a").enabled
        return
    assert expected in _error(tmp_path, text)


def test_bad_settings_name(tmp_path):
    message = _error(tmp_path, _site("a") + "[site.settings]\ndownload_delay = 3\n")
    assert "bad setting name 'download_delay'" in message


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_registry(tmp_path / "nope.toml")


# -- the command -----------------------------------------------------------------------------------


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_sites_json_lists_every_field():
    result = _run("sites", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    seed = next(s for s in data if s["key"] == "sct-binhduong")
    assert seed["verified"] is True and seed["profile"] == "liferay"
    assert seed["settings"] == {"DOWNLOAD_DELAY": 2}
    assert set(seed) >= {"key", "name", "kind", "province", "former_province", "base_url",
                         "start_urls", "profile", "schedule", "enabled", "verified", "live",
                         "warc_imports", "notes", "settings"}
    assert len(data) == len(load_registry())


def test_sites_table_lists_the_seed():
    result = _run("sites")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("sct-binhduong "))
    assert "liferay" in line and "✓" in line and "http://sct.binhduong.gov.vn" in line
    assert "Hồ Chí Minh" in line and "Bình Dương" in line
    header = result.output.splitlines()[0]
    # aligned: the base URL column starts at the same offset in every row
    assert line.index("http://") == header.index("BASE URL")


def test_sites_filters_and_markdown():
    result = _run("sites", "--province", "Bình Dương", "--json")
    assert [s["key"] for s in json.loads(result.output)] == ["sct-binhduong"]
    result = _run("sites", "--verified", "--json")
    assert [s["key"] for s in json.loads(result.output)] == ["sct-binhduong"]
    result = _run("sites", "--unverified", "--kind", "ministry", "--json")
    assert [s["key"] for s in json.loads(result.output)] == ["moit"]
    result = _run("sites", "--markdown")
    assert result.exit_code == 0
    assert result.output == load_registry().to_markdown()
    assert _run("sites", "--markdown", "--json").exit_code != 0
