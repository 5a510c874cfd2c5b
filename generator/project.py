"""Where the project is: the folder holding ``content/``, found from any folder inside it."""

from __future__ import annotations

from pathlib import Path


class NoProject(Exception):
    """No folder holding ``content/`` here or above."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``content/`` (where
    ``mkdocs.yml`` also lives, if the project has one), as git finds its repository from
    any folder inside it: from ``content/claims/`` it is the project folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "content").is_dir():
            return folder
    raise NoProject(f"no content/ folder in {start} or any folder above it; run factsite "
                    "inside a project, or pass --root DIR")
