from django.urls import URLPattern, URLResolver, include, path

from safehaven.partners.portal import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("partners/referrals/", views.list_referrals, name="partners-list-referrals"),
    path("partners/refer/", views.refer_person, name="partners-refer-person"),
    path(
        "partners/referrals/<int:request_id>/",
        views.show_referral,
        name="partners-show-referral",
    ),
    path(
        "partners/referrals/<int:request_id>/messages/",
        views.send_referral_message,
        name="partners-send-referral-message",
    ),
    path(
        "partners/referrals/<int:request_id>/evidence/",
        views.add_referral_evidence,
        name="partners-add-referral-evidence",
    ),
    path("partners/import/", views.import_referrals, name="partners-import-referrals"),
    # The staff side of the same messages (not a portal page: staff only).
    path("", include("safehaven.partners.referral_messages.urls")),
]
