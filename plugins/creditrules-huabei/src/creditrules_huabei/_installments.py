"""Bill installments (账单分期): the event, its checks and its conversion (private)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from creditrules import (
    Account,
    Bill,
    Context,
    InputError,
    InputProblem,
    ItemSpec,
    PolicyError,
    PolicySet,
    PolicyValue,
)
from creditrules.model import add_months
from creditrules.money import EXACT, parse_money, parse_rate, to_fen
from creditrules.remediation import Phrase

__all__ = ["RULE_ID", "BillInstallment", "convert", "installment_problems"]

#: The rule id recorded when a bill is converted.
RULE_ID = "huabei.bill_installment"
#: The most periods a conversion may have: creditrules' longest supported plan
#: (360 months, ``docs/explanation/conventions.md#supported-ranges``). Huabei itself
#: lists 3, 6, 9 and 12; the bound keeps the work of a conversion bounded by the file.
MAX_PERIODS = 360
#: The largest fee rate of a conversion: 100 % of the amount converted.
MAX_FEE_RATE = Decimal("1")


def _said(english: str, chinese: str, **values: Any) -> Phrase:
    """A message in English and Chinese (shown in the command line's language)."""
    return Phrase(english, translations={"zh_CN": chinese}, **values)


def _named(name: str, english: str, chinese: str, **values: Any) -> Phrase:
    """``<field> <message>``: the core drops the field's name where the path ends in it."""
    return Phrase.join([name, _said(english, chinese, **values)], "sentences")


def _is_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(
            _named(
                attribute.name,
                "must be a date (YYYY-MM-DD), got {value}",
                "必须是日期（YYYY-MM-DD），给出的是 {value}",
                value=repr(value),
            )
        )


def _bill_ref(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            _named(
                attribute.name,
                'must name a bill: its id, or its due date as a string ("2025-03-10"), got {value}',
                '必须指明一张账单：它的 id，或以文本给出的到期日（"2025-03-10"），给出的是 {value}',
                value=repr(value),
            )
        )


def _periods(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= MAX_PERIODS:
        raise ValueError(
            _named(
                attribute.name,
                "must be a whole number of at least 2 and at most {maximum}, got {value}",
                "必须是 2 到 {maximum} 之间的整数，给出的是 {value}",
                maximum=MAX_PERIODS,
                value=repr(value),
            )
        )


def _optional_rate(value: Any) -> Decimal | None:
    if value is None:
        return None
    rate = parse_rate(value)
    if rate > MAX_FEE_RATE:
        raise ValueError(
            _named(
                "fee_rate",
                "{rate} is above 1 (100 % of the amount converted); give it as a "
                "fraction (0.088 is 8.8 %)",
                "{rate} 超过了 1（分期金额的 100%）；请以小数形式给出（0.088 即 8.8%）",
                rate=str(rate),
            )
        )
    return rate


def _optional_money(value: Any) -> Decimal | None:
    return None if value is None else parse_money(value)


def _positive(instance: Any, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and value <= 0:
        raise ValueError(
            _named(
                attribute.name,
                "must be greater than zero, got {value}",
                "必须大于零，给出的是 {value}",
                value=str(value),
            )
        )


@attrs.frozen
class BillInstallment:
    """A bill converted into monthly installments (账单分期).

    Huabei allows the conversion between the bill's statement date and its due date
    (inclusive). The converted amount is replaced by ``periods`` monthly installments: the
    k-th appears on the bill issued k months after the converted one and falls due k months
    after its due date. Principal and fee are split evenly to the fen, the last installment
    absorbing the rounding.

    Attributes:
        date: Day the bill was converted.
        bill: The bill converted: its id, or its due date as a string ("2025-03-10").
        periods: Number of monthly installments (Huabei lists 3, 6, 9 and 12; 2 to
            :data:`MAX_PERIODS` are accepted).
        fee_rate: The total fee rate you were quoted (0.088 = 8.8 % of the amount
            converted, at most 1), overriding the provider's table; per-user pricing
            varies.
        amount: The amount converted, if not the whole bill; the rest stays due on the
            bill's due date.
        note: Free text kept with the event.
    """

    type: ClassVar[str] = "bill_installment"
    date: dt.date = attrs.field(validator=_is_date)
    bill: str = attrs.field(validator=_bill_ref)
    periods: int = attrs.field(validator=_periods)
    fee_rate: Decimal | None = attrs.field(default=None, kw_only=True, converter=_optional_rate)
    amount: Decimal | None = attrs.field(
        default=None, kw_only=True, converter=_optional_money, validator=_positive
    )
    note: str = attrs.field(default="", kw_only=True)


def split(total: Decimal, parts: int) -> list[Decimal]:
    """Split ``total`` into ``parts`` amounts to the fen; the last absorbs the rounding.

    Each part is ``total / parts`` rounded half-up, unless that would leave the last
    part negative (a tiny total over many parts): then the parts are rounded down.

    >>> split(Decimal("0.09"), 12)[-1]
    Decimal('0.09')
    """
    with decimal.localcontext(EXACT):
        each = to_fen(total / parts)
        if each * (parts - 1) > total:
            each = (total / parts).quantize(Decimal("0.01"), rounding=decimal.ROUND_DOWN)
        last = total - each * (parts - 1)
    return [each] * (parts - 1) + [last]


def _find_bill(account: Account, ref: str) -> list[Bill]:
    by_id = [bill for bill in account.bills if bill.id == ref]
    return by_id or [bill for bill in account.bills if bill.due_date.isoformat() == ref]


def fee_rate(event: BillInstallment, policies: PolicySet) -> tuple[Decimal | None, str]:
    """Return the fee rate of a conversion and where it comes from.

    The event's ``fee_rate`` wins; otherwise the ``bill_installment_fees`` table in force
    on the conversion date.
    """
    if event.fee_rate is not None:
        return event.fee_rate, "the bill_installment event (your quoted rate)"
    origin = policies.at(event.date).origin("bill_installment_fees")
    table: tuple[tuple[int, Decimal], ...] = origin.value.value
    for periods, rate in table:
        if periods == event.periods:
            value = origin.value
            return rate, f"{origin.layer} policy: {value.source} (grade {value.grade})"
    return None, ""


def installment_problems(
    account: Account, provider_policy: Iterable[PolicyValue]
) -> list[tuple[str, str]]:
    """Check an account's ``bill_installment`` events.

    Args:
        account: The account.
        provider_policy: The provider's policy values (for the fee table).

    Returns:
        ``(json_path, message)`` pairs; empty when every conversion is valid.
    """
    conversions = [(i, e) for i, e in enumerate(account.events) if isinstance(e, BillInstallment)]
    if not conversions:
        return []
    try:
        policies = PolicySet(provider=tuple(provider_policy), account=account.policy)
    except PolicyError:  # the core reports overlapping versions itself
        policies = PolicySet(provider=tuple(provider_policy))
    found: list[tuple[str, str]] = []
    converted: dict[str, int] = {}
    for index, event in conversions:
        path = f"$.events[{index}]"
        bills = _find_bill(account, event.bill)
        if len(bills) != 1:
            listed = Phrase.join(
                [
                    _said("{id} (due {due})", "{id}（{due}到期）", id=b.id, due=str(b.due_date))
                    for b in account.bills
                ]
                or [_said("none", "无")],
                "list",
            )
            found.append(
                (
                    f"{path}.bill",
                    _said(
                        "no bill matches {bill}; give a bill's id or due date (bills: {listed})",
                        "没有账单与 {bill} 相符；请给出账单的 id 或到期日（账单：{listed}）",
                        bill=repr(event.bill),
                        listed=listed,
                    )
                    if not bills
                    else _said(
                        "more than one bill matches {bill}; give a bill's id or due date "
                        "(bills: {listed})",
                        "不止一张账单与 {bill} 相符；请给出账单的 id 或到期日（账单：{listed}）",
                        bill=repr(event.bill),
                        listed=listed,
                    ),
                )
            )
            continue
        bill = bills[0]
        if bill.id in converted:
            found.append(
                (
                    f"{path}.bill",
                    _said(
                        "bill {id} is already converted into installments by events[{index}]",
                        "账单 {id} 已由 events[{index}] 转为分期",
                        id=bill.id,
                        index=converted[bill.id],
                    ),
                )
            )
            continue
        converted[bill.id] = index
        if not bill.statement_date <= event.date <= bill.due_date:
            found.append(
                (
                    f"{path}.date",
                    _said(
                        "Huabei converts a bill into installments (账单分期) only between its "
                        "statement date and its due date; bill {id} was issued {issued} and "
                        "due {due}, the conversion is dated {day}",
                        "花呗只能在账单日至到期还款日之间办理账单分期；账单 {id} 出账于 {issued}、"
                        "到期于 {due}，这次分期的日期是 {day}",
                        id=bill.id,
                        issued=str(bill.statement_date),
                        due=str(bill.due_date),
                        day=str(event.date),
                    ),
                )
            )
        amount = bill.amount if event.amount is None else event.amount
        if amount > bill.amount or amount <= 0:
            found.append(
                (
                    f"{path}.amount" if event.amount is not None else f"{path}.bill",
                    _said(
                        "the amount converted must be more than 0 and at most the bill's "
                        "{bill}, got {amount}",
                        "分期金额必须大于 0 且不超过账单金额 {bill}，给出的是 {amount}",
                        bill=str(bill.amount),
                        amount=str(amount),
                    ),
                )
            )
        elif split(amount, event.periods)[-1] < 0:
            found.append(
                (
                    f"{path}.amount",
                    _said(
                        "{amount} is too small to split into {periods} periods",
                        "{amount} 太小，无法分成 {periods} 期",
                        amount=str(amount),
                        periods=event.periods,
                    ),
                )
            )
        rate, _ = fee_rate(event, policies)
        if rate is None:
            table = policies.at(event.date).bill_installment_fees
            offered = ", ".join(str(periods) for periods, _ in table)
            found.append(
                (
                    f"{path}.periods",
                    _said(
                        "no fee is known for {periods} periods (the fee table in force on "
                        "{day} lists: {offered}); give the fee_rate you were quoted",
                        "不知道 {periods} 期的手续费（{day} 有效的费率表列有：{offered}）；"
                        "请给出您得到报价的费率 fee_rate",
                        periods=event.periods,
                        day=str(event.date),
                        offered=offered or _said("none", "无"),
                    ),
                )
            )
    return found


def convert(context: Context, provider_policy: Iterable[PolicyValue]) -> None:
    """Replace each converted bill's due item by its installments (``huabei.bill_installment``).

    Conversions dated after the assessment date have not happened yet and are skipped.

    Raises:
        InputError: if a conversion is invalid (see :func:`installment_problems`).
    """
    account = context.account
    events = [e for e in context.events if isinstance(e, BillInstallment)]
    if not events:
        return
    problems = installment_problems(account, provider_policy)
    if problems:
        raise InputError([InputProblem(path, message) for path, message in problems])
    for event in events:
        if event.date > context.as_of:
            continue
        (bill,) = _find_bill(account, event.bill)
        _convert_one(context, event, bill)


def _convert_one(context: Context, event: BillInstallment, bill: Bill) -> None:
    index = next(
        i for i, spec in enumerate(context.items) if spec.kind == "bill" and spec.id == bill.id
    )
    spec = context.items[index]
    amount = spec.principal if event.amount is None else event.amount
    rate, rate_source = fee_rate(event, context.policies)
    assert rate is not None  # checked by installment_problems
    fee = to_fen(amount * rate)
    principals = split(amount, event.periods)
    fees = split(fee, event.periods)
    replacement: list[ItemSpec] = []
    rest = spec.principal - amount
    if rest > 0:
        replacement.append(attrs.evolve(spec, principal=rest))
    for period in range(1, event.periods + 1):
        replacement.append(
            ItemSpec(
                id=f"{bill.id}-installment-{period}",
                kind="installment",
                open_date=add_months(bill.statement_date, period),
                due_date=add_months(bill.due_date, period),
                principal=principals[period - 1],
                fees=fees[period - 1],
                period=period,
            )
        )
    context.items[index : index + 1] = replacement
    context.fire(
        RULE_ID,
        bill.id,
        policy=("bill_installment_fees",) if event.fee_rate is None else (),
        date=event.date,
        amount=amount,
        periods=event.periods,
        fee_rate=rate,
        fee=fee,
        fee_source=rate_source,
        first_due=replacement[-event.periods].due_date,
        last_due=replacement[-1].due_date,
        installment=principals[0] + fees[0],
        last_installment=principals[-1] + fees[-1],
        left_on_bill=rest,
    )
