from django.urls import path

from safehaven.core import views

urlpatterns = [
    path("", views.show_landing, name="core-show-landing"),
]
