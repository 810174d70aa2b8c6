"""Faces loaded from the ReportLab cache: the same data as a parse, read only when used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from report_builder.fonts import reportlab_cache
from report_builder.fonts.registry import FontRegistry
from report_builder.fonts.reportlab_cache import LAZY, CachedFace, load_ttfont


@pytest.fixture(scope="module")
def song(shipped: FontRegistry):
    return shipped.face("song", "regular")


def test_a_cached_face_reads_its_tables_and_file_only_when_used(song, tmp_path: Path) -> None:
    path = Path(song.path)
    parsed = TTFont("parsed", str(path))
    load_ttfont("first", path, song.sha256, cache_dir=tmp_path)  # parses, writes the pickle
    font = load_ttfont("second", path, song.sha256, cache_dir=tmp_path)
    face = font.face
    assert isinstance(face, CachedFace)
    assert not {*LAZY, "_ttf_data"} & set(vars(face))
    for name in LAZY:
        assert getattr(face, name) == getattr(parsed.face, name)
    for tag in ("head", "hhea", "maxp", "OS/2", "post", "name"):
        assert face.get_table(tag) == parsed.face.get_table(tag)
    assert face._ttf_data[:] == path.read_bytes()  # mapped, not read
    with pytest.raises(AttributeError):
        face.no_such_attribute  # noqa: B018


def test_a_subset_is_the_one_reportlab_makes(song, tmp_path: Path) -> None:
    path = Path(song.path)
    parsed = TTFont("parsed", str(path)).face
    face = load_ttfont("cached", path, song.sha256, cache_dir=tmp_path).face
    subset = [0, *map(ord, "中国梦劳动美湖南工会")]
    made = reportlab_cache.STATS["subsets_made"]
    assert face.makeSubset(subset) == parsed.makeSubset(subset)
    assert reportlab_cache.STATS["subsets_made"] == made + 1
    again = load_ttfont("again", path, song.sha256, cache_dir=tmp_path).face
    assert again.makeSubset(subset) == parsed.makeSubset(subset)  # from the subset cache
    assert "_ttf_data" not in vars(again)


def test_the_subset_cache_keeps_its_newest_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(reportlab_cache, "SUBSETS_LIMIT", 10)
    monkeypatch.setattr(reportlab_cache, "SUBSETS_KEEP", 6)
    for i in range(10):
        (tmp_path / f"{i:02}.subset").write_bytes(b"x")
        os.utime(tmp_path / f"{i:02}.subset", ns=(i * 10**9, i * 10**9))
    reportlab_cache._prune(tmp_path)
    assert len(list(tmp_path.iterdir())) == 10  # at the limit: nothing goes
    (tmp_path / "10.subset").write_bytes(b"x")
    reportlab_cache._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{i:02}.subset" for i in range(5, 11)]
