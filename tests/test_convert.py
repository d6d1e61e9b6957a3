"""Tests of the project's cattrs converter (creditrules._convert)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal, Optional, Union

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditrules import _convert, model
from creditrules._convert import (
    ACCOUNT_FILE_NOTE,
    check_keys,
    converter,
    format_exception,
    from_dict,
    make_converter,
    to_dict,
    to_json,
    unknown_key,
)
from creditrules.errors import InputError
from creditrules.model import (
    Account,
    AccountClosed,
    Bill,
    Event,
    GuarantorPaid,
    LoanTerms,
    Payment,
    ReportedMonth,
    Waiver,
    WrittenOff,
)
from creditrules.policy import AppliedValue, PolicySet, PolicyValue


def _paths(error: InputError) -> list[str]:
    return [problem.path for problem in error.problems]


def _account(**changes: object) -> Account:
    fields: dict[str, object] = {
        "id": "demo",
        "provider": "generic",
        "product": "revolving",
        "opened_on": date(2024, 1, 5),
        "bills": [Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")],
        "payments": [Payment(date(2025, 3, 15), "1002.50", note="late")],
        "events": [
            Waiver(date(2025, 4, 1), "penalty", "1.00"),
            AccountClosed(date(2025, 5, 1)),
            WrittenOff(date(2025, 6, 1), note="坏账"),
            GuarantorPaid(date(2025, 6, 2), guarantor="某担保公司", amount="10.00"),
        ],
        "policy": [
            PolicyValue("grace_days", 3, source="contract §2", grade="A"),
            PolicyValue(
                "penalty_daily_rate",
                "0.0005",
                source="contract §7",
                grade="B",
                note="n",
                effective_to=date(2024, 12, 31),
            ),
            PolicyValue(
                "penalty_daily_rate",
                "0.0004",
                source="s",
                grade="C",
                effective_from=date(2025, 1, 1),
            ),
            PolicyValue(
                "allocation_order",
                ["fees", "penalty", "interest", "principal"],
                source="s",
                grade="D",
            ),
            PolicyValue("bill_installment_fees", {3: "0.025", 12: "0.088"}, source="s", grade="C"),
            PolicyValue("max_principal", None, source="s", grade="C"),
        ],
        "reported": [ReportedMonth("2025-03", "M")],
        "name": "花呗",
    }
    fields.update(changes)
    return Account(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- scalars


def test_decimal_unstructures_to_exact_string() -> None:
    """A Decimal is written as its exact string, keeping its scale."""
    assert to_dict(Decimal("1000.00")) == "1000.00"
    assert to_dict(Decimal("0.0005")) == "0.0005"


@pytest.mark.parametrize("raw", ["1000.00", 1000, Decimal("1000.00"), " 1000.00 "])
def test_decimal_structures_from_str_int_and_decimal(raw: object) -> None:
    """Strings, ints and Decimals structure to the same exact Decimal."""
    assert converter.structure(raw, Decimal) == Decimal("1000")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (0.1, "binary float 0.1"),
        (True, "expected a decimal number, got true"),
        ("abc", "expected a decimal number, got 'abc'"),
        ("NaN", "expected a finite number"),
        ([1], "expected a decimal number"),
    ],
)
def test_decimal_refuses_floats_and_non_numbers(raw: object, message: str) -> None:
    """Floats, booleans, non-numeric text and non-finite numbers are refused with a message."""
    with pytest.raises(InputError) as caught:
        from_dict(Decimal, raw)
    assert message in caught.value.message


def test_date_round_trips_as_iso_string() -> None:
    """A date is written as YYYY-MM-DD and read back from that string or a date object."""
    assert to_dict(date(2025, 3, 1)) == "2025-03-01"
    assert from_dict(date, "2025-03-01") == date(2025, 3, 1)
    assert from_dict(date, date(2025, 3, 1)) == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (datetime(2025, 3, 1, 10, 0), "got the date and time 2025-03-01T10:00:00"),
        ("2025-02-30", "not a valid date"),
        ("20250301", "expected a date (YYYY-MM-DD)"),
        (20250301, "expected a date (YYYY-MM-DD)"),
    ],
)
def test_date_refuses_datetimes_and_bad_text(raw: object, message: str) -> None:
    """Date-times, impossible dates and non-ISO text are refused."""
    with pytest.raises(InputError) as caught:
        from_dict(date, raw)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("cls", "raw", "message"),
    [
        (int, "5", "expected a whole number, got '5'"),
        (int, True, "expected a whole number, got true"),
        (str, 5, "expected text (a string), got 5"),
        (bool, "false", "expected true or false, got 'false'"),
        (tuple[int, ...], "12", "expected a list, got '12'"),
    ],
)
def test_scalars_are_strict(cls: type[object], raw: object, message: str) -> None:
    """int, str, bool and sequences do not coerce ("5" is not 5, "false" is not a bool)."""
    with pytest.raises(InputError) as caught:
        from_dict(cls, raw)
    assert caught.value.message == message


def test_native_dates_converter_keeps_date_objects() -> None:
    """make_converter(native_dates=True) unstructures dates as date objects (for TOML)."""
    assert make_converter(native_dates=True).unstructure(date(2025, 1, 1)) == date(2025, 1, 1)


def test_converter_is_not_the_global_one() -> None:
    """The project converter is its own instance, not cattrs' global converter."""
    assert converter is not cattrs.global_converter
    assert cattrs.global_converter.unstructure(Decimal("1.00")) == Decimal("1.00")


# --------------------------------------------------------------------------- events


def test_event_unstructures_with_type_tag() -> None:
    """Unstructured as an Event, a waiver carries its type tag first."""
    data = to_dict(Waiver(date(2025, 4, 1), "penalty", "1.00"), Event)
    assert data == {
        "type": "waiver",
        "date": "2025-04-01",
        "component": "penalty",
        "amount": "1.00",
        "note": "",
    }


@pytest.mark.parametrize(
    "event",
    [
        Waiver(date(2025, 4, 1), "fees", "3.00", note="x"),
        AccountClosed(date(2025, 5, 1)),
        WrittenOff(date(2025, 6, 1)),
        GuarantorPaid(date(2025, 6, 2), guarantor="g", amount="1.00"),
        GuarantorPaid(date(2025, 6, 2)),
    ],
)
def test_event_round_trips_through_the_union(event: object) -> None:
    """Every event type structures back from its tagged dict to an equal value."""
    assert from_dict(Event, to_dict(event, Event)) == event


def test_unknown_event_type_lists_known_types() -> None:
    """An unknown type tag is an error at .type that lists the known types."""
    with pytest.raises(cattrs.ClassValidationError) as caught:
        converter.structure({"type": "refund", "date": "2025-01-01"}, Event)  # type: ignore[arg-type]
    problems = cattrs.transform_error(caught.value, format_exception=format_exception)
    assert len(problems) == 1
    assert problems[0].startswith(
        "unknown event type 'refund'; known types: payment, waiver, account_closed, "
        "written_off, guarantor_paid"
    )
    assert problems[0].endswith(" @ $.type")


def test_event_types_are_those_the_converter_was_built_with() -> None:
    """A converter reads the event tags of the mapping it was built with, and no others."""

    @attrs.frozen
    class Refund:
        type: ClassVar[str] = "refund"
        date: date
        amount: Decimal

    event_types = {**model.CORE_EVENT_TYPES, "refund": Refund}
    extended = make_converter(event_types)
    data = {"type": "refund", "date": "2025-07-01", "amount": "100.00"}
    assert from_dict(Event, data, converter=extended) == Refund(date(2025, 7, 1), Decimal("100.00"))
    union = Union[Waiver, Refund]  # noqa: UP007 - a runtime union, as model.Event
    value = from_dict(union, data, converter=extended)
    assert to_dict(value, union, converter=extended) == data
    assert to_json(value, indent=None, converter=extended) == json.dumps(to_dict(value))
    with pytest.raises(InputError, match="unknown event type 'refund'"):
        from_dict(Event, data)  # the core converter does not know the plugin's tag


def test_converters_are_independent() -> None:
    """Each make_converter call builds a new converter; the core one keeps the core tags."""
    assert make_converter() is not make_converter()
    assert converter is not make_converter()
    with pytest.raises(InputError, match="known types: payment, waiver"):
        from_dict(Event, {"type": "bill_installment", "date": "2025-01-01"})


def test_hook_factories_are_module_level() -> None:
    """The hooks are named module-level functions that take their converter, not closures."""
    for name in (
        "sequence_structure_factory",
        "attrs_structure_factory",
        "attrs_structure_hook",
        "field_hook",
        "structure_event",
        "unstructure_event",
        "structure_policy_value",
        "structure_policy_section",
        "unstructure_policy_section",
        "account_structure_factory",
        "account_unstructure_factory",
    ):
        function = getattr(_convert, name)
        assert function.__module__ == "creditrules._convert"
        assert function.__closure__ is None, name


# --------------------------------------------------------------------------- unknown keys


def test_unknown_key_suggests_the_close_one_and_lists_the_rest() -> None:
    """The one wording of an unknown key: a suggestion when one is close, then every key."""
    assert unknown_key("amout", ("date", "amount")) == (
        "unknown key (did you mean 'amount'?); expected one of: date, amount"
    )
    assert unknown_key("zzz", ("date", "amount")) == "unknown key; expected one of: date, amount"
    assert unknown_key("grace", ["grace_days"], kind="policy parameter") == (
        "unknown policy parameter 'grace' (did you mean 'grace_days'?); expected one of: grace_days"
    )


def test_check_keys_reports_each_unknown_key_at_its_path() -> None:
    """check_keys gives one problem per unknown key, at the key's JSON path."""
    problems = check_keys({"id": 1, "nmae": 2, "年费": 3}, ("id", "name"), "$.account")
    assert [p.path for p in problems] == ["$.account.nmae", '$.account["年费"]']
    assert problems[0].message == "unknown key (did you mean 'name'?); expected one of: id, name"


# --------------------------------------------------------------------------- policy


def test_policy_value_round_trips() -> None:
    """A PolicyValue unstructures with its dumped value and structures back equal."""
    value = PolicyValue(
        "bill_installment_fees",
        {3: "0.025"},
        source="s",
        grade="C",
        effective_from=date(2025, 1, 1),
    )
    data = to_dict(value)
    assert data == {
        "name": "bill_installment_fees",
        "value": {"3": "0.025"},
        "source": "s",
        "grade": "C",
        "note": "",
        "effective_from": "2025-01-01",
    }
    assert from_dict(PolicyValue, data) == value


def test_applied_value_and_policy_round_trip() -> None:
    """AppliedValue and a resolved Policy (defaults included) round-trip."""
    policy = PolicySet(account=_account().policy).at(date(2025, 3, 1))
    applied = policy.origin("penalty_daily_rate")
    assert from_dict(AppliedValue, to_dict(applied)) == applied
    assert from_dict(type(policy), json.loads(to_json(policy))) == policy


def test_policy_value_error_points_at_value() -> None:
    """A value the parameter cannot parse is reported at .value, not at the class."""
    with pytest.raises(InputError) as caught:
        from_dict(PolicyValue, {"name": "grace_days", "value": -1, "source": "s", "grade": "A"})
    assert [str(p) for p in caught.value.problems] == ["must be at least 0, got -1 @ $.value"]


def test_account_policy_plain_value_gets_account_file_provenance() -> None:
    """A plain [policy] value gets source 'account file', grade A and the standard note."""
    data = to_dict(_account(policy=()))
    data["policy"] = {"grace_days": 2}
    (value,) = from_dict(Account, data).policy
    assert value == PolicyValue(
        "grace_days", 2, source="account file", grade="A", note=ACCOUNT_FILE_NOTE
    )


def test_account_policy_unstructures_to_tables() -> None:
    """Account.policy is written as name → table, or → list of tables for versions."""
    policy = to_dict(_account())["policy"]
    assert policy["grace_days"] == {
        "value": 3,
        "source": "contract §2",
        "grade": "A",
        "note": "",
    }
    assert [v["value"] for v in policy["penalty_daily_rate"]] == ["0.0005", "0.0004"]
    assert policy["allocation_order"]["value"] == ["fees", "penalty", "interest", "principal"]


def test_account_policy_versions_must_not_overlap() -> None:
    """Two versions of one parameter in force on a common day are an error at that name."""
    data = to_dict(_account(policy=()))
    data["policy"] = {
        "grace_days": [
            {"value": 0, "effective_to": "2025-01-31"},
            {"value": 3, "effective_from": "2025-01-31"},
        ]
    }
    with pytest.raises(InputError) as caught:
        from_dict(Account, data)
    assert _paths(caught.value) == ["$.policy.grace_days"]
    assert "versions 0 and 1" in caught.value.message


def test_account_policy_unknown_parameter_lists_known_ones() -> None:
    """An unknown parameter name is an error at its key, suggesting the close one."""
    data = to_dict(_account(policy=()))
    data["policy"] = {"grace_dayz": 0}
    with pytest.raises(InputError) as caught:
        from_dict(Account, data)
    assert _paths(caught.value) == ["$.policy.grace_dayz"]
    assert "did you mean 'grace_days'" in caught.value.message
    assert "penalty_daily_rate" in caught.value.message


# --------------------------------------------------------------------------- attrs classes


def test_account_round_trips() -> None:
    """from_dict(Account, to_dict(a)) == a, also through JSON text."""
    account = _account()
    assert from_dict(Account, to_dict(account)) == account
    assert from_dict(Account, json.loads(to_json(account))) == account


def test_installment_account_round_trips() -> None:
    """An installment account with loan terms round-trips."""
    loan = LoanTerms("12000.00", 12, "equal_installment", date(2025, 1, 15), daily_rate="0.0004")
    account = _account(product="installment", bills=(), loan=loan, opened_on=date(2025, 1, 1))
    assert from_dict(Account, to_dict(account)) == account


@attrs.frozen
class _Line:
    label: str
    amount: Decimal


@attrs.frozen
class _Result:
    kind: ClassVar[str] = "result"
    as_of: date
    status: Literal["visible", "relieved", "expired"]
    lines: tuple[_Line, ...]
    totals: Mapping[str, Decimal]
    ended_on: Optional[date] = None  # noqa: UP045 - the Optional spelling must work too
    episode: _Line | None = None
    counts: tuple[int, ...] = ()


def test_generic_attrs_class_round_trips() -> None:
    """A result-like class with tuples, mappings, Optional, Literal and ClassVar round-trips."""
    result = _Result(
        date(2026, 1, 1),
        "relieved",
        (_Line("罚息", Decimal("2.15")), _Line("principal", Decimal("860.50"))),
        {"penalty": Decimal("2.15")},
        ended_on=date(2025, 2, 15),
        episode=_Line("x", Decimal("1")),
        counts=(1, 2),
    )
    assert from_dict(_Result, to_dict(result)) == result
    assert from_dict(_Result, json.loads(to_json(result))) == result
    assert "罚息" in to_json(result)


def test_literal_mismatch_is_reported_with_choices() -> None:
    """A value outside a Literal lists the allowed values at the field's path."""
    data = to_dict(_Result(date(2026, 1, 1), "visible", (), {}))
    data["status"] = "hidden"
    with pytest.raises(InputError) as caught:
        from_dict(_Result, data)
    assert str(caught.value.problems[0]) == (
        "must be one of 'visible', 'relieved', 'expired', got 'hidden' @ $.status"
    )


def test_errors_carry_field_paths() -> None:
    """Validator and converter errors are reported at the field, with the field name dropped."""
    data = to_dict(_account(policy=()))
    data["payments"][0]["amount"] = "-5"
    data["bills"][0]["amount"] = "1.005"
    data["bills"][0]["amout"] = "1"
    with pytest.raises(InputError) as caught:
        from_dict(Account, data)
    assert [str(p) for p in caught.value.problems] == [
        "1.005 has digits below the fen (0.01); round it yourself first @ $.bills[0].amount",
        "unknown key (did you mean 'amount'?); expected one of: statement_date, due_date, "
        "amount, id @ $.bills[0].amout",
        "must be greater than zero, got -5.00 @ $.payments[0].amount",
    ]


def test_cross_field_problems_keep_their_paths() -> None:
    """AccountProblems raised by Account become one problem per (path, message) pair."""
    data = to_dict(_account(policy=()))
    data["payments"][0]["date"] = "2020-01-01"
    data["product"] = "installment"
    with pytest.raises(InputError) as caught:
        from_dict(Account, data)
    assert _paths(caught.value) == ["$.loan", "$.bills", "$.payments[0].date"]


def test_to_json_keeps_chinese_readable() -> None:
    """to_json writes non-ASCII text as is and indents by 2 by default."""
    text = to_json(WrittenOff(date(2025, 6, 1), note="坏账"))
    assert '"note": "坏账"' in text
    assert text.startswith('{\n  "date"')


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2))
def test_fen_amounts_round_trip_exactly(amount: Decimal) -> None:
    """Any fen amount written as a string reads back as the same Decimal, and dumps the same."""
    payment = from_dict(Payment, {"date": "2025-01-01", "amount": str(amount)})
    assert payment.amount == amount
    assert to_dict(payment)["amount"] == str(payment.amount)
    assert from_dict(Payment, to_dict(payment)) == payment
