"""Docs that match the code: settings, commands in the README."""

from __future__ import annotations

import re
from pathlib import Path

import crawler.settings as settings

ROOT = Path(__file__).resolve().parents[1]


def test_settings_doc_names_every_archive_setting():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    in_code = {name for name in vars(settings) if name.startswith("ARCHIVE_")}
    in_doc = set(re.findall(r"`(ARCHIVE_[A-Z_]+)`", doc))
    assert in_code - in_doc == set(), "add these to docs/settings.md"
    assert in_doc - in_code == set(), "docs/settings.md names settings that do not exist"


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == "exec ./scripts/test"


def test_readme_command_table_matches_the_cli():
    from click.testing import CliRunner

    from archive.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`sct-archive ([a-z]+)", readme))
    listed = set(cli.list_commands(None))
    assert named <= listed, named - listed
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
