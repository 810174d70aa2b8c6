"""``invoke bench``: cold whole-process builds, per-page cost, per-stage breakdown.

Each case runs ``python -m report_builder`` in a fresh interpreter, as a user
does, after one warm-up run (which also fills the image and font caches, as the
targets allow: "with converted photos already in the image cache"). Before every
cold run the composition cache (out/.cache/compose) is removed, so "cold" means
every paragraph is composed again. Bytecode is cached as in any normal install
(the sandbox's PYTHONDONTWRITEBYTECODE is dropped for the child; the .pyc files go
to out/bench/pycache, not into the source tree).

Synthetic editions of 10, 40 and 100 pages repeat the default spread; they are
generated under out/bench/ and never committed. Two rebuild cases use the
composition cache: nothing changed, and one article edited (a different edit each
run, so the edited article is never in the cache).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path.cwd()
#: Edited in the "one article" rebuild: a body article in the middle of the spread.
EDIT_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def _load(report: Path) -> dict:
    return yaml.safe_load(report.read_text(encoding="utf-8"))


def _synthetic(
    report: Path,
    pages: int,
    out_dir: Path,
    *,
    name: str = "",
    edit: int = -1,
    distinct: bool = False,
) -> Path:
    """A copy of ``report`` whose spread repeats until it has ``pages`` pages.

    ``edit`` ≥ 0 changes one character of the first article that has several
    paragraphs (the n-th edit character), as an editor's correction would.
    ``distinct``: every repetition changes one character of every paragraph, so no
    paragraph is set twice and the composer's in-memory reuse cannot help.
    """
    data = _load(report)
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
        if distinct and rep:
            _vary_paragraphs(page.get("blocks", []), EDIT_CHARS[(rep - 1) % len(EDIT_CHARS)])
        copies.append(page)
    data["pages"] = copies
    data["edition"]["id"] = f"{data['edition']['id']}-{pages}p" + ("-distinct" if distinct else "")
    data["allow_outside_paths"] = True
    if edit >= 0:
        _edit_one_article(copies, EDIT_CHARS[edit % len(EDIT_CHARS)])
    target = out_dir / f"bench-{name or pages}.yaml"
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _vary_paragraphs(blocks: list[dict], ch: str) -> None:
    """Replace the first ideograph of every paragraph with ``ch``."""
    for b in blocks:
        paras = b.get("paragraphs") or []
        for i, text in enumerate(paras):
            if isinstance(text, str):
                k = next((j for j, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"), -1)
                if k >= 0:
                    paras[i] = text[:k] + ch + text[k + 1 :]
        _vary_paragraphs(b.get("children", []), ch)


def _edit_one_article(pages: list[dict], ch: str) -> None:
    """Replace the 3rd character of the last paragraph of the first multi-paragraph article."""

    def walk(blocks):
        for b in blocks:
            yield b
            yield from walk(b.get("children", []))

    for page in pages:
        for b in walk(page.get("blocks", [])):
            paras = b.get("paragraphs") or []
            if b.get("type") == "article" and len(paras) > 2 and isinstance(paras[-1], str):
                text = paras[-1]
                paras[-1] = text[:2] + ch + text[3:]
                return
    raise SystemExit("bench: no article with several paragraphs to edit")


def _child_env(out: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str((out / "pycache").resolve())
    return env


def _cold(
    report: Path, out: Path, *, keep_compose: bool = False, via_invoke: bool = False
) -> tuple[float, float]:
    """One build in a fresh interpreter: (wall seconds, peak RSS MiB of the child).

    ``python -m report_builder``, or with ``via_invoke`` the editor's ``invoke build``
    (the same build after invoke's own start-up).
    """
    if not keep_compose:
        shutil.rmtree(out / ".cache" / "compose", ignore_errors=True)
    # the previous run's 13 MB of PDF still being written back would slow this one down
    os.sync()
    if via_invoke:
        tasks = ["-m", "invoke", "--search-root", str(ROOT), "build", "--report", str(report)]
        command = [sys.executable, *tasks, "--out", str(out)]
    else:
        command = [sys.executable, "-m", "report_builder", str(report), "--out", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_child_env(out),
    )
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: build of {report} failed:\n{stderr.decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024


_STAGES_CHILD = """
import gc, json, sys, time
gc.disable()  # as python -m report_builder does
from pathlib import Path
from report_builder.cli import _Timer, build_pdf
from report_builder.layout import text
compose_s = [0.0]
original = text.Typesetter.compose
def timed(self, *a, **k):
    t0 = time.perf_counter()
    try:
        return original(self, *a, **k)
    finally:
        compose_s[0] += time.perf_counter() - t0
text.Typesetter.compose = timed
timer = _Timer()
build_pdf(Path(sys.argv[1]), Path(sys.argv[2]), timer=timer)
t = dict(timer.timings)
both = t.pop("compose+layout", 0.0)
out = {}
for k, v in t.items():
    if k == "render":
        out["compose"] = compose_s[0]
        out["layout"] = both - compose_s[0]
    out[k] = v
print(json.dumps({k: round(v * 1000, 1) for k, v in out.items()}))
"""


def _stages(report: Path, out: Path) -> dict[str, float]:
    """Per-stage milliseconds of one cold build in a fresh interpreter (caches as ``_cold``).

    ``compose`` is the time inside Typesetter.compose (the composer and its cache);
    ``layout`` the rest of the compose+layout stage.
    """
    shutil.rmtree(out / ".cache" / "compose", ignore_errors=True)
    os.sync()
    return _child_json(_STAGES_CHILD, [str(report), str(out)], out, f"staged build of {report}")


def _child_json(code: str, args: list[str], out: Path, what: str) -> dict:
    """Run ``code`` in a fresh interpreter; the JSON it prints last."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=_child_env(out),
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench: {what} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _photo_bytes(pdf: Path) -> int:
    """Bytes of the image streams in ``pdf`` (each stream once)."""
    import pikepdf

    total = 0
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
                total += int(obj.get("/Length", 0))
    return total


def _row(name: str, times: list[float], rss: float, pdf: Path) -> dict:
    size = pdf.stat().st_size
    photos = _photo_bytes(pdf)
    return {
        "case": name,
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "runs": len(times),
        "peak_rss_mib": round(rss, 1),
        "pdf_kib": round(size / 1024, 1),
        "photos_kib": round(photos / 1024, 1),
        "pdf_without_photos_kib": round((size - photos) / 1024, 1),
    }


def _print_row(row: dict) -> None:
    print(
        f"{row['case']:<18} {row['median_s']:>8.3f} {row['min_s']:>7.3f} {row['max_s']:>7.3f} "
        f"{row['peak_rss_mib']:>8.1f} {row['pdf_kib']:>9.1f} {row['pdf_without_photos_kib']:>9.1f}"
    )


def _cold_case(name: str, path: Path, out: Path, runs: int, *, via_invoke: bool = False) -> dict:
    _cold(path, out, via_invoke=via_invoke)  # warm-up: page cache, caches, bytecode
    times, rss = [], 0.0
    for _ in range(runs):
        t, r = _cold(path, out, via_invoke=via_invoke)
        times.append(t)
        rss = max(rss, r)
    edition = _load(path)["edition"]["id"]
    row = _row(name, times, rss, out / f"{edition}.pdf")
    if not via_invoke:
        row["stages_ms"] = _stages(path, out)
    return row


def _rebuild_cases(src: Path, out: Path, runs: int) -> list[dict]:
    """Rebuilds of the default spread with the composition cache: unchanged, one article edited."""
    base = _synthetic(src, len(_load(src)["pages"]), out, name="rebuild")
    pdf = out / f"{_load(base)['edition']['id']}.pdf"
    _cold(base, out)  # warm-up, fills the composition cache
    same, rss_same = [], 0.0
    for _ in range(runs):
        t, r = _cold(base, out, keep_compose=True)
        same.append(t)
        rss_same = max(rss_same, r)
    edited, rss_edit = [], 0.0
    for k in range(runs):
        _cold(base, out, keep_compose=True)  # the cache holds the unedited edition
        variant = _synthetic(src, len(_load(src)["pages"]), out, name="rebuild-edit", edit=k)
        t, r = _cold(variant, out, keep_compose=True)
        edited.append(t)
        rss_edit = max(rss_edit, r)
    return [
        _row("rebuild unchanged", same, rss_same, pdf),
        _row("rebuild 1 article", edited, rss_edit, pdf),
    ]


_WATCH_CHILD = """
import gc, json, resource, sys, time
gc.disable()  # as python -m report_builder does
from pathlib import Path
from report_builder.cli import build_pdf
out = Path(sys.argv[1])
reports = [Path(p) for p in sys.argv[2:]]
build_pdf(reports[0], out)  # the watching process's first build
times = []
for report in reports[1:]:
    t0 = time.perf_counter()
    build_pdf(report, out)
    times.append(time.perf_counter() - t0)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"times": times, "rss": rss}))
"""


def _watch_case(src: Path, out: Path, runs: int) -> dict:
    """Rebuilds inside one process, as ``--watch`` does them: one article edited each time.

    Each rebuild is the whole build (load to manifest) timed from inside; what the
    process saves is the imports, the font metrics and the warm in-memory caches.
    """
    pages = len(_load(src)["pages"])
    first = _synthetic(src, pages, out, name="watch-0")
    edits = [_synthetic(src, pages, out, name=f"watch-{k + 1}", edit=k) for k in range(runs)]
    args = [str(out), str(first), *map(str, edits)]
    found = _child_json(_WATCH_CHILD, args, out, f"watch rebuilds of {src}")
    pdf = out / f"{_load(first)['edition']['id']}.pdf"
    return _row("watch: 1 article", found["times"], found["rss"], pdf)


def main(*, runs: int = 5, quick: bool = False, report: str = "report.yaml") -> int:
    src = ROOT / report
    out = ROOT / "out" / "bench"
    cases: list[tuple[str, Path]] = [("default", src)]
    if not quick:
        cases += [(f"{n} pages", _synthetic(src, n, out)) for n in (10, 40, 100)]
        cases.append(("40 distinct", _synthetic(src, 40, out, name="40-distinct", distinct=True)))
    print(
        f"cold whole-process builds, median of {runs} after a warm-up "
        "(image and font caches warm, composition cache cleared)"
    )
    header = (
        f"{'case':<18} {'median s':>8} {'min':>7} {'max':>7} {'RSS MiB':>8} "
        f"{'PDF KiB':>9} {'w/o photos':>9}"
    )
    print(header)
    results = []
    for name, path in cases:
        row = _cold_case(name, path, out, runs)
        results.append(row)
        _print_row(row)
    row = _cold_case("invoke build", src, out, runs, via_invoke=True)
    results.append(row)
    _print_row(row)
    for row in [*_rebuild_cases(src, out, runs), _watch_case(src, out, runs)]:
        results.append(row)
        _print_row(row)
    per_page = _per_page(results)
    if per_page:
        print("\ncost per extra page (ms): " + ", ".join(f"{k} {v}" for k, v in per_page.items()))
    print("\nstages (ms, one cold build in a fresh interpreter):")
    for row in results:
        if "stages_ms" in row:
            stages = "  ".join(f"{k} {v}" for k, v in row["stages_ms"].items())
            print(f"  {row['case']:<10} {stages}")
    (ROOT / "out").mkdir(exist_ok=True)
    summary = {"cases": results, "per_page_ms": per_page}
    (ROOT / "out" / "bench.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\nwritten out/bench.json")
    return 0


def _per_page(results: list[dict]) -> dict[str, float]:
    """Marginal ms per page between the synthetic sizes (flat = linear scaling)."""
    by = {r["case"]: r["median_s"] for r in results}
    steps = [("10 pages", 10), ("40 pages", 40), ("100 pages", 100)]
    out = {}
    for (a, na), (b, nb) in itertools.pairwise(steps):
        if a in by and b in by:
            out[f"{na}→{nb}"] = round((by[b] - by[a]) / (nb - na) * 1000, 1)
    return out
