"""creditrules: what an overdue costs, what the credit report shows, and what to do.

The public API is re-exported here; everything in a ``_private`` module is an
implementation detail.
"""

from __future__ import annotations

from ._api import (
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
