"""The partner API's OpenAPI schema and its docs page, served by this app.

Both are public: they describe operations, not data (every operation needs a token). The docs
page is Swagger UI from django-ninja's own static files (no CDN): its scripts are files of this
origin (allowed by the site's ``script-src 'self'``) and its settings a JSON data block, which
CSP does not treat as a script; it needs no inline script or style, so it runs under the site's
strict CSP as it is (a browser test checks for violations).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safehaven.partners.api.api import api


def api_root() -> str:
    """The path every operation's route is relative to (``/api/partners/v1/``)."""
    return reverse("partners-api-show-schema").removesuffix("openapi.json")


@login_not_required
@require_GET
def show_schema(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix=api_root())
    return JsonResponse(dict(schema), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def show_docs(request: HttpRequest) -> HttpResponse:
    swagger_settings = {
        "url": reverse("partners-api-show-schema"),
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise send the schema's address to validator.swagger.io.
        "validatorUrl": None,
    }
    return render(
        request,
        "partners/api_docs.html",
        {"swagger_settings": swagger_settings, "title": api.title},
    )
