"""Tests of account files: loading, errors with paths, writing, and the JSON Schema."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditrules import model
from creditrules._convert import ACCOUNT_FILE_NOTE
from creditrules._plugins import Registry, get_registry
from creditrules.errors import InputError
from creditrules.io import (
    account_schema,
    dump_account,
    from_dict,
    load_account,
    parse_account,
    to_dict,
    to_json,
)
from creditrules.model import Account, Bill, Payment, Waiver
from creditrules.policy import PARAMETERS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = Path(__file__).parent.parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.toml"))

ISSUE_EXAMPLE = """\
format = 1
[account]
id = "demo"
provider = "generic"          # a provider id; "generic" = policy given below
product = "revolving"         # or "installment" with a [loan] table
opened_on = 2024-01-05
[policy]                      # optional overrides of the provider's policy
grace_days = 0
penalty_daily_rate = "0.0005"
penalty_base = "unpaid_amount"
[[bills]]
statement_date = 2025-03-01
due_date = 2025-03-10
amount = "1000.00"
[[payments]]
date = 2025-03-15
amount = "1002.50"
[[events]]
type = "waiver"               # waiver | account_closed | written_off | guarantor_paid
date = 2025-04-01
component = "penalty"
amount = "1.00"
"""

HEADER = """\
format = 1
[account]
id = "demo"
provider = "generic"
product = "revolving"
opened_on = 2024-01-05
"""


def _load_error(tmp_path: Path, text: str, name: str = "bad.toml") -> InputError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_account(path)
    error = caught.value
    assert error.file == str(path)
    assert str(error).startswith(f"{path}: ")
    return error


def _paths(error: InputError) -> list[str]:
    return [problem.path for problem in error.problems]


# --------------------------------------------------------------------------- loading


def test_issue_example_loads() -> None:
    """The file-format example of the issue loads into the expected Account."""
    account = load_account(ISSUE_EXAMPLE)
    assert account.id == "demo"
    assert account.opened_on == date(2024, 1, 5)
    assert account.bills == (Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00"),)
    assert account.payments == (Payment(date(2025, 3, 15), "1002.50"),)
    assert account.events == (Waiver(date(2025, 4, 1), "penalty", "1.00"),)
    policy = {value.name: value for value in account.policy}
    assert policy["penalty_daily_rate"].value == Decimal("0.0005")
    assert policy["grace_days"].source == "account file"
    assert policy["grace_days"].grade == "A"
    assert policy["grace_days"].note == ACCOUNT_FILE_NOTE


def test_amounts_as_numbers_and_strings_parse_the_same() -> None:
    """`amount = 1000.00` (a TOML float) and `amount = "1000.00"` give the same exact Decimal."""
    as_number = load_account(ISSUE_EXAMPLE.replace('amount = "1000.00"', "amount = 1000.00"))
    as_int = load_account(ISSUE_EXAMPLE.replace('amount = "1000.00"', "amount = 1000"))
    as_string = load_account(ISSUE_EXAMPLE)
    assert as_number.bills[0].amount == as_string.bills[0].amount == as_int.bills[0].amount
    assert str(as_number.bills[0].amount) == "1000.00"
    tenth = load_account(ISSUE_EXAMPLE.replace('amount = "1.00"', "amount = 0.10"))
    assert tenth.events[0] == Waiver(
        date(2025, 4, 1), "penalty", Decimal("0.10")
    )  # exact, not 0.1000000000000000055…


def test_policy_table_and_versions_load() -> None:
    """A [policy] value may be a table with provenance or an array of dated versions."""
    text = (
        HEADER
        + """
[policy]
penalty_daily_rate = { value = "0.0005", source = "contract §7", grade = "B", note = "n" }
[[policy.grace_days]]
value = 0
effective_to = 2024-12-31
[[policy.grace_days]]
value = 3
source = "app notice"
grade = "C"
effective_from = 2025-01-01
"""
    )
    values = load_account(text).policy
    assert [(v.name, v.value, v.source, v.grade) for v in values] == [
        ("grace_days", 0, "account file", "A"),
        ("grace_days", 3, "app notice", "C"),
        ("penalty_daily_rate", Decimal("0.0005"), "contract §7", "B"),
    ]
    assert values[1].effective_from == date(2025, 1, 1)
    assert values[1].note == ""


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_files_load_and_round_trip(path: Path) -> None:
    """Each example file loads, and from_dict(Account, to_dict(a)) == a, also via JSON."""
    account = load_account(path)
    assert from_dict(Account, to_dict(account)) == account
    assert from_dict(Account, json.loads(to_json(account))) == account


def test_example_files_exist() -> None:
    """Both example files of the docs are shipped."""
    assert {p.name for p in EXAMPLE_FILES} >= {"generic-revolving.toml", "generic-loan.toml"}


def test_revolving_example_content() -> None:
    """The revolving example has 4 bills, a partial payment and a penalty waiver."""
    account = load_account(EXAMPLES / "generic-revolving.toml")
    assert len(account.bills) == 4
    assert any(p.note == "partial payment" for p in account.payments)
    assert [e.type for e in account.events] == ["waiver"]


def test_loan_example_content() -> None:
    """The loan example is a 12-month equal-installment loan with a daily rate."""
    account = load_account(str(EXAMPLES / "generic-loan.toml"))
    assert account.loan is not None
    assert account.loan.term_months == 12
    assert account.loan.method == "equal_installment"
    assert account.loan.daily_rate == Decimal("0.0004")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_dump_account_round_trips(path: Path) -> None:
    """dump_account writes TOML that loads back to an equal account."""
    account = load_account(path)
    assert load_account(dump_account(account)) == account


def test_dump_account_writes_toml_dates_and_versions() -> None:
    """Dates are written as TOML dates, versions as [[policy.name]], strings escaped."""
    account = load_account(
        HEADER.replace('id = "demo"', 'id = "a \\"b\\"\\n 账户"')
        + """
[[policy.grace_days]]
value = 0
effective_to = 2024-12-31
[[policy.grace_days]]
value = 3
effective_from = 2025-01-01
"""
    )
    text = dump_account(account)
    assert "opened_on = 2024-01-05\n" in text
    assert text.count("[[policy.grace_days]]") == 2
    assert load_account(text) == account


def test_text_with_one_line_is_text_not_a_path() -> None:
    """A one-line string that is no file and no .toml name is read as TOML text."""
    with pytest.raises(InputError) as caught:
        load_account("format = 1")
    assert caught.value.file is None
    assert _paths(caught.value) == ["$.account"]


# --------------------------------------------------------------------------- registries


@attrs.frozen
class _Refund:
    """A test event type, registered only in the registry built for these tests."""

    type: ClassVar[str] = "refund"
    date: date
    amount: Decimal


def _registry_with_refund() -> Registry:
    event_types = {**model.CORE_EVENT_TYPES, "refund": _Refund}
    return attrs.evolve(get_registry(), event_types=event_types)


def _core_registry() -> Registry:
    return attrs.evolve(get_registry(), event_types=dict(model.CORE_EVENT_TYPES))


REFUND_FILE = HEADER + '[[events]]\ntype = "refund"\ndate = 2025-04-01\namount = "5.00"\n'


def test_load_account_reads_the_event_types_of_the_registry_given() -> None:
    """load_account(registry=) reads that registry's event tags, and only those."""
    account = load_account(REFUND_FILE, registry=_registry_with_refund())
    assert account.events == (_Refund(date(2025, 4, 1), Decimal("5.00")),)
    with pytest.raises(InputError, match="unknown event type 'refund'") as caught:
        load_account(REFUND_FILE)
    assert _paths(caught.value) == ["$.events[0].type"]


def test_installed_plugin_events_need_the_registry_that_has_them() -> None:
    """A plugin's event (huabei's bill_installment) loads with the installed registry only."""
    path = EXAMPLES / "huabei.toml"
    assert load_account(path).events
    with pytest.raises(InputError, match="unknown event type 'bill_installment'"):
        load_account(path, registry=_core_registry())


def test_from_dict_and_to_dict_take_a_registry() -> None:
    """The public from_dict/to_dict/to_json use the registry's converter."""
    registry = _registry_with_refund()
    data = {"type": "refund", "date": "2025-04-01", "amount": "5.00"}
    refund = from_dict(model.Event, data, registry=registry)
    assert refund == _Refund(date(2025, 4, 1), Decimal("5.00"))
    assert to_dict(refund, model.Event, registry=registry) == data
    assert json.loads(to_json(refund, registry=registry)) == to_dict(refund)
    with pytest.raises(InputError, match="unknown event type"):
        from_dict(model.Event, data, registry=_core_registry())


def test_account_schema_lists_the_event_types_of_the_registry_given() -> None:
    """account_schema(registry=) lists that registry's event types; plugins=False the core."""

    def tags(schema: dict[str, Any]) -> set[str]:
        refs = schema["properties"]["events"]["items"]["oneOf"]
        return {
            schema["$defs"][r["$ref"].rsplit("/", 1)[1]]["properties"]["type"]["const"]
            for r in refs
        }

    core = set(model.CORE_EVENT_TYPES) - {"payment"}
    assert tags(account_schema(registry=_registry_with_refund())) == core | {"refund"}
    assert tags(account_schema(registry=_registry_with_refund(), plugins=False)) == core


# --------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path: Path) -> None:
    """A path to no file is an InputError "no such file" naming the file."""
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError) as caught:
        load_account(str(missing))
    assert caught.value.file == str(missing)
    assert caught.value.message == "no such file"


def test_toml_syntax_error_reports_line(tmp_path: Path) -> None:
    """A TOML syntax error names the file and the line and column from the parser."""
    error = _load_error(tmp_path, HEADER + "[[payments]]\ndate = 2025-03-15\namount = \n")
    assert _paths(error) == ["$"]
    assert error.message == "invalid TOML at line 9, column 10: invalid value"


def test_wrong_type_amount(tmp_path: Path) -> None:
    """`amount = true` is reported at $.payments[0].amount."""
    error = _load_error(tmp_path, HEADER + "[[payments]]\ndate = 2025-03-15\namount = true\n")
    assert [str(p) for p in error.problems] == [
        "expected a decimal number, got true @ $.payments[0].amount"
    ]


def test_negative_amount(tmp_path: Path) -> None:
    """A negative payment amount is reported at $.payments[0].amount."""
    error = _load_error(tmp_path, HEADER + '[[payments]]\ndate = 2025-03-15\namount = "-5"\n')
    assert [str(p) for p in error.problems] == [
        "must be greater than zero, got -5.00 @ $.payments[0].amount"
    ]


def test_negative_bill_amount(tmp_path: Path) -> None:
    """A negative bill amount is reported as negative at $.bills[0].amount."""
    error = _load_error(
        tmp_path,
        HEADER + "[[bills]]\nstatement_date = 2025-03-01\ndue_date = 2025-03-10\namount = -5\n",
    )
    assert [str(p) for p in error.problems] == [
        "must not be negative, got -5.00 @ $.bills[0].amount"
    ]


def test_payment_before_account_opened(tmp_path: Path) -> None:
    """A payment dated before opened_on is reported at $.payments[0].date."""
    error = _load_error(tmp_path, HEADER + '[[payments]]\ndate = 2023-12-31\namount = "5"\n')
    assert _paths(error) == ["$.payments[0].date"]
    assert "before the account opened on 2024-01-05" in error.message


def test_unknown_product(tmp_path: Path) -> None:
    """An unknown product is reported at $.account.product, listing the products."""
    error = _load_error(tmp_path, HEADER.replace('"revolving"', '"credit_card"'))
    assert [str(p) for p in error.problems] == [
        "must be one of 'revolving', 'installment', got 'credit_card' @ $.account.product"
    ]


def test_unknown_event_type(tmp_path: Path) -> None:
    """An unknown event type is reported at $.events[0].type, listing the known types."""
    error = _load_error(tmp_path, HEADER + '[[events]]\ntype = "refund"\ndate = 2025-01-01\n')
    assert _paths(error) == ["$.events[0].type"]
    assert "unknown event type 'refund'; known types: payment, waiver" in error.message


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            HEADER + '[[payments]]\ndate = 2025-03-15\namount = "5"\nnotes = "x"\n',
            "$.payments[0].notes",
        ),
        (HEADER + 'colour = "red"\n', "$.account.colour"),
        ("colour = 1\n" + HEADER, "$.colour"),
        (HEADER + "[loans]\nprincipal = 1\n", "$.loans"),
        (
            HEADER + '[policy]\ngrace_days = { value = 1, sorce = "x" }\n',
            "$.policy.grace_days.sorce",
        ),
    ],
    ids=["payment", "account", "top", "table", "policy-table"],
)
def test_unknown_key(tmp_path: Path, text: str, path: str) -> None:
    """A misspelt key anywhere is an error at its path, never silently ignored."""
    error = _load_error(tmp_path, text)
    assert _paths(error) == [path]
    assert error.message.startswith("unknown key")


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    """An unknown key close to a known one suggests it."""
    error = _load_error(tmp_path, HEADER + '[[payments]]\ndate = 2025-03-15\namout = "5"\n')
    assert [str(p) for p in error.problems] == [
        "missing required field @ $.payments[0].amount",
        "unknown key (did you mean 'amount'?); expected one of: date, amount, note "
        "@ $.payments[0].amout",
    ]


def test_unknown_policy_parameter(tmp_path: Path) -> None:
    """An unknown [policy] parameter is reported at its key, listing the known ones."""
    error = _load_error(tmp_path, HEADER + "[policy]\ngrace_dayz = 1\n")
    assert _paths(error) == ["$.policy.grace_dayz"]
    assert "unknown policy parameter 'grace_dayz' (did you mean 'grace_days'?)" in error.message
    assert all(name in error.message for name in PARAMETERS)


def test_bad_policy_value(tmp_path: Path) -> None:
    """A policy value its parameter cannot parse is reported at the parameter."""
    error = _load_error(tmp_path, HEADER + '[policy]\npenalty_base = "everything"\n')
    assert _paths(error) == ["$.policy.penalty_base"]
    assert "got 'everything'" in error.message


def test_missing_loan_for_installment(tmp_path: Path) -> None:
    """An installment account without [loan] is reported at $.loan."""
    error = _load_error(tmp_path, HEADER.replace('"revolving"', '"installment"'))
    assert [str(p) for p in error.problems] == [
        "an installment account needs a [loan] table @ $.loan"
    ]


def test_bad_loan_terms(tmp_path: Path) -> None:
    """Bad [loan] fields are reported at their paths, cross-field rules at $.loan."""
    loan = (
        '\n[loan]\nprincipal = "1000"\nterm_months = 0\nmethod = "balloon"\n'
        "start_date = 2025-01-01\n"
    )
    error = _load_error(tmp_path, HEADER.replace('"revolving"', '"installment"') + loan)
    assert _paths(error) == ["$.loan.term_months", "$.loan.method"]
    fixed = loan.replace("term_months = 0", "term_months = 6").replace("balloon", "interest_first")
    error = _load_error(tmp_path, HEADER.replace('"revolving"', '"installment"') + fixed)
    assert [str(p) for p in error.problems] == [
        "give exactly one of annual_rate and daily_rate @ $.loan"
    ]


def test_missing_format(tmp_path: Path) -> None:
    """A file without `format` is reported at $.format."""
    error = _load_error(tmp_path, HEADER.replace("format = 1\n", ""))
    assert _paths(error) == ["$.format"]
    assert error.message.startswith("missing required field")


def test_unsupported_format(tmp_path: Path) -> None:
    """A file of another format version names the supported one."""
    error = _load_error(tmp_path, HEADER.replace("format = 1", "format = 2"))
    assert [str(p) for p in error.problems] == [
        "unsupported format 2; this version of creditrules reads format = 1 @ $.format"
    ]


def test_missing_account_table(tmp_path: Path) -> None:
    """A file without [account] is reported once at $.account."""
    error = _load_error(tmp_path, "format = 1\n")
    assert [str(p) for p in error.problems] == ["missing required table [account] @ $.account"]


def test_missing_account_field(tmp_path: Path) -> None:
    """A missing field of [account] is reported at $.account.<field>."""
    error = _load_error(tmp_path, HEADER.replace('id = "demo"\n', ""))
    assert [str(p) for p in error.problems] == ["missing required field @ $.account.id"]


def test_over_precise_amount(tmp_path: Path) -> None:
    """An amount with digits below the fen ("1.005") is refused at its path, not rounded."""
    error = _load_error(tmp_path, HEADER + '[[payments]]\ndate = 2025-03-15\namount = "1.005"\n')
    assert [str(p) for p in error.problems] == [
        "1.005 has digits below the fen (0.01); round it yourself first @ $.payments[0].amount"
    ]
    error = _load_error(tmp_path, HEADER + "[[payments]]\ndate = 2025-03-15\namount = 1.005\n")
    assert _paths(error) == ["$.payments[0].amount"]


def test_datetime_instead_of_date(tmp_path: Path) -> None:
    """A TOML date-time where a date is expected is refused at its path."""
    error = _load_error(
        tmp_path, HEADER + '[[payments]]\ndate = 2025-03-15T10:00:00\namount = "1"\n'
    )
    assert _paths(error) == ["$.payments[0].date"]
    assert "date and time" in error.message


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    """Every problem in a file is listed, each on its own line with the file name."""
    error = _load_error(
        tmp_path,
        HEADER.replace('"revolving"', '"x"')
        + '[[payments]]\ndate = 2025-03-15\namount = "abc"\n'
        + '[[payments]]\ndate = "soon"\namount = "1"\n',
    )
    assert _paths(error) == [
        "$.account.product",
        "$.payments[0].amount",
        "$.payments[1].date",
    ]
    assert len(str(error).splitlines()) == 3


def test_parse_account_accepts_json_data() -> None:
    """parse_account reads the same shape from JSON data (ISO strings for dates)."""
    data = json.loads(
        '{"format": 1, "account": {"id": "j", "provider": "generic", "product": "revolving",'
        ' "opened_on": "2024-01-05"}, "payments": [{"date": "2025-01-01", "amount": "5"}]}'
    )
    assert parse_account(data).payments == (Payment(date(2025, 1, 1), "5"),)


# --------------------------------------------------------------------------- property


@settings(max_examples=50, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2),
    quoted=st.booleans(),
)
def test_fen_amounts_in_files_parse_exactly(amount: Decimal, quoted: bool) -> None:
    """Random fen amounts, as TOML strings or numbers, load as exactly that Decimal."""
    literal = f'"{amount}"' if quoted else f"{amount:f}"
    text = HEADER + f"[[payments]]\ndate = 2025-03-15\namount = {literal}\n"
    account = load_account(text)
    assert account.payments[0].amount == amount
    assert from_dict(Account, to_dict(account)) == account


# --------------------------------------------------------------------------- schema


def _schema_keys(schema: dict[str, Any], defs: dict[str, Any]) -> set[str]:
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return set(schema.get("properties", {}))


def test_account_schema_structure() -> None:
    """The schema is draft 2020-12, strict about keys, with enums from the model."""
    schema = account_schema()
    defs = schema["$defs"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["format", "account"]
    assert schema["properties"]["format"] == {"const": 1, "description": "The file format version."}
    assert schema["additionalProperties"] is False
    account = schema["properties"]["account"]
    assert set(account["properties"]) == {
        "id",
        "provider",
        "product",
        "opened_on",
        "name",
        "funder",
        "guarantor",
    }
    assert account["required"] == ["id", "provider", "product", "opened_on"]
    assert account["properties"]["product"]["enum"] == list(model.PRODUCTS)
    assert defs["LoanTerms"]["properties"]["method"]["enum"] == list(model.METHODS)
    assert defs["LoanTerms"]["properties"]["day_basis"]["enum"] == [360, 365]
    assert set(defs["ReportedMonth"]["properties"]["status"]["enum"]) == set("/N*MCDB1234567")
    assert defs["Payment"]["required"] == ["date", "amount"]
    assert all(d["additionalProperties"] is False for d in defs.values())
    events = schema["properties"]["events"]["items"]["oneOf"]
    tags = {defs[e["$ref"].rsplit("/", 1)[1]]["properties"]["type"]["const"] for e in events}
    assert tags == set(get_registry().event_types) - {"payment"}
    policy = schema["properties"]["policy"]["properties"]
    assert set(policy) == set(PARAMETERS)
    for name, parameter in PARAMETERS.items():
        assert policy[name]["description"].startswith(parameter.doc)
    assert policy["penalty_base"]["anyOf"][0]["enum"] == [
        "unpaid_principal",
        "unpaid_principal_and_interest",
        "unpaid_amount",
    ]
    assert json.loads(json.dumps(schema)) == schema  # plain JSON data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _toml(path: Path) -> Any:
    return _jsonable(tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_keys_are_in_the_schema(path: Path) -> None:
    """Every key used by the example files is a property the schema declares."""
    schema = account_schema()
    defs = schema["$defs"]
    data = _toml(path)
    top = schema["properties"]
    assert set(data) <= set(top)
    assert set(data["account"]) <= set(top["account"]["properties"])
    assert set(data.get("policy", {})) <= set(top["policy"]["properties"])
    for section in ("bills", "payments", "reported"):
        keys = _schema_keys(top[section]["items"], defs)
        assert all(set(item) <= keys for item in data.get(section, []))
    if "loan" in data:
        assert set(data["loan"]) <= _schema_keys(top["loan"], defs)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_validate_against_schema(path: Path) -> None:
    """With jsonschema installed, the example files validate against the schema."""
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(account_schema()).validate(_toml(path))


def test_published_schema_is_current() -> None:
    """docs/reference/account-file.schema.json equals account_schema(plugins=False)."""
    import json
    from pathlib import Path

    import creditrules

    path = Path(__file__).resolve().parents[1] / "docs" / "reference" / "account-file.schema.json"
    published = json.loads(path.read_text(encoding="utf-8"))
    assert published == creditrules.account_schema(plugins=False), (
        "regenerate the schema: python -c 'import json, creditrules; "
        "print(json.dumps(creditrules.account_schema(plugins=False), indent=2, "
        "ensure_ascii=False))' > docs/reference/account-file.schema.json"
    )
