"""``creditrules new-provider``: the template writes a plugin package that passes its own tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import creditrules
from creditrules import InputError
from creditrules._newprovider import package_names, write_provider_package
from creditrules._plugins import reset_registry
from creditrules.cli import build_cli
from creditrules.testing.conformance import (
    check_golden_case,
    check_policy_sources,
    check_readme,
    golden_case_paths,
    load_golden_case,
)

FILES = [
    ".gitignore",
    "CHANGELOG.md",
    "README.md",
    "pyproject.toml",
    "src/creditrules_acme/__init__.py",
    "src/creditrules_acme/provider.toml",
    "src/creditrules_acme/py.typed",
    "tests/golden/unpaid-bill.toml",
    "tests/test_conformance.py",
]


def _new_provider(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), ["new-provider", *args])
    return result.exit_code, result.output


def test_new_provider_writes_the_package(tmp_path: Path) -> None:
    """The command writes DIR/creditrules-NAME with every file, all placeholders filled."""
    code, output = _new_provider("acme", "--dir", str(tmp_path))
    root = tmp_path / "creditrules-acme"
    assert code == 0, output
    assert f"Wrote {root}" in output
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert written == FILES
    for name in written:
        text = (root / name).read_text(encoding="utf-8")
        assert "${" not in text, name
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "creditrules-acme"' in pyproject
    assert '[project.entry-points.creditrules]\nacme = "creditrules_acme"' in pyproject
    floor = ".".join(creditrules.__version__.split(".")[:2])
    assert f'dependencies = ["creditrules>={floor}"]' in pyproject


def test_generated_provider_is_honest_and_documented(tmp_path: Path) -> None:
    """The generated provider ships no number, lists each unknown, and its README names them."""
    root = write_provider_package("acme", tmp_path)
    provider = creditrules.load_provider(root / "src" / "creditrules_acme" / "provider.toml")
    assert provider.id == "acme"
    assert provider.policy == ()
    # Every parameter a provider can set, in the order of the parameter reference.
    assert [name for name, _ in provider.unknown] == list(creditrules.PARAMETERS)
    assert all(why.startswith("TO FILL from the lender's terms") for _, why in provider.unknown)
    # ... each reason with its Chinese, so `--lang zh_CN` shows no English reason.
    for name, why in provider.unknown:
        assert provider.translate(why, "zh_CN").startswith("待填写"), name
    # ... and a comment above it saying what it is, its unit and the engine default.
    text = (root / "src" / "creditrules_acme" / "provider.toml").read_text(encoding="utf-8")
    for name in creditrules.PARAMETERS:
        assert re.search(rf"^# {name}: .+\n(#.*\n)*{name} = ", text, re.MULTILINE), name
    assert check_policy_sources(provider) == []
    assert check_readme(provider, (root / "README.md").read_text(encoding="utf-8")) == []
    (case_path,) = golden_case_paths(root / "tests" / "golden")
    case = load_golden_case(case_path)
    assert case.account.provider == "acme"
    assert case.expect.unknowns_contain == ("penalty_daily_rate",)


HOWTO = Path(__file__).resolve().parents[1] / "docs" / "howto" / "write-a-provider.md"


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def _tree_paths(tree: str) -> set[str]:
    """The files of a ``tree``-style listing, as paths relative to its first line."""
    paths: set[str] = set()
    folders: list[str] = []
    for line in tree.splitlines()[1:]:
        entry = line.split("#")[0].rstrip()
        match = re.fullmatch(r"((?:│   |    )*)(?:├── |└── )(.+)", entry)
        assert match, line
        depth = len(match.group(1)) // 4
        del folders[depth:]
        name = match.group(2)
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
        else:
            paths.add("/".join([*folders, name]))
    return paths


def test_howto_shows_the_generated_package(tmp_path: Path) -> None:
    """The how-to's tree of the package and its conformance test are what the command writes."""
    root = write_provider_package("acme", tmp_path)
    text = HOWTO.read_text(encoding="utf-8")
    (tree,) = [block for block in _fenced(text, "text") if block.startswith("creditrules-acme/")]
    assert _tree_paths(tree) == set(FILES) - {".gitignore"}
    (snippet,) = [block for block in _fenced(text, "python") if "class TestConformance" in block]
    test_file = (root / "tests" / "test_conformance.py").read_text(encoding="utf-8")
    generated = iter(line.strip() for line in test_file.splitlines())
    for line in snippet.splitlines():
        assert line.strip() in generated, line  # each line, in the same order


def test_generated_golden_case_holds_for_a_provider_without_numbers(tmp_path: Path) -> None:
    """The template's golden case holds for any provider that states no penalty (generic)."""
    root = write_provider_package("acme", tmp_path)
    case = load_golden_case(root / "tests" / "golden" / "unpaid-bill.toml")
    generic = attrs.evolve(case, account=attrs.evolve(case.account, provider="generic"))
    assert check_golden_case(generic) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Acme", "'Acme' is not a provider id"),
        ("9lives", "'9lives' is not a provider id"),
        ("creditrules-acme", "give the provider id (for example 'acme'), not the package name"),
    ],
)
def test_bad_names_are_refused(tmp_path: Path, name: str, message: str) -> None:
    """A name that is not a provider id is a usage error (exit 2) saying what to give."""
    code, output = _new_provider(name, "--dir", str(tmp_path))
    assert code == 2
    assert "Invalid value for 'NAME'" in output
    assert message in output
    assert not any(tmp_path.iterdir())


def test_existing_directory_is_refused(tmp_path: Path) -> None:
    """The command never writes over an existing package directory."""
    (tmp_path / "creditrules-acme").mkdir()
    code, output = _new_provider("acme", "--dir", str(tmp_path))
    assert code == 2
    assert "already exists" in output
    with pytest.raises(InputError, match="already exists"):
        write_provider_package("acme", tmp_path)


def test_package_names() -> None:
    """Hyphens and underscores give the usual distribution and import names."""
    assert package_names("acme_loans") == {
        "provider_id": "acme_loans",
        "distribution": "creditrules-acme-loans",
        "module": "creditrules_acme_loans",
        "title": "Acme Loans",
        "creditrules_floor": ".".join(creditrules.__version__.split(".")[:2]),
    }


def test_template_ships_in_the_wheel() -> None:
    """The template files are package data of the creditrules wheel."""
    builders = pytest.importorskip("hatchling.builders.wheel")
    root = Path(__file__).resolve().parents[1]
    included = {
        f.distribution_path for f in builders.WheelBuilder(str(root)).recurse_included_files()
    }
    assert {
        "creditrules/_template/pyproject.toml.tmpl",
        "creditrules/_template/src/__module__/provider.toml.tmpl",
        "creditrules/_template/tests/test_conformance.py.tmpl",
    } <= included


# ----------------------------------------------------------------- install and run


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args, "--quiet", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def installed_template(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """Generate a provider package and install it into a directory of its own.

    ``pip install --target`` keeps the shared environment untouched: only the test's
    subprocess, with that directory on ``PYTHONPATH``, sees the plugin.
    """
    pytest.importorskip("hatchling")
    root = write_provider_package("templatecheck", tmp_path)
    site = tmp_path / "site"
    install = _pip("install", "--no-deps", "--no-build-isolation", "--target", str(site), str(root))
    try:
        assert install.returncode == 0, install.stderr
        yield root, site
    finally:
        reset_registry()


def test_generated_package_passes_its_own_tests(installed_template: tuple[Path, Path]) -> None:
    """Installed as generated, the package's own tests (conformance suite, golden case) pass."""
    root, site = installed_template
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITRULES_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "-p", "no:cacheprovider", "-q"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed.group(1)) >= 10, run.stdout  # the suite ran, not nothing
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
