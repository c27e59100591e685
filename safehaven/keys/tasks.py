"""Background work of the key layer (Django Tasks; ``manage.py db_worker`` runs it).

Task arguments are stored in clear by the task backend, so they are ids only: never a key,
a password, a codename or a value.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils.translation import gettext as _

from safehaven.accounts.models import Role, Team, User
from safehaven.keys.actions.rewraps import do_rewrap_team_records


@task()
def rewrap_team_records(team_id: int) -> int:
    """Layer every record wrap of ``team`` that is under an old key version under the active
    one (after a rotation). Needs no private key, so it runs with nobody present."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return 0
    return do_rewrap_team_records(team, actor=None)


@task()
def send_duress_alert(user_id: int) -> int:
    """Mail every other active administrator a neutral notice; the audit log says who.

    A mail box may be read by the very people the duress password is for, so neither the
    subject nor the body names the person or the reason.
    """
    admins = (
        User.objects.filter(is_active=True, memberships__role=Role.ADMIN)
        .exclude(pk=user_id)
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for admin in admins:
        sent += send_mail(
            subject=_("Workspace notice"),
            message=_(
                "An account in the workspace needs an administrator's attention.\n\n"
                "Sign in and open the audit log for details."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[admin.email],
        )
    return sent
