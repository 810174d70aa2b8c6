"""Roles, weights and fallback chains; an editor's own faces; faces that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont

from report_builder.definition.model import FontDecl
from report_builder.errors import SourcePos
from report_builder.fonts.registry import FontRegistry

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SHIPPED_KAI = Path(__file__).resolve().parents[2] / "assets/fonts/WenKaiRB-Regular.ttf"


def test_roles_and_weights(shipped: FontRegistry) -> None:
    assert shipped.face("song").name == "NotoSerifCJKscRB-Regular"
    assert shipped.face("song", "bold").name == "NotoSerifCJKscRB-Bold"
    assert shipped.face("hei", "bold").name == "NotoSansCJKscRB-Bold"
    assert shipped.face("kai").name == "WenKaiRB-Regular"
    # nearest available weight
    assert shipped.face("hei", "black").weight == "bold"
    assert shipped.face("hei", "light").weight == "regular"
    assert shipped.face("song", "semibold").weight == "bold"
    assert shipped.face("song", "500").weight == "regular"
    # fangsong has no face of its own: Kai stands in
    assert shipped.face("fangsong").name == "WenKaiRB-Regular"


def test_chains_and_fallback_for_a_missing_char(shipped: FontRegistry) -> None:
    assert [f.role for f in shipped.chain("song")] == ["song", "hei", "kai"]
    assert [f.role for f in shipped.chain("kai", "bold")] == ["kai", "song", "hei"]
    assert all(f.weight == "bold" for f in shipped.chain("kai", "bold"))
    # U+301A 〚 is in Noto but not in WenKai: a kai text falls back to song
    assert not shipped.face("kai").has("〚")
    assert shipped.face_for_char("kai", "regular", "〚").role == "song"
    assert shipped.face_for_char("song", "regular", "䶮") is None
    assert shipped.face_for_char("song", "regular", "中").name == "NotoSerifCJKscRB-Regular"


def test_metrics_are_em_fractions(shipped: FontRegistry) -> None:
    song = shipped.face("song")
    assert song.advance("中") == 1.0
    assert 0.2 < song.advance("a") < 0.7
    assert song.ascent == 0.88 and song.descent == 0.12
    assert len(song.sha256) == 64 and Path(song.path).is_file()


def _decl(path: Path, role: str = "song", weight: str = "regular") -> FontDecl:
    return FontDecl(role, weight, path, pos=SourcePos("report.yaml", 42, 7))


def _small_otf(path: Path, text: str) -> Path:
    """A real CFF OpenType face, cut from Noto Sans CJK SC (as an editor's OTF would be)."""
    font = TTFont(NOTO_SANS, fontNumber=2)
    sub = Subsetter(Options())
    sub.populate(text=text)
    sub.subset(font)
    font.save(path)
    return path


def test_editor_otf_is_converted_cached_and_preferred(make_report, tmp_path: Path) -> None:
    otf = _small_otf(tmp_path / "MyHei.otf", "䶮中国")
    report = make_report([("正文", 40)], fonts=(_decl(otf, "song"),))
    reg = FontRegistry.for_report(report)
    assert not reg.diagnostics
    own = reg.face("song")
    assert own.path.endswith(".ttf") and own.path != str(otf)  # converted copy
    assert Path(own.path).parent == tmp_path / "out" / ".cache" / "fonts"
    assert own.has("䶮") and not own.has("劳")
    # the editor's face first, then the shipped Song, then the other roles
    assert [f.name for f in reg.chain("song")][1] == "NotoSerifCJKscRB-Regular"
    assert reg.face_for_char("song", "regular", "劳").name == "NotoSerifCJKscRB-Regular"
    # a second registry reuses the cache (no new conversion) and gives equal metrics
    again = FontRegistry.for_report(report).face("song")
    assert again.advances == own.advances and again.path == own.path
    # and ReportLab can embed it
    reg.register_reportlab([own])
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(own.name).face.charWidths[ord("䶮")] == 1000


def test_missing_and_corrupt_font_files(make_report, tmp_path: Path) -> None:
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"\x00\x01\x00\x00" + b"nonsense" * 10)
    report = make_report(
        [("正文", 40)],
        fonts=(_decl(tmp_path / "nowhere.ttf"), _decl(junk, "kai")),
    )
    reg = FontRegistry.for_report(report)
    msgs = [d.format() for d in reg.diagnostics]
    assert len(msgs) == 2
    assert msgs[0].startswith("report.yaml:42:7: fonts[0].path: font file not found")
    assert msgs[1].startswith("report.yaml:42:7: fonts[1].path: ")
    assert "not a readable font" in msgs[1]
    # the shipped faces still serve
    assert reg.face("kai").name == "WenKaiRB-Regular"


def test_restricted_embedding_is_refused(make_report, tmp_path: Path) -> None:
    font = TTFont(SHIPPED_KAI)
    sub = Subsetter(Options())
    sub.populate(text="中国")
    sub.subset(font)
    font["OS/2"].fsType = 0x0002
    restricted = tmp_path / "Restricted.ttf"
    font.save(restricted)
    reg = FontRegistry.for_report(make_report([("正文", 40)], fonts=(_decl(restricted),)))
    (diag,) = reg.diagnostics
    assert "forbids embedding" in diag.message and "0x0002" in diag.message
    assert str(diag.pos) == "report.yaml:42:7"


def test_editor_ttf_is_used_in_place(make_report, tmp_path: Path) -> None:
    font = TTFont(SHIPPED_KAI)
    sub = Subsetter(Options())
    sub.populate(text="长沙湘江")
    sub.subset(font)
    ttf = tmp_path / "MyKai.ttf"
    font.save(ttf)
    reg = FontRegistry.for_report(make_report([("正文", 40)], fonts=(_decl(ttf, "kai", "bold"),)))
    own = reg.face("kai", "bold")
    assert own.path == str(ttf.resolve()) and own.role == "kai" and own.weight == "bold"
    assert own.has("湘") and not own.has("中")
    assert reg.face_for_char("kai", "bold", "中").name == "WenKaiRB-Bold"
    assert own in reg.faces


def test_register_reportlab_is_idempotent(shipped: FontRegistry, tmp_path) -> None:
    from reportlab.pdfbase import pdfmetrics

    reg = FontRegistry(shipped.faces, shipped.aliases, cache_dir=tmp_path)
    faces = [reg.face("song"), reg.face("hei", "bold")]
    reg.register_reportlab(faces)
    before = [pdfmetrics.getFont(f.name) for f in faces]
    reg.register_reportlab(faces)
    assert [pdfmetrics.getFont(f.name) for f in faces] == before


@pytest.mark.parametrize("role", ["song", "hei", "kai", "fangsong"])
def test_every_role_has_a_face(shipped: FontRegistry, role: str) -> None:
    assert shipped.face(role, "regular").has("中")
    assert shipped.face(role, "bold").has("中")
