"""The build itself is cut short or doubled: Ctrl-C, SIGTERM, SIGKILL, two at once, a full disk.

The synthetic edition here has twenty text pages, so a build spends a second
or two rendering and finishing — long enough to be interrupted while its temp
PDFs exist, which is when a careless build would leave debris or half a file
behind.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pikepdf
import pytest
from badinput_helpers import (
    EDITION_ID,
    GOOD_REPORT,
    GoodBuild,
    Run,
    invoke_args,
    invoke_build,
    leftovers,
    sha256,
    write_edition,
)

from report_builder import cli

PARAGRAPH = "劳动成就梦想，奋斗铸就辉煌。五年来，湖南各级工会勇于担当作为、坚持守正创新。" * 4


PAGES = 20


def big_edition(title: str = "大版", pages: int = PAGES) -> str:
    """``pages`` pages of eight one-column articles each, text only."""
    out = [f"edition: {{id: {EDITION_ID}, title: {title}}}\npages:\n"]
    for p in range(pages):
        out.append("  - blocks:\n")
        for b in range(8):
            out.append(
                f"      - type: article\n"
                f"        at: {{column: {b + 1}, span: 1, line: 1, lines: 100}}\n"
                f"        title: {title}第{p + 1}版第{b + 1}篇\n"
                f"        text: |\n"
            )
            out.extend(f"          {PARAGRAPH}\n\n" for _ in range(6))
    return "".join(out)


BIG_BUILD_SECONDS: list[float] = []  # how long the good build took, for the timed cases


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> GoodBuild:
    """A good build of the big edition; the cases then try to replace it with another."""
    out = tmp_path_factory.mktemp("big-out")
    report = write_edition(tmp_path_factory.mktemp("big"), big_edition())
    t0 = time.monotonic()
    run = invoke_build(report, out)
    BIG_BUILD_SECONDS.append(time.monotonic() - t0)
    assert run.returncode == 0, run
    return GoodBuild(out, sha256(out / f"{EDITION_ID}.pdf"))


@pytest.fixture
def fresh(big: GoodBuild, tmp_path: Path) -> GoodBuild:
    """A copy of the big build's folder (caches too), so no case depends on another."""
    out = Path(shutil.copytree(big.out, tmp_path / "out"))
    return GoodBuild(out, big.sha)


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The big edition with another title: building it would change the PDF."""
    return write_edition(tmp_path_factory.mktemp("changed"), big_edition("改版"))


def _start(report: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        invoke_args(report, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(proc: subprocess.Popen, timeout: float = 120) -> Run:
    stdout, stderr = proc.communicate(timeout=timeout)
    return Run([str(a) for a in proc.args[5:]], proc.returncode, stdout, stderr)


def _temp_pdfs(out: Path) -> list[Path]:
    return list(out.glob(f".{EDITION_ID}.pdf.*.tmp"))


def _when_rendering(proc: subprocess.Popen, out: Path, limit: float = 60) -> None:
    """Wait until the build has created its temp PDFs (it is mid-way through writing).

    Its own: temp names carry the builder's pid, so debris of an earlier case (were
    there any) cannot fire the signal before the build has even started.
    """
    t0 = time.monotonic()
    while not list(out.glob(f".{EDITION_ID}.pdf.{proc.pid}.*.tmp")):
        assert proc.poll() is None, "the build ended before it wrote a temp PDF"
        assert time.monotonic() - t0 < limit, "no temp PDF appeared"
        time.sleep(0.005)


def _assert_intact(run: Run, build: GoodBuild) -> None:
    assert "Traceback" not in run.output, run
    assert "internal error" not in run.output, run
    assert sha256(build.pdf) == build.sha, "the previous PDF was changed"
    assert leftovers(build.out) == [], leftovers(build.out)


@pytest.mark.parametrize(
    ("sig", "status", "said"),
    [
        (signal.SIGINT, 130, "build interrupted"),
        (signal.SIGTERM, 143, "build stopped by a signal"),
        (signal.SIGHUP, 129, "build stopped by a signal"),
    ],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_a_signal_mid_write_keeps_the_previous_pdf(
    fresh: GoodBuild, changed: Path, sig: int, status: int, said: str
) -> None:
    proc = _start(changed, fresh.out)
    _when_rendering(proc, fresh.out)
    proc.send_signal(sig)
    run = _finish(proc)
    assert run.returncode == status, run
    assert f"{said}; the previous PDF was left as it was" in run.stderr, run
    _assert_intact(run, fresh)


@pytest.mark.parametrize("delay", [0.3, 0.5, 0.7])
def test_ctrl_c_at_any_moment_keeps_a_whole_pdf(
    fresh: GoodBuild, changed: Path, tmp_path: Path, delay: float
) -> None:
    """Ctrl-C at some moment of a build: the old PDF stays, or the new one is complete.

    Not earlier than 0.3 s: before that the interpreter is still importing invoke,
    and Python itself prints a KeyboardInterrupt traceback there (nothing of ours runs).
    Whichever PDF is there afterwards, the message says which.
    """
    proc = _start(changed, fresh.out)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    run = _finish(proc)
    assert "Traceback" not in run.output and "internal error" not in run.output, run
    assert leftovers(fresh.out) == [], leftovers(fresh.out)
    if sha256(fresh.pdf) == fresh.sha:
        assert run.returncode != 0, run
        if run.returncode == 130:
            assert "the previous PDF was left as it was" in run.stderr, run
    elif run.returncode == 130:  # the signal came after the rename
        assert "was written (it is complete)" in run.stderr, run
    else:  # after the summary: exit 0, or -SIGINT while the interpreter was shutting down
        assert run.returncode in (0, -signal.SIGINT), run
        assert run.stdout.startswith(f"built {fresh.pdf}"), run
    if sha256(fresh.pdf) != fresh.sha:
        alone = tmp_path / "alone"
        assert invoke_build(changed, alone).returncode == 0
        assert sha256(fresh.pdf) == sha256(alone / f"{EDITION_ID}.pdf")


def test_debris_of_a_killed_build_is_cleared_by_the_next(
    fresh: GoodBuild, changed: Path, tmp_path: Path
) -> None:
    """SIGKILL cannot be caught: its temp files stay, and the next build removes them."""
    proc = _start(changed, fresh.out)
    _when_rendering(proc, fresh.out)
    proc.kill()
    proc.communicate(timeout=60)
    assert _temp_pdfs(fresh.out), "a killed build leaves its temp files"
    assert sha256(fresh.pdf) == fresh.sha
    rebuild = invoke_build(write_edition(tmp_path / "again", big_edition()), fresh.out)
    assert rebuild.returncode == 0, rebuild
    assert leftovers(fresh.out) == []
    assert sha256(fresh.pdf) == fresh.sha  # the same edition again: the same bytes


def test_two_builds_at_once_end_cleanly_with_one_complete_pdf(
    big: GoodBuild, tmp_path: Path
) -> None:
    report = write_edition(tmp_path / "edition", big_edition())
    out = tmp_path / "out"
    procs = [_start(report, out), _start(report, out)]
    runs = [_finish(p) for p in procs]
    for run in runs:
        assert run.returncode == 0, run
        assert "Traceback" not in run.output, run
    # the lock makes one wait (unless a slow machine started the second after the first ended)
    assert sum("waiting for another build of" in r.stderr for r in runs) <= 1, runs
    assert sha256(out / f"{EDITION_ID}.pdf") == big.sha  # as a single build makes it
    assert leftovers(out) == []


def test_a_build_waits_while_another_holds_the_edition(tmp_path: Path) -> None:
    report = write_edition(tmp_path / "edition", GOOD_REPORT)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / f".{EDITION_ID}.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a build in progress holds it
        proc = _start(report, out)
        assert proc.stderr is not None
        said = proc.stderr.readline()  # "" if the build ended without waiting
        assert f"waiting for another build of {EDITION_ID} to finish" in said, said
        time.sleep(0.2)
        assert proc.poll() is None and not (out / f"{EDITION_ID}.pdf").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    run = _finish(proc)
    assert run.returncode == 0, run
    assert (out / f"{EDITION_ID}.pdf").is_file()


def test_two_versions_built_at_once_leave_a_consistent_set(
    big: GoodBuild, changed: Path, tmp_path: Path
) -> None:
    """The PDF left is one of the two, whole, and the manifest describes that one."""
    alone = tmp_path / "alone"
    assert invoke_build(changed, alone).returncode == 0
    changed_sha = sha256(alone / f"{EDITION_ID}.pdf")
    out = tmp_path / "out"
    original = write_edition(tmp_path / "original", big_edition())
    runs = [_finish(p) for p in [_start(original, out), _start(changed, out)]]
    assert [r.returncode for r in runs] == [0, 0], runs
    pdf = out / f"{EDITION_ID}.pdf"
    final = sha256(pdf)
    assert final in (big.sha, changed_sha)
    manifest = json.loads((out / f"{EDITION_ID}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf"]["sha256"] == final
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == PAGES
    assert leftovers(out) == []


# ---- in-process: failures that cannot be provoked from outside on demand ----------------


@pytest.fixture
def minimal(tmp_path: Path) -> tuple[Path, GoodBuild]:
    report = write_edition(tmp_path / "edition", GOOD_REPORT)
    out = tmp_path / "out"
    assert cli.run_build(report, out) == 0
    return report, GoodBuild(out, sha256(out / f"{EDITION_ID}.pdf"))


def test_a_full_disk_is_a_plain_message(
    minimal: tuple[Path, GoodBuild], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    report, build = minimal
    capsys.readouterr()

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))

    monkeypatch.setattr(cli, "_publish", full)
    assert cli.run_build(report, build.out) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "not of the report" in err, err
    assert "internal error" not in err
    assert sha256(build.pdf) == build.sha
    assert leftovers(build.out) == []


def test_a_bug_mid_way_is_an_internal_error_and_keeps_the_pdf(
    minimal: tuple[Path, GoodBuild], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    report, build = minimal
    capsys.readouterr()
    import report_builder.prepress.pdfx as pdfx

    def broken(canvas: object, report: object, digest: bytes, **kw: object) -> None:
        canvas.save()  # a half-finished file in the temp path, then the bug
        raise RuntimeError("simulated bug in the prepress stage")

    monkeypatch.setattr(pdfx, "finish_document", broken)
    assert cli.run_build(report, build.out) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated bug" in err and "Traceback" not in err
    log = (build.out / "internal-error.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "simulated bug" in log
    assert sha256(build.pdf) == build.sha
    assert leftovers(build.out) == []


def test_the_pdf_is_readable_like_any_file_the_user_writes(
    minimal: tuple[Path, GoodBuild],
) -> None:
    _, build = minimal
    umask = os.umask(0o022)
    os.umask(umask)
    assert build.pdf.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize(
    ("sig", "status", "said"),
    [(signal.SIGTERM, 143, "build stopped by a signal"), (signal.SIGINT, 130, "build interrupted")],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signal_that_c_code_turns_into_another_error_is_still_a_stop(
    minimal: tuple[Path, GoodBuild],
    monkeypatch: pytest.MonkeyPatch,
    capsys,
    sig: int,
    status: int,
    said: str,
) -> None:
    """ReportLab's accelerator reports an exception raised inside it as AttributeError."""
    report, build = minimal
    capsys.readouterr()
    import report_builder.prepress.pdfx as pdfx

    def accelerated(canvas: object, report: object, digest: bytes, **kw: object) -> None:
        try:
            os.kill(os.getpid(), sig)
            time.sleep(1)  # the handler runs here and raises
        except BaseException as exc:
            raise AttributeError(f"no attribute charWidths caused by {exc}") from None

    monkeypatch.setattr(pdfx, "finish_document", accelerated)
    assert cli.run_build(report, build.out) == status
    err = capsys.readouterr().err
    assert f"{said}; the previous PDF was left as it was" in err, err
    assert "internal error" not in err
    assert sha256(build.pdf) == build.sha
    assert leftovers(build.out) == []
