"""What the partner API takes and gives, as the OpenAPI schema shows it.

A referral in has the same string fields as the portal's form and the CSV header (the form
validates them: these types only say "a string"). Nothing out is sealed: a referral is its
number, the month it arrived, its channel and the neutral status its partner may see.
"""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict, Field


class ReferralIn(Schema):
    """One person referred. Required: ``situation``, ``country`` and ``consent`` ("yes": the
    person agreed to be referred); every other field may be left out."""

    model_config = ConfigDict(extra="forbid")

    known_as: str = Field("", description="The name the person uses (sealed).")
    situation: str = Field(description="What is happening to the person (sealed).")
    country: str = Field(description="Where the person is: ISO 3166-1 alpha-2, e.g. RU.")
    region: str = Field("", description="Region or city, free text (sealed).")
    languages: str = Field("", description="Language codes, separated by spaces or commas.")
    contact_method: str = Field("", description="How to reach the person safely.")
    contact: str = Field("", description="The handle or number for that method (sealed).")
    contact_times: str = Field("", description="When it is safe to make contact (sealed).")
    may_leave_message: str = Field("", description='"yes" or "no".')
    risk_indicators: str = Field("", description="Risk indicator keys, separated by commas.")
    companions: str = Field("", description="How many people travel with the person, 0-20.")
    page_language: str = Field("", description="The person's language: en, ru, ar, fr, es, fa.")
    consent: str = Field(description='"yes": the person agreed to be referred.')


class ReferralOut(Schema):
    id: int
    received_month: str = Field(description="The month the referral arrived, YYYY-MM.")
    channel: str = Field(description="form, portal, api or import.")
    status: str = Field(description="The neutral status a referring partner may see.")


class ReferralCreated(Schema):
    id: int
    status: str


class ReferralsImported(Schema):
    count: int
    ids: list[int]


class ReferralPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ReferralOut]


class FieldError(Schema):
    field: str = Field(description='The field, or "" for the request as a whole.')
    message: str


class RowProblemOut(Schema):
    line: int = Field(description="The line of the CSV text (the header is line 1).")
    message: str


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: list[FieldError]


class RowProblemsOut(Schema):
    detail: str
    problems: list[RowProblemOut]
