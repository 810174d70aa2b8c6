"""The preflight takes a photo's ink from the build that prepared it, and gets the same number."""

from __future__ import annotations

import io
import json

from perf_helpers import ROOT
from PIL import Image

from report_builder.definition import load_report
from report_builder.prepress import images, pixels


def _prepare(cache_dir):
    report = load_report(ROOT / "report.yaml")
    return images.prepare_image(
        ROOT / "assets" / "images" / "p1.jpg",
        160.0,
        110.0,
        fit="fill",
        focus=(0.5, 0.5),
        report=report,
        cache_dir=cache_dir,
    )


def test_known_ink_is_the_ink_measured_on_those_bytes(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(images, "_KNOWN_INK", {})
    prepared = _prepare(tmp_path)
    jpeg = prepared.path.read_bytes()
    decoded = pixels.max_total_ink(Image.open(io.BytesIO(jpeg)))
    assert images.known_max_ink(jpeg) == round(decoded, 4) == prepared.max_ink
    changed = bytearray(jpeg)
    changed[len(changed) // 2] ^= 0xFF
    assert images.known_max_ink(bytes(changed)) is None


def test_a_cache_hit_registers_the_ink_too(tmp_path, monkeypatch) -> None:
    first = _prepare(tmp_path)
    monkeypatch.setattr(images, "_KNOWN_INK", {})  # as in a new build process
    second = _prepare(tmp_path)
    assert second.path == first.path
    assert images.known_max_ink(second.path.read_bytes()) == first.max_ink


def test_an_entry_from_before_the_digest_gets_one(tmp_path, monkeypatch) -> None:
    prepared = _prepare(tmp_path)
    meta_path = prepared.path.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["jpeg_sha256"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    monkeypatch.setattr(images, "_KNOWN_INK", {})
    _prepare(tmp_path)
    assert "jpeg_sha256" in json.loads(meta_path.read_text(encoding="utf-8"))
    assert images.known_max_ink(prepared.path.read_bytes()) == prepared.max_ink


def test_bytes_no_build_prepared_are_unknown() -> None:
    assert images.known_max_ink(b"\xff\xd8 not prepared here") is None


def test_known_sources_spare_reading_the_originals(tmp_path, monkeypatch) -> None:
    """A new process takes an unchanged original's digest from the index, not the file."""
    import shutil

    import report_builder.hashing as hashing

    src = tmp_path / "p1.jpg"
    shutil.copy(ROOT / "assets" / "images" / "p1.jpg", src)
    cache = tmp_path / "cache"
    monkeypatch.setattr(images, "_SOURCE_SHA", {})
    images.know_sources([src, src, tmp_path / "missing.jpg"], cache)
    [(key, digest)] = images._SOURCE_SHA.items()
    assert key[0] == str(src) and digest == hashing.sha256_file(src)

    monkeypatch.setattr(images, "_SOURCE_SHA", {})  # as in the next build's process

    def no_reading(path):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(hashing, "sha256_file", no_reading)
    images.know_sources([src], cache)
    assert list(images._SOURCE_SHA.values()) == [digest]

    monkeypatch.undo()
    monkeypatch.setattr(images, "_SOURCE_SHA", {})
    src.write_bytes(src.read_bytes() + b"\0")  # a changed original is hashed again
    images.know_sources([src], cache)
    assert list(images._SOURCE_SHA.values()) == [hashing.sha256_file(src)] != [digest]
