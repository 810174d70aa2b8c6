"""Diagnostics shared by every stage: a problem with a place in a source file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourcePos:
    """A 1-based line and column in a named file."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
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


@dataclass
class BuildError(Exception):
    """Raised with every problem found, so the user sees all of them at once."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)
