from django.urls import path

from safehaven.core import views

urlpatterns = [
    path("", views.show_landing, name="core-show-landing"),
    path("clear/", views.show_clearing_help, name="core-show-clearing-help"),
]
