"""Portfolios: assess many accounts at once, on every core or a Dask cluster, into a table.

:func:`assess_many` assesses accounts — :class:`~creditrules.Account` values,
account-file paths, or account mappings (an account file's table as JSON, see
:doc:`/howto/portfolio`) — in this process or on any
:class:`concurrent.futures.Executor`: a :class:`~concurrent.futures.ProcessPoolExecutor`
for every core of one machine, or ``distributed.Client(...).get_executor()`` for a
Dask cluster. Each result is a compact :class:`AssessmentSummary` (or the whole
:class:`~creditrules.Assessment`), or an :class:`AssessmentFailure` for an account
that could not be assessed: one bad account never stops the batch.

:func:`to_table` turns results into a :class:`pyarrow.Table` (extra ``portfolio``)
with money as exact ``decimal128`` and dates as dates; :func:`open_writer` and
:func:`write_results` write them to Parquet, CSV or JSON Lines as they arrive, so
memory is bounded by one batch of rows, not by the portfolio.

Workers send accounts in chunks and load their registry once per process: the
plugins installed on the worker, which must be those of the caller (a worker with
other plugins stops the batch with a :class:`~creditrules.PluginError`); providers
added with :meth:`~creditrules.Registry.with_providers` (``--provider-file``) travel
with the work. Every assessment's decision record names the plugins that made it.

>>> from datetime import date
>>> from creditrules import Account, Bill
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
... )
>>> [row] = assess_many([account], date(2025, 3, 15))
>>> row.account_id, row.days_past_due, row.overdue_total, row.worst_status
('demo', 5, Decimal('500.00'), '1')
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from datetime import date
from decimal import Decimal
from itertools import islice, repeat
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from ._api import assess
from ._i18n import Messages, Translatable, message_of
from ._plugins import Registry, get_registry
from .assessment import Assessment, Components
from .errors import InputError, InputProblem, PluginError
from .io import load_account, parse_account
from .model import Account
from .provider import Provider
from .record import content_hash

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "CHUNKSIZE",
    "COLUMNS",
    "FAILURE_COLUMNS",
    "FIRST_CHUNKSIZE",
    "FORMATS",
    "AccountLine",
    "AccountSource",
    "AssessmentFailure",
    "AssessmentSummary",
    "Result",
    "ResultWriter",
    "assess_many",
    "iter_sources",
    "open_writer",
    "schema",
    "to_table",
    "write_results",
]

#: Accounts in a chunk sent to a worker, once the first chunks have started every
#: worker (:func:`assess_many` with the default ``chunksize``): about 0.2 s of work.
CHUNKSIZE = 64
#: Accounts in the first chunk; each next chunk is twice as large, up to CHUNKSIZE.
FIRST_CHUNKSIZE = 4
#: Months of the credit report read for :attr:`AssessmentSummary.worst_status_24m`.
WINDOW_MONTHS = 24
#: Arrow type of money columns: 18 digits, 2 of them decimals (exact to the fen).
MONEY_PRECISION, MONEY_SCALE = 18, 2
_INSTALL_HINT = "pip install 'creditrules[portfolio]'"


@attrs.frozen
class AccountLine:
    """One account of a JSON Lines file: the text of one line, parsed where it is assessed.

    Attributes:
        file: The file.
        line: The line number, from 1.
        text: The line: an account file's table as JSON.
    """

    file: str
    line: int
    text: str

    @property
    def label(self) -> str:
        """``file:line``, as failures name it."""
        return f"{self.file}:{self.line}"


#: What :func:`assess_many` accepts for one account: an account, the path of an
#: account file (a ``str`` is always a path), an account file's table as a mapping
#: (its JSON form), or a line of a JSON Lines file.
AccountSource = Account | str | os.PathLike[str] | Mapping[str, Any] | AccountLine


@attrs.frozen
class AssessmentSummary:
    """One account's assessment in flat scalars: one row of a portfolio table.

    Every figure is read from the :class:`~creditrules.Assessment` (and its report and
    decision record), as ``creditrules assess`` and ``creditrules report`` show it.

    Attributes:
        index: The account's position in the input of :func:`assess_many` (from 0);
            ``None`` from the Dask helpers of :mod:`creditrules.dask`.
        account_id: The account's id.
        provider: The provider id.
        file: The file the account came from (``accounts.jsonl:12`` for a line of
            JSON Lines), or ``None``.
        as_of: The assessment date.
        days_past_due: Days past due at ``as_of``.
        balance_principal: Balance owed: principal (and so on for interest, fees,
            penalty and the total).
        overdue_principal: Past due: principal (and so on).
        charged_principal: Charged so far: principal (and so on).
        episodes: Number of overdue episodes.
        max_days_past_due: Largest days past due of any episode (0 if none).
        worst_status: The worst code of the simulated report's grid (60 months),
            as ``creditrules report`` shows it; ``None`` without a report.
        worst_status_24m: The worst code of the latest 24 months of the grid,
            ranked by the report's bureau; ``None`` without a report.
        three_consecutive: Flag 连三 on the report; ``None`` without a report.
        six_cumulative: Flag 累六.
        current_overdue: Flag: past due now.
        clean_on: First day nothing negative is visible on the report; ``None``
            while something is unpaid (or without a report).
        actions_planned: Whether the actions were planned (``actions=True``):
            planning simulates the account several times, so it is asked for.
        first_action: Code of the most urgent action; ``None`` if none applies or
            the actions were not planned.
        first_action_amount: Its amount, if it has one.
        record_hash: Content hash of the decision record (versions, plugins, policy,
            rules): two equal hashes mean the same inputs to the rules.
    """

    index: int | None
    account_id: str
    provider: str
    file: str | None
    as_of: date
    days_past_due: int
    balance_principal: Decimal
    balance_interest: Decimal
    balance_fees: Decimal
    balance_penalty: Decimal
    balance_total: Decimal
    overdue_principal: Decimal
    overdue_interest: Decimal
    overdue_fees: Decimal
    overdue_penalty: Decimal
    overdue_total: Decimal
    charged_principal: Decimal
    charged_interest: Decimal
    charged_fees: Decimal
    charged_penalty: Decimal
    charged_total: Decimal
    episodes: int
    max_days_past_due: int
    worst_status: str | None
    worst_status_24m: str | None
    three_consecutive: bool | None
    six_cumulative: bool | None
    current_overdue: bool | None
    clean_on: date | None
    actions_planned: bool
    first_action: str | None
    first_action_amount: Decimal | None
    record_hash: str | None

    @classmethod
    def of(
        cls,
        assessment: Assessment,
        *,
        registry: Registry | None = None,
        actions: bool = False,
        index: int | None = None,
        file: str | None = None,
    ) -> AssessmentSummary:
        """Summarise one assessment.

        Args:
            assessment: The assessment.
            registry: The registry it was made with, whose bureau ranks the codes of
                :attr:`worst_status_24m` (default: the installed plugins').
            actions: Plan the actions (``assessment.actions``) for the action columns.
            index: Its position in the input, if any.
            file: The file it came from, if any.

        Returns:
            The summary.
        """
        report = assessment.report
        worst_24m = None
        if report is not None:
            bureau = (registry if registry is not None else get_registry()).bureau(report.bureau)
            codes = list(report.months.values())[-WINDOW_MONTHS:]
            worst_24m = bureau.worst(codes) if codes else None
        first = None
        if actions and assessment.actions:
            first = assessment.actions[0]
        return cls(
            index=index,
            account_id=assessment.account_id,
            provider=assessment.provider,
            file=file,
            as_of=assessment.as_of,
            days_past_due=assessment.days_past_due,
            **_components("balance", assessment.balance),
            **_components("overdue", assessment.overdue),
            **_components("charged", assessment.charged),
            episodes=len(assessment.episodes),
            max_days_past_due=max((e.max_days_past_due for e in assessment.episodes), default=0),
            worst_status=report.max_status if report is not None else None,
            worst_status_24m=worst_24m,
            three_consecutive=None if report is None else "three_consecutive" in report.flags,
            six_cumulative=None if report is None else "six_cumulative" in report.flags,
            current_overdue=None if report is None else "current_overdue" in report.flags,
            clean_on=report.clean_on if report is not None else None,
            actions_planned=actions,
            first_action=first.code if first is not None else None,
            first_action_amount=first.amount if first is not None else None,
            record_hash=content_hash(assessment.record) if assessment.record is not None else None,
        )


def _components(prefix: str, amounts: Components) -> dict[str, Decimal]:
    return {
        f"{prefix}_{name}": getattr(amounts, name)
        for name in ("principal", "interest", "fees", "penalty", "total")
    }


@attrs.frozen
class AssessmentFailure:
    """An account that could not be assessed; the batch went on without it.

    Attributes:
        index: The account's position in the input (``None`` from :mod:`creditrules.dask`).
        account_id: Its id, if it could be read.
        file: The file it came from (``accounts.jsonl:12`` for a line), or ``None``.
        message: What is wrong: every problem, one per line, with its JSON path.
        path: The JSON path of the first problem (``$.payments[2].amount``).
        error: The exception: ``InputError``, ``PolicyError``, ``PluginError``; any
            other is a bug of creditrules or a plugin (please report it).
    """

    index: int | None
    account_id: str | None
    file: str | None
    message: str
    path: str = "$"
    error: str = "InputError"

    def describe(self, tr: Messages | None = None) -> str:
        """Return the failure as ``creditrules assess`` shows an error: ``file: message @ path``.

        One line per problem, each prefixed by the file (or the account id, or the index).

        Args:
            tr: The messages of the language to write it in (default: English).
        """
        if self.file:
            where = self.file
        elif tr is None:
            where = f"account {self.account_id}" if self.account_id else f"account #{self.index}"
        elif self.account_id:
            where = tr._("account {id}", id=self.account_id)
        else:
            where = tr._("account #{index}", index=self.index)
        message = self.message if tr is None else tr.localized(self.message)
        return "\n".join(f"{where}: {line}" for line in message.splitlines())


#: One result of :func:`assess_many`.
Result = AssessmentSummary | Assessment | AssessmentFailure


# ---------------------------------------------------------------- the work of one account


@attrs.frozen
class _Task:
    """What every account of a batch is assessed with (sent to the workers)."""

    as_of: date
    summary: bool
    actions: bool
    recipe: _Recipe | None = None


def _load(source: AccountSource, registry: Registry) -> tuple[Account, str | None]:
    if isinstance(source, Account):
        return source, None
    if isinstance(source, AccountLine):
        try:
            data = json.loads(source.text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg} (column {exc.colno})", file=source.label
            ) from None
        return parse_account(data, file=source.label, registry=registry), source.label
    if isinstance(source, Mapping):
        return parse_account(source, registry=registry), None
    if isinstance(source, (str, os.PathLike)):
        return load_account(os.fspath(source), registry=registry), os.fspath(source)
    raise TypeError(
        "an account is an Account, the path of an account file, or an account file's "
        f"table as a mapping; got {type(source).__name__}"
    )


def _where(source: AccountSource) -> tuple[str | None, str | None]:
    """The id and file of a source, as far as they can be told without assessing it."""
    if isinstance(source, Account):
        return source.id, None
    if isinstance(source, AccountLine):
        return None, source.label
    if isinstance(source, Mapping):
        table = source.get("account")
        found = table.get("id") if isinstance(table, Mapping) else None
        return (found if isinstance(found, str) else None), None
    if isinstance(source, (str, os.PathLike)):
        return None, os.fspath(source)
    return None, None


def _failure(index: int | None, source: AccountSource, exc: Exception) -> AssessmentFailure:
    account_id, file = _where(source)
    if isinstance(exc, InputError):
        problems = exc.problems or (InputProblem("$", str(exc)),)
        return AssessmentFailure(
            index=index,
            account_id=account_id,
            file=exc.file or file,
            # the English text, which the command line writes in the user's language
            message=Translatable.join([p.describe() for p in problems], "lines"),
            path=problems[0].path,
            error=type(exc).__name__,
        )
    return AssessmentFailure(
        index=index,
        account_id=account_id,
        file=file,
        message=message_of(exc) or type(exc).__name__,
        error=type(exc).__name__,
    )


def _assess_one(
    task: _Task, registry: Registry, index: int | None, source: AccountSource
) -> Result:
    try:
        account, file = _load(source, registry)
        assessment = assess(account, task.as_of, registry=registry)
        if task.summary:
            return AssessmentSummary.of(
                assessment, registry=registry, actions=task.actions, index=index, file=file
            )
        if task.actions or task.recipe is not None:
            # planned here: an assessment sent back from a worker has no services to plan with
            _ = assessment.actions
        return assessment
    except Exception as exc:
        # one account's failure, even a bug of ours or of a plugin, must not stop the batch
        return _failure(index, source, exc)


def _run_chunk(task: _Task, chunk: Sequence[tuple[int | None, AccountSource]]) -> list[Result]:
    """Assess one chunk in a worker, with the registry the worker built once."""
    assert task.recipe is not None
    registry = task.recipe.registry()
    return [_assess_one(task, registry, index, source) for index, source in chunk]


# A chunk travels to a worker, and its results back, as one pickled ``bytes`` value:
# an executor then sends a single flat object each way. Dask's Client.submit hashes
# its arguments to name the task (pure=True, the default of get_executor()); hashing
# sixteen account tables took about 1 ms an account in the caller, hashing bytes
# takes microseconds. Pickle is what every executor sends with anyway.
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def _pack(task: _Task, chunk: Sequence[tuple[int | None, AccountSource]]) -> bytes:
    """The payload of one chunk: the task and the accounts, pickled once."""
    return pickle.dumps((task, chunk), protocol=_PROTOCOL)


def _run_packed(payload: bytes) -> bytes:
    """Assess a packed chunk in a worker; the results, pickled once."""
    task, chunk = pickle.loads(payload)
    return pickle.dumps(_run_chunk(task, chunk), protocol=_PROTOCOL)


def _unpack(packed: bytes) -> list[Result]:
    results: list[Result] = pickle.loads(packed)
    return results


# ---------------------------------------------------------------- the registry in a worker


@attrs.frozen
class _Recipe:
    """How a worker process builds the registry of the caller (a registry does not pickle).

    Attributes:
        strict: Whether plugin failures are fatal.
        plugins: ``(name, distribution, version)`` of each plugin loaded by the caller.
        providers: Providers the caller added (``with_providers``), with their origin.
        key: A digest of the above, the key of the worker's cache.
    """

    strict: bool
    plugins: tuple[tuple[str, str, str], ...]
    providers: tuple[tuple[Provider, str], ...]
    key: str = ""

    @classmethod
    def of(cls, registry: Registry) -> _Recipe:
        local = [p.name for p in registry.plugins if p.distribution == "(in process)"]
        if local:
            raise ValueError(
                f"plugins registered in this process ({', '.join(local)}) cannot be loaded by "
                "worker processes; install them as distributions, or pass executor=None"
            )
        installed = get_registry(strict=registry.strict)
        if registry.rules != installed.rules:
            raise ValueError(
                "the registry's rules differ from the installed plugins' (Registry.with_rules), "
                "which worker processes cannot rebuild; pass executor=None"
            )
        names = {p.name for p in registry.plugins}
        providers = tuple(
            (provider, origin)
            for provider_id, provider in registry.providers.items()
            if (origin := registry.provider_plugin.get(provider_id, "")) not in names
        )
        recipe = cls(
            strict=registry.strict,
            plugins=tuple(
                (p.name, p.distribution, p.version) for p in registry.plugins if not p.error
            ),
            providers=providers,
        )
        try:
            digest = hashlib.sha256(pickle.dumps(recipe)).hexdigest()
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise ValueError(
                f"a provider of this registry cannot be sent to worker processes ({exc}); "
                "pass executor=None"
            ) from None
        return attrs.evolve(recipe, key=digest)

    def registry(self) -> Registry:
        """The registry of this worker process: built on first use, then kept."""
        found = _WORKER_REGISTRIES.get(self.key)
        if found is None:
            found = self.build()
            if len(_WORKER_REGISTRIES) >= 4:
                _WORKER_REGISTRIES.clear()
            _WORKER_REGISTRIES[self.key] = found
        return found

    def build(self) -> Registry:
        """Load this process's plugins, check they are the caller's, add the providers."""
        registry = get_registry(strict=self.strict)
        here = tuple((p.name, p.distribution, p.version) for p in registry.plugins if not p.error)
        if here != self.plugins:
            missing = sorted(" ".join(p) for p in set(self.plugins) - set(here))
            extra = sorted(" ".join(p) for p in set(here) - set(self.plugins))
            raise PluginError(
                f"worker {socket.gethostname()} (pid {os.getpid()}) has other creditrules "
                f"plugins than the caller: missing {', '.join(missing) or 'none'}; "
                f"extra {', '.join(extra) or 'none'}; install the same plugins (and "
                "CREDITRULES_* variables) on every worker"
            )
        for provider, origin in self.providers:
            registry = registry.with_providers(provider, origin=origin)
        return registry


# Registries built by this (worker) process, by recipe key: a batch loads its plugins
# once per process, not once per chunk.
_WORKER_REGISTRIES: dict[str, Registry] = {}


def _task(
    as_of: date, registry: Registry | None, *, summary: bool, actions: bool, remote: bool
) -> tuple[_Task, Registry]:
    if not isinstance(as_of, date) or hasattr(as_of, "hour"):
        raise TypeError(f"as_of must be a datetime.date, got {as_of!r}")
    registry = registry if registry is not None else get_registry()
    recipe = _Recipe.of(registry) if remote else None
    return _Task(as_of=as_of, summary=summary, actions=actions, recipe=recipe), registry


# ---------------------------------------------------------------- assess_many


def assess_many(
    accounts: Iterable[AccountSource],
    as_of: date,
    *,
    executor: Executor | None = None,
    registry: Registry | None = None,
    summary: bool = True,
    actions: bool = False,
    chunksize: int | None = None,
    ordered: bool = True,
    in_flight: int | None = None,
) -> Iterator[Result]:
    """Assess many accounts at ``as_of``, in this process or on an executor.

    Accounts are read lazily from ``accounts`` and sent to the executor in chunks,
    a bounded number at a time, so a portfolio of any size is assessed in bounded
    memory. An account that cannot be read or assessed gives an
    :class:`AssessmentFailure` and the batch goes on.

    Args:
        accounts: :class:`~creditrules.Account` values, account-file paths (a
            ``str`` is a path), account file tables as mappings (their JSON form),
            or :class:`AccountLine` values; any iterable, even an endless one.
        as_of: The assessment date.
        executor: Where to assess: ``None`` in this process; a
            :class:`~concurrent.futures.ProcessPoolExecutor` for every core; a Dask
            cluster's ``distributed.Client(...).get_executor()``. Files are read by
            the workers.
        registry: The plugins and providers to assess with (default: the installed
            plugins). Workers load their own installed plugins, which must be the
            same, plus the providers added with
            :meth:`~creditrules.Registry.with_providers`.
        summary: Give an :class:`AssessmentSummary` per account (small to send
            back); ``False`` for the whole :class:`~creditrules.Assessment` (from
            an executor, with its actions planned in the worker, since an
            assessment sent back cannot plan them later).
        actions: Plan the actions (the summary's ``first_action`` columns, or the
            assessment's ``actions`` already planned). Planning simulates the
            account several times: it costs several assessments.
        chunksize: Accounts sent to a worker at a time. By default the first
            chunks are small, so that every worker starts at once and the first
            results come soon, and they grow to :data:`CHUNKSIZE` accounts, so that
            sending a chunk and its results costs little beside assessing it.
        ordered: Give the results in the order of ``accounts``; ``False`` in the
            order they complete (each carries its ``index``).
        in_flight: Chunks submitted ahead of the results read (default: twice the
            executor's workers: a pool's processes, a Dask cluster's worker threads;
            twice this machine's CPU count for an executor that does not say).

    Returns:
        An iterator of :class:`AssessmentSummary` (or :class:`~creditrules.Assessment`)
        and :class:`AssessmentFailure` values, one per account.

    Raises:
        TypeError: if ``as_of`` is not a date.
        ValueError: if ``chunksize`` is below 1, or the registry cannot be rebuilt by
            worker processes (plugins registered in this process, its own rules).
        PluginError: if a worker's installed plugins differ from the caller's.
    """
    if chunksize is not None and chunksize < 1:
        raise ValueError(f"chunksize must be at least 1, got {chunksize}")
    task, registry = _task(
        as_of, registry, summary=summary, actions=actions, remote=executor is not None
    )
    if executor is None:
        return (_assess_one(task, registry, index, source) for index, source in enumerate(accounts))
    limit = in_flight if in_flight is not None else _in_flight(executor)
    sizes = repeat(chunksize) if chunksize is not None else _growing(FIRST_CHUNKSIZE, CHUNKSIZE)
    chunks = _chunks(enumerate(accounts), sizes)
    if ordered:
        return _ordered(executor, task, chunks, max(limit, 1))
    return _completed(executor, task, chunks, max(limit, 1))


def _workers(executor: Executor) -> int:
    """How many accounts the executor assesses at once, as far as it says."""
    workers = getattr(executor, "_max_workers", None)  # process and thread pools
    if isinstance(workers, int) and workers > 0:
        return workers
    # a Dask cluster's executor (distributed.cfexecutor.ClientExecutor): its client's
    # worker threads, summed over the cluster's machines
    client = getattr(executor, "_client", None)
    nthreads = getattr(client, "nthreads", None)
    if callable(nthreads):
        try:
            threads = sum(int(n) for n in nthreads().values())
        except Exception:  # a client that cannot say now: fall back to this machine
            threads = 0
        if threads > 0:
            return threads
    return os.cpu_count() or 2


def _in_flight(executor: Executor) -> int:
    return 2 * _workers(executor)


def _growing(first: int, largest: int) -> Iterator[int]:
    size = first
    while True:
        yield size
        size = min(2 * size, largest)


def _chunks(
    items: Iterator[tuple[int, AccountSource]], sizes: Iterator[int]
) -> Iterator[list[tuple[int | None, AccountSource]]]:
    for size in sizes:
        chunk: list[tuple[int | None, AccountSource]] = list(islice(items, size))
        if not chunk:
            return
        yield chunk


_Chunks = Iterator[list[tuple[int | None, AccountSource]]]


def _ordered(executor: Executor, task: _Task, chunks: _Chunks, limit: int) -> Iterator[Result]:
    pending: deque[Future[bytes]] = deque()
    try:
        for chunk in chunks:
            pending.append(executor.submit(_run_packed, _pack(task, chunk)))
            while len(pending) >= limit:
                yield from _unpack(pending.popleft().result())
        while pending:
            yield from _unpack(pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()


def _completed(executor: Executor, task: _Task, chunks: _Chunks, limit: int) -> Iterator[Result]:
    running: set[Future[bytes]] = set()
    try:
        for chunk in chunks:
            running.add(executor.submit(_run_packed, _pack(task, chunk)))
            if len(running) >= limit:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from _unpack(future.result())
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield from _unpack(future.result())
    finally:
        for future in running:
            future.cancel()


def iter_sources(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[AccountSource]:
    """Expand inputs into accounts: account files, folders of them, JSON Lines files.

    A folder gives every ``*.toml`` file under it (recursively, in path order); a
    ``*.jsonl`` file gives one :class:`AccountLine` per non-blank line (read
    lazily); any other file is an account file.

    Args:
        inputs: Paths.

    Yields:
        Paths and :class:`AccountLine` values, for :func:`assess_many`.

    Raises:
        InputError: if an input does not exist.
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from sorted(path.rglob("*.toml"))
        elif not path.exists():
            raise InputError("no such file or folder", file=str(path))
        elif path.suffix.lower() == ".jsonl":
            with path.open(encoding="utf-8") as lines:
                for number, text in enumerate(lines, start=1):
                    if text.strip():
                        yield AccountLine(str(path), number, text)
        else:
            yield path


# ---------------------------------------------------------------- tables and writers


@attrs.frozen
class _Column:
    name: str
    kind: str  # int | str | date | money | bool


def _kind(name: str) -> str:
    if name.startswith(("balance_", "overdue_", "charged_")) or name.endswith("_amount"):
        return "money"
    if name in ("as_of", "clean_on"):
        return "date"
    if name in ("index", "days_past_due", "episodes", "max_days_past_due"):
        return "int"
    if name in ("three_consecutive", "six_cumulative", "current_overdue", "actions_planned"):
        return "bool"
    return "str"


#: The columns of a portfolio table: the summary's fields, then the failure's.
COLUMNS: tuple[str, ...] = (
    *(a.name for a in attrs.fields(AssessmentSummary)),
    "error",
    "error_message",
    "error_path",
)
_TABLE = tuple(_Column(name, _kind(name)) for name in COLUMNS)
#: The columns of a failures file (``creditrules batch --errors``).
FAILURE_COLUMNS: tuple[str, ...] = tuple(a.name for a in attrs.fields(AssessmentFailure))
_FAILURES = tuple(_Column(name, "int" if name == "index" else "str") for name in FAILURE_COLUMNS)


def _row(result: Result, registry: Registry | None) -> dict[str, Any]:
    """The table row of one result (a failure: its index, id, file and error only)."""
    if isinstance(result, Assessment):
        result = AssessmentSummary.of(result, registry=registry)
    if isinstance(result, AssessmentSummary):
        return attrs.asdict(result, recurse=False)
    if isinstance(result, AssessmentFailure):
        return {
            "index": result.index,
            "account_id": result.account_id,
            "file": result.file,
            "error": result.error,
            "error_message": result.message,
            "error_path": result.path,
        }
    raise TypeError(f"expected results of assess_many, got {type(result).__name__}")


def _pyarrow() -> Any:
    try:
        import pyarrow  # lazy: optional dependency (extra "portfolio")
    except ImportError:
        raise ImportError(
            f"tables need pyarrow; install it with: {_INSTALL_HINT}", name="pyarrow"
        ) from None
    return pyarrow


def _parquet() -> Any:
    _pyarrow()
    import pyarrow.parquet  # lazy: optional dependency (extra "portfolio")

    return pyarrow.parquet


def schema() -> pyarrow.Schema:
    """Return the Arrow schema of a portfolio table (extra ``portfolio``).

    Money is ``decimal128(18, 2)`` (exact to the fen), dates ``date32``, counts
    ``int64``; every column is nullable (a failure's row has no figures).
    """
    pa = _pyarrow()
    types = {
        "int": pa.int64(),
        "str": pa.string(),
        "date": pa.date32(),
        "money": pa.decimal128(MONEY_PRECISION, MONEY_SCALE),
        "bool": pa.bool_(),
    }
    return pa.schema([pa.field(c.name, types[c.kind]) for c in _TABLE])


def _table(rows: Sequence[Mapping[str, Any]]) -> pyarrow.Table:
    pa = _pyarrow()
    arrow_schema = schema()
    arrays = [
        pa.array([row.get(field.name) for row in rows], type=field.type) for field in arrow_schema
    ]
    return pa.Table.from_arrays(arrays, schema=arrow_schema)


def to_table(
    results: Iterable[Result], *, failures: bool = True, registry: Registry | None = None
) -> pyarrow.Table:
    """Put results of :func:`assess_many` in a :class:`pyarrow.Table` (extra ``portfolio``).

    One row per result, the columns of :data:`COLUMNS`: the fields of
    :class:`AssessmentSummary`, then ``error``, ``error_message`` and ``error_path``
    (set on a failure's row, whose figures are null). Money is exact ``decimal128``
    (an amount finer than the fen is an error, never rounded), dates are dates.
    ``table.to_pandas()`` or ``polars.from_arrow(table)`` give a DataFrame.

    Args:
        results: Summaries, assessments (summarised here, without actions) and failures.
        failures: Give failures a row; ``False`` leaves them out.
        registry: The registry the assessments were made with (for a whole
            :class:`~creditrules.Assessment`; default: the installed plugins').

    Returns:
        The table.

    Raises:
        ImportError: if pyarrow is not installed.
    """
    rows = [
        _row(result, registry)
        for result in results
        if failures or not isinstance(result, AssessmentFailure)
    ]
    return _table(rows)


class ResultWriter:
    """Writes results to a file as they arrive: Parquet, CSV or JSON Lines.

    Made by :func:`open_writer`; use it as a context manager. The file is written
    under a ``.part`` name and renamed when the writer closes without error, so a
    batch that fails leaves no half-written table.

    Attributes:
        path: The file written.
        format: ``parquet``, ``csv`` or ``jsonl``.
        rows: Rows written so far.
    """

    def __init__(
        self,
        path: Path,
        format: str,
        *,
        columns: tuple[_Column, ...] = _TABLE,
        failures: bool = True,
        batch_rows: int = 4096,
        registry: Registry | None = None,
    ) -> None:
        self.path = path
        self.format = format
        self.rows = 0
        self._columns = columns
        self._failures = failures
        self._batch_rows = batch_rows
        self._registry = registry
        self._buffer: list[dict[str, Any]] = []
        self._part = path.with_name(path.name + ".part")
        self._text: TextIO | None = None
        self._csv: Any = None
        self._parquet: Any = None
        if format == "parquet":
            self._parquet = _parquet().ParquetWriter(self._part, schema())
        else:
            self._text = self._part.open("w", encoding="utf-8", newline="")
            if format == "csv":
                self._csv = csv.writer(self._text, lineterminator="\n")
                self._csv.writerow([c.name for c in columns])

    def write(self, result: Result) -> None:
        """Write one result (a failure only if the writer keeps failures)."""
        if isinstance(result, AssessmentFailure) and not self._failures:
            return
        if self._columns is _FAILURES:
            if not isinstance(result, AssessmentFailure):
                return
            row = attrs.asdict(result, recurse=False)
        else:
            row = _row(result, self._registry)
        self.rows += 1
        if self._parquet is not None:
            self._buffer.append(row)
            if len(self._buffer) >= self._batch_rows:
                self._flush()
        elif self._csv is not None:
            self._csv.writerow([_csv_value(row.get(c.name)) for c in self._columns])
        else:
            assert self._text is not None
            data = {c.name: _json_value(row.get(c.name)) for c in self._columns}
            self._text.write(json.dumps(data, ensure_ascii=False) + "\n")

    def _flush(self) -> None:
        if self._buffer:
            self._parquet.write_table(_table(self._buffer))
            self._buffer.clear()

    def close(self, *, keep: bool = True) -> None:
        """Finish the file and give it its name (``keep=False``: delete it instead)."""
        if self._parquet is not None:
            if keep:
                self._flush()
            self._parquet.close()
            self._parquet = None
        if self._text is not None:
            self._text.close()
            self._text = None
        if keep:
            os.replace(self._part, self.path)
        else:
            self._part.unlink(missing_ok=True)

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(keep=kind is None)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


#: File formats by suffix.
FORMATS: Mapping[str, str] = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in FORMATS.values():
            raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS.values())}")
        return format
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise ValueError(
            f"cannot tell the format of {path.name}: name it *.parquet, *.csv or *.jsonl"
        )
    return found


def open_writer(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    failures: bool = True,
    batch_rows: int = 4096,
    registry: Registry | None = None,
    failures_only: bool = False,
) -> ResultWriter:
    """Open a file to write results to as they arrive (Parquet needs the ``portfolio`` extra).

    Parquet is written one row group of ``batch_rows`` rows at a time; CSV and JSON
    Lines one row at a time. CSV and JSON Lines write money as exact text
    (``"1002.50"``), dates as ``YYYY-MM-DD``, flags as ``true``/``false``, nothing
    for null.

    Args:
        path: The file: ``*.parquet``, ``*.csv`` or ``*.jsonl``.
        format: ``parquet``, ``csv`` or ``jsonl`` (default: from the suffix).
        failures: Give failures a row (with ``error``, ``error_message``, ``error_path``).
        batch_rows: Rows per Parquet row group (the rows held in memory).
        registry: As for :func:`to_table`.
        failures_only: Write only the failures, in the columns of
            :data:`FAILURE_COLUMNS` (the errors file of ``creditrules batch``).

    Returns:
        A :class:`ResultWriter`.

    Raises:
        ValueError: if the format is unknown, or Parquet is asked for the failures.
        ImportError: for Parquet without pyarrow.
    """
    target = Path(path)
    chosen = _format_of(target, format)
    if failures_only and chosen == "parquet":
        raise ValueError("failures are written as CSV or JSON Lines, not Parquet")
    return ResultWriter(
        target,
        chosen,
        columns=_FAILURES if failures_only else _TABLE,
        failures=failures,
        batch_rows=batch_rows,
        registry=registry,
    )


def write_results(
    results: Iterable[Result],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    failures: bool = True,
    batch_rows: int = 4096,
    registry: Registry | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> int:
    """Write results to a Parquet, CSV or JSON Lines file as they arrive.

    >>> import tempfile
    >>> from datetime import date
    >>> from creditrules import Account, Bill
    >>> account = Account(
    ...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
    ...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
    ... )
    >>> out = Path(tempfile.mkdtemp()) / "portfolio.jsonl"
    >>> write_results(assess_many([account], date(2025, 3, 15)), out)
    1
    >>> json.loads(out.read_text())["overdue_total"]
    '500.00'

    Args:
        results: Results of :func:`assess_many`.
        path: As for :func:`open_writer`.
        format: As for :func:`open_writer`.
        failures: As for :func:`open_writer`.
        batch_rows: As for :func:`open_writer`.
        registry: As for :func:`to_table`.
        on_result: Called with each result after it is written (e.g. to show progress).

    Returns:
        The number of rows written.
    """
    with open_writer(
        path, format=format, failures=failures, batch_rows=batch_rows, registry=registry
    ) as writer:
        for result in results:
            writer.write(result)
            if on_result is not None:
                on_result(result)
    return writer.rows
