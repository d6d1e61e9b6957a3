"""The public API: ``__all__`` matches what the docs promise, and docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import creditrules

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _documented_names() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / "reference").glob("*.md"))
    names = set(re.findall(r"creditrules\.([A-Za-z_][A-Za-z0-9_]*)", text))
    for module in re.findall(r"automodule:: creditrules\.([a-z_]+)", text):
        names |= set(getattr(importlib.import_module(f"creditrules.{module}"), "__all__", ()))
    return names


def test_all_is_sorted_and_importable() -> None:
    """Every name in ``creditrules.__all__`` exists."""
    for name in creditrules.__all__:
        assert hasattr(creditrules, name), name


def test_every_export_is_documented() -> None:
    """Every name in ``__all__`` appears in the API reference."""
    missing = set(creditrules.__all__) - _documented_names()
    assert not missing, f"exported but not in docs/reference: {sorted(missing)}"


def test_every_public_name_has_a_docstring() -> None:
    """Every exported class and function has a docstring."""
    for name in creditrules.__all__:
        value = getattr(creditrules, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert (value.__doc__ or "").strip(), name


MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(creditrules.__path__, "creditrules.")
    if not m.name.startswith("creditrules.testing")
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    """The ``>>>`` examples in each module's docstrings pass."""
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
