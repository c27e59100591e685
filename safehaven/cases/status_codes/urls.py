from django.urls import URLPattern, URLResolver, path

from safehaven.cases.status_codes import views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "staff/requests/<int:request_id>/status-code/",
        views.issue_status_code,
        name="cases-issue-status-code",
    ),
]
