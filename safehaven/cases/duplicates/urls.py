from django.urls import path

from safehaven.cases.duplicates import views

urlpatterns = [
    path("staff/duplicates/", views.list_duplicates, name="cases-list-duplicates"),
    path(
        "staff/duplicates/<int:case_id>/<int:other_id>/",
        views.compare_cases,
        name="cases-compare-cases",
    ),
    path(
        "staff/duplicates/<int:case_id>/<int:other_id>/distinct/",
        views.mark_cases_distinct,
        name="cases-mark-cases-distinct",
    ),
    path(
        "staff/duplicates/<int:case_id>/<int:other_id>/merge/",
        views.merge_cases,
        name="cases-merge-cases",
    ),
]
