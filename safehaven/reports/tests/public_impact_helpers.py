"""Helpers for the public impact page's tests: the page as an anonymous reader gets it on a
given day, and what a reader can take from it (the figures by id, the countries table)."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client

from safehaven.reports.public_impact import views

IMPACT_URL = "/en/impact/"
LANGUAGE_CODES = ("en", "ru", "ar", "fr", "es", "fa")

_ORIGINS = re.compile(
    r'<section aria-labelledby="origins-heading" id="origins">(.*?)</section>', re.S
)
_TABLE = re.compile(r'<table class="chart-table">(.*?)</table>', re.S)
_ROW = re.compile(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', re.S)
_MAIN = re.compile(r'<main id="main"[^>]*>(.*?)</main>', re.S)
_CUT_OFF_DAY = re.compile(r"\d{1,2} (March|June|September|December) \d{4}")


def on_day(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    """Make the page believe today is ``day`` (in the organisation's reporting zone)."""
    monkeypatch.setattr(views, "reporting_today", lambda *organisations: day)


def read_page(day: datetime.date, monkeypatch: pytest.MonkeyPatch, language: str = "en") -> str:
    """The page an anonymous reader saves on ``day`` (a fresh browser: no cookie)."""
    on_day(monkeypatch, day)
    response = Client().get(f"/{language}/impact/")
    assert response.status_code == 200
    return str(response.content.decode())


def figure(page: str, figure_id: str) -> str:
    """The text of the element with ``figure_id``, or "" when the page has none."""
    found = re.search(rf'id="{figure_id}"[^>]*>(.*?)</', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def origins_section(page: str) -> str:
    """The countries section as printed, chart (with its id) and table."""
    section = _ORIGINS.search(page)
    assert section, "the page has no countries section"
    return section.group(1)


def everything_shown(page: str) -> str:
    """The page's content as a reader sees it, every figure, chart and id included, with only
    the cut-off day (which moves each quarter by design) blanked."""
    main = _MAIN.search(page)
    assert main, "the page has no main element"
    return _CUT_OFF_DAY.sub("DAY", main.group(1))


def origins_table(page: str) -> dict[str, str]:
    """What the countries table publishes: label -> figure as printed."""
    section = _ORIGINS.search(page)
    assert section, "the page has no countries section"
    table = _TABLE.search(section.group(1))
    if table is None:
        return {}
    return {html.unescape(label): value for label, value in _ROW.findall(table.group(1))}


def as_number(text: Any) -> int:
    return int(str(text).replace(",", "").replace("\u00a0", "").replace(" ", ""))
