"""``{% what_happens_next %}``: what a person who asked for help can expect, with the answer
time the organisation sets (``INTAKE_ANSWER_DAYS``), for the receipt and the status page."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("intake/_what_happens_next.html")
def what_happens_next() -> dict[str, int]:
    return {"answer_days": settings.INTAKE_ANSWER_DAYS}
