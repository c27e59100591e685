"""The pathway catalogue: one entry per ``PathwayKind``, plain frozen values in code.

Each pathway has a staff title and description, a typical duration, the documents it needs,
whether it needs a valid passport to start, its ordered steps (each with the typical number of
days from the start, which gives a case's steps their due dates) and the public source it was
written from. The sources are the public pages named in ``source`` (read from memory of those
pages, to be reviewed by the organisation; nothing is fetched).

The **information sheet** is separate from the staff text: a few short paragraphs in plain
administrative words the caseworker may send to the person's status page. A seized phone shows
it, so a sheet never names a destination, a country, a route, an airline, a date or a number of
days, and never says anything a coercer could use: nothing about who the person is or loves,
leaving, fleeing, asylum, refugees, persecution or a named programme ("the programme your
caseworker described"; ``test_pathway_sheets`` checks every sheet in every public language and
the English words). Staff titles may say "Canada"; sheets never do.

Passports: travel to claim asylum on arrival and an emergency visa both need the person to
travel, so a valid passport (or an emergency travel document) is needed to start. UNHCR
registration and a resettlement referral, Canada's GAR, PSR/BVOR and human-rights-defender
referrals and support in place all start without one: UNHCR registers people without papers,
and Canada issues a single-journey travel document to resettled refugees who hold no passport
(IRCC, "Resettlement from outside Canada": "Travel documents"; UNHCR Resettlement Handbook,
chapter 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.travel.choices import PathwayKind


@dataclass(frozen=True)
class Step:
    """A step of a pathway: ``code`` is stored on the case's step row; ``days`` is the typical
    number of days from the pathway's start by which it is done."""

    code: str
    title: Promise
    days: int


@dataclass(frozen=True)
class Pathway:
    kind: PathwayKind
    title: Promise
    description: Promise
    duration: Promise
    documents: tuple[Promise, ...]
    needs_passport: bool
    steps: tuple[Step, ...]
    source: str
    sheet: tuple[Promise, ...]

    def step(self, code: str) -> Step | None:
        return next((s for s in self.steps if s.code == code), None)


# Every sheet ends with this paragraph.
_NO_PASSWORDS = _(
    "Our staff will never ask you for a password or a code, on this page or anywhere else. "
    "If someone does, do not answer and tell your caseworker."
)

_CATALOGUE: tuple[Pathway, ...] = (
    Pathway(
        kind=PathwayKind.ASYLUM_ON_ARRIVAL,
        title=PathwayKind.ASYLUM_ON_ARRIVAL.label,
        description=_(
            "The person travels on their own passport, by a route the caseworker has checked, "
            "to a country where they can claim asylum at the border or soon after arrival, "
            "and is met and supported through the claim by a partner organisation there."
        ),
        duration=_("2 to 8 weeks to leave; the claim itself takes 6 to 24 months"),
        documents=(
            _("A valid passport (or an emergency travel document)"),
            _("Any visa the route needs"),
            _("Evidence of the persecution feared, copied and kept safely"),
            _("Identity documents, birth certificate if available"),
        ),
        needs_passport=True,
        steps=(
            Step("check_documents", _("Check passport validity and visas needed"), 3),
            Step("plan_route", _("Plan and save a route that avoids criminalising countries"), 7),
            Step("arrange_reception", _("Arrange reception by a partner at the destination"), 14),
            Step("fund_travel", _("Fund and book the travel"), 21),
            Step("brief_person", _("Brief the person on travel safety and the claim"), 24),
            Step("travel", _("Person travels"), 30),
            Step("claim_lodged", _("Asylum claim lodged"), 35),
            Step("first_interview", _("First interview or hearing attended"), 120),
        ),
        source=(
            "UNHCR Guidelines on International Protection No. 9 (claims based on sexual "
            "orientation and/or gender identity, 2012); EU Asylum Procedures Directive "
            "2013/32/EU; IRB Chairperson's Guideline 9"
        ),
        sheet=(
            _(
                "This is the process your caseworker described to you. Your caseworker looks "
                "after the paperwork with you; you do not need to arrange anything on your own."
            ),
            _(
                "Keep your documents safe and together, and keep this page private. Your "
                "caseworker will explain the next steps over your usual safe channel."
            ),
            _(
                "The first steps usually take a few weeks; the whole process can take many "
                "months. You will be supported while you wait."
            ),
            _NO_PASSWORDS,
        ),
    ),
    Pathway(
        kind=PathwayKind.UNHCR_RESETTLEMENT,
        title=PathwayKind.UNHCR_RESETTLEMENT.label,
        description=_(
            "The person registers with UNHCR in the country they are in (or one they can "
            "reach), is recognised as a refugee, and UNHCR refers them to a resettlement "
            "state; LGBTIQ+ refugees at risk are a resettlement priority (Handbook, "
            "'Legal and/or physical protection needs' and 'Women and girls at risk')."
        ),
        duration=_("6 months to 3 years"),
        documents=(
            _("Any identity document (a passport is not needed to register)"),
            _("A written account of what happened and why return is unsafe"),
            _("Evidence of the risk, if it can be kept safely"),
        ),
        needs_passport=False,
        steps=(
            Step("contact_unhcr", _("Contact the UNHCR office or hotline"), 7),
            Step("register", _("Registration interview"), 30),
            Step("rsd_interview", _("Refugee status determination interview"), 120),
            Step("recognised", _("Recognised as a refugee"), 180),
            Step("referral", _("Referred for resettlement"), 270),
            Step("state_interview", _("Interview by the resettlement state"), 400),
            Step("medical_security", _("Medical and security checks"), 480),
            Step("departure", _("Departure arranged"), 540),
        ),
        source=(
            "UNHCR Resettlement Handbook (2011, updated chapters), chapters 5-7; UNHCR "
            "Projected Global Resettlement Needs"
        ),
        sheet=(
            _(
                "This is the programme your caseworker described to you. You can start even if "
                "some of your documents are missing."
            ),
            _(
                "There are several appointments. Your caseworker will help you prepare for "
                "each one and will explain the next steps over your usual safe channel. Keep "
                "any documents you have safe."
            ),
            _(
                "The process is long: often many months, sometimes more than a year. Your "
                "caseworker will stay in touch with you through this page."
            ),
            _NO_PASSWORDS,
        ),
    ),
    Pathway(
        kind=PathwayKind.CANADA_GAR,
        title=PathwayKind.CANADA_GAR.label,
        description=_(
            "A refugee recognised by UNHCR (or a referral organisation) is referred to Canada, "
            "interviewed by a visa office and, if accepted, resettled with government support "
            "for the first year. Referral partners such as Rainbow Railroad work with UNHCR."
        ),
        duration=_("12 to 36 months from referral"),
        documents=(
            _("UNHCR refugee recognition or a referral"),
            _("Identity documents if any (a passport is not needed)"),
            _("Forms IMM 0008 and Schedule A, prepared with the visa office"),
        ),
        needs_passport=False,
        steps=(
            Step("referral", _("Referral submitted by UNHCR or a referral partner"), 30),
            Step("application", _("Application forms completed"), 90),
            Step("interview", _("Visa office interview"), 300),
            Step("medical", _("Immigration medical examination"), 360),
            Step("security", _("Security and criminality checks cleared"), 420),
            Step("visa_issued", _("Permanent resident visa and travel document issued"), 480),
            Step("departure", _("Departure and arrival support arranged"), 540),
        ),
        source=(
            "IRCC, 'Government-Assisted Refugees program'; IRCC, 'Resettlement from outside "
            "Canada'; UNHCR Resettlement Handbook, country chapter: Canada"
        ),
        sheet=(
            _(
                "This is the programme your caseworker described to you. You can start even if "
                "some of your documents are missing."
            ),
            _(
                "There are some appointments and checks along the way. Your caseworker will "
                "tell you about each one in good time and help you prepare."
            ),
            _(
                "It usually takes more than a year. Keep your documents safe and your contact "
                "details up to date with us; your caseworker will explain the next steps over "
                "your usual safe channel."
            ),
            _NO_PASSWORDS,
        ),
    ),
    Pathway(
        kind=PathwayKind.CANADA_PSR_BVOR,
        title=PathwayKind.CANADA_PSR_BVOR.label,
        description=_(
            "A group of people in Canada (a Sponsorship Agreement Holder, a Group of Five or a "
            "community sponsor) sponsors the refugee and supports them for a year; under "
            "BVOR the government shares the cost for a refugee UNHCR has referred. The "
            "Rainbow Refugee Assistance Partnership pairs LGBTQ+ refugees with sponsors."
        ),
        duration=_("12 to 36 months from the sponsorship application"),
        documents=(
            _("Refugee recognition by UNHCR or a state (for a Group of Five or community)"),
            _("Identity documents if any (a passport is not needed)"),
            _("The sponsors' undertaking and settlement plan"),
        ),
        needs_passport=False,
        steps=(
            Step("find_sponsor", _("Sponsor group found"), 60),
            Step("application", _("Sponsorship and refugee applications submitted"), 120),
            Step("sponsor_approved", _("Sponsorship approved"), 200),
            Step("interview", _("Visa office interview"), 360),
            Step("medical_security", _("Medical and security checks"), 450),
            Step("visa_issued", _("Permanent resident visa and travel document issued"), 540),
            Step("departure", _("Departure and arrival support arranged"), 600),
        ),
        source=(
            "IRCC, 'Private Sponsorship of Refugees Program guide'; IRCC, 'Blended Visa "
            "Office-Referred Program'; IRCC, 'Rainbow Refugee Assistance Partnership'"
        ),
        sheet=(
            _(
                "This is the programme your caseworker described to you. Your caseworker "
                "looks after the forms with you; you can start even if some of your documents "
                "are missing."
            ),
            _(
                "There are some appointments and checks along the way. Keep your documents "
                "safe; your caseworker will explain the next steps over your usual safe "
                "channel."
            ),
            _(
                "It usually takes more than a year. Your caseworker will tell you about each "
                "step through this page."
            ),
            _NO_PASSWORDS,
        ),
    ),
    Pathway(
        kind=PathwayKind.HUMAN_RIGHTS_DEFENDER,
        title=PathwayKind.HUMAN_RIGHTS_DEFENDER.label,
        description=_(
            "For a person at risk because of their human-rights work, including LGBTQ+ "
            "activism: referred by UNHCR or a designated organisation (e.g. Front Line "
            "Defenders, ProtectDefenders.eu) to a dedicated resettlement stream such as "
            "Canada's human-rights-defenders stream, or to temporary relocation."
        ),
        duration=_("3 to 18 months"),
        documents=(
            _("Evidence of the human-rights work and of the risk it brings"),
            _("A referral by UNHCR or a designated partner organisation"),
            _("Identity documents if any (a passport is not needed to be referred)"),
        ),
        needs_passport=False,
        steps=(
            Step("evidence", _("Evidence of the work and risk gathered"), 14),
            Step("referral", _("Referral by a designated organisation"), 45),
            Step("application", _("Application completed"), 90),
            Step("interview", _("Interview"), 180),
            Step("medical_security", _("Medical and security checks"), 240),
            Step("departure", _("Departure arranged"), 300),
        ),
        source=(
            "IRCC, 'Resettlement of human rights defenders' (stream launched 2023); Front "
            "Line Defenders and ProtectDefenders.eu temporary relocation programmes"
        ),
        sheet=(
            _(
                "This is the programme your caseworker described to you. You can start even if "
                "some of your documents are missing."
            ),
            _(
                "Your caseworker will help you gather the papers the process needs and keep "
                "them safe. Do not keep copies on this phone."
            ),
            _(
                "It can take from a few months to more than a year, with an appointment and "
                "some checks. Your caseworker will explain the next steps over your usual "
                "safe channel."
            ),
            _NO_PASSWORDS,
        ),
    ),
    Pathway(
        kind=PathwayKind.EMERGENCY_VISA,
        title=PathwayKind.EMERGENCY_VISA.label,
        description=_(
            "A request to a government for a humanitarian or emergency visa (for example a "
            "national humanitarian visa or a visa on humanitarian grounds) so the person can "
            "travel and claim protection on arrival; decided at the government's discretion."
        ),
        duration=_("2 weeks to 6 months"),
        documents=(
            _("A valid passport (or an emergency travel document)"),
            _("Evidence of the immediate risk"),
            _("A letter of support from the organisation"),
            _("Photographs and the visa application form"),
        ),
        needs_passport=True,
        steps=(
            Step("choose_government", _("Choose the government to ask"), 3),
            Step("prepare_request", _("Prepare the request and letter of support"), 10),
            Step("submit_request", _("Request submitted at an embassy or online"), 14),
            Step("biometrics", _("Biometrics or interview appointment"), 30),
            Step("decision", _("Decision received"), 60),
            Step("travel", _("Person travels"), 75),
        ),
        source=(
            "EU Visa Code (Regulation 810/2009), article 25 (limited territorial validity on "
            "humanitarian grounds); national humanitarian visa schemes as published by each "
            "government"
        ),
        sheet=(
            _(
                "This is the request your caseworker described to you. The answer is not ours "
                "to give and can be no."
            ),
            _(
                "Keep your documents safe and together. Your caseworker prepares the request "
                "with you and may ask you to attend an appointment."
            ),
            _(
                "An answer usually comes within a few weeks or months. Your caseworker will "
                "tell you through this page when there is news and will explain the next "
                "steps over your usual safe channel."
            ),
            _NO_PASSWORDS,
        ),
    ),
    Pathway(
        kind=PathwayKind.SUPPORT_IN_PLACE,
        title=PathwayKind.SUPPORT_IN_PLACE.label,
        description=_(
            "Safety where the person is now, while or instead of leaving: a safer place to "
            "stay, emergency funds, legal aid, medical and psychological care, digital "
            "security, and regular safety check-ins."
        ),
        duration=_("As long as needed; reviewed every 4 weeks"),
        documents=(_("None required"),),
        needs_passport=False,
        steps=(
            Step("safety_plan", _("Safety plan agreed"), 3),
            Step("safe_housing", _("Safer housing arranged if needed"), 14),
            Step("funds", _("Emergency funds sent if needed"), 14),
            Step("care", _("Legal, medical or psychological support arranged"), 30),
            Step("review", _("Safety reviewed"), 60),
        ),
        source=(
            "UNHCR 'Need to Know Guidance: Working with LGBTIQ+ Persons in Forced "
            "Displacement'; ILGA World and Front Line Defenders digital security guides"
        ),
        sheet=(
            _(
                "This is practical help with your everyday needs and wellbeing, for as long as "
                "you need it."
            ),
            _(
                "Your caseworker will agree with you who to contact and how, and how to keep "
                "your phone and messages private."
            ),
            _(
                "Your caseworker will check in with you regularly through this page and will "
                "explain any next steps over your usual safe channel."
            ),
            _NO_PASSWORDS,
        ),
    ),
)

_BY_KIND: dict[str, Pathway] = {p.kind.value: p for p in _CATALOGUE}


def all_pathways() -> tuple[Pathway, ...]:
    """Every pathway, in the order of ``PathwayKind``."""
    return _CATALOGUE


def pathway(kind: str) -> Pathway:
    """The catalogue entry of a kind (KeyError for an unknown kind)."""
    return _BY_KIND[kind]


def pathways_without_passport() -> list[Pathway]:
    """The pathways that still apply when the person holds no valid passport."""
    return [p for p in _CATALOGUE if not p.needs_passport]
