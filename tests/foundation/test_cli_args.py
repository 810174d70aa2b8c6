"""The command line read without argparse means what argparse would read, or is left to it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from report_builder.cli import Args, _usual_args, parse_args, parser

USUAL = [
    [],
    ["report.yaml"],
    ["editions/a/report.yaml", "--out", "build"],
    ["--out", "build", "r.yaml"],
    ["--out=build", "--strict"],
    ["--proof", "--strict", "x.yaml", "--out", "o"],
    ["--out", ""],
    [""],
    ["--out", "dir with spaces", "报告.yaml"],
    ["--watch"],
    ["r.yaml", "--watch", "--out", "o", "--strict"],
]
LEFT_TO_ARGPARSE = [
    ["--stric"],  # an abbreviation
    ["--strict", "--strict"],
    ["--watch", "--watch"],
    ["--out", "a", "--out", "b"],
    ["--out", "-1"],
    ["--out="],
    ["--", "-report.yaml"],
    ["-"],
    ["a.yaml", "b.yaml"],
    ["--out"],
    ["--help"],
    ["-h"],
    ["--verbose"],
]


@pytest.mark.parametrize("argv", USUAL, ids=repr)
def test_usual_lines_read_as_argparse_reads_them(argv: list[str]) -> None:
    quick = _usual_args(argv)
    assert quick is not None
    full = parser().parse_args(argv)
    assert quick == Args(full.report, full.out, full.strict, full.proof, full.watch)
    assert parse_args(argv) == quick


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE, ids=repr)
def test_other_lines_are_left_to_argparse(argv: list[str]) -> None:
    assert _usual_args(argv) is None


def test_argparse_still_answers_help_and_mistakes() -> None:
    for argv, status, text in ((["--help"], 0, "usage: report-builder"), (["--bogus"], 2, "error")):
        run = subprocess.run(
            [sys.executable, "-m", "report_builder", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == status
        assert text in run.stdout + run.stderr
    assert parse_args(["--out", "-1"]) == Args(Path("report.yaml"), Path("-1"), False, False)


def test_a_build_imports_no_argparse() -> None:
    code = (
        "import sys, report_builder.cli as cli\n"
        "cli.parse_args(['r.yaml', '--out', 'o'])\n"
        "print('argparse' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
