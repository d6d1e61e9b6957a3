"""The creditrules conformance suite, run against the jiebei provider."""

from __future__ import annotations

from pathlib import Path

from creditrules.testing.conformance import ProviderConformance

HERE = Path(__file__).resolve().parent


class TestJiebeiConformance(ProviderConformance):
    """借呗 Jiebei behaves as a creditrules provider must.

    Jiebei publishes a penalty multiplier, so no contract value is needed; the loan's
    own daily rate is required by the plugin, and the generated accounts that give an
    annual rate instead are left out by the strategies (they would be refused).
    """

    provider_id = "jiebei"
    golden_dir = HERE / "golden"
    readme = HERE.parent / "README.md"
