from django.urls import URLPattern, URLResolver, path

from safehaven.partners.vetting import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/partners/", views.list_partners, name="partners-list-partners"),
    path(
        "staff/partners/<int:organisation_id>/vetting/",
        views.change_vetting,
        name="partners-change-vetting",
    ),
    path(
        "staff/partners/<int:organisation_id>/suspend/",
        views.suspend_partner,
        name="partners-suspend-partner",
    ),
]
