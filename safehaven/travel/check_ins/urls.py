"""This feature's URLs, added to ``travel.urls``."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
