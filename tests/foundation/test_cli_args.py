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


def test_the_console_command_builds_and_exits_with_the_build_status(tmp_path: Path) -> None:
    """``report-builder`` (cli.console) ends without teardown, but with the right status."""
    report = tmp_path / "report.yaml"
    code = "from report_builder.cli import console; console()"
    for text, status, said in (
        ("edition: {id: console}\npages: 3\n", 1, "build failed"),
        (
            "edition: {id: console, title: 控制台}\npages:\n  - blocks:\n"
            "      - {type: article, id: a, at: {column: 1, span: 2, line: 1, lines: 10},"
            " text: 劳动成就梦想。}\n",
            0,
            "built ",
        ),
    ):
        report.write_text(text, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-c", code, str(report), "--out", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == status, run.stdout + run.stderr
        assert said in run.stdout + run.stderr
