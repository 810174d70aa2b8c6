"""Font roles (song, hei, kai, fangsong) resolved to faces, with fallback chains.

The shipped faces are known from assets/fonts/fonts.lock and their metrics caches
(JSON, ~2 ms a face), so a build knows every advance without importing fontTools
or letting ReportLab parse a font. ReportLab only meets a face in
``register_reportlab``, when the renderer is about to draw with it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostic, SourcePos
from . import metrics_cache
from .metrics import FaceMetrics

if TYPE_CHECKING:
    from ..definition.model import FontDecl, Report

SHIPPED_DIR = Path(__file__).resolve().parents[3] / "assets" / "fonts"
LOCK_NAME = "fonts.lock"

WEIGHTS = {
    "thin": 100,
    "extralight": 200,
    "light": 300,
    "regular": 400,
    "normal": 400,
    "medium": 500,
    "semibold": 600,
    "demibold": 600,
    "bold": 700,
    "extrabold": 800,
    "heavy": 900,
    "black": 900,
}
# Roles tried, in order, after a role's own faces, for a character its face lacks.
FALLBACKS = {
    "song": ("hei", "kai"),
    "hei": ("song", "kai"),
    "kai": ("song", "hei"),
    "fangsong": ("kai", "song", "hei"),
}
DEFAULT_FALLBACKS = ("song", "hei", "kai")
# No free FangSong is packaged in Debian main; Kai stands in (see assets/fonts/README.md).
DEFAULT_ALIASES = {"fangsong": "kai"}


def weight_value(weight: str) -> int:
    w = weight.strip().lower().replace("-", "").replace(" ", "")
    if w.isdigit():
        return int(w)
    return WEIGHTS.get(w, 400)


def find_assets(report: Report | None = None) -> Path:
    """``<report.base_dir>/assets/fonts`` when it has a lock, else the repository's."""
    if report is not None:
        local = Path(report.base_dir) / "assets" / "fonts"
        if (local / LOCK_NAME).is_file():
            return local
    return SHIPPED_DIR


def default_cache_dir(report: Report | None) -> Path:
    env = os.environ.get("REPORT_BUILDER_CACHE")
    if env:
        return Path(env) / "fonts"
    base = Path(report.base_dir) if report is not None else Path.cwd()
    return base / "out" / ".cache" / "fonts"


class FontRegistry:
    """Every face a build may use, by role and weight."""

    def __init__(
        self,
        faces: Iterable[FaceMetrics],
        aliases: dict[str, str] | None = None,
        diagnostics: Iterable[Diagnostic] = (),
        cache_dir: Path | None = None,
    ) -> None:
        self._faces = list(dict.fromkeys(faces))  # keeps order: editor's faces first
        self.aliases = dict(DEFAULT_ALIASES if aliases is None else aliases)
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        self.cache_dir = cache_dir
        self._chains: dict[tuple[str, str], list[FaceMetrics]] = {}
        self._registered: set[str] = set()

    # -- construction ------------------------------------------------------

    @classmethod
    def for_report(cls, report: Report, cache_dir: Path | None = None) -> FontRegistry:
        """Shipped faces plus the report's own ``fonts:``; problems go to ``.diagnostics``."""
        cache_dir = cache_dir or default_cache_dir(report)
        faces: list[FaceMetrics] = []
        diags: list[Diagnostic] = []
        for i, decl in enumerate(report.fonts):
            face = _load_decl(decl, i, report, cache_dir, diags)
            if face is not None:
                faces.append(face)
        shipped, aliases, problems = load_shipped(find_assets(report))
        diags += problems
        return cls(faces + shipped, aliases, diags, cache_dir)

    @classmethod
    def shipped(cls, assets: Path | None = None) -> FontRegistry:
        """The shipped faces alone (specimen, tests)."""
        faces, aliases, problems = load_shipped(assets or SHIPPED_DIR)
        return cls(faces, aliases, problems)

    # -- lookup -----------------------------------------------------------

    @property
    def faces(self) -> list[FaceMetrics]:
        return list(self._faces)

    @property
    def roles(self) -> set[str]:
        return {f.role for f in self._faces} | set(self.aliases)

    def _candidates(self, role: str) -> list[FaceMetrics]:
        own = [f for f in self._faces if f.role == role]
        alias = self.aliases.get(role)
        if alias and alias != role:
            own += [f for f in self._faces if f.role == alias]
        return own

    def _best(self, role: str, weight: str) -> list[FaceMetrics]:
        """The role's faces at the available weight nearest ``weight`` (editor's first)."""
        faces = self._candidates(role)
        if not faces:
            return []
        want = weight_value(weight)
        # Nearest weight; on a tie the heavier one, as a headline should not turn light.
        best = min({weight_value(f.weight) for f in faces}, key=lambda w: (abs(w - want), -w))
        return [f for f in faces if weight_value(f.weight) == best]

    def chain(self, role: str, weight: str = "regular") -> list[FaceMetrics]:
        """The role's face, then the faces tried for characters it lacks."""
        key = (role, weight)
        found = self._chains.get(key)
        if found is None:
            found = list(self._best(role, weight))
            for fb in FALLBACKS.get(role, DEFAULT_FALLBACKS):
                found += self._best(fb, weight)
            if not found:  # an unknown role: the style check reports it; still set the text
                found = [f for fb in DEFAULT_FALLBACKS for f in self._best(fb, weight)]
            found = list(dict.fromkeys(found))
            self._chains[key] = found
        return found

    def face(self, role: str, weight: str = "regular") -> FaceMetrics:
        """The primary face of a role; an unknown weight gives the nearest one available."""
        chain = self.chain(role, weight)
        if not chain:
            raise LookupError(f"no font face for role {role!r}: assets/fonts is empty")
        return chain[0]

    def face_for_char(self, role: str, weight: str, ch: str) -> FaceMetrics | None:
        for face in self.chain(role, weight):
            if ch in face.advances:
                return face
        return None

    # -- rendering --------------------------------------------------------

    def register_reportlab(
        self, faces: Iterable[FaceMetrics] | None = None, cache_dir: Path | None = None
    ) -> None:
        """Register faces with ReportLab under ``face.name``; idempotent.

        Pass the faces the document draws with (a PDF embeds only those); None
        registers all. Parsed faces are cached under ``cache_dir`` (default: the
        registry's cache folder), which makes this ~5 ms a face instead of ~28 ms.
        """
        from reportlab.pdfbase import pdfmetrics

        from .reportlab_cache import load_ttfont

        cache = cache_dir or self.cache_dir
        for face in self._faces if faces is None else faces:
            if face.name in self._registered:
                continue
            if face.name not in pdfmetrics.getRegisteredFontNames():
                font = load_ttfont(
                    face.name, Path(face.path), face.sha256, face.subfont_index, cache
                )
                pdfmetrics.registerFont(font)
            self._registered.add(face.name)


def load_shipped(
    assets: Path,
) -> tuple[list[FaceMetrics], dict[str, str], list[Diagnostic]]:
    """Faces listed in ``assets/fonts.lock``, from their metrics caches."""
    lock_path = assets / LOCK_NAME
    where = SourcePos(str(lock_path))
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
        entries = lock["faces"]
    except FileNotFoundError:
        return (
            [],
            dict(DEFAULT_ALIASES),
            [Diagnostic(where, "missing: the shipped fonts are not built; run `invoke fonts`")],
        )
    except (ValueError, KeyError) as exc:
        return (
            [],
            dict(DEFAULT_ALIASES),
            [Diagnostic(where, f"not a valid font lock file ({exc}); run `invoke fonts`")],
        )
    faces: list[FaceMetrics] = []
    diags: list[Diagnostic] = []
    for entry in entries:
        font_path = assets / entry["file"]
        try:
            size = font_path.stat().st_size
            if size != entry["size"]:
                raise ValueError(f"{size} bytes, fonts.lock says {entry['size']}")
            faces.append(metrics_cache.load(assets / entry["metrics"], font_path, entry["sha256"]))
        except (OSError, ValueError, KeyError) as exc:
            diags.append(
                Diagnostic(
                    SourcePos(str(font_path)),
                    f"shipped face unusable ({exc}); run `invoke fonts` to rebuild assets/fonts",
                )
            )
    return faces, dict(lock.get("role_aliases", DEFAULT_ALIASES)), diags


def _load_decl(
    decl: FontDecl, i: int, report: Report, cache_dir: Path, diags: list[Diagnostic]
) -> FaceMetrics | None:
    from .userfonts import UserFontError, load_user_face

    path = Path(decl.path)
    if not path.is_absolute():
        path = Path(report.base_dir) / path
    try:
        return load_user_face(path, decl.role, decl.weight, decl.index, cache_dir)
    except UserFontError as exc:
        diags.append(Diagnostic(decl.pos, str(exc), path=f"fonts[{i}].path"))
        return None
