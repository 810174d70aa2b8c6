"""Face metrics as the composer sees them: advances in em, no ReportLab in sight."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class FaceMetrics:
    """Advance widths and vertical metrics of one face, in em (advance / unitsPerEm).

    ``name`` is the name the face is registered under in the PDF renderer.
    ``advances`` maps a character to its advance; characters the face lacks are
    absent (coverage is checked before composition, see fonts.coverage).
    """

    name: str
    advances: dict[str, float]
    ascent: float = 0.88  # ideographic em box top above the baseline, em
    descent: float = 0.12  # em box bottom below the baseline, em (positive)
    default_advance: float = 1.0
    path: str = ""
    sha256: str = ""
    role: str = ""  # song, hei, kai, fangsong or an editor's own role
    weight: str = ""  # regular, bold, …
    subfont_index: int = 0  # member of a .ttc, for the renderer's registerFont
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def advance(self, ch: str) -> float:
        return self.advances.get(ch, self.default_advance)

    def has(self, ch: str) -> bool:
        return ch in self.advances

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FaceMetrics) and other.name == self.name
