"""plan and compare in Chinese: every action, plan and comparison text through the catalogues.

The planner's texts are :class:`~creditrules.remediation.Phrase` values: their English text
(what ``to_json`` writes, unchanged) that can be written in any locale. These tests render
every action of the catalogue, negotiated plans and comparisons in zh_CN and find no English
sentence in them (the detector of ``tests/test_cli.py``), check the layout at 80 columns, and
check that a plugin's own words keep working.
"""

from __future__ import annotations

import gettext
import importlib.util
import inspect
import io
import json
import pickle
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

click = pytest.importorskip("click")
pytest.importorskip("rich")

from rich.cells import cell_len  # noqa: E402
from rich.console import Console, RenderableType  # noqa: E402

import creditrules  # noqa: E402
from creditrules import (  # noqa: E402
    Account,
    Assessment,
    Bill,
    LoanTerms,
    Payment,
    PolicyValue,
    ReportedMonth,
    assess,
    hookimpl,
    plan_negotiation,
)
from creditrules._i18n import N_, Messages  # noqa: E402
from creditrules._plugins import get_registry, reset_registry  # noqa: E402
from creditrules._render.cjk import break_offsets  # noqa: E402
from creditrules._render.remediation import (  # noqa: E402
    no_plan_note,
    render_actions,
    render_plan,
)
from creditrules.remediation import CATALOGUE, Action, Effect, Phrase, localized  # noqa: E402

ZH = Messages("zh_CN")
EN = Messages("en")
RATE = PolicyValue("penalty_daily_rate", "0.0005", source="contract §7", grade="A")


def _load_test_cli() -> ModuleType:
    """tests/test_cli.py, for its English detector, runner, examples and as-of dates."""
    name = "creditrules_tests_test_cli"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("test_cli.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


CLI = _load_test_cli()
english_sentences = CLI.english_sentences


def _render(renderable: RenderableType, width: int = 80) -> str:
    """Lay out a renderable as the CLI does when piped: no colour, lines right-stripped."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, markup=False).print(
        renderable
    )
    return "\n".join(line.rstrip() for line in out.getvalue().split("\n"))


def _check_chinese(text: str, width: int = 80) -> None:
    assert any("\u4e00" <= c <= "\u9fff" for c in text)
    assert english_sentences(text) == []
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width, text
    assert [line for line in lines if line != line.rstrip()] == []


# --------------------------------------------------------------------------- every action


def _policy(name: str, value: Any) -> PolicyValue:
    return PolicyValue(name, value, source="contract", grade="A")


def _revolving(*bills: Bill, payments: tuple[Payment, ...] = (), **extra: Any) -> Account:
    return Account(
        id="card",
        provider="generic",
        product="revolving",
        opened_on=extra.pop("opened_on", date(2024, 1, 5)),
        bills=bills or (Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00"),),
        payments=payments,
        policy=extra.pop("policy", (RATE,)),
        **extra,
    )


def _loan() -> Account:
    return Account(
        id="loan",
        provider="generic",
        product="installment",
        opened_on=date(2025, 1, 15),
        loan=LoanTerms("12000.00", 12, "equal_installment", date(2025, 1, 15), daily_rate="0.0004"),
        policy=(
            _policy("penalty_rate_multiplier", "1.5"),
            _policy("penalty_base", "unpaid_principal"),
            _policy("overpayment", "prepay"),
        ),
        payments=[Payment(date(2025, 2, 14), "1079.71")],
    )


def _assessments() -> Iterator[Assessment]:
    """Assessments that, together, have every action of the catalogue."""
    yield assess(_revolving(policy=(RATE, _policy("grace_days", 3))), as_of=date(2025, 3, 12))
    yield assess(_revolving(), as_of=date(2025, 3, 20))  # overdue, before the report
    yield assess(_revolving(policy=()), as_of=date(2025, 3, 20))  # the penalty rate unknown
    yield assess(_loan(), as_of=date(2025, 3, 20))  # pay off
    yield assess(
        _revolving(Bill(date(2025, 9, 1), date(2025, 9, 10), "1000.00")), date(2026, 2, 10)
    )
    yield assess(  # ended: expiry (hidden by the relief), statement, report check
        _revolving(payments=(Payment(date(2025, 5, 20), "1035.50"),)), date(2025, 8, 31)
    )
    yield assess(  # ended long before the relief: deleted after 5 years
        _revolving(
            Bill(date(2019, 3, 1), date(2019, 3, 10), "1000.00"),
            payments=(Payment(date(2019, 5, 20), "1035.50"),),
            opened_on=date(2018, 1, 5),
        ),
        date(2020, 8, 31),
    )
    yield assess(  # a discrepancy with the real report
        _revolving(
            payments=(Payment(date(2025, 3, 9), "1000.00"),),
            reported=(ReportedMonth("2025-03", "1"), ReportedMonth("2025-02", "N")),
        ),
        as_of=date(2025, 4, 30),
    )
    if "huabei" in get_registry().providers:
        huabei = Account(
            id="hb",
            provider="huabei",
            product="revolving",
            opened_on=date(2024, 1, 5),
            bills=[Bill(date(2025, 5, 1), date(2025, 5, 10), "3000.00")],
            reported=(ReportedMonth("2025-04", "1"),),  # disputed with Huabei's reporter
        )
        yield assess(huabei, as_of=date(2025, 5, 3))


def test_every_action_is_written_in_chinese() -> None:
    """Every code of the catalogue, in every variant planned here, has no English in zh_CN."""
    seen: set[str] = set()
    for assessment in _assessments():
        seen |= {action.code for action in assessment.actions}
        _check_chinese(_render(render_actions(assessment, ZH)))
        for action in assessment.actions:  # and each text alone, at any width
            for text in (action.title, action.effect.text, *action.steps):
                assert english_sentences(localized(text, ZH)) == [], text
            for citation in action.citations:
                assert english_sentences(localized(citation.text, ZH)) == [], citation.text
                assert english_sentences(ZH.source(citation.source)) == [], citation.source
    expected = set(CATALOGUE)
    if "huabei" not in get_registry().providers:
        expected.discard("convert_to_installments")
    assert seen == expected


def test_english_is_the_value_and_the_rendering() -> None:
    """An action's texts are their English words: as values, in JSON and rendered in English."""
    result = assess(_revolving(), as_of=date(2025, 3, 20))
    action = result.actions[0]
    assert action.title == "Pay 1,005.00 past due today, penalty included"
    assert isinstance(action.title, Phrase) and localized(action.title, EN) == action.title
    assert localized(action.title, ZH) == "今天还清逾期欠款1,005.00元（含罚息）"
    data = json.loads(creditrules.to_json(result.actions))
    assert data[0]["title"] == action.title and data[0]["steps"] == list(action.steps)
    assert creditrules.from_dict(Assessment, creditrules.to_dict(result)) == result
    english = _render(render_actions(result))
    assert "Compared with paying nothing more until 2025-03-31" in english
    assert "[A] 征信业管理条例 (国务院令第631号) Art. 16" in english


def test_chinese_sources_are_cited_in_legal_style() -> None:
    """Sources read 《征信业管理条例》（国务院令第631号）第十六条 with their grade in words."""
    result = assess(_revolving(), as_of=date(2025, 3, 20))
    text = _render(render_actions(result, ZH))
    assert "《征信业管理条例》（国务院令第631号）第十六条（可信度 A）" in text
    assert "creditrules 计算约定 A.6" in text
    assert "Art." not in text


# --------------------------------------------------------------------------- plans


def _plan_accounts() -> Iterator[tuple[Account, dict[str, Any]]]:
    debt = _revolving(Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00"))
    yield debt, {"capacity": "1100"}
    yield debt, {"capacity": "500", "down_payment": "1000", "start": date(2025, 4, 20)}
    yield debt, {"capacity": "20"}  # more than 60 months would be needed: not feasible
    known = _revolving(
        Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00"),
        policy=(
            RATE,
            _policy("negotiation_max_term_months", 1),
            _policy("negotiation_penalty_stops", True),
        ),
    )
    yield known, {"capacity": "100"}
    stops_not = _revolving(policy=(RATE, _policy("negotiation_penalty_stops", False)))
    yield stops_not, {"capacity": "300"}


@pytest.mark.parametrize("index", range(5))
def test_negotiated_plans_are_written_in_chinese(index: int) -> None:
    """Plans with and without a down payment, infeasible, with a known policy: all Chinese."""
    account, options = list(_plan_accounts())[index]
    plan = plan_negotiation(account, as_of=date(2025, 4, 10), **options)
    text = _render(render_plan(plan, ZH))
    _check_chinese(text)
    assert "协商还款方案" in text and "准备事项" in text
    english = _render(render_plan(plan), width=200)
    assert "Negotiated repayment plan (协商还款) to propose" in english
    if not plan.feasible:
        assert "即使按最长期限" in text


def test_a_refused_plan_says_why_in_chinese() -> None:
    """plan_negotiation's refusals are Phrases: English messages, Chinese in the CLI's note."""
    paid = _revolving(payments=(Payment(date(2025, 3, 9), "1000.00"),))
    debt = _revolving()
    refusals: list[tuple[Account, dict[str, Any], str]] = [
        (paid, {"capacity": "100"}, "nothing is owed on 2025-04-10: no plan is needed"),
        (debt, {"capacity": "100", "down_payment": "5000"}, "after the down payment"),
        (debt, {"capacity": "0"}, "capacity must be greater than 0"),
        (debt, {"capacity": "10", "start": date(2025, 4, 1)}, "is before as_of"),
    ]
    for account, options, english in refusals:
        with pytest.raises(ValueError, match=english) as caught:
            plan_negotiation(account, as_of=date(2025, 4, 10), **options)
        note = no_plan_note(caught.value, ZH)
        assert note.startswith("无法生成还款方案") and english_sentences(note) == [], note
        assert english in no_plan_note(caught.value)
    assert no_plan_note(ValueError("a plugin's reason"), ZH).endswith("a plugin's reason。")


# --------------------------------------------------------------------------- the commands


def _examples() -> list[str]:
    return sorted(CLI.AS_OF)


def _zh(*args: str) -> str:
    result = CLI.invoke(*args, "--lang", "zh_CN")
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.mark.parametrize("name", _examples())
def test_plan_of_every_example_in_chinese(name: str) -> None:
    """`plan EXAMPLE --lang zh_CN`, with and without a plan to propose, at 80 columns."""
    path = CLI._example_path(name)
    as_of = CLI.AS_OF[name]
    _check_chinese(_zh("plan", path, "--as-of", as_of))
    for extra in (("--capacity", "300"), ("--capacity", "300", "--down-payment", "50")):
        text = _zh("plan", path, "--as-of", as_of, *extra)
        _check_chinese(text)
        assert "协商还款方案" in text or "无法生成还款方案" in text


@pytest.mark.parametrize("name", _examples())
def test_compare_of_every_example_in_chinese(name: str) -> None:
    """`compare EXAMPLE --lang zh_CN` with a payment now and one after the date: Chinese."""
    path = CLI._example_path(name)
    as_of = CLI.AS_OF[name]
    args = (
        "compare",
        path,
        "--as-of",
        as_of,
        "--scenario",
        f"pay {as_of} 100",
        "--scenario",
        "later: pay 2099-01-01 50; waive penalty 2099-01-01 1",
    )
    text = _zh(*args)
    _check_chinese(text)
    assert "现状" in text and "情景" in text and "未计入" in text
    data = json.loads(CLI.invoke(*args, "--json").stdout)
    for row in data["rows"]:  # no column is cut at 80 columns
        assert (row["clean_on"] or "未还清") in text and row["paid"] in text.replace(",", "")


def test_plan_at_several_dates_in_chinese() -> None:
    """The examples' plans at dates where they are overdue, in grace, relieved or ended."""
    dates = ("2025-03-05", "2025-03-25", "2025-05-25", "2025-11-30", "2026-02-15")
    codes: set[str] = set()
    for name in _examples():
        path = CLI._example_path(name)
        for day in dates:
            result = CLI.invoke("plan", path, "--as-of", day, "--lang", "zh_CN")
            if result.exit_code:  # before the account opened
                continue
            _check_chinese(result.stdout)
            data = json.loads(CLI.invoke("plan", path, "--as-of", day, "--json").stdout)
            codes |= {action["code"] for action in data["actions"]}
    assert {"pay_overdue_now", "one_time_relief", "negotiate_plan"} <= codes


# --------------------------------------------------------------------------- plugins' words


class WordsPlugin:
    """A third-party plugin: one action in plain English, one with its own Chinese."""

    @hookimpl
    def provider_actions(self, assessment: Assessment) -> list[Action] | None:
        """Two actions for any overdue account."""
        if assessment.current_episode is None:
            return None
        return [
            Action(code="test.plain", title="Call the hardship line", effect=Effect("It helps.")),
            Action(
                code="test.translated",
                title=Phrase(
                    "Call {name} before {date}",
                    translations={"zh_CN": "在{date}前致电{name}"},
                    name="Acme 贷",
                    date=date(2025, 4, 1),
                ),
                effect=Effect(Phrase(N_("paying nothing more"))),
            ),
        ]


@pytest.fixture
def words_plugin() -> Iterator[None]:
    """A registry with the plugin above."""
    get_registry(extra=(("words", WordsPlugin()),))
    yield
    reset_registry()


def test_a_plugins_own_words_are_kept(words_plugin: None) -> None:
    """A plugin's plain text stays English in Chinese; its own translation is used."""
    result = assess(_revolving(), as_of=date(2025, 3, 20))
    text = _render(render_actions(result, ZH), width=200)
    assert "Call the hardship line" in text and "It helps." in text
    assert "在2025年4月1日前致电Acme 贷" in text and "来自插件 words" in text
    assert "不再还款" in text  # a plugin may use creditrules' own messages
    assert "Call Acme 贷 before 2025-04-01" in _render(render_actions(result), width=200)


# --------------------------------------------------------------------------- Phrase


def test_phrases_are_frozen_strings_that_pickle() -> None:
    """A Phrase is its English text; it pickles (batch workers) and cannot be changed."""
    phrase = Phrase(
        N_("{n} negative month fewer on the credit report"),
        plural="{n} negative months fewer on the credit report",
        n=2,
    )
    assert phrase == "2 negative months fewer on the credit report"
    assert hash(phrase) == hash(str(phrase)) and repr(phrase) == repr(str(phrase))
    assert phrase.text(ZH) == "信用报告上的不良月份少2个"
    again = pickle.loads(pickle.dumps(phrase))
    assert isinstance(again, Phrase) and again.text(ZH) == phrase.text(ZH)
    with pytest.raises(AttributeError):
        phrase.message = "x"
    with pytest.raises(ValueError, match="integer value n"):
        Phrase("{n} days", plural="{n} days")
    with pytest.raises(TypeError, match="bool"):
        Phrase("{flag}", flag=True)
    with pytest.raises(ValueError, match="does not format with the values"):
        Phrase("Call {name}", translations={"zh_CN": "致电{who}"}, name="Acme")
    own = Phrase("Call {name}", translations={"zh-CN": "致电{name}"}, name="Acme")
    assert (own, own.text(ZH)) == ("Call Acme", "致电Acme")
    joined = Phrase.join([Phrase(N_("today")), "ok."], "sentences")
    assert (joined, joined.text(ZH)) == ("today ok.", "今天ok.")
    money = Phrase(N_("amount {amount}"), amount=Decimal("1234.5"))
    assert (money, money.text(ZH)) == ("amount 1,234.50", "金额1,234.50元")


# --------------------------------------------------------------------------- wrapping


@pytest.mark.parametrize("width", [10, 17, 24, 41, 80])
def test_chinese_lines_break_between_characters_not_inside_words(width: int) -> None:
    """Lines fit, keep every character, never start with closing punctuation or split 1,005.00."""
    text = (
        "今天通过债权人自己的App或银行账户向您的债权人（花呗 Huabei）还款1,005.00元："
        "即全部逾期欠款，含计至今天的罚息。见 https://example.com/a/b。"
    )
    lines = [text[a:b] for a, b in break_offsets(text, width)]
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line[0] in "，。、；：）》”" for line in lines[1:])
    if width >= 17:
        assert any("1,005.00" in line for line in lines)
        assert not any(line.endswith("（") for line in lines)


# --------------------------------------------------------------------------- --help and usage errors  # noqa: E501


def _commands() -> list[str]:
    return sorted(CLI.build_cli().commands)


def test_every_help_text_is_in_the_catalogue() -> None:
    """Each command's help and each option's help has a Chinese translation."""
    group = CLI.build_cli()
    texts = [group.help, *(p.help for p in group.params)]
    for command in group.commands.values():
        texts += [command.help, *(getattr(p, "help", None) for p in command.params)]
    missing = [
        text for text in texts if text and ZH._(inspect.cleandoc(text)) == inspect.cleandoc(text)
    ]
    assert missing == []


@pytest.mark.parametrize("command", ["", *_commands()])
@pytest.mark.parametrize(
    "env", [{"CREDITRULES_LANG": "zh_CN"}, {"LANG": "zh_CN.UTF-8"}], ids=["variable", "locale"]
)
def test_help_in_chinese(command: str, env: dict[str, str]) -> None:
    """`creditrules [COMMAND] --help` in a Chinese environment: Chinese, within 80 columns."""
    args = [command, "--help"] if command else ["--help"]
    result = CLI.invoke(*args, env=env)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "用法：" in text and "选项：" in text and "显示此帮助并退出。" in text
    _check_chinese(text)


def test_help_follows_lang_wherever_it_is_and_english_stays_english() -> None:
    """--lang counts even after --help; English help is unchanged by a Chinese run before it."""
    chinese = CLI.invoke("plan", "--help", "--lang", "zh_CN").stdout
    assert "plan [选项] FILE" in chinese and "协商还款方案" in chinese
    english = CLI.invoke("plan", "--help").stdout
    assert "Usage: cli plan [OPTIONS] FILE" in english
    assert "Show this message and exit." in english and "Options:" in english
    assert "What you can pay a month" in english
    assert english_sentences(CLI.invoke("--help", env={"CREDITRULES_LANG": "en"}).stdout)
    assert click.core._ is gettext.gettext  # click's own texts are restored after a run


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("plan",), "缺少参数 'FILE'"),
        (("plan", "x.toml", "--as-of", "2025-13-01"), "月份必须在1到12之间"),
        (("plan", "x.toml", "--as-of", "soon"), "不是日期"),
        (("plan", "x.toml", "--capacity", "-5"), "必须是大于0的金额"),
        (("plan", "x.toml", "--capacty", "5"), "您是不是想用：'--capacity'"),
        (("plan", "x.toml", "--json", "extra"), "多余的参数"),
        (("nonsense",), "没有命令 'nonsense'"),
        (("plan", "missing.toml"), "文件 'missing.toml' 不存在"),
        (
            (
                "compare",
                "x.toml",
                "--scenario",
                "a: pay 2025-01-01 1",
                "--scenario",
                "a: pay 2025-01-02 1",
            ),
            "情景名称不能重复",
        ),
    ],
)
def test_usage_errors_in_chinese(tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    """Usage errors (click's and creditrules') are Chinese with --lang zh_CN, exit status 2."""
    account = tmp_path / "x.toml"
    account.write_text(CLI.ACCOUNT.format(provider="generic", amount='"1000.00"'), encoding="utf-8")
    args = tuple(str(account) if arg == "x.toml" else arg for arg in args)
    result = CLI.invoke(*args, "--lang", "zh_CN")
    assert result.exit_code == 2, result.output
    assert words in result.output and "错误：" in result.output
    assert english_sentences(result.output) == [], result.output


# --------------------------------------------------------------------------- the catalogues


@pytest.mark.parametrize(
    "module", ["remediation.py", "_planner.py", "comparison.py", "_commands.py"]
)
def test_the_planners_messages_are_catalogued(module: str) -> None:
    """Every message of the planner, the comparison and the commands is translated into Chinese.

    (tests/test_i18n.py checks the explanations, rules and renderers the same way.)
    """
    extract = pytest.importorskip("babel.messages.extract")
    path = Path(creditrules.__file__).parent / module
    messages = [m for _, m, _, _ in extract.extract_from_file("python", path)]
    assert messages
    for message in messages:
        singular = message if isinstance(message, str) else message[0]
        if isinstance(message, str):
            assert ZH._(singular) != singular, singular
        else:
            assert ZH.catalog.ngettext(message[0], message[1], 2) != message[1], singular
