"""Models stage: the content model (``shared/content-model.md``) as Pydantic v2 classes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    model_validator,
)

from .types import (
    DISARM_PATTERN,
    Color,
    Country,
    Date,
    DateTime,
    HttpUrl,
    Id,
    Language,
    Markdown,
    Number,
    PartialDateField,
    PublishedDate,
    PublishedPartialDate,
    RatingId,
    SeedPath,
    Text,
    check_disarm_id,
    ref,
    vocabulary,
)


def empty_list(description: str, **constraints: Any) -> Any:
    """An optional list, ``[]`` by default, made by a factory: Pydantic deep-copies a literal
    ``[]`` default for every record that leaves the field out. The JSON Schema still says
    ``[]``."""
    return Field(default_factory=list, description=description,
                 json_schema_extra={"default": []}, **constraints)


def required(description: str, **constraints: Any) -> Any:
    """A required field with its editor help (JSON Schema hover text, ``factsite new``)."""
    return Field(description=description, **constraints)


def optional(description: str, default: Any = None) -> Any:
    return Field(default, description=description)


FINDING_HELP = " Once published, change it only with a new entry in updates saying why."
"""The end of the help of every field a model lists in ``findings``."""


def finding(description: str, **constraints: Any) -> Any:
    """A required field that is one of the record's findings (``Record.findings``)."""
    return required(description + FINDING_HELP, **constraints)


SOURCE_KINDS = ("news-report", "government-document", "official-statement", "report",
                "interview", "social-media-post", "dataset", "other")
AVAILABILITY = ("public", "reported-only", "restricted")
ACTOR_KINDS = ("state", "government-body", "intelligence-service", "state-media", "person",
               "organisation", "media-outlet", "anonymous")
ELECTION_TYPES = ("presidential", "parliamentary", "general", "legislative", "referendum",
                  "local", "regional", "supranational", "unknown")
TACTIC_CATEGORIES = ("information-manipulation", "cyber-operations", "physical-intimidation",
                     "electoral-process-disruption", "malign-finance", "civil-society-subversion",
                     "economic-coercion")
STATEMENT_FORMS = ("quote", "paraphrase")
UPDATE_KINDS = ("correction", "update", "clarification")
QUALIFIERS = ("exactly", "at-least", "at-most", "about")
STATUSES = ("published", "draft")

DisarmId = Annotated[str, BeforeValidator(check_disarm_id),
                     WithJsonSchema({"type": "string", "pattern": DISARM_PATTERN.pattern})]


ALIASES_HELP = "Old ids of this record; their URLs redirect here."
ABOUT_HELP = "What it is about: ids of elections, tactics and actors; country codes."
MARKDOWN_HELP = "in Markdown; link records with [[kind/id]]."


class Strict(BaseModel):
    """Unknown keys are errors; values are never silently coerced into text."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=False)


class Citation(Strict):
    source: ref("sources") = required("a source id (a file name in content/sources/)")
    quote: Text | None = optional("the exact words, copied from the source")
    locator: Text | None = optional("where in the source, e.g. para. 4 or p. 12")
    note: Text | None = optional("editor's note")


class StatementEvidence(Strict):
    statement: ref("statements") = required("a statement id (a file name in "
                                            "content/statements/)")


def _evidence_tag(value: Any) -> str:
    if isinstance(value, StatementEvidence):
        return "StatementEvidence"
    if isinstance(value, dict) and "statement" in value:
        return "StatementEvidence"
    return "Citation"


Evidence = Annotated[
    Annotated[Citation, Tag("Citation")] | Annotated[StatementEvidence, Tag("StatementEvidence")],
    Discriminator(_evidence_tag),
]


MAX_NAMED = 20
"""Most elections, and most tactics, one record's ``about`` may name. A statement or a
fact-check is about a few elections and a few DISARM techniques; every election it names
meets every tactic it names in the matrix, so without a bound one record's cells grow with
the product of what it names (issue 20, F13), not with its size."""


class About(Strict):
    elections: list[ref("elections")] = empty_list(
        f"election ids (at most {MAX_NAMED})", max_length=MAX_NAMED)
    tactics: list[ref("tactics")] = empty_list(
        f"tactic ids (at most {MAX_NAMED})", max_length=MAX_NAMED)
    actors: list[ref("actors")] = empty_list("actor ids")
    countries: list[Country] = empty_list("country codes (US, RU)")

    def is_empty(self) -> bool:
        return not (self.elections or self.tactics or self.actors or self.countries)


class Update(Strict):
    date: Date = required("YYYY-MM-DD")
    kind: vocabulary("an update kind", UPDATE_KINDS) = required(
        "correction, update or clarification")
    note: Markdown = required("editor's note")


class Figure(Strict):
    label: Text = required("what is counted")
    value: Number = required("the number")
    qualifier: vocabulary("a qualifier", QUALIFIERS) = optional(
        "exactly, at-least, at-most or about", "exactly")
    unit: Text | None = optional("e.g. elections")


@dataclass(frozen=True)
class Rule:
    """A rule across fields of a record: ``check`` names the problem, or gives None.

    ``fields`` are the fields it reads: on an invalid record, the rule still runs on the
    valid fields (its partial record) when none of these failed.
    """

    fields: tuple[str, ...]
    check: Callable[[Any], str | None]


class Record(Strict):
    """Fields every kind accepts; the id is the file stem, never a key."""

    collection: ClassVar[str] = ""
    rules: ClassVar[tuple[Rule, ...]] = ()
    findings: ClassVar[tuple[str, ...]] = ()
    """The fields a published record changes only with a new entry in ``updates``
    (:mod:`generator.history`)."""
    updates: list[Update] = empty_list(
        "Append-only log: date (YYYY-MM-DD), kind (correction, update or clarification), "
        "note. The newest date is the record's 'last updated'.")
    aliases: list[Id] = empty_list(ALIASES_HELP)
    tags: list[Text] = empty_list("Free-form tags.")
    status: vocabulary("a status", STATUSES) = optional(
        "published (the default) or draft: a draft is checked but not published (no page, "
        "export, feed, sitemap, redirect or search entry).", "published")
    publish_after: DateTime | None = optional(
        "Embargo: keep the record off the site until this moment (YYYY-MM-DDTHH:MM:SSZ; "
        "without a zone, UTC). Builds compare it with their build time.")
    _id: str = PrivateAttr(default="")
    _file: str = PrivateAttr(default="")

    # Private attributes live in ``__pydantic_private__``; reading it directly skips
    # Pydantic's ``__getattr__`` fallback (ids are read tens of thousands of times a build).

    @property
    def id(self) -> str:
        return self.__pydantic_private__["_id"]  # type: ignore[index]

    @property
    def file(self) -> str:
        """Path of the source file, relative to the project root (``content/...``)."""
        return self.__pydantic_private__["_file"]  # type: ignore[index]

    @property
    def last_updated(self) -> Any:
        return max((update.date for update in self.updates), default=None)

    @model_validator(mode="after")
    def _follows_rules(self) -> Record:
        for rule in self.rules:
            problem = rule.check(self)
            if problem:
                raise ValueError(problem)
        return self


def _has_origin(source: Any) -> str | None:
    if not (source.url or source.seed or source.reported_in):
        return "a source needs at least one of: url, seed, reported_in"
    return None


def _country_when_identified(election: Any) -> str | None:
    if election.identified and not election.country:
        return ("an identified election needs a country (set identified: false if the "
                "sources do not name it)")
    return None


class Source(Record):
    collection: ClassVar[str] = "sources"
    title: Text = required("Title of the document, as published.")
    kind: vocabulary("a source kind", SOURCE_KINDS) = required("What sort of document it is.")
    publisher: Text = required("Who published it (outlet, government, organisation).")
    authors: list[Text] = empty_list("Authors' names, if the document names them.")
    published: PublishedPartialDate = required(
        "When it was published: YYYY, YYYY-MM or YYYY-MM-DD.")
    url: HttpUrl | None = optional(
        "Where it is online (http or https). A source needs url, seed or reported_in.")
    archived_url: HttpUrl | None = optional(
        "An archived copy (e.g. the Wayback Machine), so readers can check it.")
    archive_note: Text | None = optional(
        "Why no archived copy is given (shown to readers instead of one).")
    accessed: Date | None = optional("When you last read it online (YYYY-MM-DD).")
    seed: SeedPath | None = optional(
        "Local copy of its text in seeds/ (e.g. my-source.txt): enables quote checks.")
    reported_in: list[ref("sources")] = empty_list(
        "Ids of sources that report this one (a cable known only through a newspaper).")
    availability: vocabulary("an availability", AVAILABILITY) = optional(
        "Whether readers can consult it themselves.", "public")
    language: Language = optional(
        "Language of the document, as a BCP 47 tag (en, ru, fr...).", "en")

    rules: ClassVar[tuple[Rule, ...]] = (Rule(("url", "seed", "reported_in"), _has_origin),)


class Actor(Record):
    collection: ClassVar[str] = "actors"
    name: Text = required("Name as it should appear on the site.")
    kind: vocabulary("an actor kind", ACTOR_KINDS) = required("What sort of actor it is.")
    country: Country | None = optional(
        "ISO 3166-1 alpha-2 country code, upper case (US, RU).")
    role: Text | None = optional("Role or title, e.g. \"President of Russia\".")
    part_of: ref("actors") | None = optional(
        "Id of the actor this one belongs to (an agency is part of a state).")
    identified: bool = optional("false for unnamed officials or agencies.", True)
    description: Markdown | None = optional(f"Short description {MARKDOWN_HELP}")


class Election(Record):
    collection: ClassVar[str] = "elections"
    name: Text = required("Name of the election, e.g. \"2020 US presidential election\".")
    country: Country | None = optional(
        "ISO 3166-1 alpha-2 country code (US, RU); required unless identified is false.")
    region: Text | None = optional(
        "Region, e.g. \"Europe\", for an election the sources do not name.")
    date: PartialDateField = required("When it was held: YYYY, YYYY-MM or YYYY-MM-DD.")
    type: vocabulary("an election type", ELECTION_TYPES) = required(
        "What sort of election it is.")
    identified: bool = optional("false when the sources do not name the election.", True)
    description: Markdown | None = optional(f"Short description {MARKDOWN_HELP}")

    rules: ClassVar[tuple[Rule, ...]] = (Rule(("identified", "country"),
                                              _country_when_identified),)


class Tactic(Record):
    collection: ClassVar[str] = "tactics"
    name: Text = required("Short name of the tactic.")
    summary: Text = required("One sentence saying what the tactic is.")
    category: vocabulary("a tactic category", TACTIC_CATEGORIES) = required(
        "The broad category it belongs to.")
    disarm: list[DisarmId] = empty_list(
        "DISARM technique ids, e.g. [T0023, T0143.002] (see disarm_version in site.yaml).")
    parent: ref("tactics") | None = optional("Id of a broader tactic this one is a form of.")
    description: Markdown | None = optional(f"Longer description {MARKDOWN_HELP}")


class Statement(Record):
    collection: ClassVar[str] = "statements"
    findings: ClassVar[tuple[str, ...]] = ("speaker", "form", "text")
    speaker: ref("actors") = finding(
        "Who said or wrote it: an actor id (a file name in content/actors/).")
    on_behalf_of: ref("actors") | None = optional(
        "Actor id of the body the speaker spoke for, if any.")
    date: PartialDateField = required(
        "When it was said or written (not today): YYYY, YYYY-MM or YYYY-MM-DD.")
    form: vocabulary("a statement form", STATEMENT_FORMS) = finding(
        "quote: text is the speaker's exact words; paraphrase: a faithful summary.")
    text: Text = finding(
        "What was said. With form: quote it must occur verbatim in a cited seed.")
    context: Markdown | None = optional("How and where it was said, in Markdown.")
    stated_confidence: Text | None = optional(
        "The source's own wording of confidence (\"assesses\", \"high confidence\").")
    figures: list[Figure] = empty_list("Counts the statement gives (\"at least 11 elections\").")
    about: About = optional(ABOUT_HELP, About())
    citations: list[Citation] = required(
        "Where the statement is reported; at least one source.", min_length=1)


class Claim(Record):
    collection: ClassVar[str] = "claims"
    findings: ClassVar[tuple[str, ...]] = ("claim", "claimant", "rating", "verdict")
    claim: Text = finding("The claim as made, short, in the claimant's terms.")
    headline: Text | None = optional(
        "Optional: the fact-check's own headline, a sentence that never states the claim as "
        "fact (shown with the rating). Default: Fact-check: <claimant>'s claim that "
        "\"<claim>\" is <rating>.")
    claimant: ref("actors") = finding(
        "Who made the claim: an actor id (content/actors/); never the publisher.")
    claimed: PartialDateField = required(
        "When the claim was made: YYYY, YYYY-MM or YYYY-MM-DD.")
    appearances: list[Citation] = required(
        "Where the claim appeared; the first is its first appearance.", min_length=1)
    rating: RatingId = finding("The rating: an id from the ratings in content/site.yaml.")
    verdict: Text = finding("One sentence: the finding.")
    analysis: Markdown = required(
        "The reasoning, in Markdown, citing the evidence with [[kind/id]] links.")
    evidence: list[Evidence] = required(
        "The evidence: sources (with quotes) or {statement: <statement id>}.", min_length=1)
    about: About = optional(ABOUT_HELP, About())
    published: PublishedDate = required("Date of this fact-check (YYYY-MM-DD).")
    reviewers: list[Text] = empty_list("Names of the editors who reviewed the fact-check.")


class MarkdownRecord(Record):
    """A Markdown file whose front matter is the record; the body is kept aside."""

    _body: str = PrivateAttr(default="")
    _body_line: int = PrivateAttr(default=1)

    @property
    def body(self) -> str:
        return self._body


class Explainer(MarkdownRecord):
    collection: ClassVar[str] = "explainers"
    title: Text = required("Headline of the explainer.")
    summary: Text = required("One or two sentences shown in lists and search results.")
    published: PublishedDate = required("Date of publication (YYYY-MM-DD).")
    authors: list[Text] = required("Names of the authors; at least one.", min_length=1)
    about: About = optional(ABOUT_HELP, About())


class Page(MarkdownRecord):
    collection: ClassVar[str] = "pages"
    title: Text = required("Title of the page.")
    aliases: list[Id] = empty_list(ALIASES_HELP)


class Publisher(Strict):
    name: Text
    url: HttpUrl
    logo: HttpUrl | None = None


class Rating(Strict):
    id: Id
    label: Text
    value: int
    description: Text
    color: Color | None = None
    on_scale: bool = optional(
        "Whether the rating is a point on the false–true scale (default true). A rating that "
        "is not (such as 'unproven') is published in ClaimReview with its label only, never "
        "with a number that aggregators would read as a degree of truth.", True)


class License(Strict):
    name: Text
    url: HttpUrl


class Site(Strict):
    """``content/site.yaml``: the publisher, the rating scale and site-wide settings."""

    title: Text | None = None
    description: Text | None = None
    publisher: Publisher
    ratings: Annotated[list[Rating], Field(min_length=1)]
    disarm_version: Text
    license: License | None = None
    language: Language = "en"

    @model_validator(mode="after")
    def _ratings_ordered(self) -> Site:
        values = [rating.value for rating in self.ratings]
        if values != sorted(values) or len(set(values)) != len(values):
            raise ValueError("ratings must be listed worst first, with strictly increasing values")
        ids = [rating.id for rating in self.ratings]
        if len(set(ids)) != len(ids):
            raise ValueError("rating ids must be unique")
        return self

    @property
    def name(self) -> str:
        return self.title or self.publisher.name

    def rating(self, rating_id: str) -> Rating | None:
        return next((r for r in self.ratings if r.id == rating_id), None)

    @property
    def scale(self) -> list[Rating]:
        """The ratings on the false–true scale, worst first (``on_scale``)."""
        return [rating for rating in self.ratings if rating.on_scale]

    @property
    def off_scale(self) -> list[Rating]:
        """The ratings that are not a degree of truth (such as 'unproven')."""
        return [rating for rating in self.ratings if not rating.on_scale]


def __getattr__(name: str) -> Any:
    """``MODELS`` (kind → model) is the kind registry's: ``registry.models()``. Kept as a
    name for the modules that still import it from here (PEP 562)."""
    if name == "MODELS":
        from .registry import models

        return models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
