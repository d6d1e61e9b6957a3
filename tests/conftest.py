"""Shared test configuration: Hypothesis profiles, and the test portfolios' fixtures.

Two profiles are registered:

* ``ci`` — 300 examples per property, no deadline (CI machines are slow and noisy),
  and failing examples printed as a blob to reproduce with ``@reproduce_failure``;
* ``dev`` — 50 examples, for a fast local loop.

``HYPOTHESIS_PROFILE`` picks one explicitly; otherwise ``ci`` when the ``CI``
environment variable is set (as CI services do), else ``dev``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, settings

from creditrules import Account, dump_account, load_account
from creditrules._toml import loads_toml

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)


def _profile() -> str:
    explicit = os.environ.get("HYPOTHESIS_PROFILE")
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI") else "dev"


settings.load_profile(_profile())


# ---------------------------------------------------------------- portfolios
# Shared by tests/test_portfolio.py, tests/test_dask.py and tests/test_batch_cli.py.

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _portfolio(copies: int) -> list[Account]:
    accounts = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        account = load_account(path)
        for keep in range(copies):
            payments = account.payments[: max(len(account.payments) - keep, 0)]
            accounts.append(attrs.evolve(account, id=f"{account.id}-{keep}", payments=payments))
    return accounts


def _table_form(account: Account) -> dict[str, object]:
    return dict(loads_toml(dump_account(account)))


def _json_line(account: Account) -> str:
    return json.dumps(_table_form(account), default=str, ensure_ascii=False)


@pytest.fixture(scope="session")
def portfolio() -> Callable[[int], list[Account]]:
    """Make a test portfolio: ``portfolio(copies)``.

    Each example account ``copies`` times, the k-th copy (id ``<id>-k``) with its
    last k payments left out, so the portfolio mixes paid, late and unpaid accounts.
    """
    return _portfolio


@pytest.fixture(scope="session")
def table_form() -> Callable[[Account], dict[str, object]]:
    """An account file's table, as read from TOML (what a JSON Lines line holds)."""
    return _table_form


@pytest.fixture(scope="session")
def json_line() -> Callable[[Account], str]:
    """An account as one line of JSON Lines (the account file's table as JSON)."""
    return _json_line
