"""The flag rules' version, recorded with every flag; bump it when a rule changes, then ``reflag``."""

from __future__ import annotations

RULES_VERSION = "2026.12.1"
THRESHOLD = 0.5
