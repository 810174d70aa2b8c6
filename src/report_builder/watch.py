"""``--watch``: build, then build again whenever the report or a file it names changes.

Editors rebuild dozens of times an evening. A build in a fresh process spends
~120 ms importing ReportLab, pikepdf and PyYAML and reading font metrics before
it sets a line; a watching process pays that once and keeps the fonts, the
composition cache and the photos' digests warm, so a rebuild after an edit
costs a fraction of a cold build. Every rebuild is the same full build (same
checks, same atomic rename, byte-identical PDF): only the process is reused.

Files are polled (a ``stat`` of each every 0.2 s): no dependency, and it works
on network shares where inotify does not. A change is built once the files
have stopped changing for one interval, so an editor's save in several writes
is built once. Ctrl-C stops watching.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from .cli import run_build

#: (mtime ns, size) of a file; None when it is missing.
Stamp = tuple[int, int] | None


def watch(
    report: Path,
    out: Path,
    *,
    strict: bool = False,
    proof: bool = False,
    interval: float = 0.2,
    rounds: int | None = None,
    on_build: Callable[[int], None] | None = None,
) -> int:
    """Build ``report`` into ``out`` now and after every change; return 0 when stopped.

    ``rounds`` ends the loop after that many builds and ``on_build`` sees each
    build's exit status (for tests and the benchmark).
    """
    print(f"watching {report} and the files it names (Ctrl-C to stop)", file=sys.stderr)
    files: set[Path] = {report}
    built = 0
    try:
        while True:
            status = run_build(report, out, strict=strict, proof=proof)
            sys.stdout.flush()
            built += 1
            if on_build is not None:
                on_build(status)
            if status >= 128:  # stopped by a signal during the build
                return status
            if rounds is not None and built >= rounds:
                return 0
            files = {report, *(inputs(report) or files - {report})}
            _wait_for_change(files, interval)
    except KeyboardInterrupt:
        print("stopped watching", file=sys.stderr)
        return 0


def inputs(report: Path) -> set[Path] | None:
    """The files a build of ``report`` reads besides it (None: the report does not load)."""
    from .definition import load_report
    from .errors import BuildError

    try:
        loaded = load_report(report)
    except BuildError:
        return None
    files = {loaded.base_dir / b.image for b in loaded.figures()}
    if loaded.output.icc_profile is not None:
        files.add(loaded.base_dir / loaded.output.icc_profile)
    files.update(loaded.base_dir / decl.path for decl in loaded.fonts)
    return files


def stamps(files: set[Path]) -> dict[Path, Stamp]:
    found: dict[Path, Stamp] = {}
    for path in files:
        try:
            st = path.stat()
            found[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            found[path] = None
    return found


def _wait_for_change(files: set[Path], interval: float) -> None:
    """Return once the files have changed and then held still for one interval."""
    before = stamps(files)
    while True:
        time.sleep(interval)
        now = stamps(files)
        if now == before:
            continue
        while True:  # let the editor finish writing
            time.sleep(interval)
            settled = stamps(files)
            if settled == now:
                return
            now = settled
