"""An explanation laid out for the terminal, and what ``explain`` prints around it."""

from __future__ import annotations

import attrs
from rich.console import Group, RenderableType
from rich.text import Text

from .._i18n import Messages, translation
from ..explain import Explanation, _figure_lines, _title, _unfired_lines
from .cjk import wrapped
from .common import bullets, indent

__all__ = ["decision_record", "render_explanation", "report_figures"]


def render_explanation(explanation: Explanation, *, record: bool = False) -> RenderableType:
    """Lay out an explanation: the text of :meth:`Explanation.as_text`, wrapped to the console.

    Each figure is a bullet; its rule, source and policy lines are indented under it, and
    every line wraps under its own start (Chinese between characters), never inside an
    id, an amount or a URL.

    Args:
        explanation: The explanation, in its language.
        record: Also show the decision record (versions and hashes) under it.

    Returns:
        A rich renderable.
    """
    tr = Messages(explanation.locale)
    parts: list[RenderableType] = [Text(_title(explanation, tr))]
    for figure in explanation.figures:
        first, *details = _figure_lines(figure, tr)
        parts += [Text(""), bullets([first], tr), indent(bullets(details, tr, bullet=""), 1)]
    if explanation.not_fired:
        parts += [Text(""), Text(tr._("Rules that did not fire"))]
        parts.append(bullets(_unfired_lines(explanation, tr), tr))
    if record:
        lines = decision_record(explanation, tr.locale).split("\n")
        parts += [wrapped(line, tr) for line in lines]
    return Group(*parts)


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
