"""Build into a folder beside the target and swap it in only when the build succeeded, so a
failed build never deletes or half-writes the published output."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StagedFolder:
    """``staging`` fills up while ``target`` stays as it was until :meth:`commit`."""

    target: Path
    staging: Path

    @classmethod
    def beside(cls, target: Path | str) -> StagedFolder:
        """A fresh, empty staging folder next to ``target`` (same file system, so the swap
        is two renames)."""
        target = Path(target).absolute()
        staging = target.parent / f".{target.name}.partial-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        return cls(target, staging)

    def commit(self) -> None:
        """Replace ``target`` with the staged folder."""
        old = self.target.parent / f".{self.target.name}.previous-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        if self.target.exists():
            self.target.rename(old)
        self.staging.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Drop the staged folder; ``target`` is left untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)
