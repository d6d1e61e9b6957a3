"""The layers of docs/explanation/architecture.md hold: checked, not promised."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "creditrules"

#: Modules below the composer (``_api``): they are handed the registry, never fetch it.
BELOW_COMPOSER = (
    "errors",
    "money",
    "_validators",
    "_version",
    "_toml",
    "_i18n",
    "model",
    "policy",
    "schedule",
    "provider",
    "bureau",
    "hookspecs",
    "_convert",
    "assessment",
    "report",
    "record",
    "remediation",
    "explain",
    "ledger",
    "_engine",
    "rules",
    "_plugins",
    "_planner",
    "_explain",
)


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "_template" not in p.parts)


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """Imports made inside a function body, with their line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    names = ", ".join(alias.name for alias in inner.names)
                    found.append((inner.lineno, names))
    return sorted(set(found))


def test_the_layers_contract_is_kept() -> None:
    """import-linter's layers contract in pyproject.toml passes on the source tree."""
    pytest.importorskip("importlinter")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers are one-way KEPT" in result.stdout


def test_no_function_level_import_dodges_a_cycle() -> None:
    """Every import inside a function says why (``# lazy:``): an optional dependency or start-up."""
    unexplained = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, names in _function_imports(path):
            context = " ".join(lines[max(0, lineno - 3) : lineno])
            if "# lazy:" not in context:
                unexplained.append(f"{path.relative_to(ROOT)}:{lineno}: import {names}")
    assert unexplained == []


def test_nothing_below_the_composer_fetches_the_registry() -> None:
    """The registry is passed down: no module below ``_api`` calls ``get_registry()``."""
    callers = []
    for name in BELOW_COMPOSER:
        path = SRC / f"{name}.py"
        if not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "get_registry"
                and name != "_plugins"
            ):
                callers.append(f"{name}.py:{node.lineno}")
    assert callers == []


def test_the_planner_keeps_no_global_state() -> None:
    """No ``ContextVar`` guards a recursion anywhere in the package."""
    users = [str(p.relative_to(ROOT)) for p in _modules() if "ContextVar" in p.read_text("utf-8")]
    assert users == []


def test_the_core_names_no_provider_of_a_plugin() -> None:
    """The core never names a bundled plugin's provider id or event tag (plugins own those)."""
    pattern = re.compile(r"\b(huabei|jiebei|fenqile|bill_installment(?!_fees))\b", re.IGNORECASE)
    named = []
    for path in _modules():
        if "default_plugins" in path.parts:
            continue
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if pattern.search(line):
                named.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert named == []
