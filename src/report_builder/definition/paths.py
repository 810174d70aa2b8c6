"""File paths named in report.yaml: kept inside the edition's folder, and present.

A report definition may come from someone else (an archive, an e-mail); it
must not make the build read /etc/passwd or a private file through ``..``,
an absolute path or a symbolic link, unless the editor says
``allow_outside_paths: true``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .reader import Invalid, as_text
from .source import YNode


def resolve_path(node: YNode, base_dir: Path, allow_outside: bool, what: str) -> Path:
    """The file a path field names, relative to ``base_dir``; raises Invalid with the reason."""
    raw = as_text(node).strip()
    if not raw:
        raise Invalid(f"expected the path of the {what} file, got empty text")
    if "\0" in raw or "\t" in raw or "\n" in raw:
        raise Invalid(f"the {what} path contains a control character")
    given = Path(raw)
    if raw.startswith("~") and not allow_outside:
        raise Invalid(
            f"{raw!r}: paths starting with ~ are refused; put the {what} inside the edition "
            "folder (or set allow_outside_paths: true)"
        )
    if given.is_absolute() and not allow_outside:
        raise Invalid(
            f"absolute path {raw!r} is refused: put the {what} inside the edition folder "
            f"{base_dir} and give a relative path (or set allow_outside_paths: true)"
        )
    full = given if given.is_absolute() else base_dir / given
    try:
        base_real = base_dir.resolve()
        real = full.resolve()
    except (OSError, RuntimeError) as exc:
        raise Invalid(f"cannot follow the path {raw!r}: {exc}") from None
    if not allow_outside and not real.is_relative_to(base_real):
        lexical = Path(os.path.normpath(base_dir.absolute() / given))
        how = (
            "through a symbolic link"
            if lexical.is_relative_to(base_dir.absolute())
            else "with '..'"
        )
        raise Invalid(
            f"{raw!r} leads outside the edition folder {how}; this is refused "
            "(copy the file into the folder, or set allow_outside_paths: true)"
        )
    try:
        exists, is_dir, is_file = full.exists(), full.is_dir(), full.is_file()
    except OSError as exc:
        raise Invalid(f"cannot read {raw!r}: {exc.strerror or exc}") from None
    if not exists:
        raise Invalid(f"{what} file not found: {raw}{_nearby(full)}")
    if is_dir:
        raise Invalid(f"{raw!r} is a folder, not a file")
    if not is_file:  # a pipe or device would hang or feed endless data to a later stage
        raise Invalid(f"{raw!r} is not a regular file")
    return full


def _nearby(full: Path) -> str:
    """' (did you mean 'x.jpg'?)' from the files beside the missing one."""
    try:
        names = sorted(os.listdir(full.parent))[:2000]
    except OSError:
        return f" (the folder {full.parent.name or full.parent} does not exist either)"
    close = difflib.get_close_matches(full.name, names, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
