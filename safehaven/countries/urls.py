from django.urls import path

from safehaven.countries.country_pages import views as country_pages
from safehaven.countries.crises import views as crises
from safehaven.countries.crisis_pages import views as crisis_pages

urlpatterns = [
    path("staff/countries/", country_pages.list_countries, name="countries-list-countries"),
    path("staff/countries/figures/", country_pages.show_figures, name="countries-show-figures"),
    path(
        "staff/countries/facts/<int:fact_id>/change/",
        country_pages.change_fact,
        name="countries-change-fact",
    ),
    path("staff/countries/<str:iso2>/", country_pages.show_country, name="countries-show-country"),
    path("staff/crises/", crises.list_crises, name="countries-list-crises"),
    path("staff/crises/new/", crises.record_crisis, name="countries-record-crisis"),
    path("staff/crises/<int:crisis_id>/", crises.change_crisis, name="countries-change-crisis"),
    # Public: the page of an open crisis, for its people (no login, no cookie).
    path(
        "crisis/<int:crisis_id>/",
        crisis_pages.show_crisis_page,
        name="countries-show-crisis-page",
    ),
]
