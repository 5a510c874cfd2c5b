"""A single updating progress line on stderr, for work that takes more than a few seconds.

Shown only when the stream is a terminal and the ``CI`` environment variable is unset, and
only once the work has run for :data:`DEFAULT_DELAY` seconds (``FACTSITE_PROGRESS_DELAY``
overrides it; ``0`` shows it at once), so quick commands, logs and CI output stay as they
were. The line is erased when the work ends.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import TextIO

DEFAULT_DELAY = 2.0
"""Seconds of work before the line appears."""
INTERVAL = 0.25
"""Seconds between redraws."""
CLEAR = "\r\x1b[K"
"""Back to the start of the line, and erase it."""


def wanted(stream: TextIO) -> bool:
    """Whether a progress line belongs on ``stream``: a terminal, outside CI."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def configured_delay() -> float:
    """``FACTSITE_PROGRESS_DELAY`` in seconds, else :data:`DEFAULT_DELAY`."""
    try:
        return max(0.0, float(os.environ["FACTSITE_PROGRESS_DELAY"]))
    except (KeyError, ValueError):
        return DEFAULT_DELAY


class Progress:
    """``with Progress("checking content") as progress: … progress.update(done=3, total=9)``

    A background thread redraws ``label done/total · 12 s`` in place; nothing is written
    when the stream is not a terminal, or before ``delay`` seconds.
    """

    def __init__(self, label: str, *, stream: TextIO | None = None,
                 delay: float | None = None) -> None:
        self.label = label
        self.done: int | None = None
        self.total: int | None = None
        self.stream = stream or sys.stderr
        self.delay = configured_delay() if delay is None else delay
        self.enabled = wanted(self.stream)
        self.started = time.monotonic()
        self.shown = False
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        self.started = time.monotonic()
        if self.enabled and self.thread is None:
            self.stopped.clear()
            self.thread = threading.Thread(target=self._run, name="factsite-progress",
                                           daemon=True)
            self.thread.start()

    def update(self, label: str | None = None, *, done: int | None = None,
               total: int | None = None) -> None:
        """Change what the line says (drawn at the next redraw)."""
        with self.lock:
            if label is not None:
                self.label = label
            if done is not None:
                self.done = done
            if total is not None:
                self.total = total

    def stage(self, label: str, total: int | None = None) -> None:
        """Start a new stage: a new label, counting from 0 if ``total`` is given."""
        with self.lock:
            self.label = label
            self.done = 0 if total else None
            self.total = total

    def advance(self) -> None:
        """One more item of the stage done."""
        with self.lock:
            if self.done is not None:
                self.done += 1

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        count = f" {self.done:,}/{self.total:,}" if self.done is not None and self.total else ""
        return f"{self.label}{count} · {elapsed:.0f} s"

    def clear(self) -> None:
        """Erase the line (before other output is written); it comes back at the next
        redraw."""
        with self.lock:
            if self.shown:
                self._write(CLEAR)

    def stop(self) -> None:
        if self.thread is not None:
            self.stopped.set()
            self.thread.join()
            self.thread = None
        self.clear()
        self.shown = False

    def _run(self) -> None:
        if self.stopped.wait(self.delay):
            return
        while True:
            with self.lock:
                self._write(CLEAR + self.line())
                self.shown = True
            if self.stopped.wait(INTERVAL):
                return

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away
            self.stopped.set()
