"""Declarative providers, policy layers and effective dating."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import creditrules
from creditrules import Account, Bill, InputError, Payment, PolicyValue
from creditrules._plugins import get_registry, registry_override

TWO_VERSIONS = """\
format = 1
[provider]
id = "stepco"
name_en = "Step Co"
products = ["revolving"]

[[policy.penalty_daily_rate]]
value = "0.0005"
source = "Step Co terms 2024"
grade = "B"
effective_to = 2025-03-31

[[policy.penalty_daily_rate]]
value = "0.0010"
source = "Step Co notice 2025-04"
grade = "B"
effective_from = 2025-04-01

[[facts]]
key = "reporter"
text = "Reports monthly to the PBOC Credit Reference Center."
source = "Step Co annual report"
grade = "B"

[unknown]
grace_days = "not published; 0 assumed"
"""


def _provider(tmp_path: Path) -> creditrules.Provider:
    path = tmp_path / "stepco.toml"
    path.write_text(TWO_VERSIONS, encoding="utf-8")
    return creditrules.load_provider(path)


def _bill_account(due: date, paid: date, amount: str) -> Account:
    return Account(
        id="s",
        provider="stepco",
        product="revolving",
        opened_on=date(2024, 1, 1),
        bills=[Bill(date(due.year, due.month, 1), due, "1000.00")],
        payments=[Payment(paid, amount)],
    )


def test_load_provider_reads_policy_facts_and_unknowns(tmp_path: Path) -> None:
    """A provider file gives a Provider with sourced versions, facts and unknowns."""
    provider = _provider(tmp_path)
    assert provider.id == "stepco" and provider.products == ("revolving",)
    assert [v.value for v in provider.policy] == [Decimal("0.0005"), Decimal("0.0010")]
    assert provider.fact("reporter").grade == "B"
    assert provider.unknown == (("grace_days", "not published; 0 assumed"),)


def test_effective_dated_rate_applies_by_date(tmp_path: Path) -> None:
    """A rate changed on a date applies to days after it and not before."""
    provider = _provider(tmp_path)
    with registry_override(get_registry().with_providers(provider)):
        before = creditrules.assess(
            _bill_account(date(2025, 3, 10), date(2025, 3, 15), "1002.50"), date(2025, 3, 31)
        )
        after = creditrules.assess(
            _bill_account(date(2025, 4, 10), date(2025, 4, 15), "1005.00"), date(2025, 4, 30)
        )
        across = creditrules.assess(
            _bill_account(date(2025, 3, 29), date(2025, 4, 3), "1004.00"), date(2025, 4, 30)
        )
    assert before.charged.penalty == Decimal("2.50")  # 1000 × 0.05 % × 5
    assert after.charged.penalty == Decimal("5.00")  # 1000 × 0.10 % × 5
    # 30, 31 March at 0.05 % (1.00) + 1–3 April at 0.10 % (3.00).
    assert across.charged.penalty == Decimal("4.00")
    sources = {a.value.source for a in after.policy if a.value.name == "penalty_daily_rate"}
    assert sources == {"Step Co notice 2025-04"}


def test_assess_with_a_loaded_provider_passed_as_the_registry(tmp_path: Path) -> None:
    """A provider from load_provider is used through registry= alone: no override, no env."""
    registry = get_registry().with_providers(_provider(tmp_path))
    text = """\
format = 1
[account]
id = "s"
provider = "stepco"
product = "revolving"
opened_on = 2024-01-01
[[bills]]
statement_date = 2025-04-01
due_date = 2025-04-10
amount = "1000.00"
[[payments]]
date = 2025-04-15
amount = "1005.00"
"""
    account = creditrules.load_account(text, registry=registry)
    result = creditrules.assess(account, date(2025, 4, 30), registry=registry)
    assert result.charged.penalty == Decimal("5.00")  # 1000 × 0.10 % × 5
    assert "stepco" not in get_registry().providers  # nothing global changed
    with pytest.raises(creditrules.CreditRulesError, match="stepco"):
        creditrules.assess(account, date(2025, 4, 30))


def test_provider_file_unknown_keys_suggest_the_close_one() -> None:
    """A misspelt key or parameter in a provider file is named with the close known one."""
    text = (
        'format = 1\n[provider]\nid = "x"\nnmae_en = "X"\n'
        '[policy.grace_day]\nvalue = 1\nsource = "s"\ngrade = "B"\n'
    )
    with pytest.raises(InputError) as caught:
        creditrules.load_provider(text)
    messages = {p.path: p.message for p in caught.value.problems}
    assert messages["$.provider.nmae_en"].startswith("unknown key (did you mean 'name_en'?)")
    assert messages["$.policy.grace_day"].startswith(
        "unknown policy parameter 'grace_day' (did you mean 'grace_days'?)"
    )


def test_account_layer_overrides_provider(tmp_path: Path) -> None:
    """An account's [policy] value overrides the provider's, and the layer is recorded."""
    provider = _provider(tmp_path)
    account = _bill_account(date(2025, 4, 10), date(2025, 4, 15), "1002.50")
    account = Account(
        id=account.id,
        provider=account.provider,
        product=account.product,
        opened_on=account.opened_on,
        bills=account.bills,
        payments=account.payments,
        policy=[PolicyValue("penalty_daily_rate", "0.0005", source="my contract", grade="A")],
    )
    with registry_override(get_registry().with_providers(provider)):
        result = creditrules.assess(account, date(2025, 4, 30))
    assert result.charged.penalty == Decimal("2.50")
    applied = {a.value.name: a.layer for a in result.policy}
    assert applied["penalty_daily_rate"] == "account"
    assert applied["grace_days"] == "default"


def test_provider_file_errors_name_file_and_path(tmp_path: Path) -> None:
    """Errors in a provider file name the file and the JSON path, like account files."""
    path = tmp_path / "bad.toml"
    path.write_text(
        'format = 1\n[provider]\nid = "bad"\n[policy.penalty_daily_rate]\nvalue = "x"\n'
        'source = "s"\ngrade = "Z"\n[policy.grace]\nvalue = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as excinfo:
        creditrules.load_provider(path)
    text = str(excinfo.value)
    assert str(path) in text
    paths = {p.path for p in excinfo.value.problems}
    assert {
        "$.policy.penalty_daily_rate.value",
        "$.policy.penalty_daily_rate.grade",
        "$.policy.grace",
    } <= paths


def test_provider_value_without_source_is_refused(tmp_path: Path) -> None:
    """A provider's policy number without a source is an error: every number needs one."""
    with pytest.raises(InputError, match="source"):
        creditrules.load_provider('format = 1\n[provider]\nid = "x"\n[policy]\ngrace_days = 3\n')


def test_overlapping_versions_are_refused() -> None:
    """Two versions of one value in force on a common day are a load-time error."""
    text = TWO_VERSIONS.replace("effective_to = 2025-03-31", "effective_to = 2025-04-01")
    with pytest.raises(InputError, match="overlapping"):
        creditrules.load_provider(text)


def test_provider_file_syntax_error_names_file(tmp_path: Path) -> None:
    """A TOML syntax error in a provider file names the file, the line and the column."""
    path = tmp_path / "syntax.toml"
    path.write_text("format = 1\n[provider\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"syntax.toml: invalid TOML at line 2, column 10: "):
        creditrules.load_provider(path)


def test_generic_provider_is_builtin() -> None:
    """The generic provider is registered through DEFAULT_PLUGINS like any plugin."""
    registry = get_registry()
    assert "generic" in registry.providers
    assert registry.provider_plugin["generic"] in creditrules.DEFAULT_PLUGINS
