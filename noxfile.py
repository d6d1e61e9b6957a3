"""Developer tasks: ``nox`` runs the whole test suite (lint, types, docs, tests)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

PLUGINS = [
    "plugins/creditrules-huabei",
    "plugins/creditrules-jiebei",
    "plugins/creditrules-fenqile",
]


def install(session: nox.Session) -> None:
    """Install creditrules with its dev extras and the bundled provider plugins."""
    editable = []
    for path in PLUGINS:
        editable += ["-e", path]
    session.install("-e", ".[dev]", *editable)


@nox.session
def tests(session: nox.Session) -> None:
    """Everything CI checks: ruff, mypy --strict, the layers contract, the docs and pytest."""
    install(session)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("lint-imports")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "html", "docs", "docs/_build/html"
    )
    session.run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "doctest", "docs", "docs/_build/doctest"
    )
    session.run("pytest", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks against the hand-written floor (prints ratios; asserts nothing).

    ``nox -s bench -- --quick`` for a short run; see benchmarks/README.md.
    """
    install(session)
    session.run("python", "benchmarks/bench_assess.py", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz account and provider files for a time budget (default 10 minutes).

    Prints how many generated inputs were tried; fails on the first exception that is
    not a CreditRulesError, printing the input. Pass ``-- --seconds N --seed S``.
    """
    install(session)
    session.run("python", "tests/test_fuzz.py", *(session.posargs or ["--seconds", "600"]))
