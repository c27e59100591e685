"""Every URL of the site. Language-specific pages carry the language in the prefix, so
choosing a language never needs a cookie."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

from safehaven.core import views as core_views

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

urlpatterns: list[URLPattern | URLResolver] = [
    path("exit", core_views.quick_exit, name="core-quick-exit"),
    # The partner API: for programs, not people, so no language prefix (docs/partners.md).
    path("api/partners/v1/", include("safehaven.partners.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("safehaven.core.urls")),
    path("", include("safehaven.countries.urls")),
    path("", include("safehaven.intake.urls")),
    path("", include("safehaven.cases.urls")),
    path("", include("safehaven.travel.urls")),
    path("", include("safehaven.finance.urls")),
    path("", include("safehaven.partners.urls")),
    path("", include("safehaven.advocacy.urls")),
    path("", include("safehaven.reports.urls")),
    path("", include("safehaven.accounts.urls")),
    path("accounts/", include("safehaven.accounts.urls_allauth")),
)
