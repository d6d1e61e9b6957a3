"""A creditrules plugin that passes a wrong type: ``register_event_types(tag, 42)``.

It registers a good event type first, so the test sees that it does not stay
registered (the plugin is withdrawn as a whole), and it would register a provider.
"""

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

import attrs

from creditrules import Provider, hookimpl


@attrs.frozen
class Thing:
    """A good event type."""

    type: ClassVar[str] = "faulty_thing"
    date: date


@hookimpl
def register_event_types(register: Callable[[str, Any], None]) -> None:
    """Register a good event type, then 42 for a class."""
    register("faulty_thing", Thing)
    register("faulty_number", 42)


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register a provider (never called: the plugin failed before)."""
    register(Provider(id="faulty_types", name_en="Faulty types", products=("revolving",)))
