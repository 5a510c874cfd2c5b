"""``factsite new``: a new record from a commented template, derived from the models.

Required fields come from each model's ``model_fields``, so a template never drifts from
the content model. Values the tool cannot know are left empty: ``factsite check`` then
names every field still to fill in, and a forgotten field can never be published as a
placeholder. The only writes into ``content/`` are new files (opened with mode ``"x"``).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from . import registry
from .diagnostics import did_you_mean, one_of
from .fields import FieldSpec, specs
from .load import Document, load_document, parse_yaml
from .models import Site
from .types import check_id
from .validate import validate_document, validation_context

COMMON_FIELDS = ("updates", "aliases", "tags")
TODAY_FIELDS = {("claims", "published"), ("explainers", "published"), ("sources", "accessed")}
"""Dates of the editor's own work: filled with today's date. Dates of events are not."""
SHOWN_EMPTY = {("elections", "country"), ("sources", "url"), ("sources", "archived_url")}
"""Optional in the model but needed in practice: shown as empty fields, not commented out."""
BODY_PLACEHOLDER = "<!-- TODO: replace with the text -->"
"""Raw HTML fails ``factsite check``, so an unwritten body can never be published."""

class ScaffoldError(Exception):
    """A usage error: bad kind, id or field, or the file already exists."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


# -- reading the models -------------------------------------------------------------------


def ref_kind(spec: FieldSpec) -> str | None:
    """The kind a reference field (or list of references) points to."""
    return spec.refs[0] if spec.refs else None


def required_fields(kind: str) -> list[str]:
    return [name for name, spec in specs(registry.get(kind).model).items() if spec.required]


def ordered_fields(kind: str) -> list[str]:
    """The kind's own fields in model order, then the fields every kind accepts."""
    names = list(specs(registry.get(kind).model))
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
    fields = specs(registry.get(kind).model)
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ScaffoldError(f"--field expects NAME=VALUE, got {pair!r}")
        if name not in fields:
            allowed = ordered_fields(kind)
            raise ScaffoldError(f"unknown field '{name}' for {kind}{did_you_mean(name, allowed)}"
                                f" (allowed fields: {one_of(allowed)})")
        if name in values:
            raise ScaffoldError(f"--field {name} is given twice")
        values[name] = raw if fields[name].text else _parse_value(name, raw)
    return values


def _parse_value(name: str, raw: str) -> Any:
    document = Document(path=Path("--field"), display=f"--field {name}", kind="", id="")
    problems = parse_yaml(document, raw)
    if problems:
        raise ScaffoldError(f"--field {name}: {problems[0].message}")
    return document.data


def check_fields(kind: str, values: Mapping[str, Any], root: Path) -> None:
    """Check the given values as ``factsite check`` would, field by field (the rating
    against the site's scale, when content/site.yaml is valid)."""
    document = Document(path=Path(f"{kind}.yaml"), display=f"content/{kind}/new", kind=kind,
                        id="new", data=dict(values))
    ratings = rating_ids(root)
    context = validation_context(ratings or None, check_ratings=bool(ratings))
    _, problems = validate_document(document, context)
    given = [p for p in problems if p.location.split(".")[0] in values]
    if given:
        raise ScaffoldError("; ".join(f"--field {p.location}: {p.message}" for p in given))
    fields = specs(registry.get(kind).model)
    for name, value in values.items():
        _check_refs(name, ref_kind(fields[name]), value, root)


def _check_refs(name: str, kind: str | None, value: Any, root: Path) -> None:
    if kind is None or value is None:
        return
    known = existing_ids(root, kind)
    for target in value if isinstance(value, list) else [value]:
        if target not in known:
            raise ScaffoldError(f"--field {name}: there is no {registry.get(kind).singular} "
                                f"'{target}' in "
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


def _help(kind: str, spec: FieldSpec, ratings: list[str]) -> str:
    rating = (kind, spec.name) == ("claims", "rating")
    allowed = spec.choices or (tuple(ratings) if rating else ())
    return f"{spec.description} One of: {one_of(allowed)}." if allowed else spec.description


def _model_stub(model: type[BaseModel], indent: str, commented: bool) -> list[str]:
    """One list item of ``model``: its first field and required ones to fill in, the others
    commented out (or, for a commented-out item, every field)."""
    lines = []
    for index, (name, spec) in enumerate(specs(model).items()):
        note = spec.description
        entry = f"{name}:  # {note}" if note else f"{name}:"
        bullet = "- " if index == 0 else "  "
        if commented:
            lines.append(f"{indent}# {bullet}{entry}")
        elif index == 0 or spec.required:
            lines.append(f"{indent}{bullet}{entry}")
        else:
            lines.append(f"{indent}  # {entry}")
    return lines


def _required_stub(spec: FieldSpec) -> list[str]:
    name = spec.name
    if not spec.many:
        return [f"{name}:"]
    if not spec.models:
        return [f"{name}:", "  -"]
    lines = [f"{name}:", *_model_stub(spec.models[0], "  ", commented=False)]
    for other in spec.models[1:]:
        lines += ["  # or:", *_model_stub(other, "  ", commented=True)]
    return lines


def _optional_stub(spec: FieldSpec) -> list[str]:
    name = spec.name
    if spec.models and not spec.many:
        return [f"# {name}:", *(f"#   {sub}: []" for sub in specs(spec.models[0]))]
    if spec.many and spec.models:
        return [f"# {name}:", *_model_stub(spec.models[0], "", commented=True)]
    if spec.many:
        return [f"# {name}: []"]
    default = spec.info.get_default()
    if isinstance(default, bool):
        return [f"# {name}: {'true' if default else 'false'}"]
    return [f"# {name}: {default}" if default is not None else f"# {name}:"]


def field_lines(kind: str, values: Mapping[str, Any], today: dt.date,
                ratings: list[str]) -> list[str]:
    """The YAML of every field: given or required ones active, the others commented out."""
    fields = specs(registry.get(kind).model)
    active: list[str] = []
    optional: list[str] = []
    for name in ordered_fields(kind):
        spec = fields[name]
        text = _help(kind, spec, ratings)
        value = values.get(name, today if (kind, name) in TODAY_FIELDS else None)
        if value is not None:
            active += [*_comment(text), *_dump(name, value)]
        elif spec.required or (kind, name) in SHOWN_EMPTY:
            active += [*_comment(text), *_required_stub(spec)]
        else:
            optional += [*_comment(text), *_optional_stub(spec)]
    if optional:
        optional = ["", "# Optional fields: remove the leading '# ' of a field to use it.",
                    *optional]
    return active + optional


def template(kind: str, record_id: str, values: Mapping[str, Any] | None = None, *,
             today: dt.date | None = None, ratings: Iterable[str] = ()) -> str:
    """The text of a new ``kind`` record (a YAML file, or Markdown with front matter)."""
    today = today or dt.date.today()
    header = [f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
              *_comment(registry.get(kind).summary),
              "# Fill in every empty field, then run `factsite check`: it names each one left.",
              f"# Guide and worked example: CONTRIBUTING.md, section \"{kind.capitalize()}\".",
              ""]
    body = field_lines(kind, values or {}, today, list(ratings))
    if registry.get(kind).document:
        return "\n".join(["---", *header, *body, "---", BODY_PLACEHOLDER, ""])
    return "\n".join([*header, *body, ""])


def target_path(root: Path, kind: str, record_id: str) -> Path:
    suffix = ".md" if registry.get(kind).document else ".yaml"
    return root / "content" / kind / f"{record_id}{suffix}"


def scaffold(root: Path, kind: str, record_id: str, pairs: Iterable[str] = (), *,
             today: dt.date | None = None) -> Scaffold:
    """Validate everything and build the new file's path and text (writes nothing)."""
    if kind not in registry.folders():
        raise ScaffoldError(f"unknown kind '{kind}'; expected one of: "
                            f"{one_of(registry.folders())}{did_you_mean(kind, registry.folders())}")
    record_id = validate_id(record_id)
    if record_id in existing_ids(root, kind):
        raise ScaffoldError(f"the {registry.get(kind).singular} '{record_id}' already exists "
                            f"in content/{kind}/; "
                            "edit that file, or choose another id")
    values = parse_fields(kind, pairs)
    check_fields(kind, values, root)
    text = template(kind, record_id, values, today=today, ratings=rating_ids(root))
    return Scaffold(target_path(root, kind, record_id), text)


def write(new: Scaffold) -> None:
    """Create the file; never overwrite one (mode ``"x"``)."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with new.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(new.text)
    except FileExistsError:
        raise ScaffoldError(f"{new.path} already exists; not overwriting it") from None
