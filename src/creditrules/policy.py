"""Provider policy: sourced, effective-dated parameter values and their resolution.

A provider's rules are *parameters* (grace days, penalty rate and base, the
payment waterfall, …). Every value is a :class:`PolicyValue` that carries its
source, a confidence grade (``A`` law or official text, ``B`` news or filing,
``C`` secondary explainer, ``D`` public code or inference) and the dates it is
in force. Values come in layers — the engine :data:`DEFAULT_LAYER`, then the
provider, then the account's own ``[policy]`` table — and :class:`PolicySet`
resolves them into a :class:`Policy` for any date, recording which layer set
each value.

>>> from datetime import date
>>> from decimal import Decimal
>>> rate = PolicyValue("penalty_daily_rate", Decimal("0.0005"),
...                    source="contract §7", grade="A")
>>> policy = PolicySet(provider=(rate,)).at(date(2025, 3, 1))
>>> policy.penalty_daily_rate
Decimal('0.0005')
>>> policy.origin("penalty_daily_rate").layer
'provider'
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

import attrs

from ._i18n import N_, Translatable
from ._validators import (
    MAX_ANNUAL_RATE,
    MAX_DAILY_RATE,
    MAX_GRACE_DAYS,
    MAX_MULTIPLIER,
    MAX_SHARE,
    MAX_TERM_MONTHS,
    bounded_rate,
    optional_bounded_rate,
    optional_date,
)
from ._words import unknown_key
from .errors import PolicyError
from .money import parse_money

__all__ = [
    "COMPONENTS",
    "DEFAULT_LAYER",
    "GRADES",
    "PARAMETERS",
    "AppliedValue",
    "Parameter",
    "Policy",
    "PolicySet",
    "PolicyValue",
    "convention",
]

Grade = Literal["A", "B", "C", "D"]
#: Confidence grades, best first.
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
#: The components of a due amount, in the default allocation order.
COMPONENTS: tuple[str, ...] = ("penalty", "fees", "interest", "principal")
#: Layers of policy resolution, lowest first.
LAYERS: tuple[str, ...] = ("default", "provider", "account")


def _got(message: str, value: str) -> Translatable:
    """``message`` (``expected …, got {value}``) with the value as shown."""
    return Translatable(message, value=value)


def _int(minimum: int, maximum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError(_got(N_("expected a whole number, got {value}"), str(value).lower()))
        if not isinstance(value, int):
            raise ValueError(_got(N_("expected a whole number, got {value}"), repr(value)))
        if value < minimum:
            raise ValueError(
                Translatable(
                    N_("must be at least {minimum}, got {value}"), minimum=minimum, value=value
                )
            )
        if value > maximum:
            raise ValueError(
                Translatable(
                    N_("must be at most {maximum}, got {value}"), maximum=maximum, value=value
                )
            )
        return value

    return parse


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_got(N_("expected true or false, got {value}"), repr(value)))
    return value


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in choices:
            raise ValueError(
                Translatable(
                    N_("must be one of {choices}, got {value}"),
                    choices=Translatable.join(list(map(repr, choices)), "list"),
                    value=repr(value),
                )
            )
        return str(value)

    return parse


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse_optional(value: Any) -> Any:
        return None if value is None else parse(value)

    return parse_optional


def _bureau_id(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", value):
        raise ValueError(_got(N_("expected a bureau id such as 'pboc', got {value}"), repr(value)))
    return value


def _snapshot(value: Any) -> str | int:
    if value == "month_end":
        return "month_end"
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 31:
        return value
    raise ValueError(
        _got(N_("must be 'month_end' or a day of the month 1–31, got {value}"), repr(value))
    )


def _order(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(_got(N_("expected a list of components, got {value}"), repr(value)))
    order = tuple(value)
    if sorted(order) != sorted(COMPONENTS):
        raise ValueError(
            Translatable(
                N_("must list each of {components} exactly once, got {value}"),
                components=Translatable.join(COMPONENTS, "list"),
                value=repr(order),
            )
        )
    return order


def _fee_table(value: Any) -> tuple[tuple[int, Decimal], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    table = []
    try:
        for periods, fee in items:
            number = int(periods)
            if number < 2:
                raise ValueError(
                    _got(N_("a plan needs at least 2 periods, got {value}"), repr(periods))
                )
            if number > MAX_TERM_MONTHS:
                raise ValueError(
                    Translatable(
                        N_("a plan has at most {maximum} periods, got {value}"),
                        maximum=MAX_TERM_MONTHS,
                        value=repr(periods),
                    )
                )
            table.append((number, _share(fee)))
    except (TypeError, ValueError) as exc:
        reason = exc.args[0] if isinstance(exc.args[0], Translatable) else str(exc)
        raise ValueError(
            Translatable(N_("expected a table of periods → fee rate: {reason}"), reason=reason)
        ) from None
    return tuple(sorted(table))


_daily = optional_bounded_rate(MAX_DAILY_RATE, " a day")
_annual = optional_bounded_rate(MAX_ANNUAL_RATE, " a year")
_multiplier = optional_bounded_rate(MAX_MULTIPLIER, " times the contract rate", fraction=False)
_share = bounded_rate(MAX_SHARE, " (100 %)")


def _dump_fee_table(value: tuple[tuple[int, Decimal], ...]) -> dict[str, str]:
    return {str(periods): str(fee) for periods, fee in value}


def _dump_scalar(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


@attrs.frozen
class Parameter:
    """The definition of one policy parameter.

    Attributes:
        name: Parameter name as written in files (``penalty_daily_rate``).
        parse: Turns a raw value (from TOML or Python) into the typed value; raises
            ``ValueError`` with a user-facing message.
        default: The engine default, used when no layer sets the value.
        doc: One line saying what the parameter means.
        spec: The section of the engine conventions that defines it (``A.3``; see
            :func:`convention`).
        dump: Turns the typed value back into plain data (for JSON/TOML).
    """

    name: str
    parse: Callable[[Any], Any]
    default: Any
    doc: str
    spec: str
    dump: Callable[[Any], Any] = _dump_scalar


#: Every parameter the engine understands, by name.
#: Where each engine convention is published, by section number.
_CONVENTION_PAGES: Mapping[str, str] = {
    "A.1": "docs/explanation/conventions.md#conventions-money",
    "A.2": "docs/explanation/conventions.md#conventions-days-past-due",
    "A.3": "docs/explanation/conventions.md#conventions-grace",
    "A.4": "docs/explanation/conventions.md#conventions-penalty",
    "A.5": "docs/explanation/conventions.md#conventions-allocation",
    "A.6": "docs/explanation/conventions.md#conventions-episodes",
    "A.7": "docs/explanation/report.md#report-status-codes",
    "A.8": "docs/explanation/report.md#report-retention",
    "A.9": "docs/explanation/report.md#report-flags",
    "A.10": "docs/explanation/conventions.md#conventions-provenance",
    "B.1": "docs/explanation/conventions.md#conventions-revolving",
    "B.2": "docs/explanation/conventions.md#conventions-loan-terms",
    "B.5": "docs/explanation/conventions.md#conventions-negotiation",
    "B.6": "docs/explanation/conventions.md#conventions-day-count",
}


def convention(section: str) -> str:
    """Cite an engine convention of creditrules by its section, with its published page.

    Args:
        section: A section number such as ``"A.4"`` or ``"B.1"``, or a range such as
            ``"A.2–A.6"`` (cited by its first section's page).

    Returns:
        The citation text, e.g. ``creditrules conventions A.4
        (docs/explanation/conventions.md#conventions-penalty)``.

    >>> convention("A.3")
    'creditrules conventions A.3 (docs/explanation/conventions.md#conventions-grace)'
    """
    first = section.replace("–", "-").split("-")[0].split(",")[0].strip()
    page = _CONVENTION_PAGES.get(first, "docs/explanation/conventions.md")
    return f"creditrules conventions {section} ({page})"


PARAMETERS: Mapping[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "grace_days",
            _int(0, MAX_GRACE_DAYS),
            0,
            "Days after the due date within which full payment counts as on time.",
            "A.3",
        ),
        Parameter(
            "grace_waives_penalty",
            _bool,
            True,
            "Whether an item paid within grace bears no penalty.",
            "A.3",
        ),
        Parameter(
            "penalty_from",
            _choice("due_date", "grace_end"),
            "due_date",
            "If grace is missed, penalty runs from D+1 (due_date) or D+G+1 (grace_end).",
            "A.3",
        ),
        Parameter(
            "penalty_daily_rate",
            _daily,
            None,
            "Daily penalty rate as a fraction (0.0005 = 0.05 %/day); unset = unknown.",
            "A.4",
        ),
        Parameter(
            "penalty_rate_multiplier",
            _multiplier,
            None,
            "Penalty daily rate as a multiple of the loan's contract daily rate "
            "(used when penalty_daily_rate is unset).",
            "A.4",
        ),
        Parameter(
            "penalty_base",
            _choice("unpaid_principal", "unpaid_principal_and_interest", "unpaid_amount"),
            "unpaid_amount",
            "What the penalty accrues on.",
            "A.4",
        ),
        Parameter(
            "penalty_cap",
            _annual,
            None,
            "Cap on the annualised penalty rate (fraction per year, over day_basis days).",
            "A.4",
        ),
        Parameter(
            "day_basis",
            lambda v: int(_choice("360", "365")(str(v))),
            360,
            "Days per year used to convert between annual and daily rates.",
            "B.6",
        ),
        Parameter(
            "allocation_order",
            _order,
            COMPONENTS,
            "Order in which a payment is applied within a due item.",
            "A.5",
        ),
        Parameter(
            "overpayment",
            _choice("credit", "prepay"),
            "credit",
            "What a payment beyond everything due does: kept as credit, or repays an "
            "installment loan early with interest only to the payoff date.",
            "A.5",
        ),
        Parameter(
            "minimum_payment_ratio",
            _optional(bounded_rate(MAX_SHARE, " (100 %)")),
            None,
            "Share of a bill that, paid by the due date, keeps a revolving account "
            "current (the rest revolves); unset = no minimum-payment facility.",
            "B.1",
        ),
        Parameter(
            "revolving_daily_rate",
            _daily,
            None,
            "Daily interest on the revolved rest of a bill after a minimum payment.",
            "B.1",
        ),
        Parameter(
            "bill_installment_fees",
            _fee_table,
            (),
            "Total fee rate of converting a bill into N installments, by N.",
            "B.1",
            dump=_dump_fee_table,
        ),
        Parameter(
            "max_term_months",
            _optional(_int(1, MAX_TERM_MONTHS)),
            None,
            "Longest loan term the provider offers.",
            "B.2",
        ),
        Parameter(
            "max_principal",
            _optional(parse_money),
            None,
            "Largest loan principal the provider offers.",
            "B.2",
        ),
        # -- negotiation (remediation) --------------------------------------
        Parameter(
            "negotiation_max_term_months",
            _optional(_int(1, MAX_TERM_MONTHS)),
            None,
            "Longest negotiated repayment plan (协商还款) the lender agrees to; unset = unknown.",
            "B.5",
        ),
        Parameter(
            "negotiation_penalty_stops",
            _optional(_bool),
            None,
            "Whether penalty stops once a negotiated plan is signed; unset = unknown.",
            "B.5",
        ),
        # -- credit reporting ---------------------------------------------
        Parameter(
            "bureau",
            _bureau_id,
            "pboc",
            "The credit bureau the provider reports to (a registered bureau id).",
            "A.7",
        ),
        Parameter(
            "snapshot",
            _snapshot,
            "month_end",
            "The day of each month the provider reports the account's status: "
            "'month_end' or a day of the month 1–31 (clamped to the month's end).",
            "A.7",
        ),
    )
}


def _check_grade(instance: Any, attribute: Any, value: str) -> None:
    if value not in GRADES:
        raise ValueError(
            Translatable.join(
                ["grade", _got(N_("must be one of A, B, C, D, got {value}"), repr(value))], "words"
            )
        )


@attrs.frozen(cache_hash=True)  # hashed for every decision record's policy hash
class PolicyValue:
    """One sourced, effective-dated value of a policy parameter.

    Attributes:
        name: The parameter (a key of :data:`PARAMETERS`).
        value: The typed value (parsed by the parameter on construction).
        source: URL or legal citation the value comes from.
        grade: Confidence grade ``A``–``D``.
        note: Anything a reader should know (conflicting sources, readings chosen).
        effective_from: First day in force, or ``None`` for "always".
        effective_to: Last day in force (inclusive), or ``None`` for "until changed".
    """

    name: str = attrs.field()
    value: Any = attrs.field()
    source: str = attrs.field(kw_only=True)
    grade: str = attrs.field(kw_only=True, validator=_check_grade)
    note: str = attrs.field(default="", kw_only=True)
    effective_from: date | None = attrs.field(default=None, kw_only=True, validator=optional_date)
    effective_to: date | None = attrs.field(default=None, kw_only=True, validator=optional_date)

    @name.validator
    def _known(self, attribute: Any, name: str) -> None:
        if name not in PARAMETERS:
            raise ValueError(unknown_key(name, PARAMETERS, kind="policy parameter"))

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "value", PARAMETERS[self.name].parse(self.value))
        if not self.source.strip():
            raise ValueError(
                Translatable(N_("policy value {name} needs a source"), name=repr(self.name))
            )
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError(
                Translatable(N_("{name}: effective_to is before effective_from"), name=self.name)
            )

    def in_force(self, day: date) -> bool:
        """Tell whether this value is in force on ``day``."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )

    def overlaps(self, other: PolicyValue) -> bool:
        """Tell whether two values of one parameter are in force on a common day."""
        lo = max(self.effective_from or date.min, other.effective_from or date.min)
        hi = min(self.effective_to or date.max, other.effective_to or date.max)
        return lo <= hi


@attrs.frozen(cache_hash=True)
class AppliedValue:
    """A value as applied on a date, with the layer that set it.

    Attributes:
        value: The :class:`PolicyValue` in force.
        layer: ``"default"``, ``"provider"`` or ``"account"``.
    """

    value: PolicyValue
    layer: str


def _default_values() -> tuple[PolicyValue, ...]:
    return tuple(
        PolicyValue(
            p.name,
            p.default,
            source=convention(p.spec),
            grade="D",
            note="engine default; no provider or account value was given",
        )
        for p in PARAMETERS.values()
    )


#: The engine's defaults, the lowest layer.
DEFAULT_LAYER: tuple[PolicyValue, ...] = _default_values()


@attrs.frozen(slots=False)
class Policy:
    """The policy in force on one date: typed values plus where each came from.

    Use attribute access for values (``policy.grace_days``) and :meth:`origin`
    for their provenance.
    """

    applied: tuple[AppliedValue, ...]
    #: The applied values by name (the first of a name wins), built once.
    _by_name: dict[str, AppliedValue] = attrs.field(init=False, eq=False, repr=False, hash=False)
    #: ``grace_days`` as an int (what the engine reads most).
    grace: int = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_name: dict[str, AppliedValue] = {}
        for applied in self.applied:
            by_name.setdefault(applied.value.name, applied)
        object.__setattr__(self, "_by_name", by_name)
        # The values are plain instance attributes: reading one (``policy.grace_days``)
        # is an ordinary attribute look-up, the engine's most frequent operation.
        namespace = self.__dict__
        for name, applied in by_name.items():
            if name not in namespace:
                namespace[name] = applied.value.value
        grace = by_name.get("grace_days")
        object.__setattr__(self, "grace", int(grace.value.value) if grace is not None else 0)

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name that is not a parameter in force.
        raise AttributeError(name)

    def __getstate__(self) -> dict[str, Any]:
        return {"applied": self.applied}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "applied", state["applied"])
        self.__attrs_post_init__()

    def origin(self, name: str) -> AppliedValue:
        """Return the applied value of parameter ``name`` with its layer."""
        try:
            return self._by_name[name]
        except KeyError:  # pragma: no cover - every parameter has a default
            raise KeyError(name) from None


_OVERLAPPING = {
    "provider": N_("provider policy has overlapping versions of {name}: {first} and {second}"),
    "account": N_("account policy has overlapping versions of {name}: {first} and {second}"),
}
_OVERLAPPING_IN = N_("{layer} policy has overlapping versions of {name}: {first} and {second}")


def _check_overlaps(values: Iterable[PolicyValue], layer: str) -> None:
    by_name: dict[str, list[PolicyValue]] = {}
    for value in values:
        for other in by_name.get(value.name, []):
            if value.overlaps(other):
                raise PolicyError(
                    Translatable(
                        _OVERLAPPING.get(layer, _OVERLAPPING_IN),
                        layer=layer,
                        name=repr(value.name),
                        first=_span(other),
                        second=_span(value),
                    )
                )
        by_name.setdefault(value.name, []).append(value)


def _span(value: PolicyValue) -> Translatable:
    """``2024-01-01–open``: the days a version is in force."""
    first, last = value.effective_from, value.effective_to
    if first is None and last is None:
        return Translatable(N_("always–open"))
    if first is None:
        return Translatable(N_("always–{last}"), last=last)
    if last is None:
        return Translatable(N_("{first}–open"), first=first)
    return Translatable(N_("{first}–{last}"), first=first, last=last)


def _values(values: Iterable[PolicyValue]) -> tuple[PolicyValue, ...]:
    return tuple(values)


@attrs.frozen
class PolicySet:
    """All layers of policy for one account; resolves the :class:`Policy` on any date.

    Args:
        provider: The provider's values (effective-dated versions allowed).
        account: The account's overrides (effective-dated versions allowed).
        defaults: The engine defaults (rarely changed).

    Raises:
        PolicyError: if two versions of one parameter overlap within a layer.
    """

    provider: tuple[PolicyValue, ...] = attrs.field(default=(), converter=_values)
    account: tuple[PolicyValue, ...] = attrs.field(default=(), converter=_values)
    defaults: tuple[PolicyValue, ...] = attrs.field(default=DEFAULT_LAYER, converter=_values)
    _cache: dict[int, Policy] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, hash=False
    )

    _points: tuple[date, ...] | None = attrs.field(
        default=None, init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        _check_overlaps(self.provider, "provider")
        _check_overlaps(self.account, "account")

    @property
    def layers(self) -> tuple[tuple[str, tuple[PolicyValue, ...]], ...]:
        """The layers, highest priority first."""
        return (("account", self.account), ("provider", self.provider), ("default", self.defaults))

    def breakpoints(self) -> tuple[date, ...]:
        """Dates on which some value starts or stops being in force (sorted)."""
        if self._points is None:
            days: set[date] = set()
            for _, values in self.layers:
                for value in values:
                    if value.effective_from is not None:
                        days.add(value.effective_from)
                    if value.effective_to is not None and value.effective_to < date.max:
                        days.add(value.effective_to + timedelta(days=1))
            object.__setattr__(self, "_points", tuple(sorted(days)))
        assert self._points is not None
        return self._points

    @property
    def constant(self) -> Policy | None:
        """The policy in force on every day when no value has dated versions, else ``None``."""
        return None if self.breakpoints() else self.at(date.min)

    def at(self, day: date) -> Policy:
        """Resolve the policy in force on ``day``."""
        points = self._points
        if points is None:
            points = self.breakpoints()
        # Resolved once per period between breakpoints: the period's index is the key.
        key = bisect.bisect_right(points, day) if points else 0
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        applied: dict[str, AppliedValue] = {}
        for layer, values in self.layers:
            for value in values:
                if value.name not in applied and value.in_force(day):
                    applied[value.name] = AppliedValue(value, layer)
        policy = Policy(tuple(applied[name] for name in PARAMETERS if name in applied))
        self._cache[key] = policy
        return policy

    @classmethod
    def of(
        cls, provider: tuple[PolicyValue, ...] = (), account: tuple[PolicyValue, ...] = ()
    ) -> PolicySet:
        """``PolicySet(provider=provider, account=account)``, shared by every caller.

        Values are immutable, so the assessments of one account (and its what-ifs, and
        the accounts of one provider without overrides) share one set and the policies
        it has already resolved.

        Raises:
            PolicyError: if two versions of one parameter overlap within a layer.
        """
        return _shared(tuple(provider), tuple(account))


@functools.lru_cache(maxsize=1024)
def _shared(provider: tuple[PolicyValue, ...], account: tuple[PolicyValue, ...]) -> PolicySet:
    return PolicySet(provider=provider, account=account)
