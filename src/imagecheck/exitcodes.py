"""Exit codes, in one place, and the one function that turns a report into one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imagecheck.report.model import Report

#: No finding at or above ``--fail-on``.
CLEAN = 0
#: Findings at or above ``--fail-on``.
FINDINGS = 1
#: Usage error (bad option, configuration or path) or an input file that could not be read.
USAGE_OR_INPUT = 2


def exit_code(report: Report, exit_zero: bool = False) -> int:
    """The process exit status for ``report``. ``exit_zero`` silences findings, never
    unreadable input."""
    return exit_status(
        unreadable=any(r.unreadable for r in report.images) or report.interrupted,
        failed=report.shop_verdict == "fail" or any(
            r.verdict(report.fail_on) == "fail" for r in report.images),
        exit_zero=exit_zero)


def exit_status(*, unreadable: bool, failed: bool, exit_zero: bool = False) -> int:
    """The exit status of a run with input that could not be checked (or was not reached)
    and of one with findings at or above ``--fail-on``."""
    if unreadable:
        return USAGE_OR_INPUT
    return FINDINGS if failed and not exit_zero else CLEAN
