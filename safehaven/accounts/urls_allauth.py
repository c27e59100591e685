"""The parts of allauth this site uses. Sign-up, password reset by e-mail, login by code and
passkey-only login are left out on purpose (SECURITY.md): their routes do not exist."""

from allauth.account import views as account_views
from allauth.mfa.urls import urlpatterns as mfa_urlpatterns
from django.urls import include, path

from safehaven.accounts.mfa_decoys import guarded_mfa_urlpatterns

urlpatterns = [
    path("login/", account_views.login, name="account_login"),
    path("logout/", account_views.logout, name="account_logout"),
    path("inactive/", account_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account_views.password_change, name="account_change_password"),
    # Under duress the second-factor pages are decoys (mfa_decoys.py).
    path("2fa/", include(guarded_mfa_urlpatterns(mfa_urlpatterns))),
]
