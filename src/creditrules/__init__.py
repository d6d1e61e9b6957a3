"""creditrules: what an overdue costs, what the credit report shows, and what to do.

The public API is re-exported here; everything in a ``_private`` module is an
implementation detail.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names, for type checkers and readers; at run time they load lazily
    from ._api import (
        WhatIfs,
        assess,
        build_report,
        plan_actions,
        plan_negotiation,
        recompute,
        simulate,
        verify,
    )
    from ._plugins import DEFAULT_PLUGINS, PluginInfo, PluginWarning, Registry, get_registry
    from ._provider_file import load_provider
    from ._version import __version__
    from .assessment import (
        Allocation,
        Assessment,
        AssessmentServices,
        Components,
        DueItemResult,
        Episode,
        RuleFiring,
    )
    from .bureau import Bureau, Citation, FlagRules, ReliefPolicy, StatusCode
    from .comparison import Comparison, Scenario, ScenarioResult, compare
    from .errors import CreditRulesError, InputError, InputProblem, PluginError, PolicyError
    from .explain import ExplainedFigure, Explanation, PolicyUse, UnfiredRule, available_locales
    from .hookspecs import hookimpl
    from .io import account_schema, dump_account, from_dict, load_account, to_dict, to_json
    from .ledger import ItemSpec, Ledger
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
    from .portfolio import AssessmentFailure, AssessmentSummary, assess_many, to_table
    from .provider import Provider, ProviderFact, check_account
    from .record import DecisionRecord, PluginVersion
    from .remediation import (
        Action,
        ActionKind,
        Effect,
        NegotiatedPlan,
        NegotiationPolicy,
    )
    from .report import Discrepancy, NegativeRecord, Report
    from .rules import CORE_RULES, Context, Rule, RuleSet, RuleText
    from .schedule import Installment, build_schedule

#: Public name → the module that defines it. ``import creditrules`` loads none of them:
#: each module is imported on first use of one of its names (PEP 562), so a command or
#: a worker pays only for the layers it uses.
_EXPORTS: dict[str, str] = {
    "assess": "._api",
    "build_report": "._api",
    "plan_actions": "._api",
    "plan_negotiation": "._api",
    "recompute": "._api",
    "simulate": "._api",
    "WhatIfs": "._api",
    "verify": "._api",
    "DEFAULT_PLUGINS": "._plugins",
    "get_registry": "._plugins",
    "PluginInfo": "._plugins",
    "PluginWarning": "._plugins",
    "Registry": "._plugins",
    "load_provider": "._provider_file",
    "__version__": "._version",
    "Allocation": ".assessment",
    "Assessment": ".assessment",
    "AssessmentServices": ".assessment",
    "Components": ".assessment",
    "DueItemResult": ".assessment",
    "Episode": ".assessment",
    "RuleFiring": ".assessment",
    "Bureau": ".bureau",
    "Citation": ".bureau",
    "FlagRules": ".bureau",
    "ReliefPolicy": ".bureau",
    "StatusCode": ".bureau",
    "compare": ".comparison",
    "Comparison": ".comparison",
    "Scenario": ".comparison",
    "ScenarioResult": ".comparison",
    "CreditRulesError": ".errors",
    "InputError": ".errors",
    "InputProblem": ".errors",
    "PluginError": ".errors",
    "PolicyError": ".errors",
    "available_locales": ".explain",
    "ExplainedFigure": ".explain",
    "Explanation": ".explain",
    "PolicyUse": ".explain",
    "UnfiredRule": ".explain",
    "hookimpl": ".hookspecs",
    "account_schema": ".io",
    "dump_account": ".io",
    "from_dict": ".io",
    "load_account": ".io",
    "to_dict": ".io",
    "to_json": ".io",
    "ItemSpec": ".ledger",
    "Ledger": ".ledger",
    "Account": ".model",
    "AccountClosed": ".model",
    "Agreement": ".model",
    "Bill": ".model",
    "Event": ".model",
    "GuarantorPaid": ".model",
    "LoanTerms": ".model",
    "Payment": ".model",
    "PlannedPayment": ".model",
    "ReportedMonth": ".model",
    "Waiver": ".model",
    "WrittenOff": ".model",
    "AppliedValue": ".policy",
    "PARAMETERS": ".policy",
    "Policy": ".policy",
    "PolicySet": ".policy",
    "PolicyValue": ".policy",
    "assess_many": ".portfolio",
    "AssessmentFailure": ".portfolio",
    "AssessmentSummary": ".portfolio",
    "to_table": ".portfolio",
    "check_account": ".provider",
    "Provider": ".provider",
    "ProviderFact": ".provider",
    "DecisionRecord": ".record",
    "PluginVersion": ".record",
    "Action": ".remediation",
    "ActionKind": ".remediation",
    "Effect": ".remediation",
    "NegotiatedPlan": ".remediation",
    "NegotiationPolicy": ".remediation",
    "Discrepancy": ".report",
    "NegativeRecord": ".report",
    "Report": ".report",
    "Context": ".rules",
    "CORE_RULES": ".rules",
    "Rule": ".rules",
    "RuleSet": ".rules",
    "RuleText": ".rules",
    "build_schedule": ".schedule",
    "Installment": ".schedule",
}

__all__ = [
    "CORE_RULES",
    "DEFAULT_PLUGINS",
    "PARAMETERS",
    "Account",
    "AccountClosed",
    "Action",
    "ActionKind",
    "Agreement",
    "Allocation",
    "AppliedValue",
    "Assessment",
    "AssessmentFailure",
    "AssessmentServices",
    "AssessmentSummary",
    "Bill",
    "Bureau",
    "Citation",
    "Comparison",
    "Components",
    "Context",
    "CreditRulesError",
    "DecisionRecord",
    "Discrepancy",
    "DueItemResult",
    "Effect",
    "Episode",
    "Event",
    "ExplainedFigure",
    "Explanation",
    "FlagRules",
    "GuarantorPaid",
    "InputError",
    "InputProblem",
    "Installment",
    "ItemSpec",
    "Ledger",
    "LoanTerms",
    "NegativeRecord",
    "NegotiatedPlan",
    "NegotiationPolicy",
    "Payment",
    "PlannedPayment",
    "PluginError",
    "PluginInfo",
    "PluginVersion",
    "PluginWarning",
    "Policy",
    "PolicyError",
    "PolicySet",
    "PolicyUse",
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
    "RuleText",
    "Scenario",
    "ScenarioResult",
    "StatusCode",
    "UnfiredRule",
    "Waiver",
    "WhatIfs",
    "WrittenOff",
    "__version__",
    "account_schema",
    "assess",
    "assess_many",
    "available_locales",
    "build_report",
    "build_schedule",
    "check_account",
    "compare",
    "dump_account",
    "from_dict",
    "get_registry",
    "hookimpl",
    "load_account",
    "load_provider",
    "plan_actions",
    "plan_negotiation",
    "recompute",
    "simulate",
    "to_dict",
    "to_json",
    "to_table",
    "verify",
]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # found once; later look-ups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
