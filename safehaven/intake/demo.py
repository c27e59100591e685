"""Demo help requests for `make demo`: invented people, stored through the real action, and a
proof that each demo user opens exactly the requests granted to them (or to their team).

Everything here is invented. Codenames are shown once in real life; the demo keeps them in
``var/demo-codenames.txt`` (demo mode only) so that a second `make demo` can print them again.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db.models import Q

from safehaven.accounts.demo import demo_password, load_demo_world
from safehaven.accounts.models import Team, TeamKind, User
from safehaven.accounts.seed import SEEDED_USERNAMES
from safehaven.core import demo
from safehaven.core.crypto import unprotect_with_password
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.intake.submission.actions import do_create_help_request
from safehaven.intake.submission.request_draft import HelpRequestDraft
from safehaven.keys.actions.records import do_grant_record
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, UserKeyPair
from safehaven.keys.records import can_open

DEMO_REFERRAL_CODES = {"partner_a": "DEMO-EAST-2026", "partner_b": "DEMO-SOUTH-2026"}


def _draft(**values: object) -> HelpRequestDraft:
    base: dict[str, object] = {
        "region": "",
        "language_other": "",
        "contact_times": "",
        "may_leave_message": False,
        "risk_indicators": frozenset(),
        "companions": 0,
        "passport": "unknown",
        "visas": "",
        "referral_code": "",
        "checkin_phrase": "",
        "duress_phrase": "",
    }
    return HelpRequestDraft(**{**base, **values})  # type: ignore[arg-type]


DEMO_DRAFTS = [
    _draft(
        situation="Соседи узнали обо мне и сообщили в полицию. Меня уже вызывали на допрос, "  # noqa: RUF001
        "сейчас я живу у подруги и боюсь выходить.",  # noqa: RUF001
        country="RU",
        region="Демо-область",
        citizenships=("RU",),
        languages=("ru",),
        contacts={"signal": "+7 900 000-00-01"},
        contact_times="вечером после 20:00 (Москва)",
        risk_indicators=frozenset({"detained", "threats_state", "in_hiding"}),
        passport="valid",
        referral_code=DEMO_REFERRAL_CODES["partner_a"],
        checkin_phrase="синий чайник",
        duress_phrase="зелёный зонт",
        page_language="ru",
    ),
    _draft(
        situation="My family found out and my brother threatens me. I need a safe place.",
        country="UZ",
        citizenships=("UZ",),
        languages=("uz", "ru"),
        contacts={"telegram": "@demo_person_two"},
        risk_indicators=frozenset({"threats_family", "outed"}),
        referral_code=DEMO_REFERRAL_CODES["partner_a"],
        page_language="en",
    ),
    _draft(
        situation="I lost my job after my colleagues saw my messages. I have no money for rent.",
        country="KG",
        citizenships=("KG",),
        languages=("ru",),
        contacts={"email": "demo.three@example.org"},
        may_leave_message=True,
        risk_indicators=frozenset({"threats_community"}),
        referral_code=DEMO_REFERRAL_CODES["partner_a"],
        page_language="ru",
    ),
    _draft(
        situation="أعيش مع شريكي وطفلين. هددنا أحد الجيران ونحتاج إلى سكن آمن.",
        country="LB",
        citizenships=("SY",),
        languages=("ar",),
        contacts={"whatsapp": "+961 70 000 004"},
        risk_indicators=frozenset({"threats_community", "violence"}),
        companions=3,
        passport="expired",
        referral_code=DEMO_REFERRAL_CODES["partner_b"],
        page_language="ar",
    ),
    _draft(
        situation="من بازداشت شده بودم و اکنون پنهان هستم. به داروی اچ‌آی‌وی نیاز دارم.",
        country="IR",
        citizenships=("IR",),
        languages=("fa",),
        contacts={"signal": "demo_five.42"},
        risk_indicators=frozenset({"detained", "in_hiding", "health"}),
        page_language="fa",
    ),
    _draft(
        situation="I would like to talk to someone about my options. I am safe for now.",
        country="UG",
        citizenships=("UG",),
        languages=("en", "sw"),
        contacts={"phone": "+256 700 000 006"},
        # An unknown code is treated exactly like no code.
        referral_code="NOT-A-REAL-CODE",
        page_language="en",
    ),
]
GRANTED_TO_CASEWORKER = 0  # index in DEMO_DRAFTS


def codenames_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-codenames.txt"


def _private_key(username: str) -> bytes:
    pair = UserKeyPair.objects.get(user__username=username)
    return unprotect_with_password(bytes(pair.protected_private_key), demo_password(username))


def _create_demo_requests() -> list[str]:
    teams = {
        name: Team.objects.get(organisation__name=organisation, kind=TeamKind.PARTNER)
        for name, organisation in (
            ("partner_a", "Rainbow Network East"),
            ("partner_b", "Queer Shelter South"),
        )
    }
    for name, code in DEMO_REFERRAL_CODES.items():
        do_create_referral_code(teams[name], actor=None, label="demo", code=code)
    codenames = [do_create_help_request(draft).codename for draft in DEMO_DRAFTS]
    requests = list(HelpRequest.objects.order_by("pk"))
    triage = User.objects.get(username="triage")
    triage_key = _private_key("triage")
    first = requests[GRANTED_TO_CASEWORKER]
    do_grant_record(
        first.record_id,
        to_user=User.objects.get(username="caseworker"),
        granter=triage,
        granter_private_key=triage_key,
        actor=triage,
    )
    do_reply_to_request(
        first,
        actor=triage,
        private_key=triage_key,
        text="Спасибо, что написали нам. Мы прочитали ваше сообщение. Когда вам безопасно "
        "говорить по Signal?",
    )
    path = codenames_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(codenames) + "\n")
    return codenames


def _granted_to(user: User, record_ids: list[uuid.UUID]) -> int:
    """How many of ``record_ids`` are wrapped to ``user`` or to a team they are a member of."""
    return (
        RecordKeyWrap.objects.filter(record_key__record_id__in=record_ids)
        .filter(
            Q(kind=RecordWrapKind.USER, user=user)
            | Q(kind=RecordWrapKind.TEAM, team__memberships__user=user)
        )
        .values("record_key")
        .distinct()
        .count()
    )


def _who_opens_what() -> list[str]:
    requests = list(HelpRequest.objects.filter(shredded_at__isnull=True).order_by("pk"))
    record_ids = [item.record_id for item in requests]
    lines = [
        "",
        f"Who opens which of the {len(requests)} requests, each key unlocked with its demo "
        "password",
        "(a request opens for the members of the teams it is wrapped to and for the users it "
        "was granted to, and for no one else):",
    ]
    for username in SEEDED_USERNAMES:
        user = User.objects.get(username=username)
        key = _private_key(username)
        opened = sum(can_open(item.record_id, user=user, private_key=key) for item in requests)
        granted = _granted_to(user, record_ids)
        verdict = "as granted" if opened == granted else f"MISMATCH: {granted} granted"
        lines.append(f"  {username:<12} opens {opened}  ({verdict})")
    return lines


@demo.register
def describe_demo_requests(base_url: str) -> list[str]:
    load_demo_world()
    codenames: list[str] = []
    if not HelpRequest.objects.exists():
        codenames = _create_demo_requests()
    elif codenames_file().exists():
        codenames = codenames_file().read_text(encoding="utf-8").splitlines()
    lines = [
        "",
        f"Help requests: triage reads them at {base_url}/en/staff/requests/ "
        "(log in as triage); partners in their portal, /en/partners/referrals/.",
        "Referral codes (type one into the form to refer a request to that partner):",
        f"  partner_a (Rainbow Network East): {DEMO_REFERRAL_CODES['partner_a']}",
        f"  partner_b (Queer Shelter South):  {DEMO_REFERRAL_CODES['partner_b']}",
    ]
    if len(codenames) == len(DEMO_DRAFTS):
        lines += [
            f"A requester's status page: {base_url}/ru/status/ with a codename, e.g.",
            f"  {codenames[0]}   (Russian, a reply from triage waiting;",
            "   check-in phrase “синий чайник”, danger phrase “зелёный зонт”)",
            f"  {codenames[4]}   (Persian)",
        ]
    return lines + _who_opens_what()
