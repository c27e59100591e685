"""The caseworker's own page's sections: how a higher app (travel) lists what is due for the
user there without ``cases`` importing it, like ``cases.panels`` for the case page.

A section reads only clear columns, never opens anything (the page's rule), and gets the cases
the page may show: none in a duress session, so it shows nothing there either.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string

from safehaven.accounts.models import User
from safehaven.cases.models import Case

# (the user, the cases of theirs the page may show, today) -> the template's context.
SectionContext = Callable[[User, QuerySet[Case], datetime.date], dict[str, object]]


@dataclass(frozen=True)
class MyWorkSection:
    name: str
    template: str  # in the app that registers it
    context: SectionContext


_SECTIONS: dict[str, MyWorkSection] = {}


def register_my_work_section(name: str, template: str, context: SectionContext) -> None:
    """Add a section (in an ``AppConfig.ready``). A name registered twice is a wiring error."""
    if name in _SECTIONS:
        raise ValueError(f"A my-work section named {name!r} is already registered.")
    _SECTIONS[name] = MyWorkSection(name, template, context)


def my_work_sections() -> list[MyWorkSection]:
    """Every registered section, in the order registered."""
    return list(_SECTIONS.values())


def render_my_work_sections(
    request: HttpRequest, user: User, cases: QuerySet[Case], today: datetime.date
) -> list[str]:
    """Each section rendered for ``user``, given the cases the page may show."""
    return [
        render_to_string(section.template, section.context(user, cases, today), request=request)
        for section in my_work_sections()
    ]
