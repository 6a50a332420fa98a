"""Standard output that the reader may close (``| head``)."""

from __future__ import annotations

import os
import sys


def discard_stdout() -> None:
    """Point stdout at the null device: what is still buffered is dropped quietly.

    Without it, Python's final flush of stdout fails again at exit, prints a
    traceback and turns the exit code into 120.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no real file (tests capture it)
        pass
