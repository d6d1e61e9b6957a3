"""Serialization: the project's cattrs converters and their hooks (private).

Every value creditrules reads or writes goes through a project-owned
:class:`cattrs.Converter` built by :func:`make_converter` (never cattrs' global
one): :data:`converter` for the core event types, ``Registry.converter`` for a
registry whose plugins add event types.

* ``Decimal`` ↔ ``str`` (exact; binary floats are refused), ``date`` ↔ ISO
  ``YYYY-MM-DD`` (date-times are refused); ``int``, ``str`` and ``bool`` are
  strict (``"5"`` is not an int, ``1`` is not a bool).
* Events (:data:`creditrules.model.Event`) are tagged with ``type``; the tag is
  looked up in the mapping of event types the converter was built with.
* ``Account.policy`` is the ``[policy]`` table of account files: parameter name
  → plain value, table ``{value, source, grade, note, effective_from,
  effective_to}`` or array of such tables (effective-dated versions).
* Any attrs class round-trips: ``from_dict(type(x), to_dict(x)) == x``. Unknown
  keys are errors (worded by :func:`unknown_key`, the one wording of an unknown
  key), and each field's attrs converter and validator are checked while
  structuring so that an error carries the field's path (``$.payments[2].amount``),
  not just the class's.

Errors are collected by cattrs' detailed validation; :func:`problems_from`
turns them into :class:`~creditrules.errors.InputProblem` with JSON paths, and
:func:`format_exception` (usable with :func:`cattrs.transform_error` too) words
each one.

The hooks are module-level functions that take the converter they work for (and
what else they need) as their first arguments; :func:`make_converter` binds them
with :func:`functools.partial`.

>>> from datetime import date
>>> from creditrules.model import Waiver
>>> to_dict(Waiver(date(2025, 4, 1), "penalty", "1.00"), Event)
{'type': 'waiver', 'date': '2025-04-01', 'component': 'penalty', 'amount': '1.00', 'note': ''}
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, MutableSequence, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import partial
from typing import Any, Literal, TypeVar, Union

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence, list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _validators, model
from ._i18n import N_, Localizable, Translatable, message_of
from ._toml import check_depth
from ._words import show, unknown_key
from .errors import InputError, InputProblem
from .policy import PARAMETERS, PolicyValue

__all__ = [
    "ACCOUNT_FILE_NOTE",
    "ACCOUNT_FILE_SOURCE",
    "Event",
    "check_keys",
    "converter",
    "format_exception",
    "from_dict",
    "key_path",
    "make_converter",
    "problems_from",
    "show",
    "to_dict",
    "to_json",
    "unknown_key",
]

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)
Event = model.Event
StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]

#: ``source`` of a policy value given as a plain value in an account file.
ACCOUNT_FILE_SOURCE = "account file"
#: ``note`` of a policy value given as a plain value in an account file.
ACCOUNT_FILE_NOTE = (
    "stated in the account file (the borrower's contract); creditrules cannot verify it"
)
_POLICY_TABLE_KEYS = ("value", "source", "grade", "note", "effective_from", "effective_to")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DECIMAL_REPR = re.compile(r"Decimal\('([^']*)'\)")


# --------------------------------------------------------------------------- messages


#: What attrs' own validators say (the English kept, their values read back).
_ATTRS_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Length of '\w+' must be >= 1: 0\Z"), N_("must not be empty")),
    (
        re.compile(r"'(?P<name>\w+)' must match regex (?P<pattern>.+) \((?P<value>.+) doesn't\)\Z"),
        N_("'{name}' must match regex {pattern} ({value} doesn't)"),
    ),
    (
        re.compile(
            r"'(?P<name>\w+)' must be <class '(?P<kind>\w+)'> "
            r"\(got (?P<value>.+) that is a <class '(?P<given>\w+)'>\)\.\Z"
        ),
        N_("'{name}' must be <class '{kind}'> (got {value} that is a <class '{given}'>)."),
    ),
    (
        re.compile(r"'(?P<name>\w+)' must be in (?P<choices>.+) \(got (?P<value>.+)\)\Z"),
        N_("'{name}' must be in {choices} (got {value})"),
    ),
)


def _clean(exc: E, name: str | None = None) -> E:
    """Polish a plain ValueError/TypeError message: drop a leading field name, Decimal reprs.

    A :class:`~creditrules._i18n.Translatable` message keeps its catalogue message; an
    attrs validator's message becomes one (:data:`_ATTRS_MESSAGES`).
    """
    if type(exc) not in (ValueError, TypeError) or not exc.args:
        return exc
    message = exc.args[0]
    if isinstance(message, Translatable):
        return type(exc)(_without_name(_plain_decimals(message), name))
    if isinstance(message, Localizable):  # a plugin's phrase
        return type(exc)(_without_name(message, name))  # type: ignore[arg-type]
    if not isinstance(message, str):
        return exc
    message = _DECIMAL_REPR.sub(r"\1", message)
    for pattern, wording in _ATTRS_MESSAGES:
        match = pattern.match(message)
        if match is not None:
            values: dict[str, Any] = match.groupdict()
            return type(exc)(Translatable(wording, **values))
    if name is not None and message.startswith(f"{name} "):
        message = message[len(name) + 1 :]
    return type(exc)(message)


def _plain_decimals(message: Translatable) -> Translatable:
    """The message with ``Decimal('1.5')`` in its values written ``1.5``."""
    if message.joiner is not None:
        parts = [
            _plain_decimals(part) if isinstance(part, Translatable) else part
            for part in message.parts
        ]
        return Translatable.join(parts, message.joiner)
    if not message.values:
        return message
    values = {key: _plain_decimal(value) for key, value in message.values}
    return Translatable(message.message, translations=dict(message.translations), **values)


def _plain_decimal(value: Any) -> Any:
    if isinstance(value, Translatable):
        return _plain_decimals(value)
    if isinstance(value, str) and not isinstance(value, Localizable):
        return _DECIMAL_REPR.sub(r"\1", value)
    return value


def _without_name(message: Translatable, name: str | None) -> Translatable:
    """The message without the field name it starts with (``grace_days must …``).

    Such a message is a join of words (:func:`~creditrules._validators.named`) or of
    sentences (a plugin's :class:`~creditrules.remediation.Phrase`) whose first part
    is the name.
    """
    parts: tuple[Any, ...] = getattr(message, "parts", ())
    joiner = getattr(message, "joiner", None)
    if name is None or joiner not in ("words", "sentences") or len(parts) < 2:
        return message
    if parts[0] != name:
        return message
    rest = parts[1:]
    if len(rest) == 1 and isinstance(rest[0], Localizable):
        return rest[0]  # type: ignore[return-value]
    return Translatable.join(rest, joiner)


def _noted(exc: E, name: str, type_: Any = None) -> E:
    """Attach a cattrs attribute note so the error's path ends in ``.name``."""
    note = AttributeValidationNote(f"Structuring @ attribute {name}", name, type_)
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
    return exc


def check_keys(table: Mapping[Any, Any], allowed: Iterable[str], path: str) -> list[InputProblem]:
    """Find the keys of a plain table that are not allowed there.

    For tables read before they are structured (the top of an account or
    provider file); attrs classes check their keys while structuring.

    Args:
        table: The table.
        allowed: Its allowed keys, in the order to list them.
        path: JSON path of the table.

    Returns:
        One problem per unknown key, worded by :func:`unknown_key`, at the key's path.
    """
    known = tuple(allowed)
    return [
        InputProblem(path + key_path(key), unknown_key(key, known))
        for key in table
        if key not in known
    ]


def format_exception(exc: BaseException, type: Any = None) -> str:
    """Word one leaf error of structuring for a user.

    Has the signature of :func:`cattrs.v.format_exception`, so it can also be
    passed to :func:`cattrs.transform_error`.

    Args:
        exc: The exception raised for one value.
        type: The type the value was being structured as, if known.

    Returns:
        A message such as ``missing required field`` or
        ``must not be negative, got -5.00``.
    """
    if isinstance(exc, KeyError):
        return Translatable(N_("missing required field"))
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = Translatable.join(sorted(map(str, exc.extra_fields)), "list")
        return Translatable(N_("unknown keys: {keys}"), keys=keys)
    if isinstance(exc, (ValueError, TypeError, cattrs.errors.CattrsError)) and str(exc):
        return message_of(_clean(exc))
    return Translatable(
        N_("invalid value ({error})"), error=f"{exc.__class__.__name__}: {message_of(exc)}"
    )


def key_path(name: Any) -> str:
    """The JSON path step to a key or index: ``.amount``, ``[2]``, ``["年费"]``."""
    if isinstance(name, str) and _IDENTIFIER.fullmatch(name):
        return f".{name}"
    if isinstance(name, int):
        return f"[{name}]"
    return f"[{json.dumps(str(name), ensure_ascii=False)}]"


def problems_from(exc: BaseException, path: str = "$") -> list[InputProblem]:
    """Flatten a structuring error into problems with JSON paths.

    Walks cattrs' detailed-validation exception groups (as
    :func:`cattrs.transform_error` does) and also expands the ``(path,
    message)`` pairs of :class:`~creditrules.model.AccountProblems` and nested
    :class:`~creditrules.errors.InputError`, relative to where they occurred.

    Args:
        exc: What structuring raised.
        path: JSON path of the value being structured.

    Returns:
        One problem per leaf error, in the order they were found.
    """
    found: list[InputProblem] = []
    if isinstance(exc, ClassValidationError):
        class_notes, without = exc.group_exceptions()
        for sub, note in class_notes:
            found += problems_from(sub, path + key_path(note.name))
        for sub in without:
            found += problems_from(sub, path)
    elif isinstance(exc, IterableValidationError):
        index_notes, without = exc.group_exceptions()
        for sub, index_note in index_notes:
            found += problems_from(sub, path + key_path(index_note.index))
        for sub in without:
            found += problems_from(sub, path)
    elif isinstance(exc, model.AccountProblems):
        found += [InputProblem(path + where[1:], message) for where, message in exc.problems]
    elif isinstance(exc, InputError):
        found += [InputProblem(path + p.path[1:], p.message) for p in exc.problems]
    else:
        found.append(InputProblem(path, format_exception(exc)))
    return found


# --------------------------------------------------------------------------- scalars


def _got(message: str, value: Any) -> Translatable:
    """``message`` (``expected …, got {value}``) with the user's value shown."""
    return Translatable(message, value=show(value))


def _structure_decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(_got(N_("expected a decimal number, got {value}"), value))
    if isinstance(value, float):
        raise TypeError(
            Translatable(
                N_(
                    "got the binary float {value}; "
                    'write it as a string ("{text}") so it stays exact'
                ),
                value=repr(value),
                text=str(value),
            )
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(_got(N_("expected a decimal number, got {value}"), value)) from None
    else:
        raise TypeError(_got(N_("expected a decimal number, got {value}"), value))
    if not number.is_finite():
        raise ValueError(_got(N_("expected a finite number, got {value}"), value))
    return number


def _structure_date(value: Any, _: Any) -> date:
    if isinstance(value, datetime):
        raise TypeError(
            Translatable(
                N_("expected a date (YYYY-MM-DD), got the date and time {value}"),
                value=value.isoformat(),
            )
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(
                Translatable(
                    N_("{value} is not a valid date: {reason}"),
                    value=show(value),
                    reason=Translatable(str(exc)),
                )
            ) from None
    raise TypeError(_got(N_("expected a date (YYYY-MM-DD), got {value}"), value))


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(_got(N_("expected a whole number, got {value}"), value))
    return value


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(_got(N_("expected text (a string), got {value}"), value))
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(_got(N_("expected true or false, got {value}"), value))
    return value


def _is_plain_literal(type_: Any) -> bool:
    return typing.get_origin(type_) is Literal and not any(
        isinstance(arg, Enum) for arg in typing.get_args(type_)
    )


def _structure_literal(value: Any, type_: Any) -> Any:
    choices = typing.get_args(type_)
    for choice in choices:
        if value == choice and type(value) is type(choice):
            return choice
    raise ValueError(
        Translatable(
            N_("must be one of {choices}, got {value}"),
            choices=Translatable.join(list(map(repr, choices)), "list"),
            value=show(value),
        )
    )


# --------------------------------------------------------------------------- sequences


def sequence_structure_factory(conv: cattrs.Converter, type_: Any) -> StructureHook:
    """Hook factory for lists and tuples: cattrs' own, refusing a string or a table."""
    origin = typing.get_origin(type_) or type_
    if origin in (list, MutableSequence):
        default = list_structure_factory(type_, conv)
    else:
        default = homogenous_tuple_structure_factory(type_, conv)
    return partial(_structure_sequence, default)


def _structure_sequence(default: StructureHook, value: Any, type_: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(_got(N_("expected a list, got {value}"), value))
    return default(value, type_)


# --------------------------------------------------------------------------- attrs classes


def _hook_for(conv: cattrs.Converter, type_: Any) -> StructureHook:
    if type_ is None:
        return _identity
    try:
        return conv.get_structure_hook(type_)
    except RecursionError:  # pragma: no cover - self-referencing classes
        return conv.structure


def _identity(value: Any, _: Any) -> Any:
    return value


def field_hook(attribute: attrs.Attribute[Any], inner: StructureHook) -> StructureHook:
    """Wrap a field's structure hook so that its attrs converter and validator run too.

    An error then carries the field's path, not only the class's. A converter
    that needs the instance (:class:`attrs.Converter`) is left to ``__init__``.

    Args:
        attribute: The attrs field.
        inner: The hook that structures the field's type.

    Returns:
        The wrapped hook.
    """
    if isinstance(attribute.converter, attrs.Converter):
        return inner
    return partial(_structure_field, attribute, inner)


_AMOUNTS: tuple[Any, ...] = (_validators.money, _validators.optional_money)


def _structure_field(
    attribute: attrs.Attribute[Any], inner: StructureHook, value: Any, _: Any
) -> Any:
    result = inner(value, attribute.type)
    checked = result
    if attribute.converter is not None:
        try:
            if attribute.converter in _AMOUNTS and isinstance(result, Decimal):
                _validators.check_input_amount(result)  # an amount read from a file
            checked = attribute.converter(result)  # type: ignore[operator]
        except (ValueError, TypeError) as exc:
            raise _clean(exc, attribute.name) from None
    if attribute.validator is not None:
        try:
            attribute.validator(None, attribute, checked)
        except (ValueError, TypeError) as exc:
            raise _clean(exc, attribute.name) from None
        except Exception:  # needs the instance: __init__ checks it
            pass
    return result  # __init__ converts and validates again, on the real instance


def attrs_structure_factory(conv: cattrs.Converter, cl: Any) -> StructureHook:
    """Hook factory for attrs classes: fields checked one by one, unknown keys refused."""
    return attrs_structure_hook(conv, cl, {})


def attrs_structure_hook(
    conv: cattrs.Converter, cl: Any, inner: Mapping[str, StructureHook]
) -> StructureHook:
    """Build the structure hook of the attrs class ``cl``.

    Args:
        conv: The converter the hook works for.
        cl: The attrs class.
        inner: Hooks for some fields, replacing the hooks of their types.

    Returns:
        A hook that reports every bad field and every unknown key at once.
    """
    if typing.get_origin(cl) is not None:  # a generic attrs class: plain cattrs
        return make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=True)
    attrs.resolve_types(cl)
    fields = [a for a in attrs.fields(cl) if a.init and a.metadata.get("serialize", True)]
    overrides: dict[str, Any] = {
        a.name: override(omit=True)
        for a in attrs.fields(cl)
        if a.init and not a.metadata.get("serialize", True)
    }
    for a in fields:
        key = serialized_name(a)
        if a.name in inner or a.converter is not None or a.validator is not None:
            base = inner.get(a.name) or _hook_for(conv, a.type)
            overrides[a.name] = override(rename=key, struct_hook=field_hook(a, base))
        elif key != a.name:
            overrides[a.name] = override(rename=key)
    generated = make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=False, **overrides)
    return partial(_structure_attrs, cl, generated, tuple(serialized_name(a) for a in fields))


def serialized_name(attribute: attrs.Attribute[Any]) -> str:
    """The key of an attrs field in plain data: its name, or ``metadata["serialize_as"]``.

    A private field behind a public property (e.g. an assessment's lazily planned
    ``actions``) is written under the property's name, from the property.
    """
    name: str = attribute.metadata.get("serialize_as", attribute.name)
    return name


def _has_hidden_fields(cl: Any) -> bool:
    return attrs.has(cl) and any(
        "serialize_as" in a.metadata or not a.metadata.get("serialize", True)
        for a in attrs.fields(cl)
    )


def hidden_fields_unstructure_factory(conv: cattrs.Converter, cl: Any) -> UnstructureHook:
    """Unstructure attrs classes with fields marked in their metadata.

    ``metadata={"serialize": False}`` leaves a field out (e.g. services a value
    holds but does not own); ``metadata={"serialize_as": name}`` writes the
    public attribute ``name`` in the field's place.
    """
    fields = attrs.fields(cl)
    omitted: dict[str, Any] = {
        a.name: override(omit=True)
        for a in fields
        if "serialize_as" in a.metadata or not a.metadata.get("serialize", True)
    }
    generated = make_dict_unstructure_fn(cl, conv, **omitted)
    exposed = tuple((serialized_name(a), a.type) for a in fields if "serialize_as" in a.metadata)
    return partial(_unstructure_hidden, conv, generated, exposed)


def _unstructure_hidden(
    conv: cattrs.Converter,
    generated: UnstructureHook,
    exposed: tuple[tuple[str, Any], ...],
    value: Any,
) -> Any:
    data = generated(value)
    for name, type_ in exposed:
        data[name] = conv.unstructure(getattr(value, name), unstructure_as=type_)
    return data


def _structure_attrs(
    cl: Any, generated: StructureHook, allowed: tuple[str, ...], data: Any, _: Any
) -> Any:
    if not isinstance(data, Mapping):
        raise TypeError(_got(N_("expected a table, got {value}"), data))
    unknown = [
        _noted(ValueError(unknown_key(key, allowed)), str(key))
        for key in data
        if key not in allowed
    ]
    try:
        result = generated(data, cl)
    except ClassValidationError as exc:
        if not unknown:
            raise
        raise ClassValidationError(exc.message, [*exc.exceptions, *unknown], cl) from None
    if unknown:
        raise ClassValidationError(f"While structuring {cl.__name__}", unknown, cl)
    return result


# --------------------------------------------------------------------------- events


def _union_members(type_: Any) -> tuple[Any, ...]:
    if typing.get_origin(type_) in (Union, types.UnionType):
        return typing.get_args(type_)
    return ()


def is_event_union(event_types: Mapping[str, type[Any]], type_: Any) -> bool:
    """Tell whether ``type_`` is a union of classes of ``event_types`` (optionally with None)."""
    members = [m for m in _union_members(type_) if m is not type(None)]
    return bool(members) and all(
        event_types.get(getattr(m, "type", None)) is m  # type: ignore[arg-type]
        for m in members
    )


def structure_event(
    conv: cattrs.Converter, event_types: Mapping[str, type[Any]], data: Any, union: Any
) -> Any:
    """Structure an event from a table tagged with ``type``, a tag of ``event_types``."""
    if data is None and type(None) in _union_members(union):
        return None
    if not isinstance(data, Mapping):
        raise TypeError(_got(N_("expected a table with a type, got {value}"), data))
    if "type" not in data:
        missing = _noted(KeyError("type"), "type")
        raise ClassValidationError("While structuring an event", [missing], dict)
    tag = data["type"]
    cls = event_types.get(tag) if isinstance(tag, str) else None
    if cls is None:
        known = Translatable.join(list(event_types), "list")
        error = ValueError(
            Translatable(
                N_("unknown event type {type}; known types: {known}"), type=show(tag), known=known
            )
        )
        raise ClassValidationError("While structuring an event", [_noted(error, "type")], dict)
    return conv.structure({k: v for k, v in data.items() if k != "type"}, cls)


def unstructure_event(conv: cattrs.Converter, event: Any) -> Any:
    """Unstructure an event as a table whose first key is its ``type`` tag."""
    if event is None:
        return None
    return {"type": type(event).type, **conv.unstructure(event, type(event))}


# --------------------------------------------------------------------------- policy values


def structure_policy_value(conv: cattrs.Converter, base: StructureHook, data: Any, _: Any) -> Any:
    """Structure a :class:`PolicyValue`, reporting a bad value at ``.value``.

    Args:
        conv: The converter the hook works for.
        base: The attrs hook of :class:`PolicyValue`.
        data: The table.
        _: The type (:class:`PolicyValue`).

    Returns:
        The policy value.
    """
    if not isinstance(data, Mapping):
        raise TypeError(_got(N_("expected a table, got {value}"), data))
    value_error = None
    name = data.get("name")
    if isinstance(name, str) and name in PARAMETERS and "value" in data:
        try:
            PARAMETERS[name].parse(data["value"])
        except (ValueError, TypeError) as exc:
            value_error = _noted(_clean(exc), "value")
    try:
        result: PolicyValue = base(data, PolicyValue)
    except ClassValidationError as exc:
        if value_error is None:
            raise
        noted, _unnoted = exc.group_exceptions()  # __post_init__ failed on the value
        kept = [sub for sub, _note in noted]
        raise ClassValidationError(exc.message, [*kept, value_error], PolicyValue) from None
    return result


def policy_table(conv: cattrs.Converter, value: PolicyValue) -> dict[str, Any]:
    """A policy value as the table of an account file (its name is the key)."""
    table = {
        "value": PARAMETERS[value.name].dump(value.value),
        "source": value.source,
        "grade": value.grade,
        "note": value.note,
    }
    if value.effective_from is not None:
        table["effective_from"] = conv.unstructure(value.effective_from, date)
    if value.effective_to is not None:
        table["effective_to"] = conv.unstructure(value.effective_to, date)
    return table


def unstructure_policy_value(conv: cattrs.Converter, value: PolicyValue) -> dict[str, Any]:
    """A policy value as a table with its name."""
    return {"name": value.name, **policy_table(conv, value)}


# --------------------------------------------------------------------------- Account.policy


def _parameter_from_table(conv: cattrs.Converter, name: str, table: Any) -> PolicyValue:
    if not isinstance(table, Mapping):
        raise TypeError(_got(N_("expected a table with a value, got {value}"), table))
    if "name" in table:
        error = ValueError(
            Translatable(N_("unknown key: the parameter's name is its key in [policy]"))
        )
        raise ClassValidationError("While structuring", [_noted(error, "name")], PolicyValue)
    defaults = {"source": ACCOUNT_FILE_SOURCE, "grade": "A"}
    if "source" not in table:
        defaults["note"] = ACCOUNT_FILE_NOTE
    result: PolicyValue = conv.structure({"name": name, **defaults, **table}, PolicyValue)
    return result


def _is_policy_table(raw: Any) -> bool:
    return isinstance(raw, Mapping) and any(key in raw for key in _POLICY_TABLE_KEYS)


def _structure_parameter(conv: cattrs.Converter, name: Any, raw: Any) -> list[PolicyValue]:
    """One entry of ``[policy]``: a plain value, a table, or effective-dated versions."""
    if name not in PARAMETERS:
        raise ValueError(unknown_key(name, PARAMETERS, kind="policy parameter"))
    if isinstance(raw, (list, tuple)) and raw and all(_is_policy_table(t) for t in raw):
        return _parameter_versions(conv, name, raw)
    if _is_policy_table(raw):
        return [_parameter_from_table(conv, name, raw)]
    return [PolicyValue(name, raw, source=ACCOUNT_FILE_SOURCE, grade="A", note=ACCOUNT_FILE_NOTE)]


def _parameter_versions(
    conv: cattrs.Converter, name: str, tables: Sequence[Any]
) -> list[PolicyValue]:
    versions: list[PolicyValue] = []
    errors: list[Exception] = []
    for index, table in enumerate(tables):
        try:
            versions.append(_parameter_from_table(conv, name, table))
        except Exception as exc:  # collected and reported
            note = IterableValidationNote(f"version {index}", index, PolicyValue)
            setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
            errors.append(exc)
    if errors:
        raise IterableValidationError(f"While structuring {name}", errors, list)
    for later, value in enumerate(versions):
        for earlier in range(later):
            if value.overlaps(versions[earlier]):
                raise ValueError(
                    Translatable(
                        N_(
                            "versions {earlier} and {later} are both in force on some day; "
                            "give them effective_from/effective_to dates that do not overlap"
                        ),
                        earlier=earlier,
                        later=later,
                    )
                )
    return versions


def structure_policy_section(conv: cattrs.Converter, data: Any, _: Any) -> tuple[PolicyValue, ...]:
    """Structure ``Account.policy`` from the ``[policy]`` table (or a list of policy values)."""
    if isinstance(data, Mapping):
        values: list[PolicyValue] = []
        errors: list[Exception] = []
        for name, raw in data.items():
            try:
                values += _structure_parameter(conv, name, raw)
            except Exception as exc:  # collected and reported
                errors.append(_noted(_clean(exc), str(name)))
        if errors:
            raise ClassValidationError("While structuring the policy", errors, dict)
        return tuple(values)
    if not isinstance(data, (list, tuple)):
        raise TypeError(
            _got(N_("expected a table of policy parameters (name = value), got {value}"), data)
        )
    result: tuple[PolicyValue, ...] = conv.structure(data, tuple[PolicyValue, ...])
    return result


def unstructure_policy_section(
    conv: cattrs.Converter, values: Iterable[PolicyValue]
) -> dict[str, Any]:
    """Unstructure ``Account.policy`` as name → table, or → array of tables for versions."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for value in values:
        grouped.setdefault(value.name, []).append(policy_table(conv, value))
    return {name: t[0] if len(t) == 1 else t for name, t in grouped.items()}


def _is_account(type_: Any) -> bool:
    return type_ is model.Account


def account_structure_factory(conv: cattrs.Converter, cl: Any) -> StructureHook:
    """Hook factory of :class:`~creditrules.model.Account`: its policy is the ``[policy]`` table."""
    return attrs_structure_hook(conv, cl, {"policy": partial(structure_policy_section, conv)})


def account_unstructure_factory(conv: cattrs.Converter, cl: Any) -> UnstructureHook:
    """Unstructure hook factory of :class:`~creditrules.model.Account`."""
    return make_dict_unstructure_fn(
        cl, conv, policy=override(unstruct_hook=partial(unstructure_policy_section, conv))
    )


# --------------------------------------------------------------------------- the converter


def make_converter(
    event_types: Mapping[str, type[Any]] = model.EVENT_TYPES, *, native_dates: bool = False
) -> cattrs.Converter:
    """Build a converter with all of creditrules' hooks.

    Args:
        event_types: Event tag → event class; the event tags the converter
            reads. It is looked up when an event is structured, not copied:
            pass a mapping that does not change (a registry's ``event_types``).
            Defaults to the core event types.
        native_dates: Unstructure dates as :class:`datetime.date` objects rather
            than ISO strings (for writing TOML, which has a date type).

    Returns:
        A new, independent :class:`cattrs.Converter`.
    """
    conv = cattrs.Converter(
        detailed_validation=True,
        unstruct_collection_overrides={Sequence: list, AbstractSet: sorted_list},
    )
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, _identity_date if native_dates else date.isoformat)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_func(_is_plain_literal, _structure_literal)
    conv.register_structure_hook_factory(is_sequence, partial(sequence_structure_factory, conv))
    conv.register_structure_hook_factory(attrs.has, partial(attrs_structure_factory, conv))
    conv.register_unstructure_hook_factory(
        _has_hidden_fields, partial(hidden_fields_unstructure_factory, conv)
    )

    is_event = partial(is_event_union, event_types)
    conv.register_structure_hook_func(is_event, partial(structure_event, conv, event_types))
    conv.register_unstructure_hook_func(is_event, partial(unstructure_event, conv))

    policy_value = attrs_structure_hook(conv, PolicyValue, {})
    conv.register_structure_hook(PolicyValue, partial(structure_policy_value, conv, policy_value))
    conv.register_unstructure_hook(PolicyValue, partial(unstructure_policy_value, conv))

    conv.register_structure_hook_factory(_is_account, partial(account_structure_factory, conv))
    conv.register_unstructure_hook_factory(_is_account, partial(account_unstructure_factory, conv))
    return conv


def sorted_list(items: Iterable[Any]) -> list[Any]:
    """A set's members as a list in a defined order (sets iterate in hash order).

    Members are ordered by their JSON text, so that output is byte-identical
    whatever ``PYTHONHASHSEED`` is.

    >>> sorted_list({"b", "a"})
    ['a', 'b']
    """
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))


def _identity_date(value: date) -> date:
    return value


#: The converter of the core types and event tags. Use it (or the helpers
#: below), never cattrs' global one; a registry's converter also reads its
#: plugins' event types.
converter: cattrs.Converter = make_converter()


# --------------------------------------------------------------------------- helpers


def to_dict(
    value: Any, unstructure_as: Any = None, *, converter: cattrs.Converter = converter
) -> Any:
    """Turn a creditrules value into plain data (dicts, lists, str, int, bool).

    Decimals become strings, dates ISO strings, tuples lists.

    Args:
        value: Any creditrules value (an attrs instance, a tuple of them, …).
        unstructure_as: The type to dump ``value`` as; pass
            :data:`~creditrules.model.Event` to get an event's ``type`` tag.
        converter: The converter to use (a registry's ``converter``).

    Returns:
        JSON-compatible data; ``from_dict(type(value), to_dict(value)) == value``.
    """
    return converter.unstructure(value, unstructure_as)


@typing.overload
def from_dict(cls: type[T], data: Any, *, converter: cattrs.Converter = ...) -> T: ...
@typing.overload
def from_dict(cls: Any, data: Any, *, converter: cattrs.Converter = ...) -> Any: ...
def from_dict(cls: Any, data: Any, *, converter: cattrs.Converter = converter) -> Any:
    """Build a ``cls`` from plain data (the inverse of :func:`to_dict`).

    Args:
        cls: The class to build, e.g. :class:`~creditrules.model.Account`, or a
            type such as :data:`~creditrules.model.Event` or ``tuple[Bill, ...]``.
        data: Plain data, e.g. from :func:`json.loads`.
        converter: The converter to use (a registry's ``converter`` reads its
            plugins' event types).

    Returns:
        The structured, validated value.

    Raises:
        InputError: listing every problem with its JSON path, or if tables and
            arrays nest too deep.
    """
    check_depth(data)
    try:
        return converter.structure(data, cls)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise InputError(problems_from(exc)) from exc


def to_json(value: Any, *, indent: int | None = 2, converter: cattrs.Converter = converter) -> str:
    """Dump a creditrules value as JSON text (non-ASCII such as Chinese kept readable).

    Args:
        value: Any value :func:`to_dict` accepts.
        indent: JSON indentation, or ``None`` for one line.
        converter: The converter to use (a registry's ``converter``).

    Returns:
        The JSON text.
    """
    return json.dumps(to_dict(value, converter=converter), indent=indent, ensure_ascii=False)
