"""``--watch``: build, then build again whenever the report or a file it names changes.

Editors rebuild dozens of times an evening. A build in a fresh process spends
~120 ms importing ReportLab, pikepdf and PyYAML and reading font metrics before
it sets a line; a watching process pays that once and keeps the fonts, the
composition cache and the photos' digests warm, so a rebuild after an edit
costs a fraction of a cold build. Every rebuild is the same full build (same
checks, same atomic rename, byte-identical PDF): only the process is reused.

Files are polled (a ``stat`` of each, and a listing of the folders photos are
dropped into, every 0.2 s): no dependency, and it works on network shares where
inotify does not. A change is built once the files have stopped changing for one
interval, so an editor's save in several writes is built once. Ctrl-C stops.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .cli import run_build


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
    build's exit status (for tests).
    """
    print(f"watching {report} and the files it names (Ctrl-C to stop)", file=sys.stderr)
    files: set[Path] = {report}
    known = False  # are the files the report names known (has it loaded once)?
    dirs = folders(report, files, out, search=True)
    built = 0
    try:
        while True:
            # taken before the build: a save made while it runs is a change after it
            before = stamps(files, dirs, out)
            status = run_build(report, out, strict=strict, proof=proof)
            sys.stdout.flush()
            built += 1
            if on_build is not None:
                on_build(status)
            if status >= 128:  # stopped by a signal during the build
                return status
            if rounds is not None and built >= rounds:
                return 0
            named = inputs(report)
            if named is not None:
                known = True
                files = {report, *named}
            dirs = folders(report, files, out, search=not known)
            _wait_for_change(files, dirs, out, interval, before)
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


def folders(report: Path, files: set[Path], out: Path, *, search: bool = False) -> set[Path]:
    """Folders whose listing is watched too: a photo dropped into one is a change.

    The report's folder and those of the files it names. Until the report has
    loaded once (one naming a photo that is not there yet does not load), its
    photos are not known: then, with ``search``, its sub-folders (two levels) are
    watched too. Never the output folder (the build writes there), nor a hidden
    or ``_``-named one (``__pycache__``).
    """
    skip = out.resolve()
    found = {report.parent, *(f.parent for f in files)}
    level = [report.parent] if search else []
    for _ in range(2):
        below = []
        for folder in level:
            with contextlib.suppress(OSError):
                below += [
                    e
                    for e in folder.iterdir()
                    if e.is_dir() and e.name[:1] not in "._" and e.resolve() != skip
                ]
        found.update(below)
        level = below
    return {f for f in found if f.resolve() != skip and skip not in f.resolve().parents}


def stamps(
    files: set[Path], dirs: set[Path] = frozenset(), out: Path | None = None
) -> dict[Path, object]:
    """A file's (mtime ns, size), a folder's visible entries; None when missing.

    Hidden entries are left out of a folder's listing (an editor's swap or backup
    file appearing next to report.yaml is not a change), and so is the output
    folder (the first build makes it).
    """
    skip = out.resolve() if out is not None else None
    found: dict[Path, object] = {}
    for path in files:
        try:
            st = path.stat()
            found[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            found[path] = None
    for folder in dirs:
        try:
            found[folder] = tuple(
                sorted(
                    n
                    for n in os.listdir(folder)
                    if not n.startswith(".")
                    and not (skip is not None and n == skip.name and (folder / n).resolve() == skip)
                )
            )
        except OSError:
            found[folder] = None
    return found


def _wait_for_change(
    files: set[Path], dirs: set[Path], out: Path, interval: float, since: dict[Path, object]
) -> None:
    """Return once the files or folders differ from ``since`` and then hold still a while.

    A file or folder that ``since`` does not hold (learnt of in the last build) is
    compared with its state now.
    """
    now = stamps(files, dirs, out)
    before = {path: since.get(path, state) for path, state in now.items()}
    while now == before:
        time.sleep(interval)
        now = stamps(files, dirs, out)
    while True:  # let the editor finish writing
        time.sleep(interval)
        settled = stamps(files, dirs, out)
        if settled == now:
            return
        now = settled
