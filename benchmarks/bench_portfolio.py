"""Benchmark creditrules.assess_many: accounts/s in process, on a process pool, on Dask.

Run:  python benchmarks/bench_portfolio.py [--accounts N] [--memory-sizes N,M,...]
                                           [--memory-workers W] [--no-dask] [--form F]

Prints, for a seeded synthetic portfolio (benchmarks/make_portfolio.py), given as the
lines of a JSON Lines file (``--form lines``, what ``creditrules batch`` reads) or as
account tables (``--form tables``, mappings pickled to the workers):

* accounts/s in this process, on a ProcessPoolExecutor of 1 and 2 workers, and on a
  Dask LocalCluster of 2 worker processes of 1 thread each (through
  ``Client.get_executor()``), with Dask's default settings and with :data:`QUIET`
  ones, all with the default chunk sizes of ``assess_many``; each is warmed up
  (workers started, plugins loaded) before the clock starts;
* for each run, the CPU seconds of this process (the caller; with Dask also the
  scheduler and the nannies, which a LocalCluster runs here) and of its worker
  processes, and the rate the run would reach if that CPU time were spread over
  the machine's cores with nothing else running ("CPU-bound"): on a machine shared
  with other jobs the measured (wall-clock) ratios are depressed, the CPU-bound
  ones show what the work itself costs;
* the pickled size of one result (a summary, a whole assessment) and what a chunk
  costs to send each way;
* the peak memory (max RSS) of ``creditrules batch`` writing Parquet, for each of
  ``--memory-sizes`` accounts (``--memory-workers 2``: the caller's and the largest
  worker's): it should not grow with the portfolio.

With ``--repeat R`` the configurations take turns R times (each pool and cluster
started anew for its pass, so none idles beside another's pass) and each one's
fastest pass is shown: a burst of another job's work slows one pass, not all.
Nothing is asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_portfolio import make_portfolio, table, write_jsonl

import creditrules
from creditrules import assess, assess_many
from creditrules.io import parse_account
from creditrules.portfolio import CHUNKSIZE, AccountLine, _pack, _run_packed, _task

try:
    import psutil
except ImportError:  # comes with distributed; without it, no CPU time of the workers
    psutil = None

AS_OF = date(2025, 6, 1)


@attrs.frozen
class Run:
    """One timed pass over the portfolio."""

    label: str
    accounts: int
    wall: float
    caller_cpu: float
    workers_cpu: float | None
    workers: int
    load: float

    @property
    def rate(self) -> float:
        return self.accounts / self.wall

    @property
    def cpu_rate(self) -> float | None:
        """Accounts/s if this run's CPU time had the machine's cores to itself."""
        if self.workers == 0:
            return self.accounts / self.caller_cpu
        if self.workers_cpu is None:
            return None
        cores = min(os.cpu_count() or 1, self.workers + 1)
        busiest = max(
            self.caller_cpu,
            self.workers_cpu / self.workers,
            (self.caller_cpu + self.workers_cpu) / cores,
        )
        return self.accounts / busiest


def _children_cpu() -> float | None:
    if psutil is None:
        return None
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def timed(label: str, sources: Sequence[Any], executor: Executor | None, workers: int) -> Run:
    """Assess every source once: the wall-clock and CPU time it took."""
    load = os.getloadavg()[0]
    children, caller, started = _children_cpu(), _cpu(), time.perf_counter()
    done = sum(1 for _ in assess_many(sources, AS_OF, executor=executor))
    wall, caller = time.perf_counter() - started, _cpu() - caller
    after = _children_cpu()
    spent = None if children is None or after is None else after - children
    return Run(label, done, wall, caller, spent if workers else None, workers, load)


def warm_up(sources: Sequence[Any], executor: Executor | None) -> None:
    """Start the workers and load their plugins (or this process's) before the clock starts."""
    list(assess_many(sources[: 4 * CHUNKSIZE], AS_OF, executor=executor))


def alone_run(sources: Sequence[Any]) -> Run:
    warm_up(sources, None)
    return timed("in process", sources, None, 0)


def pool_run(sources: Sequence[Any], workers: int) -> Run:
    with ProcessPoolExecutor(workers) as pool:
        warm_up(sources, pool)
        return timed(f"process pool ({workers})", sources, pool, workers)


#: Dask settings that stop the workers' sampling profiler and make the event-loop
#: health checks and memory checks less frequent: they cost a LocalCluster of two
#: workers about 15% of a core when idle, 3% with these (see docs/howto/portfolio.md).
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "2s",
}


@contextmanager
def dask_executor(workers: int, *, quiet: bool = False) -> Iterator[Executor | None]:
    try:
        import dask
        import distributed
    except ImportError:
        yield None
        return
    with (
        dask.config.set(QUIET if quiet else {}),
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
        client.get_executor() as executor,
    ):
        yield executor


def dask_run(sources: Sequence[Any], workers: int, *, quiet: bool) -> Run | None:
    with dask_executor(workers, quiet=quiet) as executor:
        if executor is None:
            return None
        warm_up(sources, executor)
        label = f"dask{', quiet' if quiet else ''} ({workers})"
        return timed(label, sources, executor, workers)


def batch_peak_rss(size: int, folder: Path, workers: int) -> tuple[float, float, float, float]:
    """``creditrules batch`` of ``size`` accounts to Parquet: seconds, max RSS (MB) of
    the caller and of its largest worker process, and the load average before it."""
    source = folder / f"portfolio-{size}.jsonl"
    write_jsonl(make_portfolio(size, seed=size), source)
    code = (
        "import resource, sys, time\n"
        "from creditrules.cli import main\n"
        "started = time.perf_counter()\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "seconds = time.perf_counter() - started\n"
        "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(seconds, me, workers)\n"
    )
    out = str(folder / f"portfolio-{size}.parquet")
    args = ["batch", str(source), "--as-of", str(AS_OF), "--out", out, "--workers", str(workers)]
    load = os.getloadavg()[0]
    ran = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    seconds, me, children = ran.stdout.strip().splitlines()[-1].split()
    source.unlink()
    Path(out).unlink()
    return float(seconds), int(me) / 1024, int(children) / 1024, load


def sources_of(size: int, form: str) -> list[Any]:
    tables = [table(account) for account in make_portfolio(size)]
    if form == "tables":
        return tables
    return [
        AccountLine("portfolio.jsonl", number, json.dumps(row, default=str, ensure_ascii=False))
        for number, row in enumerate(tables, start=1)
    ]


def show(run: Run, alone: Run, against: Run | None = None) -> None:
    cpu = run.cpu_rate
    alone_cpu = alone.cpu_rate
    workers = "" if run.workers_cpu is None else f"{run.workers_cpu:8.1f}"
    line = (
        f"{run.label:<22}{run.rate:7.0f}  {run.rate / alone.rate:5.2f}x"
        f"{run.caller_cpu:9.1f}{workers:>9}"
    )
    if cpu is not None and alone_cpu is not None:
        line += f"{cpu:8.0f}  {cpu / alone_cpu:5.2f}x"
    else:
        line += f"{'':17}"
    line += f"   {run.load:4.2f}"
    if against is not None:
        line += f"   {run.rate / against.rate:4.2f}x {against.label}"
        if cpu is not None and (other := against.cpu_rate) is not None:
            line += f" (CPU-bound {cpu / other:4.2f}x)"
    print(line, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--form", choices=("lines", "tables"), default="lines")
    parser.add_argument("--memory-sizes", default="1000,4000")
    parser.add_argument("--memory-workers", type=int, default=1)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--no-pool-1", action="store_true", help="skip the pool of 1 worker")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of passes; each one's fastest is shown"
    )
    args = parser.parse_args(argv)

    print(
        f"creditrules {creditrules.__version__}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{args.accounts:,} accounts as {args.form}, best of {args.repeat}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    sources = sources_of(args.accounts, args.form)
    plan: list[Callable[[], Run | None]] = [lambda: alone_run(sources)]
    if not args.no_pool_1:
        plan.append(lambda: pool_run(sources, 1))
    plan.append(lambda: pool_run(sources, 2))
    if not args.no_dask:
        plan.append(lambda: dask_run(sources, 2, quiet=False))
        plan.append(lambda: dask_run(sources, 2, quiet=True))
    best: dict[str, Run] = {}
    for number in range(1, max(args.repeat, 1) + 1):
        done = [run for make in plan if (run := make()) is not None]
        if args.repeat > 1:
            rates = ", ".join(f"{run.label} {run.rate:.0f}" for run in done)
            print(f"  pass {number}: {rates} accounts/s", flush=True)
        for run in done:
            if run.label not in best or run.wall < best[run.label].wall:
                best[run.label] = run
    alone = best["in process"]
    two = best["process pool (2)"]
    print(
        f"{'':<22}{'acc/s':>7}  {'ratio':>6}{'CPU s: caller':>15}{'workers':>9}"
        f"{'CPU-bound acc/s, ratio':>23}   load"
    )
    for run in best.values():
        show(run, alone, against=two if run.label.startswith("dask") else None)
    if args.no_dask is False and not any(label.startswith("dask") for label in best):
        print("dask                  (not installed: pip install 'creditrules[dask]')")

    summary = next(assess_many(sources[:1], AS_OF))
    whole = assess(parse_account(table(next(make_portfolio(1)))), AS_OF)
    _ = whole.actions
    task, _registry = _task(AS_OF, None, summary=True, actions=False, remote=True)
    chunk = [(index, source) for index, source in enumerate(sources[:CHUNKSIZE])]
    sent = _pack(task, chunk)
    back = _run_packed(sent)
    print(
        f"pickled result: summary {len(pickle.dumps(summary)):,} B, whole assessment "
        f"{len(pickle.dumps(whole)):,} B; a chunk of {len(chunk)}: {len(sent):,} B there, "
        f"{len(back):,} B back ({len(sent) // len(chunk):,} B + {len(back) // len(chunk):,} B "
        "an account)"
    )

    sizes = [int(s) for s in args.memory_sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            seconds, me, worker, load = batch_peak_rss(size, Path(folder), args.memory_workers)
            line = (
                f"batch to Parquet {size:>9,} accounts, --workers {args.memory_workers}: "
                f"{seconds:6.1f} s ({size / seconds:4.0f} acc/s), peak RSS {me:4.0f} MB"
            )
            if args.memory_workers > 1:
                line += f" (largest worker {worker:4.0f} MB)"
            print(f"{line}; load {load:.2f}", flush=True)
    print(f"(max RSS of this process: {_self_rss():.0f} MB)")


def _self_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
