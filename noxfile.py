"""Developer tasks: ``nox`` runs the whole test suite (lint, types, docs, tests)."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

PLUGINS = [
    "plugins/creditrules-huabei",
    "plugins/creditrules-jiebei",
    "plugins/creditrules-fenqile",
]


def install(session: nox.Session, extras: str = "dev") -> None:
    """Install creditrules with its ``extras`` and the bundled provider plugins."""
    editable = []
    for path in PLUGINS:
        editable += ["-e", path]
    session.install("-e", f".[{extras}]", *editable)


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

    ``nox -s bench -- --quick`` for a short run; see benchmarks/README.md. The portfolio
    benchmark is ``nox -s bench_portfolio``. The ``bench`` extra adds the rule engines
    the one-decision table compares with.
    """
    install(session, "dev,bench")
    session.run("python", "benchmarks/bench_assess.py", *session.posargs)


@nox.session
def bench_portfolio(session: nox.Session) -> None:
    """Run the portfolio benchmark: accounts/s in process, on a process pool, on Dask.

    Prints rates, ratios, CPU time and the peak memory of ``creditrules batch``; asserts
    nothing. ``nox -s bench_portfolio -- --accounts 10000 --memory-sizes
    10000,30000,100000`` for the full run (about 15 minutes on 2 cores); see
    benchmarks/README.md.
    """
    install(session)
    session.run("python", "benchmarks/bench_portfolio.py", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz account and provider files for a time budget (default 10 minutes).

    Prints how many generated inputs were tried; fails on the first exception that is
    not a CreditRulesError, printing the input. Pass ``-- --seconds N --seed S``.
    """
    install(session)
    session.run("python", "tests/test_fuzz.py", *(session.posargs or ["--seconds", "600"]))


_DUMP = """
import sys
from datetime import date
from pathlib import Path

import creditrules

out = []
for path in sorted(Path("examples").glob("*.toml")):
    account = creditrules.load_account(path)
    for as_of in (date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)):
        if as_of >= account.opened_on:
            out.append(creditrules.to_json(creditrules.assess(account, as_of)))
Path(sys.argv[1]).write_text("\\n".join(out), encoding="utf-8")
"""


@nox.session(python=["3.10", "3.11", "3.12", "3.13"])
def stable_output(session: nox.Session) -> None:
    """Check that to_json writes the same bytes on every Python and hash seed.

    Each Python writes the example accounts' assessments under PYTHONHASHSEED 1, 6 and
    14 to ``build/stable-output/``; every file must equal those written before.
    """
    install(session)
    folder = Path("build/stable-output")
    folder.mkdir(parents=True, exist_ok=True)
    for seed in ("1", "6", "14"):
        target = folder / f"py{session.python}-seed{seed}.json"
        session.run("python", "-c", _DUMP, str(target), env={"PYTHONHASHSEED": seed})
        for other in folder.glob("*.json"):
            if other.read_bytes() != target.read_bytes():
                session.error(f"{target} differs from {other}")
