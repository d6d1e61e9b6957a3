"""The ``parameters-table`` directive: the policy parameters as a table, from the code.

The table is written at build time from :data:`creditrules.PARAMETERS` — each
parameter's name, engine default, meaning and convention section — and from
:data:`DETAILS` below, which adds what the definitions do not hold: the type and
values a file may give, the unit, and the rules, actions and other parts of
creditrules that read it. The build fails (a warning, under ``-W``) if the two
disagree: a parameter without its details, details of a parameter that does not
exist, or an example value its parameter refuses. ``tests/test_docs_parameters.py``
checks the rest against the code: every rule and action named exists, and every
rule that reads a parameter in the examples is named.

In a MyST page (the table is MyST markdown, so only MyST pages can hold it)::

    ```{parameters-table}
    ```
"""

from __future__ import annotations

from typing import Any, NamedTuple

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from creditrules import PARAMETERS
from creditrules._validators import MAX_GRACE_DAYS, MAX_TERM_MONTHS
from creditrules.policy import convention

__all__ = ["DETAILS", "Details", "problems", "rows", "setup", "table_markdown"]

_LOG = logging.getLogger(__name__)

#: Where the rate warnings and the provider's limits are described.
_WARNINGS = "{ref}`rate warnings <conventions-warnings>`"
_LIMITS = "the provider's limits (an account beyond it is refused)"
_REPORT = "{doc}`the credit report </explanation/report>`"


class Details(NamedTuple):
    """What the table says of a parameter beyond its definition.

    Attributes:
        type: The values a file may give, in MyST markdown.
        unit: The unit, or ``""``.
        rules: Ids of the rules that read it (core, or a bundled plugin's).
        actions: Codes of the remediation actions that read it.
        other: Other readers, in MyST markdown.
        examples: Values the parameter accepts (checked when the table is built).
    """

    type: str
    unit: str
    rules: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    examples: tuple[Any, ...] = ()


_DAILY = 'decimal, as a string (`"0.0005"`)'

#: The details of every parameter, in the order of :data:`creditrules.PARAMETERS`.
DETAILS: dict[str, Details] = {
    "grace_days": Details(
        f"whole number, 0–{MAX_GRACE_DAYS}",
        "days after the due date",
        rules=("grace.period", "grace.missed", "episode.tracking"),
        actions=("pay_within_grace",),
        examples=(0, 3, MAX_GRACE_DAYS),
    ),
    "grace_waives_penalty": Details(
        "`true` or `false`",
        "",
        rules=("grace.period", "penalty.accrual"),
        actions=("pay_within_grace",),
        examples=(True, False),
    ),
    "penalty_from": Details(
        '`"due_date"` or `"grace_end"`',
        "",
        rules=("grace.missed", "penalty.accrual"),
        examples=("due_date", "grace_end"),
    ),
    "penalty_daily_rate": Details(
        _DAILY,
        "a day, as a fraction (0.0005 = 0.05 %)",
        rules=("penalty.accrual", "penalty.unknown"),
        other=(_WARNINGS,),
        examples=("0.0005", None),
    ),
    "penalty_rate_multiplier": Details(
        'decimal, as a string (`"1.5"`)',
        "times the loan's contract daily rate",
        rules=("penalty.accrual", "penalty.unknown"),
        other=(_WARNINGS,),
        examples=("1.5", None),
    ),
    "penalty_base": Details(
        '`"unpaid_principal"`, `"unpaid_principal_and_interest"` or `"unpaid_amount"`',
        "",
        rules=("penalty.accrual",),
        examples=("unpaid_principal", "unpaid_principal_and_interest", "unpaid_amount"),
    ),
    "penalty_cap": Details(
        'decimal, as a string (`"0.24"`)',
        "a year, as a fraction (0.24 = 24 %)",
        rules=("penalty.accrual",),
        other=(_WARNINGS,),
        examples=("0.24", None),
    ),
    "day_basis": Details(
        "`360` or `365`",
        "days a year",
        rules=("penalty.accrual",),
        other=(_WARNINGS,),
        examples=(360, 365),
    ),
    "allocation_order": Details(
        'list of `"penalty"`, `"fees"`, `"interest"` and `"principal"`, each once',
        "",
        rules=("payment.waterfall",),
        examples=(["principal", "interest", "fees", "penalty"],),
    ),
    "overpayment": Details(
        '`"credit"` or `"prepay"`',
        "",
        rules=("payment.credit", "early_repayment.interest_to_date"),
        actions=("pay_off",),
        examples=("credit", "prepay"),
    ),
    "minimum_payment_ratio": Details(
        'decimal 0–1, as a string (`"0.10"`)',
        "share of the bill (0.10 = 10 %)",
        rules=("revolving.minimum_payment",),
        examples=("0.10", None),
    ),
    "revolving_daily_rate": Details(
        _DAILY,
        "a day, as a fraction",
        rules=("revolving.minimum_payment",),
        other=(_WARNINGS,),
        examples=("0.0005", None),
    ),
    "bill_installment_fees": Details(
        'table of number of periods → decimal (`{ 3 = "0.025", 6 = "0.045" }`)',
        "total fee, as a fraction of the bill",
        rules=("huabei.bill_installment",),
        actions=("convert_to_installments",),
        other=("creditrules-huabei only: the engine itself converts no bill",),
        examples=({"3": "0.025", "6": "0.045"}, {}),
    ),
    "max_term_months": Details(
        f"whole number, 1–{MAX_TERM_MONTHS}",
        "months",
        other=(_LIMITS,),
        examples=(12, MAX_TERM_MONTHS, None),
    ),
    "max_principal": Details(
        'amount, as a string (`"200000.00"`)',
        "yuan",
        other=(_LIMITS,),
        examples=("200000.00", None),
    ),
    "negotiation_max_term_months": Details(
        f"whole number, 1–{MAX_TERM_MONTHS}",
        "months",
        actions=("negotiate_plan",),
        other=("{func}`creditrules.plan_negotiation`",),
        examples=(60, None),
    ),
    "negotiation_penalty_stops": Details(
        "`true` or `false`",
        "",
        actions=("negotiate_plan",),
        other=("{func}`creditrules.plan_negotiation`",),
        examples=(True, False, None),
    ),
    "bureau": Details(
        'bureau id (`"pboc"`)',
        "",
        other=(f"{_REPORT}: the bureau's status codes, retention and relief",),
        examples=("pboc",),
    ),
    "snapshot": Details(
        '`"month_end"` or a day of the month, 1–31',
        "day of the month",
        other=(f"{_REPORT}: the day each month's status is taken",),
        examples=("month_end", 15, 31),
    ),
}


def problems() -> list[str]:
    """What keeps :data:`DETAILS` from matching :data:`creditrules.PARAMETERS`.

    Returns:
        One message per problem; empty when every parameter has its details, in order,
        and accepts its example values.
    """
    found: list[str] = []
    if list(DETAILS) != list(PARAMETERS):
        missing = [name for name in PARAMETERS if name not in DETAILS]
        extra = [name for name in DETAILS if name not in PARAMETERS]
        found.append(
            "parameters-table: DETAILS does not list creditrules.PARAMETERS in order"
            f" (missing: {missing or 'none'}; not parameters: {extra or 'none'})"
        )
    for name, details in DETAILS.items():
        parameter = PARAMETERS.get(name)
        if parameter is None:
            continue
        for example in details.examples:
            try:
                parameter.parse(example)
            except (TypeError, ValueError) as exc:
                found.append(f"parameters-table: {name} refuses its example {example!r}: {exc}")
    return found


def _default(value: Any) -> str:
    """An engine default as a provider file would write it."""
    if value is None:
        return "*unset*"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, list):
        return "`[" + ", ".join(f'"{item}"' for item in value) + "]`"
    if isinstance(value, dict) and not value:
        return "*none*"
    return f"`{value}`"


def _meaning(name: str) -> str:
    parameter = PARAMETERS[name]
    page = convention(parameter.spec)
    label = page.rsplit("#", 1)[1].rstrip(")") if "#" in page else ""
    doc = parameter.doc.replace("*", r"\*")
    if not label:
        return f"{doc} (conventions {parameter.spec})"
    return f"{doc} ({{ref}}`conventions {parameter.spec} <{label}>`)"


def _readers(details: Details) -> str:
    parts: list[str] = []
    if details.rules:
        parts.append("rules " + ", ".join(f"`{rule}`" for rule in details.rules))
    if details.actions:
        codes = ", ".join(f"`{code}`" for code in details.actions)
        parts.append(f"{{doc}}`actions </reference/actions>` {codes}")
    parts.extend(details.other)
    return "; ".join(parts)


def rows() -> list[tuple[str, ...]]:
    """Return the table's rows, the header first, each cell in MyST markdown."""
    found: list[tuple[str, ...]] = [("Parameter", "Type", "Unit", "Default", "Meaning", "Read by")]
    for name, parameter in PARAMETERS.items():
        details = DETAILS.get(name)
        if details is None:
            continue
        found.append(
            (
                f"`{name}`",
                details.type,
                details.unit or "—",
                _default(parameter.dump(parameter.default)),
                _meaning(name),
                _readers(details),
            )
        )
    return found


def table_markdown() -> list[str]:
    """Return the table of parameters as the lines of a MyST markdown table."""
    header, *body = rows()
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in body:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return lines


class ParametersTable(SphinxDirective):
    """The ``parameters-table`` directive: the table of :data:`creditrules.PARAMETERS`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Check the details against the parameters, then parse the table."""
        for problem in problems():
            _LOG.warning(problem, location=self.get_location())
        container = nodes.container()
        content = StringList(table_markdown(), source="creditrules.PARAMETERS")
        self.state.nested_parse(content, self.content_offset, container)
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("parameters-table", ParametersTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
