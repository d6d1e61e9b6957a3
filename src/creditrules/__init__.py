"""creditrules: what an overdue costs, what the credit report shows, and what to do.

The public API is re-exported here; everything in a ``_private`` module is an
implementation detail.
"""

from __future__ import annotations

from ._api import assess, simulate
from ._convert import from_dict, to_dict, to_json
from ._engine import ItemSpec
from ._plugins import DEFAULT_PLUGINS, PluginInfo, PluginWarning, Registry, get_registry
from ._provider_file import load_provider
from .assessment import Allocation, Assessment, Components, DueItemResult, Episode, RuleFiring
from .bureau import Bureau, Citation, FlagRules, ReliefPolicy, StatusCode
from .errors import CreditRulesError, InputError, InputProblem, PluginError, PolicyError
from .hookspecs import hookimpl
from .io import account_schema, dump_account, load_account
from .model import (
    Account,
    AccountClosed,
    Agreement,
    Bill,
    Event,
    GuarantorPaid,
    LoanTerms,
    Payment,
    PlannedPayment,
    ReportedMonth,
    Waiver,
    WrittenOff,
)
from .policy import PARAMETERS, AppliedValue, Policy, PolicySet, PolicyValue
from .provider import Provider, ProviderFact, check_account
from .report import Discrepancy, NegativeRecord, Report, build_report
from .rules import CORE_RULES, Context, Rule, RuleSet
from .schedule import Installment, build_schedule

__all__ = [
    "CORE_RULES",
    "DEFAULT_PLUGINS",
    "PARAMETERS",
    "Account",
    "AccountClosed",
    "Agreement",
    "Allocation",
    "AppliedValue",
    "Assessment",
    "Bill",
    "Bureau",
    "Citation",
    "Components",
    "Context",
    "CreditRulesError",
    "Discrepancy",
    "DueItemResult",
    "Episode",
    "Event",
    "FlagRules",
    "GuarantorPaid",
    "InputError",
    "InputProblem",
    "Installment",
    "ItemSpec",
    "LoanTerms",
    "NegativeRecord",
    "Payment",
    "PlannedPayment",
    "PluginError",
    "PluginInfo",
    "PluginWarning",
    "Policy",
    "PolicyError",
    "PolicySet",
    "PolicyValue",
    "Provider",
    "ProviderFact",
    "Registry",
    "ReliefPolicy",
    "Report",
    "ReportedMonth",
    "Rule",
    "RuleFiring",
    "RuleSet",
    "StatusCode",
    "Waiver",
    "WrittenOff",
    "__version__",
    "account_schema",
    "assess",
    "build_report",
    "build_schedule",
    "check_account",
    "dump_account",
    "from_dict",
    "get_registry",
    "hookimpl",
    "load_account",
    "load_provider",
    "simulate",
    "to_dict",
    "to_json",
]

try:
    from importlib.metadata import version as _version

    __version__ = _version("creditrules")
except Exception:  # pragma: no cover - running from a source tree without metadata
    __version__ = "0.0.0"
