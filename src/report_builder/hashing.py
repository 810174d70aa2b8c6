"""Content hashes for locks, caches and the manifest (standard library only: cheap to import)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_file_soon(path: Path) -> Callable[[], str]:
    """Start hashing ``path`` on another thread; call the result to wait for the digest.

    File reads and ``hashlib`` release the GIL, so the digest of a large PDF (~10 ms
    for 13 MB) is taken on the second core while the build goes on with its checks.
    """
    found: dict[str, str | BaseException] = {}

    def work() -> None:
        try:
            found["sha256"] = sha256_file(path)
        except BaseException as exc:  # handed to whoever waits for the digest
            found["error"] = exc

    thread = threading.Thread(target=work, name=f"sha256 {path.name}", daemon=True)
    thread.start()

    def result() -> str:
        thread.join()
        error = found.get("error")
        if isinstance(error, BaseException):
            raise error
        return str(found["sha256"])

    return result


def sha256_files(paths: Iterable[Path], index: Path | None = None) -> dict[Path, str]:
    """SHA-256 of each file, remembered in the JSON file ``index`` by the file's identity.

    An edition's photos and report.yaml rarely change between two builds: a file whose
    device, inode, size, modification and change times are those recorded is not read
    again (the same identity ``make`` and rsync trust; a rewrite changes the change time).
    """
    try:
        known = json.loads(index.read_text(encoding="utf-8")) if index is not None else {}
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    digests: dict[Path, str] = {}
    used: dict[str, str] = {}
    for path in paths:
        st = os.stat(path)
        key = f"{path}|{st.st_dev}|{st.st_ino}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}"
        digest = known.get(key)
        if not isinstance(digest, str):
            digest = sha256_file(path)
        digests[path] = used[key] = digest
    if index is not None and used != known:
        try:  # only what this build used is kept, so the index does not grow
            index.parent.mkdir(parents=True, exist_ok=True)
            tmp = index.with_name(f".{index.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(used, sort_keys=True, indent=0), encoding="utf-8")
            os.replace(tmp, index)
        except OSError:
            pass  # a cache that cannot be written only costs the next build a rehash
    return digests
