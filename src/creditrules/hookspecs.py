"""Hook specifications: what a creditrules plugin can provide.

A plugin is a module (or object) with functions marked ``@creditrules.hookimpl``
whose names match the specs below, advertised under the ``creditrules``
entry-point group::

    [project.entry-points.creditrules]
    acme = "creditrules_acme"

Hooks hand the plugin a ``register`` callback (the llm/datasette style), so a
plugin can register several things and the manager knows who registered what.
Every hook is called **once** when plugins load, or once per assessment — never
per rule or per day.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._plugins import Registry
    from .assessment import Assessment
    from .bureau import Bureau
    from .model import Account
    from .provider import Provider
    from .remediation import Action
    from .rules import Context

__all__ = ["hookimpl", "hookspec"]

#: Marks hook specifications (used by creditrules itself).
hookspec = pluggy.HookspecMarker("creditrules")
#: Marks hook implementations in plugins.
hookimpl = pluggy.HookimplMarker("creditrules")


@hookspec
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register providers.

    Call ``register(provider)`` once per :class:`~creditrules.Provider`. An id
    two plugins register is withdrawn (assessing it is a
    :class:`~creditrules.PluginError` naming both distributions; with strict
    loading, loading fails). A plugin that raises here, or passes anything but a
    ``Provider``, is removed as a whole.

    Args:
        register: Callback taking a :class:`~creditrules.Provider`.
    """


@hookspec
def register_bureaus(register: Callable[[Bureau], None]) -> None:
    """Register credit bureaus.

    Call ``register(bureau)`` once per :class:`~creditrules.Bureau`: its status
    codes, snapshot rule, history window, retention, dispute time, flag
    thresholds and effective-dated relief policies. A provider's ``bureau``
    policy value names the bureau its accounts report to (default ``pboc``).
    Two plugins registering the same id is a :class:`~creditrules.PluginError`
    naming both distributions.

    Args:
        register: Callback taking a :class:`~creditrules.Bureau`.
    """


@hookspec
def register_rules(register: Callable[..., None]) -> None:
    """Add or replace engine rules.

    Call ``register(rule)`` to append a :class:`~creditrules.Rule`,
    ``register(rule, after="timeline.replay")`` or ``before=`` to place it, or
    ``register(rule, replace=True)`` to replace the rule with the same id. The
    ruleset in force is listed by ``creditrules rules``.

    Args:
        register: Callback ``register(rule, *, after=None, before=None, replace=False)``.
    """


@hookspec
def register_event_types(register: Callable[[str, type[Any]], None]) -> None:
    """Register extra event types for account files.

    Call ``register("acme_deferral", AcmeDeferral)`` with a frozen attrs
    class that has a ``date`` field, a ``note`` field and a ``type`` class
    variable equal to the tag. The event reaches the engine in
    ``Context.events``; a provider hook or rule gives it meaning.

    Args:
        register: Callback taking the type tag and the class.
    """


@hookspec
def adjust_timeline(provider: Provider, context: Context) -> None:
    """Apply provider behaviour the policy parameters cannot express.

    Called **once per assessment**, after the due items and events are derived
    and before the timeline is replayed, and only for the plugin that registered
    the account's provider (other plugins' implementations are not called). It
    may replace
    ``context.items`` (e.g. turn a bill into installments, 账单分期) or
    ``context.events``, and should record what it did with ``context.fire``.

    Args:
        provider: The provider of the account being assessed.
        context: The rule context (items and events derived, nothing replayed yet).
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add commands to the ``creditrules`` command line.

    Args:
        cli: The :class:`click.Group` of the CLI; add commands with ``cli.command()``.
    """


@hookspec
def provider_actions(
    assessment: Assessment, account: Account, provider: Provider, registry: Registry
) -> Iterable[Action] | None:
    """Contribute remediation actions, e.g. a provider's own hardship programme.

    Called **once per assessment**, after the built-in planner, for every
    plugin; an implementation acts only when ``provider.id`` is one of its own
    and returns :class:`~creditrules.Action` values (or ``None``). Give each a
    code of your own (``acme.hardship_programme``), its deadline, amount, steps
    and citations (source and grade). If the action has ``events`` and its
    effect a ``horizon``, the planner measures the effect by simulation
    (against ``effect.compared_with``), so the figures stated are the figures
    obtained. The actions are ranked with the built-in ones; ``origin`` is set
    to the plugin's name. A plugin that raises here is named in a
    :class:`~creditrules.PluginWarning` and the assessment goes on (an error
    with ``--strict``).

    Args:
        assessment: The assessment so far (its ``actions`` are empty here, so
            reading them inside the hook never recurses). An assessment or
            simulation the hook makes itself plans its actions only if the hook
            reads them — which would call this hook again: don't.
        account: The account as known at ``assessment.as_of`` (later events left out).
        provider: The account's provider.
        registry: The registry the assessment was made with: pass it on
            (``creditrules.simulate(..., registry=registry)``) rather than
            fetching the installed one.

    Returns:
        The plugin's actions, in any order.
    """


#: Hook names and one line each, for ``creditrules plugins`` and the docs test.
HOOKS: dict[str, str] = {
    "register_providers": "registers providers",
    "register_bureaus": "registers credit bureaus",
    "register_rules": "adds or replaces engine rules",
    "register_event_types": "adds account-file event types",
    "adjust_timeline": "applies provider behaviour once per assessment",
    "register_commands": "adds CLI commands",
    "provider_actions": "contributes remediation actions once per assessment",
}
