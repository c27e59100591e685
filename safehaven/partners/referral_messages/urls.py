from django.urls import path

from safehaven.partners.referral_messages import views

urlpatterns = [
    path(
        "staff/requests/<int:request_id>/partner-messages/",
        views.show_referral_messages,
        name="partners-show-referral-messages",
    ),
]
