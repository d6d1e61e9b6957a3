"""Tests for creditrules.bureau and the built-in ``pboc`` bureau plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import attrs
import pytest

from creditrules import (
    DEFAULT_PLUGINS,
    Account,
    Bill,
    Bureau,
    Episode,
    PluginError,
    PluginWarning,
    PolicyValue,
    Registry,
    ReliefPolicy,
    assess,
    hookimpl,
)
from creditrules._plugins import get_registry, reset_registry
from creditrules.bureau import add_years
from creditrules.default_plugins.pboc import PBOC, RELIEF_2025, RELIEF_2025_URL

NEGATIVE = {"1", "2", "3", "4", "5", "6", "7", "D", "B"}


class ExampleBureauPlugin:
    """An in-process plugin registering a second bureau."""

    def __init__(self, bureau: Bureau) -> None:
        self.bureau = bureau

    @hookimpl
    def register_bureaus(self, register: Callable[[Bureau], None]) -> None:
        """Register the bureau given at construction."""
        register(self.bureau)


@pytest.fixture
def fresh() -> Iterator[None]:
    """Forget in-process plugins after the test."""
    yield
    reset_registry()


def episode(start: date, end: date | None, amount: str = "500.00") -> Episode:
    """An episode with the given dates and largest overdue amount."""
    return Episode(start, end, 30, Decimal(amount))


# ---------------------------------------------------------------- registration


def test_pboc_is_a_default_plugin() -> None:
    """The PBOC bureau is registered through DEFAULT_PLUGINS like any plugin."""
    assert "creditrules.default_plugins.pboc" in DEFAULT_PLUGINS
    registry = get_registry()
    assert registry.bureau("pboc") == PBOC
    info = next(p for p in registry.plugins if p.name == "creditrules.default_plugins.pboc")
    assert info.bureaus == ("pboc",) and "register_bureaus" in info.hooks


def test_a_plugin_bureau_is_used_when_the_policy_names_it(fresh: None) -> None:
    """A provider or account naming another bureau gets that bureau's report."""
    other = attrs.evolve(PBOC, id="other", name_en="Other", history_months=24, citations=())
    registry: Registry = get_registry(extra=(("other-bureau", ExampleBureauPlugin(other)),))
    assert registry.bureau("other") == other
    account = Account(
        id="a",
        provider="generic",
        product="revolving",
        opened_on=date(2020, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "100.00")],
        policy=[PolicyValue("bureau", "other", source="contract", grade="A")],
    )
    report = assess(account, date(2025, 4, 30)).report
    assert report is not None
    assert report.bureau == "other" and len(report.months) == 24
    assert report.records[0].citations == ()  # a bureau need not source every rule


def test_two_plugins_one_bureau_id_is_an_error_naming_both(fresh: None) -> None:
    """Registering the id ``pboc`` twice is a PluginError naming both plugins (strict)."""
    with pytest.raises(PluginError) as caught:
        get_registry(strict=True, extra=(("copycat", ExampleBureauPlugin(PBOC)),))
    message = str(caught.value)
    assert "'pboc'" in message
    assert "creditrules.default_plugins.pboc" in message and "copycat" in message


def test_a_second_plugin_claiming_a_bureau_id_is_removed(fresh: None) -> None:
    """Not strict: the later plugin claiming ``pboc`` is named in a warning and removed."""
    with pytest.warns(PluginWarning, match="'pboc'.*copycat"):
        registry = get_registry(extra=(("copycat", ExampleBureauPlugin(PBOC)),))
    assert registry.bureau_plugin["pboc"] == "creditrules.default_plugins.pboc"
    assert next(p for p in registry.plugins if p.name == "copycat").error


def test_unknown_bureau_lists_the_installed_ones() -> None:
    """Looking up a missing bureau says which are installed."""
    with pytest.raises(KeyError, match="installed bureaus: pboc"):
        get_registry().bureau("experian")


def test_policy_parameters_bureau_and_snapshot() -> None:
    """``bureau`` and ``snapshot`` are policy parameters with checked values."""
    assert PolicyValue("snapshot", 20, source="s", grade="D").value == 20
    assert PolicyValue("snapshot", "month_end", source="s", grade="D").value == "month_end"
    for bad in (0, 32, True, "15"):
        with pytest.raises(ValueError, match="month_end"):
            PolicyValue("snapshot", bad, source="s", grade="D")
    with pytest.raises(ValueError, match="bureau id"):
        PolicyValue("bureau", "PBOC!", source="s", grade="D")


# ---------------------------------------------------------------- the bureau value


def test_pboc_codes() -> None:
    """The PBOC defines the 14 codes of A.7; the negative ones are 1–7, D and B."""
    assert {c.code for c in PBOC.codes} == NEGATIVE | {"/", "N", "*", "M", "C"}
    assert {c.code for c in PBOC.codes if c.negative} == NEGATIVE
    assert PBOC.worst(["N", "M", "*"]) == "M" and PBOC.worst(["7", "D", "B"]) == "B"
    assert PBOC.worst(["/", "*", "N"]) == "N"


def test_dpd_code_rejects_zero() -> None:
    """A code exists only for one day past due or more."""
    with pytest.raises(ValueError, match="≥ 1"):
        PBOC.dpd_code(0)


def test_bureau_must_define_the_codes_it_uses() -> None:
    """A bureau missing a required code is rejected."""
    with pytest.raises(ValueError, match="does not define status code 'M'"):
        attrs.evolve(PBOC, codes=tuple(c for c in PBOC.codes if c.code != "M"))


def test_bureau_snapshot_is_checked() -> None:
    """A bureau's default snapshot is 'month_end' or a day of the month."""
    assert attrs.evolve(PBOC, snapshot=25).snapshot == 25
    with pytest.raises(ValueError, match="snapshot"):
        attrs.evolve(PBOC, snapshot=0)


def test_pboc_rules_are_sourced() -> None:
    """Retention cites 条例 Art. 16 [A]; disputes Art. 25 [A]; codes public code [D]."""
    assert (
        PBOC.citation("expires_on").grade == "A" and "Art. 16" in PBOC.citation("expires_on").source
    )
    assert PBOC.citation("dispute").grade == "A" and "Art. 25" in PBOC.citation("dispute").source
    assert PBOC.citation("status").grade == "D"
    assert RELIEF_2025.grade == "A" and RELIEF_2025_URL in RELIEF_2025.source
    assert "max_overdue_amount" in RELIEF_2025.note
    assert (PBOC.retention_years, PBOC.dispute_days, PBOC.history_months) == (5, 20, 60)
    assert (PBOC.flags.window_months, PBOC.flags.consecutive, PBOC.flags.cumulative) == (24, 3, 6)


def test_add_years_29_february() -> None:
    """29 Feb + 5 years is 28 Feb; + 4 years stays 29 Feb; other days are unchanged."""
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 4, 20), 5) == date(2030, 4, 20)


# ---------------------------------------------------------------- the relief as data


@pytest.mark.parametrize(
    ("start", "end", "amount", "hidden"),
    [
        (date(2020, 1, 1), date(2025, 11, 30), "10000.00", date(2026, 1, 1)),
        (date(2019, 12, 31), date(2025, 11, 30), "10000.00", None),
        (date(2025, 12, 31), date(2026, 1, 15), "500.00", date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 1, 15), "500.00", None),
        (date(2025, 3, 1), date(2025, 12, 1), "500.00", date(2026, 1, 31)),
        (date(2025, 3, 1), date(2026, 3, 31), "500.00", date(2026, 4, 30)),
        (date(2025, 3, 1), date(2026, 4, 1), "500.00", None),
        (date(2025, 3, 1), date(2025, 4, 1), "10000.01", None),
        (date(2025, 3, 1), None, "500.00", None),
    ],
)
def test_relief_hides_from(start: date, end: date | None, amount: str, hidden: date | None) -> None:
    """The 2025 relief's boundaries, on episodes directly."""
    assert RELIEF_2025.hides_from(episode(start, end, amount)) == hidden


def test_relief_says_why_not() -> None:
    """An episode that does not qualify is told why."""
    assert "exceeds 10000.00" in RELIEF_2025.why_not(
        episode(date(2025, 3, 1), date(2025, 4, 1), "10000.01")
    )
    assert "after 2026-03-31" in RELIEF_2025.why_not(episode(date(2025, 3, 1), date(2026, 4, 1)))
    assert "not paid" in RELIEF_2025.why_not(episode(date(2025, 3, 1), None))
    assert RELIEF_2025.why_not(episode(date(2025, 3, 1), date(2025, 4, 1))) == ""


def test_relief_rejects_inverted_windows() -> None:
    """A relief whose start window is inverted is rejected."""
    with pytest.raises(ValueError, match="started_to is before started_from"):
        attrs.evolve(RELIEF_2025, started_to=date(2019, 1, 1))


def test_relief_is_a_value() -> None:
    """ReliefPolicy is a frozen value; amounts are exact Decimals."""
    assert isinstance(RELIEF_2025.max_overdue_amount, Decimal)
    assert attrs.evolve(RELIEF_2025) == RELIEF_2025
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        RELIEF_2025.id = "x"  # type: ignore[misc]
    assert isinstance(RELIEF_2025, ReliefPolicy)
