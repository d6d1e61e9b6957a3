"""借呗 Jiebei, Ant Group's installment cash loan, as a creditrules provider plugin.

Installed, it registers the provider ``jiebei`` (so an account file can say
``provider = "jiebei"``). The policy is declarative: ``provider.toml`` in this package
holds every number with its source and grade, read with
:func:`creditrules.load_provider`. The only code is a check that the account's loan
states its contract daily rate.

>>> from datetime import date
>>> from creditrules_jiebei import get_provider
>>> get_provider().policy_at(date(2025, 3, 1))["max_term_months"].value
12
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.resources import files

import attrs

import creditrules
from creditrules import Account, Provider, hookimpl
from creditrules.remediation import Phrase

__all__ = ["PROVIDER_ID", "check_loan", "get_provider", "register_providers"]

#: The provider id account files use.
PROVIDER_ID = "jiebei"


def check_loan(account: Account) -> list[tuple[str, str]]:
    """Check a Jiebei account beyond the core limits.

    The loan must give its contract ``daily_rate``: Jiebei quotes a per-user daily rate
    with no official range, and its penalty is a multiple of that rate, so an annual rate
    converted on some day basis would not do.

    Returns:
        ``(json_path, message)`` pairs; empty when the account fits.
    """
    loan = account.loan
    if loan is None or loan.daily_rate is not None:
        return []
    return [
        (
            "$.loan.daily_rate",
            Phrase(
                "借呗 Jiebei sets the daily rate per user and publishes no official range, and "
                "its penalty is a multiple of that daily rate: give daily_rate exactly as your "
                'loan contract states it (e.g. "0.00045" for 0.045 % a day) instead of '
                "annual_rate {rate}",
                translations={
                    "zh_CN": "借呗按用户确定日利率，没有公布官方范围，罚息又是该日利率的倍数："
                    '请按借款合同原样给出 daily_rate（例如日利率 0.045% 写作 "0.00045"），'
                    "而不是 annual_rate {rate}"
                },
                rate=str(loan.annual_rate),
            ),
        )
    ]


@functools.cache
def get_provider() -> Provider:
    """Return the Jiebei provider: ``provider.toml`` plus :func:`check_loan`.

    Returns:
        The :class:`~creditrules.Provider` registered as ``jiebei``.
    """
    declared = creditrules.load_provider(files(__name__) / "provider.toml")
    return attrs.evolve(declared, validate=check_loan)


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the ``jiebei`` provider."""
    register(get_provider())
