"""Public pages of the site: the landing page, the quick exit, how to clear this site from a
browser, and the error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.http import require_http_methods, require_safe

from safehaven.core.compression import compressed_when_read, compressible
from safehaven.core.middleware import clear_site_data
from safehaven.core.uploads.handlers import UploadTooLarge
from safehaven.core.uploads.sanitise import too_large_message


@login_not_required
@require_safe
@compressed_when_read
def show_landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html", {"public_page": True})


@login_not_required
@require_safe
@compressed_when_read
def show_clearing_help(request: HttpRequest) -> HttpResponse:
    """How to remove this site from a browser's history and data, for each kind of device."""
    return render(request, "core/clearing_help.html", {"public_page": True})


@login_not_required
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once: forget this site in the browser and land somewhere ordinary."""
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    return clear_site_data(response)


# Django's own error pages (templates/400.html...), which echo nothing of the request, marked
# to be compressed: a person on a slow link may land on one.
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, UploadTooLarge):
        # A real person's photo, too large: say so, with what to do instead.
        page = loader.get_template("core/upload_too_large.html")
        return compressible(HttpResponse(page.render({"message": too_large_message()}), status=413))
    return compressible(defaults.bad_request(request, exception))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return compressible(defaults.permission_denied(request, exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return compressible(defaults.page_not_found(request, exception))


def server_error(request: HttpRequest) -> HttpResponse:
    return compressible(defaults.server_error(request))
