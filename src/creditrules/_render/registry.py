"""What is installed: the plugins, the rules in force, the providers.

Used by ``creditrules plugins``, ``rules`` and ``providers``; the ``*_data``
functions give the plain data their ``--json`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs
from rich.console import Group, RenderableType
from rich.text import Text

from .._i18n import N_, Messages
from .._plugins import Registry
from ..policy import PARAMETERS, PolicyValue
from ..provider import Provider
from ..rules import Rule
from .cjk import wrapped
from .common import (
    ENGLISH,
    indent,
    plain_table,
    provider_source,
    provider_text,
    rate_hint,
    section,
)

__all__ = [
    "plugins_data",
    "provider_data",
    "provider_summary",
    "render_plugins",
    "render_provider",
    "render_providers",
    "render_rules",
    "rules_data",
]


def plugins_data(registry: Registry) -> list[dict[str, Any]]:
    """The plugins of a registry as plain data, one record each."""
    return [attrs.asdict(info) for info in registry.plugins]


_PLUGIN_PARTS = (
    ("hooks", N_("hooks: {names}")),
    ("bureaus", N_("bureaus: {names}")),
    ("providers", N_("providers: {names}")),
    ("rules", N_("rules: {names}")),
)


def render_plugins(registry: Registry, tr: Messages = ENGLISH) -> RenderableType:
    """Lay out the plugins of a registry; failed ones in red."""
    lines: list[RenderableType] = []
    for info in registry.plugins:
        head = Text(info.name, style="bold red" if info.error else "bold")
        head.append(f"  {info.distribution} {info.version}", style="" if info.error else "dim")
        lines.append(head)
        if info.error:
            lines.append(indent(Text(tr._("failed: {error}", error=info.error), style="red"), 2))
        for conflict in info.conflicts:  # an id withdrawn: another plugin registered it too
            lines.append(indent(Text(tr._("failed: {error}", error=conflict), style="red"), 2))
        for field, label in _PLUGIN_PARTS:
            names = getattr(info, field)
            if names:
                # ids are listed one after another; a line breaks between them, never inside
                lines.append(indent(Text(tr._(label, names=", ".join(names))), 2))
    failed = sum(1 for info in registry.plugins if info.error)
    total = len(registry.plugins)
    footer = "\n" + tr.ngettext("{n} plugin", "{n} plugins", total)
    if failed:
        footer += tr._(", {n} failed", n=failed)
    lines.append(Text(footer, style="dim"))
    return Group(*lines)


def _phases_and_mechanics(rules: Sequence[Rule]) -> list[tuple[str, Rule]]:
    """Rules in display order, each with its label: ``1``, ``2``, … or ``""`` for mechanics."""
    phases = [rule for rule in rules if rule.apply is not None]
    phase_ids = {rule.id for rule in phases}
    ordered: list[tuple[str, Rule]] = []
    for number, phase in enumerate(phases, 1):
        ordered.append((str(number), phase))
        ordered.extend(("", r) for r in rules if r.apply is None and r.part_of == phase.id)
    ordered.extend(("", r) for r in rules if r.apply is None and r.part_of not in phase_ids)
    return ordered


def rules_data(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    """A ruleset as plain data: each rule's order, id, kind, phase, citation and origin."""
    return [
        {
            "order": int(label) if label else None,
            "id": rule.id,
            "kind": "phase" if rule.apply is not None else "mechanic",
            "part_of": rule.part_of or None,
            "description": rule.description,
            "citation": rule.citation,
            "origin": rule.origin,
        }
        for label, rule in _phases_and_mechanics(rules)
    ]


def render_rules(rules: Sequence[Rule], tr: Messages = ENGLISH) -> RenderableType:
    """Lay out a ruleset: phases in run order, mechanics indented under their phase."""
    lines: list[RenderableType] = []
    for label, rule in _phases_and_mechanics(rules):
        head = Text(f"{label:>2}  " if label else "    · ", no_wrap=True)
        head.append(rule.id, style="bold" if label else "")
        head.append(f"  [{rule.origin}]", style="dim" if rule.origin == "creditrules" else "cyan")
        body = Text(tr._(rule.text(tr.locale).description) + "\n")
        body.append(provider_source(rule.citation, None, tr), style="italic")
        lines += [head, indent(wrapped(body, tr), 4 if label else 6)]
    lines.append(
        Text("\n" + tr._("Rules marked · are steps performed inside the phase above."), style="dim")
    )
    return Group(*lines)


def provider_summary(provider: Provider, registry: Registry) -> dict[str, Any]:
    """A provider in a list, as plain data: ids, names, products, plugin, description."""
    return {
        "id": provider.id,
        "name_zh": provider.name_zh,
        "name_en": provider.name_en,
        "products": list(provider.products),
        "plugin": registry.owner(provider.id) or "",
        "description": provider.description,
    }


def _policy_value_data(value: PolicyValue) -> dict[str, Any]:
    return {
        "name": value.name,
        "value": PARAMETERS[value.name].dump(value.value),
        "effective_from": value.effective_from.isoformat() if value.effective_from else None,
        "effective_to": value.effective_to.isoformat() if value.effective_to else None,
        "source": value.source,
        "grade": value.grade,
        "note": value.note,
    }


def provider_data(provider: Provider, registry: Registry) -> dict[str, Any]:
    """One provider as plain data: summary, facts, policy, required, unknown, translations."""
    return {
        **provider_summary(provider, registry),
        "methods": list(provider.methods),
        "facts": [attrs.asdict(fact) for fact in provider.facts],
        "policy": [_policy_value_data(value) for value in provider.policy],
        "required": [{"name": n, "reason": why} for n, why in provider.required],
        "unknown": [{"name": n, "reason": why} for n, why in provider.unknown],
        "translations": [
            {"locale": locale, "text": english, "translation": text}
            for locale, english, text in provider.translations
        ],
    }


def _in_force(value: PolicyValue, tr: Messages) -> str:
    start, end = value.effective_from, value.effective_to
    if start and end:
        return f"{start} – {end}"
    if start:
        return tr._("from {date}", date=str(start))
    if end:
        return tr._("until {date}", date=str(end))
    return tr._("always")


_PRODUCTS = {"revolving": N_("revolving"), "installment": N_("installment")}
#: The repayment methods by id: the id, with its Chinese name in Chinese.
_METHODS = {
    "equal_installment": N_("equal_installment"),
    "equal_principal": N_("equal_principal"),
    "interest_first": N_("interest_first"),
}


def _products(provider: Provider, tr: Messages) -> str:
    return tr.comma().join(tr._(_PRODUCTS.get(p, p)) for p in provider.products)


def render_providers(
    providers: Sequence[Provider], registry: Registry, tr: Messages = ENGLISH
) -> RenderableType:
    """Lay out a list of providers, each with the plugin (or file) it comes from.

    One line per provider (id, name, products), the plugin under it, so a long
    module name is never split across lines.
    """
    table = plain_table()
    table.add_column(tr._("id"), no_wrap=True)
    table.add_column(tr._("name and products"))
    for provider in providers:
        details = Text(provider.display_name)
        details.append(" · " + _products(provider, tr), style="")
        owner = registry.owner(provider.id) or ""
        details.append("\n" + tr._("from {plugin}", plugin=owner), style="dim")
        table.add_row(Text(provider.id, style="bold"), details)
    return Group(table, Text("\n" + tr._("Show one with: creditrules providers ID"), style="dim"))


def _sourced(
    text: str, grade: str, source: str, note: str, provider: Provider, tr: Messages
) -> RenderableType:
    """An indented block: the text, then its grade and source, then any note (in the locale)."""
    body = Text(f"{provider_text(text, provider, tr)}\n" if text else "")
    cited = provider_source(source, provider, tr)
    body.append(tr._("grade {grade} · {source}", grade=grade, source=cited), style="dim")
    if note:
        body.append(f"\n{provider_text(note, provider, tr)}", style="italic")
    return indent(wrapped(body, tr))


def render_provider(
    provider: Provider, registry: Registry, tr: Messages = ENGLISH
) -> RenderableType:
    """Lay out one provider: facts, policy values with provenance, unknown and required."""
    parts: list[RenderableType] = []
    title = Text(provider.display_name, style="bold")
    title.append(f" ({provider.id}) · ")
    title.append(tr._("from {plugin}", plugin=registry.owner(provider.id) or "?"))
    parts.append(title)
    if provider.description:
        parts.append(wrapped(provider_text(provider.description, provider, tr), tr))
    parts.append(Text(tr._("Products: {products}", products=_products(provider, tr))))
    if "installment" in provider.products:
        methods = tr.comma().join(tr._(_METHODS.get(m, m)) for m in provider.methods)
        parts.append(wrapped(tr._("Repayment methods: {methods}", methods=methods), tr))
    if provider.facts:
        parts.append(section(tr._("Facts")))
        for fact in provider.facts:
            parts.append(Text(fact.key, style="bold"))
            parts.append(_sourced(fact.text, fact.grade, fact.source, fact.note, provider, tr))
    parts.append(section(tr._("Policy")))
    if not provider.policy:
        parts.append(Text(tr._("No policy values of its own: the account file gives them.")))
    for value in sorted(provider.policy, key=lambda v: (v.name, v.effective_from or date.min)):
        head = Text(value.name, style="bold")
        head.append(f" = {rate_hint(value.name, value.value, tr)}")
        head.append("  " + tr._("({text})", text=_in_force(value, tr)), style="dim")
        parts.append(head)
        parts.append(_sourced("", value.grade, value.source, value.note, provider, tr))
    for label, pairs, style in (
        (N_("Required from your contract"), provider.required, "bold yellow"),
        (N_("Unknown (no public source)"), provider.unknown, "yellow"),
    ):
        if pairs:
            parts.append(section(tr._(label)))
            for name, why in pairs:
                parts.append(Text(name, style=style))
                parts.append(indent(wrapped(provider_text(why, provider, tr), tr)))
    return Group(*parts)
