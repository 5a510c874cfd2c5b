"""Link stage: one graph from validated records, and the integrity checks on it.

Each check is a small function that returns its diagnostics: references (fields,
``about`` lists, ``{statement: id}`` evidence and ``[[kind/id]]`` in Markdown) with the
links they make, aliases, the claimant, cycles, archived copies and quotes. The stage
reads no file: seed texts come from the load stage (:mod:`generator.seeds`).

Records that failed validation take part through their *partial* records (their valid
fields): their references and quotes are checked and reported, but they add nothing to
the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from . import integrity, markdown, registry
from .diagnostics import Diagnostic, did_you_mean, one_of
from .fields import FieldSpec, checked
from .graph import Graph, Link
from .load import Document, Loc, Position, dotted
from .models import Actor, Citation, Claim, MarkdownRecord, Record, Site, Source, Statement
from .quotes import closest, occurs_in
from .seeds import Seeds

Leaf = tuple[Loc, Any, FieldSpec]
Entry = tuple[Document, Record]
Found = tuple[str, str, Loc]
"""A link a record makes: ``(kind, id, loc)``."""


def walk(model: BaseModel, loc: Loc = ()) -> list[Leaf]:
    """``(loc, value, field)`` for every value of a model, depth first, that is a
    reference or Markdown. A partial record's missing fields and broken items are skipped."""
    found: list[Leaf] = []
    _walk_model(model, loc, found)
    return found


def _walk_model(model: BaseModel, loc: Loc, found: list[Leaf]) -> None:
    for spec in checked(type(model)):
        value = getattr(model, spec.name, None)
        here = (*loc, spec.name)
        if spec.many and isinstance(value, list):
            for index, item in enumerate(value):
                _visit(item, spec, (*here, index), found)
        else:
            _visit(value, spec, here, found)


def _visit(value: Any, spec: FieldSpec, loc: Loc, found: list[Leaf]) -> None:
    if isinstance(value, BaseModel):
        _walk_model(value, loc, found)
    elif value is not None and (spec.refs or spec.markdown):
        found.append((loc, value, spec))


# -- registration ---------------------------------------------------------------------------


def register(entries: Iterable[tuple[Document, Record | Site]]
             ) -> tuple[Graph, dict[tuple[str, str], Document], list[Diagnostic]]:
    """The graph of valid records (and the site), each record's document, and duplicates."""
    graph = Graph(site=None)
    documents: dict[tuple[str, str], Document] = {}
    problems = []
    for document, instance in entries:
        if isinstance(instance, Site):
            graph.site = instance
            continue
        key = (document.kind, document.id)
        if key in documents:
            problems.append(document.diagnostic((), (
                f"duplicate id '{document.id}': {documents[key].display} has the same id "
                "(file name); ids are unique within a kind")))
            continue
        documents[key] = document
        graph.records[document.kind][document.id] = instance
    return graph, documents, problems


def check_aliases(graph: Graph, entries: Sequence[Entry]
                  ) -> tuple[dict[tuple[str, str], str], list[Diagnostic]]:
    """``(kind, old id)`` → current id, and the aliases that clash."""
    aliases: dict[tuple[str, str], str] = {}
    problems = []
    for document, record in entries:
        kind = record.collection
        for index, alias in enumerate(record.aliases):
            loc = ("aliases", index)
            if alias in graph.records[kind]:
                problems.append(document.diagnostic(loc, (
                    f"alias '{alias}' is the id of an existing "
                    f"{registry.get(kind).singular} ({kind}/{alias})")))
            elif (kind, alias) in aliases:
                problems.append(document.diagnostic(loc, (
                    f"alias '{alias}' is already an alias of {kind}/{aliases[(kind, alias)]}")))
            else:
                aliases[(kind, alias)] = record.id
    return aliases, problems


# -- references ------------------------------------------------------------------------------


@dataclass
class Resolver:
    """Answers whether ``kind/id`` exists and, if not, what to tell the editor."""

    graph: Graph
    invalid: set[tuple[str, str]] = field(default_factory=set)
    """Records whose files failed to load or validate: references to them are not
    reported (the file's own errors say what is wrong)."""

    def problem(self, kind: str, target: str) -> str | None:
        """None if ``kind/target`` exists (or is an invalid record); else the message."""
        if target in self.graph.records.get(kind, {}) or (kind, target) in self.invalid:
            return None
        kinds = registry.folders()
        if kind not in kinds:
            return (f"unknown kind '{kind}' in reference; expected one of: {one_of(kinds)}"
                    f"{did_you_mean(kind, kinds)}")
        renamed = self.graph.aliases.get((kind, target))
        if renamed:
            return f"'{target}' is an old id of {kind}/{renamed}; refer to '{renamed}'"
        records = self.graph.records[kind]
        return (f"unknown {registry.get(kind).singular} '{target}'"
                f"{did_you_mean(target, records, self.names(kind))}")

    def names(self, kind: str) -> dict[str, str]:
        """Id → display name of the records of ``kind`` that have a name or a title."""
        found = {}
        for record_id, record in self.graph.records[kind].items():
            name = getattr(record, "name", None) or getattr(record, "title", None)
            if isinstance(name, str):
                found[record_id] = name
        return found

    def exists(self, kind: str, target: str) -> bool:
        return target in self.graph.records.get(kind, {})


def check_references(resolver: Resolver, document: Document, record: Record,
                     leaves: list[Leaf]) -> tuple[list[Found], list[Diagnostic]]:
    """The links a record's reference fields make, and the references that don't resolve."""
    links: list[Found] = []
    problems = []
    for loc, value, spec in leaves:
        for kind in spec.refs:
            message = resolver.problem(kind, value)
            if message:
                problems.append(document.diagnostic(loc, message))
            elif not resolver.exists(kind, value):
                continue
            elif (kind, value) == (record.collection, record.id):
                problems.append(document.diagnostic(loc, (
                    f"a {registry.get(record.collection).singular} cannot refer to itself")))
            else:
                links.append((kind, value, loc))
    return links, problems


def markdown_texts(document: Document, record: Record, leaves: list[Leaf]
                   ) -> list[tuple[Loc, str, Callable[[], Position]]]:
    """``(loc, text, where the text begins)`` for every Markdown value and a body; the
    position is looked up only to report a problem."""
    texts: list[tuple[Loc, str, Callable[[], Position]]] = [
        (loc, value, lambda loc=loc: document.text_start(loc))
        for loc, value, spec in leaves if spec.markdown]
    if isinstance(record, MarkdownRecord):
        texts.append((("body",), record.body, lambda: (record._body_line, 1)))
    return texts


def check_markdown(resolver: Resolver, document: Document, record: Record,
                   leaves: list[Leaf]) -> tuple[list[Found], list[Diagnostic]]:
    """Raw HTML and unsafe links in editor Markdown, and its ``[[kind/id]]`` references."""
    links: list[Found] = []
    problems = []
    for loc, text, start in markdown_texts(document, record, leaves):
        for problem in markdown.problems(text):
            line, column = start()
            at = (line + problem.line, column if problem.line == 0 else 1)
            problems.append(document.diagnostic(loc, problem.message, at=at))
        seen: dict[str, int] = {}
        for reference in markdown.references(text):
            occurrence = seen.get(reference.raw, 0)
            seen[reference.raw] = occurrence + 1
            message = (None if reference.id else
                       f"reference {reference.raw} should be [[kind/id]] or [[kind/id|label]]")
            message = message or resolver.problem(reference.kind, reference.id)
            if message:
                at = document.find(reference.raw, start(), occurrence) or start()
                problems.append(document.diagnostic(loc, message, at=at))
            elif resolver.exists(reference.kind, reference.id):
                links.append((reference.kind, reference.id, loc))
    return links, problems


def add_links(graph: Graph, record: Record, links: Iterable[Found]) -> None:
    for kind, target, loc in links:
        graph.backlinks[(kind, target)].append(Link(record.collection, record.id, dotted(loc)))
        graph.outlinks[(record.collection, record.id)][kind][target] = None


# -- claims, cycles, sources -------------------------------------------------------------------


def check_claimant(graph: Graph, entries: Sequence[Entry]) -> list[Diagnostic]:
    """A claim's claimant is never the publisher itself."""
    if graph.site is None:
        return []
    publisher = graph.site.publisher.name.casefold()
    problems = []
    for document, claim in entries:
        if not isinstance(claim, Claim):
            continue
        claimant = graph.get("actors", getattr(claim, "claimant", ""))
        if isinstance(claimant, Actor) and claimant.name.casefold() == publisher:
            problems.append(document.diagnostic(("claimant",), "the claimant cannot be the "
                                                               "publisher itself"))
    return problems


CYCLE_FIELDS = (("tactics", "parent"), ("actors", "part_of"), ("sources", "reported_in"))


def check_cycles(graph: Graph, documents: dict[tuple[str, str], Document]) -> list[Diagnostic]:
    """Records that lead back to themselves (one walk of the graph per field)."""
    problems = []
    for kind, attribute in CYCLE_FIELDS:
        cyclic = graph.in_cycles(kind, attribute)
        problems += [documents[(kind, record_id)].diagnostic(
                         (attribute,), f"'{attribute}' forms a cycle back to {kind}/{record_id}")
                     for record_id in graph.records[kind] if record_id in cyclic]
    return problems


def check_archives(entries: Sequence[Entry]) -> list[Diagnostic]:
    """A source online should have an archived copy (a warning)."""
    return [document.diagnostic(("url",), "url has no archived_url; add an archived copy (e.g. "
                                          "the Wayback Machine) so readers can check it if the "
                                          "page changes", severity="warning")
            for document, source in entries
            if isinstance(source, Source) and getattr(source, "url", None)
            and not getattr(source, "archived_url", None)
            and not getattr(source, "archive_note", None)]


# -- quotes ------------------------------------------------------------------------------------


def seed_texts(graph: Graph, seeds: Seeds, source_id: str) -> list[tuple[str, str]]:
    """``(seed, normalised text)`` that can verify quotes from a source."""
    source = graph.get("sources", source_id)
    if not isinstance(source, Source):
        return []
    chain = [source, *graph.chain(source)] if not source.seed else [source]
    return [(s.seed, seeds.normalised[s.seed]) for s in chain
            if isinstance(s, Source) and s.seed and s.seed in seeds.normalised]


def citations(record: Record) -> Iterator[tuple[Loc, Citation]]:
    """The citations of a statement or claim with their places (a partial record's too)."""
    fields = {Statement: ("citations",), Claim: ("appearances", "evidence")}
    for name in fields.get(type(record), ()):
        for index, citation in enumerate(getattr(record, name, None) or []):
            if isinstance(citation, Citation):
                yield (name, index), citation


def check_quotes(graph: Graph, seeds: Seeds, entries: Sequence[Entry],
                 invalid: set[tuple[str, str]] | None = None) -> list[Diagnostic]:
    """Quotes in citations, and the text of ``form: quote`` statements, are verbatim in a
    seed of the cited source (``invalid``: records whose own errors are reported)."""
    problems: list[Diagnostic] = []
    for document, record in entries:
        for loc, citation in citations(record):
            problems += check_citation(graph, seeds, document, loc, citation, invalid or set())
        if isinstance(record, Statement) and getattr(record, "form", None) == "quote":
            problems += check_statement_text(graph, seeds, document, record)
    return problems


def check_citation(graph: Graph, seeds: Seeds, document: Document, loc: Loc,
                   citation: Citation, invalid: set[tuple[str, str]]) -> list[Diagnostic]:
    if not citation.quote or citation.source not in graph.records["sources"]:
        return []
    texts = seed_texts(graph, seeds, citation.source)
    if not texts:
        source = graph.records["sources"][citation.source]
        if not isinstance(source, Source) or source.seed or any(
                ("sources", other) in invalid
                for known in [source, *graph.chain(source)] for other in known.reported_in):
            return []  # a broken seed, or an invalid source it is reported in, is reported
        return [document.diagnostic((*loc, "quote"), (
            f"quote not verified: source '{citation.source}' has no seed text (nor do the "
            "sources it is reported in)"), severity="warning")]
    if any(occurs_in(citation.quote, text) for _, text in texts):
        return []
    names = ", ".join(f"seeds/{seed}" for seed, _ in texts)
    return [document.diagnostic((*loc, "quote"), (
        f"quote is not verbatim in {names}{closest(citation.quote, texts)}"))]


def check_statement_text(graph: Graph, seeds: Seeds, document: Document,
                         statement: Statement) -> list[Diagnostic]:
    cited = getattr(statement, "citations", None)
    text = getattr(statement, "text", None)
    if not cited or not text or any(c is None or c.source not in graph.records["sources"]
                                     for c in cited):
        return []  # an unknown or invalid source, or a broken citation, is reported already
    texts = [found for c in cited for found in seed_texts(graph, seeds, c.source)]
    if not texts:
        return [document.diagnostic(("text",), "form: quote needs a citation whose source has "
                                               "a seed, to verify the quoted text against")]
    if any(occurs_in(text, seed) for _, seed in texts):
        return []
    names = ", ".join(sorted({f"seeds/{seed}" for seed, _ in texts}))
    return [document.diagnostic(("text",), (
        f"form is quote, but the text is not verbatim in any cited seed ({names}); use form: "
        f"paraphrase or quote exactly{closest(text, texts)}"))]


# -- the stage ---------------------------------------------------------------------------------


def link(entries: Sequence[tuple[Document, Record | Site]], seeds: Seeds | None = None, *,
         invalid: set[tuple[str, str]] | None = None,
         partials: Sequence[Entry] = ()) -> tuple[Graph, list[Diagnostic]]:
    """The graph of the valid records, and every problem the checks find (``partials``: the
    valid fields of invalid records, checked but not added)."""
    seeds = seeds or Seeds()
    graph, documents, problems = register(entries)
    graph.seeds = seeds.texts
    valid = [(document, graph.records[kind][record_id])
             for (kind, record_id), document in documents.items()]
    graph.aliases, found = check_aliases(graph, valid)
    problems += found
    resolver = Resolver(graph, invalid or set())
    for document, record in [*valid, *partials]:
        leaves = walk(record)
        links, found = check_references(resolver, document, record, leaves)
        more, found_in_text = check_markdown(resolver, document, record, leaves)
        problems += found + found_in_text
        if graph.get(record.collection, record.id) is record:
            add_links(graph, record, [*links, *more])
    problems += check_claimant(graph, [*valid, *partials])
    problems += check_cycles(graph, documents)
    problems += check_archives([*valid, *partials])
    problems += check_quotes(graph, seeds, [*valid, *partials], resolver.invalid)
    problems += integrity.check(graph, documents,
                                lambda source_id: seed_texts(graph, seeds, source_id))
    return graph, problems
