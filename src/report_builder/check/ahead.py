"""Work the preflight will need shortly, started ahead on worker threads.

zlib and hashlib let go of the GIL on large buffers, so inflating the page content and
taking the SHA-256 of the placed JPEGs can run beside the content walk. pikepdf is only
called from the preflight's own thread. A task no worker has started yet is run by
whoever needs it first: with no core to spare this is no slower than working in line.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
#: Worker threads (the build is timed on two cores; the walk keeps one busy).
THREADS = 2


class Task(Generic[T]):
    """``fn(arg)``, run once by a worker or by the first thread that needs the result."""

    __slots__ = ("_arg", "_claim", "_done", "_error", "_fn", "_result")

    def __init__(self, fn: Callable[[Any], T], arg: Any) -> None:
        self._fn, self._arg = fn, arg
        self._claim = threading.Lock()
        self._done = threading.Event()
        self._result: Any = None
        self._error: BaseException | None = None

    def run(self) -> None:
        """Do the work unless a thread already has (or is at it)."""
        if not self._claim.acquire(blocking=False):
            return
        try:
            self._result = self._fn(self._arg)
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc
        finally:
            self._arg = None
            self._done.set()

    def cancel(self) -> None:
        """Drop the task unless it has started; either way it is done on return."""
        if self._claim.acquire(blocking=False):
            self._arg = None
            self._done.set()
        self._done.wait()

    def result(self) -> T:
        self.run()
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._result


def start(tasks: list[Task]) -> None:
    """Run ``tasks`` in order on worker threads, which end when no task is left."""
    queue = deque(tasks)

    def work() -> None:
        while queue:
            try:
                task = queue.popleft()
            except IndexError:  # another worker took the last one
                return
            task.run()

    for _ in range(min(THREADS, len(tasks))):
        threading.Thread(target=work, name="preflight-ahead", daemon=True).start()
