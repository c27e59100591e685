"""This feature's URLs, added to ``finance.urls``: a journal entry and its reversal."""

from django.urls import URLPattern, path

from safehaven.finance.corrections import views

ENTRY = "staff/finance/entries/<int:entry_id>/"

urlpatterns: list[URLPattern] = [
    path(ENTRY, views.show_entry, name="finance-show-entry"),
    path(f"{ENTRY}reverse/", views.reverse_entry, name="finance-reverse-entry"),
]
