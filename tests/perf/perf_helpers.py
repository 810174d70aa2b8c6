"""Helpers for the speed tests: builds in a fresh interpreter, synthetic editions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def build(report: Path, out: Path) -> subprocess.CompletedProcess:
    """``python -m report_builder`` in a fresh interpreter, as a user runs it."""
    env = dict(os.environ)
    env.pop("REPORT_BUILDER_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "report_builder", str(report), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, f"build of {report} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def edition_copy(
    folder: Path,
    name: str,
    *,
    pages: int = 2,
    edit: int = -1,
    ident: str = "",
    photos: bool = True,
) -> Path:
    """The default edition (its spread repeated to ``pages``) as ``folder/<name>.yaml``.

    ``edit`` ≥ 0 changes one character of one article (see bench._edit_one_article);
    ``ident`` renames the edition (its PDF is ``<ident>.pdf``); ``photos=False``
    drops the figures (a build without converting photos takes a second less).
    """
    from report_builder.bench import _synthetic

    made = _synthetic(ROOT / "report.yaml", pages, folder, name=name, edit=edit)
    target = folder / f"{name}.yaml"
    data = yaml.safe_load(made.read_text(encoding="utf-8"))
    if ident:
        data["edition"]["id"] = ident
    if not photos:
        for page in data["pages"]:
            page["blocks"] = [b for b in page.get("blocks", []) if b.get("type") != "figure"]
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if made != target:
        made.unlink()
    return target


def edition_id(report: Path) -> str:
    return yaml.safe_load(report.read_text(encoding="utf-8"))["edition"]["id"]
