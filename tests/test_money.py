"""Tests for creditrules.money: exact Decimal amounts, rounded half-up to the fen."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditrules.money import (
    EXACT,
    FEN,
    PRECISION,
    ZERO,
    exact,
    format_money,
    is_fen,
    parse_money,
    parse_rate,
    sum_money,
    to_fen,
)
from creditrules.testing.strategies import amounts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000.00", "1000.00"),
        ("1000", "1000.00"),
        (1000, "1000.00"),
        (Decimal("2.5"), "2.50"),
        (" 1,234.56 ", "1234.56"),
        ("0", "0.00"),
    ],
)
def test_parse_money_accepts_exact_amounts(value: object, expected: str) -> None:
    """Strings, ints and Decimals parse exactly to fen scale."""
    amount = parse_money(value)
    assert amount == Decimal(expected)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value", [0.1, 1002.5, 1.0])
def test_parse_money_refuses_floats(value: float) -> None:
    """A binary float is refused, with a hint to give it as a string."""
    with pytest.raises(ValueError, match="binary float; give it as a string"):
        parse_money(value)


@pytest.mark.parametrize("value", ["1.005", Decimal("0.001"), "1000.001"])
def test_parse_money_refuses_sub_fen_digits(value: object) -> None:
    """Digits below the fen are refused, never silently rounded."""
    with pytest.raises(ValueError, match="digits below the fen"):
        parse_money(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "is not an amount of money"),
        ("NaN", "not a finite amount"),
        ("Infinity", "not a finite amount"),
        (True, "expected an amount of money"),
        (None, "expected an amount of money, got NoneType"),
        ([1], "expected an amount of money, got list"),
    ],
)
def test_parse_money_refuses_non_amounts(value: object, message: str) -> None:
    """Text that is not a number, non-finite values, bools and other types are refused."""
    with pytest.raises(ValueError, match=message):
        parse_money(value)


def test_trailing_zeros_below_the_fen_are_whole_fen() -> None:
    """'1.500' is a whole number of fen and parses to 1.50."""
    assert parse_money("1.500") == Decimal("1.50")


@pytest.mark.parametrize(
    ("exact_amount", "rounded"),
    [
        ("1.245", "1.25"),
        ("1.2449999", "1.24"),
        ("2.005", "2.01"),
        ("-1.245", "-1.25"),  # half away from zero
        ("0.004", "0.00"),
        ("1.25", "1.25"),
    ],
)
def test_to_fen_rounds_half_up(exact_amount: str, rounded: str) -> None:
    """to_fen rounds half-up (away from zero) to two places."""
    assert to_fen(Decimal(exact_amount)) == Decimal(rounded)


def test_to_fen_ignores_the_ambient_context() -> None:
    """A caller's decimal context (precision, rounding) never changes a result."""
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert to_fen(Decimal("1234.565")) == Decimal("1234.57")
        assert sum_money([Decimal("1000.01"), Decimal("2000.02")]) == Decimal("3000.03")
        assert exact(Decimal("1234.5678")) == Decimal("1234.5678")


def test_sum_money_starts_at_zero_fen() -> None:
    """The sum of nothing is 0.00 at fen scale."""
    total = sum_money([])
    assert total == ZERO
    assert str(total) == "0.00"


@given(st.lists(amounts(min_value="0.00", max_value="99999.99"), max_size=30))
def test_sum_money_is_exact(parts: list[Decimal]) -> None:
    """sum_money equals the exact integer sum of the fen."""
    assert sum_money(parts) == Decimal(sum(int(p * 100) for p in parts)) / 100


@given(amounts(min_value="0.00"))
def test_fen_amounts_round_trip_through_text(amount: Decimal) -> None:
    """A fen amount survives str() and parse_money() unchanged."""
    assert parse_money(str(amount)) == amount
    assert is_fen(amount)
    assert to_fen(amount) == amount


@pytest.mark.parametrize(("value", "fen"), [(Decimal("1.23"), True), (Decimal("1.234"), False)])
def test_is_fen(value: Decimal, fen: bool) -> None:
    """is_fen tells whether an amount has digits below 0.01."""
    assert is_fen(value) is fen
    assert Decimal("0.01") == FEN


def test_parse_rate_is_exact_and_refuses_floats_and_negatives() -> None:
    """Rates parse exactly from text; floats and negative rates are refused."""
    assert parse_rate("0.0005") == Decimal("0.0005")
    assert parse_rate(Decimal("0.00045")) == Decimal("0.00045")
    with pytest.raises(ValueError, match="not a float"):
        parse_rate(0.0005)
    with pytest.raises(ValueError, match="non-negative"):
        parse_rate("-0.01")
    with pytest.raises(ValueError, match="is not a rate"):
        parse_rate("five percent")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1002.50"), "1,002.50"),
        (Decimal("1234567.5"), "1,234,567.50"),
        (Decimal("0"), "0.00"),
        (Decimal("-12.30"), "-12.30"),
        (Decimal("0.125"), "0.13"),
        (7, "7.00"),
        ("999.99", "999.99"),
    ],
)
def test_format_money_writes_thousands_and_two_decimals(amount: object, text: str) -> None:
    """format_money gives the one money text: thousands separators, two decimals, half-up."""
    assert format_money(amount) == text  # type: ignore[arg-type]


@given(amounts(min_value="0.00", max_value="99999999.99"))
def test_format_money_matches_the_former_formatters(amount: Decimal) -> None:
    """For fen amounts the text is what the former f"{amount:,.2f}" formatters wrote."""
    assert format_money(amount) == f"{amount:,.2f}"
    assert parse_money(format_money(amount)) == amount


def test_format_money_ignores_the_ambient_context_and_refuses_floats() -> None:
    """A caller's rounding never changes the text; a binary float is refused."""
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert format_money(Decimal("1234.565")) == "1,234.57"
    with pytest.raises(TypeError, match="binary float"):
        format_money(0.1)  # type: ignore[arg-type]


def test_exact_context_is_half_up_at_full_precision() -> None:
    """EXACT has PRECISION digits and rounds half-up; localcontext copies leave it unchanged."""
    assert EXACT.prec == PRECISION
    assert EXACT.rounding == decimal.ROUND_HALF_UP
    with decimal.localcontext(EXACT) as context:
        context.prec = 5
        assert Decimal(1) / Decimal(3) == Decimal("0.33333")
    assert EXACT.prec == PRECISION
    with decimal.localcontext(EXACT):
        assert Decimal(2) / Decimal(3) == Decimal("0." + "6" * 33 + "7")
