"""The kinds of record: one table that every stage reads.

Each kind names its folder in ``content/`` (also its URL section and ``[[kind/id]]``
prefix), its singular noun for messages, its label on pages, its section title (if it
has an index page), its Pydantic model and the sentence ``factsite new`` opens with.
Everything else (file suffixes, schema file names, the order of the site's sections) is
derived from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import (
    Actor,
    Claim,
    Election,
    Explainer,
    MarkdownRecord,
    Page,
    Record,
    Source,
    Statement,
    Tactic,
)


@dataclass(frozen=True)
class Kind:
    model: type[Record]
    singular: str
    """The noun in messages: ``unknown actor 'x'``."""
    label: str
    """The noun on pages, capitalised: ``Fact-check: …``."""
    section_title: str | None
    """Title of the kind's index page; None: the kind has no index (pages)."""
    section: int | None
    """Place of the kind's section in the site's order (None: no section)."""
    summary: str
    """What a record of this kind is, in one sentence (the top of ``factsite new``)."""

    @property
    def folder(self) -> str:
        """``content/<folder>/``, the URL section and the ``[[folder/id]]`` prefix."""
        return self.model.collection

    @property
    def document(self) -> bool:
        """Markdown with YAML front matter (else a YAML file)."""
        return issubclass(self.model, MarkdownRecord)

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (".md",) if self.document else (".yaml", ".yml")

    @property
    def schema_name(self) -> str:
        return f"{self.folder}.schema.json"


KINDS: tuple[Kind, ...] = (
    Kind(Source, "source", "Source", "Sources", 5,
         "A source: a document we cite (report, article, statement, dataset...)."),
    Kind(Actor, "actor", "Actor", "Actors", 4,
         "An actor: a state, body, outlet or person who says or does things."),
    Kind(Election, "election", "Election", "Elections", 2,
         "An election that statements or claims are about."),
    Kind(Tactic, "tactic", "Tactic", "Tactics", 3,
         "A tactic: a way of interfering with or undermining an election."),
    Kind(Statement, "statement", "Statement", "Statements", 1,
         "An attributed statement: who said what, when, according to which source."),
    Kind(Claim, "claim", "Fact-check", "Fact-checks", 0,
         "A fact-check of one claim, rated on the scale in content/site.yaml."),
    Kind(Explainer, "explainer", "Explainer", "Explainers", 6,
         "An explainer: a longer article in Markdown, below the front matter."),
    Kind(Page, "page", "Page", None, None,
         "A page of the site (about, methodology...), in Markdown below the front matter."),
)
"""Every kind, in load order (records that others refer to come first)."""

_BY_FOLDER = {kind.folder: kind for kind in KINDS}


def get(folder: str) -> Kind:
    """The kind stored in ``content/<folder>/`` (KeyError if there is none)."""
    return _BY_FOLDER[folder]


def folders() -> tuple[str, ...]:
    return tuple(kind.folder for kind in KINDS)


def yaml_folders() -> tuple[str, ...]:
    """Kinds stored as YAML files."""
    return tuple(kind.folder for kind in KINDS if not kind.document)


def document_folders() -> tuple[str, ...]:
    """Kinds stored as Markdown with front matter."""
    return tuple(kind.folder for kind in KINDS if kind.document)


def section_folders() -> tuple[str, ...]:
    """Kinds with an index page, in the site's order."""
    sections = sorted((kind for kind in KINDS if kind.section is not None),
                      key=lambda kind: kind.section or 0)
    return tuple(kind.folder for kind in sections)


def singulars() -> dict[str, str]:
    return {kind.folder: kind.singular for kind in KINDS}


def labels() -> dict[str, str]:
    return {kind.folder: kind.label for kind in KINDS}


def section_titles() -> dict[str, str]:
    """Folder → index page title, in the site's order."""
    return {folder: get(folder).section_title or "" for folder in section_folders()}


def models() -> dict[str, type[Record]]:
    return {kind.folder: kind.model for kind in KINDS}
