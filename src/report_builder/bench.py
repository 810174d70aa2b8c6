"""``invoke bench``: cold whole-process builds, per-page cost, per-stage breakdown.

Each case runs ``python -m report_builder`` in a fresh interpreter, as a user
does, after one warm-up run (which also fills the image cache). Synthetic
editions of 10, 40 and 100 pages repeat the default spread; they are generated
under out/bench/ and never committed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path.cwd()


def _synthetic(report: Path, pages: int, out_dir: Path) -> Path:
    """A copy of ``report`` whose spread repeats until it has ``pages`` pages."""
    data = yaml.safe_load(report.read_text(encoding="utf-8"))
    spread = data["pages"]
    copies = []
    for k in range(pages):
        page = json.loads(json.dumps(spread[k % len(spread)], ensure_ascii=False))
        page["number"] = k + 1
        rep = k // len(spread)

        def rename(blocks, rep=rep):
            for b in blocks:
                b["id"] = f"{b['id']}-{rep}"
                if b.get("type") == "figure":
                    b["image"] = os.path.relpath(report.parent / b["image"], out_dir)
                rename(b.get("children", []))

        rename(page.get("blocks", []))
        copies.append(page)
    data["pages"] = copies
    data["edition"]["id"] = f"{data['edition']['id']}-{pages}p"
    data["allow_outside_paths"] = True
    target = out_dir / f"bench-{pages}.yaml"
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _cold(report: Path, out: Path) -> tuple[float, float]:
    """One build in a fresh interpreter: (wall seconds, peak RSS MiB of the child)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "report_builder", str(report), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: build of {report} failed:\n{stderr.decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024


def _stages(report: Path, out: Path) -> dict[str, float]:
    from .cli import _Timer, build_pdf

    timer = _Timer()
    build_pdf(report, out, timer=timer)
    return {k: round(v * 1000, 1) for k, v in timer.timings.items()}


def main(*, runs: int = 5, quick: bool = False, report: str = "report.yaml") -> int:
    src = ROOT / report
    out = ROOT / "out" / "bench"
    cases: list[tuple[str, Path]] = [("default", src)]
    if not quick:
        cases += [(f"{n} pages", _synthetic(src, n, out)) for n in (10, 40, 100)]
    results = []
    print(f"{'case':<10} {'median s':>9} {'min':>7} {'max':>7} {'RSS MiB':>8} {'PDF KiB':>8}")
    for name, path in cases:
        _cold(path, out)  # warm-up: page cache, image cache
        times, rss = [], 0.0
        for _ in range(runs):
            t, r = _cold(path, out)
            times.append(t)
            rss = max(rss, r)
        edition = yaml.safe_load(path.read_text(encoding="utf-8"))["edition"]["id"]
        pdf = out / f"{edition}.pdf"
        row = {
            "case": name,
            "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3),
            "max_s": round(max(times), 3),
            "peak_rss_mib": round(rss, 1),
            "pdf_kib": round(pdf.stat().st_size / 1024, 1),
            "stages_ms": _stages(path, out / "stages"),
        }
        results.append(row)
        print(
            f"{name:<10} {row['median_s']:>9.3f} {row['min_s']:>7.3f} {row['max_s']:>7.3f} "
            f"{row['peak_rss_mib']:>8.1f} {row['pdf_kib']:>8.1f}"
        )
    print("\nstages (ms, one in-process build):")
    for row in results:
        print(f"  {row['case']:<10} " + "  ".join(f"{k} {v}" for k, v in row["stages_ms"].items()))
    (ROOT / "out").mkdir(exist_ok=True)
    (ROOT / "out" / "bench.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\nwritten out/bench.json")
    return 0
