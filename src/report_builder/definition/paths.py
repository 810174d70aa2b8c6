"""File paths named in report.yaml: kept inside the edition's folder, and present.

A report definition may come from someone else (an archive, an e-mail); it
must not make the build read /etc/passwd or a private file through ``..``,
an absolute path or a symbolic link, unless the editor says
``allow_outside_paths: true``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .reader import Invalid, as_text
from .source import YNode

#: Errors that mean "no such file" to ``Path.exists()``, not "cannot look".
_ABSENT = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}


def resolve_path(
    node: YNode,
    base_dir: Path,
    allow_outside: bool,
    what: str,
    real_dirs: dict[str, str] | None = None,
) -> Path:
    """The file a path field names, relative to ``base_dir``; raises Invalid with the reason.

    ``real_dirs`` remembers folders already resolved during one load: the photos of an
    edition share a folder or two, and resolving it costs a system call per component.
    """
    raw = as_text(node).strip()
    if not raw:
        raise Invalid(f"expected the path of the {what} file, got empty text")
    if "\0" in raw or "\t" in raw or "\n" in raw:
        raise Invalid(f"the {what} path contains a control character")
    absolute = os.path.isabs(raw)  # as Path(raw).is_absolute(), without making the Path
    if raw.startswith("~") and not allow_outside:
        raise Invalid(
            f"{raw!r}: paths starting with ~ are refused; put the {what} inside the edition "
            "folder (or set allow_outside_paths: true)"
        )
    if absolute and not allow_outside:
        raise Invalid(
            f"absolute path {raw!r} is refused: put the {what} inside the edition folder "
            f"{base_dir} and give a relative path (or set allow_outside_paths: true)"
        )
    full = Path(raw) if absolute else base_dir / raw
    try:  # one stat for what Path.exists(), is_dir() and is_file() would each ask
        mode: int | None = os.stat(full).st_mode
        missing: OSError | None = None
    except OSError as exc:
        mode, missing = None, exc
    dirs = real_dirs if real_dirs is not None else {}
    try:
        if missing is not None and missing.errno == errno.ELOOP:
            base_dir.resolve()  # raise the loop as Path.resolve words it
            full.resolve()
        base_real = _real_dir(str(base_dir), dirs)
        real = _real_file(str(full), dirs)
    except (OSError, RuntimeError) as exc:
        raise Invalid(f"cannot follow the path {raw!r}: {exc}") from None
    if not allow_outside and not _inside(real, base_real):
        lexical = Path(os.path.normpath(base_dir.absolute() / raw))
        how = (
            "through a symbolic link"
            if lexical.is_relative_to(base_dir.absolute())
            else "with '..'"
        )
        raise Invalid(
            f"{raw!r} leads outside the edition folder {how}; this is refused "
            "(copy the file into the folder, or set allow_outside_paths: true)"
        )
    if missing is not None and missing.errno not in _ABSENT:
        raise Invalid(f"cannot read {raw!r}: {missing.strerror or missing}")
    if mode is None:
        raise Invalid(f"{what} file not found: {raw}{_nearby(full)}")
    if stat.S_ISDIR(mode):
        raise Invalid(f"{raw!r} is a folder, not a file")
    if not stat.S_ISREG(mode):  # a pipe or device would hang or feed endless data to a later stage
        raise Invalid(f"{raw!r} is not a regular file")
    return full


def _real_dir(path: str, dirs: dict[str, str]) -> str:
    real = dirs.get(path)
    if real is None:
        real = dirs[path] = os.path.realpath(path)
    return real


def _real_file(path: str, dirs: dict[str, str]) -> str:
    """``os.path.realpath(path)``, its folder resolved once per load."""
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_dir(folder, dirs), name)


def _inside(real: str, folder: str) -> bool:
    """Whether the resolved ``real`` lies in the resolved ``folder`` (or is it)."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def _nearby(full: Path) -> str:
    """' (did you mean 'x.jpg'?)' from the files beside the missing one."""
    import difflib  # only for a missing file: not imported by a good build

    try:
        names = sorted(os.listdir(full.parent))[:2000]
    except OSError:
        return f" (the folder {full.parent.name or full.parent} does not exist either)"
    close = difflib.get_close_matches(full.name, names, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
