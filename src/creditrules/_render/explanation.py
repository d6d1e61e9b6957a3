"""What ``creditrules explain`` and ``--lang`` print around an explanation."""

from __future__ import annotations

import attrs

from .._i18n import translation
from ..explain import Explanation

__all__ = ["decision_record", "report_figures"]

#: The figure prefixes of the credit report and its negative records.
_REPORT_FIGURES = ("report:", "record:")


def report_figures(explanation: Explanation) -> Explanation:
    """Keep only the figures of the credit report (what ``report --lang`` explains).

    Args:
        explanation: The whole explanation of an assessment.

    Returns:
        The same explanation with the report's and the records' figures only.
    """
    figures = tuple(f for f in explanation.figures if f.figure.startswith(_REPORT_FIGURES))
    return attrs.evolve(explanation, figures=figures)


def decision_record(explanation: Explanation, lang: str) -> str:
    """The decision record under an explanation, in ``lang``, after a blank line.

    Args:
        explanation: The explanation (its ``record``: versions and content hashes).
        lang: The language, e.g. ``"zh_CN"``.

    Returns:
        Three lines: versions and plugins, the hashes, how to check the result later;
        empty if the explanation has no record.
    """
    record = explanation.record
    if record is None:  # pragma: no cover - assess always records
        return ""
    _ = translation(lang).gettext
    plugins = ", ".join(f"{p.name} ({p.distribution} {p.version})" for p in record.plugins)
    return "\n" + "\n".join(
        (
            _("Decision record: creditrules {version}; plugins: {plugins}").format(
                version=record.creditrules_version, plugins=plugins or "-"
            ),
            _("Policy hash {policy}; ruleset hash {rules}").format(
                policy=record.policy_hash, rules=record.ruleset_hash
            ),
            _("Check it later with creditrules.verify(account, assessment)."),
        )
    )
