"""The staff home page's sections: how a higher app (travel's journey alerts) shows something
there without ``accounts`` importing it, like ``cases.panels`` for the case page.

A section reads clear columns only and opens nothing; its context function returns None when
it has nothing to show the user. In a duress session the page shows no section at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string

from safehaven.accounts.models import User
from safehaven.keys.login_key import is_duress_session

# (the request, the logged-in user) -> the template's context, or None: nothing to show.
HomeSectionContext = Callable[[HttpRequest, User], dict[str, object] | None]


@dataclass(frozen=True)
class HomeSection:
    name: str
    template: str  # in the app that registers it
    context: HomeSectionContext


_SECTIONS: dict[str, HomeSection] = {}


def register_home_section(name: str, template: str, context: HomeSectionContext) -> None:
    """Add a section (in an ``AppConfig.ready``). A name registered twice is a wiring error."""
    if name in _SECTIONS:
        raise ValueError(f"A home section named {name!r} is already registered.")
    _SECTIONS[name] = HomeSection(name, template, context)


def home_sections() -> list[HomeSection]:
    """Every registered section, in the order registered."""
    return list(_SECTIONS.values())


def render_home_sections(request: HttpRequest, user: User) -> list[str]:
    """Each section with something to show ``user``, rendered; none in a duress session."""
    if is_duress_session(request):
        return []
    rendered: list[str] = []
    for section in home_sections():
        context = section.context(request, user)
        if context is not None:
            rendered.append(render_to_string(section.template, context, request=request))
    return rendered
