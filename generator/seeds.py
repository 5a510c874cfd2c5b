"""Load stage, second half: the seed texts that sources name, read from ``seeds/``.

Which seeds are needed is known only once the sources are validated, so this runs after
validation; the link stage then verifies quotes against the texts it is given and does no
file I/O. Symbolic links out of ``seeds/`` and missing files are reported on the source's
``seed`` field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .load import Document, SeedFolder, read_text
from .quotes import normalise


@dataclass
class Seeds:
    """Seed path (relative to ``seeds/``) → its text, and the same text normalised for
    quote matching. A seed that could not be read is absent."""

    texts: dict[str, str] = field(default_factory=dict)
    normalised: dict[str, str] = field(default_factory=dict)

    def add(self, seed: str, text: str) -> None:
        self.texts[seed] = text
        self.normalised[seed] = normalise(text)


def wanted_seeds(entries: Iterable[tuple[Document, object]]) -> list[tuple[Document, str]]:
    """``(source document, seed)`` for every source (valid or partial) that names a seed."""
    return [(document, seed) for document, record in entries
            if document.kind == "sources" and isinstance(seed := getattr(record, "seed", None),
                                                         str)]


def read_seeds(root: Path, wanted: Iterable[tuple[Document, str]]
               ) -> tuple[Seeds, list[Diagnostic]]:
    """Read each seed a source names (``(source document, seed path)``), once each."""
    seeds = Seeds()
    problems: list[Diagnostic] = []
    folder = root / "seeds"
    listing = SeedFolder(folder.resolve())  # listed once, only if a seed is missing
    for document, seed in wanted:
        if seed in seeds.texts:
            continue
        problem = _refusal(folder, seed, listing)
        if problem:
            problems.append(document.diagnostic(("seed",), problem))
            continue
        text, found = read_text(folder.resolve() / seed, f"seeds/{seed}")
        problems.extend(found)
        if text is not None:
            seeds.add(seed, text)
    return seeds, problems


def _refusal(folder: Path, seed: str, listing: SeedFolder) -> str | None:
    """Why ``seeds/<seed>`` may not be read, or None."""
    if folder.is_symlink():
        return "seeds/ is a symbolic link; it must be a real folder in the repository"
    real_folder = folder.resolve()
    path = real_folder / seed
    if not Path(os.path.realpath(path)).is_relative_to(real_folder):
        return f"seed '{seed}' leads outside seeds/ (through a symbolic link)"
    if not path.is_file():
        return f"seed file seeds/{seed} does not exist{listing.suggest(seed)}"
    return None
