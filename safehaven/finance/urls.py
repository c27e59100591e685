"""Every URL of finance: each feature package keeps its own ``urls.py``, added here."""

from django.urls import URLPattern

from safehaven.finance.donations.urls import urlpatterns as donations
from safehaven.finance.exports.urls import urlpatterns as exports
from safehaven.finance.funds.urls import urlpatterns as funds
from safehaven.finance.statements.urls import urlpatterns as statements

urlpatterns: list[URLPattern] = [
    *funds,
    *donations,
    *exports,
    *statements,
]
