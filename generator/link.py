"""Link stage: one graph from validated records, with every integrity check.

Resolves references (fields, ``about`` lists, ``{statement: id}`` evidence and
``[[kind/id]]`` in Markdown), builds backlinks, refuses duplicate ids and aliases,
checks seeds and verifies quotes against them, and applies the site's rating scale.
"""

from __future__ import annotations

import functools
import os
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from . import integrity, markdown
from .diagnostics import Diagnostic, did_you_mean, one_of
from .graph import SINGULAR, Graph, Link
from .load import ALL_KINDS, Document, Loc, Position, SeedFolder, dotted, read_text
from .models import Actor, Citation, Claim, MarkdownRecord, Record, Site, Source, Statement
from .quotes import closest, normalise, occurs_in
from .types import MarkdownMarker, Ref


class Role(NamedTuple):
    """What the link stage checks in a value: the kinds it must be the id of, and whether
    it is editor Markdown."""

    refs: tuple[str, ...]
    markdown: bool


Leaf = tuple[Loc, Any, Role]


def walk(model: BaseModel, loc: Loc = ()) -> list[Leaf]:
    """``(loc, value, role)`` for every leaf value of a model, depth first, that is a
    reference or Markdown (the fields of no type that can hold one are entered)."""
    found: list[Leaf] = []
    _walk_model(model, loc, found)
    return found


def _walk_model(model: BaseModel, loc: Loc, found: list[Leaf]) -> None:
    for name, annotation, role in _checked_fields(type(model)):
        value = getattr(model, name)
        if value is not None:
            _walk(value, annotation, role, (*loc, name), found)


def _walk(value: Any, annotation: Any, role: Role | None, loc: Loc, found: list[Leaf]
          ) -> None:
    if isinstance(value, BaseModel):
        _walk_model(value, loc, found)
    elif isinstance(value, list):
        item, item_role = _items(annotation)
        for index, element in enumerate(value):
            if element is not None:
                _walk(element, item, item_role, (*loc, index), found)
    elif role is not None:
        found.append((loc, value, role))


CHECKED_MARKERS = (Ref, MarkdownMarker)
"""The markers the link stage acts on: a field without one, at any depth, is skipped."""


def _role(markers: Iterable[Any]) -> Role | None:
    markers = tuple(markers)
    refs = tuple(marker.kind for marker in markers if isinstance(marker, Ref))
    markdown = any(isinstance(marker, MarkdownMarker) for marker in markers)
    return Role(refs, markdown) if refs or markdown else None


@functools.cache
def _checked_fields(model: type[BaseModel]) -> tuple[tuple[str, Any, Role | None], ...]:
    """``(name, annotation, role of a plain value)`` of the fields of ``model`` that can
    hold a reference or Markdown."""
    return tuple((name, info.annotation,
                  _role((*info.metadata, *_unwrap(info.annotation)[0])))
                 for name, info in model.model_fields.items()
                 if _has_marker(info.metadata) or _can_hold_marker(info.annotation))


def _has_marker(metadata: Iterable[Any]) -> bool:
    return any(isinstance(marker, CHECKED_MARKERS) for marker in metadata)


def _can_hold_marker(annotation: Any) -> bool:
    """Whether a value of this type can hold a marked value: a marked ``Annotated``, a
    model with such a field, or a list or union of these (``Any`` can hold anything)."""
    if annotation is Any:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(_checked_fields(annotation))
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        return _has_marker(metadata) or _can_hold_marker(inner)
    return any(_can_hold_marker(argument) for argument in typing.get_args(annotation))


_ITEMS: dict[int, tuple[Any, Any, Role | None]] = {}


def _items(annotation: Any) -> tuple[Any, Role | None]:
    """The item type of a list type (else ``Any``) and the role of a plain item. Cached:
    every list of every record asks."""
    found = _ITEMS.get(id(annotation))
    if found is None or found[0] is not annotation:
        item = _unwrap(annotation)[1]
        found = _ITEMS[id(annotation)] = (annotation, item, _role(_unwrap(item)[0]))
    return found[1], found[2]


def _unwrap(annotation: Any) -> tuple[tuple[Any, ...], Any]:
    """The markers ``Annotated`` adds to a type (through ``X | None``), and the item type
    if it is a list (else ``Any``)."""
    extra: tuple[Any, ...] = ()
    inner = annotation
    while True:
        origin = typing.get_origin(inner)
        if origin is typing.Annotated:
            inner, *more = typing.get_args(inner)
            extra = (*extra, *more)
        elif origin in (typing.Union, types.UnionType):
            arms = [arm for arm in typing.get_args(inner) if arm is not type(None)]
            if len(arms) != 1:
                break
            inner = arms[0]
        else:
            break
    item = typing.get_args(inner)[0] if typing.get_origin(inner) is list else Any
    return extra, item


class Linker:
    """Collects records into a graph and reports every problem it finds."""

    def __init__(self, root: Path, entries: list[tuple[Document, Record | Site]],
                 invalid: set[tuple[str, str]]) -> None:
        self.root = root
        self.entries = entries
        self.invalid = invalid
        """Records whose files failed to load or validate: references to them are not
        reported again (the file's own errors say what is wrong)."""
        self.graph = Graph(site=None)
        self.documents: dict[tuple[str, str], Document] = {}
        self.problems: list[Diagnostic] = []
        self.normalised_seeds: dict[str, str] = {}

    @functools.cached_property
    def seed_folder(self) -> SeedFolder:
        return SeedFolder((self.root / "seeds").resolve())

    def error(self, document: Document, loc: Loc, message: str, **kwargs: Any) -> None:
        self.problems.append(document.diagnostic(loc, message, **kwargs))

    def warn(self, document: Document, loc: Loc, message: str) -> None:
        self.problems.append(document.diagnostic(loc, message, severity="warning"))

    def run(self) -> Graph:
        self.register()
        self.register_aliases()
        for (kind, record_id), document in self.documents.items():
            record = self.graph.records[kind][record_id]
            leaves = walk(record)
            self.check_references(document, record, leaves)
            self.check_markdown(document, record, leaves)
        self.check_claims()
        self.check_cycles()
        self.check_sources()
        self.check_quotes()
        self.problems.extend(integrity.check(self.graph, self.documents, self.seed_texts))
        return self.graph

    # -- registration -------------------------------------------------------------------

    def register(self) -> None:
        for document, instance in self.entries:
            if isinstance(instance, Site):
                self.graph.site = instance
                continue
            key = (document.kind, document.id)
            if key in self.documents:
                other = self.documents[key].display
                self.error(document, (), f"duplicate id '{document.id}': {other} has the same "
                                         "id (file name); ids are unique within a kind")
                continue
            self.documents[key] = document
            self.graph.records[document.kind][document.id] = instance

    def register_aliases(self) -> None:
        for (kind, record_id), document in self.documents.items():
            record = self.graph.records[kind][record_id]
            for index, alias in enumerate(record.aliases):
                loc = ("aliases", index)
                if alias in self.graph.records[kind]:
                    self.error(document, loc, f"alias '{alias}' is the id of an existing "
                                              f"{SINGULAR[kind]} ({kind}/{alias})")
                elif (kind, alias) in self.graph.aliases:
                    owner = self.graph.aliases[(kind, alias)]
                    self.error(document, loc, f"alias '{alias}' is already an alias of "
                                              f"{kind}/{owner}")
                else:
                    self.graph.aliases[(kind, alias)] = record_id

    # -- references -----------------------------------------------------------------------

    def resolve(self, document: Document, loc: Loc, kind: str, target: str,
                at: Callable[[], Position] | None = None) -> bool:
        """Whether ``kind/target`` exists; if not, report why (``at``: where, asked only
        then; else the value's position)."""
        if target in self.graph.records.get(kind, {}):
            return True
        if (kind, target) in self.invalid:
            return False
        where = at() if at else None
        if kind not in ALL_KINDS:
            self.error(document, loc, f"unknown kind '{kind}' in reference; expected one of: "
                                      f"{one_of(ALL_KINDS)}{did_you_mean(kind, ALL_KINDS)}",
                       at=where)
            return False
        renamed = self.graph.aliases.get((kind, target))
        if renamed:
            message = f"'{target}' is an old id of {kind}/{renamed}; refer to '{renamed}'"
        else:
            message = (f"unknown {SINGULAR[kind]} '{target}'"
                       f"{did_you_mean(target, self.graph.records[kind])}")
        self.error(document, loc, message, at=where)
        return False

    def add_link(self, record: Record, kind: str, target: str, loc: Loc) -> None:
        self.graph.backlinks[(kind, target)].append(Link(record.collection, record.id,
                                                         dotted(loc)))
        self.graph.outlinks[(record.collection, record.id)][kind][target] = None

    def check_references(self, document: Document, record: Record, leaves: list[Leaf]) -> None:
        for loc, value, role in leaves:
            for kind in role.refs:
                if self.resolve(document, loc, kind, value):
                    if (kind, value) == (record.collection, record.id):
                        self.error(document, loc, f"a {SINGULAR[record.collection]} cannot "
                                                  "refer to itself")
                    else:
                        self.add_link(record, kind, value, loc)

    def check_markdown(self, document: Document, record: Record, leaves: list[Leaf]) -> None:
        texts: list[tuple[Loc, str, Position | None]] = [
            (loc, value, None) for loc, value, role in leaves if role.markdown]
        if isinstance(record, MarkdownRecord):
            texts.append((("body",), record.body, (record._body_line, 1)))
        for loc, text, known in texts:
            def start(loc: Loc = loc, known: Position | None = known) -> Position:
                """Where the text begins: looked up only to report a problem."""
                return known or document.text_start(loc)

            for problem in markdown.problems(text):
                line, column = start()
                at = (line + problem.line, column if problem.line == 0 else 1)
                self.error(document, loc, problem.message, at=at)
            seen: dict[str, int] = {}
            for reference in markdown.references(text):
                occurrence = seen.get(reference.raw, 0)
                seen[reference.raw] = occurrence + 1

                def place(raw: str = reference.raw, occurrence: int = occurrence) -> Position:
                    """Where this reference stands: looked up only to report a problem."""
                    return document.find(raw, start(), occurrence) or start()

                if not reference.id:
                    self.error(document, loc, f"reference {reference.raw} should be "
                                              "[[kind/id]] or [[kind/id|label]]", at=place())
                elif self.resolve(document, loc, reference.kind, reference.id, at=place):
                    self.add_link(record, reference.kind, reference.id, loc)

    # -- claims, cycles, sources -------------------------------------------------------------

    def check_claims(self) -> None:
        site = self.graph.site
        publisher = site.publisher.name.casefold() if site else None
        for claim_id, claim in self.graph.records["claims"].items():
            assert isinstance(claim, Claim)
            document = self.documents[("claims", claim_id)]
            if site is None:
                self.error(document, ("rating",), "cannot check the rating: content/site.yaml "
                                                  "is missing or invalid")
            elif site.rating(claim.rating) is None:
                ids = [rating.id for rating in site.ratings]
                self.error(document, ("rating",), f"'{claim.rating}' is not a rating; expected "
                                                  f"one of: {one_of(ids)}"
                                                  f"{did_you_mean(claim.rating, ids)}")
            claimant = self.graph.get("actors", claim.claimant)
            if isinstance(claimant, Actor) and claimant.name.casefold() == publisher:
                self.error(document, ("claimant",), "the claimant cannot be the publisher itself")

    def check_cycles(self) -> None:
        for kind, attribute in (("tactics", "parent"), ("actors", "part_of"),
                                ("sources", "reported_in")):
            cyclic = self.graph.in_cycles(kind, attribute)
            for record_id in self.graph.records[kind]:
                if record_id in cyclic:
                    self.error(self.documents[(kind, record_id)], (attribute,),
                               f"'{attribute}' forms a cycle back to {kind}/{record_id}")

    def check_sources(self) -> None:
        seeds_dir = (self.root / "seeds").resolve()
        for source_id, source in self.graph.records["sources"].items():
            assert isinstance(source, Source)
            document = self.documents[("sources", source_id)]
            if source.url and not source.archived_url:
                self.warn(document, ("url",), "url has no archived_url; add an archived copy "
                                              "(e.g. the Wayback Machine) so readers can check "
                                              "it if the page changes")
            if source.seed:
                self.load_seed(document, source.seed, seeds_dir)

    def load_seed(self, document: Document, seed: str, seeds_dir: Path) -> None:
        if (self.root / "seeds").is_symlink():
            self.error(document, ("seed",), "seeds/ is a symbolic link; it must be a real "
                                            "folder in the repository")
            return
        if seed in self.graph.seeds or seed in self.normalised_seeds:
            return
        path = seeds_dir / seed
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(seeds_dir):
            self.error(document, ("seed",), f"seed '{seed}' leads outside seeds/ "
                                            "(through a symbolic link)")
            return
        if not path.is_file():
            self.error(document, ("seed",), f"seed file seeds/{seed} does not exist"
                                            f"{self.seed_folder.suggest(seed)}")
            return
        text, found = read_text(path, f"seeds/{seed}")
        self.problems.extend(found)
        if text is not None:
            self.graph.seeds[seed] = text
            self.normalised_seeds[seed] = normalise(text)

    # -- quotes ----------------------------------------------------------------------------

    def seed_texts(self, source_id: str) -> list[tuple[str, str]]:
        """``(seed, normalised text)`` that can verify quotes from a source."""
        source = self.graph.get("sources", source_id)
        if not isinstance(source, Source):
            return []
        chain = [source, *self.graph.chain(source)] if not source.seed else [source]
        return [(s.seed, self.normalised_seeds[s.seed]) for s in chain
                if isinstance(s, Source) and s.seed and s.seed in self.normalised_seeds]

    def check_quotes(self) -> None:
        for kind in ("statements", "claims"):
            for record_id, record in self.graph.records[kind].items():
                document = self.documents[(kind, record_id)]
                for loc, citation in self.citations(record):
                    self.check_citation(document, loc, citation)
                if isinstance(record, Statement) and record.form == "quote":
                    self.check_statement_text(document, record)

    @staticmethod
    def citations(record: Record) -> Iterator[tuple[Loc, Citation]]:
        if isinstance(record, Statement):
            yield from ((("citations", i), c) for i, c in enumerate(record.citations))
        if isinstance(record, Claim):
            yield from ((("appearances", i), c) for i, c in enumerate(record.appearances))
            yield from ((("evidence", i), c) for i, c in enumerate(record.evidence)
                        if isinstance(c, Citation))

    def check_citation(self, document: Document, loc: Loc, citation: Citation) -> None:
        if not citation.quote or citation.source not in self.graph.records["sources"]:
            return
        texts = self.seed_texts(citation.source)
        if not texts:
            source = self.graph.records["sources"][citation.source]
            if not (isinstance(source, Source) and source.seed):  # a broken seed is reported
                self.warn(document, (*loc, "quote"), f"quote not verified: source "
                                                     f"'{citation.source}' has no seed text "
                                                     "(nor do the sources it is reported in)")
            return
        if not any(occurs_in(citation.quote, text) for _, text in texts):
            seeds = ", ".join(f"seeds/{seed}" for seed, _ in texts)
            self.error(document, (*loc, "quote"), f"quote is not verbatim in {seeds}"
                                                  f"{closest(citation.quote, texts)}")

    def check_statement_text(self, document: Document, statement: Statement) -> None:
        if any(c.source not in self.graph.records["sources"] for c in statement.citations):
            return  # an unknown or invalid source is reported already
        texts = [text for citation in statement.citations
                 for text in self.seed_texts(citation.source)]
        if not texts:
            self.error(document, ("text",), "form: quote needs a citation whose source has a "
                                            "seed, to verify the quoted text against")
        elif not any(occurs_in(statement.text, text) for _, text in texts):
            seeds = ", ".join(sorted({f"seeds/{seed}" for seed, _ in texts}))
            self.error(document, ("text",), f"form is quote, but the text is not verbatim in "
                                            f"any cited seed ({seeds}); use form: paraphrase "
                                            f"or quote exactly{closest(statement.text, texts)}")


def link(root: Path, entries: list[tuple[Document, Record | Site]],
         invalid: set[tuple[str, str]] | None = None) -> tuple[Graph, list[Diagnostic]]:
    linker = Linker(root, entries, invalid or set())
    graph = linker.run()
    return graph, linker.problems
