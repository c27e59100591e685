"""Demo partners for `make demo`, through the real actions with the demo users' own keys:
Rainbow Network East (partner A) vetted with a review date, Queer Shelter South (partner B)
pending; four referrals from partner A (one through the portal, one through the API with a
token, two in a crisis batch file), none with a codename; triage moves the portal referral to
"being reviewed", so the partner sees a status change; a message each way about it; and
one API token of partner A, whose secret is never printed (it is shown once in real life, and
the demo does not need it).

Registered by ``PartnersConfig.ready``, after the intake, cases, travel and finance steps.
Everything here is invented: the people, their names, numbers and stories are not real.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from safehaven.accounts.demo import load_demo_world
from safehaven.accounts.models import Organisation
from safehaven.cases.demo.steps import _key, _user
from safehaven.core import demo
from safehaven.intake.choices import RequestChannel, RequestStatus
from safehaven.intake.handling.actions import do_change_request_status
from safehaven.intake.models import HelpRequest
from safehaven.partners.api.tokens import do_create_api_token
from safehaven.partners.choices import MessageDirection, VettingStatus
from safehaven.partners.models import ApiToken, PartnerVetting, ReferralMessage
from safehaven.partners.referral_messages.actions import do_send_referral_message
from safehaven.partners.referrals.actions import do_import_referrals, do_refer_person
from safehaven.partners.referrals.forms import ReferralDraft, ReferralForm
from safehaven.partners.vetting.actions import do_change_partner_vetting

PARTNER_A = "Rainbow Network East"
PARTNER_B = "Queer Shelter South"
MEMBER = "partner_a"
DAY = datetime.timedelta(days=1)
API_CLIENT_LABEL = "Field office laptop (demo)"

PORTAL_REFERRAL = {
    "known_as": "Тимур (демо)",
    "situation": "Его задержали на улице и продержали ночь в отделе. Сейчас он прячется у нас "  # noqa: RUF001
    "в шелтере и просит помочь уехать.",
    "country": "RU",
    "region": "Демо-район",
    "languages": "ru, ce",
    "contact_method": "signal",
    "contact": "+7 900 000-00-21",
    "contact_times": "после 19:00 (Москва)",
    "may_leave_message": "no",
    "risk_indicators": "detained, in_hiding",
    "companions": "0",
    "page_language": "ru",
    "consent": "yes",
}
API_REFERRAL = {
    "situation": "Her parents found her messages and locked her at home; she got out and is "
    "staying with a friend we know.",
    "country": "KZ",
    "languages": "ru, kk",
    "contact_method": "telegram",
    "contact": "@demo_partner_api",
    "risk_indicators": "threats_family, outed",
    "page_language": "ru",
    "consent": "yes",
}
# A crisis batch file, as a partner would upload it (UTF-8 CSV with a header of field names).
BATCH_FILE = (
    "known_as,situation,country,languages,contact_method,contact,risk_indicators,"
    "companions,page_language,consent\n"
    '"Demo-Adam","Named in a list passed around by the police; hiding with his partner.",'
    'RU,ru,phone,+7 900 000-00-22,"threats_state, in_hiding",1,ru,yes\n'
    ',"Lost his job and his flat after a video of him was posted; needs a safe place.",'
    'RU,ru,,,"outed, threats_community",0,en,yes\n'
)
TO_PARTNER = "Спасибо, мы прочитали. Может ли он говорить по Signal завтра вечером?"
FROM_PARTNER = "Мы проверили его историю на месте: всё сходится. Он в безопасности до пятницы."  # noqa: RUF001


def _draft(values: dict[str, str]) -> ReferralDraft:
    form = ReferralForm(values)
    if not form.is_valid():
        raise ValueError(f"demo referral does not pass the form: {form.errors.as_json()}")
    return form.draft()


def _vet(partner_a: Organisation, partner_b: Organisation) -> None:
    admin = _user("admin")
    do_change_partner_vetting(
        partner_a,
        status=VettingStatus.VETTED,
        notes="Demo: known to us since 2017; checked through two regional groups we trust.",
        review_on=timezone.localdate() + 180 * DAY,
        actor=admin,
    )
    do_change_partner_vetting(
        partner_b,
        status=VettingStatus.PENDING,
        notes="Demo: introduced by a partner; references asked for.",
        review_on=timezone.localdate() + 30 * DAY,
        actor=admin,
    )


def _refer(partner_a: Organisation) -> None:
    member = _user(MEMBER)
    portal = do_refer_person(
        _draft(PORTAL_REFERRAL),
        organisation=partner_a,
        channel=RequestChannel.PORTAL,
        actor=member,
    )
    token, _secret = do_create_api_token(
        organisation=partner_a, label=API_CLIENT_LABEL, valid_days=90, actor=member
    )
    # The secret is dropped here: it is shown once in real life, and the demo needs none.
    do_refer_person(
        _draft(API_REFERRAL), organisation=partner_a, channel=RequestChannel.API, token=token
    )
    do_import_referrals(
        BATCH_FILE, organisation=partner_a, channel=RequestChannel.IMPORT, actor=member
    )
    triage = _user("triage")
    do_change_request_status(
        portal, actor=triage, private_key=_key("triage"), status=RequestStatus.REVIEWING
    )
    do_send_referral_message(
        portal,
        direction=MessageDirection.FROM_STAFF,
        text=TO_PARTNER,
        actor=triage,
        private_key=_key("triage"),
    )
    do_send_referral_message(
        portal,
        direction=MessageDirection.FROM_PARTNER,
        text=FROM_PARTNER,
        actor=member,
        private_key=_key(MEMBER),
    )


def _create_demo_partners() -> None:
    partner_a = Organisation.objects.get(name=PARTNER_A)
    partner_b = Organisation.objects.get(name=PARTNER_B)
    _vet(partner_a, partner_b)
    _refer(partner_a)


@demo.register
def describe_demo_partners(base_url: str) -> list[str]:
    load_demo_world()
    partners = Organisation.objects.filter(name__in=(PARTNER_A, PARTNER_B))
    if partners.count() == 2 and not PartnerVetting.objects.filter(organisation__in=partners):
        _create_demo_partners()
    referred = HelpRequest.objects.filter(referred_by__name=PARTNER_A)
    ways = ", ".join(
        f"{label}: {referred.filter(channel=value).count()}"
        for value, label in RequestChannel.choices
    )
    return [
        "",
        f"Partners: {PARTNER_A} is vetted, {PARTNER_B} pending "
        f"({base_url}/en/staff/partners/ as admin). {PARTNER_A}'s referrals: "
        f"{referred.count()} ({ways}); messages about them: "
        f"{ReferralMessage.objects.filter(help_request__in=referred).count()}; API tokens: "
        f"{ApiToken.objects.filter(organisation__name=PARTNER_A).count()} (its secret is not "
        "shown again).",
        f"  Log in as `{MEMBER}` for the partner portal, in Russian: "
        f"{base_url}/ru/partners/referrals/ (refer someone: {base_url}/ru/partners/refer/).",
        f"  The API's documentation: {base_url}/api/partners/v1/docs",
    ]
