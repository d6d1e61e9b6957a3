"""The READMEs' command lines run as written (English and Chinese)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

pytest.importorskip("click")  # the cli extra
from click.testing import CliRunner

from creditrules._commands import build_cli

ROOT = Path(__file__).resolve().parents[1]
READMES = ("README.md", "README.zh-CN.md")


def _commands(readme: str) -> list[list[str]]:
    """Every ``creditrules …`` line of the README's console blocks (continuations joined)."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.strip())
            if words and words[0] == "creditrules":
                commands.append(words[1:])
    return commands


def test_the_chinese_readme_is_linked_and_has_the_quickstart() -> None:
    """README.md links README.zh-CN.md, which gives the same two quickstart commands."""
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "(README.zh-CN.md)" in english
    for command in (
        "python3 -m venv .venv && .venv/bin/python -m pip install nox && .venv/bin/python -m nox",
        ".venv/bin/pip install '.[cli]' ./plugins/creditrules-huabei",
    ):
        assert command in english and command in chinese
    assert "我逾期了" in chinese


@pytest.mark.parametrize("readme", READMES)
def test_readme_commands_run(readme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ``creditrules`` command line in the README exits 0 on the example files."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_LANG", raising=False)
    commands = _commands(readme)
    if readme == "README.zh-CN.md":
        assert len(commands) >= 4
    for args in commands:
        result = CliRunner().invoke(build_cli(), args)
        assert result.exit_code == 0, (args, result.output)
