"""The API token pages of a partner organisation (language-prefixed, like every page)."""

from django.urls import URLPattern, URLResolver, path

from safehaven.partners.api import token_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("partners/api-tokens/", token_views.list_api_tokens, name="partners-list-api-tokens"),
    path(
        "partners/api-tokens/new/",
        token_views.create_api_token,
        name="partners-create-api-token",
    ),
    path(
        "partners/api-tokens/<int:token_id>/revoke/",
        token_views.revoke_api_token,
        name="partners-revoke-api-token",
    ),
]
