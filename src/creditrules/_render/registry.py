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

from .._plugins import Registry
from ..policy import PARAMETERS, PolicyValue
from ..provider import Provider
from ..rules import Rule
from .common import indent, plain_table, rate_hint, section

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


def render_plugins(registry: Registry) -> RenderableType:
    """Lay out the plugins of a registry; failed ones in red."""
    lines: list[RenderableType] = []
    for info in registry.plugins:
        head = Text(info.name, style="bold red" if info.error else "bold")
        head.append(f"  {info.distribution} {info.version}", style="" if info.error else "dim")
        lines.append(head)
        if info.error:
            lines.append(Text(f"  failed: {info.error}", style="red"))
        for label, names in (
            ("hooks", info.hooks),
            ("providers", info.providers),
            ("rules", info.rules),
        ):
            if names:
                lines.append(Text(f"  {label}: {', '.join(names)}"))
    failed = sum(1 for info in registry.plugins if info.error)
    total = len(registry.plugins)
    footer = f"\n{total} plugin{'s' if total != 1 else ''}"
    lines.append(Text(footer + (f", {failed} failed" if failed else ""), style="dim"))
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


def render_rules(rules: Sequence[Rule]) -> RenderableType:
    """Lay out a ruleset: phases in run order, mechanics indented under their phase."""
    lines: list[RenderableType] = []
    for label, rule in _phases_and_mechanics(rules):
        head = Text(f"{label:>2}  " if label else "    · ")
        head.append(rule.id, style="bold" if label else "")
        head.append(f"  [{rule.origin}]", style="dim" if rule.origin == "creditrules" else "cyan")
        body = Text(f"{rule.description}\n")
        body.append(rule.citation, style="italic")
        lines += [head, indent(body, 4 if label else 6)]
    lines.append(Text("\nRules marked · are steps performed inside the phase above.", style="dim"))
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
    """One provider as plain data: its summary, facts, policy values, required and unknown."""
    return {
        **provider_summary(provider, registry),
        "methods": list(provider.methods),
        "facts": [attrs.asdict(fact) for fact in provider.facts],
        "policy": [_policy_value_data(value) for value in provider.policy],
        "required": [{"name": n, "reason": why} for n, why in provider.required],
        "unknown": [{"name": n, "reason": why} for n, why in provider.unknown],
    }


def _in_force(value: PolicyValue) -> str:
    start, end = value.effective_from, value.effective_to
    if start and end:
        return f"{start} – {end}"
    if start or end:
        return f"from {start}" if start else f"until {end}"
    return "always"


def render_providers(providers: Sequence[Provider], registry: Registry) -> RenderableType:
    """Lay out a list of providers, each with the plugin (or file) it comes from."""
    table = plain_table()
    for title in ("id", "name", "products"):
        table.add_column(title, no_wrap=True)
    table.add_column("from", overflow="fold")
    for provider in providers:
        table.add_row(
            Text(provider.id, style="bold"),
            provider.display_name,
            ", ".join(provider.products),
            registry.owner(provider.id) or "",
        )
    return Group(table, Text("\nShow one with: creditrules providers ID", style="dim"))


def _sourced(text: str, grade: str, source: str, note: str) -> RenderableType:
    """An indented block: the text, then its grade and source, then any note."""
    body = Text(f"{text}\n" if text else "")
    body.append(f"grade {grade} · {source}", style="dim")
    if note:
        body.append(f"\n{note}", style="italic")
    return indent(body)


def render_provider(provider: Provider, registry: Registry) -> RenderableType:
    """Lay out one provider: facts, policy values with provenance, unknown and required."""
    parts: list[RenderableType] = []
    title = Text(provider.display_name, style="bold")
    title.append(f" ({provider.id}) · from {registry.owner(provider.id) or '?'}")
    parts.append(title)
    if provider.description:
        parts.append(Text(provider.description))
    parts.append(Text(f"Products: {', '.join(provider.products)}"))
    if "installment" in provider.products:
        parts.append(Text(f"Repayment methods: {', '.join(provider.methods)}"))
    if provider.facts:
        parts.append(section("Facts"))
        for fact in provider.facts:
            parts.append(Text(fact.key, style="bold"))
            parts.append(_sourced(fact.text, fact.grade, fact.source, fact.note))
    parts.append(section("Policy"))
    if not provider.policy:
        parts.append(Text("No policy values of its own: the account file gives them."))
    for value in sorted(provider.policy, key=lambda v: (v.name, v.effective_from or date.min)):
        head = Text(value.name, style="bold")
        head.append(f" = {rate_hint(value.name, value.value)}")
        head.append(f"  ({_in_force(value)})", style="dim")
        parts.append(head)
        parts.append(_sourced("", value.grade, value.source, value.note))
    for label, pairs, style in (
        ("Required from your contract", provider.required, "bold yellow"),
        ("Unknown (no public source)", provider.unknown, "yellow"),
    ):
        if pairs:
            parts.append(section(label))
            for name, why in pairs:
                parts.append(Text(name, style=style))
                parts.append(indent(Text(why)))
    return Group(*parts)
