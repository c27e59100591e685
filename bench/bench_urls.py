"""URLs for ``bench/intake.py``: the whole site plus a *floor* view (``/en/bench/floor/``).

The floor view is the cheapest request that does what intake must do at the least: go through
the same middleware stack, then commit one row to the same SQLite database (WAL,
``synchronous=FULL``, ``BEGIN IMMEDIATE``). It inserts one ``django.contrib.sessions`` Session
row through the ORM inside ``transaction.atomic``: a table every install has, with no foreign
keys or signals, that nothing in the app reads during the benchmark (the rows expire at once
and the benchmark database is deleted afterwards). Using the ORM rather than raw SQL keeps the
comparison fair: intake also writes through the ORM.

The site's URL list is concatenated, not ``include()``-d: Django refuses ``i18n_patterns`` in
an included URLconf.
"""

import secrets

from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from safehaven.urls import urlpatterns as site_urlpatterns

FLOOR_MARKER = "floor ok"


@login_not_required
@csrf_exempt
def floor_view(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        Session.objects.create(
            session_key=secrets.token_hex(20), session_data="", expire_date=timezone.now()
        )
    return HttpResponse(FLOOR_MARKER, content_type="text/plain; charset=utf-8")


urlpatterns: list[URLPattern | URLResolver] = [
    # Under the language prefix like the request form (/en/help/): an unprefixed path costs
    # the locale middleware a failed, uncached language lookup on every request (~6% of the
    # floor's time), which would make the floor slower than a bare view is.
    *i18n_patterns(path("bench/floor/", floor_view, name="bench-floor")),
    *site_urlpatterns,
]
