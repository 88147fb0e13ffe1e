"""The suite writes nothing into the checkout: databases, feeds, logs go to temp dirs.

``conftest.py`` takes a :func:`snapshot` of the checkout when the session starts (in
the controller process, not in xdist workers) and fails the session when
:func:`written` finds files that appeared since, or untracked files that changed (an
appended ``data/flagged.atom``). Caches that are not ours (bytecode, pytest's, ruff's,
the virtualenv) are left out.
"""

from __future__ import annotations

import os
from pathlib import Path

SKIP_DIRS = frozenset({".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache",
                       ".mypy_cache", "node_modules"})


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Relative path → (size, mtime in ns) of every file under ``root`` but caches."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in filenames:
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            try:
                st = path.lstat()
            except OSError:
                continue
            out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def written(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]],
            tracked: set[str]) -> list[str]:
    """Files new since ``before``, and untracked ones that changed (sorted)."""
    new = [p for p in after if p not in before]
    changed = [p for p, st in after.items() if p in before and p not in tracked and before[p] != st]
    return sorted(new + changed)


def tracked_files(root: Path) -> set[str]:
    import subprocess

    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {p for p in out.stdout.decode("utf-8", "replace").split("\0") if p}
