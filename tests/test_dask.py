"""Tests for creditrules.dask: a portfolio on a Dask cluster gives the in-process results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import attrs
import pytest

dask_bag = pytest.importorskip("dask.bag")
dask_dataframe = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pandas = pytest.importorskip("pandas")

import creditrules.dask as crdask  # noqa: E402 - after the optional dependencies are checked
from creditrules import (  # noqa: E402
    Account,
    AssessmentSummary,
    assess_many,
    dump_account,
    to_table,
)
from creditrules.portfolio import COLUMNS, _in_flight, _workers  # noqa: E402

AS_OF = date(2025, 6, 1)

Portfolio = Callable[[int], list[Account]]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """A local cluster of two worker processes, started and stopped by this module."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield client


def test_the_executor_of_a_cluster_gives_the_in_process_results(
    client: distributed.Client, portfolio: Portfolio
) -> None:
    """assess_many on a two-process Dask cluster equals the in-process run, record hashes too."""
    accounts = portfolio(3)
    alone = list(assess_many(accounts, AS_OF))
    with client.get_executor() as executor:
        clustered = list(assess_many(accounts, AS_OF, executor=executor, chunksize=4))
        grown = list(assess_many(accounts, AS_OF, executor=executor))
    assert clustered == alone
    assert grown == alone
    assert {r.record_hash for r in clustered if isinstance(r, AssessmentSummary)} == {
        r.record_hash for r in alone if isinstance(r, AssessmentSummary)
    }


def test_a_bag_of_accounts_gives_the_in_process_results(
    client: distributed.Client, portfolio: Portfolio
) -> None:
    """assess_bag on the cluster gives the in-process summaries, in order, index left out."""
    accounts = portfolio(3)
    alone = [attrs.evolve(r, index=None) for r in assess_many(accounts, AS_OF)]
    bag = dask_bag.from_sequence(accounts, npartitions=3)
    assert crdask.assess_bag(bag, AS_OF).compute(scheduler=client) == alone
    fewer = crdask.assess_bag(dask_bag.from_sequence(accounts, npartitions=9), AS_OF, npartitions=2)
    assert fewer.npartitions == 2
    assert fewer.compute(scheduler=client) == alone
    with pytest.raises(ValueError, match="npartitions"):
        crdask.assess_bag(bag, AS_OF, npartitions=0)


def test_the_executor_keeps_every_worker_of_the_cluster_busy(client: distributed.Client) -> None:
    """In flight: twice the cluster's worker threads (not this machine's CPU count)."""
    with client.get_executor() as executor:
        assert _workers(executor) == sum(client.nthreads().values()) == 2
        assert _in_flight(executor) == 4


def test_a_bag_of_files_is_read_by_the_workers(tmp_path: Path, portfolio: Portfolio) -> None:
    """A bag of account-file paths is read where it is assessed; a bad file is a failure."""
    paths = []
    for account in portfolio(1):
        path = tmp_path / f"{account.id}.toml"
        path.write_text(dump_account(account), encoding="utf-8")
        paths.append(str(path))
    paths.append(str(tmp_path / "missing.toml"))
    bag = dask_bag.from_sequence(paths, npartitions=2)
    results = crdask.assess_bag(bag, AS_OF).compute(scheduler="sync")
    alone = [attrs.evolve(r, index=None) for r in assess_many(paths, AS_OF)]
    assert results == alone
    assert results[-1].file == paths[-1] and results[-1].message.startswith("no such file")


def test_a_frame_of_json_accounts_maps_to_summary_rows(
    client: distributed.Client, portfolio: Portfolio, json_line: Callable[[Account], str]
) -> None:
    """assess_frame gives one row per account with the declared meta, the figures exact."""
    accounts = portfolio(3)
    lines = [json_line(a) for a in accounts] + ["{broken"]
    frame = dask_dataframe.from_pandas(
        pandas.DataFrame({"account": lines}, index=range(100, 100 + len(lines))), npartitions=3
    )
    mapped = crdask.assess_frame(frame, AS_OF)
    assert list(mapped.columns) == list(COLUMNS)
    assert dict(mapped.dtypes) == dict(crdask.meta().dtypes)
    rows = mapped.compute(scheduler=client)
    assert list(rows.index) == list(range(100, 100 + len(lines)))
    expected = to_table(attrs.evolve(r, index=None) for r in assess_many(accounts, AS_OF))
    got = rows.iloc[:-1]
    assert got["overdue_total"].tolist() == expected.column("overdue_total").to_pylist()
    assert got["record_hash"].tolist() == expected.column("record_hash").to_pylist()
    assert got["as_of"].tolist() == [AS_OF] * len(accounts)
    assert rows.iloc[-1]["error_message"].startswith("not valid JSON")


def test_meta_has_exact_money_and_dates() -> None:
    """The declared meta holds money as Arrow decimal128 and dates as date32."""
    dtypes = crdask.meta().dtypes
    assert str(dtypes["balance_total"]) == "decimal128(18, 2)[pyarrow]"
    assert str(dtypes["clean_on"]) == "date32[day][pyarrow]"
