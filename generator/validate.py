"""Validate stage: loaded documents → model instances, Pydantic errors → editor diagnostics."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, did_you_mean, one_of
from .load import Document, Loc
from .models import MODELS, MarkdownRecord, Record, Site
from .types import describe

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


def validate_document(document: Document) -> tuple[Record | Site | None, list[Diagnostic]]:
    """Build the model for one loaded document; return it (or None) and its problems."""
    model = Site if document.kind == "site" else MODELS[document.kind]
    data = document.data
    if data is None:
        if document.broken:  # its problems are reported already
            return None, []
        required = [name for name, f in model.model_fields.items() if f.is_required()]
        return None, [document.diagnostic((), "file is empty; expected fields: "
                                          f"{one_of(required)}")]
    if not isinstance(data, dict):
        return None, [document.diagnostic((), f"expected a mapping of fields at the top level, "
                                              f"got {describe(data)}")]
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        return None, [translate(error, document, model) for error in exc.errors()]
    if isinstance(instance, Record):
        instance._id = document.id
        instance._file = document.display
    if isinstance(instance, MarkdownRecord):
        instance._body = document.body or ""
        instance._body_line = document.body_line
    return instance, []


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
            allowed = field_names(model, loc[:-1])
            hint = did_you_mean(name, allowed) or f"; allowed fields: {one_of(allowed)}"
            message = f"unknown field '{name}'{hint}"
        return document.diagnostic(loc, message, at=document.key_position(loc))
    if kind == "value_error":
        return document.diagnostic(loc, str(error["ctx"]["error"]))
    if kind == "too_short" and isinstance(error.get("input"), list):
        return document.diagnostic(loc, "needs at least one item")
    if kind == "string_pattern_mismatch":
        return document.diagnostic(loc, f"{describe(error['input'])} does not match the "
                                        f"pattern {error['ctx']['pattern']}")
    if kind in _TYPE_MESSAGES:
        return document.diagnostic(loc, f"{_TYPE_MESSAGES[kind]}, got {describe(error['input'])}")
    return document.diagnostic(loc, error["msg"])


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _items_of(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        arms = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = arms[0] if len(arms) == 1 else annotation
        while typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return annotation


def field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The fields allowed at ``loc`` inside ``model`` (for did-you-mean on unknown keys)."""
    annotations: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for annotation in annotations:
            if isinstance(part, int):
                following.append(_items_of(annotation))
                continue
            for candidate in _models_in(annotation):
                if part in candidate.model_fields:
                    following.append(candidate.model_fields[part].annotation)
        annotations = following
    return sorted({name for a in annotations for m in _models_in(_items_of(a))
                   for name in m.model_fields})
