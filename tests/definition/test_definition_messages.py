"""Follow-ups of the bad-input corpus: messages that say more, and gaps that let bad input by.

A misspelt ``type:`` is named with its close match; a text of nothing but ``**``
markers is empty; length limits are shown in the unit the editor wrote (mm for
paper sizes); every broken image is found while report.yaml is checked, at the
line of its ``image:`` value.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from definition_helpers import Edition
from PIL import Image
from test_definition_validation import ARTICLE, at, doc, value_col

from report_builder.definition.images import check_image
from report_builder.definition.model import ArticleBlock, FigureBlock
from report_builder.definition.reader import Invalid

# ---- a misspelt type: ----------------------------------------------------------------------


def test_a_misspelt_type_is_named_with_its_close_match(edition: Edition) -> None:
    text = doc("{typ: article, " + at(1, 2, 1, 10) + ", txet: 正文。}")
    assert edition.problems(text) == [
        (
            5,
            9,
            "pages[0].blocks[0]",
            "missing required field 'type' (one of headline, article, figure, box, rule, flag)",
        ),
        (
            5,
            value_col(text, 5, "typ"),
            "pages[0].blocks[0]",
            "unknown field 'typ' (did you mean 'type'?)",
        ),
        (
            5,
            value_col(text, 5, "txet"),
            "pages[0].blocks[0]",
            "unknown field 'txet' (did you mean 'text'?)",
        ),
    ]


def test_fields_of_some_block_type_are_not_called_unknown_without_a_type(
    edition: Edition,
) -> None:
    """Without a type the block's own fields are not judged: only names no block knows."""
    text = doc("{" + at(1, 2, 1, 10) + ", image: a.jpg, main: 标题, text: 正文。}")
    (found,) = edition.problems(text)
    assert found[3].startswith("missing required field 'type'")


# ---- emphasis markers only ---------------------------------------------------------------


def test_an_article_of_only_emphasis_markers_is_empty(edition: Edition) -> None:
    text = doc("{type: article, " + at(1, 2, 1, 10) + ", text: '** **'}")
    assert edition.one(text) == (
        5,
        value_col(text, 5, "@text"),
        "pages[0].blocks[0]",
        "the article is empty: give it some text or remove the block",
    )


def test_a_marker_only_paragraph_beside_text_is_an_error(edition: Edition) -> None:
    block = "{type: article, " + at(1, 2, 1, 10) + ', text: "正文。\\n\\n****\\n\\n第二段。"}'
    assert edition.one(doc(block)) == (
        5,
        value_col(doc(block), 5, "****"),
        "pages[0].blocks[0].text",
        "empty paragraph: only ** emphasis markers; remove it or add text",
    )


@pytest.mark.parametrize(
    ("block", "field"),
    [
        ("{type: headline, " + at(1, 2, 1, 3) + ", main: '****'}", "main"),
        ("{type: headline, " + at(1, 2, 1, 3) + ", main: 标题, deck: '** **'}", "deck"),
        ("{type: flag, " + at(1, 1, 1, 10) + ", text: '****'}", "text"),
        ("{type: article, " + at(1, 2, 1, 10) + ", paragraphs: ['****']}", "paragraphs[0]"),
        ("{type: article, " + at(1, 2, 1, 10) + ", text: 正文, byline: '****'}", "byline"),
    ],
)
def test_display_and_running_texts_of_only_markers_are_empty(
    edition: Edition, block: str, field: str
) -> None:
    line, _, path, message = edition.one(doc(block))
    assert (line, path) == (5, f"pages[0].blocks[0].{field}")
    assert message == "empty text: only ** emphasis markers, nothing to print"


def test_emphasis_around_text_is_still_text(edition: Edition) -> None:
    text = doc("{type: article, " + at(1, 2, 1, 10) + ", text: '**重点**'}")
    (article,) = edition.load(text).pages[0].blocks
    assert isinstance(article, ArticleBlock)
    assert [p.text.text for p in article.paragraphs] == ["**重点**"]


# ---- lengths in the unit written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "path", "message"),
    [
        ("paper: {trim: [100mm, 20mm]}", "paper.trim", "must not be less than 50mm, got 20mm"),
        ("paper: {trim: [4cm, 550mm]}", "paper.trim", "must not be less than 5cm, got 4cm"),
        ("paper: {trim: [1in, 550mm]}", "paper.trim", "must not be less than 1.97in, got 1in"),
        (
            "paper: {trim: [100, 550mm]}",
            "paper.trim",
            "must not be less than 50mm, got 100 (a number without a unit is pt)",
        ),
        ("paper: {trim: [3000mm, 550mm]}", "paper.trim", "3000mm is too large (at most 2000mm)"),
        ("paper: {bleed: 25mm}", "paper.bleed", "25mm is too large (at most 20mm)"),
        (
            "paper: {bleed: 100}",
            "paper.bleed",
            "100 (a number without a unit is pt) is too large (at most 20mm)",
        ),
        ("paper: {margins: 60cm}", "paper.margins", "60cm is too large (at most 50cm)"),
        ("grid: {line_pitch: 0.2mm}", "grid.line_pitch", "must not be less than 0.35mm, got 0.2mm"),
        ("grid: {line_pitch: 0.5}", "grid.line_pitch", "must not be less than 1pt, got 0.5"),
        ("grid: {gutter: 100em}", "grid.gutter", "100em is too large (at most 62.99em)"),
        ("grid: {gutter: 300mm}", "grid.gutter", "300mm is too large (at most 200mm)"),
    ],
)
def test_length_limits_are_shown_in_the_unit_written(
    edition: Edition, top: str, path: str, message: str
) -> None:
    _, _, found_path, found = edition.one(doc(ARTICLE, top=top + "\n"))
    assert (found_path, found) == (path, message)
    assert "141.73" not in found


# ---- images checked before rendering ---------------------------------------------------------


def _jpeg(size: tuple[int, int] = (300, 200), **params: object) -> bytes:
    buf = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buf, "JPEG", **params)
    return buf.getvalue()


def _png(size: tuple[int, int] = (300, 200)) -> bytes:
    buf = io.BytesIO()
    Image.radial_gradient("L").resize(size).save(buf, "PNG")
    return buf.getvalue()


def _tiff(size: tuple[int, int] = (300, 200)) -> bytes:
    buf = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("CMYK").save(buf, "TIFF")
    return buf.getvalue()


def _figure(image: str, line: int) -> str:
    return "{type: figure, " + at(1, 2, 1 + 10 * line, 10) + f", image: {image}}}"


def test_every_bad_image_is_reported_at_its_image_value(edition: Edition) -> None:
    folder = edition.folder / "images"
    jpeg, png, tiff = _jpeg(), _png(), _tiff()
    files = {
        "good.jpg": jpeg,
        "good.png": png,
        "good.tif": tiff,
        "cut.jpg": jpeg[: len(jpeg) // 2],
        "cut.png": png[: len(png) * 2 // 3],
        "cut.tif": tiff[: len(tiff) // 2],
        "text.jpg": "不是图片".encode(),
        "empty.png": b"",
        "photo.bmp": b"",
    }
    Image.new("RGB", (20, 20)).save(folder / "photo.bmp", "BMP")
    for name, data in files.items():
        if name != "photo.bmp":
            (folder / name).write_bytes(data)
    names = list(files)
    text = doc(*(_figure(f"images/{n}", i) for i, n in enumerate(names)))
    found = edition.problems(text)
    bad = {
        "cut.jpg": "image file is truncated or corrupt: it ends without an end-of-image marker; "
        "was the copy cut short?",
        "cut.png": "image file is truncated or corrupt: it ends without its IEND chunk; "
        "was the copy cut short?",
        "cut.tif": "image file is truncated or corrupt: its image data reach byte",
        "text.jpg": "not an image Pillow can read (expected JPEG, PNG or TIFF)",
        "empty.png": "not an image Pillow can read (expected JPEG, PNG or TIFF)",
        "photo.bmp": "BMP images are not supported; use JPEG, PNG or TIFF",
    }
    assert len(found) == len(bad), found
    for (line, column, path, message), name in zip(found, bad, strict=True):
        k = names.index(name)
        assert (line, column, path) == (
            5 + k,
            value_col(text, 5 + k, "@image"),
            f"pages[0].blocks[{k}].image",
        )
        assert message.startswith(f"images/{name}: {bad[name]}"), message


def test_a_jpeg_with_data_after_its_end_marker_is_fine(edition: Edition) -> None:
    """Cameras append trailers after EOI; a thumbnail in EXIF has an EOI of its own."""
    thumb = _jpeg((40, 30))
    exif = Image.Exif()
    exif[0x010E] = "有缩略图"
    photo = _jpeg(exif=exif.tobytes())
    # splice a thumbnail-like APP segment (with its own FFD9) after SOI, and a trailer
    app = b"\xff\xe5" + (len(thumb) + 2).to_bytes(2, "big") + thumb
    data = photo[:2] + app + photo[2:] + b"SAMSUNG-TRAILER" * 100
    (edition.folder / "images" / "trailer.jpg").write_bytes(data)
    edition.load(doc(_figure("images/trailer.jpg", 0)))
    # and the same photo cut short is still caught, in spite of the thumbnail's FFD9
    (edition.folder / "images" / "cut.jpg").write_bytes(data[: len(app) + len(photo) // 2])
    (_, _, _, message) = edition.one(doc(_figure("images/cut.jpg", 0)))
    assert "end-of-image marker" in message


def test_a_file_that_only_looks_cut_short_is_decoded_to_be_sure(edition: Edition) -> None:
    """A missing end marker makes a file suspect; whether Pillow can decode it decides."""
    folder = edition.folder / "images"
    jpeg, png = _jpeg(), _png()
    assert jpeg.endswith(b"\xff\xd9") and png.endswith(b"IEND\xaeB`\x82")
    (folder / "padded.jpg").write_bytes(jpeg[:-2] + bytes(64))  # decodes
    (folder / "no-iend.png").write_bytes(png[:-12])  # decodes
    (folder / "no-eoi.jpg").write_bytes(jpeg[:-2])  # Pillow calls it truncated
    text = doc(*(_figure(f"images/{n}", i) for i, n in enumerate(["padded.jpg", "no-iend.png"])))
    edition.load(text)
    (_, _, _, message) = edition.one(doc(_figure("images/no-eoi.jpg", 0)))
    assert message.startswith("images/no-eoi.jpg: image file is truncated or corrupt")


def test_the_image_check_decodes_no_pixels_of_a_good_photo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A good photo costs a header read and one scan for two bytes, never a decode."""
    from PIL import ImageFile

    def no_decoding(self: object) -> None:
        raise AssertionError("the definition stage decoded pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    for name, data in (("p.jpg", _jpeg()), ("p.png", _png()), ("p.tif", _tiff())):
        (tmp_path / name).write_bytes(data)
        check_image(tmp_path / name, name)


def test_a_changed_image_is_looked_at_again(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(_jpeg())
    check_image(path, "photo.jpg")
    path.write_bytes(b"no longer a photo, and of another length")
    with pytest.raises(Invalid, match="not an image Pillow can read"):
        check_image(path, "photo.jpg")


def test_a_figure_keeps_the_place_of_its_image_value(edition: Edition) -> None:
    """Later stages point a problem with the file at the image: value, not the block."""
    text = doc(_figure("images/p5-forum.jpg", 0))
    (figure,) = edition.load(text).pages[0].blocks
    assert isinstance(figure, FigureBlock)
    assert (figure.image_pos.line, figure.image_pos.column) == (5, value_col(text, 5, "@image"))
    assert figure.image_pos != figure.pos
