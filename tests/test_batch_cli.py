"""Tests for ``creditrules batch``: a portfolio to a table, failures listed, exit statuses."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from creditrules import Account, AssessmentFailure, assess, dump_account
from creditrules._render.batch import BatchProgress
from creditrules.cli import build_cli

Portfolio = Callable[[int], list[Account]]

AS_OF = "2025-06-01"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(build_cli(), list(args))


def write_folder(portfolio: Portfolio, root: Path) -> list[Account]:
    """Write the accounts as files in a folder and a subfolder."""
    written = portfolio(2)
    (root / "more").mkdir(parents=True)
    for index, account in enumerate(written):
        folder = root / "more" if index % 2 else root
        (folder / f"{account.id}.toml").write_text(dump_account(account), encoding="utf-8")
    return written


def test_a_folder_is_assessed_into_parquet_with_exact_money(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    """Every account of a folder (recursively) gets a row; money reads back as exact Decimal."""
    written = write_folder(portfolio, tmp_path / "in")
    out = tmp_path / "out.parquet"
    result = invoke("batch", str(tmp_path / "in"), "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Assessed {len(written)} accounts, 0 failed" in result.stdout
    assert "accounts/s" in result.stdout
    table = pq.read_table(out)
    assert table.schema.field("overdue_total").type == pa.decimal128(18, 2)
    rows = {row["account_id"]: row for row in table.to_pylist()}
    assert set(rows) == {a.id for a in written}
    for account in written:
        figures = assess(account, date(2025, 6, 1))
        assert rows[account.id]["overdue_total"] == figures.overdue.total
        assert rows[account.id]["days_past_due"] == figures.days_past_due


def test_broken_files_are_listed_with_file_and_path_and_exit_1(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    """Good accounts are all assessed; each broken one is in --errors with its file and path."""
    written = write_folder(portfolio, tmp_path / "in")
    bad = tmp_path / "in" / "bad-amount.toml"
    bad.write_text(
        dump_account(written[0]).replace('amount = "', 'amount = "x', 1), encoding="utf-8"
    )
    syntax = tmp_path / "in" / "more" / "syntax.toml"
    syntax.write_text("format = 1\n[account\n", encoding="utf-8")
    out, errors = tmp_path / "out.csv", tmp_path / "errors.jsonl"
    result = invoke(
        "batch", str(tmp_path / "in"), "--as-of", AS_OF, "--out", str(out), "--errors", str(errors)
    )
    assert result.exit_code == 1, result.output
    assert f"Assessed {len(written)} accounts, 2 failed" in result.stdout
    assert f"failures in {errors}" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(written)
    listed = [json.loads(line) for line in errors.read_text("utf-8").splitlines()]
    failed = {Path(f["file"]).name: f for f in listed}
    assert set(failed) == {"bad-amount.toml", "syntax.toml"}
    assert failed["bad-amount.toml"]["path"].startswith("$.")
    assert "amount" in failed["bad-amount.toml"]["path"]
    assert "line 2" in failed["syntax.toml"]["message"]


def test_without_an_errors_file_failures_go_to_stderr(tmp_path: Path, portfolio: Portfolio) -> None:
    """Without --errors, each failure is one line on stderr: file, message, path."""
    good = tmp_path / "good.toml"
    good.write_text(dump_account(portfolio(2)[0]), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\n[account]\nid = "x"\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    result = invoke("batch", str(good), str(bad), "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 1
    assert f"{bad}: missing required field @ $.account.provider" in result.stderr
    assert "Assessed 1 account, 1 failed" in result.stdout
    chinese = invoke(
        "batch", str(good), str(bad), "--as-of", AS_OF, "--out", str(out), "--lang", "zh_CN"
    )
    assert chinese.exit_code == 1
    assert f"{bad}: 缺少必填字段（位置：$.account.provider）" in chinese.stderr, chinese.stderr


def test_json_lines_input_names_the_line_of_a_failure(
    tmp_path: Path, portfolio: Portfolio, json_line: Callable[[Account], str]
) -> None:
    """Each line of a *.jsonl input is an account; a bad line is named file:line."""
    lines = [json_line(a) for a in portfolio(2)[:3]]
    source = tmp_path / "accounts.jsonl"
    source.write_text("\n".join([lines[0], "{oops", lines[1], "", lines[2]]) + "\n", "utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.csv"
    result = invoke(
        "batch", str(source), "--as-of", AS_OF, "--out", str(out), "--errors", str(errors)
    )
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["file"] for r in rows] == [f"{source}:1", f"{source}:3", f"{source}:5"]
    assert f"{source}:2" in errors.read_text("utf-8")


def test_two_workers_write_the_same_table(tmp_path: Path, portfolio: Portfolio) -> None:
    """--workers 2 writes exactly the file one process writes."""
    write_folder(portfolio, tmp_path / "in")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert invoke("batch", str(tmp_path / "in"), "--as-of", AS_OF, "--out", str(one)).exit_code == 0
    result = invoke(
        "batch", str(tmp_path / "in"), "--as-of", AS_OF, "--out", str(two), "--workers", "2"
    )
    assert result.exit_code == 0, result.output
    assert one.read_text("utf-8") == two.read_text("utf-8")


def test_no_progress_bar_when_not_on_a_terminal(tmp_path: Path, portfolio: Portfolio) -> None:
    """Piped, the command prints the summary only: no progress bar on stderr."""
    write_folder(portfolio, tmp_path / "in")
    result = invoke(
        "batch", str(tmp_path / "in"), "--as-of", AS_OF, "--out", str(tmp_path / "o.jsonl")
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    assert len(result.stdout.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "out.txt"], "cannot tell the format of out.txt"),
        (["--out", "o.csv", "--errors", "e.parquet"], "not Parquet"),
        (["--out", "o.csv", "--workers", "2", "--scheduler", "tcp://x:1"], "not both"),
        (["--out", "o.csv", "--workers", "0"], "--workers"),
        (["--out", "o.csv", "--as-of", "2025-13-01"], "--as-of"),
    ],
)
def test_bad_arguments_exit_2(
    tmp_path: Path, extra: list[str], message: str, portfolio: Portfolio
) -> None:
    """Bad arguments exit with 2 and a message, and write nothing."""
    good = tmp_path / "good.toml"
    good.write_text(dump_account(portfolio(2)[0]), encoding="utf-8")
    args = ["batch", str(good), "--as-of", AS_OF]
    extra = [str(tmp_path / e) if e.startswith(("out.", "o.", "e.")) else e for e in extra]
    result = invoke(*args, *extra)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.toml"]


def test_an_empty_folder_exits_2(tmp_path: Path) -> None:
    """A folder without account files is a usage error, not an empty table."""
    (tmp_path / "empty").mkdir()
    result = invoke("batch", str(tmp_path / "empty"), "--as-of", AS_OF, "--out", "o.csv")
    assert result.exit_code == 2
    assert "no account files found" in result.output


def test_as_of_is_required(tmp_path: Path, portfolio: Portfolio) -> None:
    """A batch names its date: --as-of is required."""
    good = tmp_path / "good.toml"
    good.write_text(dump_account(portfolio(2)[0]), encoding="utf-8")
    result = invoke("batch", str(good), "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 2
    assert "--as-of" in result.output


def test_provider_files_reach_the_workers(tmp_path: Path, portfolio: Portfolio) -> None:
    """--provider-file adds a provider for the batch, in worker processes too."""
    provider = tmp_path / "acme.toml"
    provider.write_text(
        'format = 1\n[provider]\nid = "acme"\nname_en = "Acme"\nname_zh = "示例"\n'
        'products = ["revolving"]\n[policy.penalty_daily_rate]\nvalue = "0.001"\n'
        'source = "https://example.com/acme"\ngrade = "B"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "in"
    folder.mkdir()
    revolving = [a for a in portfolio(2) if a.provider == "generic" and a.product == "revolving"]
    for account in revolving:
        moved = attrs.evolve(account, provider="acme", policy=())
        (folder / f"{account.id}.toml").write_text(dump_account(moved), encoding="utf-8")
    out = tmp_path / "out.csv"
    result = invoke(
        "batch",
        str(folder),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--workers",
        "2",
        "--provider-file",
        str(provider),
    )
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").count(",acme,") == len(revolving)


def test_on_a_terminal_the_progress_bar_counts_accounts_and_failures() -> None:
    """On a terminal the bar shows accounts done of the total and the failures so far."""
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    failure = AssessmentFailure(index=0, account_id=None, file="bad.toml", message="x @ $")
    with BatchProgress(lambda: 2, console=terminal) as progress:
        progress.advance(failure)
        progress.advance(failure)
    assert (progress.done, progress.failed) == (2, 2)
    shown = screen.getvalue()
    assert "2/2" in shown and "2 failed" in shown and "accounts/s" in shown
