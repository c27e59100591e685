"""Money: the curated ISO 4217 table, exact amounts at each currency's minor unit, rates and
conversions, and that the finance app never touches a float."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pycountry
import pytest
from babel.numbers import get_currency_precision

from safehaven.finance import money
from safehaven.finance.money import (
    Money,
    MoneyError,
    amount_in,
    canonical,
    converted,
    currencies,
    exchange_rate,
    format_money,
    minor_units,
)

FINANCE = Path(money.__file__).resolve().parent
# ISO 4217 minor units that CLDR's accounting digits (Babel) give otherwise: data/SOURCE.md.
CLDR_DIFFERS = {"AFN", "ALL", "COP", "HUF", "IDR", "IQD", "IRR", "LBP", "SYP", "YER"}


def test_it_knows_the_minor_units_the_organisation_uses():
    expected = {"JPY": 0, "USD": 2, "EUR": 2, "CAD": 2, "GBP": 2, "RUB": 2, "TRY": 2}
    expected |= {"KWD": 3, "BHD": 3}
    assert {code: minor_units(code) for code in expected} == expected


def test_it_agrees_with_pycountry_on_every_code_and_number():
    for code, entry in currencies().items():
        known = pycountry.currencies.get(alpha_3=code)
        assert known is not None, code
        assert known.numeric == entry.numeric, code


def test_it_differs_from_babel_only_where_source_md_says():
    differs = {
        code
        for code, entry in currencies().items()
        if get_currency_precision(code) != entry.minor_units
    }
    assert differs == CLDR_DIFFERS


def test_it_keeps_the_checksum_source_md_gives():
    import hashlib

    digest = hashlib.sha256((FINANCE / "data" / "currencies.csv").read_bytes()).hexdigest()
    assert digest in (FINANCE / "data" / "SOURCE.md").read_text()


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        ("12.5", "USD", Decimal("12.50")),
        ("1000", "JPY", Decimal("1000")),
        ("0.125", "KWD", Decimal("0.125")),
        (" 1 000.25 ", "EUR", Decimal("1000.25")),
        (Decimal("7"), "BHD", Decimal("7.000")),
        (5, "CAD", Decimal("5.00")),
    ],
)
def test_it_takes_amounts_at_the_currency_minor_unit(value, code, expected):
    amount = amount_in(value, code)
    assert amount == expected
    assert amount.as_tuple().exponent == -minor_units(code)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("12.345", "USD", "USD amounts have at most 2 decimals"),
        ("100.5", "JPY", "JPY amounts have at most 0 decimals"),
        ("1.0001", "KWD", "KWD amounts have at most 3 decimals"),
        ("0", "USD", "more than zero"),
        ("-5", "USD", "more than zero"),
        ("abc", "USD", "is not an amount"),
        ("NaN", "USD", "is not an amount"),
        ("Infinity", "USD", "is not an amount"),
        ("1000000000000", "USD", "too large"),
        ("5", "XYZ", "not a currency this organisation uses"),
    ],
)
def test_it_refuses_amounts_it_cannot_take(value, code, message):
    with pytest.raises(MoneyError, match=message):
        amount_in(value, code)


def test_it_refuses_a_float_outright():
    with pytest.raises(TypeError):
        amount_in(0.1, "USD")  # type: ignore[arg-type]


def test_it_converts_at_the_rate_rounding_half_to_even():
    assert converted(Decimal("100"), Decimal("0.305"), "KWD") == Decimal("30.500")
    assert converted(Decimal("1.25"), Decimal("1"), "JPY") == Decimal("1")  # half to even
    assert converted(Decimal("1.35"), Decimal("1"), "USD") == Decimal("1.35")
    assert converted(Decimal("3"), Decimal("151.27"), "JPY") == Decimal("454")


@pytest.mark.parametrize("rate", ["0", "-1", "0.0000000001", "1000000", "x"])
def test_it_refuses_rates_it_cannot_record(rate):
    with pytest.raises(MoneyError):
        exchange_rate(rate)


def test_it_refuses_to_add_two_currencies():
    with pytest.raises(MoneyError):
        Money("USD", Decimal(1)) + Money("EUR", Decimal(1))
    assert Money("USD", Decimal("1.10")) + Money("USD", Decimal("2")) == Money(
        "USD", Decimal("3.10")
    )


def test_it_binds_one_form_before_and_after_a_save():
    assert canonical(Decimal("100.00")) == canonical(Decimal("100.000")) == "100.000"
    assert canonical(None) == "-"


def test_it_formats_with_iso_minor_units_not_cldr_digits():
    assert format_money(Decimal("1234.5"), "KWD", "en") == "KWD1,234.500"
    assert format_money(Decimal("1234"), "JPY", "en") == "¥1,234"
    assert format_money(Decimal("1234.5"), "HUF", "en").endswith("1,234.50")


def float_uses(source: str) -> list[int]:
    """Lines of ``source`` with a float literal, the name ``float`` or a FloatField."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        literal = isinstance(node, ast.Constant) and isinstance(node.value, float | complex)
        name = isinstance(node, ast.Name) and node.id in ("float", "FloatField")
        attribute = isinstance(node, ast.Attribute) and node.attr in ("FloatField", "fsum")
        if literal or name or attribute:
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_it_finds_a_float_where_there_is_one():
    assert float_uses("x = 0.5\ny: float = 1\nz = models.FloatField()\nw = 2") == [1, 2, 3]


def test_it_never_uses_float_in_the_finance_app():
    found = []
    for path in FINANCE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        found += [f"{path.relative_to(FINANCE)}:{line}" for line in float_uses(path.read_text())]
    assert found == []
