"""Public pages of the site: the landing page and the quick exit."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from safehaven.core.middleware import clear_site_data


@login_not_required
@require_safe
def show_landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html", {"public_page": True})


@login_not_required
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once: forget this site in the browser and land somewhere ordinary."""
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    return clear_site_data(response)
