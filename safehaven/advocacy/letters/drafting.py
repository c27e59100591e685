"""The generated draft of a request's letter: the government, the programme, the counts of
people and cases and the crisis, in the page's language. Counts only: never a person."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safehaven.advocacy.choices import AdvocacyKind
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.requests.counts import RequestCounts
from safehaven.intake.submission.place_names import country_choices


def government_name(advocacy_request: AdvocacyRequest) -> str:
    return dict(country_choices()).get(advocacy_request.government, advocacy_request.government)


def _who(counts: RequestCounts) -> str:
    people = ngettext("%(count)s person", "%(count)s people", counts.people) % {
        "count": counts.people
    }
    households = ngettext("%(count)s household", "%(count)s households", counts.cases) % {
        "count": counts.cases
    }
    return f"{people} ({households})"


def _crisis_sentence(advocacy_request: AdvocacyRequest) -> str:
    crisis = advocacy_request.crisis
    if crisis is None:
        return ""
    if crisis.ends_on is None:
        return _("They are fleeing %(crisis)s, which began on %(starts)s.") % {
            "crisis": crisis.name,
            "starts": date_format(crisis.starts_on),
        }
    return _("They fled %(crisis)s, from %(starts)s to %(ends)s.") % {
        "crisis": crisis.name,
        "starts": date_format(crisis.starts_on),
        "ends": date_format(crisis.ends_on),
    }


def _origins(counts: RequestCounts) -> str:
    if len(counts.by_country) < 2:
        return ""
    parts = [
        ngettext("%(country)s: %(count)s person", "%(country)s: %(count)s people", item.people)
        % {"country": item.name, "count": item.people}
        for item in counts.by_country
    ]
    return _("By country of origin: %(list)s.") % {"list": "; ".join(parts)}


def generated_letter(advocacy_request: AdvocacyRequest, counts: RequestCounts) -> str:
    """A first draft for the officer to edit, from the request and its counts today."""
    values = {
        "organisation": advocacy_request.organisation.name,
        "government": government_name(advocacy_request),
        "programme": advocacy_request.programme,
        "who": _who(counts),
    }
    if advocacy_request.kind == AdvocacyKind.EMERGENCY_VISA:
        ask = _(
            "%(organisation)s asks the Government of %(government)s to issue emergency visas, "
            "under %(programme)s, to %(who)s in danger because of their sexual orientation or "
            "gender identity."
        )
    else:
        ask = _(
            "%(organisation)s asks the Government of %(government)s to grant protection, under "
            "%(programme)s, to %(who)s in danger because of their sexual orientation or gender "
            "identity."
        )
    paragraphs = [
        _("To: %(contact)s") % {"contact": advocacy_request.contact},
        " ".join(part for part in (ask % values, _crisis_sentence(advocacy_request)) if part),
        _origins(counts),
        _(
            "Our caseworkers know each of them. Those who agreed to be named are listed in a "
            "confidential annex, sent separately. We ask that this request and its annex be "
            "kept in confidence: their lives depend on it."
        ),
        _("Yours faithfully,") + "\n" + advocacy_request.organisation.name,
    ]
    return "\n\n".join(part for part in paragraphs if part)
