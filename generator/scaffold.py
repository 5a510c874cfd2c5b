"""``factsite new``: a new record from a commented template, derived from the models.

Required fields come from each model's ``model_fields``, so a template never drifts from
the content model. Values the tool cannot know are left empty: ``factsite check`` then
names every field still to fill in, and a forgotten field can never be published as a
placeholder. The only writes into ``content/`` are new files (opened with mode ``"x"``).
"""

from __future__ import annotations

import datetime as dt
import textwrap
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .diagnostics import did_you_mean, one_of
from .graph import SINGULAR
from .load import ALL_KINDS, DOCUMENT_KINDS, Document, load_document, parse_yaml
from .models import MODELS, Site
from .types import Ref, check_id
from .validate import validate_document

COMMON_FIELDS = ("updates", "aliases", "tags")
TODAY_FIELDS = {("claims", "published"), ("explainers", "published"), ("sources", "accessed")}
"""Dates of the editor's own work: filled with today's date. Dates of events are not."""
SHOWN_EMPTY = {("elections", "country"), ("sources", "url"), ("sources", "archived_url")}
"""Optional in the model but needed in practice: shown as empty fields, not commented out."""
BODY_PLACEHOLDER = "<!-- TODO: replace with the text -->"
"""Raw HTML fails ``factsite check``, so an unwritten body can never be published."""

INTRO = {
    "sources": "A source: a document we cite (report, article, statement, dataset...).",
    "actors": "An actor: a state, body, outlet or person who says or does things.",
    "elections": "An election that statements or claims are about.",
    "tactics": "A tactic: a way of interfering with or undermining an election.",
    "statements": "An attributed statement: who said what, when, according to which source.",
    "claims": "A fact-check of one claim, rated on the scale in content/site.yaml.",
    "explainers": "An explainer: a longer article in Markdown, below the front matter.",
    "pages": "A page of the site (about, methodology...), in Markdown below the front matter.",
}

HELP: dict[str, dict[str, str]] = {
    "sources": {
        "title": "Title of the document, as published.",
        "kind": "What sort of document it is.",
        "publisher": "Who published it (outlet, government, organisation).",
        "authors": "Authors' names, if the document names them.",
        "published": "When it was published: YYYY, YYYY-MM or YYYY-MM-DD.",
        "url": "Where it is online (http or https). A source needs url, seed or reported_in.",
        "archived_url": "An archived copy (e.g. the Wayback Machine), so readers can check it.",
        "archive_note": "Why no archived copy is given (shown to readers instead of one).",
        "accessed": "When you last read it online (YYYY-MM-DD).",
        "seed": "Local copy of its text in seeds/ (e.g. my-source.txt): enables quote checks.",
        "reported_in": "Ids of sources that report this one (a cable known only through a "
                       "newspaper).",
        "availability": "Whether readers can consult it themselves.",
        "language": "Language of the document, as a BCP 47 tag (en, ru, fr...).",
    },
    "actors": {
        "name": "Name as it should appear on the site.",
        "kind": "What sort of actor it is.",
        "country": "ISO 3166-1 alpha-2 country code, upper case (US, RU).",
        "role": "Role or title, e.g. \"President of Russia\".",
        "part_of": "Id of the actor this one belongs to (an agency is part of a state).",
        "identified": "false for unnamed officials or agencies.",
        "description": "Short description in Markdown; link records with [[kind/id]].",
    },
    "elections": {
        "name": "Name of the election, e.g. \"2020 US presidential election\".",
        "country": "ISO 3166-1 alpha-2 country code (US, RU); required unless identified "
                   "is false.",
        "region": "Region, e.g. \"Europe\", for an election the sources do not name.",
        "date": "When it was held: YYYY, YYYY-MM or YYYY-MM-DD.",
        "type": "What sort of election it is.",
        "identified": "false when the sources do not name the election.",
        "description": "Short description in Markdown; link records with [[kind/id]].",
    },
    "tactics": {
        "name": "Short name of the tactic.",
        "summary": "One sentence saying what the tactic is.",
        "category": "The broad category it belongs to.",
        "disarm": "DISARM technique ids, e.g. [T0023, T0143.002] (see disarm_version in "
                  "site.yaml).",
        "parent": "Id of a broader tactic this one is a form of.",
        "description": "Longer description in Markdown; link records with [[kind/id]].",
    },
    "statements": {
        "speaker": "Who said or wrote it: an actor id (a file name in content/actors/).",
        "on_behalf_of": "Actor id of the body the speaker spoke for, if any.",
        "date": "When it was said or written (not today): YYYY, YYYY-MM or YYYY-MM-DD.",
        "form": "quote: text is the speaker's exact words; paraphrase: a faithful summary.",
        "text": "What was said. With form: quote it must occur verbatim in a cited seed.",
        "context": "How and where it was said, in Markdown.",
        "stated_confidence": "The source's own wording of confidence (\"assesses\", "
                             "\"high confidence\").",
        "figures": "Counts the statement gives (\"at least 11 elections\").",
        "about": "What it is about: ids of elections, tactics and actors; country codes.",
        "citations": "Where the statement is reported; at least one source.",
    },
    "claims": {
        "claim": "The claim as made, short, in the claimant's terms.",
        "claimant": "Who made the claim: an actor id (content/actors/); never the publisher.",
        "claimed": "When the claim was made: YYYY, YYYY-MM or YYYY-MM-DD.",
        "appearances": "Where the claim appeared; the first is its first appearance.",
        "rating": "The rating: an id from the ratings in content/site.yaml.",
        "verdict": "One sentence: the finding.",
        "analysis": "The reasoning, in Markdown, citing the evidence with [[kind/id]] links.",
        "evidence": "The evidence: sources (with quotes) or {statement: <statement id>}.",
        "about": "What it is about: ids of elections, tactics and actors; country codes.",
        "published": "Date of this fact-check (YYYY-MM-DD).",
        "reviewers": "Names of the editors who reviewed the fact-check.",
    },
    "explainers": {
        "title": "Headline of the explainer.",
        "summary": "One or two sentences shown in lists and search results.",
        "published": "Date of publication (YYYY-MM-DD).",
        "authors": "Names of the authors; at least one.",
        "about": "What it is about: ids of elections, tactics and actors; country codes.",
    },
    "pages": {
        "title": "Title of the page.",
    },
    "common": {
        "updates": "Append-only log: date (YYYY-MM-DD), kind (correction, update or "
                   "clarification), note. The newest date is the record's 'last updated'.",
        "aliases": "Old ids of this record; their URLs redirect here.",
        "tags": "Free-form tags.",
    },
    "nested": {
        "source": "a source id (a file name in content/sources/)",
        "quote": "the exact words, copied from the source",
        "locator": "where in the source, e.g. para. 4 or p. 12",
        "note": "editor's note",
        "statement": "a statement id (a file name in content/statements/)",
        "elections": "election ids",
        "tactics": "tactic ids",
        "actors": "actor ids",
        "countries": "country codes (US, RU)",
        "label": "what is counted",
        "value": "the number",
        "qualifier": "exactly, at-least, at-most or about",
        "unit": "e.g. elections",
        "date": "YYYY-MM-DD",
        "kind": "correction, update or clarification",
    },
}


class ScaffoldError(Exception):
    """A usage error: bad kind, id or field, or the file already exists."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


# -- reading the models -------------------------------------------------------------------


def _strip(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """Drop ``Annotated`` and ``| None`` wrappers; return the core type and its markers."""
    markers: tuple[Any, ...] = ()
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            markers += tuple(extra)
        elif origin in (typing.Union, types.UnionType):
            arms = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(arms) != 1:
                return annotation, markers
            annotation = arms[0]
        else:
            return annotation, markers


def _field_type(info: FieldInfo) -> tuple[Any, tuple[Any, ...]]:
    core, markers = _strip(info.annotation)
    return core, (*info.metadata, *markers)


def _item_type(annotation: Any) -> Any | None:
    """The item type of a ``list[...]`` annotation, or None."""
    core, _ = _strip(annotation)
    return typing.get_args(core)[0] if typing.get_origin(core) is list else None


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation (possibly a union of tagged models) can hold."""
    core, _ = _strip(annotation)
    if isinstance(core, type) and issubclass(core, BaseModel):
        return [core]
    if typing.get_origin(core) in (typing.Union, types.UnionType):
        return [m for arm in typing.get_args(core) for m in _models(arm)]
    return []


def choices(info: FieldInfo) -> tuple[str, ...]:
    """The allowed values of a controlled-vocabulary field (empty if it is not one)."""
    core, _ = _field_type(info)
    return typing.get_args(core) if typing.get_origin(core) is Literal else ()


def ref_kind(info: FieldInfo) -> str | None:
    """The kind a reference field (or list of references) points to."""
    core, markers = _field_type(info)
    item = _item_type(core)
    if item is not None:
        _, markers = _strip(item)
    return next((m.kind for m in markers if isinstance(m, Ref)), None)


def required_fields(kind: str) -> list[str]:
    return [name for name, info in MODELS[kind].model_fields.items() if info.is_required()]


def ordered_fields(kind: str) -> list[str]:
    """The kind's own fields in model order, then the fields every kind accepts."""
    names = list(MODELS[kind].model_fields)
    return [n for n in names if n not in COMMON_FIELDS] + [n for n in names if n in COMMON_FIELDS]


# -- validating the editor's input --------------------------------------------------------


def validate_id(record_id: str) -> str:
    try:
        return check_id(record_id)
    except ValueError as exc:
        raise ScaffoldError(f"invalid id: {exc}") from None


def parse_fields(kind: str, pairs: Iterable[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs → field values: text as given, anything else read as YAML
    (``tags=[a, b]``, ``identified=false``, ``about={actors: [x]}``)."""
    model = MODELS[kind]
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ScaffoldError(f"--field expects NAME=VALUE, got {pair!r}")
        if name not in model.model_fields:
            allowed = ordered_fields(kind)
            raise ScaffoldError(f"unknown field '{name}' for {kind}{did_you_mean(name, allowed)}"
                                f"; allowed fields: {one_of(allowed)}")
        if name in values:
            raise ScaffoldError(f"--field {name} is given twice")
        info = model.model_fields[name]
        values[name] = raw if _is_text(info) else _parse_value(name, raw)
    return values


def _is_text(info: FieldInfo) -> bool:
    core, _ = _field_type(info)
    return core is str or typing.get_origin(core) is Literal


def _parse_value(name: str, raw: str) -> Any:
    document = Document(path=Path("--field"), display=f"--field {name}", kind="", id="")
    problems = parse_yaml(document, raw)
    if problems:
        raise ScaffoldError(f"--field {name}: {problems[0].message}")
    return document.data


def check_fields(kind: str, values: Mapping[str, Any], root: Path) -> None:
    """Check the given values as ``factsite check`` would, field by field."""
    document = Document(path=Path(f"{kind}.yaml"), display=f"content/{kind}/new", kind=kind,
                        id="new", data=dict(values))
    _, problems = validate_document(document)
    given = [p for p in problems if p.location.split(".")[0] in values]
    if given:
        raise ScaffoldError("; ".join(f"--field {p.location}: {p.message}" for p in given))
    for name, value in values.items():
        _check_refs(name, ref_kind(MODELS[kind].model_fields[name]), value, root)


def _check_refs(name: str, kind: str | None, value: Any, root: Path) -> None:
    if kind is None or value is None:
        return
    known = existing_ids(root, kind)
    for target in value if isinstance(value, list) else [value]:
        if target not in known:
            raise ScaffoldError(f"--field {name}: there is no {SINGULAR[kind]} '{target}' in "
                                f"content/{kind}/{did_you_mean(target, known)}")


def existing_ids(root: Path, kind: str) -> list[str]:
    folder = root / "content" / kind
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".md"))


def rating_ids(root: Path) -> list[str]:
    """The rating ids of ``content/site.yaml``, if it is valid."""
    path = root / "content" / "site.yaml"
    if not path.is_file():
        return []
    document, problems = load_document(path, "content/site.yaml", "site")
    site = validate_document(document)[0] if not problems else None
    return [rating.id for rating in site.ratings] if isinstance(site, Site) else []


# -- writing the template -----------------------------------------------------------------


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 96 - len(indent))]


def _dump(name: str, value: Any) -> list[str]:
    text = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=96,
                          default_flow_style=False)
    return text.rstrip("\n").splitlines()


def _help(kind: str, name: str, info: FieldInfo, ratings: list[str]) -> str:
    text = HELP[kind].get(name) or HELP["common"][name]
    allowed = choices(info) or (tuple(ratings) if (kind, name) == ("claims", "rating") else ())
    return f"{text} One of: {one_of(allowed)}." if allowed else text


def _model_stub(model: type[BaseModel], indent: str, commented: bool) -> list[str]:
    """One list item of ``model``: its first field and required ones to fill in, the others
    commented out (or, for a commented-out item, every field)."""
    lines = []
    for index, (name, info) in enumerate(model.model_fields.items()):
        note = HELP["nested"].get(name, "")
        entry = f"{name}:  # {note}" if note else f"{name}:"
        bullet = "- " if index == 0 else "  "
        if commented:
            lines.append(f"{indent}# {bullet}{entry}")
        elif index == 0 or info.is_required():
            lines.append(f"{indent}{bullet}{entry}")
        else:
            lines.append(f"{indent}  # {entry}")
    return lines


def _required_stub(name: str, info: FieldInfo) -> list[str]:
    item = _item_type(info.annotation)
    if item is None:
        return [f"{name}:"]
    models = _models(item)
    if not models:
        return [f"{name}:", "  -"]
    lines = [f"{name}:", *_model_stub(models[0], "  ", commented=False)]
    for other in models[1:]:
        lines += ["  # or:", *_model_stub(other, "  ", commented=True)]
    return lines


def _optional_stub(name: str, info: FieldInfo) -> list[str]:
    core, _ = _field_type(info)
    if isinstance(core, type) and issubclass(core, BaseModel):
        return [f"# {name}:", *(f"#   {sub}: []" for sub in core.model_fields)]
    item = _item_type(info.annotation)
    if item is not None and _models(item):
        return [f"# {name}:", *_model_stub(_models(item)[0], "", commented=True)]
    if item is not None:
        return [f"# {name}: []"]
    default = info.get_default()
    if isinstance(default, bool):
        return [f"# {name}: {'true' if default else 'false'}"]
    return [f"# {name}: {default}" if default is not None else f"# {name}:"]


def field_lines(kind: str, values: Mapping[str, Any], today: dt.date,
                ratings: list[str]) -> list[str]:
    """The YAML of every field: given or required ones active, the others commented out."""
    model = MODELS[kind]
    active: list[str] = []
    optional: list[str] = []
    for name in ordered_fields(kind):
        info = model.model_fields[name]
        text = _help(kind, name, info, ratings)
        value = values.get(name, today if (kind, name) in TODAY_FIELDS else None)
        if value is not None:
            active += [*_comment(text), *_dump(name, value)]
        elif info.is_required() or (kind, name) in SHOWN_EMPTY:
            active += [*_comment(text), *_required_stub(name, info)]
        else:
            optional += [*_comment(text), *_optional_stub(name, info)]
    if optional:
        optional = ["", "# Optional fields: remove the leading '# ' of a field to use it.",
                    *optional]
    return active + optional


def template(kind: str, record_id: str, values: Mapping[str, Any] | None = None, *,
             today: dt.date | None = None, ratings: Iterable[str] = ()) -> str:
    """The text of a new ``kind`` record (a YAML file, or Markdown with front matter)."""
    today = today or dt.date.today()
    header = [f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
              *_comment(INTRO[kind]),
              "# Fill in every empty field, then run `factsite check`: it names each one left.",
              f"# Guide and worked example: CONTRIBUTING.md, section \"{kind.capitalize()}\".",
              ""]
    body = field_lines(kind, values or {}, today, list(ratings))
    if kind in DOCUMENT_KINDS:
        return "\n".join(["---", *header, *body, "---", BODY_PLACEHOLDER, ""])
    return "\n".join([*header, *body, ""])


def target_path(root: Path, kind: str, record_id: str) -> Path:
    suffix = ".md" if kind in DOCUMENT_KINDS else ".yaml"
    return root / "content" / kind / f"{record_id}{suffix}"


def scaffold(root: Path, kind: str, record_id: str, pairs: Iterable[str] = (), *,
             today: dt.date | None = None) -> Scaffold:
    """Validate everything and build the new file's path and text (writes nothing)."""
    if kind not in MODELS:
        raise ScaffoldError(f"unknown kind '{kind}'; expected one of: {one_of(ALL_KINDS)}"
                            f"{did_you_mean(kind, ALL_KINDS)}")
    record_id = validate_id(record_id)
    if record_id in existing_ids(root, kind):
        raise ScaffoldError(f"{kind} '{record_id}' already exists in content/{kind}/; "
                            "edit that file, or choose another id")
    values = parse_fields(kind, pairs)
    check_fields(kind, values, root)
    ratings = rating_ids(root)
    rating = values.get("rating") if kind == "claims" else None
    if rating is not None and ratings and rating not in ratings:
        raise ScaffoldError(f"--field rating: '{rating}' is not a rating; expected one of: "
                            f"{one_of(ratings)}{did_you_mean(rating, ratings)}")
    text = template(kind, record_id, values, today=today, ratings=ratings)
    return Scaffold(target_path(root, kind, record_id), text)


def write(new: Scaffold) -> None:
    """Create the file; never overwrite one (mode ``"x"``)."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with new.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(new.text)
    except FileExistsError:
        raise ScaffoldError(f"{new.path} already exists; not overwriting it") from None
