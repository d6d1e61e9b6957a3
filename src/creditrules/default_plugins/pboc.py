"""The ``pboc`` bureau: the PBOC Credit Reference Center (中国人民银行征信中心).

Registered through :data:`creditrules.DEFAULT_PLUGINS` exactly as a
third-party bureau plugin would be. Everything the report simulation knows
about the bureau is here, each rule with its source and grade.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ..bureau import Bureau, Citation, FlagRules, ReliefPolicy, StatusCode
from ..hookspecs import hookimpl
from ..policy import convention

__all__ = ["CSC_ORDINANCE", "PARSING_CODE", "PBOC", "RELIEF_2025", "RELIEF_2025_URL"]

#: 征信业管理条例 (State Council Order No. 631, 2013).
CSC_ORDINANCE = "征信业管理条例 (国务院令第631号)"
#: The PBOC's 2025-12-22 one-time relief notice, as published by its Nanjing branch.
RELIEF_2025_URL = (
    "https://nanjing.pbc.gov.cn/en/3688110/3688172/5552468/2025122615180023523/index.html"
)
#: Public code that parses second-generation PBOC reports (its repay-status map).
PARSING_CODE = (
    "public PBOC report-parsing code, e.g. github.com/xyy15926/aki7proj "
    "azkaban/pboc_conf.py (repay_status map)"
)

#: The 2025 one-time relief (一次性信用修复政策) of the PBOC notice of 2025-12-22.
RELIEF_2025 = ReliefPolicy(
    id="pboc-2025-one-time",
    name="PBOC one-time credit relief of 2025-12-22 (一次性信用修复)",
    source=f"PBOC notice 2025-12-22, {RELIEF_2025_URL}",
    grade="A",
    note=(
        "the notice does not define the 'single overdue amount' (单笔逾期金额); creditrules "
        "reads it as the episode's max_overdue_amount: the largest amount past due, penalty "
        "included, on any day of the episode. The relief is automatic and free."
    ),
    announced_on=date(2025, 12, 22),
    effective_on=date(2026, 1, 1),
    started_from=date(2020, 1, 1),
    started_to=date(2025, 12, 31),
    max_overdue_amount=Decimal("10000.00"),
    ended_by=date(2026, 3, 31),
    backlog_ended_by=date(2025, 11, 30),
    then_months_after=1,
)

_CODES = (
    StatusCode("/", "未开立账户 / 无报送", "account not open, or nothing reported"),
    StatusCode("*", "当月不需要还款且之前没有拖欠", "nothing due this month, no arrears"),
    StatusCode("C", "结清、正常销户", "closed with nothing owed"),
    StatusCode("N", "正常还款", "paid as agreed"),
    StatusCode("M", "约定还款日后月底前还款", "paid late, before the snapshot", severity=1),
    StatusCode("1", "逾期1-30天", "1–30 days past due", negative=True, severity=2),
    StatusCode("2", "逾期31-60天", "31–60 days past due", negative=True, severity=3),
    StatusCode("3", "逾期61-90天", "61–90 days past due", negative=True, severity=4),
    StatusCode("4", "逾期91-120天", "91–120 days past due", negative=True, severity=5),
    StatusCode("5", "逾期121-150天", "121–150 days past due", negative=True, severity=6),
    StatusCode("6", "逾期151-180天", "151–180 days past due", negative=True, severity=7),
    StatusCode("7", "逾期180天以上", "more than 180 days past due", negative=True, severity=8),
    StatusCode("D", "担保人代还", "a guarantor paid (代偿)", negative=True, severity=9),
    StatusCode("B", "呆账", "written off as bad debt", negative=True, severity=10),
)

_CITATIONS = (
    Citation(
        "status",
        "Monthly repayment-status codes, first match wins: / C B D 1–7 M * N.",
        f"{PARSING_CODE}; {convention('A.7')}",
        "D",
        note="the order and the severity ranks of D and B are creditrules' reading",
    ),
    Citation(
        "days_past_due",
        "Days past due count from the due date; grace only decides whether an item counts.",
        convention("A.2–A.3"),
        "D",
    ),
    Citation(
        "snapshot",
        "One snapshot per calendar month, on its last day, unless the provider's "
        "policy names another day.",
        convention("A.7"),
        "D",
    ),
    Citation(
        "history_window",
        "The second-generation report shows the latest 60 months.",
        convention("A.7"),
        "C",
    ),
    Citation(
        "ended_on",
        "The bad behaviour ends on the day everything past due, penalty included, is paid "
        "(the end of the overdue episode).",
        convention("A.6"),
        "D",
    ),
    Citation(
        "expires_on",
        "Negative information is kept for 5 years from the day the bad behaviour ends, "
        "then deleted; 29 February becomes 28 February.",
        f"{CSC_ORDINANCE} Art. 16",
        "A",
    ),
    Citation(
        "unpaid",
        "An unpaid overdue has not ended, so its 5 years have not started.",
        f"{CSC_ORDINANCE} Art. 16",
        "A",
    ),
    Citation(
        "dispute",
        "A disputed record is marked and verified, with a written reply within 20 days; "
        "errors are corrected free of charge.",
        f"{CSC_ORDINANCE} Art. 25",
        "A",
    ),
    Citation(
        "notice",
        "The lender must tell the borrower before it reports negative information.",
        f"{CSC_ORDINANCE} Art. 15",
        "A",
    ),
)

#: The PBOC Credit Reference Center bureau.
PBOC = Bureau(
    id="pboc",
    name_zh="中国人民银行征信中心",
    name_en="PBOC Credit Reference Center",
    codes=_CODES,
    dpd_codes=("1", "2", "3", "4", "5", "6", "7"),
    dpd_band_days=30,
    history_months=60,
    snapshot="month_end",
    retention_years=5,
    dispute_days=20,
    reliefs=(RELIEF_2025,),
    flags=FlagRules(window_months=24, consecutive=3, cumulative=6),
    citations=_CITATIONS,
    description=(
        "The national credit bureau of the People's Bank of China. Lenders report each "
        "account monthly; the personal report shows the latest 60 months of repayment "
        "status, and negative records for 5 years after the overdue ends (征信业管理条例 "
        "Art. 16). 'Credit repair' services for true records are scams: only wrong data "
        "is corrected, free, through a dispute (Art. 25)."
    ),
)


@hookimpl
def register_bureaus(register: Callable[[Bureau], None]) -> None:
    """Register the ``pboc`` bureau."""
    register(PBOC)
