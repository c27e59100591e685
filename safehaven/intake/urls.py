from django.urls import path

from safehaven.intake import views

urlpatterns = [
    path("help/", views.show_request_form, name="intake-show-request-form"),
]
