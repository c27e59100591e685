"""This feature's URLs, added to ``travel.urls``."""

from django.urls import URLPattern, path

from safehaven.travel.referral_packages.views import (
    make_referral_package,
    record_referral_consent,
    withdraw_referral_consent,
)

urlpatterns: list[URLPattern] = [
    path(
        "staff/cases/<int:case_id>/travel/referrals/consents/new/",
        record_referral_consent,
        name="travel-record-referral-consent",
    ),
    path(
        "staff/cases/<int:case_id>/travel/referrals/consents/<int:consent_id>/withdraw/",
        withdraw_referral_consent,
        name="travel-withdraw-referral-consent",
    ),
    path(
        "staff/cases/<int:case_id>/travel/referrals/consents/<int:consent_id>/package/",
        make_referral_package,
        name="travel-make-referral-package",
    ),
]
