"""Error messages in Chinese: every input error the command line prints, in its language.

An :class:`~creditrules.InputError`'s messages are English (``str(error)``, unchanged for
library users) and keep their catalogue message and values
(:class:`~creditrules._i18n.Translatable`), so that the command line writes them in the
language it runs in. These tests run the command line with ``--lang zh_CN`` on every bad
file of ``tests/corpus/``, on the bad command lines of ``tests/corpus/cli.toml`` and on
more bad account, provider and scenario files (below), and find Chinese and no English
sentence in what it prints (the detector of ``tests/test_cli.py``), the files and JSON
paths kept as they are. They also check that every message of the modules that word
input errors is in both catalogues.
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("click")
pytest.importorskip("rich")
babel = pytest.importorskip("babel")

from babel.messages.extract import extract_from_file  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

import creditrules  # noqa: E402
from creditrules import InputError  # noqa: E402
from creditrules._i18n import DOMAIN, LOCALE_DIR, N_, Messages, Translatable  # noqa: E402
from creditrules._render.common import error  # noqa: E402

ZH = Messages("zh_CN")
EN = Messages("en")
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
EXAMPLE = ROOT / "examples" / "generic-revolving.toml"
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: The modules that word input errors (their N_ messages must be in the catalogues).
MODULES = (
    "errors.py",
    "_i18n.py",
    "_words.py",
    "_validators.py",
    "_toml.py",
    "money.py",
    "model.py",
    "policy.py",
    "provider.py",
    "io.py",
    "_convert.py",
    "_provider_file.py",
    "comparison.py",
)


def _load(name: str) -> ModuleType:
    """A module of tests/ by file name (tests/ is not a package)."""
    key = f"creditrules_tests_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


CLI = _load("test_cli")
HARDENING = _load("test_hardening")
english_sentences = CLI.english_sentences


# --------------------------------------------------------------------------- bad files

_REVOLVING = """\
format = 1
[account]
id = "demo"
provider = "generic"
product = "revolving"
opened_on = 2025-01-01
[policy]
penalty_daily_rate = "0.0005"
[[bills]]
statement_date = 2025-03-01
due_date = 2025-03-10
amount = "500.00"
"""
_LOAN = """\
format = 1
[account]
id = "loan"
provider = "generic"
product = "installment"
opened_on = 2025-01-01
[policy]
penalty_daily_rate = "0.0005"
[loan]
principal = "12000.00"
term_months = 12
method = "equal_installment"
start_date = 2025-01-05
annual_rate = "0.12"
"""
_HUABEI = """\
format = 1
[account]
id = "hb"
provider = "huabei"
product = "revolving"
opened_on = 2025-01-01
[[bills]]
statement_date = 2025-03-01
due_date = 2025-03-10
amount = "500.00"
"""


def _add(base: str, *lines: str) -> str:
    """``base`` and more lines."""
    return base + "".join(f"{line}\n" for line in lines)


def _edit(base: str, old: str, new: str) -> str:
    """``base`` with ``old`` replaced by ``new`` (which must be there)."""
    assert old in base, old
    return base.replace(old, new)


_JIEBEI = """\
format = 1
[account]
id = "jb"
provider = "jiebei"
product = "installment"
opened_on = 2025-01-08
[loan]
principal = "10000.00"
daily_rate = "0.00045"
term_months = 12
method = "equal_installment"
start_date = 2025-01-08
"""

#: Bad account files: (name, text, the JSON path the error names).
BAD_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("no-format", _edit(_REVOLVING, "format = 1\n", ""), "$.format"),
    ("format-2", _edit(_REVOLVING, "format = 1", "format = 2"), "$.format"),
    ("not-a-table", "format = 1\naccount = 3\n", "$.account"),
    ("no-account", "format = 1\n", "$.account"),
    (
        "top-level-typo",
        _add(_REVOLVING, "[[payment]]", "date = 2025-03-12", "amount = 1"),
        "$.payment",
    ),
    (
        "account-key-typo",
        _edit(_REVOLVING, 'provider = "generic"', 'provider = "generic"\nsorce = 1'),
        "$.account.sorce",
    ),
    ("empty-id", _edit(_REVOLVING, 'id = "demo"', 'id = ""'), "$.account.id"),
    ("product", _edit(_REVOLVING, '"revolving"', '"mortgage"'), "$.account.product"),
    (
        "opened-on-text",
        _edit(_REVOLVING, "opened_on = 2025-01-01", 'opened_on = "soon"'),
        "$.account.opened_on",
    ),
    (
        "opened-on-bad-day",
        _edit(_REVOLVING, "opened_on = 2025-01-01", 'opened_on = "2025-02-30"'),
        "$.account.opened_on",
    ),
    (
        "opened-on-datetime",
        _edit(_REVOLVING, "opened_on = 2025-01-01", "opened_on = 2025-01-01T10:00:00"),
        "$.account.opened_on",
    ),
    (
        "amount-text",
        _edit(_REVOLVING, 'amount = "500.00"', 'amount = "five hundred"'),
        "$.bills[0].amount",
    ),
    (
        "amount-negative",
        _edit(_REVOLVING, 'amount = "500.00"', 'amount = "-5.00"'),
        "$.bills[0].amount",
    ),
    (
        "amount-below-fen",
        _edit(_REVOLVING, 'amount = "500.00"', 'amount = "5.001"'),
        "$.bills[0].amount",
    ),
    ("amount-bool", _edit(_REVOLVING, 'amount = "500.00"', "amount = true"), "$.bills[0].amount"),
    ("amount-nan", _edit(_REVOLVING, 'amount = "500.00"', 'amount = "NaN"'), "$.bills[0].amount"),
    (
        "due-before-statement",
        _edit(_REVOLVING, "due_date = 2025-03-10", "due_date = 2025-02-10"),
        "$.bills[0]",
    ),
    (
        "bill-before-opening",
        _edit(_REVOLVING, "opened_on = 2025-01-01", "opened_on = 2025-03-05"),
        "$.bills[0].statement_date",
    ),
    (
        "two-bills-one-id",
        _add(
            _REVOLVING,
            "[[bills]]",
            "statement_date = 2025-03-01",
            "due_date = 2025-03-10",
            'amount = "1.00"',
        ),
        "$.bills[1].id",
    ),
    ("bills-not-a-list", 'bills = "many"\n' + _REVOLVING.split("[[bills]]")[0], "$.bills"),
    (
        "payment-before-opening",
        _add(_REVOLVING, "[[payments]]", "date = 2024-12-01", 'amount = "1.00"'),
        "$.payments[0].date",
    ),
    (
        "payment-missing-amount",
        _add(_REVOLVING, "[[payments]]", "date = 2025-03-12"),
        "$.payments[0].amount",
    ),
    (
        "payment-as-event",
        _add(_REVOLVING, "[[events]]", 'type = "payment"', "date = 2025-03-12", 'amount = "1.00"'),
        "$.events[0].type",
    ),
    ("event-without-type", _add(_REVOLVING, "[[events]]", "date = 2025-03-12"), "$.events[0].type"),
    (
        "event-type-unknown",
        _add(_REVOLVING, "[[events]]", 'type = "refund"', "date = 2025-03-12"),
        "$.events[0].type",
    ),
    (
        "waiver-component",
        _add(
            _REVOLVING,
            "[[events]]",
            'type = "waiver"',
            "date = 2025-03-12",
            'component = "tax"',
            'amount = "1.00"',
        ),
        "$.events[0].component",
    ),
    (
        "event-before-opening",
        _add(
            _REVOLVING,
            "[[events]]",
            'type = "waiver"',
            "date = 2024-03-12",
            'component = "penalty"',
            'amount = "1.00"',
        ),
        "$.events[0].date",
    ),
    ("policy-unknown", _edit(_REVOLVING, "[policy]", "[policy]\ngrace = 3"), "$.policy.grace"),
    ("policy-unknown-far", _edit(_REVOLVING, "[policy]", "[policy]\nzzz = 3"), "$.policy.zzz"),
    ("policy-rate-text", _edit(_REVOLVING, '"0.0005"', '"a lot"'), "$.policy.penalty_daily_rate"),
    (
        "policy-rate-negative",
        _edit(_REVOLVING, '"0.0005"', '"-0.0005"'),
        "$.policy.penalty_daily_rate",
    ),
    (
        "policy-grace-text",
        _edit(_REVOLVING, "[policy]", '[policy]\ngrace_days = "three"'),
        "$.policy.grace_days",
    ),
    (
        "policy-grace-negative",
        _edit(_REVOLVING, "[policy]", "[policy]\ngrace_days = -1"),
        "$.policy.grace_days",
    ),
    (
        "policy-bool-number",
        _edit(_REVOLVING, "[policy]", "[policy]\ngrace_waives_penalty = 1"),
        "$.policy.grace_waives_penalty",
    ),
    (
        "policy-choice",
        _edit(_REVOLVING, "[policy]", '[policy]\npenalty_base = "all"'),
        "$.policy.penalty_base",
    ),
    (
        "policy-order",
        _edit(_REVOLVING, "[policy]", '[policy]\nallocation_order = ["penalty"]'),
        "$.policy.allocation_order",
    ),
    (
        "policy-snapshot",
        _edit(_REVOLVING, "[policy]", "[policy]\nsnapshot = 40"),
        "$.policy.snapshot",
    ),
    (
        "policy-bureau",
        _edit(_REVOLVING, "[policy]", '[policy]\nbureau = "The Bureau"'),
        "$.policy.bureau",
    ),
    (
        "policy-table-name",
        _edit(
            _REVOLVING,
            'penalty_daily_rate = "0.0005"',
            'penalty_daily_rate = { value = "0.0005", name = "x" }',
        ),
        "$.policy.penalty_daily_rate.name",
    ),
    (
        "policy-table-source",
        _edit(
            _REVOLVING,
            'penalty_daily_rate = "0.0005"',
            'penalty_daily_rate = { value = "0.0005", source = "" }',
        ),
        "$.policy.penalty_daily_rate",
    ),
    (
        "policy-table-grade",
        _edit(
            _REVOLVING,
            'penalty_daily_rate = "0.0005"',
            'penalty_daily_rate = { value = "0.0005", grade = "E" }',
        ),
        "$.policy.penalty_daily_rate.grade",
    ),
    (
        "policy-table-key",
        _edit(
            _REVOLVING,
            'penalty_daily_rate = "0.0005"',
            'penalty_daily_rate = { value = "0.0005", sauce = "x" }',
        ),
        "$.policy.penalty_daily_rate.sauce",
    ),
    (
        "policy-dates-reversed",
        _edit(
            _REVOLVING,
            'penalty_daily_rate = "0.0005"',
            'penalty_daily_rate = { value = "0.0005", '
            "effective_from = 2025-02-01, effective_to = 2025-01-01 }",
        ),
        "$.policy.penalty_daily_rate",
    ),
    (
        "policy-versions-overlap",
        _edit(
            _REVOLVING,
            'penalty_daily_rate = "0.0005"',
            'penalty_daily_rate = [{ value = "0.0005" }, '
            '{ value = "0.0006", effective_from = 2025-02-01 }]',
        ),
        "$.policy.penalty_daily_rate",
    ),
    (
        "policy-not-a-table",
        _edit(_REVOLVING, '[policy]\npenalty_daily_rate = "0.0005"\n', "").replace(
            "format = 1\n", "format = 1\npolicy = 3\n"
        ),
        "$.policy",
    ),
    (
        "policy-fee-table",
        _edit(_REVOLVING, "[policy]", '[policy]\nbill_installment_fees = { 1 = "0.01" }'),
        "$.policy.bill_installment_fees",
    ),
    (
        "reported-month",
        _add(_REVOLVING, "[[reported]]", 'month = "March"', 'status = "N"'),
        "$.reported[0].month",
    ),
    (
        "reported-month-far",
        _add(_REVOLVING, "[[reported]]", 'month = "2300-01"', 'status = "N"'),
        "$.reported[0].month",
    ),
    (
        "reported-status",
        _add(_REVOLVING, "[[reported]]", 'month = "2025-03"', 'status = "X"'),
        "$.reported[0].status",
    ),
    ("revolving-with-loan", _REVOLVING + _LOAN.split("[policy]")[1].split("\n", 2)[2], "$.loan"),
    ("installment-without-loan", _LOAN.split("[loan]")[0], "$.loan"),
    (
        "installment-with-bills",
        _add(
            _LOAN,
            "[[bills]]",
            "statement_date = 2025-03-01",
            "due_date = 2025-03-10",
            'amount = "1.00"',
        ),
        "$.bills",
    ),
    (
        "loan-two-rates",
        _edit(_LOAN, 'annual_rate = "0.12"', 'annual_rate = "0.12"\ndaily_rate = "0.0003"'),
        "$.loan",
    ),
    ("loan-term-zero", _edit(_LOAN, "term_months = 12", "term_months = 0"), "$.loan.term_months"),
    (
        "loan-term-text",
        _edit(_LOAN, "term_months = 12", 'term_months = "12"'),
        "$.loan.term_months",
    ),
    ("loan-method", _edit(_LOAN, '"equal_installment"', '"balloon"'), "$.loan.method"),
    (
        "loan-due-day",
        _edit(_LOAN, 'annual_rate = "0.12"', 'annual_rate = "0.12"\ndue_day = 40'),
        "$.loan.due_day",
    ),
    (
        "loan-day-basis",
        _edit(_LOAN, 'annual_rate = "0.12"', 'annual_rate = "0.12"\nday_basis = 300'),
        "$.loan.day_basis",
    ),
    (
        "loan-before-opening",
        _edit(_LOAN, "start_date = 2025-01-05", "start_date = 2024-01-05"),
        "$.loan.start_date",
    ),
    (
        "loan-principal-zero",
        _edit(_LOAN, 'principal = "12000.00"', 'principal = "0"'),
        "$.loan.principal",
    ),
    (
        "loan-rate-float-text",
        _edit(_LOAN, 'annual_rate = "0.12"', 'annual_rate = "12%"'),
        "$.loan.annual_rate",
    ),
    (
        "too-many-bills",
        _add(
            _REVOLVING,
            *(
                f'[[bills]]\nid = "b{i}"\nstatement_date = 2025-03-01\n'
                'due_date = 2025-03-10\namount = "1.00"'
                for i in range(1001)
            ),
        ),
        "$.bills",
    ),
    ("toml-duplicate-key", _edit(_REVOLVING, 'id = "demo"', 'id = "demo"\nid = "again"'), "$"),
    ("toml-unterminated", _edit(_REVOLVING, 'id = "demo"', 'id = "demo'), "$"),
    ("toml-bad-value", _edit(_REVOLVING, 'id = "demo"', "id = demo"), "$"),
    ("unknown-provider-close", _edit(_REVOLVING, '"generic"', '"huabai"'), "$.account.provider"),
    ("jiebei-term", _edit(_JIEBEI, "term_months = 12", "term_months = 24"), "$.loan.term_months"),
    (
        "jiebei-annual-rate",
        _edit(_JIEBEI, 'daily_rate = "0.00045"', 'annual_rate = "0.162"'),
        "$.loan.daily_rate",
    ),
    (
        "huabei-conversion-no-bill",
        _add(
            _HUABEI,
            "[[events]]",
            'type = "bill_installment"',
            "date = 2025-03-05",
            'bill = "2025-04-10"',
            "periods = 3",
        ),
        "$.events[0].bill",
    ),
    (
        "huabei-conversion-late",
        _add(
            _HUABEI,
            "[[events]]",
            'type = "bill_installment"',
            "date = 2025-03-20",
            'bill = "2025-03-10"',
            "periods = 3",
        ),
        "$.events[0].date",
    ),
    (
        "huabei-conversion-periods",
        _add(
            _HUABEI,
            "[[events]]",
            'type = "bill_installment"',
            "date = 2025-03-05",
            'bill = "2025-03-10"',
            "periods = 5",
        ),
        "$.events[0].periods",
    ),
    (
        "huabei-conversion-amount",
        _add(
            _HUABEI,
            "[[events]]",
            'type = "bill_installment"',
            "date = 2025-03-05",
            'bill = "2025-03-10"',
            "periods = 3",
            'amount = "900.00"',
        ),
        "$.events[0].amount",
    ),
    (
        "huabei-conversion-fee",
        _add(
            _HUABEI,
            "[[events]]",
            'type = "bill_installment"',
            "date = 2025-03-05",
            'bill = "2025-03-10"',
            "periods = 3",
            'fee_rate = "2"',
        ),
        "$.events[0].fee_rate",
    ),
    (
        "huabei-conversion-bill-ref",
        _add(
            _HUABEI,
            "[[events]]",
            'type = "bill_installment"',
            "date = 2025-03-05",
            'bill = ""',
            "periods = 3",
        ),
        "$.events[0].bill",
    ),
)

_PROVIDER = """\
format = 1
[provider]
id = "acme"
name_zh = "示例贷"
name_en = "Acme Loans"
products = ["revolving"]
[policy.penalty_daily_rate]
value = "0.0005"
source = "https://example.com/acme/terms"
grade = "B"
"""

#: Bad provider files: (name, text, the JSON path the error names).
BAD_PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("format", _edit(_PROVIDER, "format = 1", "format = 3"), "$.format"),
    (
        "no-provider",
        "format = 1\n" + _PROVIDER.split('products = ["revolving"]\n')[1],
        "$.provider",
    ),
    ("no-id", _edit(_PROVIDER, 'id = "acme"\n', ""), "$.provider.id"),
    ("id-taken", _edit(_PROVIDER, 'id = "acme"', 'id = "generic"'), "$.provider.id"),
    ("bad-id", _edit(_PROVIDER, 'id = "acme"', 'id = "Acme Loans"'), "$.provider"),
    ("top-typo", _add(_PROVIDER, "[polcy]"), "$.polcy"),
    (
        "provider-typo",
        _edit(_PROVIDER, 'name_en = "Acme Loans"', 'name_eng = "Acme Loans"'),
        "$.provider.name_eng",
    ),
    ("product", _edit(_PROVIDER, '["revolving"]', '["mortgage"]'), "$.provider"),
    ("policy-plain-value", _add(_PROVIDER, "[policy]", "grace_days = 3"), "$.policy.grace_days"),
    (
        "policy-unknown",
        _edit(_PROVIDER, "[policy.penalty_daily_rate]", "[policy.penalty_rate]"),
        "$.policy.penalty_rate",
    ),
    (
        "policy-no-source",
        _edit(_PROVIDER, 'source = "https://example.com/acme/terms"\n', ""),
        "$.policy.penalty_daily_rate.source",
    ),
    (
        "policy-grade",
        _edit(_PROVIDER, 'grade = "B"', 'grade = "best"'),
        "$.policy.penalty_daily_rate.grade",
    ),
    (
        "policy-value-key",
        _add(_PROVIDER, 'sorce_zh = "条款"'),
        "$.policy.penalty_daily_rate.sorce_zh",
    ),
    ("chinese-not-text", _add(_PROVIDER, "source_zh = 5"), "$.policy.penalty_daily_rate.source_zh"),
    (
        "chinese-without-english",
        _add(
            _PROVIDER,
            "[[facts]]",
            'key = "funder"',
            'text_zh = "银行"',
            'source = "x"',
            'grade = "B"',
        ),
        "$.facts[0].text_zh",
    ),
    (
        "facts-not-array",
        _edit(_PROVIDER, "format = 1\n", 'format = 1\nfacts = "none"\n'),
        "$.facts",
    ),
    ("fact-not-table", _edit(_PROVIDER, "format = 1\n", "format = 1\nfacts = [1]\n"), "$.facts[0]"),
    (
        "fact-missing-grade",
        _add(_PROVIDER, "[[facts]]", 'key = "funder"', 'text = "A bank"', 'source = "x"'),
        "$.facts[0].grade",
    ),
    (
        "unknown-not-table",
        _edit(_PROVIDER, "format = 1\n", 'format = 1\nunknown = "all"\n'),
        "$.unknown",
    ),
    ("unknown-reason", _add(_PROVIDER, "[unknown]", "grace_days = 3"), "$.unknown.grace_days"),
    (
        "unknown-zh-not-listed",
        _add(
            _PROVIDER,
            "[unknown]",
            'grace_days = "not published"',
            "[unknown_zh]",
            'max_principal = "未公布"',
        ),
        "$.unknown_zh.max_principal",
    ),
    (
        "unknown-zh-not-table",
        _edit(_PROVIDER, "format = 1\n", 'format = 1\nunknown_zh = "未公布"\n'),
        "$.unknown_zh",
    ),
    (
        "two-chinese-texts",
        _add(
            _PROVIDER,
            'note = "n"',
            'note_zh = "一"',
            "[policy.grace_days]",
            "value = 3",
            'source = "x"',
            'grade = "B"',
            'note = "n"',
            'note_zh = "二"',
        ),
        "$.policy.grace_days.note_zh",
    ),
    (
        "versions-overlap",
        _edit(_PROVIDER, "[policy.penalty_daily_rate]", "[[policy.penalty_daily_rate]]")
        + '[[policy.penalty_daily_rate]]\nvalue = "0.0006"\nsource = "x"\ngrade = "B"\n',
        "$.provider",
    ),
)

_ACME_LOANS = """\
format = 1
[provider]
id = "acme"
name_zh = "示例贷"
name_en = "Acme Loans"
products = ["installment"]
methods = ["equal_principal"]
[policy.max_term_months]
value = 6
source = "https://example.com/acme/terms"
source_zh = "示例贷借款条款"
grade = "B"
[policy.max_principal]
value = "5000.00"
source = "https://example.com/acme/terms"
grade = "B"
[required]
penalty_daily_rate = "the penalty rate is in your contract only"
[required_zh]
penalty_daily_rate = "罚息利率只写在您的合同里"
"""

#: Accounts a provider file's limits refuse: (name, account text, the JSON paths named).
OUTSIDE_LIMITS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "loan",
        _edit(_LOAN, 'provider = "generic"', 'provider = "acme"').replace(
            '[policy]\npenalty_daily_rate = "0.0005"\n', ""
        ),
        ("$.loan.method", "$.loan.term_months", "$.loan.principal", "$.policy.penalty_daily_rate"),
    ),
    (
        "revolving",
        _edit(_REVOLVING, 'provider = "generic"', 'provider = "acme"'),
        ("$.account.product",),
    ),
)

#: Bad scenario files of ``compare --scenarios-file``: (name, text, the JSON path named).
BAD_SCENARIOS: tuple[tuple[str, str, str], ...] = (
    ("none", "format = 1\n", "$.scenario"),
    (
        "key",
        '[[scenario]]\nname = "a"\nevents = ["pay 2025-07-01 100"]\nwhen = 1\n',
        "$.scenario[0].when",
    ),
    ("top-key", 'scenarios = 1\n[[scenario]]\nname = "a"\nevents = []\n', "$.scenarios"),
    ("no-name", '[[scenario]]\nevents = ["pay 2025-07-01 100"]\n', "$.scenario[0].name"),
    (
        "events-text",
        '[[scenario]]\nname = "a"\nevents = "pay 2025-07-01 100"\n',
        "$.scenario[0].events",
    ),
    ("not-a-table", "scenario = [1]\n", "$.scenario[0]"),
    (
        "event-table",
        '[[scenario]]\nname = "a"\nevents = [{ type = "payment", date = 2025-07-01 }]\n',
        "$.scenario[0].events[0].amount",
    ),
    ("event-text", '[[scenario]]\nname = "a"\nevents = ["pay 2025-07-01"]\n', "$.events[0]"),
)

#: Bad --scenario texts: (text, the JSON path named).
BAD_SCENARIO_TEXTS: tuple[tuple[str, str], ...] = (
    ("pay 2025-07-01 0", "$.events[0]"),
    ("pay 2025-02-30 100", "$.events[0]"),
    ("pay 2025-07-01 1.001", "$.events[0]"),
    ("name: ;", "$"),
    ("waive tax 2025-07-01 5", "$.events[0]"),
)


def _cases(tmp: Path) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(name, arguments, strings stderr must hold) of every bad input run in Chinese.

    A string ``a|b`` asks for one of ``a`` and ``b`` (the JSON paths a corpus file allows).
    """
    for case in HARDENING.cli_corpus():
        if case.env:  # a bad CREDITRULES_LANG: see test_a_bad_language_variable
            continue
        if "--lang" in case.args:  # --lang fr: click's own usage error
            continue
        files = tuple(e.removesuffix(": ") for e in case.expect if e.endswith(": "))
        paths = "|".join(f"（位置：{p.removeprefix('@ ').strip()}）" for p in case.any_of)
        yield case.name, case.args, files + ((paths,) if paths else ())
    as_of = ("--as-of", "2025-06-30")
    for name, text, path in BAD_ACCOUNTS:
        file = tmp / f"account-{name}.toml"
        file.write_text(text, encoding="utf-8")
        yield f"account/{name}", ("assess", str(file), *as_of), (str(file), path)
    for name, text, path in BAD_PROVIDERS:
        file = tmp / f"provider-{name}.toml"
        file.write_text(text, encoding="utf-8")
        args = ("assess", str(EXAMPLE), *as_of, "--provider-file", str(file))
        yield f"provider/{name}", args, (str(file), path)
    for name, text, path in BAD_SCENARIOS:
        file = tmp / f"scenarios-{name}.toml"
        file.write_text(text, encoding="utf-8")
        args = ("compare", str(EXAMPLE), *as_of, "--scenarios-file", str(file))
        yield f"scenarios/{name}", args, (str(file), path)
    for index, (text, path) in enumerate(BAD_SCENARIO_TEXTS):
        args = ("compare", str(EXAMPLE), *as_of, "--scenario", text)
        yield f"scenario-text/{index}", args, ("--scenario 1", path)
    provider = tmp / "acme.toml"
    provider.write_text(_ACME_LOANS, encoding="utf-8")
    for name, text, paths in OUTSIDE_LIMITS:
        file = tmp / f"acme-{name}.toml"
        file.write_text(text, encoding="utf-8")
        args = ("assess", str(file), *as_of, "--provider-file", str(provider))
        yield f"limits/{name}", args, (str(file), *(f"（位置：{p}）" for p in paths))
    yield "directory", ("assess", str(EXAMPLE), *as_of, "--provider-file", str(tmp)), ()
    for command in ("assess", "report", "explain", "plan"):
        yield (
            f"{command}/as-of-before-opening",
            (command, str(EXAMPLE), "--as-of", "2020-01-01"),
            ("$.account.opened_on",),
        )
    yield "new-provider/bad-name", ("new-provider", "BAD name", "--dir", str(tmp)), ("'BAD name'",)
    yield "new-provider/package-name", ("new-provider", "creditrules-acme", "--dir", str(tmp)), ()
    (tmp / "creditrules-taken").mkdir()
    yield (
        "new-provider/exists",
        ("new-provider", "taken", "--dir", str(tmp)),
        ("creditrules-taken",),
    )
    html = tmp / "no-such-folder" / "r.html"
    yield "report/html-folder-missing", ("report", str(EXAMPLE), *as_of, "--html", str(html)), ()
    yield "providers/unknown-id", ("providers", "nosuch"), ("'nosuch'",)


def test_every_input_error_is_in_chinese(tmp_path: Path) -> None:
    """Each bad input, run with --lang zh_CN: exit 2, Chinese, no English sentence, paths kept."""
    failed = {}
    seen = 0
    for name, args, expect in _cases(tmp_path):
        result = CLI.invoke(*args, "--lang", "zh_CN")
        seen += 1
        err = result.stderr
        problems = []
        if result.exit_code != 2:
            problems.append(f"exit {result.exit_code}")
        if "Traceback" in result.output or not _CJK.search(err):
            problems.append("no Chinese")
        problems += [f"English: {s!r}" for s in english_sentences(err)]
        problems += [
            f"no {text!r}" for text in expect if not any(one in err for one in text.split("|"))
        ]
        if problems:
            failed[name] = (problems, err)
    assert seen >= 120
    assert not failed, "\n".join(f"{n}: {p}\n{e}" for n, (p, e) in failed.items())


def test_english_is_unchanged(tmp_path: Path) -> None:
    """The same runs in English print the error's English text: ``str(error)`` of the library."""
    file = tmp_path / "account.toml"
    file.write_text(_REVOLVING.replace('"0.0005"', '"a lot"'), encoding="utf-8")
    result = CLI.invoke("assess", str(file), "--as-of", "2025-06-30", "--lang", "en")
    with pytest.raises(InputError) as caught:
        creditrules.load_account(file)
    assert result.stderr == str(caught.value) + "\n"
    assert str(caught.value) == (f"{file}: 'a lot' is not a rate @ $.policy.penalty_daily_rate")


def test_a_bad_language_variable() -> None:
    """CREDITRULES_LANG naming no language: the message names it (in the system's language)."""
    with pytest.raises(ValueError) as caught:
        creditrules._i18n.locale_from_environment({"CREDITRULES_LANG": "fr"})
    message = caught.value.args[0]
    assert str(caught.value) == (
        "the environment variable CREDITRULES_LANG='fr' names no creditrules language; "
        "available: en, zh_CN"
    )
    assert message.text(ZH) == (
        "环境变量 CREDITRULES_LANG='fr' 不是 creditrules 支持的语言；可用的有：en、zh_CN"
    )


# --------------------------------------------------------------------------- the library


def test_an_input_error_is_english_and_writes_itself_in_chinese(tmp_path: Path) -> None:
    """str(error) is English; describe(tr) writes every problem in the locale, paths kept."""
    file = tmp_path / "a.toml"
    file.write_text(
        _REVOLVING.replace('"500.00"', '"-5.00"').replace("[policy]", "[policy]\ngrace = 1"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        creditrules.load_account(file)
    error_ = caught.value
    assert error_.describe(EN) == str(error_) == error_.describe()
    lines = error_.describe(ZH).splitlines()
    assert lines == [
        f"{file}：不能为负数，给出的是 -5.00（位置：$.bills[0].amount）",
        f"{file}：未知的政策参数 'grace'（您是否指 'grace_days'？）；应为以下之一："
        + "、".join(creditrules.PARAMETERS)
        + "（位置：$.policy.grace）",
    ]
    assert error_.problems[0].text(ZH) == "不能为负数，给出的是 -5.00（位置：$.bills[0].amount）"
    again = pickle.loads(pickle.dumps(error_))  # batch workers send errors between processes
    assert str(again) == str(error_) and again.describe(ZH) == error_.describe(ZH)


def test_a_plain_message_is_recognised() -> None:
    """A message code has turned into plain English (``str()``) is recognised by its template."""
    error_ = InputError(
        "unknown provider 'nosuch'; installed providers: generic, huabei; did you mean 'huabei'?",
        path="$.account.provider",
    )
    assert error_.describe(ZH) == (
        "未知的机构 'nosuch'；已安装的机构：generic、huabei；您是否指 'huabei'？"
        "（位置：$.account.provider）"
    )
    assert InputError("a plugin's own words").describe(ZH) == "a plugin's own words（位置：$）"


def test_a_provider_needs_a_value_in_the_providers_words() -> None:
    """check_account names what a provider requires with the provider's own Chinese reason."""
    provider = creditrules.Provider(
        id="acme",
        name_zh="示例贷",
        required=(("penalty_daily_rate", "the rate is in your contract only"),),
        translations={"zh_CN": {"the rate is in your contract only": "利率只写在您的合同里"}},
    )
    account = creditrules.Account(
        id="a", provider="acme", product="revolving", opened_on=date(2025, 1, 1)
    )
    ((path, message),) = creditrules.provider.check_account(provider, account)
    assert path == "$.policy.penalty_daily_rate"
    assert (
        message
        == "示例贷 needs penalty_daily_rate from your contract: the rate is in your contract only"
    )
    assert message.text(ZH) == "示例贷 需要您给出合同中的 penalty_daily_rate：利率只写在您的合同里"


def test_error_writes_a_message_in_the_language_asked(capsys: pytest.CaptureFixture[str]) -> None:
    """error() writes a Translatable in the language given, a plain string as it is."""
    error(Translatable(N_("no such file")), tr=ZH)
    error("as it is", tr=ZH)
    assert capsys.readouterr().err == "文件不存在\nas it is\n"


def test_translatable_is_its_english_text() -> None:
    """A Translatable compares, hashes and pickles as its English text; it cannot be changed."""
    message = Translatable(N_("{value} is not a rate"), value="'x'")
    assert message == "'x' is not a rate" and hash(message) == hash("'x' is not a rate")
    assert message.text(ZH) == "'x' 不是利率"
    again = pickle.loads(pickle.dumps(message))
    assert isinstance(again, Translatable) and again.text(ZH) == message.text(ZH)
    with pytest.raises(AttributeError):
        message.message = "other"  # type: ignore[misc]
    with pytest.raises(KeyError):
        Translatable(N_("{value} is not a rate"), amount=1)
    with pytest.raises(KeyError):
        Translatable("x {a}", translations={"zh_CN": "{b}"}, a=1)
    with pytest.raises(ValueError, match="unknown joiner"):
        Translatable.join(["a"], "poem")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- catalogues


def _ids(locale: str) -> set[str]:
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        catalog = read_po(f, locale=locale, domain=DOMAIN)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _messages() -> set[str]:
    package = Path(creditrules.__file__).parent
    found: set[str] = set()
    for name in MODULES:
        for _lineno, message, _comments, _context in extract_from_file("python", package / name):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_every_error_message_is_in_the_catalogue(locale: str) -> None:
    """Every N_ message of the modules that word input errors is in the catalogue."""
    messages = _messages()
    assert len(messages) > 150
    missing = messages - _ids(locale)
    assert not missing, f"add to locale/{locale}/LC_MESSAGES/creditrules.po: {sorted(missing)}"


def test_every_error_message_is_translated() -> None:
    """Each of those messages has a Chinese translation (gettext returns Chinese)."""
    untranslated = [m for m in _messages() if not _CJK.search(ZH.catalog.gettext(m))]
    assert not untranslated, untranslated
