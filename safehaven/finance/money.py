"""Money: ISO 4217 currencies with their own minor units, exact Decimal amounts, exchange rates.

Every amount the finance app stores or computes goes through here. Amounts are ``Decimal``
only (SECURITY.md: "Money is Decimal with ISO 4217 currency, never float"); an amount typed or
imported with more decimals than its currency has is refused, never rounded away, and a
conversion at a recorded rate is rounded to the target currency's minor unit half to even.
The currencies and their minor units are the curated table ``finance/data/currencies.csv``
(``data/SOURCE.md``: ISO 4217, not CLDR's accounting digits).

Columns: every amount is ``DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=
AMOUNT_PLACES)``, every rate ``DecimalField(max_digits=RATE_DIGITS, decimal_places=
RATE_PLACES)``. Fifteen significant digits at most, because SQLite hands a decimal column
back through a C double (exact to 15 digits, which Django's converter keeps). For the same
reason nothing sums amounts in SQL (SQLite's SUM adds in floating point): totals are summed
here, in Python, as Decimals.
"""

from __future__ import annotations

import copy
import csv
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from babel import Locale
from django.utils.translation import gettext as _

CURRENCIES_FILE = Path(__file__).resolve().parent / "data" / "currencies.csv"
MAX_MINOR_UNITS = 3
AMOUNT_DIGITS = 15
AMOUNT_PLACES = MAX_MINOR_UNITS
# Units of the target currency per unit of the source: 6 digits before the point (1 KWD is
# about 137,000 IRR) and 9 after (1 IRR is about 0.000007 KWD).
RATE_DIGITS = 15
RATE_PLACES = 9
LARGEST_AMOUNT = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES) - 1
LARGEST_RATE = Decimal(10) ** (RATE_DIGITS - RATE_PLACES)
# No amount or rate has more digits before the point than this (``1e30`` is refused as too
# large before anything quantises it: Decimal's 28-digit context cannot, and would raise).
LARGEST_EXPONENT = AMOUNT_DIGITS


class MoneyError(ValueError):
    """An amount, currency or rate that cannot be used; the message says why, for staff."""


@dataclass(frozen=True)
class Currency:
    code: str
    numeric: str
    minor_units: int
    name: str

    @property
    def quantum(self) -> Decimal:
        """The smallest amount: 1, 0.01 or 0.001."""
        return Decimal(1).scaleb(-self.minor_units)


@functools.cache
def currencies() -> dict[str, Currency]:
    """The curated ISO 4217 table, by code (read once per process)."""
    table: dict[str, Currency] = {}
    with CURRENCIES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            units = int(row["minor_units"])
            if not 0 <= units <= MAX_MINOR_UNITS:
                raise ValueError(f"{row['code']}: {units} minor units do not fit the columns")
            table[row["code"]] = Currency(row["code"], row["numeric"], units, row["name"])
    return table


def currency(code: str) -> Currency:
    """The currency of ``code`` (upper-case ISO 4217), or MoneyError."""
    found = currencies().get(str(code).strip().upper())
    if found is None:
        raise MoneyError(_("“%(code)s” is not a currency this organisation uses.") % {"code": code})
    return found


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code — name") for a form's select, by code."""
    return [(code, f"{code} — {entry.name}") for code, entry in sorted(currencies().items())]


def minor_units(code: str) -> int:
    return currency(code).minor_units


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        # A float has already lost the amount it was meant to hold.
        raise TypeError(f"amounts are Decimal, int or str, not {type(value).__name__}")
    try:
        number = Decimal(value.strip().replace(" ", "") if isinstance(value, str) else value)
    except InvalidOperation:
        raise MoneyError(_("“%(value)s” is not an amount.") % {"value": value}) from None
    if not number.is_finite():
        raise MoneyError(_("“%(value)s” is not an amount.") % {"value": value})
    if number and number.adjusted() >= LARGEST_EXPONENT:
        raise MoneyError(_("“%(value)s” is too large.") % {"value": value})
    return number


def amount_in(value: Decimal | int | str, code: str, *, allow_zero: bool = False) -> Decimal:
    """``value`` as an exact positive amount of ``code``, at its minor unit (``Decimal("12.5")``
    in USD is ``12.50``). Refused, with a message: more decimals than the currency has (12.345
    USD, 100.5 JPY), zero (unless ``allow_zero``), a negative amount, or one too large."""
    entry = currency(code)
    number = _decimal(value)
    if number > LARGEST_AMOUNT:
        raise MoneyError(_("This amount is too large."))
    if number != number.quantize(entry.quantum, rounding=ROUND_HALF_EVEN):
        raise MoneyError(
            _("%(code)s amounts have at most %(places)s decimals: “%(value)s” has more.")
            % {"code": entry.code, "places": entry.minor_units, "value": value}
        )
    if number < 0 or (number == 0 and not allow_zero):
        raise MoneyError(_("An amount must be more than zero."))
    return number.quantize(entry.quantum)


def rounded_to(value: Decimal, code: str) -> Decimal:
    """``value`` rounded half to even to ``code``'s minor unit (for conversions only: an amount
    someone typed goes through :func:`amount_in`, which refuses extra decimals)."""
    return _decimal(value).quantize(currency(code).quantum, rounding=ROUND_HALF_EVEN)


def exchange_rate(value: Decimal | int | str) -> Decimal:
    """A rate as entered (units of the target currency per unit of the source): positive, at
    most 9 decimals and 6 digits before the point. Never fetched: the app reaches no rate
    service (SECURITY.md, T8)."""
    number = _decimal(value)
    if number <= 0:
        raise MoneyError(_("An exchange rate must be more than zero."))
    if number >= LARGEST_RATE:
        raise MoneyError(_("This exchange rate is too large."))
    if number != number.quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_EVEN):
        raise MoneyError(
            _("An exchange rate has at most %(places)s decimals.") % {"places": RATE_PLACES}
        )
    return number


def converted(amount: Decimal, rate: Decimal, to_code: str) -> Decimal:
    """``amount`` (any currency) times ``rate``, rounded half to even to ``to_code``'s minor
    unit: how a payment or a donation in another currency is counted in the fund's. MoneyError
    when the result is larger than an amount column holds."""
    product = _decimal(amount) * exchange_rate(rate)
    if product > LARGEST_AMOUNT + 1 or rounded_to(product, to_code) > LARGEST_AMOUNT:
        raise MoneyError(_("At this rate the amount is too large."))
    return rounded_to(product, to_code)


@dataclass(frozen=True, order=True)
class Money:
    """An amount with its currency. Adding or comparing two currencies raises MoneyError."""

    currency: str
    amount: Decimal

    @classmethod
    def zero(cls, code: str) -> Money:
        return cls(currency(code).code, Decimal(0).quantize(currency(code).quantum))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.currency, self.amount + other.amount)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.currency, self.amount - other.amount)

    def __neg__(self) -> Money:
        return Money(self.currency, -self.amount)

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency}"


def plain(value: Decimal, code: str) -> str:
    """``value`` at ``code``'s minor unit, without grouping (for messages: ``0.01``)."""
    return f"{rounded_to(value, code):f}"


def canonical(value: Decimal | None, places: int = AMOUNT_PLACES) -> str:
    """``value`` as the column stores it (``100.000`` for 100 USD, whether it was read back or
    not): what seals and tags bind, so that a row reads the same before and after a save."""
    if value is None:
        return "-"
    return f"{_decimal(value).quantize(Decimal(1).scaleb(-places)):f}"


def format_money(amount: Decimal, code: str, locale: str = "en") -> str:
    """``amount`` in ``locale``'s currency format with exactly ``code``'s ISO minor units
    (Babel's own choice of digits is CLDR's, not ISO's)."""
    entry = currency(code)
    parsed = Locale.parse(locale.replace("-", "_"))
    pattern = copy.copy(parsed.currency_formats["standard"])
    pattern.frac_prec = (entry.minor_units, entry.minor_units)
    return str(
        pattern.apply(rounded_to(amount, code), parsed, currency=code, currency_digits=False)
    )
