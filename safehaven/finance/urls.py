"""Every URL of finance: each feature package keeps its own ``urls.py``, added here."""

from django.urls import URLPattern

from safehaven.finance.corrections.urls import urlpatterns as corrections
from safehaven.finance.disbursements.urls import urlpatterns as disbursements
from safehaven.finance.donations.urls import urlpatterns as donations
from safehaven.finance.exports.urls import urlpatterns as exports
from safehaven.finance.funds.urls import urlpatterns as funds
from safehaven.finance.grants.urls import urlpatterns as grants
from safehaven.finance.statements.urls import urlpatterns as statements

urlpatterns: list[URLPattern] = [
    *grants,
    *disbursements,
    *corrections,
    *funds,
    *donations,
    *exports,
    *statements,
]
