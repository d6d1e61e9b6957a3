"""The table of policy parameters in the API reference agrees with the code.

The table is built by the ``parameters-table`` Sphinx directive (``docs/_ext``) from
``creditrules.PARAMETERS`` and the directive's own details (type, unit, readers). The
build fails if a parameter lacks its details; these tests check the readers: every rule
and action named exists, and every rule that reads a parameter says so in the table.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.remediation import CATALOGUE
from creditrules.testing import strategies as cs

pytest.importorskip("sphinx")
pytest.importorskip("docutils")

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    path = ROOT / "docs" / "_ext" / "parameters_table.py"
    spec = importlib.util.spec_from_file_location("parameters_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("parameters_table", module)
    spec.loader.exec_module(module)
    return module


TABLE = _load()


def test_every_parameter_has_its_details() -> None:
    """The details list every parameter, in order, and each accepts its example values."""
    assert TABLE.problems() == []
    assert list(TABLE.DETAILS) == list(creditrules.PARAMETERS)


def test_a_missing_parameter_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check the build runs fails when a parameter has no details or a bad example."""
    details = dict(TABLE.DETAILS)
    grace = details.pop("grace_days")
    monkeypatch.setattr(TABLE, "DETAILS", details)
    assert "missing: ['grace_days']" in TABLE.problems()[0]
    monkeypatch.setattr(TABLE, "DETAILS", {**details, "grace_days": grace._replace(examples=(-1,))})
    assert any("grace_days refuses its example -1" in p for p in TABLE.problems())


def test_readers_exist() -> None:
    """Every rule the table names is registered, and every action is in the catalogue."""
    rules = set(creditrules.get_registry().rules.ids)
    for name, details in TABLE.DETAILS.items():
        for rule in details.rules:
            assert rule in rules, f"{name}: no rule {rule!r}"
        for action in details.actions:
            assert action in CATALOGUE, f"{name}: no action {action!r}"


def test_table_has_a_row_per_parameter() -> None:
    """The generated markdown table has the header, then one six-cell row per parameter."""
    lines = TABLE.table_markdown()
    assert lines[0].startswith("| Parameter | Type | Unit | Default | Meaning | Read by |")
    body = lines[2:]
    assert len(body) == len(creditrules.PARAMETERS)
    for name, line in zip(creditrules.PARAMETERS, body, strict=True):
        assert line.startswith(f"| `{name}` |")
        assert line.count(" | ") == 5, line
    row = dict((r[0], r) for r in TABLE.rows())["`penalty_base`"]
    assert row[3] == '`"unpaid_amount"`'  # the engine default, as a file writes it
    assert "{ref}`conventions A.4 <conventions-penalty>`" in row[4]


def _firings(account: creditrules.Account, as_of: date) -> Iterator[tuple[str, str]]:
    for firing in creditrules.assess(account, as_of).rules:
        for name in firing.policy:
            yield firing.rule, name


def _missing(pairs: Iterator[tuple[str, str]]) -> set[tuple[str, str]]:
    return {
        (rule, name)
        for rule, name in pairs
        if name in TABLE.DETAILS and rule not in TABLE.DETAILS[name].rules
    }


@pytest.mark.parametrize(
    "example", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.name
)
def test_rules_reading_a_parameter_in_the_examples_are_named(example: Path) -> None:
    """Every rule that records reading a parameter on an example is in that parameter's row."""
    account = creditrules.load_account(example)
    pairs = [
        pair
        for as_of in (date(2025, 4, 30), date(2026, 12, 31))
        for pair in _firings(account, as_of)
    ]
    assert not _missing(iter(pairs))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rules_reading_a_parameter_are_named(data: st.DataObject) -> None:
    """... and so is every rule that reads one on generated accounts with any policy."""
    account = data.draw(
        cs.accounts(provider=None, policies=cs.policies(max_size=6)), label="account"
    )
    as_of = data.draw(cs.as_of_dates(account), label="as_of")
    assert not _missing(_firings(account, as_of))
