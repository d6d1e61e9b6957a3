"""Portfolios on Dask, the engine for more than one machine (extra ``dask``).

Three ways to assess a portfolio on a Dask cluster:

* the executor: ``creditrules.assess_many(accounts, as_of,
  executor=distributed.Client(address).get_executor())``, results streamed back
  to the caller in order;
* :func:`assess_bag`: a :class:`dask.bag.Bag` of accounts (paths, account mappings,
  :class:`~creditrules.Account` values) to a bag of results;
* :func:`assess_frame`: a Dask DataFrame with a column of accounts (JSON text or
  mappings) to a DataFrame of summary rows, one per account, with the columns of
  :data:`creditrules.portfolio.COLUMNS` (:func:`meta`): money as exact
  ``decimal128`` Arrow columns, dates as ``date32``.

Every worker loads its installed plugins once, and must have those of the caller
(see :func:`creditrules.assess_many`). Results computed here equal those of
:func:`creditrules.assess_many` in one process (with ``index`` ``None``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

try:
    import dask.bag
    import dask.dataframe
    import pandas
except ImportError as exc:  # pragma: no cover - the extra is installed where this is tested
    raise ImportError(
        "creditrules.dask needs dask, distributed and pandas; install them with: "
        "pip install 'creditrules[dask]'",
        name=exc.name,
    ) from exc

from ._plugins import Registry
from .portfolio import (
    AccountSource,
    AssessmentFailure,
    Result,
    _run_chunk,
    _task,
    schema,
    to_table,
)

__all__ = ["assess_bag", "assess_frame", "meta"]


def assess_bag(
    bag: dask.bag.Bag,
    as_of: date,
    *,
    registry: Registry | None = None,
    summary: bool = True,
    actions: bool = False,
    npartitions: int | None = None,
) -> dask.bag.Bag:
    """Assess every account of a bag at ``as_of``, lazily.

    Each partition of the bag is one task, in which a worker assesses its accounts
    one after the other with the registry it loaded once. A task costs the scheduler
    about the same whatever its size, so a few large partitions (two to four per
    worker process) are faster than many small ones: give ``npartitions`` to
    repartition the bag first.

    Args:
        bag: Accounts: account-file paths (readable by the workers), account file
            tables as mappings, or :class:`~creditrules.Account` values.
        as_of: The assessment date.
        registry: As for :func:`creditrules.assess_many`.
        summary: As for :func:`creditrules.assess_many`.
        actions: As for :func:`creditrules.assess_many`.
        npartitions: Repartition the bag into this many partitions first
            (default: keep the bag's).

    Returns:
        A bag of :class:`~creditrules.AssessmentSummary` (or
        :class:`~creditrules.Assessment`) and :class:`~creditrules.AssessmentFailure`
        values, in the order of ``bag``, with ``index`` ``None``.

    Raises:
        TypeError: if ``as_of`` is not a date.
        ValueError: if the registry cannot be rebuilt by workers (as
            :func:`creditrules.assess_many`), or ``npartitions`` is below 1.
    """
    task, _ = _task(as_of, registry, summary=summary, actions=actions, remote=True)
    if npartitions is not None:
        if npartitions < 1:
            raise ValueError(f"npartitions must be at least 1, got {npartitions}")
        bag = cast(Any, bag).repartition(npartitions=npartitions)
    mapped: dask.bag.Bag = cast(Any, bag).map_partitions(_bag_partition, task)
    return mapped


def _bag_partition(sources: list[AccountSource], task: Any) -> list[Result]:
    return _run_chunk(task, [(None, source) for source in sources])


def meta() -> pandas.DataFrame:
    """Return the empty DataFrame :func:`assess_frame` declares as its ``meta``.

    Its columns are those of :data:`creditrules.portfolio.COLUMNS`, each a
    :class:`pandas.ArrowDtype` of :func:`creditrules.portfolio.schema`.
    """
    result: pandas.DataFrame = schema().empty_table().to_pandas(types_mapper=pandas.ArrowDtype)
    return result


def assess_frame(
    frame: dask.dataframe.DataFrame,
    as_of: date,
    *,
    column: str = "account",
    registry: Registry | None = None,
    actions: bool = False,
) -> dask.dataframe.DataFrame:
    """Map a DataFrame of accounts to a DataFrame of summary rows, partition by partition.

    Args:
        frame: A Dask DataFrame with a column of accounts: each an account file's
            table as JSON text (one line of a JSON Lines file) or as a mapping.
        as_of: The assessment date.
        column: The column holding the accounts.
        registry: As for :func:`creditrules.assess_many`.
        actions: As for :func:`creditrules.assess_many`.

    Returns:
        A Dask DataFrame with the index of ``frame`` and the columns of :func:`meta`;
        an account that could not be assessed has a row with ``error``,
        ``error_message`` and ``error_path`` set and no figures.

    Raises:
        TypeError: if ``as_of`` is not a date.
        ValueError: if the registry cannot be rebuilt by workers.
    """
    task, _ = _task(as_of, registry, summary=True, actions=actions, remote=True)
    mapped: dask.dataframe.DataFrame = cast(Any, frame).map_partitions(
        _frame_partition, task, column, meta=meta()
    )
    return mapped


def _frame_partition(part: pandas.DataFrame, task: Any, column: str) -> pandas.DataFrame:
    """Assess a partition's accounts in one chunk; a value that is no account is a failure."""
    results: list[Result | None] = []  # None: assessed below
    positions: list[int] = []
    sources: list[tuple[int | None, AccountSource]] = []
    for value in part[column]:
        problem = None
        if isinstance(value, str):
            try:
                value = json.loads(value, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                problem = f"not valid JSON: {exc.msg} (column {exc.colno}) @ $"
        if problem is None and not isinstance(value, Mapping):
            problem = (
                "expected an account file's table as JSON text or a mapping, "
                f"got {type(value).__name__} @ $"
            )
        if problem is None:
            positions.append(len(results))
            sources.append((None, value))
            results.append(None)
        else:
            results.append(
                AssessmentFailure(index=None, account_id=None, file=None, message=problem)
            )
    for position, result in zip(positions, _run_chunk(task, sources), strict=True):
        results[position] = result
    table = to_table(cast("list[Result]", results), registry=None)
    rows: pandas.DataFrame = table.to_pandas(types_mapper=pandas.ArrowDtype)
    rows.index = part.index
    return rows
