"""report.yaml → Report: read safely, check everything, report every problem at once."""

from __future__ import annotations

import datetime
import gc
import math
import re
from pathlib import Path

from ..errors import BuildError, Diagnostic, SourcePos
from ..units import MM
from .blocks import BlockContext, read_pages
from .checks import check_geometry, check_ids, check_style_refs
from .model import Edition, FontDecl, Grid, Output, Paper, Report, Style
from .paths import resolve_path
from .reader import (
    Fields,
    Invalid,
    Problems,
    as_bool,
    as_choice,
    as_int,
    as_length,
    as_list,
    as_name,
    as_number,
    as_percent,
    as_text,
    suggest,
)
from .source import MAX_BYTES, SourceError, YMap, YNode, YScalar, YSeq, decode, parse
from .styles import BUILTIN_ROLES, BUILTIN_WEIGHTS, DEFAULT_STYLES, read_styles, resolve_styles
from .texts import SourceText

TOP_FIELDS = (
    "edition",
    "paper",
    "grid",
    "output",
    "fonts",
    "styles",
    "pages",
    "allow_outside_paths",
)
EDITION_FIELDS = ("id", "title", "publication", "date", "language")
PAPER_FIELDS = ("trim", "margins", "bleed")
MARGIN_FIELDS = ("top", "bottom", "inside", "outside")
GRID_FIELDS = ("columns", "column_width", "gutter", "line_pitch", "lines", "body_style")
OUTPUT_FIELDS = (
    "standard",
    "icc_profile",
    "output_condition",
    "marks",
    "image_ppi",
    "min_image_ppi",
    "ink_limit",
    "min_text_size",
)
FONT_FIELDS = ("role", "weight", "path", "index")

#: Named trim sizes (mm): norms.md §2.1.
TRIM_SIZES = {
    "对开": (390.0, 550.0),
    "broadsheet": (390.0, 550.0),
    "四开": (275.0, 390.0),
    "tabloid": (275.0, 390.0),
}
DEFAULT_MARGINS_MM = {"top": 22.0, "bottom": 38.0, "inside": 20.0, "outside": 20.0}
MARKS = ("crop", "registration", "colour-bars")
STANDARDS = ("pdf/x-4", "pdf/x-1a", "none")

_EDITION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_report(path: Path) -> Report:
    """Read and validate a report definition; BuildError lists every problem found."""
    file = str(path)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise BuildError([Diagnostic(SourcePos(file), "is not a regular file")])
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise BuildError([Diagnostic(SourcePos(file), "is a folder, not a report.yaml")]) from None
    except FileNotFoundError:
        raise BuildError([Diagnostic(SourcePos(file), "file not found")]) from None
    except OSError as exc:
        raise BuildError(
            [Diagnostic(SourcePos(file), f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    if len(data) > MAX_BYTES:
        raise BuildError(
            [
                Diagnostic(
                    SourcePos(file),
                    f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                    "a report definition should be far smaller",
                )
            ]
        )
    try:
        text = decode(data, file)
    except SourceError as exc:
        raise BuildError([exc.diagnostic]) from None
    return load_report_text(text, path)


def load_report_text(text: str, source: Path) -> Report:
    """Validate report.yaml given as text; relative paths resolve against ``source``'s folder."""
    # Reading makes tens of thousands of objects that all stay alive (the node tree, the
    # model) and no reference cycles: the cyclic GC would only walk them again and again
    # (and the whole heap when a full collection falls due), ~half the time of a 40-page load.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_text(text, source)
    finally:
        if was_enabled:
            gc.enable()


def _load_text(text: str, source: Path) -> Report:
    file = str(source)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        root, early = parse(text, file)
    except SourceError as exc:
        raise BuildError([exc.diagnostic]) from None
    if root is None or (isinstance(root, YScalar) and root.value is None and not root.text):
        raise BuildError(
            [
                Diagnostic(
                    SourcePos(file, 1, 1),
                    "the file is empty: a report needs at least edition: and pages:",
                )
            ]
        )
    problems = Problems()
    problems.items.extend(early)
    report = _Loader(root, text, source, problems).load()
    if problems or report is None:
        raise BuildError(_sorted(problems.items))
    return report


def _sorted(diags: list[Diagnostic]) -> list[Diagnostic]:
    unique: dict[str, Diagnostic] = {}
    for d in diags:
        unique.setdefault(d.format(), d)
    return sorted(unique.values(), key=lambda d: (d.pos.line, d.pos.column))


class _Loader:
    def __init__(self, root: YNode, text: str, source: Path, problems: Problems) -> None:
        self.root = root
        self.source = source
        self.file = str(source)
        self.problems = problems
        self.src = SourceText(text, self.file)
        self.base_dir = source.parent.absolute()

    def load(self) -> Report | None:
        top = Fields(
            self.root,
            "",
            self.problems,
            TOP_FIELDS,
            what="a mapping with edition:, pages: and the other report fields",
        )
        if not isinstance(self.root, YMap):
            return None
        allow_outside = top.get("allow_outside_paths", as_bool, False)
        edition = self.edition(top)
        fonts = self.fonts(top, allow_outside)
        roles = set(BUILTIN_ROLES) | {f.role for f in fonts}
        weights = set(BUILTIN_WEIGHTS) | {f.weight for f in fonts}
        user_styles = read_styles(top.node("styles"), "styles", self.problems)
        styles = resolve_styles(user_styles, self.problems, roles=roles, weights=weights)
        paper = self.paper(top)
        style_names = set(styles) | set(DEFAULT_STYLES) | set(user_styles)
        grid = self.grid(top, paper, styles, style_names)
        output = self.output(top, allow_outside)
        ctx = BlockContext(self.problems, self.src, self.base_dir, allow_outside)
        pages = read_pages(top.node("pages"), "pages", ctx, top.pos)
        check_style_refs(ctx, style_names)
        check_ids(ctx, pages)
        if grid is not None:
            check_geometry(ctx, pages, grid)
        if self.problems or edition is None or paper is None or grid is None:
            return None
        return Report(
            source=self.source,
            base_dir=self.base_dir,
            edition=edition,
            paper=paper,
            grid=grid,
            styles=styles,
            pages=tuple(pages),
            output=output,
            fonts=tuple(fonts),
            allow_outside_paths=allow_outside,
        )

    # ---- edition ---------------------------------------------------------------------

    def edition(self, top: Fields) -> Edition | None:
        node = top.node("edition")
        if node is None:
            top.fail(top.pos, "", "missing required field 'edition' (id: and title:)")
            return None
        f = Fields(node, "edition", self.problems, EDITION_FIELDS, what="the edition's fields")
        if not isinstance(node, YMap):
            return None
        edition = Edition(
            id=f.get("id", _edition_id, "", required=True),
            title=f.get("title", _nonempty_text, "", required=True),
            publication=f.get("publication", as_text, ""),
            date=f.get("date", _iso_date, ""),
            language=f.get("language", _language, "zh-Hans"),
            pos=node.pos,
        )
        return edition if f.ok else None

    # ---- fonts -----------------------------------------------------------------------

    def fonts(self, top: Fields, allow_outside: bool) -> list[FontDecl]:
        node = top.node("fonts")
        if node is None:
            return []
        try:
            items = as_list(node)
        except Invalid as exc:
            top.fail(node.pos, "fonts", str(exc))
            return []
        out: list[FontDecl] = []
        seen: dict[tuple[str, str], SourcePos] = {}
        for i, item in enumerate(items):
            path = f"fonts[{i}]"
            f = Fields(item, path, self.problems, FONT_FIELDS, what="a font (role, weight, path)")
            if not isinstance(item, YMap):
                continue
            role = f.get("role", as_name, "", required=True)
            weight = f.get("weight", as_name, "regular")
            file = f.get(
                "path",
                lambda n: resolve_path(n, self.base_dir, allow_outside, "font"),
                None,
                required=True,
            )
            index = f.get("index", as_int(0, 255, "a face index (0 = first)"), 0)
            if not f.ok or file is None:
                continue
            if (role, weight) in seen:
                f.fail(
                    item.pos,
                    path,
                    f"a font for role '{role}' weight '{weight}' is already declared at "
                    f"line {seen[(role, weight)].line}",
                )
                continue
            seen[(role, weight)] = item.pos
            out.append(FontDecl(role, weight, file, index, pos=item.pos))
        return out

    # ---- paper -----------------------------------------------------------------------

    def paper(self, top: Fields) -> Paper | None:
        node = top.node("paper")
        if node is None:
            m = {k: v * MM for k, v in DEFAULT_MARGINS_MM.items()}
            return Paper(390 * MM, 550 * MM, m["top"], m["bottom"], m["inside"], m["outside"])
        f = Fields(node, "paper", self.problems, PAPER_FIELDS, what="the paper's fields")
        if not isinstance(node, YMap):
            return None
        width, height = f.get("trim", _trim, (390 * MM, 550 * MM))
        margins = self.margins(f)
        if not f.ok or margins is None:
            return None
        # a bad bleed is reported but does not change the type area the blocks are checked on
        bleed = f.get("bleed", as_length(0.0, 20 * MM, unit="mm"), 3 * MM)
        paper = Paper(width, height, *margins, bleed=bleed, pos=node.pos)
        area_w = width - margins[2] - margins[3]
        area_h = height - margins[0] - margins[1]
        if area_w < 20 * MM or area_h < 20 * MM:
            f.fail(
                f.key_pos("margins"),
                "paper.margins",
                f"the margins leave a type area of {area_w / MM:.1f} × {area_h / MM:.1f} mm; "
                "it must be at least 20 × 20 mm",
            )
            return None
        return paper

    def margins(self, paper: Fields) -> tuple[float, float, float, float] | None:
        node = paper.node("margins")
        defaults = {k: v * MM for k, v in DEFAULT_MARGINS_MM.items()}
        if node is None:
            return tuple(defaults[k] for k in MARGIN_FIELDS)  # type: ignore[return-value]
        length = as_length(0.0, 500 * MM, unit="mm")
        if isinstance(node, YScalar):
            try:
                value = length(node)
            except Invalid as exc:
                paper.fail(node.pos, "paper.margins", str(exc))
                return None
            return (value, value, value, value)
        f = Fields(
            node,
            "paper.margins",
            self.problems,
            MARGIN_FIELDS,
            what="margins {top, bottom, inside, outside} or one length for all four",
        )
        if not isinstance(node, YMap):
            paper.ok = False
            return None
        values = tuple(f.get(k, length, defaults[k]) for k in MARGIN_FIELDS)
        if not f.ok:
            paper.ok = False
            return None
        return values  # type: ignore[return-value]

    # ---- grid ------------------------------------------------------------------------

    def grid(
        self,
        top: Fields,
        paper: Paper | None,
        styles: dict[str, Style],
        style_names: set[str],
    ) -> Grid | None:
        node = top.node("grid")
        f = Fields(node or YMap({}, top.pos), "grid", self.problems, GRID_FIELDS, "grid fields")
        if node is not None and not isinstance(node, YMap):
            return None
        body_style = f.get("body_style", as_name, "body")
        if body_style not in style_names:
            bnode = f.node("body_style")
            f.fail(
                bnode.pos if bnode else f.pos,
                "grid.body_style",
                f"unknown style '{body_style}'{suggest(body_style, style_names)}",
            )
        # a style that failed to resolve was reported already; go on with 小五 to check the rest
        em = styles[body_style].size if body_style in styles else 9.0
        columns = f.get("columns", as_int(1, 64, "a number of columns"), 8)
        cw_node = f.node("column_width")
        column_width: float | None = None
        if cw_node is not None:
            column_width = f.get("column_width", _column_width(em), None)
        gutter_given = f.node("gutter") is not None
        gutter = f.get("gutter", as_length(0.0, 200 * MM, em=em), em)
        pitch = f.get("line_pitch", as_length(1.0, 200.0, em=em, positive=True), 1.5 * em)
        lines_given = f.get("lines", as_int(1, 99_999, "a number of lines"), None)
        if not f.ok or paper is None or body_style not in styles:
            return None
        area_w = paper.width - paper.margin_inside - paper.margin_outside
        area_h = paper.height - paper.margin_top - paper.margin_bottom
        if column_width is None and not gutter_given:
            # whole body characters per column (Founder's 绝对 mode), gutters >= 1/2 em
            chars = math.floor((area_w - (columns - 1) * 0.5 * em) / columns / em + 1e-9)
            if chars >= 1:
                column_width = chars * em
                if columns > 1:
                    gutter = (area_w - columns * column_width) / (columns - 1)
        if column_width is None:
            column_width = (area_w - (columns - 1) * gutter) / columns
            if column_width <= 0:
                f.fail(
                    f.key_pos("gutter"),
                    "grid.gutter",
                    f"{columns} columns with {gutter:g}pt gutters do not fit the "
                    f"{area_w:.2f}pt wide type area",
                )
                return None
        elif not gutter_given and columns > 1:
            gutter = (area_w - columns * column_width) / (columns - 1)
        total = columns * column_width + (columns - 1) * gutter
        if total > area_w + 0.01 or gutter < 0:
            f.fail(
                f.key_pos("column_width"),
                "grid.column_width",
                f"{columns} columns of {column_width:.2f}pt"
                + (f" with {gutter:.2f}pt gutters" if gutter_given else "")
                + f" need {columns * column_width + (columns - 1) * max(gutter, 0):.2f}pt, "
                f"but the type area is {area_w:.2f}pt ({area_w / MM:.1f} mm) wide; "
                "narrow the columns or the gutter, or leave gutter: out to derive it",
            )
            return None
        lines = math.floor(area_h / pitch + 1e-6)
        if lines_given is not None:
            if lines_given * pitch > area_h + 0.01:
                f.fail(
                    f.items["lines"][1].pos,
                    "grid.lines",
                    f"{lines_given} lines of {pitch:g}pt need {lines_given * pitch:.1f}pt, "
                    f"but the type area is {area_h:.1f}pt high (at most {lines} lines)",
                )
                return None
            lines = lines_given
        if lines < 1:
            f.fail(f.pos, "grid", f"not a single line of {pitch:g}pt fits the type area")
            return None
        return Grid(
            columns=columns,
            column_width=round(column_width, 6),
            gutter=round(gutter, 6),
            line_pitch=pitch,
            lines=lines,
            body_style=body_style,
            pos=f.pos,
        )

    # ---- output ----------------------------------------------------------------------

    def output(self, top: Fields, allow_outside: bool) -> Output:
        node = top.node("output")
        if node is None:
            return Output()
        f = Fields(node, "output", self.problems, OUTPUT_FIELDS, what="the output fields")
        if not isinstance(node, YMap):
            return Output()
        image_ppi = f.get("image_ppi", as_number(50, 2400, "a resolution in ppi"), 300.0)
        min_ppi = f.get("min_image_ppi", as_number(50, 2400, "a resolution in ppi"), 200.0)
        if f.ok and min_ppi > image_ppi:
            f.fail(
                f.key_pos("min_image_ppi"),
                "output.min_image_ppi",
                f"min_image_ppi ({min_ppi:g}) is above image_ppi ({image_ppi:g})",
            )
        return Output(
            standard=f.get("standard", as_choice(STANDARDS, "standard"), "pdf/x-4"),
            icc_profile=f.get(
                "icc_profile",
                lambda n: resolve_path(n, self.base_dir, allow_outside, "ICC profile"),
                None,
            ),
            output_condition=f.get("output_condition", as_text, ""),
            marks=f.get("marks", _marks, ("crop",)),
            image_ppi=image_ppi,
            min_image_ppi=min_ppi,
            ink_limit=f.get("ink_limit", as_percent(100, 400), 2.4),
            min_text_size=f.get("min_text_size", as_length(0.0, 100.0), 5.0),
            pos=node.pos,
        )


# ---- converters used above ----------------------------------------------------------


def _edition_id(node: YNode) -> str:
    text = as_text(node).strip()
    if not _EDITION_ID.match(text):
        raise Invalid(
            f"{text!r} cannot be an edition id: it names the PDF file, so use letters, "
            "digits, '-', '_' or '.' (e.g. hunan-unions-2023)"
        )
    return text


def _nonempty_text(node: YNode) -> str:
    text = as_text(node).strip()
    if not text:
        raise Invalid("must not be empty")
    return text


def _iso_date(node: YNode) -> str:
    text = as_text(node).strip()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"expected an ISO date such as 2023-08-01, got {text!r}") from None
    return text


def _language(node: YNode) -> str:
    text = as_text(node).strip()
    if not _LANGUAGE.match(text):
        raise Invalid(f"expected a language tag such as zh-Hans, got {text!r}")
    return text


def _trim(node: YNode) -> tuple[float, float]:
    if isinstance(node, YScalar) and node.text.strip() in TRIM_SIZES:
        w, h = TRIM_SIZES[node.text.strip()]
        return (w * MM, h * MM)
    if not isinstance(node, YSeq) or len(node.items) != 2:
        names = ", ".join(TRIM_SIZES)
        raise Invalid(f"expected [width, height] such as [390mm, 550mm], or one of {names}")
    length = as_length(50 * MM, 2000 * MM, what="a page size such as 390mm", unit="mm")
    return (length(node.items[0]), length(node.items[1]))


def _column_width(em: float):
    def convert(node: YNode) -> float:
        if (
            isinstance(node, YScalar)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        ):
            chars = as_number(1, 200, "a number of body characters")(node)
            return chars * em
        return as_length(1.0, 2000 * MM, positive=True)(node)

    return convert


def _marks(node: YNode) -> tuple[str, ...]:
    items = as_list(node)
    out = []
    choice = as_choice((*MARKS, "color-bars"), "mark")
    for item in items:
        mark = choice(item)
        mark = "colour-bars" if mark == "color-bars" else mark
        if mark not in out:
            out.append(mark)
    return tuple(out)
