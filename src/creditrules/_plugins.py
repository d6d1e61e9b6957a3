"""The plugin manager: discovery, registration and conflict handling (private).

Built-in plugins (:data:`DEFAULT_PLUGINS`) and third-party plugins (entry-point
group ``creditrules``) are loaded the same way. A plugin that fails to import,
or raises in a registration hook, is named in a :class:`PluginWarning` and the
others keep working; with ``strict`` (``--strict`` or ``CREDITRULES_STRICT=1``)
it is a :class:`~creditrules.PluginError` instead.

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
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import attrs
import cattrs
import pluggy

from . import _convert, hookspecs
from ._version import __version__
from .bureau import Bureau
from .errors import PluginError
from .model import CORE_EVENT_TYPES
from .provider import Provider
from .rules import CORE_RULES, Context, Rule, RuleSet

__all__ = ["DEFAULT_PLUGINS", "PluginInfo", "PluginWarning", "Registry", "get_registry"]

#: Modules of the built-in plugins, loaded first, exactly like entry points.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "creditrules.default_plugins.generic",
    "creditrules.default_plugins.pboc",
)


class PluginWarning(UserWarning):
    """A plugin failed to load or raised in a hook; the others keep working."""


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
    """

    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    error: str = ""
    bureaus: tuple[str, ...] = ()


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
            **arguments: The hook's arguments by name; each implementation gets
                the ones it declares.

        Returns:
            ``(plugin name, result)`` pairs, in registration order, for the
            implementations that returned without raising.

        Raises:
            PluginError: if an implementation raised and the registry is strict.
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
            except Exception as exc:
                message = (
                    f"creditrules plugin {impl.plugin_name!r} raised in {hook}: "
                    f"{type(exc).__name__}: {exc}"
                )
                if self.strict:
                    raise PluginError(message) from exc
                warnings.warn(message, PluginWarning, stacklevel=2)
                continue
            results.append((impl.plugin_name, result))
        return results

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
        """
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
        """Call the ``adjust_timeline`` hook of the plugin that owns ``provider``, once."""
        owner = self.owner(provider.id)
        if owner is None:
            return
        self.call_each("adjust_timeline", plugins=(owner,), provider=provider, context=context)

    def with_rules(self, rules: RuleSet) -> Registry:
        """Return a copy of this registry with ``rules`` in force (e.g. for a test)."""
        return attrs.evolve(self, rules=rules)


def _names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


class _Loader:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.manager = pluggy.PluginManager("creditrules")
        self.manager.add_hookspecs(hookspecs)
        self.registry = Registry(manager=self.manager, strict=strict)
        self.infos: dict[str, dict[str, Any]] = {}

    def fail(self, name: str, message: str) -> None:
        text = f"creditrules plugin {name!r} {message}"
        if self.strict:
            raise PluginError(text)
        warnings.warn(text, PluginWarning, stacklevel=4)
        self.infos.setdefault(name, {"distribution": "?", "version": "?"})["error"] = message

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
            dist = (ep.dist.name, ep.dist.version) if ep.dist is not None else ("?", "?")
            self.infos[ep.name] = {"distribution": dist[0], "version": dist[1]}
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must not break the others
                self.fail(
                    ep.name,
                    f"from {dist[0]} {dist[1]} failed to import: {type(exc).__name__}: {exc}",
                )
                continue
            self._register(ep.name, plugin, dist)
        try:
            self.manager.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"a plugin implements a hook that does not exist: {exc}") from exc
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
            )
            for name, info in self.infos.items()
        ]
        return self.registry

    def _register(self, name: str, plugin: ModuleType | object, dist: tuple[str, str]) -> None:
        try:
            self.manager.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            self.fail(name, f"could not be registered: {exc}")
            return
        hooks = sorted(h.name for h in self.manager.get_hookcallers(plugin) or ())
        self.infos.setdefault(name, {"distribution": dist[0], "version": dist[1]})
        self.infos[name]["hooks"] = hooks

    def _each(self, hook_name: str) -> Iterator[tuple[str, Callable[..., Any]]]:
        caller = getattr(self.manager.hook, hook_name)
        for impl in reversed(caller.get_hookimpls()):  # registration order
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
                if tag in registry.event_types and registry.event_types[tag] is not cls:
                    raise PluginError(f"event type {tag!r} from {_name} is already registered")
                registry.event_types[tag] = cls

            self._call(name, "register_event_types", function, register_event)
        self._register_by_id(
            "register_providers",
            Provider,
            "provider",
            registry.providers,
            registry.provider_plugin,
            "providers",
        )
        self._register_by_id(
            "register_bureaus",
            Bureau,
            "credit bureau",
            registry.bureaus,
            registry.bureau_plugin,
            "bureaus",
        )
        for name, function in self._each("register_rules"):

            def register_rule(
                rule: Rule,
                *,
                after: str | None = None,
                before: str | None = None,
                replace: bool = False,
                _name: str = name,
            ) -> None:
                rule = attrs.evolve(rule, origin=_name)
                if replace:
                    registry.rules = registry.rules.replace(rule)
                elif after is not None:
                    registry.rules = registry.rules.insert_after(after, rule)
                elif before is not None:
                    registry.rules = registry.rules.insert_before(before, rule)
                else:
                    registry.rules = registry.rules.append(rule)
                self.infos[_name].setdefault("rules", []).append(rule.id)

            self._call(name, "register_rules", function, register_rule)

    def _register_by_id(
        self,
        hook: str,
        kind: type[Any],
        label: str,
        table: dict[str, Any],
        owners: dict[str, str],
        info_key: str,
    ) -> None:
        """Call ``hook`` of every plugin with a callback that registers values by id.

        The same id from two plugins is a :class:`PluginError` naming both distributions.
        """
        for name, function in self._each(hook):

            def register(value: Any, _name: str = name) -> None:
                if not isinstance(value, kind):
                    raise TypeError(f"{hook} got {value!r}, not a {kind.__name__}")
                if value.id in table:
                    other = owners[value.id]
                    raise PluginError(
                        f"{label} id {value.id!r} is registered by two plugins: "
                        f"{other} (distribution {self._dist(other)}) and {_name} "
                        f"(distribution {self._dist(_name)}); uninstall or disable one "
                        f"(CREDITRULES_DISABLE_PLUGINS)"
                    )
                table[value.id] = value
                owners[value.id] = _name
                self.infos[_name].setdefault(info_key, []).append(value.id)

            self._call(name, hook, function, register, conflict=True)

    def _dist(self, name: str) -> str:
        info = self.infos.get(name, {})
        return f"{info.get('distribution', '?')} {info.get('version', '')}".strip()

    def _call(
        self,
        name: str,
        hook: str,
        function: Callable[..., Any],
        callback: Callable[..., Any],
        conflict: bool = False,
    ) -> None:
        try:
            function(callback)
        except PluginError:
            if conflict:
                raise
            if self.strict:
                raise
            self.fail(name, f"raised in {hook}")
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
