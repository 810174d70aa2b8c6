"""The build as a user runs it: stages in order, clear messages, atomic output.

parse and validate → fonts and coverage → compose and lay out → render PDF →
finish for print (PDF/X) → preflight → rename into place → proofs.
A failure at any stage leaves the last good PDF untouched.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildError, Diagnostic, Severity, SourcePos
from .records import record

if TYPE_CHECKING:
    import argparse

    from .definition.model import Report


@record
class BuildResult:
    """What a build made, for the summary line and for callers such as tests."""

    pdf: Path
    pages: int
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    size: int = 0
    underset: list[str] = field(default_factory=list)


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0


@contextlib.contextmanager
def _temp_path(out_dir: Path, stem: str) -> Iterator[Path]:
    """A temp file beside the final output, removed unless renamed into place.

    The name is held before the file is made, and both happen inside the ``try``,
    so a Ctrl-C at any moment cannot leave the file behind (``tempfile.mkstemp``
    hands out the name only after making the file: a signal between the two leaks it).
    """
    path: Path | None = None
    try:
        for n in itertools.count():
            path = out_dir / f".{stem}.{os.getpid()}.{n}.tmp"
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                break
            except FileExistsError:  # left by a killed build whose pid was reused
                path = None
        assert path is not None
        yield path
    finally:
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


#: Write errors that are the machine's state, not a bug: said plainly, exit status 1.
_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


def _output_folder(out_dir: Path) -> None:
    """Create ``out_dir`` or say why it cannot be used (a file of that name, no permission)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BuildError(
            [Diagnostic(SourcePos(str(out_dir)), "--out names a file, not a folder")]
        ) from None
    except OSError as exc:
        raise BuildError(
            [
                Diagnostic(
                    SourcePos(str(out_dir)),
                    f"cannot create the output folder: {exc.strerror or exc}",
                )
            ]
        ) from None


@contextlib.contextmanager
def _edition_lock(out_dir: Path, edition_id: str) -> Iterator[None]:
    """One build of an edition into one folder at a time; others wait their turn.

    Two builds started together (two terminals, an editor's save hook) would
    otherwise interleave their PDF, manifest and preflight report. Builds of
    different editions into the same folder (``build --all``) still run in
    parallel. Temp files of this edition found under the lock were left by a
    build that was killed outright (SIGKILL, power cut): they are removed.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; builds are not serialised
        yield
        return
    lock_path = out_dir / f".{edition_id}.lock"
    with open(lock_path, "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {edition_id} to finish …", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            for stale in out_dir.glob(f".{edition_id}.pdf.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _publish(finished: Path, final: Path) -> None:
    """Rename the finished PDF into place, readable as any file the user writes."""
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(finished, 0o666 & ~umask)  # mkstemp made it 0600
    os.replace(finished, final)


def build_pdf(
    report_path: Path, out_dir: Path, *, strict: bool = False, timer: _Timer | None = None
) -> BuildResult:
    """Run the whole pipeline; raise BuildError with every problem found."""
    from .definition import load_report

    timer = timer or _Timer()
    with timer.stage("load"):
        report = load_report(report_path)
    _output_folder(out_dir)
    with _edition_lock(out_dir, report.edition.id):
        return _build_loaded(report, out_dir, strict=strict, timer=timer)


def _build_loaded(report: Report, out_dir: Path, *, strict: bool, timer: _Timer) -> BuildResult:
    """The stages after loading, run while holding the edition's lock."""
    from .fonts.coverage import check_coverage
    from .fonts.registry import FontRegistry

    with timer.stage("fonts"):
        registry = FontRegistry.for_report(report, cache_dir=out_dir / ".cache" / "fonts")
        problems = check_coverage(report, registry)
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors:
        raise BuildError(problems)
    warnings = list(problems)

    from .layout import layout_document

    with timer.stage("compose+layout"):
        doc = layout_document(report, registry)
    warnings += doc.warnings
    warnings += [o.diagnostic for o in doc.overset if o.diagnostic]

    from .prepress.pdfx import finish_document
    from .render.pdf import draw_pdf, save_pdf

    final = out_dir / f"{report.edition.id}.pdf"
    with _temp_path(out_dir, final.name) as finished:
        with timer.stage("render"):
            drawn = draw_pdf(doc, report, registry, finished, cache_dir=out_dir / ".cache")
        warnings += drawn.notes
        with timer.stage("prepress"):
            finish_document(drawn.canvas, report, drawn.digest, cache_dir=out_dir / ".cache")
        with timer.stage("render"):  # ReportLab formats the objects and subsets the fonts
            save_pdf(drawn)
        # the manifest's digest of the PDF, taken on the other core during the preflight
        from .hashing import sha256_file_soon

        pdf_sha256 = sha256_file_soon(finished)

        from .check.preflight import preflight

        with timer.stage("check"):
            pre = preflight(
                finished, report, doc, json_path=out_dir / f"{report.edition.id}.preflight.json"
            )
        # a low-ppi image already reported at its report.yaml line needs no second line
        said = {d.path.removesuffix(".image") for d in warnings if d.path.endswith(".image")}
        warnings += [
            d
            for d in pre.warnings
            if not ("ppi" in d.message and any(f"in block {b}:" in d.message for b in said))
        ]
        if pre.errors or (strict and warnings):
            raise BuildError(pre.errors + warnings)
        with timer.stage("write"):
            from .manifest import write_manifest

            write_manifest(
                report,
                registry,
                finished,
                out_dir / f"{report.edition.id}.manifest.json",
                pdf_sha256=pdf_sha256(),
                cache_dir=out_dir / ".cache",
            )
            _publish(finished, final)
    return BuildResult(
        pdf=final,
        pages=len(doc.pages),
        timings=timer.timings,
        warnings=warnings,
        size=final.stat().st_size,
        underset=[
            f"underset: '{u.block}' on page {u.page} leaves {u.empty_lines} empty line(s) "
            "at the foot of a column"
            for u in doc.underset
        ],
    )


def _print_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        print(d.format(), file=sys.stderr)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, unwound like Ctrl-C so every temp file is removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_signals_unwind(received: list[int]) -> Iterator[None]:
    """While building, SIGTERM/SIGHUP (a cancelled job, a closed terminal) act like Ctrl-C.

    By default they end the process on the spot and leave half-written temp files
    in out/; raised as an exception, the ``finally`` blocks remove them. Each signal
    is also noted in ``received``: raised inside C code that calls back into Python
    (ReportLab's accelerator), the exception can come out as another error, and the
    build must still be reported as stopped, not as a bug of ours.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        received.append(signum)
        raise _Stopped(signum)

    def interrupt(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    old = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            old[sig] = signal.signal(sig, stop)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not if ignored
        old[signal.SIGINT] = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _pdf_states(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of each PDF in ``out``: a rename into place changes both."""
    states = {}
    with contextlib.suppress(OSError):
        for pdf in out.glob("*.pdf"):
            with contextlib.suppress(OSError):
                st = pdf.stat()
                states[pdf.name] = (st.st_ino, st.st_mtime_ns)
    return states


def _print_summary(result: BuildResult, elapsed: float) -> None:
    _print_diagnostics(result.warnings)
    for note in result.underset:
        print(note, file=sys.stderr)
    print(
        f"built {result.pdf} — {result.pages} page(s), {result.size / 1024:.0f} KiB, "
        f"{elapsed:.2f} s, {len(result.warnings)} warning(s)"
    )


def run_build(
    report: Path,
    out: Path,
    *,
    strict: bool = False,
    proof: bool = False,
    proof_dpi: int = 50,
) -> int:
    """Build one edition, print a summary; return the process exit status."""
    t0 = time.perf_counter()
    before = _pdf_states(out)
    received: list[int] = []
    try:
        with _stop_signals_unwind(received):
            result = build_pdf(report, out, strict=strict)
            _print_summary(result, time.perf_counter() - t0)
    except BuildError as exc:
        _print_diagnostics(exc.diagnostics)
        n = sum(d.severity is Severity.ERROR or strict for d in exc.diagnostics)
        print(f"build failed: {n} problem(s); the previous PDF was left as it was", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        return _report_stop(getattr(exc, "signum", signal.SIGINT), before, out)
    except OSError as exc:
        if received:  # the signal's exception, turned into another by C code
            return _report_stop(received[0], before, out)
        if exc.errno not in _DISK_ERRNOS:
            return _internal_error(exc, out)
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"{where}{exc.strerror or exc}\n"
            "build failed (a problem of the disk or of permissions, not of the report); "
            "the previous PDF was left as it was",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # a bug of ours: say so plainly, keep the trace in a log
        if received:  # the signal's exception, turned into another by C code
            return _report_stop(received[0], before, out)
        return _internal_error(exc, out)
    if proof:
        from .render.proof import write_proofs

        pngs = write_proofs(result.pdf, out / "proofs", dpi=proof_dpi)
        print(f"proofs: {', '.join(str(p) for p in pngs)}")
    return 0


def _report_stop(signum: int, before: dict[str, tuple[int, int]], out: Path) -> int:
    """Say how a build stopped by ``signum`` left the output; return 128 + ``signum``."""
    how = "interrupted" if signum == signal.SIGINT else "stopped by a signal"
    now = _pdf_states(out)
    written = sorted(name for name, state in now.items() if before.get(name) != state)
    if written:  # the signal came after the rename: say so, do not claim otherwise
        print(f"build {how} after {out / written[0]} was written (it is complete)",
              file=sys.stderr)  # fmt: skip
    else:
        print(f"build {how}; the previous PDF was left as it was", file=sys.stderr)
    return 128 + signum


def _internal_error(exc: BaseException, out: Path) -> int:
    log = out / "internal-error.log"
    with contextlib.suppress(OSError):
        out.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    print(
        f"internal error: {type(exc).__name__}: {exc}\n"
        f"This is a bug in report_builder, not in your report; details in {log}. "
        "The previous PDF was left as it was.",
        file=sys.stderr,
    )
    return 3


def run_check(report: Path, out: Path, *, strict: bool = False) -> int:
    """Preflight an already built PDF and print the report."""
    try:
        from .check.preflight import run_preflight_cli

        return run_preflight_cli(report, out, strict=strict)
    except BuildError as exc:
        _print_diagnostics(exc.diagnostics)
        return 1
    except Exception as exc:
        return _internal_error(exc, out)


def run_build_all(editions: Path, out: Path, *, strict: bool = False, jobs: int = 0) -> int:
    """Build every editions/*/report.yaml (or editions/*.yaml) in worker processes."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    reports = sorted(editions.glob("*/report.yaml")) + sorted(editions.glob("*.yaml"))
    if not reports:
        print(f"{editions}: no editions found (editions/*/report.yaml)", file=sys.stderr)
        return 1
    jobs = jobs or os.cpu_count() or 1
    failed: list[Path] = []
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_build, r, out, strict=strict): r for r in reports}
        for i, fut in enumerate(as_completed(futures), 1):
            report = futures[fut]
            ok = fut.result() == 0
            if not ok:
                failed.append(report)
            bar = "#" * (20 * i // len(reports))
            print(
                f"[{bar:<20}] {i}/{len(reports)} {time.perf_counter() - t0:5.1f} s  "
                f"{report}: {'ok' if ok else 'FAILED'}",
                flush=True,
            )
    if failed:
        print(f"{len(failed)} of {len(reports)} edition(s) failed:", file=sys.stderr)
        for report in sorted(failed):
            print(f"  {report}", file=sys.stderr)
    return 1 if failed else 0


@record
class Args:
    """The command line of ``python -m report_builder``."""

    report: Path = Path("report.yaml")
    out: Path = Path("out")
    strict: bool = False
    proof: bool = False
    watch: bool = False


def parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog="report-builder", description=__doc__)
    parser.add_argument("report", nargs="?", default="report.yaml", type=Path)
    parser.add_argument("--out", default="out", type=Path)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--proof", action="store_true")
    parser.add_argument(
        "--watch", action="store_true", help="rebuild whenever the report or its files change"
    )
    return parser


def parse_args(argv: list[str]) -> Args:
    """The command line; the usual ones are read here, the rest by argparse (help, errors)."""
    quick = _usual_args(argv)
    if quick is not None:
        return quick
    args = parser().parse_args(argv)
    return Args(args.report, args.out, args.strict, args.proof, args.watch)


def _usual_args(argv: list[str]) -> Args | None:
    """``[REPORT] [--out DIR|--out=DIR] [--strict] [--proof] [--watch]``, any order, each once.

    Read without argparse, whose import is ~6 ms of a 0.3 s build. Anything else, even
    what argparse would accept (abbreviations, ``--``, repeats, a value starting with
    '-'), returns None and is left to argparse, so both always read a line the same way.
    """
    report: str | None = None
    out: str | None = None
    flags: set[str] = set()
    rest = iter(argv)
    for arg in rest:
        if arg in ("--strict", "--proof", "--watch") and arg not in flags:
            flags.add(arg)
        elif arg == "--out" and out is None:
            out = next(rest, None)
            if out is None or out.startswith("-"):
                return None
        elif arg.startswith("--out=") and len(arg) > len("--out=") and out is None:
            out = arg[len("--out=") :]
        elif not arg.startswith("-") and report is None:
            report = arg
        else:
            return None
    return Args(
        Path(report) if report is not None else Args.report,
        Path(out) if out is not None else Args.out,
        "--strict" in flags,
        "--proof" in flags,
        "--watch" in flags,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.watch:
        from .watch import watch

        return watch(args.report, args.out, strict=args.strict, proof=args.proof)
    return run_build(args.report, args.out, strict=args.strict, proof=args.proof)


def console() -> None:
    """The ``report-builder`` command: ``main`` run as ``python -m report_builder`` runs it.

    Cyclic GC off and no interpreter teardown once the output is flushed (see __main__).
    """
    import gc

    gc.disable()
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


__all__ = ["BuildResult", "SourcePos", "build_pdf", "console", "main", "run_build"]
