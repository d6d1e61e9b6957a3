"""Tests for creditrules.portfolio: assess_many, summaries, failures, tables and writers."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal
from itertools import count, islice
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import creditrules
from creditrules import (
    Account,
    Assessment,
    AssessmentFailure,
    AssessmentSummary,
    PluginError,
    assess,
    assess_many,
    dump_account,
    get_registry,
    load_provider,
    to_table,
)
from creditrules.portfolio import (
    CHUNKSIZE,
    COLUMNS,
    FIRST_CHUNKSIZE,
    AccountLine,
    _Recipe,
    iter_sources,
    open_writer,
    write_results,
)

AS_OF = date(2025, 6, 1)

Portfolio = Callable[[int], list[Account]]


def test_in_process_results_are_the_assessments_figures_in_input_order(
    portfolio: Portfolio,
) -> None:
    """Each summary holds its assessment's figures, report flags and record, in input order."""
    accounts = portfolio(2)
    results = list(assess_many(accounts, AS_OF))
    assert [r.account_id for r in results] == [a.id for a in accounts]
    assert [r.index for r in results] == list(range(len(accounts)))
    for account, row in zip(accounts, results, strict=True):
        assert isinstance(row, AssessmentSummary)
        full = assess(account, AS_OF)
        assert full.report is not None and full.record is not None
        assert row.days_past_due == full.days_past_due
        assert row.balance_total == full.balance.total
        assert row.overdue_penalty == full.overdue.penalty
        assert row.charged_interest == full.charged.interest
        assert row.episodes == len(full.episodes)
        assert row.worst_status == full.report.max_status
        assert row.current_overdue == ("current_overdue" in full.report.flags)
        assert row.clean_on == full.report.clean_on
        assert row.record_hash == creditrules.record.content_hash(full.record)
        assert not row.actions_planned and row.first_action is None


def test_the_portfolio_has_late_accounts(portfolio: Portfolio) -> None:
    """The test portfolio is not all clean: some accounts are past due, some have episodes."""
    results = list(assess_many(portfolio(4), AS_OF))
    assert any(r.days_past_due > 0 for r in results if isinstance(r, AssessmentSummary))
    assert any(r.max_days_past_due > 30 for r in results if isinstance(r, AssessmentSummary))


def test_worst_status_24m_reads_the_latest_24_months_with_the_bureau_ranking(
    portfolio: Portfolio,
) -> None:
    """worst_status_24m is the bureau's worst code among the grid's latest 24 months."""
    registry = get_registry()
    for account in portfolio(3):
        full = assess(account, AS_OF)
        assert full.report is not None
        row = AssessmentSummary.of(full)
        codes = list(full.report.months.values())[-24:]
        bureau = registry.bureau(full.report.bureau)
        assert row.worst_status_24m == bureau.worst(codes)
        assert bureau.severity(row.worst_status_24m) <= bureau.severity(full.report.max_status)


def test_process_pool_gives_the_same_results_as_in_process(portfolio: Portfolio) -> None:
    """Two worker processes give the same summaries and record hashes as one process."""
    accounts = portfolio(4)
    alone = list(assess_many(accounts, AS_OF))
    with ProcessPoolExecutor(2) as pool:
        pooled = list(assess_many(accounts, AS_OF, executor=pool, chunksize=5))
        grown = list(assess_many(accounts, AS_OF, executor=pool))
    assert pooled == alone
    assert grown == alone


def test_completion_order_gives_every_result_once(portfolio: Portfolio) -> None:
    """ordered=False gives the same results, each with its input index."""
    accounts = portfolio(2)
    alone = list(assess_many(accounts, AS_OF))
    with ThreadPoolExecutor(2) as pool:
        done = list(assess_many(accounts, AS_OF, executor=pool, chunksize=3, ordered=False))
    assert sorted(done, key=lambda r: r.index or 0) == alone


class _Recording(ThreadPoolExecutor):
    """A thread pool that records what each submitted call is given."""

    def __init__(self) -> None:
        super().__init__(2)
        self.calls: list[tuple[object, ...]] = []

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.calls.append((*args, *kwargs.values()))
        return super().submit(fn, *args, **kwargs)


def test_chunks_grow_from_a_few_accounts_to_chunksize(portfolio: Portfolio) -> None:
    """By default the first chunk is small and each next one twice as large, up to CHUNKSIZE."""
    account = portfolio(1)[0]
    total = FIRST_CHUNKSIZE * 2 + CHUNKSIZE * 3
    with _Recording() as pool:
        results = list(assess_many([account] * total, AS_OF, executor=pool))
    assert [r.index for r in results] == list(range(total))
    sizes = [len(pickle.loads(payload)[1]) for (payload,) in pool.calls]
    expected = [FIRST_CHUNKSIZE]
    while sum(expected) < total:
        expected.append(min(2 * expected[-1], CHUNKSIZE, total - sum(expected)))
    assert sizes == expected
    assert sizes[-2] == CHUNKSIZE


def test_a_chunk_travels_as_one_bytes_value(portfolio: Portfolio) -> None:
    """Workers are sent one pickled bytes value a chunk (cheap for Dask to name), not objects."""
    accounts = portfolio(2)
    with _Recording() as pool:
        results = list(assess_many(accounts, AS_OF, executor=pool, chunksize=5))
    assert results == list(assess_many(accounts, AS_OF))
    assert len(pool.calls) == -(-len(accounts) // 5)
    assert all(len(args) == 1 and isinstance(args[0], bytes) for args in pool.calls)


def test_submission_is_bounded_so_an_endless_input_streams(portfolio: Portfolio) -> None:
    """An endless input gives results as they come: only a few chunks are read ahead."""
    account = portfolio(1)[0]
    read = count()

    def endless() -> object:
        while True:
            next(read)
            yield account

    with ThreadPoolExecutor(2) as pool:
        first = list(islice(assess_many(endless(), AS_OF, executor=pool, chunksize=2), 3))
    assert [r.index for r in first] == [0, 1, 2]
    assert next(read) <= 2 * 2 * 2 + 2 + 1  # in_flight chunks of 2, plus the one being made


def test_every_kind_of_source_gives_the_same_summary(
    tmp_path: Path,
    portfolio: Portfolio,
    json_line: Callable[[Account], str],
    table_form: Callable[[Account], dict[str, object]],
) -> None:
    """An Account, a path (str or Path), a mapping and a JSON line give one summary."""
    account = portfolio(1)[0]
    path = tmp_path / "one.toml"
    path.write_text(dump_account(account), encoding="utf-8")
    line = AccountLine("accounts.jsonl", 7, json_line(account))
    sources = [account, str(path), path, table_form(account), line]
    results = list(assess_many(sources, AS_OF))
    assert all(isinstance(r, AssessmentSummary) for r in results)
    assert [r.file for r in results] == [None, str(path), str(path), None, "accounts.jsonl:7"]
    neutral = {attrs.evolve(r, index=0, file=None) for r in results}
    assert len(neutral) == 1


def test_a_failing_account_never_stops_the_batch(tmp_path: Path, portfolio: Portfolio) -> None:
    """Bad files, mappings and lines give failures with file and path; good ones are assessed."""
    good = portfolio(1)[:2]
    broken = tmp_path / "broken.toml"
    broken.write_text(dump_account(good[0]).replace('product = "', 'product = "x'), "utf-8")
    unknown = attrs.evolve(good[1], provider="nope")
    sources = [
        good[0],
        broken,
        tmp_path / "missing.toml",
        {"format": 1, "account": {"id": "m1"}},
        AccountLine("a.jsonl", 3, "{not json"),
        unknown,
        good[1],
    ]
    results = list(assess_many(sources, AS_OF))
    assert [type(r).__name__ for r in results] == [
        "AssessmentSummary",
        "AssessmentFailure",
        "AssessmentFailure",
        "AssessmentFailure",
        "AssessmentFailure",
        "AssessmentFailure",
        "AssessmentSummary",
    ]
    failures = [r for r in results if isinstance(r, AssessmentFailure)]
    assert failures[0].file == str(broken) and failures[0].path == "$.account.product"
    assert failures[1].file == str(tmp_path / "missing.toml")
    assert failures[2].account_id == "m1" and failures[2].path == "$.account.provider"
    assert failures[3].file == "a.jsonl:3" and "not valid JSON" in failures[3].message
    assert failures[4].account_id == unknown.id and failures[4].path == "$.account.provider"
    assert "unknown provider 'nope'" in failures[4].message
    assert all(f.error == "InputError" for f in failures)
    assert failures[0].describe().startswith(f"{broken}: ")


def test_whole_assessments_equal_assess_and_travel_with_their_actions(portfolio: Portfolio) -> None:
    """summary=False gives assess()'s assessment; from a worker, with its actions planned."""
    accounts = portfolio(1)[:3]
    local = list(assess_many(accounts, AS_OF, summary=False))
    assert local == [assess(a, AS_OF) for a in accounts]
    with ProcessPoolExecutor(1) as pool:
        remote = list(assess_many(accounts, AS_OF, executor=pool, summary=False))
    for account, result in zip(accounts, remote, strict=True):
        assert isinstance(result, Assessment)
        assert result == assess(account, AS_OF)  # actions included, planned in the worker
        assert len(pickle.dumps(result)) > 1000


def test_actions_are_planned_only_when_asked(portfolio: Portfolio) -> None:
    """actions=True fills the first action's code and amount from the planned actions."""
    accounts = portfolio(2)
    rows = list(assess_many(accounts, AS_OF, actions=True))
    for account, row in zip(accounts, rows, strict=True):
        assert isinstance(row, AssessmentSummary) and row.actions_planned
        planned = assess(account, AS_OF).actions
        assert row.first_action == (planned[0].code if planned else None)
        assert row.first_action_amount == (planned[0].amount if planned else None)
    assert any(isinstance(r, AssessmentSummary) and r.first_action for r in rows)


def test_bad_arguments_are_refused() -> None:
    """A datetime as_of or a chunk size below 1 is refused before any work."""
    with pytest.raises(TypeError):
        assess_many([], datetime(2025, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chunksize"):
        assess_many([], AS_OF, chunksize=0)


def test_providers_from_files_travel_to_the_workers(tmp_path: Path, portfolio: Portfolio) -> None:
    """A registry with a provider file's provider assesses its accounts in worker processes."""
    provider_file = tmp_path / "acme.toml"
    provider_file.write_text(
        'format = 1\n[provider]\nid = "acme"\nname_en = "Acme"\nname_zh = "示例"\n'
        'products = ["revolving"]\n[policy.penalty_daily_rate]\nvalue = "0.001"\n'
        'source = "https://example.com/acme"\ngrade = "B"\n',
        encoding="utf-8",
    )
    registry = get_registry().with_providers(load_provider(provider_file), origin="acme.toml")
    accounts = [
        attrs.evolve(a, provider="acme", policy=())
        for a in portfolio(2)
        if a.provider == "generic" and a.product == "revolving"
    ]
    assert accounts
    alone = list(assess_many(accounts, AS_OF, registry=registry))
    assert all(isinstance(r, AssessmentSummary) and r.provider == "acme" for r in alone)
    with ProcessPoolExecutor(1) as pool:
        assert list(assess_many(accounts, AS_OF, registry=registry, executor=pool)) == alone


def test_plugins_registered_in_process_cannot_go_to_workers() -> None:
    """A registry with in-process plugins, or its own rules, is refused for an executor."""

    class Nothing:
        pass

    local = get_registry(extra=(("local", Nothing()),))
    try:
        with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="local"):
            assess_many([], AS_OF, registry=local, executor=pool)
    finally:
        get_registry(reload=True)
    registry = get_registry()
    own_rules = registry.with_rules(creditrules.RuleSet(registry.rules.rules[:-1]))
    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="rules"):
        assess_many([], AS_OF, registry=own_rules, executor=pool)


def test_a_worker_with_other_plugins_stops_the_batch() -> None:
    """A worker whose installed plugins differ from the caller's raises PluginError."""
    recipe = _Recipe.of(get_registry())
    other = attrs.evolve(recipe, plugins=(*recipe.plugins, ("ghost", "creditrules-ghost", "9")))
    with pytest.raises(PluginError, match="missing ghost creditrules-ghost 9"):
        other.build()


def test_to_table_keeps_money_exact_and_dates_as_dates(portfolio: Portfolio) -> None:
    """The Arrow table has decimal128 money equal to the summaries', date32 dates, one row each."""
    results = list(assess_many([*portfolio(2), {"format": 1}], AS_OF))
    table = to_table(results)
    assert table.column_names == list(COLUMNS)
    assert table.num_rows == len(results)
    assert table.schema.field("balance_total").type == pa.decimal128(18, 2)
    assert table.schema.field("as_of").type == pa.date32()
    rows = table.to_pylist()
    for row, result in zip(rows, results, strict=True):
        if isinstance(result, AssessmentSummary):
            assert row["charged_total"] == result.charged_total
            assert isinstance(row["charged_total"], Decimal)
            assert row["as_of"] == AS_OF and row["error"] is None
    assert rows[-1]["error"] == "InputError" and rows[-1]["balance_total"] is None
    assert rows[-1]["error_path"] == "$.account"
    assert to_table(results, failures=False).num_rows == len(results) - 1


def test_to_table_summarises_whole_assessments(portfolio: Portfolio) -> None:
    """Whole assessments are summarised into the same rows as summaries."""
    accounts = portfolio(1)
    assert to_table(assess_many(accounts, AS_OF, summary=False)).drop_columns(
        ["index"]
    ) == to_table(attrs.evolve(r, index=None) for r in assess_many(accounts, AS_OF)).drop_columns(
        ["index"]
    )


def test_to_table_refuses_an_amount_finer_than_the_fen(portfolio: Portfolio) -> None:
    """Money is never rounded on its way into the table: a sub-fen amount is an error."""
    [row] = assess_many(portfolio(1)[:1], AS_OF)
    assert isinstance(row, AssessmentSummary)
    with pytest.raises(pa.ArrowInvalid):
        to_table([attrs.evolve(row, balance_total=Decimal("1.005"))])


def test_parquet_reads_back_with_exact_decimal_money(tmp_path: Path, portfolio: Portfolio) -> None:
    """The Parquet file reads back with pyarrow: exact Decimal money, row groups of batch_rows."""
    results = list(assess_many(portfolio(3), AS_OF))
    out = tmp_path / "portfolio.parquet"
    assert write_results(results, out, batch_rows=5) == len(results)
    assert pq.ParquetFile(out).num_row_groups == -(-len(results) // 5)
    back = pq.read_table(out)
    assert back.schema.field("overdue_total").type == pa.decimal128(18, 2)
    assert back.equals(to_table(results))
    assert back.column("overdue_total").to_pylist() == [r.overdue_total for r in results]


def test_csv_and_json_lines_write_exact_text(tmp_path: Path, portfolio: Portfolio) -> None:
    """CSV and JSON Lines rows hold money as exact text, dates ISO, flags true/false."""
    results = list(assess_many([*portfolio(1), {"format": 1}], AS_OF))
    write_results(results, tmp_path / "p.csv")
    write_results(results, tmp_path / "p.jsonl")
    lines = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(COLUMNS)
    records = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) - 1 == len(records) == len(results)
    first = results[0]
    assert isinstance(first, AssessmentSummary)
    assert records[0]["balance_total"] == str(first.balance_total)
    assert records[0]["as_of"] == "2025-06-01"
    assert f",{first.balance_total}," in lines[1]
    assert ",2025-06-01," in lines[1] and (",false," in lines[1] or ",true," in lines[1])
    assert records[-1]["error"] == "InputError" and records[-1]["balance_total"] is None


def test_a_failed_write_leaves_no_file(tmp_path: Path, portfolio: Portfolio) -> None:
    """A batch that raises while writing leaves neither the file nor its .part."""
    out = tmp_path / "p.parquet"
    with pytest.raises(RuntimeError), open_writer(out) as writer:
        writer.write(next(assess_many(portfolio(1), AS_OF)))
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_writers_refuse_unknown_formats(tmp_path: Path) -> None:
    """A file name without a known suffix, or failures as Parquet, is a ValueError."""
    with pytest.raises(ValueError, match=r"\*\.parquet, \*\.csv or \*\.jsonl"):
        open_writer(tmp_path / "p.xlsx")
    with pytest.raises(ValueError, match="failures"):
        open_writer(tmp_path / "e.parquet", failures_only=True)


def test_iter_sources_expands_folders_and_json_lines(tmp_path: Path) -> None:
    """Folders give their *.toml files in path order; a *.jsonl file one AccountLine a line."""
    (tmp_path / "b").mkdir()
    for name in ("b/2.toml", "1.toml", "b/notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    lines = tmp_path / "accounts.jsonl"
    lines.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    found = list(iter_sources([tmp_path / "b", tmp_path / "1.toml", lines]))
    assert found == [
        tmp_path / "b" / "2.toml",
        tmp_path / "1.toml",
        AccountLine(str(lines), 1, '{"a": 1}\n'),
        AccountLine(str(lines), 3, '{"b": 2}\n'),
    ]
    with pytest.raises(creditrules.InputError, match="no such file"):
        list(iter_sources([tmp_path / "nope.toml"]))
