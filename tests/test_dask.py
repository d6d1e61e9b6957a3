"""Tests for creditrules.dask: a portfolio on a Dask cluster gives the in-process results."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    load_account,
    to_table,
)
from creditrules._toml import loads_toml  # noqa: E402
from creditrules.portfolio import COLUMNS  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AS_OF = date(2025, 6, 1)


def portfolio(copies: int = 3) -> list[Account]:
    """The example accounts, each also with its later payments left out (late patterns)."""
    accounts = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        account = load_account(path)
        for keep in range(copies):
            payments = account.payments[: max(len(account.payments) - keep, 0)]
            accounts.append(attrs.evolve(account, id=f"{account.id}-{keep}", payments=payments))
    return accounts


def json_line(account: Account) -> str:
    return json.dumps(dict(loads_toml(dump_account(account))), default=str, ensure_ascii=False)


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
    client: distributed.Client,
) -> None:
    """assess_many on a two-process Dask cluster equals the in-process run, record hashes too."""
    accounts = portfolio()
    alone = list(assess_many(accounts, AS_OF))
    with client.get_executor() as executor:
        clustered = list(assess_many(accounts, AS_OF, executor=executor, chunksize=4))
    assert clustered == alone
    assert {r.record_hash for r in clustered if isinstance(r, AssessmentSummary)} == {
        r.record_hash for r in alone if isinstance(r, AssessmentSummary)
    }


def test_a_bag_of_accounts_gives_the_in_process_results(client: distributed.Client) -> None:
    """assess_bag on the cluster gives the in-process summaries, in order, index left out."""
    accounts = portfolio()
    alone = [attrs.evolve(r, index=None) for r in assess_many(accounts, AS_OF)]
    bag = dask_bag.from_sequence(accounts, npartitions=3)
    assert crdask.assess_bag(bag, AS_OF).compute(scheduler=client) == alone


def test_a_bag_of_files_is_read_by_the_workers(tmp_path: Path) -> None:
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


def test_a_frame_of_json_accounts_maps_to_summary_rows(client: distributed.Client) -> None:
    """assess_frame gives one row per account with the declared meta, the figures exact."""
    accounts = portfolio()
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
