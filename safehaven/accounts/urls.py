from django.urls import path

from safehaven.accounts import views, views_admin
from safehaven.accounts.approvals import views as approval_views
from safehaven.accounts.audit_views import show_audit_log

urlpatterns = [
    path("staff/", views.show_home, name="accounts-show-home"),
    path(
        "staff/teams/<int:team_id>/share-key/<int:user_id>/",
        views.share_team_key,
        name="accounts-share-team-key",
    ),
    path("staff/duress-password/", views.set_duress_password, name="accounts-set-duress-password"),
    path("staff/invite/<str:token>/", views.accept_invite, name="accounts-accept-invite"),
    path("staff/admin/people/", views_admin.list_staff, name="accounts-list-staff"),
    path("staff/admin/people/invite/", views_admin.invite_staff, name="accounts-invite-staff"),
    path(
        "staff/admin/invites/<int:invite_id>/revoke/",
        views_admin.revoke_invite,
        name="accounts-revoke-invite",
    ),
    path("staff/admin/people/<int:user_id>/", views_admin.show_user, name="accounts-show-user"),
    path(
        "staff/admin/people/<int:user_id>/roles/",
        views_admin.grant_role,
        name="accounts-grant-role",
    ),
    path(
        "staff/admin/people/<int:user_id>/suspend/",
        views_admin.suspend_user,
        name="accounts-suspend-user",
    ),
    path(
        "staff/admin/people/<int:user_id>/reinstate/",
        views_admin.reinstate_user,
        name="accounts-reinstate-user",
    ),
    path(
        "staff/admin/people/<int:user_id>/reset-password/",
        views_admin.reset_password,
        name="accounts-reset-password",
    ),
    path(
        "staff/admin/people/<int:user_id>/unlock/",
        views_admin.unlock_user,
        name="accounts-unlock-user",
    ),
    path(
        "staff/admin/people/<int:user_id>/restore-keys/",
        views_admin.restore_after_duress,
        name="accounts-restore-after-duress",
    ),
    path(
        "staff/admin/roles/<int:membership_id>/remove/",
        views_admin.remove_membership,
        name="accounts-remove-membership",
    ),
    path(
        "staff/admin/organisations/",
        views_admin.list_organisations,
        name="accounts-list-organisations",
    ),
    path(
        "staff/admin/organisations/add/",
        views_admin.add_organisation,
        name="accounts-add-organisation",
    ),
    path("staff/admin/teams/add/", views_admin.add_team, name="accounts-add-team"),
    path("staff/admin/approvals/", approval_views.list_approvals, name="accounts-list-approvals"),
    path(
        "staff/admin/approvals/<int:approval_id>/approve/",
        approval_views.approve_change,
        name="accounts-approve-change",
    ),
    path(
        "staff/admin/approvals/<int:approval_id>/refuse/",
        approval_views.refuse_change,
        name="accounts-refuse-change",
    ),
    path("staff/admin/audit/", show_audit_log, name="accounts-show-audit-log"),
]
