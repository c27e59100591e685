"""The partner portal's pages (language-prefixed). The API has its own root in
``safehaven/urls.py``: it is not a page and takes no language prefix."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("safehaven.partners.portal.urls")),
    path("", include("safehaven.partners.vetting.urls")),
    path("", include("safehaven.partners.api.page_urls")),
]
