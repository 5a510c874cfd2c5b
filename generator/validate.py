"""Validate stage: loaded documents → model instances, Pydantic errors → editor diagnostics.

Every independent problem is reported in one run: Pydantic reports every broken field of
a record, the rating is checked against the site's scale during validation (the site's
rating ids are the validation context), and an invalid record still yields a *partial*
record of its valid fields, so the link stage resolves (and reports) their references too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from . import registry
from .contrast import rating_color_problems
from .diagnostics import Diagnostic, closest, did_you_mean, one_of
from .fields import allowed_names, owners, specs
from .load import Document, Loc
from .models import MarkdownRecord, Record, Site
from .types import build_date, describe, publication_day

_TYPE_MESSAGES = {
    "string_type": "expected text",
    "list_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
}
NOT_CHECKED = ("the fields of this file, their references and quotes were not checked; "
               "fix the problem above and run the check again")
"""The note on a file that could not be read or parsed: nothing else in it was checked."""


def validation_context(ratings: Sequence[str] | None, *, check_ratings: bool = True,
                       today: dt.date | None = None) -> dict[str, Any]:
    """What validation needs beyond the file: the site's rating ids (None when site.yaml
    is missing or invalid; left out when ``check_ratings`` is false) and the build date."""
    context: dict[str, Any] = {"today": today or build_date()}
    if check_ratings:
        context["ratings"] = list(ratings) if ratings is not None else None
    return context


@dataclass
class Validated:
    """One document validated: the record (None if invalid), what could be salvaged of an
    invalid record (its valid fields), and the problems."""

    document: Document
    instance: Record | Site | None = None
    partial: Record | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


Memo = dict[str, tuple[Document, dict[str, Any], Validated]]
"""A record's last validation by path: the document, the context and the result."""


def validate_all(documents: Sequence[Document], memo: Memo | None = None) -> list[Validated]:
    """Validate the site first, then every record against its rating scale.

    ``memo`` (kept by ``mkdocs serve`` between builds): a record whose document object and
    context are those of its last validation is not validated again; updated in place."""
    sites = [validate(document, {}) for document in documents if document.kind == "site"]
    site = next((v.instance for v in sites if isinstance(v.instance, Site)), None)
    context = validation_context([rating.id for rating in site.ratings] if site else None)
    records = []
    for document in documents:
        if document.kind == "site":
            continue
        own = embargoed(document, context)
        last = memo.get(document.display) if memo is not None else None
        if last is not None and last[0] is document and last[1] == own:
            records.append(last[2])
            continue
        records.append(validate(document, own))
        if memo is not None:
            memo[document.display] = (document, own, records[-1])
    return [*sites, *records]


def embargoed(document: Document, context: dict[str, Any]) -> dict[str, Any]:
    """An embargoed record may be dated the day its embargo ends (its ``publish_after``)."""
    data = document.data
    day = publication_day(data.get("publish_after")) if isinstance(data, dict) else None
    if day is None or day <= context["today"]:
        return context
    return {**context, "today": day}


def validate_document(document: Document, context: dict[str, Any] | None = None
                      ) -> tuple[Record | Site | None, list[Diagnostic]]:
    """Build the model for one loaded document; return it (or None) and its problems."""
    validated = validate(document, context)
    return validated.instance, validated.diagnostics


def validate(document: Document, context: dict[str, Any] | None = None) -> Validated:
    model = Site if document.kind == "site" else registry.get(document.kind).model
    data = document.data
    result = Validated(document)
    if data is None:
        if document.broken:  # its problems are reported already
            result.diagnostics.append(document.diagnostic((), NOT_CHECKED, severity="info"))
            return result
        required = [name for name, spec in specs(model).items() if spec.required]
        result.diagnostics.append(document.diagnostic(
            (), f"file is empty; expected fields: {one_of(required)}"))
        return result
    if not isinstance(data, dict):
        result.diagnostics.append(document.diagnostic(
            (), f"expected a mapping of fields at the top level, got {describe(data)}"))
        return result
    try:
        instance = model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = exc.errors()
        result.diagnostics = translate_all(errors, document, model)
        if issubclass(model, Record):
            bad = {data_loc(data, error["loc"]) for error in errors}
            result.partial = _attach(salvage(model, data, bad, context), document)
            result.diagnostics += _rules_of_partial(result.partial, bad, document)
        return result
    result.instance = _attach(instance, document) if isinstance(instance, Record) else instance
    if isinstance(instance, Site):
        result.diagnostics += [document.diagnostic(loc, problem)
                               for loc, problem in rating_color_problems(instance)]
    return result


def _attach(instance: Any, document: Document) -> Any:
    """Give a record its id, file (and Markdown body): they are not fields."""
    instance._id = document.id
    instance._file = document.display
    if isinstance(instance, MarkdownRecord):
        instance._body = document.body or ""
        instance._body_line = document.body_line
    return instance


def _rules_of_partial(partial: Record, bad: set[Loc], document: Document) -> list[Diagnostic]:
    """The record's rules across fields (which Pydantic skips once a field has failed), each
    checked when none of the fields it reads failed."""
    if () in bad:  # every field was valid: Pydantic ran the rules and reported them
        return []
    failed = {loc[0] for loc in bad if loc}
    return [document.diagnostic((), problem) for rule in partial.rules
            if not failed & set(rule.fields) and (problem := rule.check(partial))]


def salvage(model: type[BaseModel], data: dict[str, Any], bad: set[Loc],
            context: dict[str, Any] | None) -> Any:
    """``model`` built (without validation of the whole) from the values of ``data`` that
    have no error, each validated on its own; an item of a list or a nested mapping with
    an error is salvaged the same way (a broken item becomes None, keeping the indexes)."""
    values: dict[str, Any] = {}
    fields = specs(model)
    for name, value in data.items():
        spec = fields.get(name)
        errors = {loc[1:] for loc in bad if loc[:1] == (name,)}
        if spec is None or () in errors:
            continue
        try:
            if not errors:
                values[name] = spec.adapter.validate_python(value, context=context)
            elif spec.many and isinstance(value, list):
                values[name] = [_salvage_item(spec, item, {loc[1:] for loc in errors
                                                           if loc[:1] == (index,)}, context)
                                for index, item in enumerate(value)]
            elif len(spec.models) == 1 and isinstance(value, dict):
                values[name] = salvage(spec.models[0], value, errors, context)
        except ValidationError:
            continue
    return model.model_construct(**values)


def _salvage_item(spec: Any, item: Any, errors: set[Loc], context: dict[str, Any] | None
                  ) -> Any:
    if not errors:
        return spec.item_adapter.validate_python(item, context=context)
    if () not in errors and len(spec.models) == 1 and isinstance(item, dict):
        return salvage(spec.models[0], item, errors, context)
    return None


def data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Map a Pydantic error location onto the data, dropping union tags and validator names."""
    found: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        in_mapping = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = (isinstance(current, list) and isinstance(part, int)
                   and not isinstance(part, bool) and 0 <= part < len(current))
        if in_mapping or in_list:
            current = current[part]
            found.append(part)
        elif last and isinstance(part, str | int) and isinstance(current, dict):
            found.append(part)
    return tuple(found)


def translate_all(errors: list[Any], document: Document, model: type[BaseModel]
                  ) -> list[Diagnostic]:
    """Every error as a diagnostic, except a required field reported missing because an
    unknown key next to it is its misspelling (the unknown key says so, once)."""
    meant = _meant_fields(errors, document, model)
    found = []
    for error in errors:
        loc = data_loc(document.data, error["loc"])
        if error["type"] == "missing" and _explained(loc, meant, model):
            continue
        found.append(translate(error, document, model))
    return found


def _meant_fields(errors: list[Any], document: Document, model: type[BaseModel]
                  ) -> dict[Loc, set[str]]:
    """Mapping → the fields its unknown keys probably meant."""
    meant: dict[Loc, set[str]] = {}
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        loc = data_loc(document.data, error["loc"])
        suggestion = closest(str(loc[-1]), allowed_names(model, loc[:-1]))
        if suggestion:
            meant.setdefault(loc[:-1], set()).add(suggestion)
    return meant


def _explained(loc: Loc, meant: dict[Loc, set[str]], model: type[BaseModel]) -> bool:
    """Whether a missing field at ``loc`` is explained by a misspelt key: the key meant
    this field, or a field of another model the mapping could be (``statment:`` in
    evidence meant a statement, not a citation that lacks its source)."""
    suggestions = meant.get(loc[:-1], set())
    if loc[-1] in suggestions:
        return True
    fields_here = {name for owner in owners(model, loc[:-1]) if loc[-1] in specs(owner)
                   for name in specs(owner)}
    return any(suggestion not in fields_here for suggestion in suggestions)


def _too_many(loc: Loc, count: int, limit: int) -> str:
    what = loc[-1] if loc and isinstance(loc[-1], str) else "items"
    return (f"names {count} {what}, more than {limit}: name only the {what} this record is "
            f"mainly about")


def translate(error: Any, document: Document, model: type[BaseModel]) -> Diagnostic:
    """One Pydantic error as an editor-facing diagnostic pointing at the offending value."""
    loc = data_loc(document.data, error["loc"])
    kind = error["type"]
    if kind == "missing":
        return document.diagnostic(loc, f"required field '{loc[-1]}' is missing",
                                   at=document.position(loc[:-1]))
    if kind == "extra_forbidden":
        name = str(loc[-1])
        if loc == ("id",):
            message = "remove 'id': a record's id is its file name"
        else:
            allowed = allowed_names(model, loc[:-1])
            hint = did_you_mean(name, allowed) or f"; allowed keys: {one_of(allowed)}"
            message = f"unknown key '{name}'{hint}"
        return document.diagnostic(loc, message, at=document.key_position(loc))
    if kind == "value_error":
        return document.diagnostic(loc, str(error["ctx"]["error"]))
    if kind == "too_short" and isinstance(error.get("input"), list):
        return document.diagnostic(loc, "needs at least one item")
    if kind == "too_long" and isinstance(error.get("input"), list):
        return document.diagnostic(loc, _too_many(loc, len(error["input"]),
                                                  error["ctx"]["max_length"]))
    if kind == "string_pattern_mismatch":
        return document.diagnostic(loc, f"{describe(error['input'])} does not match the "
                                        f"pattern {error['ctx']['pattern']}")
    if kind in _TYPE_MESSAGES:
        return document.diagnostic(loc, f"{_TYPE_MESSAGES[kind]}, got {describe(error['input'])}")
    return document.diagnostic(loc, error["msg"])
