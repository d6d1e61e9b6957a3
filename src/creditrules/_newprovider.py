"""Write a new provider plugin package from the template (private; ``creditrules new-provider``).

The template lives in ``creditrules/_template`` as package data: every file ends in
``.tmpl`` (so linters, type checkers and test collectors leave it alone) and uses
:class:`string.Template` placeholders — ``${provider_id}``, ``${module}``,
``${distribution}``, ``${title}`` and ``${creditrules_floor}``. A directory named
``__module__`` becomes the import package and ``gitignore`` becomes ``.gitignore``.

>>> names = package_names("acme-loans")
>>> names["distribution"], names["module"], names["title"]
('creditrules-acme-loans', 'creditrules_acme_loans', 'Acme Loans')
"""

from __future__ import annotations

import os
import re
import sys
from importlib.resources import files
from pathlib import Path, PurePosixPath
from string import Template

from ._i18n import N_, Translatable
from ._version import __version__
from .errors import InputError

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - exercised on Python 3.10 only
    from importlib.abc import Traversable

__all__ = ["package_names", "write_provider_package"]

_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_SUFFIX = ".tmpl"


def package_names(name: str) -> dict[str, str]:
    """Return the names a provider package uses, derived from its provider id.

    Args:
        name: The provider id (``acme`` or ``acme-loans``).

    Returns:
        ``provider_id``, ``distribution`` (``creditrules-acme``), ``module``
        (``creditrules_acme``), ``title`` (``Acme``) and ``creditrules_floor`` (the
        running creditrules version's ``major.minor``, the dependency's lower bound).

    Raises:
        InputError: if ``name`` is not a valid provider id.
    """
    if name.startswith("creditrules"):
        example = name.removeprefix("creditrules").strip("-_") or "acme"
        raise InputError(
            Translatable(
                N_(
                    "give the provider id (for example {example}), not the package name "
                    "{name}: the package is named creditrules-<id>"
                ),
                example=repr(example),
                name=repr(name),
            ),
            path="NAME",
        )
    if not _NAME.fullmatch(name):
        raise InputError(
            Translatable(
                N_(
                    "{name} is not a provider id: use lower-case letters, digits, '-' and '_', "
                    "starting with a letter (for example acme or acme-loans)"
                ),
                name=repr(name),
            ),
            path="NAME",
        )
    floor = ".".join(__version__.split(".")[:2])
    words = re.split(r"[-_]+", name)
    return {
        "provider_id": name,
        "distribution": "creditrules-" + "-".join(words),
        "module": "creditrules_" + "_".join(words),
        "title": " ".join(word.capitalize() for word in words),
        "creditrules_floor": floor,
    }


def _template_files(root: Traversable, prefix: PurePosixPath) -> list[tuple[PurePosixPath, str]]:
    found: list[tuple[PurePosixPath, str]] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found += _template_files(entry, prefix / entry.name)
        elif entry.name.endswith(_SUFFIX):
            found.append((prefix / entry.name, entry.read_text(encoding="utf-8")))
    return found


def _target(relative: PurePosixPath, names: dict[str, str]) -> PurePosixPath:
    parts = [names["module"] if part == "__module__" else part for part in relative.parts]
    parts[-1] = parts[-1].removesuffix(_SUFFIX)
    if parts[-1] == "gitignore":
        parts[-1] = ".gitignore"
    return PurePosixPath(*parts)


def write_provider_package(name: str, directory: str | os.PathLike[str] = ".") -> Path:
    """Write a working provider plugin package for the provider id ``name``.

    The package, ``directory/creditrules-<name>``, has a ``pyproject.toml`` with the
    ``creditrules`` entry point, ``src/creditrules_<name>/`` registering a declarative
    ``provider.toml`` (no policy number yet: every parameter listed as unknown, to fill
    from the lender's terms), a README listing every value with its source, a
    CHANGELOG, a golden case and ``tests/test_conformance.py`` running the conformance
    suite. It passes its own tests as written.

    Args:
        name: The provider id (``acme``).
        directory: Where to create the package's directory (default: the current one).

    Returns:
        The package's directory.

    Raises:
        InputError: if ``name`` is not a valid provider id or the package's directory
            already exists.
    """
    names = package_names(name)
    root = Path(directory) / names["distribution"]
    if root.exists():
        raise InputError(
            Translatable(
                N_("{path} already exists; remove it or choose another --dir"), path=str(root)
            ),
            path="--dir",
        )
    template = files("creditrules") / "_template"
    rendered = [
        (_target(relative, names), Template(text).substitute(names))
        for relative, text in _template_files(template, PurePosixPath())
    ]
    for relative, text in rendered:
        path = root.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
