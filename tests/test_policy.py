"""Tests for creditrules.policy: sourced, effective-dated values and their layers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditrules import PolicyError
from creditrules.policy import COMPONENTS, DEFAULT_LAYER, PARAMETERS, PolicySet, PolicyValue
from creditrules.testing.strategies import policies


def pv(name: str, value: Any, **kw: Any) -> PolicyValue:
    kw.setdefault("source", "contract §7")
    kw.setdefault("grade", "A")
    return PolicyValue(name, value, **kw)


# --------------------------------------------------------------- values


def test_value_is_parsed_by_its_parameter() -> None:
    """A value is parsed on construction: rates exactly, orders as tuples."""
    assert pv("penalty_daily_rate", "0.0005").value == Decimal("0.0005")
    order = pv("allocation_order", ["principal", "interest", "fees", "penalty"]).value
    assert order == ("principal", "interest", "fees", "penalty")
    assert pv("day_basis", "365").value == 365
    assert pv("bill_installment_fees", {"3": "0.025", "12": "0.088"}).value == (
        (3, Decimal("0.025")),
        (12, Decimal("0.088")),
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("grace_days", -1, "must be at least 0, got -1"),
        ("grace_days", "3", "expected a whole number, got '3'"),
        ("grace_days", True, "expected a whole number"),
        ("grace_waives_penalty", "yes", "expected true or false"),
        ("penalty_from", "statement", "must be one of 'due_date', 'grace_end'"),
        ("penalty_daily_rate", 0.0005, "not a float"),
        ("penalty_base", "everything", "must be one of 'unpaid_principal'"),
        ("allocation_order", ["penalty", "principal"], "must list each of"),
        ("allocation_order", "penalty", "expected a list of components"),
        ("overpayment", "refund", "must be one of 'credit', 'prepay'"),
        ("bill_installment_fees", {"1": "0.01"}, "at least 2 periods"),
        ("max_principal", "1000.001", "below the fen"),
    ],
)
def test_bad_values_are_rejected(name: str, value: Any, message: str) -> None:
    """A value the parameter cannot parse is rejected with a message saying why."""
    with pytest.raises(ValueError, match=message):
        pv(name, value)


def test_unknown_parameter_is_rejected_listing_the_known_ones() -> None:
    """An unknown parameter name is rejected and the message lists the known names."""
    with pytest.raises(
        ValueError,
        match=r"unknown policy parameter 'grace' \(did you mean 'grace_days'\?\); "
        r"expected one of: grace_days, ",
    ):
        pv("grace", 3)


def test_value_needs_a_source_and_a_grade() -> None:
    """A value without a source, or with a grade outside A–D, is rejected."""
    with pytest.raises(ValueError, match="needs a source"):
        pv("grace_days", 0, source="  ")
    with pytest.raises(ValueError, match="grade must be one of A, B, C, D, got 'E'"):
        pv("grace_days", 0, grade="E")


def test_effective_dates_must_be_ordered() -> None:
    """effective_to before effective_from is rejected."""
    with pytest.raises(ValueError, match="effective_to is before effective_from"):
        pv("grace_days", 0, effective_from=date(2025, 2, 1), effective_to=date(2025, 1, 31))


def test_in_force_and_overlaps() -> None:
    """in_force() covers effective_from..effective_to inclusive; overlaps() spots shared days."""
    old = pv("grace_days", 0, effective_to=date(2025, 3, 31))
    new = pv("grace_days", 3, effective_from=date(2025, 4, 1))
    assert old.in_force(date(2025, 3, 31)) and not old.in_force(date(2025, 4, 1))
    assert new.in_force(date(2025, 4, 1)) and not new.in_force(date(2025, 3, 31))
    assert not old.overlaps(new)
    assert old.overlaps(pv("grace_days", 1, effective_from=date(2025, 3, 31)))


# --------------------------------------------------------------- sets and layers


def test_overlapping_versions_are_a_policy_error() -> None:
    """Two versions of one parameter in force on a common day are a PolicyError naming them."""
    first = pv("penalty_daily_rate", "0.0005", effective_to=date(2025, 6, 30))
    second = pv("penalty_daily_rate", "0.001", effective_from=date(2025, 6, 1))
    with pytest.raises(PolicyError, match="account policy has overlapping versions of"):
        PolicySet(account=(first, second))
    with pytest.raises(PolicyError, match=r"provider policy .* 2025-06-01–open"):
        PolicySet(provider=(first, second))


def test_two_undated_values_overlap() -> None:
    """Two undated values of one parameter (both 'always') overlap."""
    with pytest.raises(PolicyError, match="'grace_days'"):
        PolicySet(account=(pv("grace_days", 0), pv("grace_days", 3)))


def test_the_same_parameter_in_two_layers_is_not_an_overlap() -> None:
    """The account may override a provider value: layers do not conflict."""
    PolicySet(provider=(pv("grace_days", 0),), account=(pv("grace_days", 3),))


def test_account_overrides_provider_overrides_default() -> None:
    """Resolution takes the account's value, else the provider's, else the engine default."""
    policy = PolicySet(
        provider=(pv("grace_days", 1), pv("penalty_daily_rate", "0.0005", source="provider")),
        account=(pv("grace_days", 3, source="my contract"),),
    ).at(date(2025, 3, 1))
    assert policy.grace_days == 3
    assert policy.origin("grace_days").layer == "account"
    assert policy.origin("grace_days").value.source == "my contract"
    assert policy.penalty_daily_rate == Decimal("0.0005")
    assert policy.origin("penalty_daily_rate").layer == "provider"
    assert policy.penalty_base == "unpaid_amount"
    assert policy.origin("penalty_base").layer == "default"
    assert policy.origin("penalty_base").value.grade == "D"
    assert policy.allocation_order == COMPONENTS
    assert policy.grace == 3


def test_effective_dated_versions_resolve_by_date() -> None:
    """The version in force on the date asked is used; outside it the next layer down."""
    policies_ = PolicySet(
        provider=(pv("grace_days", 1),),
        account=(
            pv("grace_days", 3, effective_from=date(2025, 4, 1), effective_to=date(2025, 4, 30)),
        ),
    )
    assert policies_.at(date(2025, 3, 31)).grace_days == 1
    assert policies_.at(date(2025, 4, 1)).grace_days == 3
    assert policies_.at(date(2025, 4, 30)).origin("grace_days").layer == "account"
    assert policies_.at(date(2025, 5, 1)).grace_days == 1
    assert policies_.breakpoints() == (date(2025, 4, 1), date(2025, 5, 1))


def test_unknown_attribute_of_a_policy_is_an_attribute_error() -> None:
    """Asking a Policy for something that is not a parameter raises AttributeError."""
    policy = PolicySet().at(date(2025, 1, 1))
    with pytest.raises(AttributeError):
        _ = policy.no_such_parameter


def test_every_parameter_has_a_sourced_default() -> None:
    """The default layer has one value per parameter, graded D, citing its published convention."""
    assert [v.name for v in DEFAULT_LAYER] == list(PARAMETERS)
    for value in DEFAULT_LAYER:
        assert value.grade == "D"
        assert value.source.startswith("creditrules conventions ")
        assert "(docs/explanation/" in value.source and "#" in value.source
    for parameter in PARAMETERS.values():
        assert parameter.doc and parameter.spec


@given(policies(versions=st.integers(1, 3)), st.dates())
def test_every_day_resolves_to_exactly_one_value_per_parameter(
    values: tuple[PolicyValue, ...], day: date
) -> None:
    """For any non-overlapping versions, every date resolves each parameter once."""
    policy = PolicySet(account=values).at(day)
    names = [applied.value.name for applied in policy.applied]
    assert sorted(names) == sorted(PARAMETERS)
    for applied in policy.applied:
        assert applied.value.in_force(day)
