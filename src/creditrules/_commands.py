"""The ``creditrules`` commands (click; private: run them through :mod:`creditrules.cli`).

One function per command, on the module-level group :data:`cli`. The group's
callback loads the plugins once (``--strict`` makes a failure fatal) and puts
the :class:`~creditrules.Registry` on the click context; every command receives
it (:data:`pass_registry`), adds the providers of its ``--provider-file``
options, and passes it to the API and to the renderers of
:mod:`creditrules._render`. Nothing here fetches the registry again.

:func:`build_cli` returns a copy of :data:`cli` with the commands the plugins
add through their ``register_commands(cli)`` hook.

A command imports what only it uses (the API, its renderers, rich) when it runs, so
that ``creditrules --help`` or one command does not load every layer.
"""

from __future__ import annotations

import copy
import errno
import itertools
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from ._convert import to_json
from ._i18n import (
    N_,
    Messages,
    Translatable,
    available_locales,
    locale_from_environment,
    message_of,
)
from ._plugins import PluginWarning, Registry, get_registry
from ._render.clickhelp import (
    LocalPath,
    TranslatedCommand,
    TranslatedHelp,
    choose_language,
    click_translated,
    requested_language,
)
from ._version import __version__
from ._words import PLAIN_LISTS, PLAIN_MESSAGES
from .errors import CreditRulesError, InputError, PluginError
from .money import parse_money

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rich.console import RenderableType

    from .assessment import Assessment
    from .explain import Explanation
    from .model import Account
    from .portfolio import AssessmentFailure

__all__ = ["EXIT_INPUT", "CreditRulesGroup", "build_cli", "cli", "pass_registry", "run"]

#: Exit status for bad input, a broken plugin or a policy error (as click's usage errors).
EXIT_INPUT = 2
#: Where a command's ``--lang`` leaves its messages (``click.Context.meta``).
_MESSAGES = "creditrules.messages"
_DASK = "pip install 'creditrules[dask]'"


def _environment_messages() -> Messages:
    """The messages of the language the environment asks for (English if it names none)."""
    try:
        return Messages(locale_from_environment(os.environ))
    except ValueError:  # a bad CREDITRULES_LANG is reported by the command's --lang
        return Messages("en")


def _messages(ctx: click.Context | None = None) -> Messages:
    """The messages of the command being run: its ``--lang``, else the environment's."""
    ctx = ctx or click.get_current_context(silent=True)
    found = ctx.meta.get(_MESSAGES) if ctx is not None else None
    return found if isinstance(found, Messages) else _environment_messages()


def run(argv: Sequence[str] | None = None) -> None:
    """Build the command line with the plugins' commands and run it (for :mod:`creditrules.cli`).

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
    """
    args = list(argv) if argv is not None else sys.argv[1:]
    # --strict before the command: load the plugins strictly from the start, so a
    # plugin that fails to load is one error line, not a warning and then an error.
    options = list(itertools.takewhile(lambda arg: arg.startswith("-"), args))
    try:
        group = build_cli(strict=True if "--strict" in options else None)
    except CreditRulesError as exc:  # e.g. two plugins register one provider id
        tr = _environment_messages()
        error(tr._("error: {message}", message=tr.localized(message_of(exc))))
        raise SystemExit(EXIT_INPUT) from None
    group.main(args=args, prog_name="creditrules")


class CreditRulesGroup(TranslatedHelp, click.Group):
    """The ``creditrules`` group: a creditrules error is a message and exit status 2.

    Its commands, click's own texts and the help are in the command line's language
    (:mod:`creditrules._render.clickhelp`).

    Attributes:
        plugin_failures: Messages of plugins that raised in ``register_commands``
            (fatal with ``--strict``).
    """

    command_class = TranslatedCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plugin_failures: list[str] = []

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        """Run the command line; click's texts in its language (``--lang``, else the env's)."""
        chosen = requested_language(args)
        with click_translated(_messages, chosen):
            return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the command; a :class:`~creditrules.CreditRulesError` exits with 2.

        A plugin warning raised while the command runs (e.g. by a plugin's
        ``provider_actions``) is one ``warning:`` line on stderr, not a Python warning.
        """
        try:
            with _plugin_warnings():
                return super().invoke(ctx)
        except InputError as exc:
            error(exc.describe(_messages(ctx)))
        except CreditRulesError as exc:
            tr = _messages(ctx)
            error(tr._("error: {message}", message=tr.localized(message_of(exc))))
        ctx.exit(EXIT_INPUT)


#: Words for the reasons a file cannot be written (else the system's own, in English).
_OS_REASONS = {
    errno.ENOENT: N_("its folder does not exist"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
}

#: Pass the registry the group loaded to a command, as its first argument.
pass_registry = click.make_pass_decorator(Registry)


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
    with _plugin_warnings():
        # strict reloads the plugins: a plugin that fails to load is a PluginError
        registry = get_registry(strict=True) if strict else get_registry()
    if strict:
        assert isinstance(ctx.command, CreditRulesGroup)
        if ctx.command.plugin_failures:
            raise PluginError(ctx.command.plugin_failures[0])
    ctx.obj = registry


def build_cli(*, strict: bool | None = None) -> click.Group:
    """Return the ``creditrules`` group with the commands the plugins add.

    Calls every plugin's ``register_commands(cli)`` hook once, on a copy of
    :data:`cli`; a plugin raising there is named in a warning (a
    :class:`~creditrules.PluginError` with ``--strict`` or ``CREDITRULES_STRICT=1``).

    Args:
        strict: Load the plugins strictly (default: ``CREDITRULES_STRICT``).

    Returns:
        The :class:`click.Group`; run it with ``.main()`` or click's ``CliRunner``.

    Raises:
        PluginError: if the plugins conflict, or one fails in strict mode.
    """
    group = copy.copy(cli)
    group.commands = dict(cli.commands)
    group.plugin_failures = _add_plugin_commands(group, strict)
    return group


def _add_plugin_commands(group: click.Group, strict: bool | None) -> list[str]:
    """Call each plugin's ``register_commands`` once; return the failures."""
    with _plugin_warnings():
        registry = get_registry(strict=strict)
    with _plugin_warnings() as failures:
        registry.call_each("register_commands", cli=group)
    return failures


# Options and arguments shared by several commands.
_account_file = click.argument("file", type=LocalPath(exists=True, dir_okay=False, path_type=Path))


def _as_of_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Parse ``--as-of``: a date YYYY-MM-DD (a bad one is a usage error saying why)."""
    if value is None:
        return None
    tr = _messages(ctx)
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise click.BadParameter(
            tr._("{value} is not a date; give it as YYYY-MM-DD", value=repr(value))
        )
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    except ValueError as exc:  # Python's reason: "month must be in 1..12", …
        raise click.BadParameter(
            tr._(
                "{value} is not a date ({reason}); give YYYY-MM-DD",
                value=repr(value),
                reason=tr._(str(exc)),
            )
        ) from None


_as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=_as_of_value,
    metavar="YYYY-MM-DD",
    help="Assess at the end of this day (default: today, China time).",
)
_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _lang_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Messages:
    """The messages of ``--lang``, else of ``CREDITRULES_LANG``, else of the system locale."""
    if value is None:
        try:
            value = locale_from_environment(os.environ)
        except ValueError as exc:  # the variable is wrong, not --lang
            tr = _environment_messages()
            raise click.UsageError(tr.localized(message_of(exc)), ctx) from None
    messages = Messages(value)
    ctx.meta[_MESSAGES] = messages
    choose_language(messages)  # click's texts too, its usage errors included
    return messages


_lang_option = click.option(
    "--lang",
    "tr",
    type=click.Choice(available_locales()),
    callback=_lang_value,
    is_eager=True,
    help="The language of the output (default: CREDITRULES_LANG, else zh_CN when the "
    "system locale is Chinese, else en).",
)
_explain_option = click.option(
    "--explain",
    is_flag=True,
    help="After the figures, explain each one (rule, policy values, sources).",
)
_provider_file_option = click.option(
    "--provider-file",
    "provider_files",
    multiple=True,
    type=LocalPath(exists=True, dir_okay=False, path_type=Path),
    metavar="PATH",
    help="A declarative provider TOML file to use for this run (repeatable).",
)


def _money_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Parse an AMOUNT option exactly (a bad amount is a usage error, exit status 2).

    ``--capacity`` must be more than zero; other amounts must not be negative.
    """
    if value is None:
        return None
    try:
        amount = parse_money(value)
    except ValueError as exc:
        raise click.BadParameter(_messages(ctx).localized(message_of(exc))) from None
    tr = _messages(ctx)
    if param.name == "capacity" and amount <= 0:
        raise click.BadParameter(tr._("must be an amount greater than 0, got {value}", value=value))
    if amount < 0:
        raise click.BadParameter(tr._("must not be negative, got {value}", value=value))
    return amount


@cli.command(name="assess")
@_account_file
@_as_of_option
@_json_option
@_lang_option
@_explain_option
@_provider_file_option
@pass_registry
def assess_command(
    registry: Registry,
    file: Path,
    as_of: datetime | None,
    as_json: bool,
    tr: Messages,
    explain: bool,
    provider_files: tuple[Path, ...],
) -> None:
    """Assess an account file.

    Shows days past due, balances and overdue amounts by component, what the
    overdue cost, the episodes, every due item, what is unknown, and the policy
    values in force with their source and grade. With --explain, then the
    explanation of every figure.
    """
    _check_explain(explain, as_json, tr)
    registry = _with_provider_files(registry, provider_files)
    assessment = _assess_file(file, as_of, registry)
    if as_json:
        click.echo(to_json(assessment, converter=registry.converter))
        return
    from ._render.assessment import render_assessment  # lazy: start-up (rich)

    show(render_assessment(assessment, registry, tr))
    if explain:
        _show_explanation(assessment.explain(tr.locale))


@cli.command(name="report")
@_account_file
@_as_of_option
@_json_option
@click.option(
    "--html",
    "html_file",
    type=LocalPath(dir_okay=False, path_type=Path),
    metavar="OUT.html",
    help="Also write the report as one printable HTML page (A4, no network needed).",
)
@_lang_option
@_explain_option
@_provider_file_option
@pass_registry
def report_command(
    registry: Registry,
    file: Path,
    as_of: datetime | None,
    as_json: bool,
    html_file: Path | None,
    tr: Messages,
    explain: bool,
    provider_files: tuple[Path, ...],
) -> None:
    """Simulate the credit report of an account file.

    Shows the 60-month status grid, the negative records with their expiry or
    relief dates, the flags lenders read and any discrepancies. With --html, also
    writes them, with the recommended actions, as a page to print or send.
    """
    _check_explain(explain, as_json, tr)
    registry = _with_provider_files(registry, provider_files)
    assessment = _assess_file(file, as_of, registry)
    report = assessment.report
    if report is None:  # pragma: no cover - assess always simulates the report
        raise click.ClickException(tr._("the assessment has no credit report"))
    if html_file is not None:
        from ._render.html import report_page  # lazy: start-up (only for --html)

        try:
            html_file.write_text(
                report_page(assessment, registry, tr, source=file.name), encoding="utf-8"
            )
        except OSError as exc:
            why = _OS_REASONS.get(exc.errno or 0)
            reason = tr._("cannot write it ({reason})", reason=tr._(why) if why else str(exc))
            raise click.BadParameter(f"{html_file}: {reason}", param_hint="'--html'") from None
    if as_json:
        click.echo(to_json(report, converter=registry.converter))
        return
    from ._render.report import render_report  # lazy: start-up (rich)

    show(render_report(report, registry, tr))
    if explain:
        from ._render.explanation import report_figures  # lazy: start-up (only for --explain)

        _show_explanation(report_figures(assessment.explain(tr.locale)))
    if html_file is not None:
        error(tr._("Wrote {file}", file=str(html_file)), style="green")


@cli.command(name="explain")
@_account_file
@_as_of_option
@_lang_option
@click.option(
    "--all", "include_not_fired", is_flag=True, help="Also list the rules that did not fire."
)
@_json_option
@_provider_file_option
@pass_registry
def explain_command(
    registry: Registry,
    file: Path,
    as_of: datetime | None,
    tr: Messages,
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
    registry = _with_provider_files(registry, provider_files)
    assessment = _assess_file(file, as_of, registry)
    explanation = assessment.explain(tr.locale, include_not_fired=include_not_fired)
    if as_json:
        click.echo(to_json(explanation, converter=registry.converter))
        return
    from ._render.explanation import render_explanation  # lazy: start-up (rich)

    show(render_explanation(explanation, record=True))


@cli.command(name="providers")
@click.argument("provider_id", metavar="[ID]", required=False)
@_json_option
@_lang_option
@_provider_file_option
@pass_registry
def providers_command(
    registry: Registry,
    provider_id: str | None,
    as_json: bool,
    tr: Messages,
    provider_files: tuple[Path, ...],
) -> None:
    """List the providers, or show one.

    With an ID: its facts, policy values (with effective dates, source and
    grade), and the parameters that are unknown or required from your contract.
    """
    from ._render.registry import (  # lazy: start-up (rich)
        provider_data,
        provider_summary,
        render_provider,
        render_providers,
    )

    registry = _with_provider_files(registry, provider_files)
    if provider_id is None:
        providers = sorted(registry.providers.values(), key=lambda p: p.id)
        if as_json:
            _echo_json([provider_summary(p, registry) for p in providers])
        else:
            show(render_providers(providers, registry, tr))
        return
    try:
        provider = registry.provider(provider_id)
    except KeyError as exc:
        known = Translatable.known(str(exc.args[0]), PLAIN_MESSAGES, lists=PLAIN_LISTS)
        raise click.BadParameter(tr.localized(known), param_hint="ID") from None
    if as_json:
        _echo_json(provider_data(provider, registry))
    else:
        show(render_provider(provider, registry, tr))


@cli.command(name="plugins")
@_json_option
@_lang_option
@pass_registry
def plugins_command(registry: Registry, as_json: bool, tr: Messages) -> None:
    """List the plugins and what they provide.

    Each plugin with its distribution and version, the hooks it implements and
    the providers and rules it registers; plugins that failed are shown in red.
    """
    from ._render.registry import plugins_data, render_plugins  # lazy: start-up (rich)

    if as_json:
        _echo_json(plugins_data(registry))
    else:
        show(render_plugins(registry, tr))


@cli.command(name="rules")
@_json_option
@_lang_option
@pass_registry
def rules_command(registry: Registry, as_json: bool, tr: Messages) -> None:
    """List the rules in force.

    Phases in the order they run, the steps performed inside each, and for
    every rule its description, citation and origin (core or plugin).
    """
    from ._render.registry import render_rules, rules_data  # lazy: start-up (rich)

    rules = tuple(registry.rules)
    if as_json:
        _echo_json(rules_data(rules))
    else:
        show(render_rules(rules, tr))


@cli.command(name="new-provider")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=LocalPath(file_okay=False, path_type=Path),
    default=Path("."),
    metavar="DIR",
    help="Where to create the package's directory (default: the current directory).",
)
@_lang_option
def new_provider_command(name: str, directory: Path, tr: Messages) -> None:
    """Write a new provider plugin package for the provider id NAME.

    Creates DIR/creditrules-NAME: a pyproject with the creditrules entry point, a
    declarative provider.toml (no number yet: every parameter listed as unknown,
    to fill in from the lender's terms), a README, a CHANGELOG, a golden case and a
    test running the conformance suite. It passes its own tests as written.
    """
    from ._newprovider import write_provider_package  # lazy: start-up

    try:
        root = write_provider_package(name, directory)
    except InputError as exc:
        hint = "'--dir'" if exc.path == "--dir" else "'NAME'"
        raise click.BadParameter(tr.localized(exc.message), param_hint=hint) from None
    click.echo(tr._("Wrote {file}", file=str(root)))
    click.echo(
        tr._("Next: fill in src/*/provider.toml and README.md from the lender's terms, then")
    )
    click.echo(f'  pip install -e "{root}[testing]" && pytest {root}')


@cli.command(name="plan")
@_account_file
@_as_of_option
@click.option(
    "--capacity",
    metavar="AMOUNT",
    callback=_money_value,
    help="What you can pay a month: also draft a negotiated repayment plan (协商还款).",
)
@click.option(
    "--down-payment",
    metavar="AMOUNT",
    callback=_money_value,
    help="Paid when the plan is signed (with --capacity).",
)
@_json_option
@_lang_option
@_provider_file_option
@pass_registry
def plan_command(
    registry: Registry,
    file: Path,
    as_of: datetime | None,
    capacity: Decimal | None,
    down_payment: Decimal | None,
    as_json: bool,
    tr: Messages,
    provider_files: tuple[Path, ...],
) -> None:
    """Say what to do about an account file, most urgent first.

    Each action with its deadline, amount, effect on cost and on the credit
    report (simulated), steps and sources. With --capacity, also a repayment
    plan to propose: monthly amount, dates, total, and the checklist.
    """
    from rich.console import Group  # lazy: start-up
    from rich.text import Text  # lazy: start-up

    from ._api import plan_negotiation  # lazy: start-up
    from ._render.remediation import (  # lazy: start-up
        no_plan_note,
        plan_data,
        render_actions,
        render_plan,
    )

    registry = _with_provider_files(registry, provider_files)
    account = _load_account(file, registry)
    assessment = _assess_account(file, account, as_of, registry)
    plan, note = None, ""
    if capacity is not None:
        try:
            plan = plan_negotiation(
                account,
                as_of=assessment.as_of,
                capacity=capacity,
                down_payment=down_payment,
                registry=registry,
            )
        except ValueError as exc:
            note = no_plan_note(exc, tr)
    if as_json:
        _echo_json(
            {
                "actions": json.loads(to_json(assessment.actions, converter=registry.converter)),
                "plan": plan_data(plan, registry) if plan is not None else None,
                "note": note or None,
            }
        )
        return
    provider = registry.providers.get(account.provider)
    parts: list[RenderableType] = [render_actions(assessment, tr, provider)]
    if plan is not None:
        parts.append(render_plan(plan, tr, provider))
    elif note:
        parts.append(Text(f"\n{note}", style="yellow"))
    show(Group(*parts))


@cli.command(name="compare")
@_account_file
@_as_of_option
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
    type=LocalPath(exists=True, dir_okay=False, path_type=Path),
    metavar="PATH",
    help="A TOML file of [[scenario]] tables (name, events).",
)
@_json_option
@_lang_option
@_provider_file_option
@pass_registry
def compare_command(
    registry: Registry,
    file: Path,
    as_of: datetime | None,
    texts: tuple[str, ...],
    scenarios_file: Path | None,
    as_json: bool,
    tr: Messages,
    provider_files: tuple[Path, ...],
) -> None:
    """Compare what-if scenarios for an account file, side by side.

    The account as it is, then each scenario: total cost, penalty, paid, still
    owed, days past due, negative months on the credit report, and the day the
    report is clean.
    """
    from ._render.remediation import (  # lazy: start-up
        comparison_data,
        error_text,
        render_comparison,
    )
    from .comparison import compare, load_scenarios, parse_scenario  # lazy: start-up

    scenarios = []
    for index, text in enumerate(texts, start=1):
        try:
            scenarios.append(parse_scenario(text))
        except InputError as exc:
            raise InputError(exc.problems, file=f"--scenario {index}") from None
    if scenarios_file is not None:
        scenarios.extend(load_scenarios(scenarios_file, registry=registry))
    if not scenarios:
        raise click.UsageError(tr._("give at least one --scenario or a --scenarios-file"))
    registry = _with_provider_files(registry, provider_files)
    account = _load_account(file, registry)
    try:
        table = compare(account, scenarios, as_of=_day(as_of), registry=registry)
    except ValueError as exc:
        raise click.BadParameter(error_text(exc, tr), param_hint="'--scenario'") from None
    except InputError as exc:
        raise InputError(exc.problems, file=exc.file or str(file)) from None
    if as_json:
        _echo_json(comparison_data(table, registry))
    else:
        show(render_comparison(table, tr))


@cli.command(name="batch")
@click.argument("inputs", nargs=-1, required=True, type=LocalPath(exists=True, path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Assess every account at the end of this day.",
)
@click.option(
    "--out",
    required=True,
    type=LocalPath(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Where to write one row per account: *.parquet, *.csv or *.jsonl.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes to assess with on this machine (1: in this process).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Assess on the Dask cluster of this scheduler (tcp://host:8786; extra 'dask').",
)
@click.option(
    "--errors",
    "errors_file",
    type=LocalPath(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Where to list the accounts that could not be assessed: *.jsonl or *.csv.",
)
@click.option(
    "--actions",
    is_flag=True,
    help="Also plan each account's actions (first action and amount); several times slower.",
)
@_lang_option
@_provider_file_option
@pass_registry
@click.pass_context
def batch_command(
    ctx: click.Context,
    registry: Registry,
    inputs: tuple[Path, ...],
    as_of: datetime,
    out: Path,
    workers: int,
    scheduler: str | None,
    errors_file: Path | None,
    actions: bool,
    tr: Messages,
    provider_files: tuple[Path, ...],
) -> None:
    """Assess a portfolio: account files, folders of them, or JSON Lines files.

    Writes one row per account (figures, report flags, record hash) to --out as
    it goes, with a progress bar on a terminal, then says how many were assessed
    and how fast. An account that cannot be assessed does not stop the others:
    it is listed in --errors (or on stderr) with its file and JSON path, and the
    exit status is 1. Each line of a *.jsonl input is one account file's table
    as JSON.
    """
    from ._render.batch import (  # lazy: start-up (rich.progress)
        SHOWN_FAILURES,
        BatchProgress,
        batch_summary,
        failure_lines,
    )
    from .portfolio import (  # lazy: start-up (multiprocessing, csv, pickle)
        AssessmentFailure,
        assess_many,
        iter_sources,
        open_writer,
    )

    if scheduler is not None and workers > 1:
        raise click.UsageError(tr._("give --workers or --scheduler, not both"))
    registry = _with_provider_files(registry, provider_files)
    if next(iter_sources(inputs), None) is None:
        raise click.UsageError(
            tr._("no account files found in {inputs}", inputs=", ".join(map(str, inputs)))
        )
    failures: list[AssessmentFailure] = []
    started = time.perf_counter()
    with ExitStack() as stack:
        try:
            writer = stack.enter_context(open_writer(out, failures=False, registry=registry))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--out'") from None
        except ImportError as exc:  # Parquet without the portfolio extra
            raise click.UsageError(str(exc)) from None
        errors = None
        if errors_file is not None:
            try:
                errors = stack.enter_context(open_writer(errors_file, failures_only=True))
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="'--errors'") from None
        executor: Executor | None = None
        if workers > 1:
            from concurrent.futures import ProcessPoolExecutor  # lazy: start-up

            executor = stack.enter_context(ProcessPoolExecutor(workers))
        elif scheduler is not None:
            try:
                import distributed  # lazy: optional dependency (extra "dask")
            except ImportError:
                raise click.UsageError(
                    tr._("--scheduler needs Dask; install it with: {command}", command=_DASK)
                ) from None
            try:
                client = stack.enter_context(
                    distributed.Client(  # type: ignore[no-untyped-call]
                        scheduler, timeout="20s", set_as_default=False
                    )
                )
            except (OSError, ValueError) as exc:
                raise click.BadParameter(
                    tr._(
                        "cannot reach a Dask scheduler at {address}: {reason}",
                        address=scheduler,
                        reason=str(exc),
                    ),
                    param_hint="'--scheduler'",
                ) from None
            executor = client.get_executor()
        progress = stack.enter_context(
            BatchProgress(lambda: sum(1 for _ in iter_sources(inputs)), tr=tr)
        )
        for result in assess_many(
            iter_sources(inputs), _day(as_of), executor=executor, registry=registry, actions=actions
        ):
            writer.write(result)
            if isinstance(result, AssessmentFailure):
                if errors is not None:
                    errors.write(result)
                elif len(failures) < SHOWN_FAILURES:
                    failures.append(result)
            progress.advance(result)
    for line in failure_lines(failures, progress.failed if errors_file is None else 0, tr):
        error(line)
    show(
        batch_summary(
            done=progress.done,
            failed=progress.failed,
            seconds=time.perf_counter() - started,
            out=out,
            errors=errors_file if progress.failed else None,
            tr=tr,
        ),
        soft_wrap=True,
    )
    if progress.failed:
        ctx.exit(1)  # some accounts failed: 1, apart from bad arguments (2)


def _load_account(file: Path, registry: Registry) -> Account:
    """Load an account file with ``registry``."""
    from .io import load_account  # lazy: start-up

    return load_account(file, registry=registry)


def _assess_file(file: Path, as_of: datetime | None, registry: Registry) -> Assessment:
    """Load and assess an account file with ``registry``."""
    return _assess_account(file, _load_account(file, registry), as_of, registry)


def _assess_account(
    file: Path, account: Account, as_of: datetime | None, registry: Registry
) -> Assessment:
    """Assess the account of ``file``; an input error without a file names it."""
    from ._api import assess  # lazy: start-up

    try:
        return assess(account, as_of=_day(as_of), registry=registry)
    except InputError as exc:
        if exc.file is not None:
            raise
        raise InputError(exc.problems, file=str(file)) from None


def _day(as_of: datetime | None) -> date:
    """The day of ``--as-of``, or today in China."""
    return as_of.date() if as_of is not None else _today()


def _today() -> date:
    """Today in China: Asia/Shanghai, or UTC+8 if the time-zone database is missing."""
    zone: tzinfo
    try:
        zone = ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # no tzdata (e.g. Windows without the tzdata package)
        zone = timezone(timedelta(hours=8), "CST")
    return datetime.now(zone).date()


def _check_explain(explain: bool, as_json: bool, tr: Messages) -> None:
    """Refuse ``--explain`` with ``--json`` (the JSON explanation is ``creditrules explain``)."""
    if explain and as_json:
        raise click.UsageError(
            tr._(
                "--explain explains the text output; for the explanation as JSON run: "
                "creditrules explain FILE --json"
            )
        )


def _with_provider_files(registry: Registry, paths: Sequence[Path]) -> Registry:
    """Return ``registry`` with the providers of the ``--provider-file`` options added.

    Raises:
        InputError: if a file is invalid, or gives the id of a provider already registered.
    """
    if not paths:
        return registry
    from ._provider_file import load_provider  # lazy: start-up

    for path in paths:
        provider = load_provider(path)
        if provider.id in registry.providers:
            raise InputError(
                f"provider id {provider.id!r} is already registered by "
                f"{registry.provider_plugin[provider.id]}; give the provider in this file "
                "another id",
                file=str(path),
                path="$.provider.id",
            )
        registry = registry.with_providers(provider, origin=f"--provider-file {path}")
    return registry


@contextmanager
def _plugin_warnings() -> Iterator[list[str]]:
    """Show plugin warnings as one ``warning:`` line each on stderr.

    Yields:
        A list that holds, once the ``with`` block is over, the warnings' messages.
    """
    messages: list[str] = []
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always", PluginWarning)
            caught = recorded
            yield messages
    finally:  # also when the command failed: the warnings may say why
        _show_warnings(caught, messages)


def _show_warnings(caught: list[warnings.WarningMessage], messages: list[str]) -> None:
    """Print caught warnings: a plugin's as one ``warning:`` line, others as Python does."""
    for warning in caught:
        if issubclass(warning.category, PluginWarning):
            messages.append(str(warning.message))
            tr = _environment_messages()
            error(tr._("warning: {message}", message=str(warning.message)), style="yellow")
        else:
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def show(renderable: RenderableType, *, soft_wrap: bool = False) -> None:
    """Print a renderable on stdout (:func:`creditrules._render.common.show`)."""
    from ._render import common  # lazy: start-up (rich)

    common.show(renderable, soft_wrap=soft_wrap)


def error(message: str, style: str = "red") -> None:
    """Print one message on stderr (:func:`creditrules._render.common.error`)."""
    from ._render import common  # lazy: start-up (rich)

    common.error(message, style=style)


def _show_explanation(explanation: Explanation) -> None:
    """Print an explanation after the figures, a blank line between."""
    from rich.console import Group  # lazy: start-up
    from rich.text import Text  # lazy: start-up

    from ._render.explanation import render_explanation  # lazy: start-up (only for --explain)

    show(Group(Text(""), render_explanation(explanation)))
