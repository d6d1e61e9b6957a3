"""The figures a borrower acts on mean what they say, and every command shows the same ones.

``payoff``, ``overdue``, ``balance``, ``charged`` and the cost so far are defined once
(docs/explanation/conventions.md, "The figures of an assessment"); these tests check the
definitions on every example and golden case, and on generated accounts of every
provider.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditrules import (
    Account,
    Assessment,
    Bill,
    Payment,
    PolicyValue,
    assess,
    dump_account,
    get_registry,
    load_account,
    simulate,
)
from creditrules.assessment import Components
from creditrules.cli import build_cli
from creditrules.comparison import parse_scenario
from creditrules.money import ZERO, format_money, sum_money
from creditrules.testing import strategies as cs
from creditrules.testing.conformance import golden_case_paths, load_golden_case

D = Decimal
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

#: Each example at a date where something is owed (most of them past due).
EXAMPLE_DATES = {
    "fenqile.toml": date(2025, 8, 31),
    "generic-loan.toml": date(2025, 6, 30),
    "generic-revolving.toml": date(2025, 3, 1),
    "huabei.toml": date(2025, 8, 31),
    "jiebei.toml": date(2025, 4, 15),
    "tutorial.toml": date(2025, 3, 20),
}


def _cases() -> list[tuple[str, Account, date]]:
    """Every example (at its date above) and every golden case of the bundled plugins."""
    cases = [
        (name, load_account(EXAMPLES / name), day) for name, day in sorted(EXAMPLE_DATES.items())
    ]
    for directory in sorted((ROOT / "plugins").glob("creditrules-*/tests/golden")):
        for path in golden_case_paths(directory):
            case = load_golden_case(path)
            if case.expect.error is None:
                cases.append((f"{directory.parts[-3]}/{path.name}", case.account, case.as_of))
    return cases


CASES = _cases()
IDS = [name for name, _, _ in CASES]


def test_every_example_has_a_date() -> None:
    """Each example file is checked (a new example needs its date above)."""
    assert {p.name for p in EXAMPLES.glob("*.toml")} == set(EXAMPLE_DATES)


def _account_file(tmp_path: Path, account: Account) -> Path:
    path = tmp_path / "account.toml"
    path.write_text(dump_account(account), encoding="utf-8")
    return path


def _run(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "220"}).invoke(build_cli(), list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _amount(pattern: str, text: str) -> Decimal:
    found = re.search(pattern, text)
    assert found is not None, f"{pattern!r} not in:\n{text}"
    return D(found.group(1).replace(",", ""))


@pytest.mark.parametrize(("name", "account", "as_of"), CASES, ids=IDS)
def test_assess_plan_and_compare_show_the_same_payoff(
    name: str, account: Account, as_of: date, tmp_path: Path
) -> None:
    """The payoff `assess` prints is what `plan` repays everything with and `compare` clears."""
    path = str(_account_file(tmp_path, account))
    day = as_of.isoformat()
    result = assess(account, as_of)
    assert result.payoff is not None
    payoff = _amount(
        rf"To repay everything on {day} \(payoff\): ([\d,.]+)", _run("assess", path, "--as-of", day)
    )
    assert payoff == result.payoff
    for action in result.actions:
        if action.code in ("pay_off", "negotiate_plan"):
            assert action.amount == payoff, action.code
    if payoff > 0:
        plan = _run("plan", path, "--as-of", day, "--capacity", "300")
        assert _amount(rf"repaying everything on {day}: ([\d,.]+)", plan) == payoff
    scenario = f"clear: pay {day} {payoff}" if payoff > 0 else f"clear: pay {day} 0.01"
    table = _run("compare", path, "--as-of", day, "--scenario", scenario)
    rows = {line.split()[0]: line.split() for line in table.splitlines() if line.strip()}
    assert D(rows["as"][5].replace(",", "")) == payoff  # "as is": the name takes two cells
    assert rows["clear"][4] == "0.00" and rows["clear"][5] == "0"  # to clear, DPD


@pytest.mark.parametrize(("name", "account", "as_of"), CASES, ids=IDS)
def test_paying_the_payoff_leaves_nothing_owed(name: str, account: Account, as_of: date) -> None:
    """On every example and golden case, paying the payoff on the as-of date clears the account."""
    _check_payoff(account, as_of, assess(account, as_of))


def _known(account: Account, as_of: date) -> Account:
    """The account as known on ``as_of``: no payments or events after it, no later bills."""
    return Account(
        id=account.id,
        provider=account.provider,
        product=account.product,
        opened_on=account.opened_on,
        bills=tuple(b for b in account.bills if b.statement_date <= as_of),
        loan=account.loan,
        payments=tuple(p for p in account.payments if p.date <= as_of),
        events=tuple(e for e in account.events if e.date <= as_of),
        policy=account.policy,
        reported=account.reported,
        funder=account.funder,
        guarantor=account.guarantor,
        name=account.name,
    )


def _check_payoff(account: Account, as_of: date, result: Assessment) -> None:
    """Paying ``result.payoff`` on ``as_of`` leaves nothing owed and nothing past due."""
    payoff = result.payoff
    assert payoff is not None and payoff >= 0
    if payoff == 0:
        assert result.overdue.total == 0 and result.current_episode is None
        return
    known = _known(account, as_of)
    paid = simulate(known, [Payment(as_of, payoff)], as_of)
    assert paid.overdue.total == 0 and paid.days_past_due == 0
    assert paid.current_episode is None
    assert paid.payoff == 0  # nothing more is needed
    assert paid.balance.total <= paid.credit  # what is not billed yet is paid in advance
    # Later, every installment still to come is covered: nothing falls past due.
    last = max((i.due_date for i in paid.items), default=as_of)
    later = simulate(known, [Payment(as_of, payoff)], max(as_of, last) + timedelta(days=40))
    assert later.balance.total == 0 and later.current_episode is None


def _check_overdue(account: Account, as_of: date, result: Assessment) -> None:
    """Paying ``overdue`` (what the first action asks for) ends the current episode today."""
    episode = result.current_episode
    if episode is None or result.days_past_due == 0:
        return
    paid = simulate(_known(account, as_of), [Payment(as_of, result.overdue.total)], as_of)
    assert paid.current_episode is None and paid.overdue.total == 0
    # The episode ends today — or, paid on the last day of grace, never began.
    assert all(e.end == as_of for e in paid.episodes if e.start == episode.start)


def _check_charged(result: Assessment) -> None:
    """Cost so far = charged beyond principal, and nothing charged is dated after the as-of."""
    charged = result.charged
    assert result.cost == charged.interest + charged.fees + charged.penalty
    # Money adds up: what was charged is paid, waived or still owed.
    waived = Components.sum(i.waived for i in result.items)
    assert charged.total == result.paid.total + waived.total + result.balance.total
    for item in result.items:
        assert all(a.date <= result.as_of for a in item.allocations)
        if item.open_date > result.as_of:  # not billed yet: only its principal is counted
            assert item.paid.total == 0 and item.waived.total == 0
    later = [i for i in result.items if i.open_date > result.as_of]
    billed = Components.sum(i.charged for i in result.items if i.open_date <= result.as_of)
    assert charged.interest == billed.interest and charged.fees == billed.fees
    assert charged.penalty == billed.penalty
    assert result.cost_to_come == sum_money(
        i.charged.interest + i.charged.fees + i.charged.penalty for i in later
    )


@pytest.mark.parametrize(("name", "account", "as_of"), CASES, ids=IDS)
def test_examples_overdue_and_charged_mean_what_they_say(
    name: str, account: Account, as_of: date
) -> None:
    """On every example and golden case: paying overdue ends the episode; charged adds up."""
    result = assess(account, as_of)
    _check_overdue(account, as_of, result)
    _check_charged(result)


PROVIDERS = sorted(get_registry().providers)
FIGURES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_figures_mean_what_they_say_on_every_provider(provider: str) -> None:
    """Generated accounts of any provider: payoff clears, overdue ends episodes, charged adds up."""

    @FIGURES
    @given(cs.accounts(provider=provider, max_items=8), st.data())
    def check(account: Account, data: st.DataObject) -> None:
        as_of = data.draw(cs.as_of_dates(account, max_days_after=200), label="as_of")
        result = assess(account, as_of)
        _check_charged(result)
        _check_overdue(account, as_of, result)
        _check_payoff(account, as_of, result)

    check()


# -------------------------------------------------------------------- minimum payment


def _huabei(*payments: Payment) -> Account:
    return Account(
        id="minimum",
        provider="huabei",
        product="revolving",
        opened_on=date(2024, 1, 5),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "2345.61")],
        payments=payments,
    )


def test_the_minimum_of_2345_61_is_234_56_and_paying_it_keeps_the_account_current() -> None:
    """10% of 2,345.61 is 234.56 (half-up, no longer rounded up to 234.57); paying it revolves."""
    pytest.importorskip("creditrules_huabei")
    result = assess(_huabei(Payment(date(2025, 3, 10), "234.56")), date(2025, 3, 31))
    (firing,) = result.fired("revolving.minimum_payment")
    assert firing.fact("minimum") == "234.56"
    assert result.days_past_due == 0 and result.episodes == ()
    assert result.overdue.total == 0 and result.charged.penalty == 0


def test_missing_the_minimum_by_a_fen_is_explained_with_the_shortfall() -> None:
    """Paying 234.55 misses the minimum by 0.01: overdue, and the explanation says by how much."""
    pytest.importorskip("creditrules_huabei")
    result = assess(_huabei(Payment(date(2025, 3, 10), "234.55")), date(2025, 3, 31))
    assert result.current_episode is not None
    texts = {f.figure: f.text for f in result.explain("en").figures}
    assert "0.01 less than the minimum payment of 234.56" in texts["minimum:2025-03-10"]
    chinese = {f.figure: f.text for f in result.explain("zh_CN").figures}
    assert "少0.01元" in chinese["minimum:2025-03-10"]


def test_a_minimum_has_a_floor_of_one_fen() -> None:
    """10% of a 0.04 bill is 0.004: the minimum is 0.01, not 0.00 (conventions A.1)."""
    account = Account(
        id="tiny",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "0.04")],
        payments=[Payment(date(2025, 3, 10), "0.01")],
        policy=[
            PolicyValue("minimum_payment_ratio", "0.1", source="contract", grade="A"),
            PolicyValue("revolving_daily_rate", "0.0005", source="contract", grade="A"),
        ],
    )
    (firing,) = assess(account, date(2025, 3, 31)).fired("revolving.minimum_payment")
    assert firing.fact("minimum") == "0.01"


# -------------------------------------------------------------------- warnings


def test_an_implausible_penalty_rate_is_computed_as_given_and_warned_about() -> None:
    """A penalty of 1% a day (360% a year) is applied, with a warning naming value and line."""
    account = Account(
        id="implausible",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "100.00")],
        policy=[PolicyValue("penalty_daily_rate", "0.01", source="contract", grade="A")],
    )
    result = assess(account, date(2025, 3, 20))
    assert result.charged.penalty == D("10.00")  # 100.00 × 0.01 × 10 days, as given
    (warning,) = result.warnings
    assert (warning.name, warning.annual, warning.cap) == (
        "penalty_daily_rate",
        D("3.6"),
        D("0.24"),
    )
    assert "360% a year, above the 24% APR line" in str(warning)
    figures = {f.figure: f for f in result.explain("en").figures}
    assert "above the 24% APR line" in figures["warning:penalty_daily_rate"].text
    chinese = {f.figure: f for f in result.explain("zh_CN").figures}
    assert "年化360%" in chinese["warning:penalty_daily_rate"].text
    output = _run_assess(account, "2025-03-20")
    assert "penalty_daily_rate = 0.01 a day is 360% a year, above the 24% APR line" in output


def _run_assess(account: Account, day: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        return _run("assess", str(_account_file(Path(folder), account)), "--as-of", day)


def test_a_plausible_rate_gives_no_warning() -> None:
    """0.05% a day (18% a year) is below the 24% line: no warning."""
    account = Account(
        id="plain",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "100.00")],
        policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
    )
    assert assess(account, date(2025, 3, 20)).warnings == ()


# -------------------------------------------------------------------- unknowns


def test_each_unknown_is_listed_once_and_only_when_it_matters() -> None:
    """Fenqile past due: the penalty is unknown once; a repaid Jiebei loan lists no unknown."""
    pytest.importorskip("creditrules_fenqile")
    pytest.importorskip("creditrules_jiebei")
    fenqile = assess(load_account(EXAMPLES / "fenqile.toml"), date(2025, 8, 31))
    penalty = [u for u in fenqile.unknowns if u.startswith("penalty")]
    assert [u.split(":")[0] for u in penalty] == ["penalty_daily_rate", "penalty_base"]
    assert len(set(fenqile.unknowns)) == len(fenqile.unknowns)
    jiebei = assess(load_account(EXAMPLES / "jiebei.toml"), date(2025, 8, 31))
    assert jiebei.balance.total == 0 and jiebei.unknowns == ()


# -------------------------------------------------------------------- citations

#: Internal labels a user cannot look up.
INTERNAL = re.compile(r"seed article|issue spec|domain brief", re.IGNORECASE)


@pytest.mark.parametrize(("name", "account", "as_of"), CASES, ids=IDS)
def test_no_output_cites_an_internal_document(
    name: str, account: Account, as_of: date, tmp_path: Path
) -> None:
    """assess, plan, report, explain (en and zh_CN) and JSON cite nothing a user cannot find."""
    path = str(_account_file(tmp_path, account))
    day = as_of.isoformat()
    outputs = [
        _run("assess", path, "--as-of", day),
        _run("assess", path, "--as-of", day, "--json"),
        _run("plan", path, "--as-of", day),
        _run("report", path, "--as-of", day),
        _run("explain", path, "--as-of", day, "--all", "--lang", "en"),
        _run("explain", path, "--as-of", day, "--all", "--lang", "zh_CN"),
    ]
    for output in outputs:
        assert not INTERNAL.search(output), INTERNAL.search(output)


def test_no_bundled_policy_file_or_rule_cites_an_internal_document() -> None:
    """The plugins' provider.toml files and READMEs, `rules` and `providers` cite public sources."""
    files = [
        *ROOT.glob("plugins/creditrules-*/src/*/provider.toml"),
        *ROOT.glob("plugins/creditrules-*/README.md"),
    ]
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not INTERNAL.search(text), (path, INTERNAL.search(text))
        assert "no primary source recorded" not in text, path
    outputs = [_run("rules"), _run("providers")]
    outputs += [_run("providers", provider) for provider in PROVIDERS]
    for output in outputs:
        assert not INTERNAL.search(output), INTERNAL.search(output)


def test_a_relieved_record_is_hidden_not_deleted() -> None:
    """A record the 2025 relief hides is 'hidden by' the relief in the plan, never 'deleted'."""
    pytest.importorskip("creditrules_fenqile")
    account = load_account(EXAMPLES / "fenqile.toml")
    result = simulate(account, [Payment(date(2025, 8, 31), "1732.96")], date(2025, 9, 30))
    waits = [a for a in result.actions if a.code == "wait_for_expiry"]
    assert waits, [a.code for a in result.actions]
    for action in waits:
        assert "hidden by" in action.title and "deleted" not in action.title
        assert action.detail("relief")
    texts = [f.text for f in result.explain("en").figures if f.figure == "action:wait_for_expiry"]
    assert texts and all("hidden by" in t and "deleted" not in t for t in texts)


def test_format_money_is_what_the_commands_print() -> None:
    """The regexes above read amounts as the commands print them (thousands separators)."""
    assert format_money(D("3899.16")) == "3,899.16" and format_money(ZERO) == "0.00"


# -------------------------------------------------------------------- plan and compare texts


def test_any_scenario_name_is_accepted() -> None:
    """A scenario may be named anything, even a name starting with "pay"."""
    scenario = parse_scenario("pay now: pay 2025-08-31 1732.96")
    assert scenario.name == "pay now"
    assert scenario.events == (Payment(date(2025, 8, 31), "1732.96"),)


def test_a_scenario_after_the_as_of_date_says_so_in_its_row(tmp_path: Path) -> None:
    """The compare table marks, in its own row, a scenario with events after the as-of date."""
    path = str(_account_file(tmp_path, load_account(EXAMPLES / "tutorial.toml")))
    table = _run("compare", path, "--as-of", "2025-03-20", "--scenario", "later: pay 2025-04-01 5")
    row = table.splitlines().index(next(line for line in table.splitlines() if "later" in line))
    assert "(not applied: dated after 2025-03-20)" in table.splitlines()[row + 1]


def test_plan_texts_speak_with_one_voice() -> None:
    """An unknown penalty is never "included", and no effect compares a date with itself."""
    pytest.importorskip("creditrules_fenqile")
    account = load_account(EXAMPLES / "fenqile.toml")
    for day in (date(2025, 8, 15), date(2025, 8, 31)):
        for action in assess(account, day).actions:
            words = " ".join((action.title, action.effect.text, *action.steps))
            assert "penalty included" not in action.title, action.title
            assert "penalty accrued" not in words, words
            assert f"until {day}:" not in action.effect.text, action.effect.text
