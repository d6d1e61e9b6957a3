"""Hardening: no input crashes creditrules, no plugin takes the others down, output is stable.

* Every reproducer of ``tests/corpus/`` ends in a :class:`~creditrules.CreditRulesError`
  naming the file and the JSON path, in-process and on the command line (exit status 2,
  no traceback), as does each bad command line of ``tests/corpus/cli.toml``.
* Faulty plugins — one that fails on import, one whose hook or rule raises, ones that
  pass wrong types, one that claims an id already taken — never change the assessment
  of a provider they do not own (byte-identical JSON), are named in one warning, and
  are a :class:`~creditrules.PluginError` (exit status 2 on the command line, no
  traceback) in strict mode. Each of ``tests/faulty_plugins/`` is also installed, one
  at a time, as a distribution the command line discovers by its entry point.
* ``to_json`` writes the same bytes under every ``PYTHONHASHSEED``.

Speed and memory are measured, not asserted (a timed unit test fails on a slow machine
and passes a slow change on a fast one)::

    python tests/test_hardening.py            # time and peak memory of each corpus run

prints the time and peak memory of every command-line corpus run and the largest;
``tests/corpus/README.md`` records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from rich.console import Console

import creditrules
from creditrules import (
    Account,
    Bill,
    CreditRulesError,
    InputError,
    PluginError,
    PluginWarning,
    PolicyValue,
    Provider,
    ProviderFact,
    Registry,
    Rule,
    hookimpl,
)
from creditrules._plugins import get_registry, reset_registry
from creditrules._render.registry import plugins_data, render_plugins
from creditrules._toml import loads_toml
from creditrules.io import parse_account
from creditrules.money import MAX_AMOUNT
from creditrules.testing import conformance

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
FAULTY = ROOT / "tests" / "faulty_plugins"
EXAMPLES = ROOT / "examples"
AS_OF = date(2025, 9, 30)


# --------------------------------------------------------------------------- corpus


def _header(path: Path) -> dict[str, list[str]]:
    """The ``# key: value`` lines at the top of a corpus file."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def _installed(provider: str) -> bool:
    return provider in get_registry().providers


def _expect_error(run: Callable[[], Any]) -> CreditRulesError:
    """Run ``run``; it must raise a CreditRulesError (how fast: see :func:`main`)."""
    with pytest.raises(CreditRulesError) as caught:
        run()
    return caught.value


def _check_paths(error: CreditRulesError, path: Path, expected: list[str]) -> None:
    assert isinstance(error, InputError), f"{path.name}: {type(error).__name__}: {error}"
    assert error.file is not None and Path(error.file).name == path.name
    paths = [problem.path for problem in error.problems]
    assert any(p in expected for p in paths), f"{path.name}: {paths} names none of {expected}"


@pytest.mark.parametrize("path", sorted((CORPUS / "accounts").glob("*.toml")), ids=lambda p: p.stem)
def test_account_reproducers_are_input_errors(path: Path) -> None:
    """Each account-file reproducer is an InputError naming the file and the JSON path."""
    header = _header(path)
    for needed in header.get("needs", []):
        if not _installed(needed):
            pytest.skip(f"needs the {needed} plugin")
    as_of = date.fromisoformat(header["as-of"][0])

    def run() -> None:
        try:
            account = creditrules.load_account(path)
            creditrules.assess(account, as_of)
        except InputError as exc:
            raise InputError(exc.problems, file=exc.file or str(path)) from None

    _check_paths(_expect_error(run), path, header["expect"])


@pytest.mark.parametrize(
    "path", sorted((CORPUS / "providers").glob("*.toml")), ids=lambda p: p.stem
)
def test_provider_reproducers_are_input_errors(path: Path) -> None:
    """Each provider-file reproducer is an InputError naming the file and the JSON path."""
    header = _header(path)
    error = _expect_error(lambda: creditrules.load_provider(path))
    _check_paths(error, path, header["expect"])


def test_the_corpus_holds_every_row_of_the_issue_table() -> None:
    """The corpus keeps a reproducer of each input row of issue 12's table (1–5, 8)."""
    rows = {
        value.split(",")[1].strip()
        for path in CORPUS.rglob("*.toml")
        for value in _header(path).get("issue", [])
        if "row" in value
    }
    for row in (1, 2, 3, 4, 5, 8):
        assert any(r.startswith(f"row {row}:") for r in rows), f"no reproducer of row {row}"


# --------------------------------------------------------------------------- faulty plugins


def _example_accounts() -> dict[str, Path]:
    """Example account files by provider id, for the providers installed."""
    registry = get_registry()
    found: dict[str, Path] = {}
    for path in sorted(EXAMPLES.glob("*.toml")):
        account = creditrules.load_account(path, registry=registry)
        if account.provider in registry.providers and account.opened_on <= AS_OF:
            found.setdefault(f"{account.provider}:{path.stem}", path)
    return found


def _outputs(registry: Registry, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """The JSON of each example account's assessment (with its actions) under ``registry``."""
    out: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        for key, path in _example_accounts().items():
            if key.split(":")[0] in skip:
                continue
            account = creditrules.load_account(path, registry=registry)
            assessment = creditrules.assess(account, AS_OF, registry=registry)
            out[key] = creditrules.to_json(assessment, registry=registry)
    return out


def _load(*extra: tuple[str, object], strict: bool = False) -> tuple[Registry, list[str]]:
    """A fresh registry with ``extra`` in-process plugins, and the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PluginWarning)
        registry = get_registry(reload=True, strict=strict, extra=extra)
    return registry, [str(w.message) for w in caught if issubclass(w.category, PluginWarning)]


@pytest.fixture(autouse=True)
def _fresh_registry() -> Iterator[None]:
    """Forget in-process plugins after each test."""
    yield
    reset_registry()


@pytest.fixture(scope="module")
def baseline() -> dict[str, str]:
    """The example accounts' JSON with the installed plugins only."""
    registry, _ = _load()
    result = _outputs(registry)
    reset_registry()
    return result


def _faulty_provider(provider_id: str = "faulty") -> Provider:
    return Provider(
        id=provider_id,
        name_en="Faulty",
        products=("revolving",),
        policy=(PolicyValue("penalty_daily_rate", "0.0005", source="test terms §1", grade="A"),),
    )


def _faulty_account(provider_id: str = "faulty") -> Account:
    return Account(
        id="f",
        provider=provider_id,
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
    )


class RuleAndHooks:
    """A plugin with its own provider, a rule, ``adjust_timeline`` and ``provider_actions``.

    ``fail`` names the parts that raise: ``"rule"``, ``"adjust_timeline"``,
    ``"provider_actions"`` (for every provider's assessments, not only its own).
    """

    def __init__(self, *fail: str) -> None:
        self.fail = set(fail)

    def _explode(self, context: Any) -> None:
        if "rule" in self.fail:
            raise RuntimeError("rule exploded on purpose")

    @hookimpl
    def register_providers(self, register: Callable[[Provider], None]) -> None:
        """Register the plugin's own provider."""
        register(_faulty_provider())

    @hookimpl
    def register_rules(self, register: Callable[..., None]) -> None:
        """Register a rule scoped to the plugin's provider."""
        register(
            Rule("faulty.explode", "Explodes.", "test", self._explode, providers="faulty"),
            after="timeline.replay",
        )

    @hookimpl
    def adjust_timeline(self, provider: Provider, context: Any) -> None:
        """Raise when told to."""
        if "adjust_timeline" in self.fail:
            raise RuntimeError("hook exploded on purpose")

    @hookimpl
    def provider_actions(self, assessment: Any, account: Any, provider: Any, registry: Any) -> Any:
        """Raise (for every account) when told to."""
        if "provider_actions" in self.fail:
            raise RuntimeError("actions exploded on purpose")
        return None


def test_a_plugin_that_fails_to_import_changes_no_assessment(
    baseline: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin failing on import is named in one warning; the others' JSON is unchanged.

    The plugin is ``tests/faulty_plugins/import``, a distribution on ``sys.path`` whose
    entry point ``importlib.metadata`` finds like any installed plugin's.
    """
    monkeypatch.syspath_prepend(str(FAULTY / "import"))
    registry, caught = _load()
    assert len(caught) == 1, caught
    assert "'faulty_import' (creditrules-faulty-import 1.0) failed to import" in caught[0]
    assert next(p for p in registry.plugins if p.name == "faulty_import").error
    assert _outputs(registry) == baseline
    with pytest.raises(PluginError, match=r"'faulty_import'.*failed to import"):
        _load(strict=True)


@pytest.mark.parametrize("part", ["rule", "adjust_timeline"])
def test_a_raising_rule_or_hook_fails_only_its_own_provider(
    part: str, baseline: dict[str, str]
) -> None:
    """A raising rule or adjust_timeline is a PluginError on its own provider's accounts only."""
    healthy, _ = _load(("faulty-plugin", RuleAndHooks()))
    expected = _outputs(healthy)
    registry, caught = _load(("faulty-plugin", RuleAndHooks(part)))
    assert caught == []
    assert _outputs(registry) == expected
    with pytest.raises(PluginError) as error:
        creditrules.assess(_faulty_account(), AS_OF, registry=registry)
    message = str(error.value)
    assert "'faulty-plugin'" in message and "exploded on purpose" in message
    assert ("'faulty.explode'" in message) == (part == "rule")
    assert "Traceback" not in message


def test_raising_provider_actions_is_a_warning_and_changes_no_assessment() -> None:
    """provider_actions raising is named in a warning; other accounts' JSON is unchanged."""
    healthy, _ = _load(("faulty-plugin", RuleAndHooks()))
    expected = _outputs(healthy)
    registry, _ = _load(("faulty-plugin", RuleAndHooks("provider_actions")))
    with pytest.warns(PluginWarning, match="'faulty-plugin'.*provider_actions.*on purpose"):
        account = creditrules.load_account(EXAMPLES / "generic-revolving.toml")
        creditrules.assess(account, AS_OF, registry=registry).actions  # noqa: B018
    assert _outputs(registry) == expected
    strict, _ = _load(("faulty-plugin", RuleAndHooks("provider_actions")), strict=True)
    with pytest.raises(PluginError, match=r"'faulty-plugin'.*provider_actions"):
        creditrules.assess(account, AS_OF, registry=strict).actions  # noqa: B018


class UnscopedRule:
    """A plugin with its own provider and a rule for every provider, which may raise."""

    def __init__(self, *, fail: bool) -> None:
        self.fail = fail

    def _apply(self, context: Any) -> None:
        context.unknowns.append("touched by the unscoped rule")
        if self.fail:
            raise RuntimeError("unscoped rule exploded on purpose")
        context.unknowns.pop()

    @hookimpl
    def register_providers(self, register: Callable[[Provider], None]) -> None:
        """Register the plugin's own provider."""
        register(_faulty_provider())

    @hookimpl
    def register_rules(self, register: Callable[..., None]) -> None:
        """Register a rule for every provider."""
        register(
            Rule("faulty.everywhere", "Everywhere.", "test", self._apply), after="timeline.replay"
        )


def test_a_raising_rule_for_every_provider_is_left_out_of_other_providers_accounts() -> None:
    """Another provider's account: the rule's work undone, a warning; its own: a PluginError.

    Under strict, a PluginError on every account.
    """
    healthy, _ = _load(("faulty-plugin", UnscopedRule(fail=False)))
    expected = _outputs(healthy)
    registry, caught = _load(("faulty-plugin", UnscopedRule(fail=True)))
    assert caught == []
    with pytest.warns(PluginWarning, match=r"'faulty-plugin'.*'faulty.everywhere'.*left out"):
        account = creditrules.load_account(EXAMPLES / "generic-revolving.toml", registry=registry)
        assessment = creditrules.assess(account, AS_OF, registry=registry)
    assert "touched by the unscoped rule" not in assessment.unknowns
    assert _outputs(registry) == expected
    with pytest.raises(PluginError, match=r"'faulty.everywhere'.*exploded on purpose"):
        creditrules.assess(_faulty_account(), AS_OF, registry=registry)
    strict, _ = _load(("faulty-plugin", UnscopedRule(fail=True)), strict=True)
    with pytest.raises(PluginError, match=r"'faulty.everywhere'.*exploded on purpose"):
        creditrules.assess(account, AS_OF, registry=strict)


class ScopedOnly:
    """A healthy plugin whose only parts are its provider and a rule for that provider."""

    @hookimpl
    def register_providers(self, register: Callable[[Provider], None]) -> None:
        """Register the plugin's own provider."""
        register(_faulty_provider())

    @hookimpl
    def register_rules(self, register: Callable[..., None]) -> None:
        """Register a rule scoped to the plugin's provider."""
        register(
            Rule("faulty.own", "Own.", "test", lambda context: None, providers="faulty"),
            after="timeline.replay",
        )


def test_a_plugin_for_its_own_provider_changes_no_other_assessment(
    baseline: dict[str, str],
) -> None:
    """Another provider's JSON — ruleset and decision record included — is byte-identical."""
    registry, _ = _load(("scoped-plugin", ScopedOnly()))
    assert _outputs(registry) == baseline
    own = creditrules.assess(_faulty_account(), AS_OF, registry=registry)
    assert "faulty.own" in own.ruleset
    assert own.record is not None
    assert "scoped-plugin" in {p.name for p in own.record.plugins}


@attrs.frozen
class Thing:
    """An event type for the wrong-type plugins."""

    type = "thing"
    date: date


class WrongTypes:
    """A plugin that registers a good provider, rule and event type, then one wrong value.

    ``wrong`` names the hook that gets the wrong value: it is called last, so the
    plugin has registered its other parts by then (to show none of them stays).
    """

    def __init__(self, wrong: str) -> None:
        self.wrong = wrong

    @hookimpl
    def register_event_types(self, register: Callable[[str, type[Any]], None]) -> None:
        """A good event type, or 42."""
        register("thing", 42 if self.wrong == "event" else Thing)  # type: ignore[arg-type]

    @hookimpl
    def register_providers(self, register: Callable[[Any], None]) -> None:
        """A good provider, then a string for a provider."""
        register(_faulty_provider("wrongtypes"))
        if self.wrong == "provider":
            register("not a provider")

    @hookimpl
    def register_bureaus(self, register: Callable[[Any], None]) -> None:
        """A dict for a bureau."""
        if self.wrong == "bureau":
            register({"id": "bureau"})

    @hookimpl
    def register_rules(self, register: Callable[..., None]) -> None:
        """A good rule, then a string for a rule."""
        register(Rule("wrongtypes.noop", "Does nothing.", "test", providers="wrongtypes"))
        if self.wrong == "rule":
            register("not a rule")
        if self.wrong == "anchor":
            register(Rule("wrongtypes.lost", "Lost.", "test"), after="no.such.rule")


@pytest.mark.parametrize("wrong", ["event", "provider", "bureau", "rule", "anchor"])
def test_a_plugin_passing_a_wrong_value_is_removed_whole(
    wrong: str, baseline: dict[str, str]
) -> None:
    """A wrong value in a registration hook removes the whole plugin; others are unchanged."""
    registry, caught = _load(("wrongtypes", WrongTypes(wrong)))
    assert len(caught) == 1 and "'wrongtypes'" in caught[0], caught
    assert "withdrawn" in caught[0] or wrong == "event"
    assert "wrongtypes" not in registry.providers
    assert "thing" not in registry.event_types
    assert not any(rule.origin == "wrongtypes" for rule in registry.rules)
    info = next(p for p in registry.plugins if p.name == "wrongtypes")
    assert info.error and info.providers == () and info.rules == ()
    assert _outputs(registry) == baseline
    with pytest.raises(PluginError, match="'wrongtypes'"):
        _load(("wrongtypes", WrongTypes(wrong)), strict=True)


def test_an_anchor_error_says_why() -> None:
    """A rule anchored on an unknown rule is named with the reason, not only the hook."""
    _, caught = _load(("wrongtypes", WrongTypes("anchor")))
    assert "anchors on unknown rule 'no.such.rule'" in caught[0]


class Claims:
    """A plugin registering a provider with an id another plugin already has."""

    def __init__(self, provider_id: str) -> None:
        self.provider_id = provider_id

    @hookimpl
    def register_providers(self, register: Callable[[Provider], None]) -> None:
        """Register a copy of the provider ``provider_id`` and one of its own."""
        register(_faulty_provider("claimsown"))
        register(attrs.evolve(_faulty_provider(), id=self.provider_id))


def test_a_provider_id_claimed_twice_disables_that_id_only(baseline: dict[str, str]) -> None:
    """A second plugin claiming an id withdraws that id alone; assessing it names both."""
    taken = "huabei" if _installed("huabei") else "generic"
    registry, caught = _load(("copycat", Claims(taken)))
    assert len(caught) == 1 and f"{taken!r}" in caught[0] and "copycat" in caught[0]
    assert taken not in registry.providers and "claimsown" in registry.providers
    example = EXAMPLES / ("huabei.toml" if taken == "huabei" else "generic-revolving.toml")
    account = creditrules.load_account(example, registry=registry)
    with pytest.raises(PluginError) as error:
        creditrules.assess(account, AS_OF, registry=registry)
    message = str(error.value)
    assert "copycat" in message and f"{taken!r}" in message
    owner = get_registry(reload=True).describe(get_registry().provider_plugin[taken])
    assert owner in message  # the first plugin, with its distribution
    others = {k: v for k, v in baseline.items() if not k.startswith(f"{taken}:")}
    assert _outputs(registry, skip=(taken,)) == others
    with pytest.raises(PluginError, match="registered by two plugins"):
        _load(("copycat", Claims(taken)), strict=True)


# --------------------------------------------------------------------------- command line

#: Environment variables of the user's shell that would change what the command line does.
_OURS = ("CREDITRULES_", "PYTHONPATH")


def _environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without creditrules' variables, plus ``extra``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    return {**clean, **(extra or {})}


def _run_cli(
    *args: str, env: Mapping[str, str] | None = None, prefix: Sequence[str] = ("-m", "creditrules")
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m creditrules ARGS`` (or ``python PREFIX ARGS``) in a subprocess."""
    return subprocess.run(
        [sys.executable, *prefix, *args],
        capture_output=True,
        text=True,
        env=_environment(env),
        timeout=120,
        check=False,
    )


def _run_cli_all(
    runs: Sequence[Sequence[str]], env: Mapping[str, str] | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """Run each command line of ``runs`` (a few at a time), in order of ``runs``."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda args: _run_cli(*args, env=env), runs))


def _assess_json(path: Path) -> tuple[str, ...]:
    return ("assess", str(path), "--as-of", AS_OF.isoformat(), "--json")


@attrs.frozen
class FaultyPlugin:
    """A distribution of ``tests/faulty_plugins/``, and what its fault must look like.

    Attributes:
        kind: Its directory (``import``, ``hook``, ``rule``, ``types``, ``duplicate``);
            the entry point is ``faulty_<kind>``, the distribution
            ``creditrules-faulty-<kind> 1.0``.
        reason: What the warning (and, in strict mode, the error) says went wrong.
        withdrawn: What the warning says was withdrawn with the plugin.
        takes: The provider id it takes from another plugin (its accounts fail).
        loads: Whether it loads (its faults show while assessing only). A plugin that
            loads is named in the decision record of every assessment and its rules
            are listed in the ruleset, so the JSON it must not change is that of the
            same plugin without its faults (``FAULTY_PLUGIN_HEALTHY=1``).
    """

    kind: str
    reason: str
    withdrawn: str = ""
    takes: str = ""
    loads: bool = False

    @property
    def name(self) -> str:
        """The entry-point name."""
        return f"faulty_{self.kind}"

    @property
    def described(self) -> str:
        """How creditrules names it: the plugin and its distribution."""
        return f"plugin {self.name!r} (creditrules-faulty-{self.kind} 1.0)"

    def environment(self) -> dict[str, str]:
        """The environment of a Python that has this plugin installed (and no other)."""
        return {"PYTHONPATH": str(FAULTY / self.kind)}


FAULTY_PLUGINS = (
    FaultyPlugin(
        "import",
        "failed to import: ModuleNotFoundError: "
        "No module named 'creditrules_faulty_missing_dependency'",
    ),
    FaultyPlugin(
        "hook",
        "raised in register_rules: RuntimeError: register_rules failed on purpose",
        withdrawn="; withdrawn: providers faulty_hook; rules faulty_hook.noop",
    ),
    FaultyPlugin(
        "rule",
        "raised in provider_actions: RuntimeError: provider_actions failed on purpose",
        loads=True,
    ),
    FaultyPlugin(
        "types",
        "raised in register_event_types: TypeError: register_event_types got 42 for "
        "'faulty_number', not an attrs class",
        withdrawn="; withdrawn: event types faulty_thing",
    ),
    FaultyPlugin(
        "duplicate",
        "provider id 'huabei' is registered by two plugins: plugin 'huabei' (creditrules-huabei",
        takes="huabei",
    ),
)


def _one_example_per_provider() -> list[Path]:
    """The first example account file of each installed provider."""
    registry = get_registry()
    found: dict[str, Path] = {}
    for path in sorted(EXAMPLES.glob("*.toml")):
        account = creditrules.load_account(path, registry=registry)
        if account.provider in registry.providers and account.opened_on <= AS_OF:
            found.setdefault(account.provider, path)
    return list(found.values())


@pytest.fixture(scope="module")
def cli_baseline() -> dict[Path, str]:
    """``assess --json`` of one example account per provider, with no faulty plugin."""
    examples = _one_example_per_provider()
    outputs: dict[Path, str] = {}
    for path, result in zip(
        examples, _run_cli_all([_assess_json(p) for p in examples]), strict=True
    ):
        assert result.returncode == 0 and result.stderr == "", (path.name, result.stderr)
        outputs[path] = result.stdout
    reset_registry()
    return outputs


@pytest.mark.parametrize("plugin", FAULTY_PLUGINS, ids=lambda p: p.kind)
def test_an_installed_faulty_plugin_changes_no_other_providers_assessment(
    plugin: FaultyPlugin, cli_baseline: dict[Path, str]
) -> None:
    """A faulty plugin installed alone, on the command line.

    The JSON of every other provider's example is byte-identical to the run without
    it; stderr holds one clean warning naming the plugin, its distribution and the
    reason; ``creditrules plugins`` shows why it failed; ``--strict`` exits with 2.
    """
    if plugin.takes and not _installed(plugin.takes):
        pytest.skip(f"takes the id of the {plugin.takes} plugin, not installed")
    examples = list(cli_baseline)
    expected = cli_baseline
    if plugin.loads:
        healthy = {**plugin.environment(), "FAULTY_PLUGIN_HEALTHY": "1"}
        runs = _run_cli_all([_assess_json(path) for path in examples], env=healthy)
        assert all(run.returncode == 0 and run.stderr == "" for run in runs), runs
        expected = {path: run.stdout for path, run in zip(examples, runs, strict=True)}
        assert expected != cli_baseline  # the record names it: compare with it, healthy
    *assessed, listing, text, strict = _run_cli_all(
        [
            *(_assess_json(path) for path in examples),
            ("plugins", "--json"),
            ("plugins",),
            ("--strict", *_assess_json(examples[0])),
        ],
        env={**plugin.environment(), "COLUMNS": "1000"},
    )
    warning = f"warning: creditrules {plugin.described} {plugin.reason}{plugin.withdrawn}"
    if plugin.takes:
        warning = f"warning: creditrules: {plugin.reason}"
    for path, result in zip(examples, assessed, strict=True):
        assert "Traceback" not in result.stderr, result.stderr
        first, *rest = result.stderr.splitlines()
        assert first.startswith(warning) and plugin.described in first, first
        if plugin.takes and path.stem == plugin.takes:  # its own example: the id is withdrawn
            assert result.returncode == 2 and result.stdout == "", result.stderr
            (error,) = rest
            assert error.startswith("error: ") and plugin.reason in error, error
            assert plugin.described in error, error
            continue
        assert rest == [], result.stderr
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected[path], f"{path.name} changed"

    assert listing.returncode == 0 and "Traceback" not in listing.stderr, listing.stderr
    record = next(p for p in json.loads(listing.stdout) if p["name"] == plugin.name)
    assert record["distribution"] == f"creditrules-faulty-{plugin.kind}", record
    assert "Traceback" not in text.stderr and f"{plugin.name}  creditrules-faulty" in text.stdout
    if plugin.loads:  # it loaded: its faults show when assessing
        assert record["error"] == "" and record["providers"] == ["faulty_rule"], record
        assert "failed:" not in text.stdout
    elif plugin.takes:
        assert record["error"] == "" and plugin.reason in record["conflicts"][0], record
        assert f"failed: {plugin.reason}" in text.stdout
    else:  # withdrawn whole: nothing of it stays
        assert plugin.reason in record["error"], record
        assert record["providers"] == [] and record["rules"] == [], record
        assert f"failed: {plugin.reason}" in text.stdout

    assert strict.returncode == 2 and strict.stdout == "", strict.stderr
    assert "Traceback" not in strict.stderr, strict.stderr
    errors = [line for line in strict.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and plugin.described in errors[0], strict.stderr
    assert plugin.reason in errors[0], errors[0]
    # one line: the plugins are loaded strictly from the start, with no warning first
    assert strict.stderr.strip().splitlines() == errors, strict.stderr


def test_an_installed_plugin_whose_rule_or_hook_raises_fails_only_its_accounts(
    tmp_path: Path,
) -> None:
    """Assessing the raising plugin's own accounts: exit 2, one error naming it and the rule."""
    account = FAULTY / "rule" / "account.toml"
    timeline = tmp_path / "timeline.toml"
    text = account.read_text(encoding="utf-8")
    timeline.write_text(text.replace('"rule-fails"', '"timeline-fails"'), encoding="utf-8")
    env = FAULTY_PLUGINS[2].environment()
    rule, hook = _run_cli_all([_assess_json(account), _assess_json(timeline)], env=env)
    described = FAULTY_PLUGINS[2].described
    for result, reason in (
        (
            rule,
            "failed in its rule 'faulty_rule.explode' while assessing account 'rule-fails' "
            "(provider 'faulty_rule'): RuntimeError: rule failed on purpose",
        ),
        (hook, "raised in adjust_timeline: RuntimeError: adjust_timeline failed on purpose"),
    ):
        assert result.returncode == 2 and result.stdout == "", result.stderr
        assert result.stderr.splitlines() == [f"error: creditrules {described} {reason}"]


# ------------------------------------------------------------- corpus on the command line


@attrs.frozen
class CliCase:
    """One bad command line of the corpus and what its message must hold.

    Attributes:
        name: ``accounts/<stem>``, ``providers/<stem>`` or ``cli/<name>``.
        args: The arguments after ``creditrules``.
        expect: Strings stderr must hold, every one.
        any_of: Strings stderr must hold one of (the JSON paths a file's header allows).
        env: Extra environment variables.
    """

    name: str
    args: tuple[str, ...]
    expect: tuple[str, ...]
    any_of: tuple[str, ...] = ()
    env: Mapping[str, str] = attrs.field(factory=dict)


def cli_corpus() -> list[CliCase]:
    """Every command-line run of the corpus: account files, provider files, ``cli.toml``."""
    cases: list[CliCase] = []
    for path in sorted((CORPUS / "accounts").glob("*.toml")):
        header = _header(path)
        if any(not _installed(needed) for needed in header.get("needs", [])):
            continue
        cases.append(
            CliCase(
                f"accounts/{path.stem}",
                ("assess", str(path), "--as-of", header["as-of"][0]),
                (f"{path}: ",),
                tuple(f"@ {p}\n" for p in header["expect"]),
            )
        )
    example = str(EXAMPLES / "generic-revolving.toml")
    for path in sorted((CORPUS / "providers").glob("*.toml")):
        cases.append(
            CliCase(
                f"providers/{path.stem}",
                ("assess", example, "--as-of", AS_OF.isoformat(), "--provider-file", str(path)),
                (f"{path}: ",),
                tuple(f"@ {p}\n" for p in _header(path)["expect"]),
            )
        )
    places = {"examples": str(EXAMPLES), "cli": str(CORPUS / "cli")}
    for case in loads_toml((CORPUS / "cli.toml").read_text(encoding="utf-8"))["case"]:
        cases.append(
            CliCase(
                f"cli/{case['name']}",
                tuple(arg.format(**places) for arg in case["args"]),
                tuple(case["expect"]),
                env=case.get("env", {}),
            )
        )
    return cases


def _problems(case: CliCase, result: subprocess.CompletedProcess[str]) -> list[str]:
    """What is wrong with the outcome of ``case``: exit status, traceback, message."""
    problems = []
    if result.returncode != 2:
        problems.append(f"exit status {result.returncode}")
    if "Traceback" in result.stderr:
        problems.append("a traceback")
    problems += [f"no {text!r}" for text in case.expect if text not in result.stderr]
    if case.any_of and not any(text in result.stderr for text in case.any_of):
        problems.append(f"none of {case.any_of}")
    return problems


def test_the_cli_refuses_every_corpus_input_cleanly() -> None:
    """Each corpus run on the command line: exit 2, no traceback, file and path named."""
    cases = cli_corpus()
    assert len(cases) >= 30
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda case: _run_cli(*case.args, env=case.env), cases))
    failed = {
        case.name: (problems, result.stderr[-2000:])
        for case, result in zip(cases, results, strict=True)
        if (problems := _problems(case, result))
    }
    assert not failed, failed


# --------------------------------------------------------------------------- stable output

_DUMP = """
import sys
from datetime import date
import creditrules
for path in sys.argv[1:]:
    account = creditrules.load_account(path)
    for as_of in (date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)):
        if as_of >= account.opened_on:
            print(creditrules.to_json(creditrules.assess(account, as_of)))
"""


def test_to_json_is_byte_identical_across_hash_seeds() -> None:
    """The JSON of assessments is the same bytes under PYTHONHASHSEED 1, 6 and 14."""
    files = [str(p) for p in sorted(EXAMPLES.glob("*.toml"))]
    outputs = set()
    for seed in ("1", "6", "14"):
        result = subprocess.run(
            [sys.executable, "-c", _DUMP, *files],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
            check=True,
        )
        assert result.stdout.count(b'"account_id"') >= len(files)
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_report_flags_have_a_defined_order() -> None:
    """Report.flags is a tuple in FLAGS order, whatever order it was given in."""
    from creditrules.report import FLAGS, Report

    report = Report(
        bureau="pboc",
        bureau_name="PBOC",
        as_of=AS_OF,
        months={},
        history={},
        flags=frozenset({"current_overdue", "three_consecutive"}),
    )
    assert report.flags == ("three_consecutive", "current_overdue")
    assert list(report.flags) == [f for f in FLAGS if f in report.flags]


# --------------------------------------------------------------------------- conformance


def test_conformance_fails_a_penalty_of_half_a_percent_a_day_and_more() -> None:
    """Daily penalty rates above the 24 % APR line fail unless a sourced exception is stated."""
    for rate in ("0.05", "0.001"):
        provider = Provider(
            id="p",
            policy=(PolicyValue("penalty_daily_rate", rate, source="terms §1", grade="B"),),
        )
        problems = conformance.check_rate_ceilings(provider)
        assert len(problems) == 1 and "penalty_daily_rate" in problems[0], problems
    huge = Provider(
        id="p",
        policy=(PolicyValue("penalty_rate_multiplier", "5", source="terms §1", grade="B"),),
    )
    assert conformance.check_rate_ceilings(huge)
    excepted = attrs.evolve(
        provider,
        facts=(
            ProviderFact(
                "rate_exception.penalty_daily_rate",
                "The contract states 0.1 % a day.",
                source="(2025) 京01民终1号",
                grade="A",
            ),
        ),
    )
    assert conformance.check_rate_ceilings(excepted) == []


class HalfADay:
    """A plugin whose provider charges a penalty of 0.5 (50 %) a day."""

    @hookimpl
    def register_providers(self, register: Callable[[Provider], None]) -> None:
        """Register the implausible provider."""
        rate = PolicyValue("penalty_daily_rate", "0.5", source="terms §1", grade="B")
        register(Provider(id="halfaday", policy=(rate,)))


def test_conformance_fails_a_provider_charging_half_a_percent_a_day() -> None:
    """A penalty of 0.5 a day is beyond the supported range: the plugin fails, and is named."""
    registry, caught = _load(("halfaday", HalfADay()))
    assert "above the supported maximum of 0.05 a day" in caught[0]
    problems = conformance.check_plugin_loads(registry, "halfaday")
    assert problems and "above the supported maximum" in problems[0]


def test_conformance_passes_the_bundled_providers_rates() -> None:
    """The installed providers' rates are within the ceilings and none is both set and unknown."""
    for provider in get_registry().providers.values():
        assert conformance.check_rate_ceilings(provider) == [], provider.id
        assert conformance.check_unknowns_not_set(provider) == [], provider.id


def test_conformance_refuses_a_value_both_set_and_unknown() -> None:
    """A parameter with a value that is also listed under unknown is named."""
    provider = Provider(
        id="p",
        policy=(PolicyValue("grace_days", 3, source="terms §2", grade="B"),),
        unknown=(("grace_days", "not published"),),
    )
    (problem,) = conformance.check_unknowns_not_set(provider)
    assert "grace_days is listed as unknown" in problem and "3" in problem


def test_conformance_fails_a_readme_showing_a_wrong_value() -> None:
    """A README row naming the parameter with another value, or no grade, fails the check."""
    provider = Provider(
        id="p",
        policy=(
            PolicyValue("penalty_daily_rate", "0.0005", source="terms §1", grade="B"),
            PolicyValue("grace_days", 0, source="terms §2", grade="C"),
        ),
    )
    good = (
        "| `penalty_daily_rate` | 0.0005 (0.05 %/day) | B | terms §1 |\n"
        "| `grace_days` | 0 | C | terms §2 |\n"
    )
    assert conformance.check_readme_values(provider, good) == []
    assert conformance.check_readme_values(
        provider, good.replace("0.0005 (0.05 %", "0.0006 (0.06 %")
    )
    wrong_zero = good.replace("| 0 | C |", "| 0.5 | C |")
    (problem,) = conformance.check_readme_values(provider, wrong_zero)
    assert "grace_days" in problem
    (problem,) = conformance.check_readme_values(provider, good.replace("| B |", "| C |"))
    assert "grade of penalty_daily_rate" in problem


def test_conformance_names_a_plugin_whose_rule_registration_failed() -> None:
    """A provider whose plugin failed while registering its rules is not registered: named."""
    registry, _ = _load(("wrongtypes", WrongTypes("anchor")))
    problems = conformance.check_plugin_loads(registry, "wrongtypes")
    assert "wrongtypes" in problems[0] and "no.such.rule" in problems[0]


def test_plugins_listing_shows_a_withdrawn_provider_id() -> None:
    """``creditrules plugins`` data and text name the provider id two plugins claimed."""
    registry, _ = _load(("copycat", Claims("generic")))
    record = next(p for p in plugins_data(registry) if p["name"] == "copycat")
    assert record["conflicts"] and "'generic'" in record["conflicts"][0]
    assert record["error"] == "" and tuple(record["providers"]) == ("claimsown", "generic")
    console = Console(width=200, record=True)
    console.print(render_plugins(registry))
    assert "provider id 'generic' is registered by two plugins" in console.export_text()


def test_a_large_balance_accrued_over_a_long_time_is_planned() -> None:
    """A bill near the largest amount, unpaid until 2199: the actions and JSON are computed.

    Found by fuzzing: what accrued grew past the largest amount a file may give, and the
    payment the planner drafted to settle it was refused.
    """
    text = (EXAMPLES / "generic-revolving.toml").read_text(encoding="utf-8")
    data = loads_toml(text)
    data["bills"][1]["amount"] = "900000000000.00"
    account = parse_account(data)
    assessment = creditrules.assess(account, date(2199, 12, 31))
    assert assessment.overdue.total > MAX_AMOUNT / 10**8
    assert assessment.actions and '"actions"' in creditrules.to_json(assessment)


def test_an_account_file_with_too_many_payments_is_refused() -> None:
    """More than 1,000 payments in an account file is an InputError at ``$.payments``."""
    data = loads_toml((EXAMPLES / "generic-revolving.toml").read_text(encoding="utf-8"))
    data["payments"] = [{"date": date(2025, 1, 8), "amount": "1.00"}] * 1001
    with pytest.raises(InputError) as caught:
        parse_account(data, file="many.toml")
    assert caught.value.path == "$.payments" and "at most 1000" in caught.value.message
    data["payments"] = data["payments"][:1000]
    assert len(parse_account(data).payments) == 1000


# --------------------------------------------------------------------------- measuring

# The command line run in-process; at exit it prints its time (from before importing
# creditrules) and its peak memory: VmHWM, this process's own peak, which exec resets
# (the rusage of a child started by vfork counts the parent's memory too).
_MEASURED = """
import runpy, sys, time
started = time.perf_counter()
sys.argv = ["creditrules", *sys.argv[1:]]
try:
    runpy.run_module("creditrules", run_name="__main__")
finally:
    elapsed = time.perf_counter() - started
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print(f"measured {elapsed:.3f} s {peak} KiB", file=sys.stderr)
"""


def _library_seconds(path: Path) -> float:
    """Seconds this process takes to refuse the corpus file ``path`` (plugins loaded)."""
    header = _header(path)
    started = time.perf_counter()
    try:
        if path.parent.name == "providers":
            creditrules.load_provider(path)
        else:
            account = creditrules.load_account(path)
            creditrules.assess(account, date.fromisoformat(header["as-of"][0]))
    except CreditRulesError:
        return time.perf_counter() - started
    raise AssertionError(f"{path.name} was not refused")


def _measure(case: CliCase, repeat: int) -> tuple[float, float, float, list[str]]:
    """The largest process time, in-process time and peak memory (MB) of ``repeat`` runs."""
    process = inside = memory = 0.0
    problems: list[str] = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = _run_cli(*case.args, env=case.env, prefix=("-c", _MEASURED))
        process = max(process, time.perf_counter() - started)
        figures = result.stderr.rsplit("measured ", 1)[-1].split()
        inside = max(inside, float(figures[0]))
        memory = max(memory, int(figures[2]) / 1024)
        problems = _problems(case, result) if case.expect else []
    return process, inside, memory, problems


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the corpus: library time of each reproducer, time and memory of each CLI run.

    Returns:
        0, or 1 if a case did not end cleanly (exit status 2, message, no traceback).
    """
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (the largest count)")
    options = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("measuring memory needs /proc (Linux)", file=sys.stderr)
        return 2
    print(f"{'reproducer, in this process':48} {'library':>8}")
    slowest = (0.0, "")
    for path in sorted([*CORPUS.glob("accounts/*.toml"), *CORPUS.glob("providers/*.toml")]):
        if any(not _installed(needed) for needed in _header(path).get("needs", [])):
            continue
        seconds = max(_library_seconds(path) for _ in range(options.repeat))
        slowest = max(slowest, (seconds, f"{path.parent.name}/{path.stem}"))
        print(f"{path.parent.name + '/' + path.stem:48} {seconds:6.3f} s")
    reference = CliCase(
        "(a valid assessment, for comparison)",
        ("assess", str(EXAMPLES / "generic-revolving.toml"), "--as-of", "2025-09-30", "--json"),
        expect=(),
    )
    print(f"\n{'command line':48} {'process':>8} {'in-process':>10} {'peak memory':>12}")
    worst = {"process": (0.0, ""), "creditrules": (0.0, ""), "memory": (0.0, "")}
    failed = 0
    for case in [reference, *cli_corpus()]:
        process, inside, memory, problems = _measure(case, options.repeat)
        if case is not reference:
            for key, value in (("process", process), ("creditrules", inside), ("memory", memory)):
                worst[key] = max(worst[key], (value, case.name))
        failed += bool(problems)
        note = f"  FAILED: {'; '.join(problems)}" if problems else ""
        print(f"{case.name:48} {process:6.2f} s {inside:8.2f} s {memory:9.1f} MB{note}")
    print(f"\nlargest library time:    {slowest[0]:.3f} s ({slowest[1]})")
    print(f"largest process time:    {worst['process'][0]:.2f} s ({worst['process'][1]})")
    print(f"largest in-process time: {worst['creditrules'][0]:.2f} s ({worst['creditrules'][1]})")
    print(f"largest peak memory:     {worst['memory'][0]:.1f} MB ({worst['memory'][1]})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
