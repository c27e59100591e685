"""The staff menu of the base template, by role."""

from django import template

from safehaven.accounts.home import MenuLink, menu_for
from safehaven.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_menu(context: template.Context) -> list[MenuLink]:
    user = context.get("user")
    if not isinstance(user, User) or not user.is_active:
        return []
    return menu_for(user)
