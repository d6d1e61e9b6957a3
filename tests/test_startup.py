"""The command line loads only the layers a command uses (structure, not timing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("click")  # the cli extra
pytest.importorskip("rich")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "generic-revolving.toml"

#: Run the command line in a fresh interpreter and print the modules it loaded.
_SCRIPT = """\
import contextlib, io, json, sys
from creditrules.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

#: What no plain ``assess`` needs: planning, explaining, batches, HTML, processes.
_NOT_FOR_ASSESS = (
    "creditrules._planner",
    "creditrules._explain",
    "creditrules._newprovider",
    "creditrules.portfolio",
    "creditrules.dask",
    "creditrules._render.batch",
    "creditrules._render.html",
    "creditrules._render.remediation",
    "concurrent.futures.process",
    "multiprocessing",
    "html",
    "rich.progress",
)


def _loaded(*args: str, plugins: bool = True) -> set[str]:
    """The modules ``creditrules ARGS`` loads (without third-party plugins if not ``plugins``)."""
    env = dict(os.environ)
    if not plugins:
        env["CREDITRULES_LOAD_PLUGINS"] = ""
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.splitlines()[-1])
    assert out["code"] == 0, result.stderr
    return set(out["modules"])


def test_importing_the_entry_point_loads_no_command() -> None:
    """``import creditrules.cli`` loads neither click nor any layer of creditrules."""
    code = "import json, sys, creditrules.cli; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not {"click", "rich", "creditrules._commands", "creditrules._api"} & loaded


@pytest.mark.parametrize("plugins", [True, False], ids=["installed plugins", "core only"])
def test_assess_loads_only_what_it_uses(plugins: bool) -> None:
    """``assess FILE`` loads no planner, explanation, portfolio, processes or HTML."""
    loaded = _loaded("assess", str(EXAMPLE), "--as-of", "2025-06-30", plugins=plugins)
    assert "creditrules._api" in loaded  # it did assess
    assert sorted(loaded.intersection(_NOT_FOR_ASSESS)) == []


def test_assess_of_the_core_loads_no_comparison() -> None:
    """Without plugins that use it, ``assess`` does not load the what-if comparison."""
    loaded = _loaded("assess", str(EXAMPLE), "--as-of", "2025-06-30", plugins=False)
    assert "creditrules.comparison" not in loaded


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("assess", "--help"),
        ("assess", str(EXAMPLE), "--as-of", "2025-06-30", "--json"),
    ],
    ids=["--help", "assess --help", "assess --json"],
)
def test_help_and_json_load_no_rich_rendering(args: tuple[str, ...]) -> None:
    """Help and JSON output load none of rich's console, text or tables."""
    loaded = _loaded(*args, plugins=False)
    assert sorted(loaded & {"rich.console", "rich.text", "rich.table"}) == []


def test_help_of_the_core_loads_no_assessment() -> None:
    """``--help`` does not load the composer or the account-file reader."""
    loaded = _loaded("--help", plugins=False)
    assert sorted(loaded & {"creditrules._api", "creditrules.io"}) == []
