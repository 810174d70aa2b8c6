"""Digests for the manifest: remembered by file identity, and the PDF's taken on a thread."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from report_builder import hashing


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_digests_are_remembered_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.jpg", tmp_path / "b.yaml"
    a.write_bytes(b"photo" * 1000)
    b.write_text("edition: {}\n", encoding="utf-8")
    index = tmp_path / "cache" / "e.inputs.sha256.json"
    first = hashing.sha256_files([a, b], index)
    assert first == {a: _sha(a), b: _sha(b)}
    assert sorted(json.loads(index.read_text(encoding="utf-8")).values()) == sorted(first.values())

    read: list[Path] = []
    real = hashing.sha256_file

    def counting(path: Path) -> str:
        read.append(path)
        return real(path)

    monkeypatch.setattr(hashing, "sha256_file", counting)
    assert hashing.sha256_files([a, b], index) == first
    assert read == []  # both known by their identity: nothing read again

    # same size, same modification time, other bytes: the change time gives it away
    st = a.stat()
    a.write_bytes(b"PHOTO" * 1000)
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = hashing.sha256_files([a, b], index)
    assert read == [a] and again[a] == _sha(a) != first[a]


def test_an_unreadable_index_only_costs_a_rehash(tmp_path: Path) -> None:
    a = tmp_path / "a.jpg"
    a.write_bytes(b"x")
    index = tmp_path / "index.json"
    index.write_text("[not a mapping", encoding="utf-8")
    assert hashing.sha256_files([a], index) == {a: _sha(a)}
    assert hashing.sha256_files([a], None) == {a: _sha(a)}


def test_the_pdf_digest_is_taken_on_a_thread(tmp_path: Path) -> None:
    pdf = tmp_path / "e.pdf"
    pdf.write_bytes(os.urandom(3 << 20))
    assert hashing.sha256_file_soon(pdf)() == _sha(pdf)
    wait = hashing.sha256_file_soon(tmp_path / "missing.pdf")
    with pytest.raises(FileNotFoundError):
        wait()
