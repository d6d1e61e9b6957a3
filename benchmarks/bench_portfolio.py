"""Benchmark creditrules.assess_many: accounts/s in process, on a process pool, on Dask.

Run:  python benchmarks/bench_portfolio.py [--accounts N] [--memory-sizes N,M] [--no-dask]

Prints, for a seeded synthetic portfolio (benchmarks/make_portfolio.py) given as
account tables (the form of a JSON Lines line, parsed by whoever assesses it):

* accounts/s in this process, on a ProcessPoolExecutor of 1 and 2 workers, and on a
  Dask LocalCluster of 2 worker processes (through ``Client.get_executor()``), with
  the ratios pool(2)/in-process and Dask/pool(2); the pools are started and warmed
  up (plugins loaded) before the clock starts;
* the pickled size of one result: a summary, and a whole assessment;
* the peak memory (max RSS) of ``creditrules batch`` writing Parquet, for each of
  ``--memory-sizes`` accounts: it should not grow with the portfolio.

Nothing is asserted: this is a measurement, not a test. The ratios need an idle
machine with at least 2 cores to mean anything.
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_portfolio import make_portfolio, table, write_jsonl

import creditrules
from creditrules import assess, assess_many
from creditrules.io import parse_account

AS_OF = date(2025, 6, 1)


def rate(sources: Sequence[Any], executor: Executor | None, chunksize: int) -> float:
    """Accounts per second of one full pass."""
    started = time.perf_counter()
    done = sum(1 for _ in assess_many(sources, AS_OF, executor=executor, chunksize=chunksize))
    return done / (time.perf_counter() - started)


def pool_rate(sources: Sequence[Any], workers: int, chunksize: int) -> float:
    with ProcessPoolExecutor(workers) as pool:
        list(assess_many(sources[: workers * chunksize], AS_OF, executor=pool, chunksize=chunksize))
        return rate(sources, pool, chunksize)


def dask_rate(sources: Sequence[Any], chunksize: int) -> float | None:
    try:
        import distributed
    except ImportError:
        return None
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
        client.get_executor() as executor,
    ):
        list(assess_many(sources[: 2 * chunksize], AS_OF, executor=executor, chunksize=chunksize))
        return rate(sources, executor, chunksize)


def batch_peak_rss(size: int, folder: Path) -> float:
    """Max RSS in MB of ``creditrules batch`` writing ``size`` accounts to Parquet."""
    source = folder / f"portfolio-{size}.jsonl"
    write_jsonl(make_portfolio(size, seed=size), source)
    code = (
        "import resource, sys\n"
        "from creditrules.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = str(folder / f"portfolio-{size}.parquet")
    ran = subprocess.run(
        [sys.executable, "-c", code, "batch", str(source), "--as-of", str(AS_OF), "--out", out],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(ran.stdout.strip().splitlines()[-1]) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--chunksize", type=int, default=16)
    parser.add_argument("--memory-sizes", default="1000,4000")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args(argv)

    print(f"creditrules {creditrules.__version__}, Python {platform.python_version()}, ", end="")
    print(f"{os.cpu_count()} CPUs, {args.accounts} accounts, chunksize {args.chunksize}")
    sources = [table(account) for account in make_portfolio(args.accounts)]

    alone = rate(sources, None, args.chunksize)
    one = pool_rate(sources, 1, args.chunksize)
    two = pool_rate(sources, 2, args.chunksize)
    print(f"in process          {alone:8.0f} accounts/s")
    print(f"process pool (1)    {one:8.0f} accounts/s   {one / alone:5.2f}x in process")
    print(f"process pool (2)    {two:8.0f} accounts/s   {two / alone:5.2f}x in process")
    if not args.no_dask:
        clustered = dask_rate(sources, args.chunksize)
        if clustered is None:
            print("dask                (not installed: pip install 'creditrules[dask]')")
        else:
            print(
                f"dask LocalCluster(2){clustered:8.0f} accounts/s   "
                f"{clustered / alone:5.2f}x in process, {clustered / two:5.2f}x pool (2)"
            )

    summary = next(assess_many(sources[:1], AS_OF))
    whole = assess(parse_account(sources[0]), AS_OF)
    _ = whole.actions
    print(f"pickled result      summary {len(pickle.dumps(summary)):,} B, ", end="")
    print(f"whole assessment {len(pickle.dumps(whole)):,} B")

    sizes = [int(s) for s in args.memory_sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            peak = batch_peak_rss(size, Path(folder))
            print(f"batch to Parquet    {size:>8,} accounts: peak RSS {peak:6.0f} MB")
    print(f"(max RSS of this process so far: {_self_rss():.0f} MB)")


def _self_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
