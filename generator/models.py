"""Models stage: the content model (``shared/content-model.md``) as Pydantic v2 classes."""

from __future__ import annotations

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
    HttpUrl,
    Id,
    Language,
    Markdown,
    Number,
    PartialDateField,
    SeedPath,
    Text,
    check_disarm_id,
    ref,
    vocabulary,
)


def empty_list() -> Any:
    """The default ``[]`` made by a factory: Pydantic deep-copies a literal ``[]`` default
    for every record that leaves the field out. The JSON Schema still says ``[]``."""
    return Field(default_factory=list, json_schema_extra={"default": []})


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

DisarmId = Annotated[str, BeforeValidator(check_disarm_id),
                     WithJsonSchema({"type": "string", "pattern": DISARM_PATTERN.pattern})]


class Strict(BaseModel):
    """Unknown keys are errors; values are never silently coerced into text."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=False)


class Citation(Strict):
    source: ref("sources")
    quote: Text | None = None
    locator: Text | None = None
    note: Text | None = None


class StatementEvidence(Strict):
    statement: ref("statements")


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


class About(Strict):
    elections: list[ref("elections")] = empty_list()
    tactics: list[ref("tactics")] = empty_list()
    actors: list[ref("actors")] = empty_list()
    countries: list[Country] = empty_list()

    def is_empty(self) -> bool:
        return not (self.elections or self.tactics or self.actors or self.countries)


class Update(Strict):
    date: Date
    kind: vocabulary("an update kind", UPDATE_KINDS)
    note: Markdown


class Figure(Strict):
    label: Text
    value: Number
    qualifier: vocabulary("a qualifier", QUALIFIERS) = "exactly"
    unit: Text | None = None


class Record(Strict):
    """Fields every kind accepts; the id is the file stem, never a key."""

    collection: ClassVar[str] = ""
    updates: list[Update] = empty_list()
    aliases: list[Id] = empty_list()
    tags: list[Text] = empty_list()
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


class Source(Record):
    collection: ClassVar[str] = "sources"
    title: Text
    kind: vocabulary("a source kind", SOURCE_KINDS)
    publisher: Text
    authors: list[Text] = empty_list()
    published: PartialDateField
    url: HttpUrl | None = None
    archived_url: HttpUrl | None = None
    # Optional (issue 19): why no archived copy is given; shown on the page instead of one.
    archive_note: Text | None = None
    accessed: Date | None = None
    seed: SeedPath | None = None
    reported_in: list[ref("sources")] = empty_list()
    availability: vocabulary("an availability", AVAILABILITY) = "public"
    language: Language = "en"

    @model_validator(mode="after")
    def _has_origin(self) -> Source:
        if not (self.url or self.seed or self.reported_in):
            raise ValueError("a source needs at least one of: url, seed, reported_in")
        return self


class Actor(Record):
    collection: ClassVar[str] = "actors"
    name: Text
    kind: vocabulary("an actor kind", ACTOR_KINDS)
    country: Country | None = None
    role: Text | None = None
    part_of: ref("actors") | None = None
    identified: bool = True
    description: Markdown | None = None


class Election(Record):
    collection: ClassVar[str] = "elections"
    name: Text
    country: Country | None = None
    region: Text | None = None
    date: PartialDateField
    type: vocabulary("an election type", ELECTION_TYPES)
    identified: bool = True
    description: Markdown | None = None

    @model_validator(mode="after")
    def _country_when_identified(self) -> Election:
        if self.identified and not self.country:
            raise ValueError("an identified election needs a country "
                             "(set identified: false if the sources do not name it)")
        return self


class Tactic(Record):
    collection: ClassVar[str] = "tactics"
    name: Text
    summary: Text
    category: vocabulary("a tactic category", TACTIC_CATEGORIES)
    disarm: list[DisarmId] = empty_list()
    parent: ref("tactics") | None = None
    description: Markdown | None = None


class Statement(Record):
    collection: ClassVar[str] = "statements"
    speaker: ref("actors")
    on_behalf_of: ref("actors") | None = None
    date: PartialDateField
    form: vocabulary("a statement form", STATEMENT_FORMS)
    text: Text
    context: Markdown | None = None
    stated_confidence: Text | None = None
    figures: list[Figure] = empty_list()
    about: About = About()
    citations: Annotated[list[Citation], Field(min_length=1)]


class Claim(Record):
    collection: ClassVar[str] = "claims"
    claim: Text
    claimant: ref("actors")
    claimed: PartialDateField
    appearances: Annotated[list[Citation], Field(min_length=1)]
    rating: Text
    verdict: Text
    analysis: Markdown
    evidence: Annotated[list[Evidence], Field(min_length=1)]
    about: About = About()
    published: Date
    reviewers: list[Text] = empty_list()


class MarkdownRecord(Record):
    """A Markdown file whose front matter is the record; the body is kept aside."""

    _body: str = PrivateAttr(default="")
    _body_line: int = PrivateAttr(default=1)

    @property
    def body(self) -> str:
        return self._body


class Explainer(MarkdownRecord):
    collection: ClassVar[str] = "explainers"
    title: Text
    summary: Text
    published: Date
    authors: Annotated[list[Text], Field(min_length=1)]
    about: About = About()


class Page(MarkdownRecord):
    collection: ClassVar[str] = "pages"
    title: Text
    aliases: list[Id] = empty_list()


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


MODELS: dict[str, type[Record]] = {
    model.collection: model for model in (Source, Actor, Election, Tactic, Statement, Claim,
                                    Explainer, Page)
}
