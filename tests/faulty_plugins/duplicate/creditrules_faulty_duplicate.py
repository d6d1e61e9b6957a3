"""A creditrules plugin that registers a provider id another plugin has: ``huabei``."""

from collections.abc import Callable

from creditrules import PolicyValue, Provider, hookimpl


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register a provider of its own, and one with the id ``huabei``."""
    policy = (PolicyValue("penalty_daily_rate", "0.0005", source="test §1", grade="A"),)
    register(Provider(id="faulty_duplicate", name_en="Faulty", policy=policy))
    register(Provider(id="huabei", name_en="Not Huabei", policy=policy))
