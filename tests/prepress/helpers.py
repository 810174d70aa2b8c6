"""Small real inputs for prepress and check tests: a Report, test photos, PDFs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw

from report_builder.definition.model import Edition, Grid, Output, Paper, Report, Style
from report_builder.units import MM

WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


def make_report(tmp: Path, **output: object) -> Report:
    """A minimal valid Report (A4-ish page) whose output settings can be overridden."""
    paper = Paper(
        width=210 * MM,
        height=297 * MM,
        margin_top=15 * MM,
        margin_bottom=15 * MM,
        margin_inside=12 * MM,
        margin_outside=12 * MM,
    )
    grid = Grid(columns=6, column_width=26 * MM, gutter=4 * MM, line_pitch=13.5, lines=56)
    out = replace(Output(), **output) if output else Output()
    return Report(
        source=tmp / "report.yaml",
        base_dir=tmp,
        edition=Edition(
            id="test-edition",
            title="湖南工会五年巡礼",
            publication="工人日报",
            date="2023-08-01",
        ),
        paper=paper,
        grid=grid,
        styles={"body": Style(name="body")},
        pages=(),
        output=out,
    )


def photo(size: tuple[int, int] = (600, 400), mode: str = "RGB") -> Image.Image:
    """A colourful test picture: red left, green middle, blue right, a grey ramp below."""
    w, h = size
    im = Image.new("RGB", size, (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, w // 3, h // 2), fill=(220, 30, 30))
    d.rectangle((w // 3, 0, 2 * w // 3, h // 2), fill=(30, 180, 60))
    d.rectangle((2 * w // 3, 0, w, h // 2), fill=(30, 60, 200))
    for x in range(w):
        v = round(255 * x / (w - 1))
        d.line((x, h // 2, x, h), fill=(v, v, v))
    d.rectangle((0, 0, 20, 20), fill=(0, 0, 0))  # a black marker in the top-left corner
    return im if mode == "RGB" else im.convert(mode)


def make_pdf(
    path: Path,
    report: Report,
    *,
    image: Path | None = None,
    image_frame: tuple[float, float, float, float] = (40.0, 400.0, 300.0, 200.0),
    extra: object = None,
    initial_font: bool = True,
    finish: bytes | None = None,
) -> Path:
    """A one-page PDF drawn the way the renderer does: boxes, marks, then trim coordinates.

    ``extra(canvas)`` may draw more (in trim coordinates) to provoke a check.
    ``finish``: finish the document for print before saving, as the build does,
    with this content digest.
    """
    from reportlab.lib.colors import CMYKColor
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas as rl_canvas

    from report_builder.prepress.geometry import PageGeometry, apply_boxes, to_trim
    from report_builder.prepress.marks import draw_marks

    if "WenKai" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WenKai", str(WENKAI)))
    g = PageGeometry.for_report(report)
    kwargs = {"initialFontName": "WenKai"} if initial_font else {}
    c = rl_canvas.Canvas(str(path), pagesize=g.media_size, invariant=1, **kwargs)
    apply_boxes(c, g)
    draw_marks(c, g, report.output.marks, label=f"{report.edition.id}  1", font_name="WenKai")
    c.saveState()
    to_trim(c, g)
    c.setFillColor(CMYKColor(0, 0, 0, 1))
    c.setFont("WenKai", 9)
    c.drawString(40, 700, "工会工作五年巡礼：职工之家建设")
    c.setFillColor(CMYKColor(0.1, 0.05, 0, 0))
    c.rect(40, 620, 200, 40, stroke=0, fill=1)
    if image is not None:
        x, y, w, h = image_frame
        c.drawImage(str(image), x, y, w, h)
    if extra is not None:
        extra(c)  # type: ignore[operator]
    c.restoreState()
    c.showPage()
    if finish is not None:
        from report_builder.prepress.pdfx import finish_document

        finish_document(c, report, finish)
    c.save()
    return path
