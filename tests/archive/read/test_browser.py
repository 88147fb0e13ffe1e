"""The web interface in a real browser: Debian's chromium, headless, through selenium."""

from __future__ import annotations

import pytest

from archive.read.web.app import create_app
from tests import browser

from .conftest import fill

pytestmark = pytest.mark.skipif(browser.available() is not None, reason=browser.available() or "")


@pytest.fixture
def web(sqlite_url, tmp_path):
    """(driver, base URL, recorded request paths, article ids) for the sample archive."""
    from archive.storage.store import Archive

    with Archive.open(sqlite_url) as archive:
        ids = fill(archive)
    app = browser.RecordingApp(create_app(sqlite_url, ops=None))
    with browser.served(app) as base, browser.chromium(tmp_path / "profile") as driver:
        yield driver, base, app.paths, ids
    app.app.state.engine.dispose()


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_a_folded_query_typed_in_the_search_box_finds_the_article(web):
    from selenium.webdriver.common.by import By

    driver, base, _paths, ids = web
    driver.get(base + "/search")
    box = driver.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("hoi cho")  # typed without a Vietnamese keyboard
    box.submit()
    hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
    assert [h.get_attribute("data-article") for h in hits] == [str(ids["fair"])]
    title = hits[0].find_element(By.CSS_SELECTOR, "a.title")
    assert title.text == "Hội chợ triển lãm công nghiệp nông thôn 2025"
    assert [m.text for m in title.find_elements(By.TAG_NAME, "mark")] == ["Hội", "chợ"]
    title.click()
    assert driver.find_element(By.ID, "article-title").text.startswith("Hội chợ triển lãm")
    assert _console_errors(driver) == []


def test_the_diff_view_shows_the_edited_words(web):
    from selenium.webdriver.common.by import By

    driver, base, _paths, ids = web
    driver.get(f"{base}/articles/{ids['fair']}")
    driver.find_element(By.CSS_SELECTOR, "form.diff button").click()  # v1 → v2, the default
    diff = driver.find_element(By.ID, "text-diff")
    assert [d.text for d in diff.find_elements(By.TAG_NAME, "del")] == ["500", "tỉnh."]
    assert [i.text for i in diff.find_elements(By.TAG_NAME, "ins")] == ["650", "nước."]
    assert _console_errors(driver) == []


def test_the_captured_page_runs_no_archived_script(web):
    from selenium.webdriver.common.by import By

    driver, base, paths, ids = web
    driver.get(f"{base}/articles/{ids['hostile']}")  # the captured page in its sandboxed iframe
    frame = driver.find_element(By.CSS_SELECTOR, "section.captured iframe")
    driver.switch_to.frame(frame)
    assert "Cảnh báo hàng giả" in driver.find_element(By.TAG_NAME, "body").text
    for link in driver.find_elements(By.TAG_NAME, "a"):
        link.click()  # the javascript: link was emptied
    driver.switch_to.default_content()
    driver.get(f"{base}/articles/{ids['hostile']}/versions/1/captured")  # and opened on its own
    assert driver.title == "hostile"  # the archived script would have set it to PWNED
    driver.get(f"{base}/articles/{ids['hostile']}")
    assert driver.find_element(By.ID, "article-title").text.startswith("<script>alert('title')</script>")
    assert not [p for p in paths if "pwned" in p], paths  # no script, handler or form fetched anything
    assert _console_errors(driver) == []


def test_no_console_errors_on_any_page(web):
    driver, base, _paths, ids = web
    for path in ["/search", "/search?q=cong+thuong", "/search?q=-x", f"/articles/{ids['funding']}",
                 f"/articles/{ids['fair']}/versions/1", "/flags", "/sites"]:
        driver.get(base + path)
        errors = [e for e in _console_errors(driver) if "400 (Bad Request)" not in e]
        assert errors == [], (path, errors)
