"""A creditrules plugin whose ``register_rules`` hook raises.

It registers a provider and a rule first, so the test sees that none of its parts
stays registered (the plugin is withdrawn as a whole).
"""

from collections.abc import Callable

from creditrules import PolicyValue, Provider, Rule, hookimpl


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the plugin's own provider."""
    register(
        Provider(
            id="faulty_hook",
            name_en="Faulty hook",
            products=("revolving",),
            policy=(PolicyValue("penalty_daily_rate", "0.0005", source="test §1", grade="A"),),
        )
    )


@hookimpl
def register_rules(register: Callable[..., None]) -> None:
    """Register a rule, then raise."""
    register(Rule("faulty_hook.noop", "Does nothing.", "test", providers="faulty_hook"))
    raise RuntimeError("register_rules failed on purpose")
