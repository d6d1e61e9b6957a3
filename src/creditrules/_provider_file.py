"""Declarative providers: a provider defined entirely in a TOML file (private).

See :func:`creditrules.load_provider` and the "Write a provider" docs for the format::

    format = 1
    [provider]
    id = "acme"
    name_zh = "示例贷"
    name_en = "Acme Loans"
    products = ["installment"]

    [policy.penalty_daily_rate]
    value = "0.0005"
    source = "https://example.com/acme/contract-terms"
    grade = "B"

    [[policy.grace_days]]                 # effective-dated versions
    value = 3
    source = "Acme notice 2024-01"
    grade = "B"
    effective_to = 2024-12-31
    [[policy.grace_days]]
    value = 0
    source = "Acme notice 2025-01"
    grade = "B"
    effective_from = 2025-01-01

    [[facts]]
    key = "reporter"
    text = "Reports monthly to the PBOC Credit Reference Center."
    text_zh = "每月向中国人民银行征信中心报送。"
    source = "Acme annual report 2024"
    source_zh = "示例贷2024年年报"
    grade = "B"

    [unknown]
    max_principal = "not published"
    [unknown_zh]
    max_principal = "未公布"

Every text may have a Chinese variant beside it: ``description_zh``, ``source_zh``,
``note_zh``, ``text_zh``, and ``[unknown_zh]`` / ``[required_zh]`` tables with the
reasons. They become the provider's :attr:`~creditrules.Provider.translations`
(``zh_CN``); a text without one is shown in English in every language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ._convert import (
    check_keys,
    converter,
    format_exception,
    key_path,
    problems_from,
    show,
    unknown_key,
)
from ._i18n import N_, Localizable, Translatable, message_of
from ._toml import Traversable, check_depth, load_toml, loads_toml
from .errors import InputError, InputProblem
from .policy import PARAMETERS, PolicyValue
from .provider import Provider, ProviderFact

__all__ = ["SUPPORTED_FORMAT", "Traversable", "load_provider", "parse_provider"]

SUPPORTED_FORMAT = 1
_TOP = ("format", "provider", "policy", "facts", "unknown", "required", "unknown_zh", "required_zh")
_PROVIDER_KEYS = (
    "id",
    "name_zh",
    "name_en",
    "products",
    "methods",
    "description",
    "description_zh",
)
_VALUE_KEYS = (
    "value",
    "source",
    "grade",
    "note",
    "effective_from",
    "effective_to",
    "source_zh",
    "note_zh",
)
_FACT_KEYS = ("key", "text", "source", "grade", "note", "text_zh", "source_zh", "note_zh")
#: The locale of the ``*_zh`` texts of a provider file.
_CHINESE = "zh_CN"
#: The suffix of a text's Chinese variant.
_ZH = "_zh"


class _Translations:
    """The Chinese variants of a file's texts, checked as they are read."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        self.texts: dict[str, str] = {}

    def add(self, english: Any, chinese: Any, where: str) -> None:
        """Record ``chinese`` as the Chinese of ``english`` (the text at ``where``)."""
        if not isinstance(chinese, str) or not chinese.strip():
            self.problems.append(
                InputProblem(where, Translatable(N_("give the Chinese text as text")))
            )
        elif not isinstance(english, str) or not english.strip():
            self.problems.append(
                InputProblem(
                    where,
                    Translatable(
                        N_(
                            "a Chinese text needs its English text beside it (the one shown in "
                            "every other language)"
                        )
                    ),
                )
            )
        elif self.texts.setdefault(english, chinese) != chinese:
            self.problems.append(
                InputProblem(
                    where,
                    Translatable(
                        N_("the text {text} already has another Chinese text; give it once"),
                        text=repr(english),
                    ),
                )
            )

    def take(self, table: Mapping[str, Any], keys: tuple[str, ...], path: str) -> dict[str, Any]:
        """Record the ``*_zh`` variants of ``keys`` in ``table``; the table without them."""
        for key in keys:
            if key + _ZH in table:
                self.add(table.get(key), table[key + _ZH], f"{path}.{key}{_ZH}")
        variants = {key + _ZH for key in keys}
        return {k: v for k, v in table.items() if k not in variants}


def _unknown_parameter(name: Any, path: str) -> InputProblem:
    return InputProblem(path, unknown_key(name, PARAMETERS, kind=N_("policy parameter")))


def _policy(table: Any, problems: list[InputProblem], chinese: _Translations) -> list[PolicyValue]:
    values: list[PolicyValue] = []
    if not isinstance(table, Mapping):
        problems.append(
            InputProblem(
                "$.policy", Translatable(N_("expected a table, got {value}"), value=show(table))
            )
        )
        return values
    for name, raw in table.items():
        path = f"$.policy{key_path(name)}"
        if name not in PARAMETERS:
            problems.append(_unknown_parameter(name, path))
            continue
        versions = raw if isinstance(raw, list) else [raw]
        for index, version in enumerate(versions):
            where = f"{path}[{index}]" if isinstance(raw, list) else path
            if not isinstance(version, Mapping) or "value" not in version:
                problems.append(
                    InputProblem(
                        where,
                        Translatable(
                            N_(
                                "a provider's policy value is a table with value, source and "
                                "grade (every number needs its source)"
                            )
                        ),
                    )
                )
                continue
            problems += check_keys(version, _VALUE_KEYS, where)
            version = chinese.take(version, ("source", "note"), where)
            try:
                values.append(converter.structure({"name": name, **version}, PolicyValue))
            except Exception as exc:
                problems.extend(problems_from(exc, where))
    return values


def _reasons_zh(
    table: Any, section: str, reasons: Mapping[str, str], chinese: _Translations
) -> None:
    """Record the Chinese reasons of ``[unknown_zh]`` or ``[required_zh]``."""
    if not isinstance(table, Mapping):
        chinese.problems.append(
            InputProblem(
                f"$.{section}{_ZH}",
                Translatable(N_("expected a table of name = reason in Chinese")),
            )
        )
        return
    for name, why in table.items():
        where = f"$.{section}{_ZH}{key_path(name)}"
        if name not in reasons:
            chinese.problems.append(
                InputProblem(
                    where,
                    Translatable(
                        N_("{name} is not listed in [{section}]; list it there too"),
                        name=repr(name),
                        section=section,
                    ),
                )
            )
        else:
            chinese.add(reasons[name], why, where)


def parse_provider(data: Mapping[str, Any], *, file: str | None = None) -> Provider:
    """Build a :class:`~creditrules.Provider` from the parsed contents of a provider file.

    Raises:
        InputError: listing every problem with its JSON path.
    """
    check_depth(data, source=file)
    problems = check_keys(data, _TOP, "$")
    if type(data.get("format")) is not int or data["format"] != SUPPORTED_FORMAT:
        problems.append(
            InputProblem(
                "$.format",
                Translatable(
                    N_("expected format = {format}, got {value}"),
                    format=SUPPORTED_FORMAT,
                    value=show(data.get("format")),
                ),
            )
        )
    head = data.get("provider")
    if not isinstance(head, Mapping):
        problems.append(InputProblem("$.provider", Translatable(N_("missing [provider] table"))))
        head = {}
    problems += check_keys(head, _PROVIDER_KEYS, "$.provider")
    if "id" not in head:
        problems.append(InputProblem("$.provider.id", Translatable(N_("missing required field"))))
    chinese = _Translations(problems)
    head = chinese.take(head, ("description",), "$.provider")
    for key in ("id", "name_zh", "name_en", "description"):
        if key in head and not isinstance(head[key], str):
            problems.append(
                InputProblem(
                    f"$.provider.{key}",
                    Translatable(
                        N_("expected text (a string), got {value}"), value=show(head[key])
                    ),
                )
            )
    policy = _policy(data.get("policy", {}), problems, chinese)
    facts: list[ProviderFact] = []
    raw_facts = data.get("facts", [])
    if not isinstance(raw_facts, list):
        problems.append(
            InputProblem("$.facts", Translatable(N_("expected an array of tables ([[facts]])")))
        )
        raw_facts = []
    for index, fact in enumerate(raw_facts):
        where = f"$.facts[{index}]"
        if not isinstance(fact, Mapping):
            problems.append(
                InputProblem(
                    where, Translatable(N_("expected a table, got {value}"), value=show(fact))
                )
            )
            continue
        problems += check_keys(fact, _FACT_KEYS, where)
        fact = chinese.take(fact, ("text", "source", "note"), where)
        try:
            facts.append(converter.structure(fact, ProviderFact))
        except Exception as exc:
            problems.extend(problems_from(exc, where))
    notes: dict[str, tuple[tuple[str, str], ...]] = {}
    for section in ("unknown", "required"):
        table = data.get(section, {})
        pairs: list[tuple[str, str]] = []
        if not isinstance(table, Mapping):
            problems.append(
                InputProblem(f"$.{section}", Translatable(N_("expected a table of name = reason")))
            )
            table = {}
        for name, why in table.items():
            where = f"$.{section}{key_path(name)}"
            if name not in PARAMETERS:
                problems.append(_unknown_parameter(name, where))
            elif not isinstance(why, str) or not why.strip():
                problems.append(InputProblem(where, Translatable(N_("give the reason as text"))))
            else:
                pairs.append((name, why))
        notes[section] = tuple(pairs)
        _reasons_zh(data.get(section + _ZH, {}), section, dict(pairs), chinese)
    if problems:
        raise InputError(problems, file=file)
    fields = {k: head[k] for k in _PROVIDER_KEYS if k in head}
    for key in ("products", "methods"):
        if key in fields:
            fields[key] = tuple(fields[key]) if isinstance(fields[key], list) else fields[key]
    try:
        return Provider(
            **fields,
            policy=tuple(policy),
            facts=tuple(facts),
            unknown=notes["unknown"],
            required=notes["required"],
            translations={_CHINESE: chinese.texts},
        )
    except Exception as exc:
        message = (
            format_exception(exc) if isinstance(exc, (ValueError, TypeError)) else message_of(exc)
        )
        if not isinstance(message, Localizable):
            message = Translatable.known(message.split(" @ ")[0])
        raise InputError(message, file=file, path="$.provider") from None


def load_provider(source: str | os.PathLike[str] | Traversable) -> Provider:
    """Load a declarative provider from a TOML file (or TOML text).

    A plugin can ship such a file as package data and register it with no other code::

        @creditrules.hookimpl
        def register_providers(register):
            register(creditrules.load_provider(files("creditrules_acme") / "provider.toml"))

    Args:
        source: A path, an :mod:`importlib.resources` file, or TOML text.

    Returns:
        The :class:`~creditrules.Provider`.

    Raises:
        InputError: for a missing file, a TOML syntax error or an invalid provider, naming
            the file and the JSON path of each problem.
    """
    if isinstance(source, str) and ("\n" in source or "=" in source):
        return parse_provider(loads_toml(source))
    file = str(source) if isinstance(source, Traversable) else os.fspath(source)
    return parse_provider(load_toml(source), file=file)
