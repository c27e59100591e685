"""What each role can do next, for the staff home page, and the staff menu by role."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import Role, Team, User
from safehaven.keys.teams import members_awaiting_team_key


@dataclass(frozen=True)
class Step:
    title: str | Promise
    description: str | Promise
    url_name: str
    url: str = ""


ROLE_STEPS: dict[Role, list[Step]] = {
    Role.TRIAGE: [
        Step(
            _("Review new help requests"),
            _("Most at risk first. Open one to read it and answer the person."),
            "cases-list-requests",
        )
    ],
    Role.SUPERVISOR: [
        Step(
            _("Review new help requests"),
            _("See what triage is working on and who is most at risk."),
            "cases-list-requests",
        )
    ],
    Role.CASEWORKER: [
        Step(
            _("Your cases"),
            _("The cases assigned to you, your tasks by due date, and new activity."),
            "cases-show-my-work",
        ),
        Step(
            _("Requests shared with you"),
            _("Help requests a member of the triage team shared with you, most at risk first."),
            "cases-list-shared-requests",
        ),
    ],
    Role.PARTNER: [
        Step(
            _("Your referrals"),
            _("People your organisation referred, and where they stand."),
            "partners-list-referrals",
        )
    ],
    Role.FINANCE: [
        Step(
            _("Funds and grants"),
            _("Funds and appeals, donations, grants waiting for a decision, the ledger."),
            "finance-list-funds",
        )
    ],
    Role.ADVOCACY: [
        Step(
            _("Requests to governments"),
            _("Emergency-visa and protection requests: their letters, status and counts."),
            "advocacy-list-requests",
        )
    ],
    Role.ADMIN: [
        Step(
            _("Manage staff and partners"),
            _("Invite people, grant roles, suspend an account, unlock a locked login."),
            "accounts-list-staff",
        ),
        Step(
            _("Organisations and teams"),
            _("Add partner organisations and the teams that share case keys."),
            "accounts-list-organisations",
        ),
        Step(
            _("Read the audit log"),
            _("Every change and every read of a case, in a chain that cannot be quietly edited."),
            "accounts-show-audit-log",
        ),
    ],
}


def next_steps_for(user: User, roles: frozenset[str]) -> list[Step]:
    steps: list[Step] = []
    seen: set[str] = set()
    for role in Role:
        if role.value not in roles:
            continue
        for step in ROLE_STEPS.get(role, []):
            if step.url_name in seen:
                continue
            seen.add(step.url_name)
            steps.append(Step(step.title, step.description, step.url_name, reverse(step.url_name)))
    return steps


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url_name: str
    url: str = ""


# Each page with the permission its view requires: the menu never shows a link that would be
# refused. A duress session gets the same menu as its role (the pages show decoys then).
MENU: list[tuple[Perm, MenuLink]] = [
    (Perm.TRIAGE_REQUESTS, MenuLink(_("Requests"), "cases-list-requests")),
    (Perm.OPEN_CASES, MenuLink(_("Cases"), "cases-list-cases")),
    (Perm.OPEN_CASES, MenuLink(_("My cases"), "cases-show-my-work")),
    (Perm.MANAGE_CASES, MenuLink(_("New case from a call"), "cases-open-case-from-call")),
    (Perm.VIEW_REFERRALS, MenuLink(_("Referrals"), "partners-list-referrals")),
    (Perm.VIEW_SHARED_REQUESTS, MenuLink(_("Shared with you"), "cases-list-shared-requests")),
    (Perm.VIEW_REFERRALS, MenuLink(_("API tokens"), "partners-list-api-tokens")),
    (Perm.OPEN_CASES, MenuLink(_("Countries"), "countries-list-countries")),
    (Perm.ADVOCATE, MenuLink(_("Advocacy"), "advocacy-list-requests")),
    (Perm.MANAGE_FINANCE, MenuLink(_("Funds"), "finance-list-funds")),
    (Perm.VIEW_REPORTS, MenuLink(_("Reports"), "reports-show-dashboard")),
    (Perm.MANAGE_STAFF, MenuLink(_("Staff"), "accounts-list-staff")),
    (Perm.MANAGE_STAFF, MenuLink(_("Organisations"), "accounts-list-organisations")),
    (Perm.MANAGE_PARTNERS, MenuLink(_("Partners"), "partners-list-partners")),
    (Perm.MANAGE_STAFF, MenuLink(_("Approvals"), "accounts-list-approvals")),
    (Perm.MANAGE_STAFF, MenuLink(_("Crises"), "countries-list-crises")),
    (Perm.MANAGE_REPORTS, MenuLink(_("Goals and past totals"), "reports-list-goals")),
    (Perm.MANAGE_REPORTS, MenuLink(_("Retention"), "reports-show-retention")),
    (Perm.VIEW_AUDIT, MenuLink(_("Audit log"), "accounts-show-audit-log")),
]


def menu_for(user: User) -> list[MenuLink]:
    """The staff menu's pages for ``user``'s roles, between Home and Security."""
    return [
        MenuLink(link.label, link.url_name, reverse(link.url_name))
        for need, link in MENU
        if has_perm(user, need)
    ]


@dataclass(frozen=True)
class WaitingTeammate:
    team: Team
    user: User


def teammates_awaiting_key(user: User) -> list[WaitingTeammate]:
    """New members of the user's teams who cannot open team records until someone who holds
    the team key passes it on."""
    waiting = []
    for team in Team.objects.filter(memberships__user=user).distinct():
        for teammate in members_awaiting_team_key(team):
            if teammate.pk != user.pk:
                waiting.append(WaitingTeammate(team, teammate))
    return waiting
