"""Plugin discovery, registration, conflicts and failures (issue: provider plugins)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import creditrules
from creditrules import Account, Bill, Payment, PluginError, PluginWarning, get_registry
from creditrules._plugins import reset_registry

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{dist}"
version = "1.2.3"
dependencies = []

[project.entry-points.creditrules]
{ep} = "{module}"

[tool.hatch.build.targets.wheel]
packages = ["{module}"]
"""

GOOD = """
import creditrules
from creditrules import PolicyValue, Provider


@creditrules.hookimpl
def register_providers(register):
    register(Provider(
        id="{provider}", name_en="Acme", name_zh="示例",
        products=("revolving",),
        policy=(PolicyValue("penalty_daily_rate", "0.001", source="Acme terms §3", grade="B"),),
    ))
"""

BROKEN_IMPORT = "raise RuntimeError('this plugin is broken on purpose')\n"

RAISES = """
import creditrules


@creditrules.hookimpl
def register_providers(register):
    raise ValueError("hook failed on purpose")
"""


def _install(tmp_path: Path, dist: str, module: str, ep: str, code: str) -> None:
    root = tmp_path / dist
    (root / module).mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(dist=dist, module=module, ep=ep))
    (root / module / "__init__.py").write_text(textwrap.dedent(code))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            str(root),
        ],
        check=True,
    )


def _uninstall(*dists: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "uninstall", "--quiet", "--yes", *dists], check=False
    )


@pytest.fixture(scope="module")
def third_party(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Install four throw-away plugin distributions for the duration of this module."""
    pytest.importorskip("hatchling")
    tmp = tmp_path_factory.mktemp("plugins")
    dists = {
        "creditrules-acme-test": ("creditrules_acme_test", "acme", GOOD.format(provider="acme")),
        "creditrules-acme-clone": (
            "creditrules_acme_clone",
            "acmeclone",
            GOOD.format(provider="acme"),
        ),
        "creditrules-broken-test": ("creditrules_broken_test", "broken", BROKEN_IMPORT),
        "creditrules-raises-test": ("creditrules_raises_test", "raises", RAISES),
    }
    for dist, (module, ep, code) in dists.items():
        _install(tmp, dist, module, ep, code)
    yield
    _uninstall(*dists)
    reset_registry()


def _load(monkeypatch: pytest.MonkeyPatch, names: str, *, strict: bool = False):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITRULES_LOAD_PLUGINS", names)
    monkeypatch.delenv("CREDITRULES_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("CREDITRULES_STRICT", raising=False)
    return get_registry(reload=True, strict=strict)


def _account(provider: str) -> Account:
    return Account(
        id="t",
        provider=provider,
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")],
        payments=[Payment(date(2025, 3, 15), "1005.00")],
    )


@pytest.fixture(autouse=True)
def _fresh_registry() -> Iterator[None]:
    """Forget the registry after each test so env changes do not leak."""
    yield
    reset_registry()


def test_third_party_provider_is_discovered_and_used(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """A pip-installed plugin is found by entry point and its policy is used by assess."""
    registry = _load(monkeypatch, "acme")
    assert "acme" in registry.providers
    info = next(p for p in registry.plugins if p.name == "acme")
    assert (info.distribution, info.version) == ("creditrules-acme-test", "1.2.3")
    assert info.providers == ("acme",) and info.hooks == ("register_providers",)
    result = creditrules.assess(_account("acme"), as_of=date(2025, 3, 31))
    # 1,000.00 × 0.1 % × 5 days = 5.00 of penalty, from the plugin's policy.
    assert result.charged.penalty == Decimal("5.00")
    origin = next(a for a in result.policy if a.value.name == "penalty_daily_rate")
    assert origin.layer == "provider" and origin.value.source == "Acme terms §3"


def test_duplicate_provider_id_names_both_distributions(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """Two plugins registering one provider id: that id is withdrawn and names both."""
    with pytest.warns(PluginWarning, match="'acme' is registered by two plugins"):
        registry = _load(monkeypatch, "acme,acmeclone")
    assert "acme" not in registry.providers and "generic" in registry.providers
    with pytest.raises(PluginError) as excinfo:
        creditrules.assess(_account("acme"), as_of=date(2025, 3, 31), registry=registry)
    message = str(excinfo.value)
    assert "creditrules-acme-test" in message and "creditrules-acme-clone" in message
    creditrules.assess(_account("generic"), as_of=date(2025, 3, 31), registry=registry)


def test_duplicate_provider_id_is_fatal_when_strict(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """With strict loading, two plugins registering one provider id is a PluginError."""
    with pytest.raises(PluginError, match=r"creditrules-acme-test.*creditrules-acme-clone"):
        _load(monkeypatch, "acme,acmeclone", strict=True)


def test_broken_import_is_named_and_others_load(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """A plugin that fails to import is named in a warning; the other plugins still work."""
    with pytest.warns(PluginWarning, match="'broken'.*failed to import.*broken on purpose"):
        registry = _load(monkeypatch, "acme,broken")
    assert "acme" in registry.providers and "generic" in registry.providers
    assert next(p for p in registry.plugins if p.name == "broken").error


def test_hook_that_raises_is_named_and_others_load(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """A plugin raising in register_providers is named in a warning; others still register."""
    with pytest.warns(PluginWarning, match="'raises'.*register_providers.*failed on purpose"):
        registry = _load(monkeypatch, "acme,raises")
    assert "acme" in registry.providers


def test_strict_makes_plugin_failures_fatal(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """With strict loading a broken plugin raises PluginError instead of warning."""
    with pytest.raises(PluginError, match="broken"):
        _load(monkeypatch, "broken", strict=True)


def test_disable_plugins_env(third_party, monkeypatch):  # type: ignore[no-untyped-def]
    """CREDITRULES_DISABLE_PLUGINS keeps a plugin from loading."""
    monkeypatch.delenv("CREDITRULES_LOAD_PLUGINS", raising=False)
    monkeypatch.setenv("CREDITRULES_DISABLE_PLUGINS", "acmeclone,broken,raises")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PluginWarning)
        registry = get_registry(reload=True)
    assert registry.provider_plugin["acme"] == "acme"


def test_unknown_provider_lists_installed_and_suggests(monkeypatch):  # type: ignore[no-untyped-def]
    """An unknown provider id is an InputError listing installed providers and the closest."""
    _load(monkeypatch, "")
    with pytest.raises(creditrules.InputError) as excinfo:
        creditrules.assess(_account("generc"), as_of=date(2025, 3, 31))
    assert excinfo.value.path == "$.account.provider"
    assert "installed providers: generic" in str(excinfo.value)
    assert "did you mean 'generic'" in str(excinfo.value)


def test_a_plugin_with_a_misspelt_hook_is_removed_and_named(monkeypatch):  # type: ignore[no-untyped-def]
    """Loading: a plugin implementing a hook that does not exist is named and left out."""
    import types

    module = types.ModuleType("typo_plugin")

    @creditrules.hookimpl
    def register_provider(register):  # type: ignore[no-untyped-def]  # missing "s"
        """Misspelt on purpose."""

    module.register_provider = register_provider  # type: ignore[attr-defined]
    _load(monkeypatch, "")
    with pytest.warns(PluginWarning, match="'typo'.*hook that does not exist"):
        registry = get_registry(reload=True, extra=(("typo", module),))
    assert registry.manager.get_plugin("typo") is None and "generic" in registry.providers
    with pytest.raises(PluginError, match="typo"):
        get_registry(reload=True, strict=True, extra=(("typo", module),))


def test_misspelt_hook_fails_loudly():
    """A hook implementation with no matching spec is a PluginError (check_pending)."""
    import types

    from creditrules._plugins import _Loader

    module = types.ModuleType("typo_plugin")

    @creditrules.hookimpl
    def register_provider(register):  # type: ignore[no-untyped-def]  # missing "s"
        """Misspelt on purpose."""

    module.register_provider = register_provider  # type: ignore[attr-defined]
    loader = _Loader(strict=False)
    loader._register("typo", module, ("typo-dist", "0"))
    with pytest.raises(Exception, match="register_provider"):
        loader.manager.check_pending()
