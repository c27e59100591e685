"""This feature's URLs, added to ``travel.urls``."""

from django.urls import URLPattern, path

from safehaven.travel.on_call import views

urlpatterns: list[URLPattern] = [
    path("staff/on-call/", views.show_on_call, name="travel-show-on-call"),
    path("staff/on-call/add/", views.add_on_call_shift, name="travel-add-on-call-shift"),
    path("staff/on-call/remove/", views.remove_on_call_shift, name="travel-remove-on-call-shift"),
]
