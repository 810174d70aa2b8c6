"""``python -m report_builder``: one build in its own process.

A build makes many small objects that all live until it ends, and Python frees
what it drops by reference counting, so the cyclic garbage collector is switched
off before anything is imported (imports make objects too): ~6 ms a build, and
the peak RSS did not change (40 distinct pages: 114 MiB with it on or off).
Once the output is on disk and the streams are flushed, the process ends without
the interpreter's teardown (~40 ms of freeing what the OS frees anyway).
"""

import gc
import os
import sys

gc.disable()

from .cli import main  # noqa: E402 - after gc.disable: importing makes objects too

status = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(status)
