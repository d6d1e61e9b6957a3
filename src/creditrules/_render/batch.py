"""What ``creditrules batch`` shows: a progress bar on a terminal, a closing summary, failures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .._i18n import Messages
from ..portfolio import AssessmentFailure, Result
from .common import ENGLISH

__all__ = ["BatchProgress", "batch_summary", "failure_lines"]

#: Failures listed on stderr when there is no ``--errors`` file.
SHOWN_FAILURES = 20


class _Rate(ProgressColumn):
    """Accounts per second, once known."""

    def __init__(self, tr: Messages) -> None:
        super().__init__()
        self.tr = tr

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        if not elapsed or not task.completed:
            return Text("")
        rate = f"{task.completed / elapsed:,.0f}"
        return Text(self.tr._("{rate} accounts/s", rate=rate), style="cyan")


class _Errors(ProgressColumn):
    """Failures so far, in red once there is one."""

    def __init__(self, tr: Messages) -> None:
        super().__init__()
        self.tr = tr

    def render(self, task: Task) -> Text:
        failed = int(task.fields.get("failed", 0))
        text = self.tr._("{n} failed", n=f"{failed:,}")
        return Text(text, style="red" if failed else "dim")


class BatchProgress:
    """Counts results as they arrive; on a terminal, draws a progress bar on stderr.

    Args:
        count: Counts the accounts to come (called only when the bar is drawn).
        console: Where to draw (default: stderr).
        tr: The messages of the language to use.

    Attributes:
        done: Results so far.
        failed: Failures so far.
    """

    def __init__(
        self,
        count: Callable[[], int],
        *,
        console: Console | None = None,
        tr: Messages = ENGLISH,
    ) -> None:
        self.done = 0
        self.failed = 0
        console = console or Console(stderr=True, highlight=False, markup=False)
        self._progress: Progress | None = None
        if console.is_terminal:
            self._progress = Progress(
                TextColumn(tr._("assessing")),
                BarColumn(),
                MofNCompleteColumn(),
                _Rate(tr),
                TimeRemainingColumn(),
                _Errors(tr),
                console=console,
            )
            self._task = self._progress.add_task("batch", total=count(), failed=0)

    def advance(self, result: Result) -> None:
        """Count one result."""
        self.done += 1
        if isinstance(result, AssessmentFailure):
            self.failed += 1
        if self._progress is not None:
            self._progress.update(self._task, advance=1, failed=self.failed)

    def __enter__(self) -> BatchProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()


def batch_summary(
    *,
    done: int,
    failed: int,
    seconds: float,
    out: Path,
    errors: Path | None,
    tr: Messages = ENGLISH,
) -> Text:
    """Say what a batch did, in one line.

    Returns:
        E.g. ``"Assessed 998 accounts, 2 failed, in 12.3 s (81 accounts/s); wrote
        out.parquet; failures in errors.jsonl"``.
    """
    assessed = done - failed
    rate = done / seconds if seconds > 0 else 0.0
    text = Text(
        tr.ngettext(
            "Assessed {n} account, ", "Assessed {n} accounts, ", assessed, n=f"{assessed:,}"
        )
    )
    text.append(tr._("{n} failed", n=f"{failed:,}"), style="bold red" if failed else "green")
    text.append(
        tr._(
            ", in {seconds} s ({rate} accounts/s); wrote {out}",
            seconds=f"{seconds:,.1f}",
            rate=f"{rate:,.0f}",
            out=str(out),
        )
    )
    if errors is not None:
        text.append(tr._("; failures in {errors}", errors=str(errors)))
    return text


def failure_lines(
    failures: Sequence[AssessmentFailure], total: int, tr: Messages = ENGLISH
) -> list[str]:
    """The failures to show on stderr without an ``--errors`` file (the first few).

    Args:
        failures: The failures kept (at most :data:`SHOWN_FAILURES`).
        total: How many failed in all.
        tr: The messages of the language to use.

    Returns:
        One line per failure problem, then how many more there were.
    """
    lines = [line for failure in failures for line in failure.describe(tr).splitlines()]
    if total > len(failures):
        more = f"{total - len(failures):,}"
        lines.append(tr._("... and {n} more; give --errors FILE to list them all", n=more))
    return lines
