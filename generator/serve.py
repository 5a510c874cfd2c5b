"""``factsite serve``: MkDocs' development server, tuned for the edit loop.

It runs ``mkdocs serve --dirty`` (the plugin then has MkDocs rewrite only the pages a save
changes, :mod:`generator.mkdocs_serve`) with one difference: MkDocs' server looks for changes
by polling every watched file twice a second, which adds up to half a second to every save
and keeps a core busy on a large tree; here the operating system reports each change
(watchdog's native observer: inotify on Linux) as it happens.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import watchdog.observers
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.livereload import LiveReloadServer
from watchdog import events
from watchdog.observers.api import ObservedWatch

CHANGES = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent,
           events.FileMovedEvent, events.FileClosedEvent]
"""The events that mean a file changed (the native observer also reports every file opened
and closed unwritten, for example by the build reading it: those would rebuild forever)."""


class ChangesObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The platform's native observer, reporting only changes to files."""

    def schedule(self, event_handler: events.FileSystemEventHandler, path: str | Path,
                 **kwargs: Any) -> ObservedWatch:
        kwargs.setdefault("event_filter", CHANGES)
        return super().schedule(event_handler, path, **kwargs)


class NotifiedReloadServer(LiveReloadServer):
    """MkDocs' live-reload server, told of changes by the operating system."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observer = ChangesObserver()  # before anything is watched


def serve(config_path: Path, dev_addr: str) -> int:
    """Serve the site until interrupted; MkDocs' exit status."""
    from mkdocs.__main__ import cli

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    gc.enable()  # a long-running process: the CLI pauses the collector for short commands
    mkdocs_serve.LiveReloadServer = NotifiedReloadServer  # type: ignore[misc]
    try:
        cli.main(args=["serve", "--dirty", "--config-file", str(config_path),
                       "--dev-addr", dev_addr], prog_name="factsite serve",
                 standalone_mode=False)
    except KeyboardInterrupt:
        return 0
    finally:
        mkdocs_serve.LiveReloadServer = LiveReloadServer  # type: ignore[misc]
    return 0
