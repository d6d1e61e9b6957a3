"""The ``generic`` provider: no policy of its own; the account file gives it all."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..provider import Provider


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the ``generic`` provider."""
    register(
        Provider(
            id="generic",
            name_en="Generic",
            name_zh="通用",
            description=(
                "Any lender. The policy comes entirely from the account's [policy] table "
                "(your contract); anything not given falls back to the engine's conventions, "
                "and an unset penalty rate means no penalty is computed."
            ),
        )
    )
