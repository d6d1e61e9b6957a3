"""The ``creditrules`` command line (extra ``cli``: click and rich).

Commands::

    creditrules assess FILE [--as-of YYYY-MM-DD] [--json] [--lang L] [--provider-file PATH ...]
    creditrules report FILE [--as-of YYYY-MM-DD] [--json] [--lang L] [--provider-file PATH ...]
    creditrules explain FILE [--as-of YYYY-MM-DD] [--lang L] [--all] [--json]
                        [--provider-file PATH ...]
    creditrules providers [ID] [--json] [--provider-file PATH ...]
    creditrules plugins [--json]
    creditrules rules [--json]
    creditrules new-provider NAME [--dir DIR]
    creditrules plan FILE [--as-of YYYY-MM-DD] [--capacity AMOUNT] [--down-payment AMOUNT]
                     [--json] [--provider-file PATH ...]
    creditrules compare FILE --scenario TEXT ... [--scenarios-file PATH] [--as-of YYYY-MM-DD]
                        [--json] [--provider-file PATH ...]

Plugins add commands through the ``register_commands(cli)`` hook. Bad input —
a missing file, a TOML error, an invalid value, an unknown provider — is one
clear message on stderr and exit status 2, never a traceback. ``NO_COLOR``
turns colours off. ``--lang L`` (``en`` or ``zh_CN``) adds to ``assess`` and
``report`` the explanation of their figures in that language; ``explain``
prints it alone (``CREDITRULES_LANG`` sets its default language).
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from . import __version__
from ._api import assess
from ._convert import to_json
from ._plugins import PluginWarning, Registry, get_registry, registry_override
from ._provider_file import load_provider
from .assessment import Assessment, Components
from .errors import CreditRulesError, InputError, PluginError
from .explain import Explanation, available_locales, translation
from .io import load_account
from .policy import PARAMETERS, AppliedValue, PolicyValue
from .provider import Provider
from .rules import Rule

try:
    import click
    from rich.console import Console, Group, RenderableType
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
except ImportError as exc:  # the ``cli`` extra is not installed
    _MISSING: str | None = (exc.name or "click").split(".")[0]
else:
    _MISSING = None

__all__ = ["build_cli", "main"]

#: Exit status for bad input, a broken plugin or a policy error (as click's usage errors).
EXIT_INPUT = 2
_INSTALL_HINT = "pip install 'creditrules[cli]'"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``creditrules`` command line (the console-script entry point).

    Exits with status 0 on success, 2 on bad input, a broken plugin or a policy
    error (one message on stderr), and 2 with an install hint if click or rich is
    missing.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
    """
    if _MISSING is not None:
        print(
            f"creditrules: the command line needs click and rich ({_MISSING} is missing); "
            f"install them with: {_INSTALL_HINT}",
            file=sys.stderr,
        )
        sys.exit(EXIT_INPUT)
    try:
        cli = build_cli()
    except CreditRulesError as exc:  # e.g. two plugins register one provider id
        _error(f"error: {exc}")
        sys.exit(EXIT_INPUT)
    cli.main(args=list(argv) if argv is not None else None, prog_name="creditrules")


# --------------------------------------------------------------------------- the commands


if _MISSING is None:

    class CreditRulesGroup(click.Group):
        """The ``creditrules`` group: a creditrules error is a message and exit status 2.

        Attributes:
            plugin_failures: Messages of plugins that raised in ``register_commands``
                (fatal with ``--strict``).
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.plugin_failures: list[str] = []

        def invoke(self, ctx: click.Context) -> Any:
            """Invoke the command; a :class:`~creditrules.CreditRulesError` exits with 2."""
            try:
                return super().invoke(ctx)
            except InputError as exc:
                _error(exc.describe())
            except CreditRulesError as exc:
                _error(f"error: {exc}")
            ctx.exit(EXIT_INPUT)


def build_cli() -> click.Group:
    """Build the ``creditrules`` command group and let plugins add their commands.

    Loads the plugins (:func:`creditrules.get_registry`) and calls every plugin's
    ``register_commands(cli)`` hook once; a plugin raising there is named in a warning
    (a :class:`~creditrules.PluginError` with ``--strict`` or ``CREDITRULES_STRICT=1``).

    Returns:
        The :class:`click.Group`; run it with ``.main()`` or click's ``CliRunner``.

    Raises:
        PluginError: if the plugins conflict, or one fails in strict mode.
    """
    as_of_option = click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        metavar="YYYY-MM-DD",
        help="Assess at the end of this day (default: today, China time).",
    )
    json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    provider_file_option = click.option(
        "--provider-file",
        "provider_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        metavar="PATH",
        help="A declarative provider TOML file to use for this run (repeatable).",
    )
    account_file = click.argument(
        "file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
    )
    # -- explanations (explain.py) --
    lang_option = click.option(
        "--lang",
        type=click.Choice(available_locales()),
        help="After the figures, explain each one (rule, policy values, sources) in this language.",
    )
    # -- end explanations --

    @click.group(cls=CreditRulesGroup)
    @click.version_option(__version__, prog_name="creditrules", message="%(prog)s %(version)s")
    @click.option(
        "--strict",
        is_flag=True,
        help="Make a plugin that fails to load or raises in a hook an error "
        "(same as CREDITRULES_STRICT=1).",
    )
    @click.pass_context
    def cli(ctx: click.Context, strict: bool) -> None:
        """What an overdue costs, what the credit report shows, every number sourced."""
        if strict:
            get_registry(strict=True)  # reloads the plugins; a failure is a PluginError
            assert isinstance(ctx.command, CreditRulesGroup)
            if ctx.command.plugin_failures:
                raise PluginError(ctx.command.plugin_failures[0])

    @cli.command(name="assess")
    @account_file
    @as_of_option
    @json_option
    @lang_option
    @provider_file_option
    def assess_command(
        file: Path,
        as_of: datetime | None,
        as_json: bool,
        lang: str | None,
        provider_files: tuple[Path, ...],
    ) -> None:
        """Assess an account file.

        Shows days past due, balances and overdue amounts by component, what the
        overdue cost, the episodes, every due item, what is unknown, and the policy
        values in force with their source and grade.
        """
        _check_lang(lang, as_json)
        with _with_provider_files(provider_files) as registry:
            assessment = _assess_file(file, as_of)
            if as_json:
                click.echo(to_json(assessment))
                return
            provider = registry.providers.get(assessment.provider)
            _console().print(_render_assessment(assessment, provider))
            if lang is not None:
                click.echo("\n" + assessment.explain(lang).as_text())

    @cli.command(name="report")
    @account_file
    @as_of_option
    @json_option
    @lang_option
    @provider_file_option
    def report_command(
        file: Path,
        as_of: datetime | None,
        as_json: bool,
        lang: str | None,
        provider_files: tuple[Path, ...],
    ) -> None:
        """Simulate the credit report of an account file.

        Shows the 60-month status grid, the negative records with their expiry or
        relief dates, the flags lenders read and any discrepancies.
        """
        from ._render_report import render_report  # needs rich: imported only here

        _check_lang(lang, as_json)
        with _with_provider_files(provider_files):
            assessment = _assess_file(file, as_of)
            report = assessment.report
            if report is None:  # pragma: no cover - assess always simulates the report
                raise click.ClickException("the assessment has no credit report")
            if as_json:
                click.echo(to_json(report))
                return
            _console().print(render_report(report))
            if lang is not None:
                explanation = assessment.explain(lang)
                figures = tuple(
                    f for f in explanation.figures if f.figure.startswith(("report:", "record:"))
                )
                click.echo("\n" + attrs.evolve(explanation, figures=figures).as_text())

    # -- explanations (explain.py) --
    @cli.command(name="explain")
    @account_file
    @as_of_option
    @click.option(
        "--lang",
        type=click.Choice(available_locales()),
        default="en",
        show_default=True,
        envvar="CREDITRULES_LANG",
        help="The language of the explanation (default from CREDITRULES_LANG).",
    )
    @click.option(
        "--all", "include_not_fired", is_flag=True, help="Also list the rules that did not fire."
    )
    @json_option
    @provider_file_option
    def explain_command(
        file: Path,
        as_of: datetime | None,
        lang: str,
        include_not_fired: bool,
        as_json: bool,
        provider_files: tuple[Path, ...],
    ) -> None:
        """Explain every figure of an account file's assessment.

        For each figure (days past due, penalty, episodes, credit-report months and
        dates, actions): the rule that produced it, its citation, the policy values
        it used with their layer, source and grade, and a sentence saying why. With
        --all, also the rules that did not fire and why. Ends with the decision
        record: the versions and content hashes to recompute the result later.
        """
        with _with_provider_files(provider_files):
            assessment = _assess_file(file, as_of)
            explanation = assessment.explain(lang, include_not_fired=include_not_fired)
        if as_json:
            click.echo(to_json(explanation))
            return
        click.echo(explanation.as_text())
        click.echo(_record_lines(explanation, lang))

    # -- end explanations --

    @cli.command(name="providers")
    @click.argument("provider_id", metavar="[ID]", required=False)
    @json_option
    @provider_file_option
    def providers_command(
        provider_id: str | None, as_json: bool, provider_files: tuple[Path, ...]
    ) -> None:
        """List the providers, or show one.

        With an ID: its facts, policy values (with effective dates, source and
        grade), and the parameters that are unknown or required from your contract.
        """
        with _with_provider_files(provider_files) as registry:
            if provider_id is None:
                providers = sorted(registry.providers.values(), key=lambda p: p.id)
                if as_json:
                    _echo_json([_provider_summary(p, registry) for p in providers])
                else:
                    _console().print(_render_providers(providers, registry))
                return
            try:
                provider = registry.provider(provider_id)
            except KeyError as exc:
                raise click.BadParameter(str(exc.args[0]), param_hint="ID") from None
            if as_json:
                _echo_json(_provider_data(provider, registry))
            else:
                _console().print(_render_provider(provider, registry))

    @cli.command(name="plugins")
    @json_option
    def plugins_command(as_json: bool) -> None:
        """List the plugins and what they provide.

        Each plugin with its distribution and version, the hooks it implements and
        the providers and rules it registers; plugins that failed are shown in red.
        """
        registry = get_registry()
        if as_json:
            _echo_json([attrs.asdict(info) for info in registry.plugins])
        else:
            _console().print(_render_plugins(registry))

    @cli.command(name="rules")
    @json_option
    def rules_command(as_json: bool) -> None:
        """List the rules in force.

        Phases in the order they run, the steps performed inside each, and for
        every rule its description, citation and origin (core or plugin).
        """
        rules = tuple(get_registry().rules)
        if as_json:
            _echo_json(_rules_data(rules))
        else:
            _console().print(_render_rules(rules))

    # -- new-provider (issue 6): write a provider plugin package from the template --
    @cli.command(name="new-provider")
    @click.argument("name")
    @click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        metavar="DIR",
        help="Where to create the package's directory (default: the current directory).",
    )
    def new_provider_command(name: str, directory: Path) -> None:
        """Write a new provider plugin package for the provider id NAME.

        Creates DIR/creditrules-NAME: a pyproject with the creditrules entry point, a
        declarative provider.toml (no number yet: every parameter listed as unknown,
        to fill in from the lender's terms), a README, a CHANGELOG, a golden case and a
        test running the conformance suite. It passes its own tests as written.
        """
        from ._newprovider import write_provider_package

        try:
            root = write_provider_package(name, directory)
        except InputError as exc:
            hint = "'--dir'" if exc.path == "--dir" else "'NAME'"
            raise click.BadParameter(exc.message, param_hint=hint) from None
        click.echo(f"Wrote {root}")
        click.echo("Next: fill in src/*/provider.toml and README.md from the lender's terms, then")
        click.echo(f'  pip install -e "{root}[testing]" && pytest {root}')

    # -- end new-provider --

    # -- plan and compare (remediation.py, compare.py) --
    def money_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        from .money import parse_money

        if value is None:
            return None
        try:
            return parse_money(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    @cli.command(name="plan")
    @account_file
    @as_of_option
    @click.option(
        "--capacity",
        metavar="AMOUNT",
        callback=money_value,
        help="What you can pay a month: also draft a negotiated repayment plan (协商还款).",
    )
    @click.option(
        "--down-payment",
        metavar="AMOUNT",
        callback=money_value,
        help="Paid when the plan is signed (with --capacity).",
    )
    @json_option
    @provider_file_option
    def plan_command(
        file: Path,
        as_of: datetime | None,
        capacity: Decimal | None,
        down_payment: Decimal | None,
        as_json: bool,
        provider_files: tuple[Path, ...],
    ) -> None:
        """Say what to do about an account file, most urgent first.

        Each action with its deadline, amount, effect on cost and on the credit
        report (simulated), steps and sources. With --capacity, also a repayment
        plan to propose: monthly amount, dates, total, and the checklist.
        """
        from ._render_remediation import plan_data, render_actions, render_plan
        from .remediation import plan_negotiation

        with _with_provider_files(provider_files):
            assessment = _assess_file(file, as_of)
            plan, note = None, ""
            if capacity is not None:
                try:
                    plan = plan_negotiation(
                        load_account(file),
                        as_of=assessment.as_of,
                        capacity=capacity,
                        down_payment=down_payment,
                    )
                except ValueError as exc:
                    note = f"No repayment plan: {exc}."
        if as_json:
            _echo_json(
                {
                    "actions": json.loads(to_json(assessment.actions)),
                    "plan": plan_data(plan) if plan is not None else None,
                    "note": note or None,
                }
            )
            return
        console = _console()
        console.print(render_actions(assessment))
        if plan is not None:
            console.print(render_plan(plan))
        elif note:
            console.print(Text(f"\n{note}", style="yellow"))

    @cli.command(name="compare")
    @account_file
    @as_of_option
    @click.option(
        "--scenario",
        "texts",
        multiple=True,
        metavar="TEXT",
        help="A scenario: 'pay YYYY-MM-DD AMOUNT' or 'waive penalty YYYY-MM-DD AMOUNT', "
        "several joined by ';', optionally 'NAME: ...' (repeatable).",
    )
    @click.option(
        "--scenarios-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        metavar="PATH",
        help="A TOML file of [[scenario]] tables (name, events).",
    )
    @json_option
    @provider_file_option
    def compare_command(
        file: Path,
        as_of: datetime | None,
        texts: tuple[str, ...],
        scenarios_file: Path | None,
        as_json: bool,
        provider_files: tuple[Path, ...],
    ) -> None:
        """Compare what-if scenarios for an account file, side by side.

        The account as it is, then each scenario: total cost, penalty, paid, still
        owed, days past due, negative months on the credit report, and the day the
        report is clean.
        """
        from ._render_remediation import comparison_data, render_comparison
        from .comparison import compare, load_scenarios, parse_scenario

        scenarios = []
        for index, text in enumerate(texts, start=1):
            try:
                scenarios.append(parse_scenario(text))
            except InputError as exc:
                raise InputError(exc.problems, file=f"--scenario {index}") from None
        if scenarios_file is not None:
            scenarios.extend(load_scenarios(scenarios_file))
        if not scenarios:
            raise click.UsageError("give at least one --scenario or a --scenarios-file")
        with _with_provider_files(provider_files):
            account = load_account(file)
            day = as_of.date() if as_of is not None else _today()
            try:
                table = compare(account, scenarios, as_of=day)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="'--scenario'") from None
            except InputError as exc:
                raise InputError(exc.problems, file=exc.file or str(file)) from None
        if as_json:
            _echo_json(comparison_data(table))
        else:
            _console().print(render_comparison(table))

    # -- end plan and compare --

    cli.plugin_failures = _add_plugin_commands(cli)
    return cli


def _add_plugin_commands(cli: click.Group) -> list[str]:
    """Call each plugin's ``register_commands`` once; return the failures."""
    failures: list[str] = []
    with _plugin_warnings():
        registry = get_registry()
        # One call per plugin, so one that raises cannot stop the others.
        for impl in reversed(registry.manager.hook.register_commands.get_hookimpls()):
            arguments = {"cli": cli}
            try:
                impl.function(*(arguments[name] for name in impl.argnames))
            except Exception as exc:
                message = (
                    f"creditrules plugin {impl.plugin_name!r} raised in register_commands: "
                    f"{type(exc).__name__}: {exc}"
                )
                if registry.strict:
                    raise PluginError(message) from exc
                warnings.warn(message, PluginWarning, stacklevel=1)
                failures.append(message)
    return failures


# --------------------------------------------------------------------------- running


def _assess_file(file: Path, as_of: datetime | None) -> Assessment:
    account = load_account(file)
    day = as_of.date() if as_of is not None else _today()
    try:
        return assess(account, as_of=day)
    except InputError as exc:
        if exc.file is not None:
            raise
        raise InputError(exc.problems, file=str(file)) from None


def _check_lang(lang: str | None, as_json: bool) -> None:
    """Refuse ``--lang`` with ``--json`` (the JSON explanation is ``creditrules explain``)."""
    if lang is not None and as_json:
        raise click.UsageError(
            "--lang explains the text output; for the explanation as JSON run: "
            "creditrules explain FILE --json"
        )


def _record_lines(explanation: Explanation, lang: str) -> str:
    """The decision record under an explanation, in ``lang``."""
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


def _today() -> date:
    """Today in China: Asia/Shanghai, or UTC+8 if the time-zone database is missing."""
    zone: tzinfo
    try:
        zone = ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # no tzdata (e.g. Windows without the tzdata package)
        zone = timezone(timedelta(hours=8), "CST")
    return datetime.now(zone).date()


@contextmanager
def _with_provider_files(paths: Sequence[Path]) -> Iterator[Registry]:
    """Use the installed providers plus those of ``paths`` for the ``with`` block."""
    with _plugin_warnings():
        registry = get_registry()
    if not paths:
        yield registry
        return
    providers = dict(registry.providers)
    origins = dict(registry.provider_plugin)
    for path in paths:
        provider = load_provider(path)
        if provider.id in providers:
            raise InputError(
                f"provider id {provider.id!r} is already registered by {origins[provider.id]}; "
                "give the provider in this file another id",
                file=str(path),
                path="$.provider.id",
            )
        providers[provider.id] = provider
        origins[provider.id] = f"--provider-file {path}"
    with registry_override(
        attrs.evolve(registry, providers=providers, provider_plugin=origins)
    ) as override:
        yield override


@contextmanager
def _plugin_warnings() -> Iterator[None]:
    """Show plugin warnings as one ``warning:`` line each on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PluginWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, PluginWarning):
            _error(f"warning: {warning.message}", style="yellow")
        else:
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )


# --------------------------------------------------------------------------- output


def _console() -> Console:
    # Built per command so it writes to the current sys.stdout (CliRunner swaps it).
    # rich honours NO_COLOR and drops styles when stdout is not a terminal.
    return Console(highlight=False, markup=False)


def _error(message: str, style: str = "red") -> None:
    Console(stderr=True, highlight=False, markup=False, soft_wrap=True).print(message, style=style)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _money(amount: Decimal) -> str:
    """Format an amount with thousands separators: ``1,002.50``."""
    return f"{amount:,.2f}"


def _format_value(value: Any) -> str:
    """Format a policy value for people: ``unset``, ``true``, ``penalty, fees, …``."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) for v in value):
            return ", ".join(f"{n}: {rate}" for n, rate in value) or "none"
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _rate_hint(name: str, value: Any) -> str:
    if isinstance(value, Decimal) and name.endswith("daily_rate"):
        return f"{value} ({(value * 100).normalize():f}%/day)"
    return _format_value(value)


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold")


_STATUS_STYLES = {
    "overdue": "bold red",
    "in_grace": "yellow",
    "paid_late": "yellow",
    "paid_on_time": "green",
    "paid_in_grace": "green",
}


def _render_assessment(assessment: Assessment, provider: Provider | None) -> RenderableType:
    """Lay out an assessment for the terminal.

    Args:
        assessment: The assessment.
        provider: Its provider (for the display name), if known.

    Returns:
        A rich renderable.
    """
    parts: list[RenderableType] = []
    name = provider.display_name if provider is not None else assessment.provider
    header = Text(f"{assessment.account_id}", style="bold")
    header.append(f" · {name} ({assessment.provider}) · as of {assessment.as_of}")
    parts.append(header)

    dpd = assessment.days_past_due
    status = Text("Days past due: ")
    status.append(str(dpd), style="bold red" if dpd else "bold green")
    if assessment.current_episode is not None:
        status.append(f"  (overdue since {assessment.current_episode.start})", style="red")
    parts.append(status)

    unknowns = assessment.unknowns
    if unknowns:
        parts.append(
            Panel(
                Text("\n".join(f"• {u}" for u in unknowns)),
                title="Unknown — not computed",
                title_align="left",
                border_style="bold yellow",
            )
        )

    parts.append(_components_table(assessment))
    cost = Text("Cost so far (interest + fees + penalty charged): ")
    cost.append(_money(assessment.cost), style="bold")
    parts.append(cost)
    notes = []
    if assessment.credit:
        notes.append(f"Credit (paid beyond what was due): {_money(assessment.credit)}")
    if assessment.owed_to and assessment.owed_to != assessment.provider:
        notes.append(f"Owed to: {assessment.owed_to}")
    for label, day in (
        ("Guarantor paid (代偿) on", assessment.guarantor_paid_on),
        ("Written off on", assessment.written_off_on),
        ("Closed on", assessment.closed_on),
    ):
        if day is not None:
            notes.append(f"{label} {day}")
    if assessment.ignored_events:
        notes.append(
            f"{assessment.ignored_events} event(s) dated after {assessment.as_of} not applied"
        )
    parts.extend(Text(n) for n in notes)

    if assessment.report is not None:
        from ._render_report import summary_line  # needs rich: imported only here

        parts.append(Text(f"Credit report: {summary_line(assessment.report)}"))

    if assessment.episodes:
        parts.append(_section("Overdue episodes"))
        parts.append(_episodes_table(assessment))
    if assessment.items:
        parts.append(_section("Due items"))
        parts.append(_items_table(assessment))
    parts.append(_section(f"Policy in force on {assessment.as_of}"))
    parts.append(_policy_table(assessment.policy))
    return Group(*parts)


def _components_table(assessment: Assessment) -> Table:
    columns: dict[str, Components] = {
        "balance": assessment.balance,
        "overdue": assessment.overdue,
        "charged": assessment.charged,
        "paid": assessment.paid,
    }
    table = Table(box=None, pad_edge=False)
    table.add_column("")
    for title in columns:
        table.add_column(title, justify="right")
    for component in ("principal", "interest", "fees", "penalty", "total"):
        cells = [_money(c.get(component)) for c in columns.values()]
        style = "bold" if component == "total" else None
        table.add_row(component, *cells, style=style)
    return table


def _episodes_table(assessment: Assessment) -> Table:
    table = Table(box=None, pad_edge=False)
    table.add_column("start")
    table.add_column("end")
    table.add_column("max DPD", justify="right")
    table.add_column("max overdue", justify="right")
    for episode in assessment.episodes:
        end = Text(str(episode.end)) if episode.end else Text("ongoing", style="bold red")
        table.add_row(
            str(episode.start),
            end,
            str(episode.max_days_past_due),
            _money(episode.max_overdue_amount),
        )
    return table


def _items_table(assessment: Assessment) -> Table:
    table = Table(box=None, pad_edge=False)
    table.add_column("item", overflow="fold")
    table.add_column("due date", no_wrap=True)
    for title in ("due", "paid", "outstanding"):
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column("status")
    table.add_column("DPD", justify="right")
    for item in assessment.items:
        table.add_row(
            item.id,
            str(item.due_date),
            _money(item.scheduled.total),
            _money(item.paid.total),
            _money(item.outstanding.total),
            Text(item.status, style=_STATUS_STYLES.get(item.status, "")),
            str(item.days_past_due),
        )
    return table


def _policy_table(applied: Sequence[AppliedValue]) -> Table:
    table = Table(box=None, pad_edge=False)
    table.add_column("parameter", no_wrap=True)
    table.add_column("value", max_width=22)
    table.add_column("layer", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("source", min_width=14, overflow="fold")
    for item in applied:
        value = item.value
        if item.layer == "default":  # the engine convention: name the brief's section only
            source = Text(f"convention {PARAMETERS[value.name].spec}")
        else:
            source = Text(value.source)
            if value.note:
                source.append(f"\n{value.note}", style="italic")
        table.add_row(
            value.name,
            _rate_hint(value.name, value.value),
            item.layer,
            value.grade,
            source,
            style="dim" if item.layer == "default" else None,
        )
    return table


def _render_plugins(registry: Registry) -> RenderableType:
    """Lay out the plugins of a registry; failed ones in red."""
    lines: list[RenderableType] = []
    for info in registry.plugins:
        head = Text(info.name, style="bold red" if info.error else "bold")
        head.append(f"  {info.distribution} {info.version}", style="" if info.error else "dim")
        lines.append(head)
        if info.error:
            lines.append(Text(f"  failed: {info.error}", style="red"))
        for label, names in (
            ("hooks", info.hooks),
            ("providers", info.providers),
            ("rules", info.rules),
        ):
            if names:
                lines.append(Text(f"  {label}: {', '.join(names)}"))
    failed = sum(1 for info in registry.plugins if info.error)
    total = len(registry.plugins)
    footer = f"\n{total} plugin{'s' if total != 1 else ''}"
    lines.append(Text(footer + (f", {failed} failed" if failed else ""), style="dim"))
    return Group(*lines)


def _phases_and_mechanics(rules: Sequence[Rule]) -> list[tuple[str, Rule]]:
    """Rules in display order, each with its label: ``1``, ``2``, … or ``""`` for mechanics."""
    phases = [rule for rule in rules if rule.apply is not None]
    phase_ids = {rule.id for rule in phases}
    ordered: list[tuple[str, Rule]] = []
    for number, phase in enumerate(phases, 1):
        ordered.append((str(number), phase))
        ordered.extend(("", r) for r in rules if r.apply is None and r.part_of == phase.id)
    ordered.extend(("", r) for r in rules if r.apply is None and r.part_of not in phase_ids)
    return ordered


def _rules_data(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    return [
        {
            "order": int(label) if label else None,
            "id": rule.id,
            "kind": "phase" if rule.apply is not None else "mechanic",
            "part_of": rule.part_of or None,
            "description": rule.description,
            "citation": rule.citation,
            "origin": rule.origin,
        }
        for label, rule in _phases_and_mechanics(rules)
    ]


def _render_rules(rules: Sequence[Rule]) -> RenderableType:
    """Lay out a ruleset: phases in run order, mechanics indented under their phase."""
    lines: list[RenderableType] = []
    for label, rule in _phases_and_mechanics(rules):
        head = Text(f"{label:>2}  " if label else "    · ")
        head.append(rule.id, style="bold" if label else "")
        head.append(f"  [{rule.origin}]", style="dim" if rule.origin == "creditrules" else "cyan")
        body = Text(f"{rule.description}\n")
        body.append(rule.citation, style="italic")
        lines += [head, Padding(body, (0, 0, 0, 4 if label else 6))]
    lines.append(Text("\nRules marked · are steps performed inside the phase above.", style="dim"))
    return Group(*lines)


def _provider_summary(provider: Provider, registry: Registry) -> dict[str, Any]:
    return {
        "id": provider.id,
        "name_zh": provider.name_zh,
        "name_en": provider.name_en,
        "products": list(provider.products),
        "plugin": registry.provider_plugin.get(provider.id, ""),
        "description": provider.description,
    }


def _policy_value_data(value: PolicyValue) -> dict[str, Any]:
    return {
        "name": value.name,
        "value": PARAMETERS[value.name].dump(value.value),
        "effective_from": value.effective_from.isoformat() if value.effective_from else None,
        "effective_to": value.effective_to.isoformat() if value.effective_to else None,
        "source": value.source,
        "grade": value.grade,
        "note": value.note,
    }


def _provider_data(provider: Provider, registry: Registry) -> dict[str, Any]:
    return {
        **_provider_summary(provider, registry),
        "methods": list(provider.methods),
        "facts": [attrs.asdict(fact) for fact in provider.facts],
        "policy": [_policy_value_data(value) for value in provider.policy],
        "required": [{"name": n, "reason": why} for n, why in provider.required],
        "unknown": [{"name": n, "reason": why} for n, why in provider.unknown],
    }


def _in_force(value: PolicyValue) -> str:
    start, end = value.effective_from, value.effective_to
    if start and end:
        return f"{start} – {end}"
    if start or end:
        return f"from {start}" if start else f"until {end}"
    return "always"


def _render_providers(providers: Sequence[Provider], registry: Registry) -> RenderableType:
    """Lay out a list of providers."""
    table = Table(box=None, pad_edge=False)
    for title in ("id", "name", "products"):
        table.add_column(title, no_wrap=True)
    table.add_column("from", overflow="fold")
    for provider in providers:
        table.add_row(
            Text(provider.id, style="bold"),
            provider.display_name,
            ", ".join(provider.products),
            registry.provider_plugin.get(provider.id, ""),
        )
    return Group(table, Text("\nShow one with: creditrules providers ID", style="dim"))


def _sourced(text: str, grade: str, source: str, note: str) -> Padding:
    """An indented block: the text, then its grade and source, then any note."""
    body = Text(f"{text}\n" if text else "")
    body.append(f"grade {grade} · {source}", style="dim")
    if note:
        body.append(f"\n{note}", style="italic")
    return Padding(body, (0, 0, 0, 4))


def _render_provider(provider: Provider, registry: Registry) -> RenderableType:
    """Lay out one provider: facts, policy values with provenance, unknown and required."""
    parts: list[RenderableType] = []
    title = Text(provider.display_name, style="bold")
    title.append(f" ({provider.id}) · from {registry.provider_plugin.get(provider.id, '?')}")
    parts.append(title)
    if provider.description:
        parts.append(Text(provider.description))
    parts.append(Text(f"Products: {', '.join(provider.products)}"))
    if "installment" in provider.products:
        parts.append(Text(f"Repayment methods: {', '.join(provider.methods)}"))
    if provider.facts:
        parts.append(_section("Facts"))
        for fact in provider.facts:
            parts.append(Text(fact.key, style="bold"))
            parts.append(_sourced(fact.text, fact.grade, fact.source, fact.note))
    parts.append(_section("Policy"))
    if not provider.policy:
        parts.append(Text("No policy values of its own: the account file gives them."))
    for value in sorted(provider.policy, key=lambda v: (v.name, v.effective_from or date.min)):
        head = Text(value.name, style="bold")
        head.append(f" = {_rate_hint(value.name, value.value)}")
        head.append(f"  ({_in_force(value)})", style="dim")
        parts.append(head)
        parts.append(_sourced("", value.grade, value.source, value.note))
    for label, pairs, style in (
        ("Required from your contract", provider.required, "bold yellow"),
        ("Unknown (no public source)", provider.unknown, "yellow"),
    ):
        if pairs:
            parts.append(_section(label))
            for name, why in pairs:
                parts.append(Text(name, style=style))
                parts.append(Padding(Text(why), (0, 0, 0, 4)))
    return Group(*parts)
