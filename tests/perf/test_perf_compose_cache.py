"""The composition cache: a rebuild from it gives the same bytes as a cold build."""

from __future__ import annotations

import hashlib
import marshal

import pytest
from perf_helpers import ROOT, build, edition_copy

from report_builder.definition import load_report
from report_builder.fonts.registry import FontRegistry
from report_builder.layout import layout_document, text
from report_builder.layout.model import TextLine


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rebuilds_from_the_cache_are_byte_identical_to_cold_builds(tmp_path) -> None:
    base = edition_copy(tmp_path, "base", ident="perf-cache")
    edited = edition_copy(tmp_path, "edited", edit=3, ident="perf-cache")
    out = tmp_path / "out"
    pdf = out / "perf-cache.pdf"
    cache = out / ".cache" / "compose" / "perf-cache.cache"

    build(base, out)  # cold: nothing cached
    assert cache.is_file()
    cold, stamp = _digest(pdf), cache.stat().st_mtime_ns
    build(base, out)  # every paragraph from the cache
    assert _digest(pdf) == cold
    assert cache.stat().st_mtime_ns == stamp  # nothing new, nothing written

    build(edited, out)  # one article recomposed, the rest from the cache
    cached_edit = _digest(pdf)
    assert cached_edit != cold
    assert cache.stat().st_mtime_ns != stamp
    cache.unlink()
    build(edited, out)  # the same edit, cold
    assert _digest(pdf) == cached_edit


def _layout(report_path, cache_dir, registry=None):
    report = load_report(report_path)
    registry = registry or FontRegistry.for_report(report, cache_dir=cache_dir / "fonts")
    before = dict(text.STATS)
    doc = layout_document(report, registry)
    return doc, {k: text.STATS[k] - before[k] for k in before}


def _lines(doc) -> list:
    items = [it for page in doc.pages for it in page.items]
    return [(it.x, it.y, it.glyphs) for it in items if isinstance(it, TextLine)]


def test_only_the_edited_article_is_composed_again(tmp_path) -> None:
    base = edition_copy(tmp_path, "base", ident="perf-unit")
    edited = edition_copy(tmp_path, "edited", edit=5, ident="perf-unit")
    cold, first = _layout(base, tmp_path)
    assert first["composed"] > 50 and first["disk"] == 0 and first["written"] == 1

    registry = FontRegistry.for_report(load_report(base), cache_dir=tmp_path / "fonts")
    warm, second = _layout(base, tmp_path, registry)
    assert second["composed"] == 0 and second["disk"] == first["composed"]
    assert second["written"] == 0
    assert _lines(warm) == _lines(cold)
    # glyphs from the cache hold the registry's own faces: the renderer compares them by identity
    faces = {f.name: f for f in registry.faces}
    assert all(g.face is faces[g.face.name] for _, _, gs in _lines(warm) for g in gs)

    changed, third = _layout(edited, tmp_path)
    assert 0 < third["composed"] <= 12  # the edited paragraph (and copyfit's tries of it)
    assert third["disk"] >= first["composed"] - 12
    fresh, _ = _layout(edited, tmp_path / "elsewhere")
    assert _lines(changed) == _lines(fresh)


def test_a_changed_composer_misses_everything(tmp_path, monkeypatch) -> None:
    base = edition_copy(tmp_path, "base", ident="perf-version")
    _, first = _layout(base, tmp_path)
    monkeypatch.setattr(text, "_CODE_VERSION", b"another composer")
    _, second = _layout(base, tmp_path)
    assert second["disk"] == 0 and second["composed"] == first["composed"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a cache"),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(text.CACHE_FORMAT + b"\x00garbage"),
        lambda p: p.write_bytes(b""),
    ],
)
def test_a_damaged_cache_is_composed_again(tmp_path, damage) -> None:
    base = edition_copy(tmp_path, "base", ident="perf-damage")
    cold, first = _layout(base, tmp_path)
    damage(tmp_path / "compose" / "perf-damage.cache")
    again, second = _layout(base, tmp_path)
    assert second["composed"] == first["composed"]
    assert _lines(again) == _lines(cold)


def test_no_disk_cache_without_a_cache_folder() -> None:
    report = load_report(ROOT / "report.yaml")
    ts = text.Typesetter(report, FontRegistry.shipped())
    assert ts._cache.path is None


def test_a_stored_paragraph_comes_back_value_for_value() -> None:
    """_flatten/_rebuild keep every glyph field: faces, sizes, colours, set widths, x."""
    from report_builder.compose import ComposeStyle, Span, compose_paragraph
    from report_builder.compose.model import ComposedParagraph, Line

    registry = FontRegistry.shipped()
    song, hei = registry.face("song"), registry.face("hei")
    spans = [
        Span("湖南省总工会“中国梦·劳动美”主题活动，", song, 9.0),
        Span("2023年全省1285万名职工", hei, 10.5, (0.0, 1.0, 0.0, 0.0)),
        Span("参加（含线上）。", song, 9.0),
    ]
    para = compose_paragraph(spans, 13 * 9.0, ComposeStyle(size=9.0))
    para = ComposedParagraph((*para.lines, Line((), 10.0, 0.0)), para.badness)  # an empty line
    assert any(g.width is not None for ln in para.lines for g in ln.glyphs)
    faces = {f.name: f for f in registry.faces}
    back = text._rebuild(marshal.loads(marshal.dumps(text._flatten(para))), faces)
    assert back == para
    assert [type(g) for ln in back.lines for g in ln.glyphs] == [
        type(g) for ln in para.lines for g in ln.glyphs
    ]
    assert all(g.face is faces[g.face.name] for ln in back.lines for g in ln.glyphs)


def test_an_entry_whose_face_is_gone_is_composed_again(tmp_path) -> None:
    base = edition_copy(tmp_path, "base", ident="perf-face", photos=False)
    _, first = _layout(base, tmp_path)
    path = tmp_path / "compose" / "perf-face.cache"
    entries = marshal.loads(path.read_bytes()[len(text.CACHE_FORMAT) :])
    key = next(iter(entries))
    badness, _names, lines = entries[key]
    entries[key] = (badness, ("no such face",), lines)
    path.write_bytes(text.CACHE_FORMAT + marshal.dumps(entries))
    _, second = _layout(base, tmp_path)
    assert second["composed"] == 1 and second["disk"] == first["composed"] - 1


def test_repeated_pages_are_laid_out_as_the_first_ones(tmp_path) -> None:
    """Pages 3-4 of a 4-page edition (the spread twice) come from the build's memo of
    compositions, slots and flows; they must equal pages 1-2 item for item."""
    four = edition_copy(tmp_path, "four", pages=4, photos=False)
    two = edition_copy(tmp_path, "two", pages=2, photos=False)
    doc, stats = _layout(four, tmp_path / "four")
    _, spread = _layout(two, tmp_path / "two")
    # the second spread is not composed again, only the folios that name pages 3 and 4
    assert stats["composed"] == spread["composed"] + 2

    def items(page):  # block ids differ (the copies are renamed), the folio names the page
        return [
            repr(it) if not isinstance(it, TextLine) else (it.x, it.y, it.glyphs, it.role)
            for it in page.items
            if getattr(it, "role", "") != "folio"
        ]

    assert items(doc.pages[2]) == items(doc.pages[0])
    assert items(doc.pages[3]) == items(doc.pages[1])
    assert len(
        {id(it.glyphs) for p in doc.pages for it in p.items if isinstance(it, TextLine)}
    ) < sum(isinstance(it, TextLine) for p in doc.pages for it in p.items)


def test_the_typesetter_answers_a_repeated_question_from_memory() -> None:
    report = load_report(ROOT / "report.yaml")
    ts = text.Typesetter(report, FontRegistry.shipped())
    body = ts.style(report.grid.body_style)
    first = ts.compose("湖南省总工会2023年工作报告。", body, 120.0)
    assert ts.compose("湖南省总工会2023年工作报告。", body, 120.0) is first
    assert ts.compose("湖南省总工会2023年工作报告。", body, 120.0, tracking=0.01) is not first
    narrow = ts.variant(body, align="center", indent=0.0)
    assert ts.variant(body, indent=0.0, align="center") is narrow
    assert narrow.align == "center" and narrow.indent == 0.0 and body.indent != 0.0
    assert ts.variant(body, align="right", indent=0.0) is not narrow
