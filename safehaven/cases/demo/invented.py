"""The invented people and paths of the demo cases: their requests, the state each case is
moved to and the reasons given on the way. Everything here is invented."""

from __future__ import annotations

from dataclasses import dataclass

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.opening.actions import CallDetails
from safehaven.intake.submission.request_draft import HelpRequestDraft

S = CaseState
APPROVE = "approve"  # a step of a demo case's path: the checklist, asked for, approved
VERIFIED_PATH: list[CaseState | str] = [S.VERIFICATION, APPROVE]
ARRIVED_PATH = [*VERIFIED_PATH, S.PLANNING, S.TRAVEL_BOOKED, S.IN_TRANSIT, S.ARRIVED]

REASONS: dict[CaseState | str, str] = {
    S.VERIFICATION: "Screened: the story is consistent; ready to verify.",
    APPROVE: "Identity, risk and identity as LGBTQ+ confirmed.",
    S.PLANNING: "Verified; planning the safest route.",
    S.TRAVEL_BOOKED: "Tickets and transit visa in hand.",
    S.IN_TRANSIT: "Left this morning with a partner's escort.",
    S.ARRIVED: "Arrived and met at the airport.",
    S.POST_ARRIVAL: "Housing found; the support period starts.",
    S.WAITLISTED: "Safe for now; waiting for a place in the programme.",
    S.DECLINED: "Outside our mandate; the person was told why.",
    S.REFERRED_OUT: "A partner closer to the person can help faster.",
    S.WITHDRAWN: "The person asked us to stop.",
    S.LOST_CONTACT: "No answer on any channel for three weeks.",
    S.CLOSED: "Nothing more to do on this case.",
}


def draft(
    situation: str, country: str, languages: tuple[str, ...], **values: object
) -> HelpRequestDraft:
    base: dict[str, object] = {
        "situation": situation,
        "country": country,
        "region": "",
        "citizenships": (country,),
        "languages": languages,
        "language_other": "",
        "contacts": {"signal": "demo.case.person"},
        "contact_times": "",
        "may_leave_message": False,
        "risk_indicators": frozenset({"threats_community"}),
        "companions": 0,
        "passport": "unknown",
        "visas": "",
        "referral_code": "",
        "checkin_phrase": "",
        "duress_phrase": "",
        "page_language": languages[0] if languages[0] in ("ru", "fa", "ar", "fr", "es") else "en",
    }
    return HelpRequestDraft(**{**base, **values})  # type: ignore[arg-type]


RU, UG, IR, NG = "RU", "UG", "IR", "NG"
STORIES = {
    RU: ("Меня ищут родственники после того, как узнали обо мне. Я прячусь у знакомых.", ("ru",)),  # noqa: RUF001
    UG: ("My landlord evicted me and a crowd threatened me at the market.", ("en", "sw")),
    IR: ("پلیس اخلاق مرا دو بار بازداشت کرده است و خانواده‌ام تهدیدم می‌کنند.", ("fa",)),
    NG: ("My name was printed in a newspaper list. People came to my workplace.", ("en",)),
}


@dataclass(frozen=True)
class DemoCase:
    """A demo case: opened from a request in ``country`` and moved along ``path``."""

    label: str
    country: str
    path: list[CaseState | str]
    outcome: CaseOutcome | None = None
    caseworker: bool = False


DEMO_CASES = [
    DemoCase("screening", UG, []),
    DemoCase("verified", IR, VERIFIED_PATH, caseworker=True),
    DemoCase("planning (a household of two)", NG, [*VERIFIED_PATH, S.PLANNING], caseworker=True),
    DemoCase("travel booked", RU, [*VERIFIED_PATH, S.PLANNING, S.TRAVEL_BOOKED]),
    DemoCase("in transit", UG, ARRIVED_PATH[:-1]),
    DemoCase("arrived", IR, ARRIVED_PATH),
    DemoCase("post-arrival support", NG, [*ARRIVED_PATH, S.POST_ARRIVAL]),
    DemoCase("waitlisted", UG, [S.WAITLISTED], caseworker=True),
    DemoCase("declined", NG, [S.DECLINED]),
    DemoCase("referred elsewhere", IR, [S.REFERRED_OUT]),
    DemoCase("withdrawn", RU, [S.VERIFICATION, S.WITHDRAWN]),
    DemoCase("lost contact", NG, [S.LOST_CONTACT]),
    DemoCase("closed: relocated", RU, [*ARRIVED_PATH, S.CLOSED], CaseOutcome.RELOCATED),
    DemoCase(
        "closed: supported in place", UG, [*VERIFIED_PATH, S.CLOSED], CaseOutcome.SUPPORTED_IN_PLACE
    ),
    DemoCase("closed: referred", IR, [S.REFERRED_OUT, S.CLOSED], CaseOutcome.REFERRED),
    DemoCase("closed: ineligible", UG, [S.DECLINED, S.CLOSED], CaseOutcome.INELIGIBLE),
    DemoCase("closed: no contact", NG, [S.LOST_CONTACT, S.CLOSED], CaseOutcome.NO_CONTACT),
]

# The caseworker's showcase: someone from the Chechen Republic writing in Russian.
SHOWCASE_DRAFT = draft(
    "Меня задержали вместе с другом, отпустили только после того, как позвонили моему дяде. "  # noqa: RUF001
    "Теперь семья говорит, что я опозорил их. Я уехал в другой город, но меня там найдут.",
    RU,
    ("ru",),
    region="Чеченская Республика (демо)",
    contacts={"signal": "+7 900 000-17-01"},
    contact_times="днём, когда я один",
    risk_indicators=frozenset({"detained", "threats_family", "in_hiding"}),
    passport="valid",
    checkin_phrase="жёлтый трамвай",
    duress_phrase="старая лестница",
)
HOUSEHOLD_DRAFT = draft(
    "My partner already wrote to you. We live together and were attacked at home together.",
    NG,
    ("en",),
    contacts={"whatsapp": "+234 800 000 0017"},
    risk_indicators=frozenset({"violence", "outed"}),
)
CALL = CallDetails(
    country=RU,
    languages=["ru"],
    summary="Called from a borrowed phone: outed at work in Grozny, family threats (demo).",
    region="Чеченская Республика (демо)",
    citizenships="RU",
    contacts="Call back on the same number only between 12:00 and 13:00 (demo).",
    risk_score=70,
)
