"""Make a synthetic, seeded portfolio of accounts for benchmarks (JSON Lines).

Run:  python benchmarks/make_portfolio.py N OUT.jsonl [--seed S]

Each account is one of the example accounts of ``examples/`` (花呗, 借呗, 分期乐 and
generic loans and cards), with a new id and its payments redrawn: each payment is
kept on time (70%), paid 1-10 days late (15%), 11-95 days late (10%), or never made
(5%). So the portfolio mixes clean accounts, short overdues, long ones (codes 2-3
on the report) and unpaid ones, across the three providers. The same N and seed
give the same file, byte for byte.

Each line is the account file's table as JSON, the form ``creditrules batch`` reads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs

from creditrules import Account, dump_account, load_account
from creditrules._toml import loads_toml

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def templates() -> list[Account]:
    """The example accounts, in file order."""
    return [load_account(path) for path in sorted(EXAMPLES.glob("*.toml"))]


def redraw(account: Account, rng: random.Random, number: int) -> Account:
    """The account with a new id and each payment kept, delayed or dropped at random."""
    payments = []
    for payment in account.payments:
        draw = rng.random()
        if draw < 0.70:
            payments.append(payment)
        elif draw < 0.85:
            payments.append(
                attrs.evolve(payment, date=payment.date + timedelta(rng.randint(1, 10)))
            )
        elif draw < 0.95:
            payments.append(
                attrs.evolve(payment, date=payment.date + timedelta(rng.randint(11, 95)))
            )
    payments.sort(key=lambda p: p.date)
    return attrs.evolve(account, id=f"{account.id}-{number:07d}", payments=payments)


def make_portfolio(size: int, seed: int = 1) -> Iterator[Account]:
    """Yield ``size`` accounts, cycling through the templates, drawn with ``seed``."""
    rng = random.Random(seed)
    bases = templates()
    for number in range(size):
        yield redraw(bases[number % len(bases)], rng, number)


def table(account: Account) -> dict[str, Any]:
    """The account file's table (what a line of JSON Lines holds)."""
    return dict(loads_toml(dump_account(account)))


def write_jsonl(accounts: Iterator[Account], path: Path) -> int:
    """Write accounts one per line; return how many."""
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for account in accounts:
            out.write(json.dumps(table(account), default=str, ensure_ascii=False) + "\n")
            written += 1
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int, help="number of accounts")
    parser.add_argument("out", type=Path, help="the JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count = write_jsonl(make_portfolio(args.size, args.seed), args.out)
    print(f"wrote {count} accounts to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
