"""``python -m report_builder``: one build in its own process.

A build makes many small objects that all live until it ends, so the cyclic
garbage collector is told to run less often, before anything is imported
(imports make objects too); and once the output is on disk and the streams are
flushed, the process ends without the interpreter's teardown (~40 ms of
freeing what the OS frees anyway).
"""

import gc
import os
import sys

gc.set_threshold(50_000, 20, 100)

from .cli import main  # noqa: E402 - after the threshold: importing makes objects too

status = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(status)
