"""The ``generic`` provider: no policy of its own; the account file gives it all."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..provider import Provider

_DESCRIPTION = (
    "Any lender. The policy comes entirely from the account's [policy] table "
    "(your contract); anything not given falls back to the engine's conventions, "
    "and an unset penalty rate means no penalty is computed."
)


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the ``generic`` provider."""
    register(
        Provider(
            id="generic",
            name_en="Generic",
            name_zh="通用",
            description=_DESCRIPTION,
            translations={
                "zh_CN": {
                    _DESCRIPTION: (
                        "适用于任何放款机构。政策完全来自账户文件的 [policy] 表（您的合同）；"
                        "未填写的参数采用引擎的计算约定，未设定罚息利率则不计算罚息。"
                    )
                }
            },
        )
    )
