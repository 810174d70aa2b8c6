"""``invoke fonts``: rebuild assets/fonts/ from the Debian font packages, reproducibly.

Each shipped face is the Simplified-Chinese member of a Debian font, cut to the
repertoire (see repertoire.py), converted to glyf outlines, renamed with an "RB"
suffix and written beside a metrics cache. fonts.lock records source and output
SHA-256s so ``invoke fonts --check`` can tell whether assets/fonts is what this
script makes. One face per process: the Noto faces take ~10 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..hashing import sha256_file

if TYPE_CHECKING:
    from .repertoire import Repertoire

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "assets" / "fonts"
LOCK_NAME = "fonts.lock"
CONTENT_DIRS = (
    ROOT.parent / "shared" / "content",
)  # the team's shared source texts, if beside the repo
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")

# Roles with no face of their own, and the role that stands in for them.
# No free FangSong (仿宋) face is packaged in Debian main; Kai is its nearest relative.
ROLE_ALIASES = {"fangsong": "kai"}


@dataclass(frozen=True)
class FaceSpec:
    role: str
    weight: str
    source: str
    member: str | None  # family name (name ID 1) of the .ttc member; None for a .ttf
    package: str
    family: str  # family name of the derivative
    ps_family: str  # PostScript family of the derivative (file name stem)


SPECS: tuple[FaceSpec, ...] = (
    FaceSpec(
        "song",
        "regular",
        str(NOTO / "NotoSerifCJK-Regular.ttc"),
        "Noto Serif CJK SC",
        "fonts-noto-cjk",
        "Noto Serif CJK SC RB",
        "NotoSerifCJKscRB",
    ),
    FaceSpec(
        "song",
        "bold",
        str(NOTO / "NotoSerifCJK-Bold.ttc"),
        "Noto Serif CJK SC",
        "fonts-noto-cjk",
        "Noto Serif CJK SC RB",
        "NotoSerifCJKscRB",
    ),
    FaceSpec(
        "hei",
        "regular",
        str(NOTO / "NotoSansCJK-Regular.ttc"),
        "Noto Sans CJK SC",
        "fonts-noto-cjk",
        "Noto Sans CJK SC RB",
        "NotoSansCJKscRB",
    ),
    FaceSpec(
        "hei",
        "bold",
        str(NOTO / "NotoSansCJK-Bold.ttc"),
        "Noto Sans CJK SC",
        "fonts-noto-cjk",
        "Noto Sans CJK SC RB",
        "NotoSansCJKscRB",
    ),
    # "LXGW" and "霞鹜" are Reserved Font Names: a modified copy must not carry them.
    FaceSpec(
        "kai",
        "regular",
        str(WENKAI / "LXGWWenKai-Regular.ttf"),
        None,
        "fonts-lxgw-wenkai",
        "WenKai RB",
        "WenKaiRB",
    ),
    FaceSpec(
        "kai",
        "bold",
        str(WENKAI / "LXGWWenKai-Bold.ttf"),
        None,
        "fonts-lxgw-wenkai",
        "WenKai RB",
        "WenKaiRB",
    ),
)


def package_version(package: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def build_face(spec: FaceSpec, chars: str, out_dir: Path) -> dict[str, Any]:
    """Make one shipped face and its metrics cache in ``out_dir``; return its lock entry."""
    from fontTools import version as fonttools_version

    from . import convert, metrics_cache

    t0 = time.perf_counter()
    source = Path(spec.source)
    index = convert.collection_index(source, spec.member) if spec.member else 0
    font = convert.open_face(source, index)
    orig_ps = font["name"].getDebugName(6) or source.stem
    ascent, descent = convert.em_box(font)
    convert.subset(font, chars)
    convert.cff_to_glyf(font)
    convert.finish_tables(font)
    note = (
        f"Derived from {orig_ps} ({source.name}, Debian {spec.package}): cut to GB 2312 and "
        "the report_builder editions, layout tables and hints dropped, CFF converted to "
        "TrueType outlines (cu2qu, max_err 1.0). Built by report_builder `invoke fonts`."
    )
    ps_name = convert.rename(font, spec.family, spec.ps_family, note)
    data = convert.to_bytes(font)
    import hashlib
    import io

    from fontTools.ttLib import TTFont

    sha = hashlib.sha256(data).hexdigest()
    built = TTFont(io.BytesIO(data), lazy=False)
    fs_type = built["OS/2"].fsType
    out_dir.mkdir(parents=True, exist_ok=True)
    font_file = out_dir / f"{ps_name}.ttf"
    metrics_file = out_dir / f"{ps_name}.metrics.json"
    record = metrics_cache.metrics_record(
        built,
        name=ps_name,
        family=spec.family,
        role=spec.role,
        weight=spec.weight,
        file=font_file.name,
        sha256=sha,
        size=len(data),
        ascent=round(ascent, 6),
        descent=round(descent, 6),
    )
    metrics_data = metrics_cache.dump(record)
    _write_atomic(font_file, data)
    _write_atomic(metrics_file, metrics_data)
    return {
        "role": spec.role,
        "weight": spec.weight,
        "name": ps_name,
        "family": spec.family,
        "file": font_file.name,
        "metrics": metrics_file.name,
        "sha256": sha,
        "metrics_sha256": hashlib.sha256(metrics_data).hexdigest(),
        "size": len(data),
        "glyphs": record["glyphs"],
        "characters": sum(len(s) for s in record["advances"].values()),
        "fs_type": fs_type,
        "source": {
            "path": str(source),
            "member": spec.member,
            "index": index,
            "postscript_name": orig_ps,
            "package": spec.package,
            "package_version": package_version(spec.package),
            "sha256": sha256_file(source),
        },
        "fonttools": fonttools_version,
        "notices": {
            "copyright": built["name"].getDebugName(0),
            "trademark": built["name"].getDebugName(7),
            "license": built["name"].getDebugName(13),
            "license_url": built["name"].getDebugName(14),
        },
        "_seconds": round(time.perf_counter() - t0, 2),
    }


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _build_one(job: tuple[FaceSpec, str, str]) -> dict[str, Any]:
    spec, chars, out_dir = job
    return build_face(spec, chars, Path(out_dir))


def build_all(
    out_dir: Path = ASSETS,
    root: Path = ROOT,
    specs: tuple[FaceSpec, ...] = SPECS,
    jobs: int = 0,
    repertoire: Repertoire | None = None,
) -> dict[str, Any]:
    """Build every face in parallel and write fonts.lock; return the lock content."""
    from .repertoire import build_repertoire

    rep = repertoire or build_repertoire(root, CONTENT_DIRS)
    chars = "".join(sorted(rep.chars))
    # Noto faces first: they are the slow ones, so the pool ends evenly.
    order = sorted(specs, key=lambda s: s.member is None)
    work = [(s, chars, str(out_dir)) for s in order]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) == 1:
        entries = [_build_one(w) for w in work]
    else:
        with get_context("fork").Pool(min(jobs, len(work))) as pool:
            entries = list(pool.imap_unordered(_build_one, work, chunksize=1))
    for e in sorted(entries, key=lambda e: e["file"]):
        secs = e.pop("_seconds")
        print(f"  {e['file']}: {e['size'] / 1e6:.2f} MB, {e['glyphs']} glyphs, {secs} s")
    entries.sort(key=lambda e: (e["role"], e["weight"]))
    lock = {
        "about": "Shipped faces and where they come from; written by `invoke fonts`, "
        "verified by `invoke fonts --check`.",
        "role_aliases": ROLE_ALIASES,
        "repertoire": {
            "characters": len(rep.chars),
            "sha256": rep.sha256,
            "base": "GB 2312 + ASCII + Latin-1 + punctuation and symbol ranges (repertoire.py)",
            "sources": list(rep.sources),
        },
        "faces": entries,
    }
    _write_atomic(out_dir / LOCK_NAME, dump_lock(lock))
    _write_atomic(out_dir / "NOTICE.txt", notices(entries).encode("utf-8"))
    _remove_stale(out_dir, {e["file"] for e in entries} | {e["metrics"] for e in entries})
    return lock


def notices(entries: list[dict[str, Any]]) -> str:
    """The copyright and trademark notices (name IDs 0 and 7) of every shipped face."""
    out = [
        "Notices carried by the shipped faces (name IDs 0, 7, 13, 14); licence text: OFL.txt.",
        "",
    ]
    for e in entries:
        n = e["notices"]
        out.append(f"{e['file']} ({e['family']}, from {e['source']['postscript_name']}):")
        out += [
            f"  {line}"
            for key in ("copyright", "trademark")
            for line in (n[key] or "").splitlines()
        ]
        out.append(f"  Licence: {n['license_url'] or 'SIL Open Font License 1.1'}")
        out.append("")
    return "\n".join(out)


def dump_lock(lock: dict[str, Any]) -> bytes:
    return (json.dumps(lock, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    for path in sorted(out_dir.glob("*.ttf")) + sorted(out_dir.glob("*.metrics.json")):
        if path.name not in keep:
            path.unlink()


def check(out_dir: Path = ASSETS, root: Path = ROOT) -> list[str]:
    """Problems with assets/fonts against fonts.lock; empty when everything matches."""

    lock_path = out_dir / LOCK_NAME
    if not lock_path.is_file():
        return [f"{lock_path}: missing; run `invoke fonts` to build the fonts"]
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
        faces = lock["faces"]
    except (ValueError, KeyError) as exc:
        return [f"{lock_path}: not a valid lock file ({exc}); run `invoke fonts`"]
    problems = []
    for face in faces:
        for key, sha_key in (("file", "sha256"), ("metrics", "metrics_sha256")):
            path = out_dir / face[key]
            if not path.is_file():
                problems.append(f"{path}: missing (listed in {LOCK_NAME}); run `invoke fonts`")
            elif sha256_file(path) != face[sha_key]:
                problems.append(
                    f"{path}: SHA-256 differs from {LOCK_NAME}; the file was changed by hand "
                    "or the lock is stale; run `invoke fonts`"
                )
    return problems


def _repertoire_note(lock: dict[str, Any], root: Path) -> str | None:
    from .repertoire import build_repertoire

    rep = build_repertoire(root, CONTENT_DIRS)
    if rep.sha256 != lock.get("repertoire", {}).get("sha256"):
        return (
            "note: the editions now use characters the shipped faces were not cut for; "
            "`invoke fonts` would add them (the build's coverage check reports any that matter)"
        )
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke fonts", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="verify assets/fonts against fonts.lock"
    )
    parser.add_argument("--out", type=Path, default=ASSETS, help="output folder (assets/fonts)")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (for editions)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: cores)")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if args.check:
        problems = check(args.out, args.root)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            return 1
        lock = json.loads((args.out / LOCK_NAME).read_text(encoding="utf-8"))
        note = _repertoire_note(lock, args.root)
        if note:
            print(note)
        print(f"{args.out}: {len(lock['faces'])} faces match {LOCK_NAME}")
        return 0
    from .convert import FontSourceError

    missing = [s.source for s in SPECS if not Path(s.source).is_file()]
    if missing:
        print(
            "missing source fonts: " + ", ".join(missing) + "\n"
            "install them with: apt-get install fonts-noto-cjk fonts-lxgw-wenkai",
            file=sys.stderr,
        )
        return 1
    t0 = time.perf_counter()
    print(f"building {len(SPECS)} faces into {args.out} …")
    try:
        lock = build_all(args.out, args.root, jobs=args.jobs)
    except FontSourceError as exc:
        print(f"invoke fonts: {exc}", file=sys.stderr)
        return 1
    total = sum(f["size"] for f in lock["faces"])
    print(
        f"wrote {len(lock['faces'])} faces ({total / 1e6:.1f} MB) and {LOCK_NAME} "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return 0


__all__ = ["SPECS", "FaceSpec", "build_all", "build_face", "check", "main"]

if __name__ == "__main__":
    sys.exit(main())
