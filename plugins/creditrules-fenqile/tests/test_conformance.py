"""The creditrules conformance suite, run against the fenqile provider."""

from __future__ import annotations

from pathlib import Path

from creditrules import PolicyValue
from creditrules.testing.conformance import ProviderConformance

HERE = Path(__file__).resolve().parent


class TestFenqileConformance(ProviderConformance):
    """分期乐 Fenqile behaves as a creditrules provider must.

    Fenqile publishes no penalty rate, so the generated accounts state one, as from a
    contract, for the penalty checks to have something to check. The unknowns check runs
    without it: no penalty is computed, and the assessment says so.
    """

    provider_id = "fenqile"
    golden_dir = HERE / "golden"
    readme = HERE.parent / "README.md"
    account_policy = (
        PolicyValue("penalty_daily_rate", "0.0005", source="test contract §8", grade="A"),
    )
