"""The authorisation walk's expectations for the reports exports pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import Expect

EXPECTATIONS: dict[str, Expect] = {}
