"""MkDocs plugin ``factsite-progress``: one updating line on stderr during a long build.

``checking content`` while the factsite plugin loads, validates and links, then
``building pages 1,234/5,000`` as MkDocs writes them, then ``writing exports``. Drawn
only on a terminal, outside CI, after a few seconds (see :mod:`generator.progress`);
erased before each log message MkDocs prints and when the build ends, so logs read as
before.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from .progress import Progress

MKDOCS_LOG = logging.getLogger("mkdocs")


class _ClearBeforeLogging(logging.Filter):
    """Erases the progress line before a log message is written over it."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def filter(self, record: logging.LogRecord) -> bool:
        self.progress.clear()
        return True


class ProgressPlugin(BasePlugin):  # type: ignore[type-arg]
    """Reports where a build is; does nothing to the site."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.filter: _ClearBeforeLogging | None = None

    @event_priority(100)  # before the factsite plugin does its work
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.finish()
        self.progress = Progress("checking content")
        self.filter = _ClearBeforeLogging(self.progress)
        for handler in MKDOCS_LOG.handlers:
            handler.addFilter(self.filter)
        self.progress.start()

    @event_priority(-100)  # after the factsite plugin added its pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.progress:
            self.progress.stage("building pages", total=len(files.documentation_pages()))
        return files

    def on_post_page(self, output: str, **kwargs: Any) -> str:
        if self.progress:
            self.progress.advance()
        return output

    @event_priority(100)  # before the factsite plugin writes the exports
    def _exports_start(self, *, config: MkDocsConfig) -> None:
        if self.progress:
            self.progress.stage("writing exports")

    @event_priority(-100)  # after every plugin's work
    def _build_done(self, *, config: MkDocsConfig) -> None:
        self.finish()

    on_post_build = CombinedEvent(_exports_start, _build_done)

    @event_priority(-100)
    def on_build_error(self, *, error: Exception) -> None:
        self.finish()

    def on_shutdown(self) -> None:
        self.finish()

    def finish(self) -> None:
        """Erase the line and stop redrawing it."""
        if self.filter is not None:
            for handler in MKDOCS_LOG.handlers:
                handler.removeFilter(self.filter)
            self.filter = None
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
