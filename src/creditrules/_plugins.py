"""The plugin manager: discovery, registration and conflict handling (private).

Built-in plugins (:data:`DEFAULT_PLUGINS`) and third-party plugins (entry-point
group ``creditrules``) are loaded the same way. A plugin that fails to import,
implements a hook that does not exist, or raises in (or passes a wrong value to)
a registration hook, is named in a :class:`PluginWarning` with its distribution
and the reason, and is removed as a whole: none of its providers, bureaus, rules
or event types stays registered, and none of its hooks is called. The other
plugins keep working. A provider id two plugins register is withdrawn (both
plugins keep their other parts); assessing it is a
:class:`~creditrules.PluginError` naming both distributions. A bureau id
registered twice stays with the first plugin; the second is removed. With
``strict`` (``--strict`` or ``CREDITRULES_STRICT=1``) every one of these is a
:class:`~creditrules.PluginError` instead.

Environment:
    ``CREDITRULES_LOAD_PLUGINS``: comma-separated entry-point names; only these
    third-party plugins load (empty string: none).
    ``CREDITRULES_DISABLE_PLUGINS``: comma-separated names not to load.
    ``CREDITRULES_STRICT``: ``1`` makes plugin failures fatal.
"""

from __future__ import annotations

import difflib
import importlib
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any

import attrs
import cattrs
import pluggy

from . import _convert, hookspecs
from ._version import __version__
from .bureau import Bureau
from .errors import CreditRulesError, PluginError, PluginWarning
from .model import CORE_EVENT_TYPES
from .provider import Provider
from .rules import CORE_RULES, Context, Rule, RuleSet

__all__ = ["DEFAULT_PLUGINS", "PluginInfo", "PluginWarning", "Registry", "get_registry"]

#: Modules of the built-in plugins, loaded first, exactly like entry points.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "creditrules.default_plugins.generic",
    "creditrules.default_plugins.pboc",
)


@attrs.frozen
class PluginInfo:
    """What ``creditrules plugins`` shows about one plugin.

    Attributes:
        name: Entry-point name (or module name for built-ins).
        distribution: The distribution that ships it (``creditrules`` for built-ins).
        version: That distribution's version.
        hooks: Hooks it implements.
        providers: Provider ids it registered.
        rules: Rule ids it added or replaced.
        error: Why it failed, if it did.
        bureaus: Credit-bureau ids it registered.
        conflicts: Why ids it registered were withdrawn (another plugin registered them too).
    """

    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    error: str = ""
    bureaus: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


@attrs.define
class Registry:
    """Everything the installed plugins registered.

    Attributes:
        manager: The :class:`pluggy.PluginManager`.
        providers: Providers by id.
        rules: The ruleset in force.
        plugins: One :class:`PluginInfo` per plugin, in load order.
        strict: Whether plugin failures are fatal.
        bureaus: Credit bureaus by id.
        event_types: Account-file event types by tag: the core ones and those the
            plugins registered (``register_event_types``).
        conflicts: Provider ids two or more plugins registered, withdrawn, with the
            message naming the plugins and their distributions.
    """

    manager: pluggy.PluginManager
    providers: dict[str, Provider] = attrs.field(factory=dict)
    provider_plugin: dict[str, str] = attrs.field(factory=dict)
    rules: RuleSet = CORE_RULES
    plugins: list[PluginInfo] = attrs.field(factory=list)
    strict: bool = False
    bureaus: dict[str, Bureau] = attrs.field(factory=dict)
    bureau_plugin: dict[str, str] = attrs.field(factory=dict)
    event_types: dict[str, type[Any]] = attrs.field(factory=lambda: dict(CORE_EVENT_TYPES))
    conflicts: dict[str, str] = attrs.field(factory=dict)
    _converter: cattrs.Converter | None = attrs.field(default=None, init=False, repr=False)

    @property
    def converter(self) -> cattrs.Converter:
        """The converter that reads and writes values with this registry's event types."""
        if self._converter is None:
            self._converter = _convert.make_converter(self.event_types)
        return self._converter

    def call_each(
        self,
        hook: str,
        *,
        plugins: Iterable[str] | None = None,
        check: Callable[[Any], Any] | None = None,
        fatal: bool = False,
        **arguments: Any,
    ) -> list[tuple[str, Any]]:
        """Call ``hook`` of every plugin (or of ``plugins`` only), each isolated from the others.

        A plugin whose implementation raises is named in a :class:`PluginWarning`
        and skipped, so the other plugins' results still count; in strict mode it
        is a :class:`~creditrules.PluginError`.

        Args:
            hook: The hook name (see :mod:`creditrules.hookspecs`).
            plugins: Only call the implementations of these plugins (by name).
            check: Applied to each result (what it returns is kept); a
                :class:`TypeError` or :class:`ValueError` it raises counts as the
                plugin's failure.
            fatal: Make a failure a :class:`~creditrules.PluginError` even when the
                registry is not strict (for hooks whose half-done work cannot be
                skipped, such as ``adjust_timeline``).
            **arguments: The hook's arguments by name; each implementation gets
                the ones it declares.

        Returns:
            ``(plugin name, result)`` pairs, in registration order, for the
            implementations that returned without raising.

        Raises:
            PluginError: if an implementation raised and the registry is strict
                (or ``fatal``). A :class:`~creditrules.CreditRulesError` the
                implementation raised itself (e.g. an :class:`~creditrules.InputError`
                about the account) is passed on unchanged.
        """
        wanted = None if plugins is None else set(plugins)
        results: list[tuple[str, Any]] = []
        for impl in reversed(getattr(self.manager.hook, hook).get_hookimpls()):
            if wanted is not None and impl.plugin_name not in wanted:
                continue
            try:
                result = impl.function(*(arguments[name] for name in impl.argnames))
                if check is not None:
                    result = check(result)
            except CreditRulesError as exc:
                if isinstance(exc, PluginError) or self.strict or fatal:
                    raise
                self._warn_hook(impl.plugin_name, hook, exc)
                continue
            except Exception as exc:
                if self.strict or fatal:
                    raise PluginError(self._hook_failure(impl.plugin_name, hook, exc)) from exc
                self._warn_hook(impl.plugin_name, hook, exc)
                continue
            results.append((impl.plugin_name, result))
        return results

    def describe(self, name: str) -> str:
        """Name a plugin with its distribution: ``plugin 'acme' (creditrules-acme 1.2.3)``.

        Args:
            name: The plugin's name (its entry point, or module for a built-in).

        Returns:
            The description; without a distribution for a name no plugin has.
        """
        for info in self.plugins:
            if info.name == name:
                return _describe(name, info.distribution, info.version)
        return f"plugin {name!r}"

    def _hook_failure(self, name: str, hook: str, exc: BaseException) -> str:
        return f"creditrules {self.describe(name)} raised in {hook}: {type(exc).__name__}: {exc}"

    def _warn_hook(self, name: str, hook: str, exc: BaseException) -> None:
        warnings.warn(self._hook_failure(name, hook, exc), PluginWarning, stacklevel=3)

    def bureau(self, bureau_id: str) -> Bureau:
        """Return the credit bureau with this id.

        Raises:
            KeyError: with a message listing the installed bureaus.
        """
        try:
            return self.bureaus[bureau_id]
        except KeyError:
            installed = ", ".join(sorted(self.bureaus)) or "none"
            raise KeyError(
                f"unknown credit bureau {bureau_id!r}; installed bureaus: {installed}"
            ) from None

    def provider(self, provider_id: str) -> Provider:
        """Return the provider with this id.

        Raises:
            KeyError: with a message listing the installed providers and the closest match.
            PluginError: if two plugins registered this id (the message names both
                distributions), so it was withdrawn.
        """
        if provider_id in self.conflicts:
            raise PluginError(self.conflicts[provider_id])
        try:
            return self.providers[provider_id]
        except KeyError:
            raise KeyError(self.unknown_provider_message(provider_id)) from None

    def unknown_provider_message(self, provider_id: str) -> str:
        """Say that ``provider_id`` is unknown, list the installed ones, suggest the closest."""
        installed = sorted(self.providers)
        close = difflib.get_close_matches(provider_id, installed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return (
            f"unknown provider {provider_id!r}; installed providers: "
            f"{', '.join(installed) or 'none'}{hint}"
        )

    def with_providers(self, *providers: Provider, origin: str = "provider file") -> Registry:
        """Return a copy of this registry with extra providers (e.g. ``--provider-file``).

        Raises:
            PluginError: if one of them has the id of an installed provider.
        """
        copy = attrs.evolve(
            self, providers=dict(self.providers), provider_plugin=dict(self.provider_plugin)
        )
        for provider in providers:
            if provider.id in copy.providers:
                raise PluginError(
                    f"provider id {provider.id!r} from {origin} is already registered by "
                    f"{copy.provider_plugin[provider.id]}"
                )
            copy.providers[provider.id] = provider
            copy.provider_plugin[provider.id] = origin
        return copy

    def owner(self, provider_id: str) -> str | None:
        """The name of the plugin (or provider file) that registered ``provider_id``."""
        return self.provider_plugin.get(provider_id)

    def adjust_timeline(self, provider: Provider, context: Context) -> None:
        """Call the ``adjust_timeline`` hook of the plugin that owns ``provider``, once.

        Raises:
            PluginError: naming the plugin, if its hook raised (its half-done changes
                to ``context`` cannot be trusted, so the assessment stops).
        """
        owner = self.owner(provider.id)
        if owner is None:
            return
        self.call_each(
            "adjust_timeline", plugins=(owner,), fatal=True, provider=provider, context=context
        )

    def with_rules(self, rules: RuleSet) -> Registry:
        """Return a copy of this registry with ``rules`` in force (e.g. for a test)."""
        return attrs.evolve(self, rules=rules)


def _describe(name: str, distribution: str, version: str) -> str:
    """``plugin 'acme' (creditrules-acme 1.2.3)``; ``plugin 'x' (in process)``."""
    if distribution.startswith("("):
        return f"plugin {name!r} {distribution}"
    return f"plugin {name!r} ({distribution}{f' {version}' if version else ''})"


def _distribution(ep: EntryPoint) -> tuple[str, str]:
    """The name and version of the distribution that ships ``ep``.

    Its metadata is parsed once (``dist.name`` and ``dist.version`` parse it each).
    """
    if ep.dist is None:
        return ("?", "?")
    metadata = ep.dist.metadata
    return (metadata["Name"], metadata["Version"])


def _names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


@attrs.frozen
class _RuleRegistration:
    """One call of a ``register_rules`` callback, replayed when a plugin is withdrawn."""

    plugin: str
    rule: Rule
    after: str | None
    before: str | None
    replace: bool

    def apply(self, rules: RuleSet) -> RuleSet:
        if self.replace:
            return rules.replace(self.rule)
        if self.after is not None:
            return rules.insert_after(self.after, self.rule)
        if self.before is not None:
            return rules.insert_before(self.before, self.rule)
        return rules.append(self.rule)


class _Loader:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.manager = pluggy.PluginManager("creditrules")
        self.manager.add_hookspecs(hookspecs)
        self.registry = Registry(manager=self.manager, strict=strict)
        self.infos: dict[str, dict[str, Any]] = {}
        self.failed: set[str] = set()
        self.event_owner: dict[str, str] = {}
        self.rule_registrations: list[_RuleRegistration] = []
        self.claims: dict[str, list[str]] = {}

    def fail(self, name: str, message: str, *, withdraw: bool = True) -> None:
        """Report plugin ``name`` as broken and withdraw everything it registered.

        ``withdraw=False`` when the plugin never got registered under ``name`` (another
        plugin may hold that name).
        """
        text = f"creditrules {self._describe(name)} {message}"
        if self.strict:
            raise PluginError(text)
        withdrawn = self._withdraw(name) if withdraw else ""
        if withdrawn:
            text += f"; withdrawn: {withdrawn}"
        warnings.warn(text, PluginWarning, stacklevel=4)
        self.infos.setdefault(name, {"distribution": "?", "version": "?"})["error"] = message

    def _describe(self, name: str) -> str:
        info = self.infos.get(name)
        if info is None:
            return f"plugin {name!r}"
        return _describe(name, info["distribution"], info.get("version", ""))

    def _withdraw(self, name: str) -> str:
        """Remove every part plugin ``name`` registered; say what was removed."""
        self.failed.add(name)
        registry = self.registry
        info = self.infos.get(name, {})
        parts: list[str] = []
        providers = [p for p, owner in registry.provider_plugin.items() if owner == name]
        for provider_id in providers:
            registry.providers.pop(provider_id, None)
            registry.provider_plugin.pop(provider_id, None)
        bureaus = [b for b, owner in registry.bureau_plugin.items() if owner == name]
        for bureau_id in bureaus:
            registry.bureaus.pop(bureau_id, None)
            registry.bureau_plugin.pop(bureau_id, None)
        events = [tag for tag, owner in self.event_owner.items() if owner == name]
        for tag in events:
            registry.event_types.pop(tag, None)
            self.event_owner.pop(tag, None)
        rules = [r.rule.id for r in self.rule_registrations if r.plugin == name]
        if rules:
            self._replay_rules()
        for label, ids in (
            ("providers", providers),
            ("credit bureaus", bureaus),
            ("event types", events),
            ("rules", rules),
        ):
            if ids:
                parts.append(f"{label} {', '.join(ids)}")
        for key in ("providers", "bureaus", "rules"):
            info.pop(key, None)
        if self.manager.get_plugin(name) is not None:
            self.manager.unregister(name=name)
        return "; ".join(parts)

    def _replay_rules(self) -> None:
        """Rebuild the ruleset from the core rules and the healthy plugins' registrations.

        A registration that no longer applies (it anchors on a withdrawn plugin's
        rule) fails its plugin too.
        """
        while True:
            rules = CORE_RULES
            broken: tuple[str, str] | None = None
            for registration in self.rule_registrations:
                if registration.plugin in self.failed:
                    continue
                try:
                    rules = registration.apply(rules)
                except PluginError as exc:
                    broken = (registration.plugin, str(exc))
                    break
            if broken is None:
                self.registry.rules = rules
                return
            self.failed.add(broken[0])
            self.fail(broken[0], f"lost a rule it depends on: {broken[1]}")

    def load(self, extra: tuple[tuple[str, object], ...] = ()) -> Registry:
        for module_name in DEFAULT_PLUGINS:
            module = importlib.import_module(module_name)
            self._register(module_name, module, ("creditrules", __version__))
        for name, plugin in extra:
            self._register(name, plugin, ("(in process)", ""))
        wanted = _names("CREDITRULES_LOAD_PLUGINS")
        disabled = _names("CREDITRULES_DISABLE_PLUGINS") or set()
        for ep in sorted(entry_points(group="creditrules"), key=lambda e: e.name):
            if (wanted is not None and ep.name not in wanted) or ep.name in disabled:
                continue
            dist = _distribution(ep)
            self.infos[ep.name] = {"distribution": dist[0], "version": dist[1]}
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must not break the others
                self.fail(ep.name, f"failed to import: {type(exc).__name__}: {exc}")
                continue
            self._register(ep.name, plugin, dist)
        self._check_hooks()
        self._call_register_hooks()
        self.registry.plugins = [
            PluginInfo(
                name=name,
                distribution=info["distribution"],
                version=info["version"],
                hooks=tuple(info.get("hooks", ())),
                providers=tuple(info.get("providers", ())),
                rules=tuple(info.get("rules", ())),
                error=info.get("error", ""),
                bureaus=tuple(info.get("bureaus", ())),
                conflicts=tuple(info.get("conflicts", {}).values()),
            )
            for name, info in self.infos.items()
        ]
        return self.registry

    def _check_hooks(self) -> None:
        """Remove each plugin that implements a hook with no specification (a misspelling)."""
        while True:
            try:
                self.manager.check_pending()
            except pluggy.PluginValidationError as exc:
                name = self.manager.get_name(exc.plugin) or repr(exc.plugin)
                if self.manager.get_plugin(name) is None:  # pragma: no cover - defensive
                    raise PluginError(
                        f"a plugin implements a hook that does not exist: {exc}"
                    ) from exc
                self.fail(name, f"implements a hook that does not exist: {exc}")
                continue
            return

    def _register(self, name: str, plugin: ModuleType | object, dist: tuple[str, str]) -> None:
        self.infos.setdefault(name, {"distribution": dist[0], "version": dist[1]})
        try:
            self.manager.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            self.fail(name, f"could not be registered: {exc}", withdraw=False)
            return
        hooks = sorted(h.name for h in self.manager.get_hookcallers(plugin) or ())
        self.infos[name]["hooks"] = hooks

    def _each(self, hook_name: str) -> Iterator[tuple[str, Callable[..., Any]]]:
        caller = getattr(self.manager.hook, hook_name)
        for impl in reversed(caller.get_hookimpls()):  # registration order
            if impl.plugin_name not in self.failed:
                yield impl.plugin_name, impl.function

    def _call_register_hooks(self) -> None:
        registry = self.registry
        for name, function in self._each("register_event_types"):

            def register_event(tag: str, cls: type[Any], _name: str = name) -> None:
                if not isinstance(tag, str) or not tag:
                    raise TypeError(f"register_event_types got the tag {tag!r}, not a name")
                if not (isinstance(cls, type) and attrs.has(cls)):
                    raise TypeError(
                        f"register_event_types got {cls!r} for {tag!r}, not an attrs class"
                    )
                if getattr(cls, "type", None) != tag:
                    raise TypeError(
                        f"register_event_types got {cls.__name__} for {tag!r}, but its "
                        f"class attribute type is {getattr(cls, 'type', None)!r}; give the "
                        "class type: ClassVar[str] = the tag"
                    )
                if "date" not in attrs.fields_dict(cls):
                    raise TypeError(
                        f"register_event_types got {cls.__name__} for {tag!r}, which has no "
                        "date field; every event happens on a date"
                    )
                if tag in registry.event_types and registry.event_types[tag] is not cls:
                    owner = self.event_owner.get(tag)
                    by = self._describe(owner) if owner else "creditrules"
                    raise PluginError(f"event type {tag!r} is already registered by {by}")
                registry.event_types[tag] = cls
                self.event_owner[tag] = _name

            self._call(name, "register_event_types", function, register_event)
        self._register_providers()
        self._register_bureaus()
        for name, function in self._each("register_rules"):

            def register_rule(
                rule: Rule,
                *,
                after: str | None = None,
                before: str | None = None,
                replace: bool = False,
                _name: str = name,
            ) -> None:
                if not isinstance(rule, Rule):
                    raise TypeError(f"register_rules got {rule!r}, not a creditrules.Rule")
                registration = _RuleRegistration(
                    _name, attrs.evolve(rule, origin=_name), after, before, replace
                )
                registry.rules = registration.apply(registry.rules)
                self.rule_registrations.append(registration)
                self.infos[_name].setdefault("rules", []).append(rule.id)

            self._call(name, "register_rules", function, register_rule)

    def _register_providers(self) -> None:
        """Call every ``register_providers``; an id claimed twice is withdrawn (strict: error)."""
        registry = self.registry
        for name, function in self._each("register_providers"):

            def register(value: Any, _name: str = name) -> None:
                if not isinstance(value, Provider):
                    raise TypeError(f"register_providers got {value!r}, not a Provider")
                claimants = self.claims.setdefault(value.id, [])
                claimants.append(_name)
                self.infos[_name].setdefault("providers", []).append(value.id)
                if len(claimants) == 1:
                    registry.providers[value.id] = value
                    registry.provider_plugin[value.id] = _name
                    return
                message = (
                    f"provider id {value.id!r} is registered by two plugins: "
                    + " and ".join(self._describe(c) for c in claimants)
                    + "; uninstall or disable one (CREDITRULES_DISABLE_PLUGINS)"
                )
                if self.strict:
                    raise PluginError(message)
                registry.providers.pop(value.id, None)
                registry.provider_plugin.pop(value.id, None)
                registry.conflicts[value.id] = message
                for claimant in claimants:
                    self.infos[claimant].setdefault("conflicts", {})[value.id] = message
                warnings.warn(
                    f"creditrules: {message}; accounts of {value.id!r} cannot be assessed "
                    "until then",
                    PluginWarning,
                    stacklevel=2,
                )

            self._call(name, "register_providers", function, register)

    def _register_bureaus(self) -> None:
        """Call every ``register_bureaus``; a bureau id taken stays with its first plugin."""
        registry = self.registry
        for name, function in self._each("register_bureaus"):

            def register(value: Any, _name: str = name) -> None:
                if not isinstance(value, Bureau):
                    raise TypeError(f"register_bureaus got {value!r}, not a Bureau")
                if value.id in registry.bureaus:
                    other = registry.bureau_plugin[value.id]
                    message = (
                        f"credit bureau id {value.id!r} is registered by two plugins: "
                        f"{self._describe(other)} and {self._describe(_name)}; uninstall or "
                        "disable one (CREDITRULES_DISABLE_PLUGINS)"
                    )
                    order = list(self.infos)
                    if order.index(other) < order.index(_name):  # the first loaded keeps it
                        raise PluginError(message)
                    self.fail(other, f"failed in register_bureaus: {message}")
                registry.bureaus[value.id] = value
                registry.bureau_plugin[value.id] = _name
                self.infos[_name].setdefault("bureaus", []).append(value.id)

            self._call(name, "register_bureaus", function, register)

    def _call(
        self,
        name: str,
        hook: str,
        function: Callable[..., Any],
        callback: Callable[..., Any],
    ) -> None:
        try:
            function(callback)
        except PluginError as exc:
            if self.strict:
                raise PluginError(
                    f"creditrules {self._describe(name)} failed in {hook}: {exc}"
                ) from exc
            self.fail(name, f"failed in {hook}: {exc}")
        except Exception as exc:
            self.fail(name, f"raised in {hook}: {type(exc).__name__}: {exc}")


_REGISTRY: Registry | None = None


def get_registry(
    *, strict: bool | None = None, reload: bool = False, extra: tuple[tuple[str, object], ...] = ()
) -> Registry:
    """Load plugins once and return the :class:`Registry` (cached).

    Args:
        strict: Make plugin failures fatal (default: ``CREDITRULES_STRICT``).
        reload: Discard the cache and load again (tests, after installing a plugin).
        extra: ``(name, plugin)`` pairs registered in-process besides the installed plugins
            (implies ``reload``); useful in tests and notebooks.

    Raises:
        PluginError: on conflicts (two plugins, one provider id), or on any failure if strict.
    """
    global _REGISTRY
    if strict is None:
        strict = os.environ.get("CREDITRULES_STRICT", "") not in ("", "0")
    if reload or extra or _REGISTRY is None or (strict and not _REGISTRY.strict):
        _REGISTRY = _Loader(strict).load(extra)
    return _REGISTRY


def reset_registry() -> None:
    """Forget the loaded plugins; the next :func:`get_registry` loads them again."""
    global _REGISTRY
    _REGISTRY = None


@contextmanager
def registry_override(registry: Registry) -> Iterator[Registry]:
    """Use ``registry`` for the duration of a ``with`` block (for tests)."""
    global _REGISTRY
    saved = _REGISTRY
    _REGISTRY = registry
    try:
        yield registry
    finally:
        _REGISTRY = saved
