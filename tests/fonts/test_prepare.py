"""invoke fonts: reproducible output, the SC member found by name, the lock and --check."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from fontTools.ttLib import TTFont

from report_builder.fonts import prepare
from report_builder.fonts.repertoire import Repertoire, build_repertoire, gb2312_chars

HEI = next(s for s in prepare.SPECS if (s.role, s.weight) == ("hei", "regular"))
KAI = next(s for s in prepare.SPECS if (s.role, s.weight) == ("kai", "regular"))
TINY = "中国梦·劳动美，。“”（）ABCabc123◆①"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_is_deterministic_and_picks_the_sc_member(tmp_path: Path) -> None:
    a = prepare.build_face(HEI, TINY, tmp_path / "a")
    b = prepare.build_face(HEI, TINY, tmp_path / "b")
    for key in ("sha256", "metrics_sha256", "size"):
        assert a[key] == b[key]
    assert _sha(tmp_path / "a" / a["file"]) == _sha(tmp_path / "b" / b["file"]) == a["sha256"]
    assert a["source"]["member"] == "Noto Sans CJK SC"
    assert a["source"]["postscript_name"] == "NotoSansCJKsc-Regular"
    font = TTFont(tmp_path / "a" / a["file"])
    assert set(font.getBestCmap()) == {ord(c) for c in TINY}
    assert "glyf" in font and "CFF " not in font and "GSUB" not in font
    # ReportLab, which rejects the CFF source, reads the result
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    rl = RLFont("tiny-hei", str(tmp_path / "a" / a["file"]))
    assert rl.face.charWidths[ord("中")] == 1000


def test_member_not_found_is_a_clear_error(tmp_path: Path) -> None:
    from report_builder.fonts.convert import FontSourceError

    bad = replace(HEI, member="Noto Sans CJK XX")
    try:
        prepare.build_face(bad, TINY, tmp_path)
    except FontSourceError as exc:
        assert "Noto Sans CJK XX" in str(exc) and "Noto Sans CJK SC" in str(exc)
    else:
        raise AssertionError("expected FontSourceError")


def test_lock_and_check(tmp_path: Path, capsys) -> None:
    out = tmp_path / "fonts"
    rep = Repertoire(frozenset(TINY), ())
    lock = prepare.build_all(out, tmp_path, specs=(KAI,), jobs=1, repertoire=rep)
    on_disk = json.loads((out / "fonts.lock").read_text(encoding="utf-8"))
    assert on_disk["faces"] == lock["faces"]
    (face,) = on_disk["faces"]
    assert face["source"]["package"] == "fonts-lxgw-wenkai"
    assert face["source"]["package_version"] not in ("", None)
    assert len(face["source"]["sha256"]) == 64
    assert face["glyphs"] == len(TINY) + 1  # + .notdef
    assert "LXGW" in (out / "NOTICE.txt").read_text(encoding="utf-8")  # copyright kept
    assert prepare.check(out) == []
    assert prepare.main(["--check", "--out", str(out), "--root", str(tmp_path)]) == 0
    # a changed byte is caught
    font_path = out / face["file"]
    data = bytearray(font_path.read_bytes())
    data[-1] ^= 0xFF
    font_path.write_bytes(bytes(data))
    problems = prepare.check(out)
    assert len(problems) == 1 and "SHA-256 differs" in problems[0]
    assert prepare.main(["--check", "--out", str(out)]) == 1
    assert "SHA-256 differs" in capsys.readouterr().err
    font_path.unlink()
    assert "missing" in prepare.check(out)[0]


def test_repertoire_includes_edition_characters(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text("title: 䶮字测试\n", encoding="utf-8")
    (tmp_path / "editions" / "x").mkdir(parents=True)
    (tmp_path / "editions" / "x" / "report.yaml").write_text("t: 𠮷\u200b\n", encoding="utf-8")
    rep = build_repertoire(tmp_path)
    assert {"䶮", "𠮷", "·", "◆", "①", "\u3000"} <= rep.chars
    assert "\u200b" not in rep.chars and "\n" not in rep.chars
    assert gb2312_chars() <= rep.chars
    assert rep.sources == ("report.yaml", "editions/x/report.yaml")
