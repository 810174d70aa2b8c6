"""Helpers for the definition tests: load a report from text, collect its problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from report_builder.definition import load_report_text
from report_builder.definition.model import Report
from report_builder.errors import BuildError

EXAMPLES = Path(__file__).resolve().parent / "examples"
MINIMAL = EXAMPLES / "minimal" / "report.yaml"
COMPLETE = EXAMPLES / "complete" / "report.yaml"


class Edition:
    """A temporary edition folder holding report.yaml and the complete example's images."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(EXAMPLES / "complete" / "images", folder / "images")
        self.source = folder / "report.yaml"

    def load(self, text: str) -> Report:
        return load_report_text(text, self.source)

    def problems(self, text: str) -> list[tuple[int, int, str, str]]:
        """(line, column, field path, message) of every problem; fails if the text is valid."""
        with pytest.raises(BuildError) as info:
            self.load(text)
        diags = info.value.diagnostics
        assert diags, "BuildError without diagnostics"
        for d in diags:
            assert d.pos.file == str(self.source)
            assert "Traceback" not in d.message
        return [(d.pos.line, d.pos.column, d.path, d.message) for d in diags]

    def one(self, text: str) -> tuple[int, int, str, str]:
        found = self.problems(text)
        assert len(found) == 1, found
        return found[0]


def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def complete_text() -> str:
    return COMPLETE.read_text(encoding="utf-8")
