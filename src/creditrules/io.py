"""Account files: load (and write) TOML account files, and their JSON Schema.

An account file (format 1) describes one debt::

    format = 1
    [account]
    id = "demo"
    provider = "generic"          # a provider id; "generic" = policy given below
    product = "revolving"         # or "installment" with a [loan] table
    opened_on = 2024-01-05
    [policy]                      # optional overrides of the provider's policy
    grace_days = 0
    penalty_daily_rate = "0.0005"
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

Amounts may be strings or numbers; both are read exactly (TOML floats are parsed
as :class:`~decimal.Decimal`). Every problem in a file is reported at once, as
an :class:`~creditrules.errors.InputError` naming the file and the JSON path of
each bad value (``$.payments[2].amount``); a misspelt key is an error, never
silently ignored.

This module is also where the public :func:`to_dict`, :func:`from_dict` and
:func:`to_json` live: they take the registry whose event types they read
(``registry=None``: the installed plugins', :func:`creditrules.get_registry`).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from cattrs.errors import BaseValidationError

from . import _convert, _validators, model, policy
from ._convert import ACCOUNT_FILE_NOTE, check_keys, make_converter, problems_from, show
from ._i18n import N_, Translatable
from ._plugins import Registry, get_registry
from ._toml import check_depth, load_toml, loads_toml
from .errors import InputError, InputProblem
from .model import Account
from .money import parse_money, parse_rate
from .policy import convention

__all__ = [
    "FORMAT",
    "account_schema",
    "dump_account",
    "from_dict",
    "load_account",
    "parse_account",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

#: The account file format this version reads and writes.
FORMAT = 1
#: Fields of :class:`~creditrules.model.Account` given in the file's ``[account]`` table.
ACCOUNT_KEYS: tuple[str, ...] = (
    "id",
    "provider",
    "product",
    "opened_on",
    "name",
    "funder",
    "guarantor",
)
#: Top-level tables and arrays of an account file, besides ``format`` and ``[account]``.
SECTIONS: tuple[str, ...] = ("policy", "loan", "bills", "payments", "events", "reported")
_TOP_KEYS: tuple[str, ...] = ("format", "account", *SECTIONS)
_ACCOUNT_PATH = re.compile(r"\$\.([A-Za-z_][A-Za-z0-9_]*)(.*)", re.DOTALL)


# --------------------------------------------------------------------------- loading


def load_account(source: str | os.PathLike[str], *, registry: Registry | None = None) -> Account:
    """Load an account from a TOML account file, or from TOML text.

    ``source`` is a path if it is a :class:`os.PathLike`, or a one-line string
    that ends with ``.toml`` or names an existing file; any other string is
    TOML text.

    Args:
        source: Path of the file, or the TOML text itself.
        registry: The registry whose event types the file may use (plugins'
            events such as ``acme_deferral``); ``None`` for the installed
            plugins' (:func:`creditrules.get_registry`).

    Returns:
        The validated account.

    Raises:
        InputError: if the file is missing or unreadable, is not valid TOML, or
            describes an invalid account; every problem is listed with its JSON
            path, and the error names the file.
    """
    if isinstance(source, str) and not _is_path(source):
        return parse_account(loads_toml(source), registry=registry)
    file = os.fspath(source)
    return parse_account(load_toml(file), file=file, registry=registry)


def _is_path(text: str) -> bool:
    if "\n" in text or "\r" in text:
        return False
    return text.endswith(".toml") or os.path.isfile(text)


def parse_account(
    data: Mapping[str, Any], *, file: str | None = None, registry: Registry | None = None
) -> Account:
    """Build an account from the data of an account file (as parsed from TOML or JSON).

    Args:
        data: The file's top-level table.
        file: The file it came from, for messages.
        registry: The registry whose event types the file may use; ``None`` for
            the installed plugins'.

    Returns:
        The validated account.

    Raises:
        InputError: listing every problem with its JSON path.
    """
    if registry is None:
        registry = get_registry()
    if not isinstance(data, Mapping):
        raise InputError(
            Translatable(N_("expected a table, got {value}"), value=show(data)), file=file
        )
    check_depth(data, source=file)
    too_long = _validators.list_problems(dict(data))
    if too_long:
        raise InputError([InputProblem(path, message) for path, message in too_long], file=file)
    problems: list[InputProblem] = []
    if "format" not in data:
        problems.append(
            InputProblem(
                "$.format",
                Translatable(
                    N_("missing required field: start the file with format = {format}"),
                    format=FORMAT,
                ),
            )
        )
    elif type(data["format"]) is not int or data["format"] != FORMAT:
        raise InputError(
            Translatable(
                N_(
                    "unsupported format {value}; "
                    "this version of creditrules reads format = {format}"
                ),
                value=show(data["format"]),
                format=FORMAT,
            ),
            file=file,
            path="$.format",
        )
    problems += check_keys(data, _TOP_KEYS, "$")

    table = data.get("account")
    if not isinstance(table, Mapping):
        problems.append(
            InputProblem(
                "$.account",
                Translatable(N_("missing required table [account]"))
                if table is None
                else Translatable(N_("expected a table [account], got {value}"), value=show(table)),
            )
        )
        table = {}
    else:
        problems += check_keys(table, ACCOUNT_KEYS, "$.account")
    flat = {key: table[key] for key in ACCOUNT_KEYS if key in table}
    flat.update({key: data[key] for key in SECTIONS if key in data})

    try:
        account: Account = registry.converter.structure(flat, Account)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        found = [InputProblem(_file_path(p.path), p.message) for p in problems_from(exc)]
        if "account" not in data or not isinstance(data["account"], Mapping):
            found = [p for p in found if not p.path.startswith("$.account.")]
        problems += found
    if problems:
        raise InputError(problems, file=file)
    return account


def _file_path(path: str) -> str:
    """Map a path in :class:`Account` (``$.id``) to the file's (``$.account.id``)."""
    match = _ACCOUNT_PATH.fullmatch(path)
    if match and match.group(1) in ACCOUNT_KEYS:
        return f"$.account.{match.group(1)}{match.group(2)}"
    return path


# --------------------------------------------------------------------------- plain data


def to_dict(value: Any, unstructure_as: Any = None, *, registry: Registry | None = None) -> Any:
    """Turn a creditrules value into plain data (dicts, lists, str, int, bool).

    Decimals become strings, dates ISO strings, tuples lists.

    Args:
        value: Any creditrules value (an attrs instance, a tuple of them, …).
        unstructure_as: The type to dump ``value`` as; pass
            :data:`~creditrules.model.Event` to get an event's ``type`` tag.
        registry: The registry whose event types tag unions of events; ``None``
            for the core event types (an event in an account is tagged by its
            own class, whichever plugin registered it).

    Returns:
        JSON-compatible data; ``from_dict(type(value), to_dict(value)) == value``.
    """
    converter = _convert.converter if registry is None else registry.converter
    return _convert.to_dict(value, unstructure_as, converter=converter)


@typing.overload
def from_dict(cls: type[T], data: Any, *, registry: Registry | None = None) -> T: ...
@typing.overload
def from_dict(cls: Any, data: Any, *, registry: Registry | None = None) -> Any: ...
def from_dict(cls: Any, data: Any, *, registry: Registry | None = None) -> Any:
    """Build a ``cls`` from plain data (the inverse of :func:`to_dict`).

    Args:
        cls: The class to build, e.g. :class:`~creditrules.model.Account`, or a
            type such as :data:`~creditrules.model.Event` or ``tuple[Bill, ...]``.
        data: Plain data, e.g. from :func:`json.loads`.
        registry: The registry whose event types the data may use; ``None`` for
            the installed plugins' (:func:`creditrules.get_registry`).

    Returns:
        The structured, validated value.

    Raises:
        InputError: listing every problem with its JSON path.
    """
    if registry is None:
        registry = get_registry()
    return _convert.from_dict(cls, data, converter=registry.converter)


def to_json(value: Any, *, indent: int | None = 2, registry: Registry | None = None) -> str:
    """Dump a creditrules value as JSON text (non-ASCII such as Chinese kept readable).

    Args:
        value: Any value :func:`to_dict` accepts.
        indent: JSON indentation, or ``None`` for one line.
        registry: As for :func:`to_dict`.

    Returns:
        The JSON text.
    """
    converter = _convert.converter if registry is None else registry.converter
    return _convert.to_json(value, indent=indent, converter=converter)


# --------------------------------------------------------------------------- writing

_native = make_converter(native_dates=True)


def dump_account(account: Account) -> str:
    """Write an account as TOML text in file format 1.

    ``load_account(dump_account(a)) == a``. Empty strings and unset optional
    values are left out.

    Args:
        account: The account to write.

    Returns:
        The TOML text.

    Raises:
        ValueError: if a policy value is unset (``None``), which TOML cannot express.
    """
    data = _native.unstructure(account, Account)
    lines = [f"format = {FORMAT}", "", "[account]"]
    lines += _toml_lines({key: data[key] for key in ACCOUNT_KEYS})
    for name, tables in data["policy"].items():
        versions = tables if isinstance(tables, list) else [tables]
        for table in versions:
            if table["value"] is None:
                raise ValueError(f"policy value {name!r} is unset (None); TOML cannot express it")
            header = f"[[policy.{name}]]" if isinstance(tables, list) else f"[policy.{name}]"
            lines += ["", header, *_toml_lines(table)]
    if data["loan"] is not None:
        lines += ["", "[loan]", *_toml_lines(data["loan"])]
    for section in ("bills", "payments", "events", "reported"):
        for item in data[section]:
            lines += ["", f"[[{section}]]", *_toml_lines(item)]
    return "\n".join(lines) + "\n"


def _toml_lines(table: Mapping[str, Any]) -> list[str]:
    return [
        f"{_toml_key(key)} = {_toml_value(value)}"
        for key, value in table.items()
        if value is not None and value != ""
    ]


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, Decimal):
        return _toml_string(str(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ValueError(f"cannot write {value!r} as TOML")


# --------------------------------------------------------------------------- JSON Schema

_MONEY_PATTERN = r"^\s*-?[0-9][0-9,]*(\.[0-9]+)?\s*$"
_RATE_PATTERN = r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*$"


def _money_schema(minimum: str | None = None) -> dict[str, Any]:
    pattern = _MONEY_PATTERN.replace("-?", "") if minimum else _MONEY_PATTERN
    number: dict[str, Any] = {"type": "number"}
    if minimum == "non_negative":
        number["minimum"] = 0
    elif minimum == "positive":
        number["exclusiveMinimum"] = 0
    return {
        "description": "An amount of CNY, exact to the fen (0.01): a string such as "
        '"1000.00" or a number.',
        "anyOf": [{"type": "string", "pattern": pattern}, number],
    }


def _rate_schema(maximum: Decimal | None = None) -> dict[str, Any]:
    number: dict[str, Any] = {"type": "number", "minimum": 0}
    bound = ""
    if maximum is not None:
        number["maximum"] = float(maximum)
        bound = f", at most {maximum}"
    return {
        "description": 'A non-negative rate as a fraction ("0.0005" = 0.05 %), string or '
        f"number{bound}.",
        "anyOf": [{"type": "string", "pattern": _RATE_PATTERN}, number],
    }


_DATE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "description": "A date, YYYY-MM-DD (a TOML local date, or an ISO string).",
}


def _closure(function: Callable[..., Any]) -> dict[str, Any]:
    cells = getattr(function, "__closure__", None) or ()
    names = getattr(getattr(function, "__code__", None), "co_freevars", ())
    return {name: cell.cell_contents for name, cell in zip(names, cells, strict=False)}


def _choices(validator: Any) -> tuple[Any, ...] | None:
    """The allowed values of an ``one_of``/``in_`` validator (or ``and_`` of them)."""
    if validator is None:
        return None
    for inner in getattr(validator, "_validators", ()):
        found = _choices(inner)
        if found is not None:
            return found
    options = getattr(validator, "options", None)
    if options is not None:
        return tuple(options)
    choices = _closure(validator).get("choices")
    return tuple(choices) if isinstance(choices, tuple) else None


def _validator_names(validator: Any) -> set[Any]:
    inner = getattr(validator, "_validators", None)
    if inner is not None:
        return set().union(*(_validator_names(v) for v in inner))
    return {validator}


def _field_docs(cls: type[Any]) -> dict[str, str]:
    """Descriptions of fields from the ``Attributes:`` section of a class docstring."""
    doc = inspect.getdoc(cls) or ""
    docs: dict[str, str] = {}
    section = re.search(r"^Attributes:\n((?:[ \t]+\S.*\n?|\n)*)", doc, re.MULTILINE)
    if not section:
        return docs
    current = None
    for line in section.group(1).splitlines():
        entry = re.match(r"^    (\w+)(?: \([^)]*\))?: (.*)$", line)
        if entry:
            current = entry.group(1)
            docs[current] = entry.group(2).strip()
        elif current and line.strip():
            docs[current] += " " + line.strip()
    return {name: text.replace("``", "`") for name, text in docs.items()}


def _summary(cls: type[Any]) -> str:
    return (inspect.getdoc(cls) or cls.__name__).split("\n\n")[0].replace("\n", " ")


class _SchemaBuilder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, cls: type[Any], tag: str | None = None) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.object(cls, tag)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type[Any], tag: str | None = None) -> dict[str, Any]:
        attrs.resolve_types(cls)
        docs = _field_docs(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if tag is not None:
            properties["type"] = {"const": tag, "description": "The event type."}
            required.append("type")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            schema = self.field(field)
            if field.name in docs:
                kind = schema.get("description")
                described = f"{docs[field.name]} ({kind})" if kind else docs[field.name]
                schema = {**schema, "description": described}
            properties[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
        return {
            "type": "object",
            "description": _summary(cls),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }

    def field(self, field: attrs.Attribute[Any]) -> dict[str, Any]:
        type_ = field.type
        members = [m for m in typing.get_args(type_) if m is not type(None)]
        if typing.get_origin(type_) in (typing.Union, types.UnionType) and len(members) == 1:
            type_ = members[0]
        validators = _validator_names(field.validator) if field.validator else set()
        choices = _choices(field.validator)
        if type_ is Decimal:
            converter: Any = field.converter
            if converter in (_validators.money, _validators.optional_money):
                if _validators.positive in validators:
                    return _money_schema("positive")
                if _validators.non_negative in validators:
                    return _money_schema("non_negative")
                return _money_schema()
            if converter is _validators.optional_daily_rate:
                return _rate_schema(_validators.MAX_DAILY_RATE)
            if converter is _validators.optional_annual_rate:
                return _rate_schema(_validators.MAX_ANNUAL_RATE)
            return _rate_schema()
        if type_ is int:
            schema: dict[str, Any] = {"type": "integer"}
            if choices:
                schema["enum"] = list(choices)
            elif _validators.positive in validators:
                schema["minimum"] = 1
            return schema
        if type_ is date:
            return dict(_DATE_SCHEMA)
        if type_ is str:
            schema = {"type": "string"}
            if choices:
                schema["enum"] = list(choices)
            elif field.validator is not None and "min_len" in repr(field.validator):
                schema["minLength"] = 1
            return schema
        return self.type(type_)

    def type(self, type_: Any) -> dict[str, Any]:
        origin = typing.get_origin(type_)
        if origin in (tuple, list):
            (item, *_rest) = typing.get_args(type_) or (Any,)
            return {"type": "array", "items": self.type(item)}
        if type_ is bool:
            return {"type": "boolean"}
        if attrs.has(type_):
            return self.ref(type_)
        return {}


def _parameter_value_schema(parameter: policy.Parameter) -> dict[str, Any]:
    """What a plain value of a policy parameter looks like (best effort, else anything)."""
    parse: Callable[..., Any] = parameter.parse
    closure = _closure(parse)
    if "parse" in closure and len(closure) == 1:  # _optional(...)
        parse = closure["parse"]
        closure = _closure(parse)
    if "convert" in closure:  # _validators.optional_bounded_rate(...)
        parse = closure["convert"]
        closure = _closure(parse)
    if parse is parse_rate:
        return _rate_schema()
    if isinstance(closure.get("maximum"), Decimal):  # _validators.bounded_rate(...)
        return _rate_schema(closure["maximum"])
    if parse is parse_money:
        return _money_schema("non_negative")
    if parse is policy._bool:
        return {"type": "boolean"}
    if parse is policy._order:
        return {
            "type": "array",
            "items": {"enum": list(policy.COMPONENTS)},
            "minItems": len(policy.COMPONENTS),
            "maxItems": len(policy.COMPONENTS),
            "uniqueItems": True,
        }
    if parse is policy._fee_table:
        return {
            "type": "object",
            "description": "Number of installments → total fee rate.",
            "patternProperties": {"^[0-9]+$": _rate_schema(_validators.MAX_SHARE)},
            "additionalProperties": False,
        }
    if "choices" in closure:
        return {"enum": list(closure["choices"])}
    if "minimum" in closure:
        integer = {"type": "integer", "minimum": closure["minimum"]}
        if "maximum" in closure:
            integer["maximum"] = closure["maximum"]
        return integer
    default = parameter.default
    if isinstance(default, int) and not isinstance(default, bool):
        return {"type": "integer"}
    return {}


def _policy_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, parameter in policy.PARAMETERS.items():
        value = _parameter_value_schema(parameter)
        table = {
            "type": "object",
            "properties": {
                "value": value,
                "source": {"type": "string", "minLength": 1, "description": "URL or citation."},
                "grade": {"enum": list(policy.GRADES), "description": "Confidence grade."},
                "note": {"type": "string"},
                "effective_from": dict(_DATE_SCHEMA),
                "effective_to": dict(_DATE_SCHEMA),
            },
            "required": ["value"],
            "additionalProperties": False,
        }
        properties[name] = {
            "description": f"{parameter.doc} ({convention(parameter.spec)}; engine default "
            f"{parameter.dump(parameter.default)!r})",
            "anyOf": [
                value,
                table,
                {"type": "array", "items": table, "minItems": 1},
            ],
        }
    return {
        "type": "object",
        "description": "The account's own policy values, overriding the provider's. A plain "
        f'value is recorded with source "account file", grade A and the note "{ACCOUNT_FILE_NOTE}"'
        "; a table gives its own source, grade and dates; an array of tables gives "
        "effective-dated versions that must not overlap.",
        "properties": properties,
        "additionalProperties": False,
    }


def account_schema(*, plugins: bool = True, registry: Registry | None = None) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of account file format 1.

    It is derived from the model's attrs fields, their validators and
    docstrings, and from :data:`creditrules.policy.PARAMETERS`. TOML dates and
    numbers appear as JSON strings and numbers. Cross-field rules (a bill's due
    date after its statement date, dates after the account opened, …) are
    checked by :func:`load_account`, not by the schema, except that an
    ``installment`` account requires ``[loan]``.

    Args:
        plugins: Include the event types that plugins register (e.g.
            ``acme_deferral``); ``False`` gives the core format only.
        registry: The registry whose plugins' event types to include; ``None``
            for the installed plugins' (:func:`creditrules.get_registry`).

    Returns:
        A new dict each call.
    """
    if not plugins:
        event_types = model.CORE_EVENT_TYPES
    else:
        event_types = (registry if registry is not None else get_registry()).event_types
    builder = _SchemaBuilder()
    account = builder.object(Account)
    account_table = {
        "type": "object",
        "description": "The account: who lends, what product, since when.",
        "properties": {k: v for k, v in account["properties"].items() if k in ACCOUNT_KEYS},
        "required": [k for k in account["required"] if k in ACCOUNT_KEYS],
        "additionalProperties": False,
    }
    events = [builder.ref(cls, tag) for tag, cls in event_types.items() if cls is not model.Payment]
    docs = _field_docs(Account)

    def section(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"description": docs.get(name, ""), **schema} if name in docs else schema

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"creditrules account file, format {FORMAT}",
        "description": _summary(Account),
        "type": "object",
        "properties": {
            "format": {"const": FORMAT, "description": "The file format version."},
            "account": account_table,
            "policy": _policy_schema(),
            "loan": section("loan", builder.ref(model.LoanTerms)),
            "bills": section("bills", {"type": "array", "items": builder.ref(model.Bill)}),
            "payments": section("payments", {"type": "array", "items": builder.ref(model.Payment)}),
            "events": section("events", {"type": "array", "items": {"oneOf": events}}),
            "reported": section(
                "reported", {"type": "array", "items": builder.ref(model.ReportedMonth)}
            ),
        },
        "required": ["format", "account"],
        "additionalProperties": False,
        "allOf": [
            {
                "if": {
                    "properties": {
                        "account": {
                            "properties": {"product": {"const": "installment"}},
                            "required": ["product"],
                        }
                    },
                    "required": ["account"],
                },
                "then": {"required": ["loan"], "not": {"required": ["bills"]}},
                "else": {"not": {"required": ["loan"]}},
            }
        ],
        "$defs": builder.defs,
    }
