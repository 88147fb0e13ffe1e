"""Screenshots of the web interface for the README: docs/search.png and docs/article.png.

    .venv/bin/python scripts/screenshots.py

Serves the tests' sample archive (tests/archive/read/conftest.py) read-only with
``sct-archive serve``'s application and photographs two pages with Debian's headless
chromium (tests/browser.py). Re-run it after changing the templates or the CSS.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.read.web.app import create_app  # noqa: E402
from archive.storage.store import Archive  # noqa: E402
from tests import browser  # noqa: E402
from tests.archive.read.conftest import fill  # noqa: E402


def main() -> int:
    why = browser.available()
    if why:
        print(why, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/archive.sqlite3"
        with Archive.open(url) as archive:
            ids = fill(archive)
        app = create_app(url, ops=None)
        with browser.served(app) as base, browser.chromium(Path(tmp) / "profile") as driver:
            driver.set_window_size(1280, 860)
            driver.get(base + "/search?q=cong+thuong")
            driver.save_screenshot(str(ROOT / "docs" / "search.png"))
            driver.set_window_size(1280, 1400)
            driver.get(f"{base}/articles/{ids['funding']}")
            driver.save_screenshot(str(ROOT / "docs" / "article.png"))
        app.state.engine.dispose()
    print("wrote docs/search.png and docs/article.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
