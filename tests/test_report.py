"""Tests for creditrules.report: the simulated PBOC status grid, records, relief, flags."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditrules import (
    Account,
    AccountClosed,
    Bill,
    GuarantorPaid,
    InputError,
    LoanTerms,
    Payment,
    PolicyValue,
    Report,
    ReportedMonth,
    WrittenOff,
    assess,
    build_report,
    from_dict,
    to_dict,
)
from creditrules.default_plugins.pboc import PBOC, RELIEF_2025
from creditrules.testing.strategies import accounts, as_of_dates

OPENED = date(2018, 1, 1)


def contract(name: str, value: object) -> PolicyValue:
    """A policy value as the borrower's contract states it."""
    return PolicyValue(name, value, source="contract", grade="A")


def one_bill(
    due: date,
    paid_on: date | None = None,
    amount: str = "500.00",
    *,
    grace: int = 0,
    opened: date = OPENED,
    events: tuple[object, ...] = (),
    reported: tuple[ReportedMonth, ...] = (),
    policy: tuple[PolicyValue, ...] = (),
) -> Account:
    """A revolving account with one bill due on ``due``, paid in full on ``paid_on``."""
    payments = [Payment(paid_on, amount)] if paid_on is not None else []
    return Account(
        id="t",
        provider="generic",
        product="revolving",
        opened_on=opened,
        bills=[Bill(due - timedelta(days=9), due, amount)],
        payments=payments,
        events=events,
        reported=reported,
        policy=(contract("grace_days", grace), *policy),
    )


def loan(
    payments: list[tuple[date, str]], *, term: int = 3, opened: date = date(2025, 1, 5)
) -> Account:
    """A 0% equal-principal loan of 300.00 per month starting on ``opened``."""
    return Account(
        id="l",
        provider="generic",
        product="installment",
        opened_on=opened,
        loan=LoanTerms(
            principal=str(300 * term),
            term_months=term,
            method="equal_principal",
            start_date=opened,
            annual_rate="0",
        ),
        payments=[Payment(day, amount) for day, amount in payments],
    )


def report_of(account: Account, as_of: date) -> Report:
    """The report of ``account`` at ``as_of``."""
    report = assess(account, as_of).report
    assert report is not None
    return report


def code(account: Account, as_of: date, month: str) -> str:
    """The displayed code of ``month``."""
    return report_of(account, as_of).months[month]


# ---------------------------------------------------------------- the grid


def test_months_are_the_last_60_up_to_as_of() -> None:
    """The grid holds 60 months in order, ending with the as-of month."""
    months = list(
        report_of(one_bill(date(2025, 3, 10), date(2025, 3, 10)), date(2025, 5, 31)).months
    )
    assert len(months) == 60
    assert months[0] == "2020-06" and months[-1] == "2025-05"
    assert months == sorted(months)


def test_slash_before_the_opening_month() -> None:
    """``/``: months before the account opened."""
    account = one_bill(date(2025, 4, 10), date(2025, 4, 10), opened=date(2025, 3, 15))
    report = report_of(account, date(2025, 5, 31))
    assert report.months["2025-02"] == "/"
    assert report.months["2025-03"] == "*"
    assert "2025-02" not in report.history


def test_n_paid_as_agreed() -> None:
    """``N``: the month's bill was paid on its due date."""
    assert code(one_bill(date(2025, 3, 10), date(2025, 3, 10)), date(2025, 4, 30), "2025-03") == "N"


def test_star_nothing_due_and_no_arrears() -> None:
    """``*``: nothing fell due in the month and nothing was in arrears."""
    assert code(one_bill(date(2025, 3, 10), date(2025, 3, 10)), date(2025, 4, 30), "2025-04") == "*"


def test_n_while_an_older_item_is_in_grace() -> None:
    """An unpaid item within grace at the snapshot is not negative; the month is N, not ``*``."""
    account = one_bill(date(2025, 3, 31), date(2025, 4, 3), grace=5)
    assert report_of(account, date(2025, 4, 2)).months["2025-04"] == "N"
    report = report_of(account, date(2025, 4, 30))
    assert (report.months["2025-03"], report.months["2025-04"]) == ("N", "*")
    assert report.records == ()


def test_m_late_but_cured_before_the_snapshot() -> None:
    """``M``: due on the 10th, paid on the 20th: late, cured before month end; not negative."""
    report = report_of(one_bill(date(2025, 3, 10), date(2025, 3, 20)), date(2025, 4, 30))
    assert report.months["2025-03"] == "M"
    assert report.records == () and report.flags == ()
    assert not PBOC.is_negative("M")


def test_m_needs_payment_beyond_grace() -> None:
    """Paid within grace is ``N``; paid one day after grace is ``M``."""
    assert (
        code(one_bill(date(2025, 3, 10), date(2025, 3, 15), grace=5), date(2025, 4, 30), "2025-03")
        == "N"
    )
    assert (
        code(one_bill(date(2025, 3, 10), date(2025, 3, 16), grace=5), date(2025, 4, 30), "2025-03")
        == "M"
    )


def test_m_for_an_item_due_at_month_end_paid_late_next_month() -> None:
    """An item due on the snapshot day and paid late next month shows ``M`` in that month."""
    report = report_of(one_bill(date(2025, 3, 31), date(2025, 4, 5)), date(2025, 5, 31))
    assert report.months["2025-03"] == "N"
    assert report.months["2025-04"] == "M"


@pytest.mark.parametrize(
    ("dpd", "expected"),
    [
        (1, "1"),
        (30, "1"),
        (31, "2"),
        (60, "2"),
        (61, "3"),
        (90, "3"),
        (91, "4"),
        (120, "4"),
        (121, "5"),
        (150, "5"),
        (151, "6"),
        (180, "6"),
        (181, "7"),
        (400, "7"),
    ],
)
def test_dpd_band_edges(dpd: int, expected: str) -> None:
    """``1``–``7``: days past due at the snapshot fall in 30-day bands; 181+ is ``7``."""
    snapshot = date(2025, 8, 31)
    account = one_bill(snapshot - timedelta(days=dpd))
    assert code(account, snapshot, "2025-08") == expected


def test_dpd_counts_from_the_due_date_not_the_grace_end() -> None:
    """With 10 days' grace, an item due 31 July is 31 days past due on 31 August: ``2``."""
    assert code(one_bill(date(2025, 7, 31), grace=10), date(2025, 8, 31), "2025-08") == "2"


def test_in_grace_at_the_snapshot_is_not_negative() -> None:
    """An item within grace at the snapshot is not reported past due."""
    assert code(one_bill(date(2025, 8, 25), grace=10), date(2025, 8, 31), "2025-08") == "N"


def test_c_installment_loan_paid_off_then_nothing_reported() -> None:
    """``C`` in the month the loan is paid off; ``/`` after it (nothing is reported)."""
    account = loan(
        [(date(2025, 2, 5), "300"), (date(2025, 3, 5), "300"), (date(2025, 4, 5), "300")]
    )
    report = report_of(account, date(2025, 7, 31))
    assert [report.months[m] for m in ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05")] == [
        "*",
        "N",
        "N",
        "C",
        "/",
    ]


def test_interest_free_interest_first_loan_is_never_negative() -> None:
    """Zero installments (0 % 先息后本) are never past due; repaid at term the loan shows C."""
    account = attrs.evolve(
        loan([(date(2025, 4, 5), "900.00")]),
        loan=LoanTerms(
            principal="900",
            term_months=3,
            method="interest_first",
            start_date=date(2025, 1, 5),
            annual_rate="0",
        ),
    )
    report = report_of(account, date(2025, 6, 30))
    assert report.records == () and report.flags == ()
    assert [report.history[m] for m in ("2025-02", "2025-03", "2025-04", "2025-05")] == [
        "N",
        "N",
        "C",
        "/",
    ]


def test_c_revolving_needs_a_closing_event() -> None:
    """A paid revolving account is ``C`` only in the month an AccountClosed event closes it."""
    paid = one_bill(date(2025, 3, 10), date(2025, 3, 10))
    assert "C" not in report_of(paid, date(2025, 6, 30)).months.values()
    closed = attrs.evolve(paid, events=[AccountClosed(date(2025, 5, 2))])
    months = report_of(closed, date(2025, 6, 30)).months
    assert (months["2025-04"], months["2025-05"], months["2025-06"]) == ("*", "C", "/")


def test_c_revolving_closed_without_bills() -> None:
    """A revolving account closed before any bill shows C in the closing month."""
    account = Account(
        id="empty",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 5),
        events=[AccountClosed(date(2025, 2, 10))],
    )
    assert list(report_of(account, date(2025, 3, 31)).history.values()) == ["*", "C", "/"]


def test_c_waits_until_a_closed_account_is_paid() -> None:
    """An account closed while something is owed shows ``C`` in the month it is paid."""
    account = one_bill(
        date(2025, 3, 10), date(2025, 5, 20), events=(AccountClosed(date(2025, 3, 20)),)
    )
    months = report_of(account, date(2025, 6, 30)).months
    assert (months["2025-03"], months["2025-04"], months["2025-05"]) == ("1", "2", "C")


def test_b_written_off_and_unpaid() -> None:
    """``B``: written off and unpaid, from the write-off month on; negative."""
    account = one_bill(date(2025, 3, 10), events=(WrittenOff(date(2025, 6, 15)),))
    report = report_of(account, date(2025, 8, 31))
    assert [report.months[m] for m in ("2025-05", "2025-06", "2025-07")] == ["3", "B", "B"]
    assert report.records[0].worst == "B" and report.max_status == "B"


def test_d_guarantor_paid_this_month() -> None:
    """``D`` in the month a guarantor pays (代偿); past-due codes resume after it."""
    account = one_bill(date(2025, 3, 10), events=(GuarantorPaid(date(2025, 5, 15), guarantor="G"),))
    report = report_of(account, date(2025, 7, 31))
    assert [report.months[m] for m in ("2025-04", "2025-05", "2025-06")] == ["2", "D", "4"]
    assert report.records[0].months == ("2025-03", "2025-04", "2025-05", "2025-06", "2025-07")


def test_snapshot_day_from_policy() -> None:
    """A provider reporting on the 15th sees 5 days past due where month end sees ``M``."""
    account = one_bill(date(2025, 3, 10), date(2025, 3, 20))
    assert code(account, date(2025, 4, 30), "2025-03") == "M"
    on_15th = attrs.evolve(account, policy=(*account.policy, contract("snapshot", 15)))
    assert code(on_15th, date(2025, 4, 30), "2025-03") == "1"


def test_provisional_month_when_snapshot_is_after_as_of() -> None:
    """The as-of month is computed at as_of and marked provisional until its snapshot."""
    account = one_bill(date(2025, 3, 10))
    report = report_of(account, date(2025, 3, 20))
    assert report.provisional_month == "2025-03" and report.months["2025-03"] == "1"
    assert report_of(account, date(2025, 3, 31)).provisional_month is None


def test_unknown_bureau_is_an_input_error() -> None:
    """An account naming an uninstalled bureau gets an InputError at $.policy.bureau."""
    account = one_bill(date(2025, 3, 10), policy=(contract("bureau", "nowhere"),))
    with pytest.raises(InputError, match="unknown credit bureau 'nowhere'"):
        assess(account, date(2025, 4, 30))


def test_build_report_matches_assess() -> None:
    """build_report with the installed bureau gives the report assess stores."""
    account = one_bill(date(2025, 3, 10), date(2025, 4, 20))
    assessment = assess(account, date(2025, 6, 30))
    assert build_report(assessment, account) == assessment.report


def test_report_round_trips_through_the_converter() -> None:
    """A report survives to_dict/from_dict unchanged."""
    report = report_of(one_bill(date(2025, 3, 10), date(2025, 4, 20)), date(2025, 6, 30))
    assert from_dict(Report, to_dict(report)) == report


# ---------------------------------------------------------------- records and retention


def test_record_groups_the_negative_months_of_an_episode() -> None:
    """One episode, three negative months, one record with the episode's dates."""
    account = one_bill(date(2019, 3, 10), date(2019, 6, 20))
    assessment = assess(account, date(2019, 7, 31))
    assert assessment.report is not None
    (record,) = assessment.report.records
    (episode,) = assessment.episodes
    assert record.months == ("2019-03", "2019-04", "2019-05")
    assert (record.first_month, record.last_month, record.worst) == ("2019-03", "2019-05", "3")
    assert (record.episode_start, record.ended_on) == (episode.start, episode.end)


def test_expires_exactly_five_years_after_it_ends() -> None:
    """Ended 2019-04-20: visible on 2024-04-19, expired (shown N) from 2024-04-20."""
    account = one_bill(date(2019, 3, 10), date(2019, 4, 20))
    before = report_of(account, date(2024, 4, 19))
    (record,) = before.records
    assert record.ended_on == date(2019, 4, 20)
    assert record.expires_on == record.hidden_from == date(2024, 4, 20)
    assert record.status == "visible" and before.clean_on == date(2024, 4, 20)
    assert record.citation("expires_on").source.endswith("Art. 16")
    after = report_of(account, date(2024, 4, 20))
    assert after.records[0].status == "expired"
    assert after.history["2019-03"] == "1"


def test_expired_months_show_n() -> None:
    """After expiry the record's months count as N: a report still showing them is worse."""
    account = one_bill(
        date(2019, 3, 10), date(2019, 4, 20), reported=(ReportedMonth("2019-03", "1"),)
    )
    assert report_of(account, date(2024, 4, 19)).discrepancies == ()
    (d,) = report_of(account, date(2024, 4, 20)).discrepancies
    assert (d.reported, d.computed, d.direction) == ("1", "N", "worse")
    assert "expired from 2024-04-20" in d.note


def test_29_february_expires_on_28_february() -> None:
    """A record ended on 29 Feb 2024 expires on 28 Feb 2029."""
    account = one_bill(date(2024, 1, 20), date(2024, 2, 29), amount="12000.00")
    (record,) = report_of(account, date(2029, 2, 27)).records
    assert record.expires_on == date(2029, 2, 28) and record.status == "visible"
    assert report_of(account, date(2029, 2, 28)).records[0].status == "expired"


def test_unpaid_never_expires() -> None:
    """An unpaid record has no expiry and no hidden_from; clean_on is None."""
    report = report_of(one_bill(date(2019, 3, 10)), date(2035, 1, 31))
    (record,) = report.records
    assert (record.ended_on, record.expires_on, record.hidden_from) == (None, None, None)
    assert record.status == "visible" and report.clean_on is None
    assert record.citation("unpaid").grade == "A"


def test_clean_on_is_the_last_hidden_from() -> None:
    """With two paid records, clean_on is the later one's hidden_from."""
    account = Account(
        id="two",
        provider="generic",
        product="revolving",
        opened_on=OPENED,
        bills=[
            Bill(date(2019, 3, 1), date(2019, 3, 10), "500"),
            Bill(date(2019, 8, 1), date(2019, 8, 10), "500"),
        ],
        payments=[Payment(date(2019, 4, 20), "500"), Payment(date(2019, 9, 20), "500")],
    )
    report = report_of(account, date(2020, 1, 31))
    assert [r.expires_on for r in report.records] == [date(2024, 4, 20), date(2024, 9, 20)]
    assert report.clean_on == date(2024, 9, 20) and not report.clean


def test_clean_on_is_the_opening_day_without_records() -> None:
    """An account never negative is clean since it opened."""
    report = report_of(one_bill(date(2025, 3, 10), date(2025, 3, 20)), date(2025, 4, 30))
    assert report.clean_on == OPENED and report.clean


def test_clean_on_is_none_while_overdue_before_any_snapshot() -> None:
    """Overdue at as_of but after the month's snapshot (the 15th): no record yet, clean_on None."""
    account = one_bill(date(2025, 4, 17), policy=(contract("snapshot", 15),))
    report = report_of(account, date(2025, 4, 20))
    assert report.records == () and report.provisional_month is None
    assert report.clean_on is None and "current_overdue" in report.flags


# ---------------------------------------------------------------- the 2025 relief


def relieved(account: Account, as_of: date) -> tuple[str, date | None]:
    """The single record's status and hidden_from at ``as_of``."""
    (record,) = report_of(account, as_of).records
    return record.status, record.hidden_from


def test_relief_amount_10000_00_qualifies() -> None:
    """Largest overdue amount exactly 10,000.00: hidden from 2026-01-01."""
    account = one_bill(date(2025, 3, 10), date(2025, 4, 20), amount="10000.00")
    assert relieved(account, date(2026, 1, 1)) == ("relieved", date(2026, 1, 1))
    assert report_of(account, date(2026, 1, 1)).records[0].relief == RELIEF_2025.id


def test_relief_amount_10000_01_does_not_qualify() -> None:
    """Largest overdue amount 10,000.01: not relieved, hidden only at expiry."""
    account = one_bill(date(2025, 3, 10), date(2025, 4, 20), amount="10000.01")
    assert relieved(account, date(2026, 6, 1)) == ("visible", date(2030, 4, 20))
    assert report_of(account, date(2026, 6, 1)).records[0].relief is None


def test_relief_counts_penalty_in_the_amount() -> None:
    """9,990.00 plus penalty beyond 10,000.00 does not qualify (max_overdue_amount reading)."""
    account = one_bill(
        date(2025, 3, 10), amount="9990.00", policy=(contract("penalty_daily_rate", "0.0005"),)
    )
    account = attrs.evolve(account, payments=[Payment(date(2025, 4, 20), "10300.00")])
    (record,) = report_of(account, date(2026, 6, 1)).records
    assert record.max_overdue_amount > Decimal("10000.00") and record.status == "visible"


def test_relief_started_2025_12_31_qualifies() -> None:
    """Started 2025-12-31 (due 12-30), ended 2026-02-10: hidden from 2026-03-31."""
    account = one_bill(date(2025, 12, 30), date(2026, 2, 10))
    assert report_of(account, date(2026, 3, 31)).records[0].episode_start == date(2025, 12, 31)
    assert relieved(account, date(2026, 3, 30)) == ("visible", date(2026, 3, 31))
    assert relieved(account, date(2026, 3, 31)) == ("relieved", date(2026, 3, 31))


def test_relief_started_2026_01_01_does_not_qualify() -> None:
    """Started 2026-01-01 (due 12-31), ended 2026-02-10: never relieved."""
    account = one_bill(date(2025, 12, 31), date(2026, 2, 10))
    assert report_of(account, date(2026, 4, 1)).records[0].episode_start == date(2026, 1, 1)
    assert relieved(account, date(2026, 4, 1)) == ("visible", date(2031, 2, 10))


def test_relief_started_2020_01_01_qualifies() -> None:
    """Started 2020-01-01 (due 2019-12-31), ended 2021-03-01: relieved from 2026-01-01."""
    account = one_bill(date(2019, 12, 31), date(2021, 3, 1))
    assert relieved(account, date(2025, 12, 31)) == ("visible", date(2026, 1, 1))
    assert relieved(account, date(2026, 1, 1)) == ("relieved", date(2026, 1, 1))


def test_relief_started_2019_12_31_does_not_qualify() -> None:
    """Started 2019-12-31 (due 12-30), ended 2021-03-01: visible until it expires in 2026-03."""
    account = one_bill(date(2019, 12, 30), date(2021, 3, 1))
    assert relieved(account, date(2026, 1, 1)) == ("visible", date(2026, 3, 1))


def test_relief_ended_2025_11_30_hidden_from_2026_01_01() -> None:
    """Ended 2025-11-30: visible on 2025-12-31, relieved from 2026-01-01."""
    account = one_bill(date(2025, 10, 20), date(2025, 11, 30))
    assert relieved(account, date(2025, 12, 31)) == ("visible", date(2026, 1, 1))
    assert relieved(account, date(2026, 1, 1)) == ("relieved", date(2026, 1, 1))


def test_relief_ended_2025_12_01_hidden_from_2026_01_31() -> None:
    """Ended 2025-12-01: hidden from the last day of the following month, 2026-01-31."""
    account = one_bill(date(2025, 10, 20), date(2025, 12, 1))
    assert relieved(account, date(2026, 1, 30)) == ("visible", date(2026, 1, 31))
    assert relieved(account, date(2026, 1, 31)) == ("relieved", date(2026, 1, 31))


def test_relief_ended_2026_01_15_hidden_from_2026_02_28() -> None:
    """The brief's example: ended 2026-01-15 → hidden from 2026-02-28."""
    account = one_bill(date(2025, 12, 10), date(2026, 1, 15))
    assert relieved(account, date(2026, 2, 27)) == ("visible", date(2026, 2, 28))
    assert relieved(account, date(2026, 2, 28)) == ("relieved", date(2026, 2, 28))


def test_relief_ended_2026_03_31_qualifies() -> None:
    """Ended 2026-03-31: hidden from 2026-04-30."""
    account = one_bill(date(2025, 11, 20), date(2026, 3, 31))
    assert relieved(account, date(2026, 4, 29)) == ("visible", date(2026, 4, 30))
    assert relieved(account, date(2026, 4, 30)) == ("relieved", date(2026, 4, 30))


def test_relief_ended_2026_04_01_does_not_qualify() -> None:
    """Ended 2026-04-01: too late for the relief; hidden only at expiry in 2031."""
    account = one_bill(date(2025, 11, 20), date(2026, 4, 1))
    assert relieved(account, date(2026, 5, 31)) == ("visible", date(2031, 4, 1))


def test_relieved_months_show_n_and_drop_the_flags() -> None:
    """Relieved months display N; the flags and max_status follow the displayed grid."""
    account = one_bill(date(2025, 3, 10), date(2025, 10, 20), amount="2000.00")
    before = report_of(account, date(2025, 12, 31))
    assert before.months["2025-05"] == "3" and "three_consecutive" in before.flags
    after = report_of(account, date(2026, 1, 1))
    assert after.months["2025-05"] == "N" and after.history["2025-05"] == "3"
    assert after.flags == () and after.max_status == "N"


def test_unpaid_record_notes_the_relief_deadline() -> None:
    """An unpaid, otherwise eligible record says paying by 2026-03-31 would qualify it."""
    report = report_of(one_bill(date(2025, 11, 10)), date(2026, 2, 1))
    assert any("2026-03-31" in note for note in report.records[0].notes)


def test_a_future_relief_is_data() -> None:
    """A second relief policy added to the bureau as data hides what it covers."""
    later = attrs.evolve(
        RELIEF_2025,
        id="future",
        effective_on=date(2031, 1, 1),
        started_from=date(2030, 1, 1),
        started_to=date(2030, 12, 31),
        ended_by=date(2031, 3, 31),
        backlog_ended_by=date(2030, 11, 30),
    )
    bureau = attrs.evolve(PBOC, reliefs=(RELIEF_2025, later))
    account = one_bill(date(2030, 3, 10), date(2030, 4, 20))
    assessment = assess(account, date(2031, 1, 1))
    (record,) = build_report(assessment, account, bureau=bureau).records
    assert (record.status, record.hidden_from, record.relief) == (
        "relieved",
        date(2031, 1, 1),
        "future",
    )


# ---------------------------------------------------------------- flags


def test_three_consecutive_and_six_cumulative() -> None:
    """Six negative months in a row raise 连三 and 累六; current_overdue while unpaid."""
    account = one_bill(date(2024, 3, 10), amount="20000.00")
    report = report_of(account, date(2024, 8, 31))
    assert report.flags == ("three_consecutive", "six_cumulative", "current_overdue")


def test_two_months_raise_no_flag() -> None:
    """Two negative months, paid: no flags."""
    report = report_of(
        one_bill(date(2024, 3, 10), date(2024, 5, 5), amount="20000.00"), date(2024, 8, 31)
    )
    assert report.flags == ()
    assert report.max_status == "2"


def test_flags_look_at_the_latest_24_months_only() -> None:
    """Negative months older than the window raise no flag."""
    account = one_bill(date(2021, 3, 10), date(2021, 10, 20), amount="20000.00")
    assert "six_cumulative" in report_of(account, date(2023, 2, 28)).flags
    assert report_of(account, date(2023, 12, 31)).flags == ()


def test_flag_window_is_a_bureau_value() -> None:
    """A bureau with a 12-month window stops flagging sooner."""
    account = one_bill(date(2021, 3, 10), date(2021, 10, 20), amount="20000.00")
    assessment = assess(account, date(2022, 9, 30))
    twelve = attrs.evolve(PBOC, flags=attrs.evolve(PBOC.flags, window_months=12))
    assert "six_cumulative" in build_report(assessment, account, bureau=PBOC).flags
    assert build_report(assessment, account, bureau=twelve).flags == ()


# ---------------------------------------------------------------- discrepancies


def test_a_correct_report_has_no_discrepancy() -> None:
    """Reporting exactly the computed codes gives no discrepancy."""
    account = one_bill(date(2025, 3, 10), date(2025, 5, 20), amount="20000.00")
    history = report_of(account, date(2025, 6, 30)).history
    lines = tuple(ReportedMonth(month, status) for month, status in history.items())
    assert report_of(attrs.evolve(account, reported=lines), date(2025, 6, 30)).discrepancies == ()


def test_a_wrong_line_is_a_discrepancy() -> None:
    """Reported 2 where 1 is computed is worse; reported N where 2 is computed is better."""
    account = one_bill(
        date(2025, 3, 10),
        date(2025, 5, 20),
        amount="20000.00",
        reported=(
            ReportedMonth("2025-03", "2"),
            ReportedMonth("2025-04", "N"),
            ReportedMonth("2025-05", "N"),
        ),
    )
    report = report_of(account, date(2025, 6, 30))
    assert [(d.month, d.reported, d.computed, d.direction) for d in report.discrepancies] == [
        ("2025-03", "2", "1", "worse"),
        ("2025-04", "N", "2", "better"),
    ]
    assert "20 days" in report.discrepancies[0].note


def test_same_rank_codes_are_not_discrepancies() -> None:
    """``*`` against ``N``, and months after as_of, are not reported as discrepancies."""
    account = one_bill(
        date(2025, 3, 10),
        date(2025, 3, 10),
        reported=(ReportedMonth("2025-04", "N"), ReportedMonth("2025-09", "7")),
    )
    assert report_of(account, date(2025, 5, 31)).discrepancies == ()


def test_relieved_month_still_negative_on_the_report() -> None:
    """A relieved month still shown negative is worse, with a note about the report's date."""
    account = one_bill(
        date(2025, 3, 10), date(2025, 4, 20), reported=(ReportedMonth("2025-03", "1"),)
    )
    (d,) = report_of(account, date(2026, 2, 1)).discrepancies
    assert (d.computed, d.direction) == ("N", "worse") and "relieved from 2026-01-01" in d.note


# ---------------------------------------------------------------- properties

PAYMENT_DELAYS = st.sampled_from((-3, 0, 2, 9, 25, 40, 75, 130, 200, None))


@st.composite
def loans_with_payments(draw: st.DrawFn) -> tuple[Account, date]:
    """A small loan whose installments are paid early, on time, late or never (penalty or not)."""
    term = draw(st.integers(2, 5))
    start = draw(st.dates(date(2022, 1, 1), date(2025, 6, 30)))
    grace = draw(st.sampled_from((0, 0, 3)))
    policy = [contract("grace_days", grace)]
    if draw(st.booleans()):
        policy.append(contract("penalty_daily_rate", "0.0005"))
    amount = draw(st.sampled_from(("300.00", "330.00")))
    account = attrs.evolve(loan([], term=term, opened=start), policy=policy)
    base = assess(account, start)
    payments = []
    for item in base.items:
        delay = draw(PAYMENT_DELAYS)
        if delay is not None:
            payments.append(Payment(max(start, item.due_date + timedelta(days=delay)), amount))
    as_of = start + timedelta(days=draw(st.integers(60, 500)))
    return attrs.evolve(account, payments=payments), as_of


@given(loans_with_payments(), st.data())
def test_paying_earlier_never_makes_a_month_worse(
    case: tuple[Account, date], data: st.DataObject
) -> None:
    """Moving any payment earlier never makes any month's code (as reported then) worse."""
    account, as_of = case
    if not account.payments:
        return
    index = data.draw(st.integers(0, len(account.payments) - 1))
    moved = account.payments[index]
    days = data.draw(st.integers(1, 120))
    earlier_day = max(account.opened_on, moved.date - timedelta(days=days))
    payments = list(account.payments)
    payments[index] = Payment(earlier_day, moved.amount)
    late = report_of(account, as_of).history
    early = report_of(attrs.evolve(account, payments=payments), as_of).history
    assert list(late) == list(early)
    for month in late:
        assert PBOC.severity(early[month]) <= PBOC.severity(late[month]), month


def _snapshot(month: str) -> date:
    year, number = int(month[:4]), int(month[5:])
    return (date(year + number // 12, number % 12 + 1, 1)) - timedelta(days=1)


@given(st.data())
def test_every_negative_month_belongs_to_exactly_one_record(data: st.DataObject) -> None:
    """The records partition the negative months of the history."""
    account = data.draw(accounts(max_items=6))
    as_of = data.draw(as_of_dates(account, max_days_after=300))
    report = report_of(account, as_of)
    negative = [m for m, c in report.history.items() if PBOC.is_negative(c)]
    counted = Counter(m for r in report.records for m in r.months)
    assert sorted(counted) == negative
    assert all(n == 1 for n in counted.values())
    for record in report.records:
        assert record.status in ("visible", "relieved", "expired")
        assert (record.status == "visible") == (
            record.hidden_from is None or as_of < record.hidden_from
        )
        if record.ended_on is not None:
            assert record.expires_on is not None and record.hidden_from is not None
            assert record.hidden_from <= record.expires_on
        else:
            assert record.expires_on is None


@given(loans_with_payments())
def test_codes_are_consistent_with_episodes(case: tuple[Account, date]) -> None:
    """A past-due code lies inside an episode whose days past due reach its band, and back."""
    account, as_of = case
    assessment = assess(account, as_of)
    assert assessment.report is not None
    grace: int = assessment.policy_value("grace_days")
    for month, status in assessment.report.history.items():
        day = min(_snapshot(month), as_of)
        covering = [
            e for e in assessment.episodes if e.start <= day and (e.end is None or e.end > day)
        ]
        if status in PBOC.dpd_codes:
            assert covering, month
            lowest = PBOC.dpd_codes.index(status) * PBOC.dpd_band_days + 1
            assert max(e.max_days_past_due for e in covering) >= lowest
            assert max((day - e.start).days + 1 for e in covering) >= lowest
        # Back: an item of a covering episode unpaid and beyond its grace at the snapshot
        # makes the month negative.
        beyond = [
            item
            for e in covering
            for item in map(assessment.item, e.items)
            if (day - item.due_date).days > grace
            and (item.settled_on is None or item.settled_on > day)
        ]
        if beyond:
            assert PBOC.is_negative(status), month


# ---------------------------------------------------------------- rendering


def _render(report: Report) -> str:
    """The report as plain terminal text."""
    pytest.importorskip("rich")
    from rich.console import Console

    from creditrules import get_registry
    from creditrules._render.report import render_report

    console = Console(record=True, width=110, color_system=None)
    console.print(render_report(report, get_registry()))
    return console.export_text()


def test_render_shows_the_grid_records_flags_and_discrepancies() -> None:
    """The rendering has a row per year, the record's expiry, the flags and the disputes."""
    account = one_bill(
        date(2024, 3, 10),
        date(2024, 10, 20),
        amount="20000.00",
        reported=(ReportedMonth("2024-03", "3"),),
    )
    text = _render(report_of(account, date(2024, 12, 31)))
    assert "Jan" in text and "Dec" in text
    assert next(line for line in text.splitlines() if line.startswith("2024")).split()[1:] == [
        "*",
        "*",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "*",
        "*",
        "*",
    ]
    assert "2029-10-20" in text and "连三" in text and "累六" in text
    assert "worse" in text and "20 days" in text


def test_render_marks_provisional_and_hidden_months() -> None:
    """A provisional month gets a ``?``; relieved months are explained in the legend."""
    text = _render(report_of(one_bill(date(2025, 3, 10), date(2025, 4, 20)), date(2026, 1, 10)))
    assert "/?" in text or "*?" in text
    assert "hidden by relief or expiry" in text and "relieved" in text


def test_summary_line() -> None:
    """The one-line summary names visible records, the clean date and the flags."""
    pytest.importorskip("rich")
    from creditrules import get_registry
    from creditrules._render.report import summary_line

    registry = get_registry()
    visible = report_of(one_bill(date(2019, 3, 10), date(2019, 4, 20)), date(2020, 1, 31))
    assert summary_line(visible, registry) == (
        "1 negative record visible (worst 1), clean on 2024-04-20; flags: none"
    )
    unpaid = report_of(one_bill(date(2025, 3, 10), amount="20000.00"), date(2025, 8, 31))
    line = summary_line(unpaid, registry)
    assert "until everything past due is paid" in line
    assert "连三" in line and "累六" in line and "current overdue" in line
    clean = report_of(one_bill(date(2025, 3, 10), date(2025, 3, 10)), date(2025, 4, 30))
    assert summary_line(clean, registry) == "no negative record visible; flags: none"
