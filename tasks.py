"""Invoke tasks: the editor's, print shop's and developer's entry points.

Only the standard library and invoke are imported here, so ``invoke --list``
stays fast; every task imports the stage it needs when it runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))


@task(
    help={
        "report": "report definition to build (default: report.yaml)",
        "out": "output folder (default: out/)",
        "strict": "treat warnings (overset, low image resolution, preflight) as errors",
        "proof": "also write PNG proofs of every page into out/proofs/",
        "all": "build every edition under editions/ in parallel",
        "jobs": "worker processes for --all (default: one per core)",
        "watch": "keep running: rebuild whenever report.yaml or a file it names changes",
    }
)
def build(
    c, report="report.yaml", out="out", strict=False, proof=False, all=False, jobs=0, watch=False
):
    """Build the PDF of an edition: out/<edition-id>.pdf."""
    from report_builder.cli import run_build, run_build_all

    if all:
        sys.exit(run_build_all(Path("editions"), Path(out), strict=strict, jobs=jobs))
    if watch:
        from report_builder.watch import watch as watch_report

        sys.exit(watch_report(Path(report), Path(out), strict=strict, proof=proof))
    sys.exit(run_build(Path(report), Path(out), strict=strict, proof=proof))


@task(help={"report": "report definition", "out": "output folder", "dpi": "resolution"})
def proof(c, report="report.yaml", out="out", dpi=50):
    """Build, then render every page to PNG in out/proofs/."""
    from report_builder.cli import run_build

    sys.exit(run_build(Path(report), Path(out), proof=True, proof_dpi=int(dpi)))


@task(help={"report": "report definition", "out": "output folder", "strict": "fail on warnings"})
def check(c, report="report.yaml", out="out", strict=False):
    """Preflight the built PDF of an edition and write out/<id>.preflight.json."""
    from report_builder.cli import run_check

    sys.exit(run_check(Path(report), Path(out), strict=strict))


@task(help={"source": "text extracted from an old PDF", "output": "draft report.yaml to write"})
def import_text(c, source, output="draft.yaml"):
    """Clean text pulled out of a printed PDF and write a draft report.yaml."""
    from report_builder.importtext.cli import main as import_main

    sys.exit(import_main([source, "--output", output]))


@task(help={"check": "only verify that assets/fonts matches fonts.lock"})
def fonts(c, check=False):
    """Rebuild assets/fonts/ from the Debian font packages (fonts-noto-cjk, fonts-lxgw-wenkai)."""
    from report_builder.fonts.prepare import main as fonts_main

    sys.exit(fonts_main(["--check"] if check else []))


@task(help={"runs": "cold runs per case", "quick": "only the default edition"})
def bench(c, runs=5, quick=False):
    """Time cold builds (default edition, 10/40/100 pages) and write out/bench.json."""
    from report_builder.bench import main as bench_main

    sys.exit(bench_main(runs=int(runs), quick=quick))


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure"})
def test(c, k="", x=False):
    """Run the test suite."""
    args = ["-q"]
    if k:
        args += ["-k", k]
    if x:
        args.append("-x")
    c.run(f"{sys.executable} -m pytest " + " ".join(f"'{a}'" for a in args), pty=False)


@task
def lint(c):
    """ruff check and ruff format --check."""
    c.run(f"{sys.executable} -m ruff check src tests tasks.py")
    c.run(f"{sys.executable} -m ruff format --check src tests tasks.py")


@task
def clean(c):
    """Remove out/ (PDFs, proofs, caches)."""
    import shutil

    shutil.rmtree(ROOT / "out", ignore_errors=True)
