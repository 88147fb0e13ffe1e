"""The layout's import rules (pyproject.toml ``[tool.importlinter]``) hold.

A wrong import — the archive importing the crawler, the language package importing
storage, the flags importing the CLI — fails here, and so in CI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_package_says_what_lives_there_and_what_it_may_import():
    packages = [p.parent for p in ROOT.glob("*/**/__init__.py")
                if p.parts[len(ROOT.parts)] in ("archive", "crawler", "scheduler")
                and "migrations" not in p.parts]
    assert len(packages) >= 10
    for pkg in packages:
        doc = (pkg / "__init__.py").read_text(encoding="utf-8").lstrip()
        assert doc.startswith('"""'), f"{pkg.relative_to(ROOT)} has no docstring"
        assert "import" in doc.split('"""')[1].lower(), f"{pkg.relative_to(ROOT)}: say what it may import"
