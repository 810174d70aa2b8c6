"""The fast content walk gives the very page scans of the exact (pikepdf) walk.

Real PDFs: the default and the demo edition, every page. Hand-made content streams
hold the awkward cases one by one, and say whether the fast walk may read them
itself or must leave them to the exact walk.
"""

from __future__ import annotations

import functools
import hashlib
import json
import warnings
import zlib
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from report_builder.check import preflight
from report_builder.check.content import scan_page
from report_builder.check.fast import _TOKENS as TOKENS
from report_builder.check.reader import PdfReader, _FileJpegs
from report_builder.check.state import IDENTITY, PageScan

ROOT = Path(__file__).resolve().parents[2]


def _scans(source: pikepdf.Page | pikepdf.Pdf) -> tuple[PageScan, PageScan]:
    # a page of a hand-made Pdf: ``source`` keeps that Pdf alive while its page is read
    page = source.pages[0] if isinstance(source, pikepdf.Pdf) else source
    fast = scan_page(page, PdfReader())
    exact = scan_page(page, PdfReader(), fast=False)
    assert exact.exact_streams == 0  # the exact walk does not count itself
    # == takes -0.0 for 0.0; the JSON would not
    for scan in (fast, exact):
        scan.memo = {"keys": repr(sorted(scan.colours)) + repr(sorted(scan.text_sizes))}
    assert fast.memo == exact.memo
    return fast, exact


# ---------------------------------------------------------------- real editions


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory) -> Path:
    from report_builder.cli import build_pdf

    out = tmp_path_factory.mktemp("demo")
    return build_pdf(ROOT / "examples" / "demo" / "report.yaml", out).pdf


def _same_on_every_page(pdf: Path) -> None:
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            fast, exact = _scans(page)
            assert fast.exact_streams == 0  # ReportLab's streams are read by the fast walk
            assert fast == exact
            assert fast.text_runs > 100 and fast.colours and fast.images


def test_default_edition_scans_are_the_same(edition) -> None:
    _same_on_every_page(edition.pdf)


def test_demo_edition_scans_are_the_same(demo_pdf) -> None:
    _same_on_every_page(demo_pdf)


def test_preflight_report_is_the_same_with_the_exact_walk(edition, tmp_path, monkeypatch) -> None:
    from report_builder.definition import load_report

    report = load_report(ROOT / "report.yaml")
    fast = preflight.preflight(edition.pdf, report, None, json_path=tmp_path / "fast.json")
    monkeypatch.setattr(preflight, "scan_page", functools.partial(scan_page, fast=False))
    exact = preflight.preflight(edition.pdf, report, None, json_path=tmp_path / "exact.json")
    assert (tmp_path / "fast.json").read_bytes() == (tmp_path / "exact.json").read_bytes()
    assert fast.errors == exact.errors and fast.warnings == exact.warnings
    assert json.loads((tmp_path / "fast.json").read_text("utf-8"))["pages"][0]["text_runs"] > 100


# ---------------------------------------------------------------- hand-made streams


def _icc(pdf: pikepdf.Pdf, n: int) -> pikepdf.Stream:
    return pdf.make_stream(b"not read by the preflight", N=n)


def _pdf(content: bytes | list[bytes], form: bytes = b"0 0 0 1 k 0 0 1 1 re f") -> pikepdf.Pdf:
    """One page drawing ``content``, with graphics states, colour spaces, forms, an image."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    inner = pdf.make_stream(form, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 50, 50])
    inner.Matrix = Array([2, 0, 0, 2, 10, 10])
    inner.Resources = Dictionary(ExtGState=Dictionary(GS1=Dictionary(op=True)))
    slug = b"1 1 1 1 k BT /F1 4 Tf (slug) Tj ET"
    marks = pdf.make_stream(slug, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 9, 9])
    image = pdf.make_stream(
        bytes([0, 64, 128, 255] * 4),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=2,
        Height=2,
        ColorSpace=Name.DeviceCMYK,
        BitsPerComponent=8,
    )
    page = pdf.pages[0]
    page.obj.Resources = Dictionary(
        ExtGState=Dictionary(
            GS0=Dictionary(CA=1),
            GS1=Dictionary(op=True, OP=True),
            GS2=Dictionary(OP=False),
        ),
        ColorSpace=Dictionary(
            CS0=Array([Name.ICCBased, _icc(pdf, 4)]),
            CS1=Array([Name.ICCBased, _icc(pdf, 3)]),
            CS2=Name.DeviceRGB,
        ),
        XObject=Dictionary(Fm1=inner, Im1=image, RBPrintMarks1=marks),
    )
    if isinstance(content, list):
        page.obj.Contents = Array([pdf.make_stream(c) for c in content])
    else:
        page.obj.Contents = pdf.make_stream(content)
    return pdf


TEXT = b"""q 1 0 0 1 10 10 cm
/GS0 gs
BT
0 0 0 1 k
1 0 0 1 5 100 Tm
/F1 10.5 Tf
[(ab) -20 (c)] TJ
/F2 10.5 Tf
[(d)] TJ
0 0 0 1 k
1 0 0 1 5 88 Tm
/F1 10.5 Tf
[(e)] TJ
1 0 0 1 5 76 Tm
[(f) 5] TJ
0 1 1 .1 k
1 0 0 1 5 64 Tm
/F1 12 Tf
[(g)] TJ
0 -1 1 0 5 50 Tm
[(h)] TJ
0 1 1 .1 k
2 0 0 2 5 40 Tm
/F1 12 Tf
[(i)] TJ
ET
Q
"""

#: (name, content, the fast walk reads it itself)
CASES: list[tuple[str, bytes | list[bytes], bool]] = [
    ("text lines", TEXT, True),
    ("escaped parentheses and backslashes",
     b"BT /F1 9 Tf [(a\\(b) 5 (c\\)) (\\\\) (\\\\\\)) (x\ny) (\\053\\n)] TJ (T\\(T) Tj ET", True),
    ("nested parentheses", b"BT /F1 9 Tf (a(b)c) Tj ET", False),
    ("unbalanced parenthesis", b"BT /F1 9 Tf (a\\\\(b) Tj ET", False),
    ("inline image", b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \xff EI Q "
     b"BT /F1 9 Tf (a) Tj ET", False),
    ("hex strings", b"BT /F1 8 Tf <0102> Tj [<01 02> -5 <0A>] TJ <> Tj ET", True),
    ("q/Q nesting and cm",
     b"0.1 0.2 0.3 0.4 k 0 0 0 1 K q 2 0 0 2 0 0 cm 1 0 0 1 5 5 cm "
     b"q 0.5 0 0 0.5 0 0 cm 0 0 10 10 re f BT /F1 6 Tf (a) Tj ET Q 0 0 10 10 re S "
     b"BT /F1 6 Tf (b) Tj ET Q Q Q 0 0 10 10 re B BT /F1 6 Tf (c) Tj ET", True),
    ("forms, marks and an image",
     b"q 1 0 0 1 20 20 cm /Fm1 Do Q /RBPrintMarks1 Do q 40 0 0 30 5 5 cm /Im1 Do Q /Nope Do", True),
    ("RGB operators",
     b"1 0 0 rg 0 0 5 5 re f 0 1 0 RG 0 0 5 5 re S /CS1 cs 0.2 0.3 0.4 sc /CS2 CS 1 0 0 SC "
     b"0 0 5 5 re b 0.5 g 0.5 G 0 0 5 5 re b*", True),
    ("overprint", b"0 0 0 1 k BT /F1 9 Tf (a) Tj /GS1 gs (b) Tj /GS2 gs (c) Tj ET", True),
    ("ICC CMYK and patterns",
     b"/CS0 cs 0.6 0.6 0.6 1 scn BT /F1 9 Tf (a) Tj ET /Pattern cs /P0 scn 0 0 1 1 re f "
     b"/CS0 CS 0.1 0.2 0.3 0.4 SCN 0 0 1 1 re s", True),
    ("a comment", b"% a comment (with a parenthesis\n0 0 0 1 k BT /F1 9 Tf (a) Tj ET", False),
    ("marked content", b"/Span BMC BT /F1 9 Tf (a) Tj ET EMC", True),
    ("a dictionary operand", b"/Span <</MCID 0>> BDC BT /F1 9 Tf (a) Tj ET EMC", False),
    ("T in font names and strings",
     b"BT 0 0 0 1 k 1 0 0 1 5 5 Tm /FT1 9 Tf [(T) 3 (x)] TJ /F1 9 Tf [(aTb)] TJ [(c)] TJ "
     b"/F1 9 Tf [(d)] TJ [(a TJ b) 3 (TJ)] TJ [(e)] TJ /XTJ 9 Tf [(f)] TJ [(\\TJ)] TJ ET", True),
    ("quote operators", b"BT /F1 9 Tf 12 TL (a) ' 1 2 (b) \" T* ET", True),
    ("number forms", b"-0.0 0 +0 1. k 0 0 10 10 re f -0 .5 0 1 k BT /F1 5. Tf (a) Tj ET", True),
    ("a huge integer", b"BT /F1 9 Tf [(a) 12345678901234567890 (b)] TJ ET", False),
    ("contents in two streams", [b"0 0 0 1 k BT /F1 9 Tf (a) Tj", b"ET 0 0 1 1 re f"], False),
    ("an unknown operator", b"BT /F1 9 Tf (a) Tj ET foo", False),
    ("an unterminated string", b"BT /F1 9 Tf (abc Tj ET", False),
    ("font sizes written differently",
     b"BT /F1 10 Tf [(a)] TJ /F2 10.0 Tf [(b)] TJ /F1 10 Tf [(c)] TJ /F1 7 Tf [(d)] TJ ET", True),
    ("rules and frames",
     b"0 0 0 1 K .5 w n 1 2 m 3 4 l S 0 0 0 1 K 1 1 m 2 2 l S 1 1 m 2 2 l S 0 1 0 0 K 1 1 m S "
     b"0 0 0 1 K [2 1] 0 d 1 1 m 2 2 l S 0 0 0 .5 K /OC BMC 1 1 m 2 2 l S EMC 0 0 1 1 re s", True),
    ("lines in one colour and size, scaled apart",
     b"BT 0 0 0 1 k 1 0 0 1 5 50 Tm /F1 9 Tf [(a)] TJ 0 0 0 1 k 1 0 0 1 5 40 Tm /F1 9 Tf [(b)] TJ "
     b"0 0 0 1 k 2 0 0 2 5 30 Tm /F1 9 Tf [(c)] TJ 0 0 0 1 k 1 0 0 1 5 20 Tm [(d)] TJ ET", True),
    ("lines in one size, coloured apart",
     b"BT 0 0 0 1 k 1 0 0 1 5 50 Tm /F1 9 Tf [(a)] TJ 0 1 1 0 k 1 0 0 1 5 40 Tm /F1 9 Tf [(b)] TJ "
     b"0 1 1 0 k 1 0 0 1 5 30 Tm /F1 9 Tf [(c)] TJ ET", True),
    ("text without a font", b"BT 1 0 0 1 5 5 Tm [(a)] TJ ET", True),
    ("no white space between tokens", b"BT/F1 9 Tf[(a)-5(b)]TJ(c)Tj ET[]0 d", True),
]  # fmt: skip

STREAMS = {name: stream for name, stream, _ in CASES}


@pytest.mark.parametrize(("name", "stream", "fast_reads_it"), CASES, ids=[c[0] for c in CASES])
def test_hand_made_streams(name: str, stream: bytes | list[bytes], fast_reads_it: bool) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # qpdf's warning on the unterminated string
        fast, exact = _scans(_pdf(stream))
    assert fast.exact_streams == (0 if fast_reads_it else 1)
    assert fast == exact


def test_hand_made_numbers_are_right() -> None:
    """Both walks agreeing is not enough: what they agree on is what the page draws."""
    fast, exact = _scans(_pdf(TEXT))
    assert fast == exact
    assert fast.text_sizes == {10.5: 4, 12.0: 2, 24.0: 1}  # the last Tm doubles the size
    assert fast.text_runs == 7
    assert fast.colours == {(0.0, 0.0, 0.0, 1.0): 4, (0.0, 1.0, 1.0, 0.1): 3}
    assert fast.black_text_not_overprinted == 4 and fast.rich_black_text == 0

    over, _ = _scans(_pdf(STREAMS["overprint"]))  # overprint: only (b) is overprinted
    assert over.black_text_not_overprinted == 2 and over.text_runs == 3

    rgb, _ = _scans(_pdf(STREAMS["RGB operators"]))
    assert rgb.rgb_ops == 4

    form = b"0 0 0 1 k BT /F1 4 Tf (a) Tj ET"
    forms, _ = _scans(_pdf(STREAMS["forms, marks and an image"], form=form))
    assert forms.text_sizes == {8.0: 1}  # 4 pt under the form's 2× matrix; marks skipped
    [image] = forms.images
    assert image["placed_mm"] == [1.8, 1.8, 14.1, 10.6] and image["max_ink"] == round(447 / 255, 4)

    lines, _ = _scans(_pdf(STREAMS["lines in one colour and size, scaled apart"]))
    assert lines.text_sizes == {9.0: 3, 18.0: 1}

    colours, _ = _scans(_pdf(STREAMS["lines in one size, coloured apart"]))
    assert colours.colours == {(0.0, 0.0, 0.0, 1.0): 1, (0.0, 1.0, 1.0, 0.0): 2}

    tees, _ = _scans(_pdf(STREAMS["T in font names and strings"]))
    assert tees.text_runs == 8

    rules, _ = _scans(_pdf(STREAMS["rules and frames"]))
    black, green, grey = (0.0, 0.0, 0.0, 1.0), (0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.5)
    assert rules.colours == {black: 4, green: 1, grey: 2}

    icc, _ = _scans(_pdf(STREAMS["ICC CMYK and patterns"]))
    assert icc.rich_black_text == 1 and (0.6, 0.6, 0.6, 1.0) in icc.colours


def test_a_form_the_fast_walk_cannot_read_leaves_the_page_to_it() -> None:
    form = b"BI /W 1 /H 1 /CS /G /BPC 8 ID \xff EI 0 0 0 1 k BT /F1 4 Tf (a) Tj ET"
    fast, exact = _scans(_pdf(b"/Fm1 Do BT /F1 9 Tf (b) Tj ET", form=form))
    assert fast.exact_streams == 1  # the form only
    assert fast == exact and fast.text_sizes == {8.0: 1, 9.0: 1}


def test_the_token_groups_come_in_the_order_the_walk_unpacks() -> None:
    assert list(TOKENS.groupindex) == [
        "run", "fk", "tm", "fs", "strokes", "sk", "ops", "op", "bad"
    ]  # fmt: skip


def test_report_json_text_is_what_json_writes(edition) -> None:
    from report_builder.check import jsontext

    report = json.loads(edition.preflight_json.read_text("utf-8"))
    odd = {
        "text": 'quote " backslash \\ newline \n tab \t 中文 \u2028 \x00',
        "numbers": [0, -0.0, 1e-7, 1e22, 12345678901234567890, 0.1 + 0.2, True, None],
        "special": [float("nan"), float("inf"), -float("inf")],
        "empty": [{}, [], ""],
        "nested": {"b": [1, [2, {"z": 1, "a": (3, 4)}]], "a": {}},
    }
    for obj in (report, odd, [], "x", 1.5, {1: "int keys go to json"}):
        assert jsontext.dumps(obj) == json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})


@pytest.mark.parametrize(
    "raw",
    [zlib.compress(TEXT), zlib.compress(TEXT) + b"\n", zlib.compress(TEXT)[:-9], TEXT],
    ids=["flate", "flate and a line end", "truncated flate", "not flate at all"],
)
def test_content_read_ahead_is_what_pikepdf_decodes(raw: bytes) -> None:
    pdf = _pdf(b"")
    contents = pdf.pages[0].obj.Contents
    contents.write(raw, filter=Name.FlateDecode)
    reader = PdfReader()
    reader.read_ahead(pdf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            decoded = contents.read_bytes()
        except pikepdf.PdfError:
            decoded = None
        assert reader.content(pdf.pages[0].obj) == decoded
        fast, exact = _scans(pdf)
    assert fast == exact
    assert (fast.text_runs == 7) == (decoded == TEXT)


def test_read_ahead_on_the_default_edition(edition) -> None:
    with pikepdf.open(edition.pdf) as pdf:
        reader = PdfReader()
        reader.read_ahead(pdf)
        for page in pdf.pages:
            assert reader.content(page.obj) == page.obj.Contents.read_bytes()
            ahead = scan_page(page, reader)
            assert ahead.images and ahead == scan_page(page, PdfReader(), fast=False)


def _known_inks(monkeypatch, jpegs: list[bytes]) -> list[float]:
    """Have this process 'know' the ink of ``jpegs``, as a build that made them would."""
    from report_builder.prepress import images as prepress_images

    inks = [round(1 + i / 100, 4) for i in range(len(jpegs))]
    table = {hashlib.sha256(raw).hexdigest(): ink for raw, ink in zip(jpegs, inks, strict=True)}
    monkeypatch.setattr(prepress_images, "_KNOWN_INK", table)
    return inks


def test_jpegs_are_hashed_where_they_lie_in_the_file(edition, monkeypatch) -> None:
    with pikepdf.open(edition.pdf) as pdf:
        xobjects = [
            xo
            for page in pdf.pages
            for xo in page.obj.Resources.XObject.values()
            if xo.Subtype == Name.Image
        ]
        inks = _known_inks(monkeypatch, [xo.read_raw_bytes() for xo in xobjects])
        in_file = _FileJpegs.open(pdf, edition.pdf)
        assert in_file is not None
        assert [in_file.known_ink(in_file.find(xo)) for xo in xobjects] == inks
        in_file.close()
        reader = PdfReader()
        reader.read_ahead(pdf, edition.pdf)
        assert [reader.placed("/Im", xo, IDENTITY)["max_ink"] for xo in xobjects] == inks
        reader.close()


@pytest.mark.parametrize("odd", [False, True], ids=["plain dictionary", "a string in it"])
def test_a_jpeg_the_file_read_cannot_vouch_for_is_read_through_pikepdf(
    tmp_path, monkeypatch, odd: bool
) -> None:
    jpeg = b"\xff\xd8 not decoded: its ink is known \xff\xd9"
    pdf = _pdf(b"q 10 0 0 10 0 0 cm /Jp Do Q")
    image = pdf.make_stream(
        jpeg, Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
        ColorSpace=Name.DeviceCMYK, BitsPerComponent=8, Filter=Name.DCTDecode,
    )  # fmt: skip
    if odd:
        image.Note = pikepdf.String(">> stream\n")
    pdf.pages[0].obj.Resources.XObject.Jp = image
    path = tmp_path / "jpeg.pdf"
    pdf.save(path)
    [ink] = _known_inks(monkeypatch, [jpeg])
    with pikepdf.open(path) as doc:
        xo = doc.pages[0].obj.Resources.XObject.Jp
        in_file = _FileJpegs.open(doc, path)
        assert in_file is not None
        assert in_file.known_ink(in_file.find(xo)) == (None if odd else ink)
        in_file.close()
        reader = PdfReader()
        reader.read_ahead(doc, path)
        [placed] = scan_page(doc.pages[0], reader).images
        reader.close()
    assert placed["max_ink"] == ink


@pytest.mark.parametrize(
    "stream",
    [b"BT /F12 Tf (a) Tj ET", b"BT /F1 9 Tf 1 0 0 1 5 Tm (a) Tj ET"],
    ids=["a font without a size", "a text matrix of five numbers"],
)
def test_what_breaks_the_exact_walk_breaks_the_fast_one_too(stream: bytes) -> None:
    """Operands qpdf reads otherwise than the pattern could make it guess differently."""
    pdf = _pdf(stream)
    for fast in (True, False):
        with pytest.raises((IndexError, ValueError)):
            scan_page(pdf.pages[0], PdfReader(), fast=fast)


def test_odd_operand_counts_are_left_to_the_exact_walk() -> None:
    fast, exact = _scans(_pdf(b"1 0 0 k 0 0 1 1 re f 0.5 0.5 g 0 0 1 1 re f"))
    assert fast.exact_streams == 1 and fast == exact
