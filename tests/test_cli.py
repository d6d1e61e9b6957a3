"""Tests for creditrules.cli: the ``creditrules`` command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import pluggy
import pytest

click = pytest.importorskip("click")  # the cli extra
pytest.importorskip("rich")
from click.testing import CliRunner, Result  # noqa: E402

import creditrules  # noqa: E402
from creditrules import _commands, hookspecs  # noqa: E402
from creditrules._plugins import Registry, registry_override  # noqa: E402
from creditrules._toml import loads_toml  # noqa: E402
from creditrules.cli import build_cli, main  # noqa: E402

ACCOUNT = """\
format = 1
[account]
id = "demo"
provider = "{provider}"
product = "revolving"
opened_on = 2024-01-05
[policy]
penalty_daily_rate = "0.0005"
[[bills]]
statement_date = 2025-03-01
due_date = 2025-03-10
amount = "1000.00"
[[payments]]
date = 2025-03-15
amount = {amount}
"""

PROVIDER = """\
format = 1
[provider]
id = "{id}"
name_en = "Acme Loans"
name_zh = "示例贷"
products = ["revolving"]
[policy.penalty_daily_rate]
value = "0.001"
source = "https://example.com/acme/terms"
grade = "B"
"""


def account_file(
    tmp_path: Path, *, provider: str = "generic", amount: str = '"1002.50"', text: str = ""
) -> str:
    path = tmp_path / "account.toml"
    path.write_text(text or ACCOUNT.format(provider=provider, amount=amount), encoding="utf-8")
    return str(path)


#: No language from the environment of the test run: English unless a test says otherwise.
NO_LANGUAGE: dict[str, str | None] = dict.fromkeys(
    ("CREDITRULES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"), None
)


def invoke(
    *args: str,
    cli: click.Group | None = None,
    columns: int = 80,
    env: dict[str, str | None] | None = None,
) -> Result:
    runner = CliRunner(env={"COLUMNS": str(columns), **NO_LANGUAGE, **(env or {})})
    return runner.invoke(cli or build_cli(), list(args))


def test_assess_shows_days_past_due_and_penalty(tmp_path: Path) -> None:
    """`assess` on an unpaid bill shows the days past due and the penalty so far."""
    result = invoke("assess", account_file(tmp_path), "--as-of", "2025-03-14")
    assert result.exit_code == 0, result.output
    assert "Days past due: 4" in result.output
    assert "overdue since 2025-03-11" in result.output
    penalty_row = next(line for line in result.output.splitlines() if line.startswith("penalty "))
    assert penalty_row.split()[1:] == ["2.00", "2.00", "2.00", "0.00"]  # balance overdue charged


def test_assess_shows_the_episode_and_the_policy_in_force(tmp_path: Path) -> None:
    """After the late payment: DPD 0, 2.50 charged, the episode, and the policy's layer."""
    result = invoke("assess", account_file(tmp_path), "--as-of", "2025-03-20")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Days past due: 0" in out
    assert "Cost so far (interest + fees + penalty charged up to 2025-03-20): 2.50" in out
    assert "2025-03-11  2025-03-15        5     1,002.50" in out
    assert "bill-2025-03-10" in out
    assert "Credit report: no negative record visible" in out
    assert "paid late" in out
    policy_row = next(line for line in out.splitlines() if line.startswith("penalty_daily_rate"))
    assert "0.0005" in policy_row
    assert "account" in policy_row


def test_assess_says_when_the_penalty_is_unknown(tmp_path: Path) -> None:
    """Without a penalty rate the summary says so prominently and how to fix it."""
    text = ACCOUNT.format(provider="generic", amount='"1000.00"').replace(
        'penalty_daily_rate = "0.0005"\n', ""
    )
    result = invoke("assess", account_file(tmp_path, text=text), "--as-of", "2025-03-14")
    assert result.exit_code == 0, result.output
    assert "Unknown — not computed" in result.output
    assert "penalty_daily_rate" in result.output


def test_assess_json_parses(tmp_path: Path) -> None:
    """`assess --json` prints the assessment as JSON with days_past_due."""
    result = invoke("assess", account_file(tmp_path), "--as-of", "2025-03-14", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["days_past_due"] == 4
    assert data["as_of"] == "2025-03-14"
    assert data["overdue"]["penalty"] == "2.00"


def test_assess_defaults_to_today_in_china(tmp_path: Path) -> None:
    """Without --as-of the assessment date is today in Asia/Shanghai."""
    result = invoke("assess", account_file(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == _commands._today().isoformat()


def test_today_is_the_date_in_china() -> None:
    """The default as-of date is the calendar date in Asia/Shanghai."""
    assert _commands._today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()


def test_today_falls_back_to_utc_plus_8(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the time-zone database the default date is taken at UTC+8."""

    def missing(key: str) -> None:
        raise ZoneInfoNotFoundError(key)

    monkeypatch.setattr(_commands, "ZoneInfo", missing)
    assert _commands._today() == datetime.now(timezone(timedelta(hours=8))).date()


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    """A TOML syntax error exits 2 naming the file and the line, without a traceback."""
    path = account_file(tmp_path, text='format = 1\n[account]\nid = "x"\nprovider = \n')
    result = invoke("assess", path)
    assert result.exit_code == 2
    assert path in result.stderr
    assert "line 4" in result.stderr
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error


def test_wrong_type_names_the_json_path(tmp_path: Path) -> None:
    """A value of the wrong type exits 2 with the file and its JSON path."""
    path = account_file(tmp_path, amount="true")
    result = invoke("assess", path, "--as-of", "2025-03-20")
    assert result.exit_code == 2
    assert "@ $.payments[0].amount" in result.stderr
    assert result.stderr.startswith(f"{path}: ")
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error


def test_unknown_provider_lists_the_installed_ones(tmp_path: Path) -> None:
    """An unknown provider id exits 2, names the file and lists the installed providers."""
    path = account_file(tmp_path, provider="generc")
    result = invoke("assess", path, "--as-of", "2025-03-20")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: unknown provider 'generc'")
    assert "installed providers: " in result.stderr
    assert "generic" in result.stderr
    assert "did you mean 'generic'?" in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    """A file that does not exist exits 2 with click's message, without a traceback."""
    result = invoke("assess", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    """An --as-of that is not YYYY-MM-DD exits 2."""
    result = invoke("assess", account_file(tmp_path), "--as-of", "2025-13-01")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def provider_file(tmp_path: Path, provider_id: str = "acme") -> str:
    path = tmp_path / f"{provider_id}.toml"
    path.write_text(PROVIDER.format(id=provider_id), encoding="utf-8")
    return str(path)


def test_provider_file_is_used_for_the_run(tmp_path: Path) -> None:
    """--provider-file makes a declarative provider available to `assess` for that run."""
    path = account_file(tmp_path, provider="acme")
    result = invoke(
        "assess",
        path,
        "--as-of",
        "2025-03-14",
        "--json",
        "--provider-file",
        provider_file(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overdue"]["penalty"] == "2.00"  # the account's rate wins
    assert "acme" not in creditrules.get_registry().providers  # only for that run
    shown = invoke("providers", "acme", "--provider-file", provider_file(tmp_path), columns=200)
    assert shown.exit_code == 0, shown.output
    assert "示例贷 Acme Loans" in shown.output
    assert "https://example.com/acme/terms" in shown.output


#: A provider file whose texts have Chinese variants (the *_zh keys).
PROVIDER_WITH_CHINESE = """\
format = 1
[provider]
id = "acme"
name_en = "Acme Loans"
products = ["revolving"]
[policy.penalty_daily_rate]
value = "0.001"
source = "Acme terms; https://example.com/acme/terms"
grade = "B"
note = "Charged on what is unpaid, from the day after the due date."
note_zh = "自到期日次日起按未还金额计收。"
[unknown]
grace_days = "The lender publishes no grace period at all."
[unknown_zh]
grace_days = "放款机构没有公布宽限期。"
"""


@pytest.mark.parametrize("chinese", [True, False])
def test_a_provider_files_own_chinese_is_shown_else_its_english(
    tmp_path: Path, chinese: bool
) -> None:
    """In zh_CN, assess shows a provider file's *_zh texts; a file without them, its English."""
    text = PROVIDER_WITH_CHINESE
    if not chinese:
        text = "\n".join(
            line for line in text.split("[unknown_zh]")[0].splitlines() if "_zh" not in line
        )
    provider = tmp_path / "acme.toml"
    provider.write_text(text, encoding="utf-8")
    account = ACCOUNT.format(provider="acme", amount='"1000.00"').replace(
        '[policy]\npenalty_daily_rate = "0.0005"\n', ""
    )
    args = ("assess", account_file(tmp_path, text=account), "--as-of", "2025-03-14")
    result = invoke(*args, "--lang", "zh_CN", "--provider-file", str(provider))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert ("自到期日次日起按未还金额计收。" in out) is chinese
    assert ("放款机构没有公布宽限期。" in out) is chinese
    assert ("Charged on what is unpaid" in out) is not chinese
    assert ("publishes no grace period" in out) is not chinese
    # the sources, one page a line, the way Chinese cites them
    assert "[1] Acme terms\n    https://example.com/acme/terms\n" in out
    english = invoke(*args, "--lang", "en", "--provider-file", str(provider)).stdout
    assert "Charged on what is unpaid, from the day after the due date." in english


def test_an_id_too_long_for_the_items_table_gets_a_line_of_its_own() -> None:
    """At 80 columns a long item id is printed in full above its row; wider, beside it."""
    args = ("assess", str(EXAMPLES / "huabei.toml"), "--as-of", "2025-06-30")
    _example_path("huabei")
    narrow = invoke(*args, columns=80).stdout.splitlines()
    row = narrow.index("bill-2025-05-10-installment-1")
    assert narrow[row + 1].split() == [
        "2025-06-10",
        "522.50",
        "522.50",
        "0.00",
        "paid",
        "on",
        "time",
    ]
    assert narrow[row + 1].startswith(" " * 15)
    assert any(line.startswith("bill-2025-01-10   ") for line in narrow)  # short ids stay
    wide = invoke(*args, columns=120).stdout
    assert re.search(r"^bill-2025-05-10-installment-1 +2025-06-10 ", wide, re.M)


def test_an_items_days_past_due_are_shown_with_its_status(tmp_path: Path) -> None:
    """An item past due says for how long in its status, in either language."""
    path = account_file(tmp_path)
    en = invoke("assess", path, "--as-of", "2025-03-14").stdout
    assert re.search(r"^bill-2025-03-10 .* overdue, 4 days$", en, re.M)
    zh = invoke("assess", path, "--as-of", "2025-03-14", "--lang", "zh_CN").stdout
    assert re.search(r"^bill-2025-03-10 .* 逾期（4天）$", zh, re.M)


def test_provider_file_cannot_replace_an_installed_provider(tmp_path: Path) -> None:
    """A provider file whose id is already registered exits 2 naming the file and the id."""
    path = provider_file(tmp_path, "generic")
    result = invoke("assess", account_file(tmp_path), "--provider-file", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: provider id 'generic' is already registered")
    assert "@ $.provider.id" in result.stderr


def test_bad_provider_file_is_reported_like_an_account_file(tmp_path: Path) -> None:
    """An invalid provider file exits 2 with its file name and JSON path."""
    path = tmp_path / "bad.toml"
    path.write_text(PROVIDER.format(id="acme").replace('grade = "B"', 'grade = "E"'), "utf-8")
    result = invoke("assess", account_file(tmp_path), "--provider-file", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: ")
    assert "$.policy.penalty_daily_rate" in result.stderr


def test_provider_file_reaches_every_command(tmp_path: Path) -> None:
    """--provider-file works for report, explain, plan and compare, not only assess."""
    path = account_file(tmp_path, provider="acme")
    provider = provider_file(tmp_path)
    for command, *options in (
        ("report", "--lang", "en"),
        ("explain",),
        ("plan", "--capacity", "300"),
        ("compare", "--scenario", "pay 2025-03-12 1000"),
    ):
        result = invoke(
            command, path, "--as-of", "2025-03-14", *options, "--provider-file", provider
        )
        assert result.exit_code == 0, (command, result.output)
    plan = invoke("plan", path, "--as-of", "2025-03-14", "--provider-file", provider, columns=200)
    assert "pay to 示例贷 Acme Loans only" in plan.output


def test_the_group_registry_is_the_one_every_command_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry the group loads is passed down: no stage fetches the global one."""
    acme = creditrules.load_provider(provider_file(tmp_path))
    registry = creditrules.get_registry().with_providers(acme, origin="a test registry")
    cli = build_cli()
    monkeypatch.setattr(_commands, "get_registry", lambda **_: registry)
    assert "acme" not in creditrules.get_registry().providers  # the global registry lacks it
    path = account_file(tmp_path, provider="acme")
    for command, *options in (
        ("assess", "--json"),
        ("assess", "--lang", "zh_CN"),
        ("report", "--json"),
        ("explain", "--all"),
        ("plan", "--capacity", "300", "--json"),
        ("compare", "--scenario", "pay 2025-03-12 1000", "--json"),
    ):
        result = invoke(command, path, "--as-of", "2025-03-14", *options, cli=cli)
        assert result.exit_code == 0, (command, result.output)
    shown = invoke("providers", "acme", cli=cli, columns=200)
    assert "from a test registry" in shown.output


def test_build_cli_leaves_the_core_group_alone() -> None:
    """Plugins' commands go on the group build_cli returns, never on the module's core group."""
    with registry_override(registry_with(AddsCommand())):
        cli = build_cli()
    assert "hello" in cli.commands
    assert "hello" not in _commands.cli.commands
    assert set(_commands.cli.commands) <= set(cli.commands)


def test_plugins_lists_the_generic_plugin() -> None:
    """`plugins` lists the built-in plugin with its distribution, hooks and providers."""
    result = invoke("plugins")
    assert result.exit_code == 0, result.output
    assert "creditrules.default_plugins.generic" in result.output
    assert "providers: generic" in result.output
    assert "hooks: register_providers" in result.output


def test_plugins_json_parses() -> None:
    """`plugins --json` is a JSON list of plugin records."""
    result = invoke("plugins", "--json")
    assert result.exit_code == 0, result.output
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    generic = plugins["creditrules.default_plugins.generic"]
    assert generic["distribution"] == "creditrules"
    assert generic["providers"] == ["generic"]
    assert generic["error"] == ""


def test_plugins_shows_failures(tmp_path: Path) -> None:
    """A plugin that failed to load is listed with its error."""
    broken = creditrules.PluginInfo(
        name="broken", distribution="creditrules-broken", version="1.0", error="failed to import"
    )
    registry = attrs.evolve(
        creditrules.get_registry(), plugins=[*creditrules.get_registry().plugins, broken]
    )
    with registry_override(registry):
        result = invoke("plugins")
    assert result.exit_code == 0, result.output
    assert "failed: failed to import" in result.output
    assert "1 failed" in result.output


def test_rules_lists_phases_with_their_mechanics() -> None:
    """`rules` lists the phases in run order with their mechanics under them."""
    result = invoke("rules")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    replay = next(i for i, line in enumerate(lines) if "timeline.replay" in line)
    assert lines[replay].split()[0].isdigit()
    assert "[creditrules]" in lines[replay]
    assert any("· penalty.accrual" in line for line in lines[replay:])
    assert "creditrules conventions A.4" in result.output


def test_rules_json_parses() -> None:
    """`rules --json` gives each rule's order, kind, phase, citation and origin."""
    result = invoke("rules", "--json")
    assert result.exit_code == 0, result.output
    rules = {r["id"]: r for r in json.loads(result.stdout)}
    assert rules["items.bills"]["order"] == 1
    assert rules["timeline.replay"]["kind"] == "phase"
    assert rules["penalty.accrual"] == {
        "order": None,
        "id": "penalty.accrual",
        "kind": "mechanic",
        "part_of": "timeline.replay",
        "description": creditrules.CORE_RULES["penalty.accrual"].description,
        "citation": creditrules.policy.convention("A.4"),
        "origin": "creditrules",
    }


def test_providers_lists_and_shows_providers() -> None:
    """`providers` lists the installed providers; `providers ID` shows one."""
    listed = invoke("providers")
    assert listed.exit_code == 0, listed.output
    assert "通用 Generic" in listed.output
    shown = invoke("providers", "generic")
    assert shown.exit_code == 0, shown.output
    assert "No policy values of its own" in shown.output
    data = json.loads(invoke("providers", "generic", "--json").stdout)
    assert data["id"] == "generic"
    assert data["policy"] == []
    assert [t["locale"] for t in data["translations"]] == ["zh_CN"]
    assert data["translations"][0]["text"] == data["description"]


def test_providers_unknown_id_exits_2() -> None:
    """`providers ID` with an unknown id exits 2 and suggests the closest."""
    result = invoke("providers", "generi")
    assert result.exit_code == 2
    assert "did you mean 'generic'?" in result.stderr


class AddsCommand:
    """A plugin adding a ``hello`` command."""

    @creditrules.hookimpl
    def register_commands(self, cli: click.Group) -> None:
        """Add ``hello``."""

        @cli.command()
        def hello() -> None:
            click.echo("hello from a plugin")


class RaisesInCommands:
    """A plugin whose ``register_commands`` raises."""

    @creditrules.hookimpl
    def register_commands(self, cli: Any) -> None:
        """Fail."""
        raise RuntimeError("boom")


def registry_with(*plugins: object) -> Registry:
    manager = pluggy.PluginManager("creditrules")
    manager.add_hookspecs(hookspecs)
    for plugin in plugins:
        manager.register(plugin, name=type(plugin).__name__)
    return attrs.evolve(creditrules.get_registry(), manager=manager)


def test_plugins_add_commands() -> None:
    """A plugin's register_commands hook adds a command to the group."""
    with registry_override(registry_with(AddsCommand())):
        result = invoke("hello")
    assert result.exit_code == 0, result.output
    assert result.output == "hello from a plugin\n"


def test_plugin_raising_in_register_commands_is_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A plugin raising in register_commands is warned about; the others' commands work."""
    with registry_override(registry_with(AddsCommand(), RaisesInCommands())):
        cli = build_cli()
        assert "RaisesInCommands" in capsys.readouterr().err
        result = invoke("hello", cli=cli)
        assert result.exit_code == 0, result.output
        strict = invoke("--strict", "hello", cli=cli)
    assert strict.exit_code == 2
    assert "boom" in strict.stderr


def test_version() -> None:
    """--version prints the package version."""
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"creditrules {creditrules.__version__}\n"


def test_python_dash_m_runs_the_cli() -> None:
    """`python -m creditrules` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "creditrules", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"creditrules {creditrules.__version__}\n"


@pytest.mark.parametrize("module", ["click", "rich"])
def test_missing_click_or_rich_says_how_to_install(module: str) -> None:
    """Without the cli extra, the command prints one line with the pip command and exits 2."""
    code = f"import sys; sys.modules[{module!r}] = None; from creditrules.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "assess", "x.toml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert f"({module} is missing)" in done.stderr
    assert "pip install 'creditrules[cli]'" in done.stderr


def test_main_runs_the_group(capsys: pytest.CaptureFixture[str]) -> None:
    """main(argv) runs the command line and exits with its status."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"creditrules {creditrules.__version__}\n"


def test_report_command(tmp_path: Path) -> None:
    """`report` prints the simulated credit report, and JSON with --json."""
    path = account_file(tmp_path)
    result = invoke("report", path, "--as-of", "2025-04-30")
    assert result.exit_code == 0, result.output
    assert "2025" in result.output
    data = json.loads(invoke("report", path, "--as-of", "2025-04-30", "--json").stdout)
    assert data["months"]["2025-03"] == "M"


# --- languages, layout and the printable page -------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "cli"
#: The as-of date each example is shown at (those of its own comments and the docs).
AS_OF = {
    "fenqile": "2025-08-31",
    "generic-loan": "2025-06-30",
    "generic-revolving": "2025-04-30",
    "huabei": "2025-06-30",
    "jiebei": "2025-06-30",
    "tutorial": "2025-04-30",
}
#: The commands run on each example (name, arguments after the file); ``{as_of}`` is the
#: example's as-of date.
EXAMPLE_COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("report", ("report",)),
    ("assess", ("assess",)),
    ("explain", ("explain", "--all")),
    ("plan", ("plan", "--capacity", "800")),
    (
        "compare",
        (
            "compare",
            "--scenario",
            "part: pay {as_of} 500.00",
            "--scenario",
            "all: pay {as_of} 5000.00",
        ),
    ),
)
#: The commands run once.
OTHER_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("rules",),
    ("plugins",),
    ("providers",),
    *(("providers", name) for name in ("generic", "huabei", "jiebei", "fenqile")),
)
#: URLs, file paths and dotted names: not words.
_NOT_WORDS = re.compile(
    r"\bcreditrules(?: [a-z-]+)(?: [A-Z]+\b| --?[a-z-]+)*|"  # a command to type
    r"(?:https?://|www\.)\S+|\S*[/\\#]\S*|\S+\.(?:com|cn|html?|org|io|md)\b\S*"
)
_WORD = re.compile(r"[(\[\"'“‘]*([A-Za-z][a-z]+|[A-Z]{2,}|a|I)[)\]\"'”’,.;:!?]*")


def english_sentences(text: str, own: frozenset[str] = frozenset()) -> list[str]:
    """The runs of three or more English words in ``text``: English left in a Chinese text.

    Ids, codes and policy names (``penalty_daily_rate``, ``huabei.bill_installment``),
    amounts, dates, URLs and file paths are not words; a Chinese character or mark
    ends a run, so a name such as ``花呗 Huabei`` is never one. A run made only of
    ``own`` words (those of the account file's own texts, shown as the user wrote
    them) is not English left by creditrules.
    """
    found = []
    for line in text.splitlines():
        line = _NOT_WORDS.sub(" ", line)
        for segment in re.split(r"[^\x00-\x7f]+", line):
            run: list[str] = []
            for token in [*segment.split(), ""]:
                if token and _WORD.fullmatch(token):
                    run.append(token)
                    continue
                if len(run) >= 3 and not {_WORD.fullmatch(w)[1] for w in run} <= own:  # type: ignore[index]
                    found.append(" ".join(run))
                run = []
    return found


def _example_ids() -> list[str]:
    return sorted(path.stem for path in EXAMPLES.glob("*.toml"))


def _example_path(name: str) -> str:
    """The example's file; skipped when its provider's plugin is not installed."""
    path = EXAMPLES / f"{name}.toml"
    provider = _provider_of(path)
    if provider not in creditrules.get_registry().providers:
        pytest.skip(f"the {provider} plugin is not installed")
    return str(path)


def _provider_of(path: Path) -> str:
    match = re.search(r'^provider\s*=\s*"([^"]+)"', path.read_text(encoding="utf-8"), re.M)
    assert match, path
    return match.group(1)


def _runs() -> list[tuple[str, tuple[str, ...]]]:
    """(snapshot name, arguments) of every command on every example, and the others."""
    runs = [
        (
            f"{name}-{example}",
            (
                command[0],
                str(EXAMPLES / f"{example}.toml"),
                "--as-of",
                AS_OF[example],
                *(arg.format(as_of=AS_OF[example]) for arg in command[1:]),
            ),
        )
        for example in _example_ids()
        for name, command in EXAMPLE_COMMANDS
    ]
    runs += [("-".join(command), command) for command in OTHER_COMMANDS]
    return runs


def _run(args: tuple[str, ...], lang: str) -> str:
    if len(args) > 1 and args[1].endswith(".toml"):
        _example_path(Path(args[1]).stem)
    if args[0] == "providers" and args[1:2] and args[1] not in creditrules.get_registry().providers:
        pytest.skip(f"the {args[1]} plugin is not installed")
    result = invoke(*args, "--lang", lang)
    assert result.exit_code == 0, result.output
    return result.stdout


def _own_words(args: tuple[str, ...]) -> frozenset[str]:
    """The words of the texts of the account file a command runs on (the user's words)."""
    if len(args) < 2 or not args[1].endswith(".toml"):
        return frozenset()
    words: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, str):
            words.update(re.findall(r"[A-Za-z]+", value))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(loads_toml(Path(args[1]).read_text(encoding="utf-8")))
    return frozenset(words)


def test_every_example_has_an_as_of_date() -> None:
    """The language and layout tests cover every example file."""
    assert sorted(AS_OF) == _example_ids()


@pytest.mark.parametrize(("name", "args"), _runs(), ids=[name for name, _ in _runs()])
def test_chinese_output_has_no_english_sentence(name: str, args: tuple[str, ...]) -> None:
    """With --lang zh_CN no English is printed but ids, codes, URLs and the account's texts."""
    text = _run(args, "zh_CN")
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert english_sentences(text, _own_words(args)) == []


def test_the_english_detector_finds_english() -> None:
    """The detector flags an English phrase, and lets ids, URLs, paths and names pass."""
    assert english_sentences("罚息 the bill is past due 2025-03-10") == ["the bill is past due"]
    assert english_sentences("规则 penalty.accrual：penalty_daily_rate = 0.0005") == []
    assert english_sentences("见 https://example.com/a/b c d e 与 docs/x.md#a-b") == []
    assert (
        english_sentences("花呗 Huabei · 循环授信，来自 creditrules.default_plugins.generic") == []
    )
    assert english_sentences("PBOC Credit Reference Center") == ["PBOC Credit Reference Center"]
    own = frozenset({"my", "contract", "clause"})
    assert english_sentences("[1] my contract clause（逾期费）", own) == []
    assert english_sentences("see my contract clause", own) == ["see my contract clause"]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize(("name", "args"), _runs(), ids=[name for name, _ in _runs()])
def test_output_at_80_columns_matches_its_snapshot(
    name: str, args: tuple[str, ...], lang: str
) -> None:
    """At 80 columns no line is wider than 80 cells (CJK counts two) or ends in spaces.

    The text is compared with ``tests/snapshots/cli/NAME.LANG.txt``; run with
    ``CREDITRULES_UPDATE_SNAPSHOTS=1`` to write the snapshots again after a deliberate change.
    """
    from rich.cells import cell_len

    text = _run(args, lang)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert [line for line in lines if line != line.rstrip()] == []
    snapshot = SNAPSHOTS / f"{name}.{lang}.txt"
    if os.environ.get("CREDITRULES_UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), (
        f"no snapshot {snapshot.name}: run with CREDITRULES_UPDATE_SNAPSHOTS=1"
    )
    assert text == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("env", "chinese"),
    [
        ({"LANG": "zh_CN.UTF-8"}, True),
        ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, False),
        ({"LANG": "en_US.UTF-8"}, False),
        ({"CREDITRULES_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, True),
        ({"CREDITRULES_LANG": "en", "LANG": "zh_CN.UTF-8"}, False),
        ({}, False),
    ],
)
def test_the_language_comes_from_the_environment(
    tmp_path: Path, env: dict[str, str | None], chinese: bool
) -> None:
    """Without --lang: CREDITRULES_LANG, then LC_ALL/LC_MESSAGES/LANG (zh* → zh_CN), then en."""
    result = invoke("report", account_file(tmp_path), "--as-of", "2025-04-30", env=env)
    assert result.exit_code == 0, result.output
    assert ("还款记录" in result.stdout) is chinese
    assert ("Repayment status" in result.stdout) is not chinese


def test_lang_option_beats_the_environment(tmp_path: Path) -> None:
    """--lang wins over CREDITRULES_LANG and the system locale."""
    env: dict[str, str | None] = {"CREDITRULES_LANG": "zh_CN", "LANG": "zh_CN.UTF-8"}
    result = invoke("report", account_file(tmp_path), "--lang", "en", env=env)
    assert result.exit_code == 0, result.output
    assert "Repayment status" in result.stdout


def test_unknown_creditrules_lang_is_blamed_on_the_variable(tmp_path: Path) -> None:
    """A CREDITRULES_LANG naming no catalogue is a usage error naming the variable."""
    result = invoke("rules", env={"CREDITRULES_LANG": "fr"})
    assert result.exit_code == 2
    assert "CREDITRULES_LANG='fr'" in result.output
    assert "available: en, zh_CN" in result.output
    assert "--lang" not in result.output
    assert invoke("rules", "--lang", "en", env={"CREDITRULES_LANG": "fr"}).exit_code == 0


def test_every_command_takes_lang() -> None:
    """Every command of the core has a --lang option."""
    for name, command in build_cli().commands.items():
        if command.callback is not None and command.callback.__module__ == _commands.__name__:
            assert "--lang" in [o for p in command.params for o in p.opts], name


def test_errors_are_in_the_chosen_language(tmp_path: Path) -> None:
    """A usage error the command line words itself follows --lang."""
    result = invoke("compare", account_file(tmp_path), "--lang", "zh_CN")
    assert result.exit_code == 2
    assert "请至少给出一个 --scenario" in result.output


def test_report_html_page(tmp_path: Path) -> None:
    """`report --html` writes one self-contained page: every month coloured, records, actions."""
    from html.parser import HTMLParser

    from creditrules._render.html import CODE_COLOURS

    out = tmp_path / "r.html"
    path = _example_path("huabei")
    result = invoke("report", path, "--as-of", "2025-06-30", "--html", str(out), "--lang", "zh_CN")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    cells: dict[str, tuple[str, str]] = {}
    tags: set[str] = set()

    class Cells(HTMLParser):
        def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
            tags.add(tag)
            values = dict(attributes)
            if tag in ("script", "link", "img", "iframe"):
                raise AssertionError(f"<{tag}> fetches or runs something")
            if values.get("data-month"):
                cells[values["data-month"] or ""] = (
                    values["data-code"] or "",
                    values["style"] or "",
                )

    Cells().feed(page)
    report = creditrules.assess(
        creditrules.load_account(path), as_of=datetime(2025, 6, 30).date()
    ).report
    assert report is not None
    assert set(cells) == set(report.months)  # every month of the 60
    for month, (code, style) in cells.items():
        assert code == report.months[month]
        background, colour = CODE_COLOURS[code]
        assert f"background:{background}" in style and f"color:{colour}" in style
    assert "url(" not in page and "@import" not in page and "http" not in page.split("<body>")[0]
    assert "还款记录（最近60个月）" in page and "不良记录" in page and "建议采取的行动" in page
    assert '<html lang="zh-CN">' in page and "@page { size: A4" in page
    assert "还款记录" in result.stdout  # the terminal view as well


def test_report_html_escapes_account_text(tmp_path: Path) -> None:
    """Text from the account file is escaped in the page."""
    text = ACCOUNT.format(provider="generic", amount='"1002.50"').replace(
        'id = "demo"', 'id = "<script>alert(1)</script>"'
    )
    out = tmp_path / "r.html"
    result = invoke("report", account_file(tmp_path, text=text), "--html", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_html_in_english_lists_the_actions(tmp_path: Path) -> None:
    """The English page has the grid, the records with their dates and the actions."""
    out = tmp_path / "r.html"
    result = invoke(
        "report",
        account_file(tmp_path, amount='"1.00"'),
        "--as-of",
        "2025-06-30",
        "--html",
        str(out),
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Repayment status, latest 60 months" in page
    assert "Negative records" in page and "never (unpaid)" in page
    assert "Recommended actions" in page and "Check your credit report" in page


def test_report_html_screenshot(tmp_path: Path) -> None:
    """Where a headless Chromium is installed, the page renders to a PNG."""
    import shutil

    browser = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if browser is None:
        pytest.skip("no headless Chromium installed")
    out = tmp_path / "r.html"
    assert invoke("report", account_file(tmp_path), "--html", str(out)).exit_code == 0
    png = tmp_path / "r.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--screenshot={png}",
            "--window-size=794,1123",
            out.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_reference_documents_every_command_and_option() -> None:
    """docs/reference/cli.md has a section for every core command naming each of its options."""
    reference = (Path(__file__).resolve().parents[1] / "docs" / "reference" / "cli.md").read_text(
        encoding="utf-8"
    )
    sections = {
        title: body
        for title, body in re.findall(r"^## ([a-z-]+)\n(.*?)(?=^## |\Z)", reference, re.M | re.S)
    }
    for name, command in _commands.cli.commands.items():
        assert name in sections, f"docs/reference/cli.md has no '## {name}'"
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in sections[name], f"{name} {option} is not documented"
    for status in ("| 0 |", "| 1 |", "| 2 |"):
        assert status in reference
