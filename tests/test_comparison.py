"""What-if comparison: creditrules.compare, scenario text and files, and its properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import Account, Bill, Payment, PolicyValue, Waiver
from creditrules.comparison import (
    Comparison,
    Scenario,
    compare,
    load_scenarios,
    parse_scenario,
    total_cost,
)
from creditrules.default_plugins.pboc import PBOC
from creditrules.policy import PARAMETERS
from creditrules.testing import strategies as cs

RATE = PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")


def _account() -> Account:
    return Account(
        id="demo",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")],
        policy=[RATE],
    )


# --------------------------------------------------------------------------- examples


def test_compare_pins_the_worked_example() -> None:
    """Paying on 20 March costs 5.00 and leaves March M; paying in April leaves one 1."""
    table = compare(
        _account(),
        {
            "march": [Payment(date(2025, 3, 20), "1005.00")],
            "april": [Payment(date(2025, 4, 20), "1020.50")],
        },
        as_of=date(2025, 6, 30),
    )
    assert isinstance(table, Comparison) and table.names == ("as is", "march", "april")
    as_is, march, april = table
    assert (as_is.total_cost, as_is.balance, as_is.days_past_due) == (
        Decimal("56.00"),
        Decimal("1056.00"),
        112,
    )
    assert as_is.clean_on is None and as_is.negative_months == 4
    assert (march.total_cost, march.penalty, march.negative_months) == (
        Decimal("5.00"),
        Decimal("5.00"),
        0,
    )
    assert march.months["2025-03"] == "M" and march.max_days_past_due == 10
    assert (april.total_cost, april.negative_months, april.months["2025-03"]) == (
        Decimal("20.50"),
        1,
        "1",
    )
    assert april.clean_on == date(2026, 1, 1)  # the 2025 relief hides the record


def test_a_waiver_lowers_the_total_cost() -> None:
    """total_cost is charged interest, fees and penalty less what the lender waived."""
    events = [Waiver(date(2025, 3, 20), "penalty", "5.00"), Payment(date(2025, 3, 20), "1000.00")]
    row = compare(_account(), [Scenario("waived", events)], as_of=date(2025, 3, 31)).row("waived")
    assert row.total_cost == 0 and row.penalty == 0 and row.balance == 0
    assert total_cost(creditrules.simulate(_account(), events, date(2025, 3, 31))) == 0


def test_rows_without_the_baseline_and_with_default_names() -> None:
    """baseline=None leaves the account as is out; unnamed event lists are numbered."""
    table = compare(
        _account(), [[Payment(date(2025, 3, 9), "1000.00")]], as_of=date(2025, 3, 31), baseline=None
    )
    assert table.names == ("scenario 1",) and len(table) == 1
    assert table.row("scenario 1").negative_months == 0
    with pytest.raises(KeyError):
        table.row("as is")


def test_duplicate_names_and_text_scenarios_are_refused() -> None:
    """Two scenarios with one name, or unparsed text, are errors."""
    with pytest.raises(ValueError, match="repeated: as is"):
        compare(_account(), {"as is": []}, as_of=date(2025, 3, 31))
    with pytest.raises(TypeError, match="parse_scenario"):
        compare(_account(), ["pay 2025-03-20 100"], as_of=date(2025, 3, 31))  # type: ignore[list-item]


def test_events_after_the_date_are_counted_not_applied() -> None:
    """A scenario event after as_of is reported in ignored_events."""
    row = compare(
        _account(), [parse_scenario("pay 2025-05-01 100")], as_of=date(2025, 3, 31), baseline=None
    ).rows[0]
    assert row.ignored_events == 1 and row.paid == 0


def test_comparison_round_trips_through_the_converter() -> None:
    """from_dict(to_dict(comparison)) == comparison."""
    table = compare(_account(), [parse_scenario("pay 2025-03-20 1005")], as_of=date(2025, 4, 30))
    assert creditrules.from_dict(Comparison, creditrules.to_dict(table)) == table


# --------------------------------------------------------------------------- scenario text


def test_parse_scenario_reads_payments_waivers_and_a_name() -> None:
    """NAME: pay …; waive … gives a named scenario of a payment and a waiver."""
    scenario = parse_scenario("Half now:  PAY 2025-03-20 1,000.5 ; waive fees 2025-03-21 3")
    assert scenario == Scenario(
        "Half now",
        (Payment(date(2025, 3, 20), "1000.50"), Waiver(date(2025, 3, 21), "fees", "3.00")),
    )
    assert parse_scenario("pay 2025-03-20 10").name == "pay 2025-03-20 10"
    assert parse_scenario("pay 2025-03-20 10", name="x").name == "x"


@pytest.mark.parametrize(
    ("text", "message", "path"),
    [
        ("pay 2025-03-20", "cannot read", "$.events[0]"),
        ("pay 2025-02-30 10", "not a valid date", "$.events[0]"),
        ("pay 2025-03-20 10; pay 2025-03-21 1.234", "below the fen", "$.events[1]"),
        ("pay 2025-03-20 0", "greater than zero", "$.events[0]"),
        ("waive principal 2025-03-20 10", "cannot read", "$.events[0]"),
        ("name: ", "no events", "$"),
    ],
)
def test_parse_scenario_errors_name_the_event(text: str, message: str, path: str) -> None:
    """A scenario that cannot be read is an InputError at the event's path."""
    with pytest.raises(creditrules.InputError, match=message) as info:
        parse_scenario(text)
    assert info.value.path == path


def test_load_scenarios_reads_text_and_event_tables(tmp_path: Path) -> None:
    """A scenarios file mixes scenario text and event tables with their type."""
    path = tmp_path / "scenarios.toml"
    path.write_text(
        """format = 1
[[scenario]]
name = "on the 20th"
events = ["pay 2025-03-20 1005.00"]

[[scenario]]
name = "half and a waiver"
events = [
    "pay 2025-03-20 500",
    { type = "waiver", date = 2025-03-20, component = "penalty", amount = "5.00" },
]
""",
        encoding="utf-8",
    )
    first, second = load_scenarios(path)
    assert first == Scenario("on the 20th", (Payment(date(2025, 3, 20), "1005.00"),))
    assert second.events == (
        Payment(date(2025, 3, 20), "500.00"),
        Waiver(date(2025, 3, 20), "penalty", "5.00"),
    )


@pytest.mark.parametrize(
    ("text", "message", "path"),
    [
        ("[[scenario]]\nevents = []\n", "needs a name", "$.scenario[0].name"),
        ("[[scenario]]\nname = 'a'\nevents = ['pay x']\n", "cannot read", "$.events[0]"),
        (
            "[[scenario]]\nname = 'a'\nevents = [{ type = 'payment', date = 2025-03-20 }]\n",
            "amount",
            "$.scenario[0].events[0]",
        ),
        (
            "[[scenario]]\nname = 'a'\ncolour = 1\n",
            "unknown key; expected one of: name, events",
            "$.scenario[0].colour",
        ),
        ("title = 'x'\n", "unknown key; expected one of: format, scenario", "$.title"),
        ("format = 1\n", "no scenarios", "$.scenario"),
        ("[[scenario]\n", "invalid TOML", "$"),
    ],
)
def test_load_scenarios_errors_name_file_and_path(
    tmp_path: Path, text: str, message: str, path: str
) -> None:
    """Every problem in a scenarios file names the file and a JSON path."""
    file = tmp_path / "bad.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(creditrules.InputError, match=message) as info:
        load_scenarios(file)
    assert info.value.file == str(file)
    assert info.value.path.startswith(path)


def test_load_scenarios_missing_file(tmp_path: Path) -> None:
    """A missing scenarios file is an InputError naming it."""
    with pytest.raises(creditrules.InputError, match="no such file"):
        load_scenarios(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- properties

#: Parameters under which paying more can never cost more. Left out: a minimum-payment
#: facility whose revolving interest may exceed the penalty rate (paying just enough to
#: reach the minimum then swaps penalty for dearer interest).
#: The accounts have no other events either: a later waiver of a fixed amount forgives
#: only the penalty still owed, so money paid earlier can go to penalty the lender would
#: have forgiven anyway.
MONOTONE = tuple(
    n
    for n in cs.ENGINE_PARAMETERS
    if n not in ("penalty_daily_rate", "minimum_payment_ratio", "revolving_daily_rate")
    and n in PARAMETERS
)
ACCOUNTS = cs.accounts(
    policies=st.tuples(
        cs.policy_values(names=st.just("penalty_daily_rate")),
        cs.policies(names=st.sampled_from(MONOTONE), max_size=4),
    ).map(lambda parts: (parts[0], *parts[1])),
    max_items=6,
    with_events=False,
)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _worse_month(better: Comparison, worse: Comparison) -> list[str]:
    """Months reported worse in the first row of ``better`` than in that of ``worse``.

    The codes as reported (``history``) are compared, not the grid as displayed: the
    2025 relief shows a hidden negative month as ``N`` while a late payment's ``M``
    stays, so a later payment can *display* better.
    """
    a, b = better.rows[0].history, worse.rows[0].history
    return [m for m in a if PBOC.severity(a[m]) > PBOC.severity(b.get(m, a[m]))]


@PROPERTY
@given(ACCOUNTS, st.data())
def test_paying_more_never_costs_more_or_worsens_the_grid(
    account: Account, data: st.DataObject
) -> None:
    """Adding to a payment never raises the total cost, the negative months or any month's code."""
    as_of = data.draw(cs.as_of_dates(account, max_days_after=200), label="as_of")
    day = data.draw(st.dates(account.opened_on, as_of), label="day")
    amount = data.draw(cs.amounts(max_value="5000.00"), label="amount")
    extra = data.draw(cs.amounts(max_value="5000.00"), label="extra")
    less = compare(account, [[Payment(day, amount)]], as_of=as_of, baseline=None)
    more = compare(account, [[Payment(day, amount + extra)]], as_of=as_of, baseline=None)
    assert more.rows[0].total_cost <= less.rows[0].total_cost
    assert more.rows[0].negative_months <= less.rows[0].negative_months
    assert not _worse_month(more, less)


@PROPERTY
@given(ACCOUNTS, st.data())
def test_paying_earlier_never_costs_more_or_worsens_the_grid(
    account: Account, data: st.DataObject
) -> None:
    """Moving a payment earlier never raises the total cost, the negative months or any code."""
    as_of = data.draw(cs.as_of_dates(account, max_days_after=200), label="as_of")
    late = data.draw(st.dates(account.opened_on, as_of), label="late")
    early = data.draw(st.dates(account.opened_on, late), label="early")
    assume(early < late)
    amount = data.draw(cs.amounts(max_value="5000.00"), label="amount")
    later = compare(account, [[Payment(late, amount)]], as_of=as_of, baseline=None)
    sooner = compare(account, [[Payment(early, amount)]], as_of=as_of, baseline=None)
    assert sooner.rows[0].total_cost <= later.rows[0].total_cost
    assert sooner.rows[0].negative_months <= later.rows[0].negative_months
    assert not _worse_month(sooner, later)


@PROPERTY
@given(cs.accounts(max_items=6), st.data())
def test_every_row_is_the_simulation_of_its_scenario(account: Account, data: st.DataObject) -> None:
    """Each row's figures are those of simulate() with the scenario's events."""
    as_of = data.draw(cs.as_of_dates(account, max_days_after=200), label="as_of")
    events = data.draw(cs.scenarios(account, max_value=as_of + timedelta(days=30)), label="events")
    row = compare(account, [events], as_of=as_of, baseline=None).rows[0]
    result = creditrules.simulate(account, events, as_of)
    assert row.total_cost == total_cost(result)
    assert row.balance == result.balance.total and row.days_past_due == result.days_past_due
    assert result.report is not None and row.months == result.report.months
    assert row.history == result.report.history
    assert row.clean_on == result.report.clean_on
    assert row.events == tuple(events) and row.ignored_events == result.ignored_events
    assert attrs.evolve(row, name="x").name == "x"


def test_prepay_keeps_interest_paid_before_the_payoff() -> None:
    """Paying 0.01 more on the payoff day of a prepay loan does not raise the total cost."""
    account = Account(
        id="prepay",
        provider="generic",
        product="installment",
        opened_on=date(2018, 1, 1),
        loan=creditrules.LoanTerms("100.00", 1, "equal_installment", date(2018, 1, 1), "0.01"),
        payments=[Payment(date(2018, 1, 1), "100.08")],
        policy=[RATE, PolicyValue("overpayment", "prepay", source="contract", grade="A")],
    )
    table = compare(
        account, {"less": [], "more": [Payment(date(2018, 1, 1), "0.01")]}, as_of=date(2018, 2, 1)
    )
    assert table.row("more").total_cost <= table.row("less").total_cost
