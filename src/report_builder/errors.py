"""Diagnostics shared by every stage: a problem with a place in a source file."""

from __future__ import annotations

from enum import StrEnum

from .records import record


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@record(order=True)
class SourcePos:
    """A 1-based line and column in a named file."""

    file: str
    line: int = 0
    column: int = 0

    def __init__(self, file: str, line: int = 0, column: int = 0) -> None:
        # written out: one is made for every value of report.yaml (twice as fast)
        state = self.__dict__
        state["file"] = file
        state["line"] = line
        state["column"] = column

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@record
class Diagnostic:
    """One problem, printed as ``file:line:col: [warning: ]path: message``."""

    pos: SourcePos
    message: str
    path: str = ""  # field path such as pages[0].blocks[2].columns
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}: " if self.path else ""
        sev = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.pos}: {sev}{where}{self.message}"

    def __str__(self) -> str:
        return self.format()


class BuildError(Exception):
    """Raised with every problem found, so the user sees all of them at once."""

    def __init__(self, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(diagnostics)
        self.diagnostics: list[Diagnostic] = diagnostics if diagnostics is not None else []

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)
