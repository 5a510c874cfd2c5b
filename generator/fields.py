"""The one reading of the models' fields: what each field holds, worked out once per model.

Every stage that asks "what is inside this field?" reads :func:`specs`: the link stage
(which fields are references or Markdown), validation (the fields allowed at a place, for
did-you-mean), ``factsite new`` (templates, vocabularies, reference kinds), partial
validation (a validator per field) and the web editor's configuration (:mod:`generator.cms`:
a widget per field).
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from .types import MarkdownMarker, Ref


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model, unwrapped from ``Annotated`` and ``| None``."""

    name: str
    info: FieldInfo
    core: Any
    """The field's type without ``Annotated`` and ``| None`` (``list[...]`` for a list)."""
    many: bool
    """A list: ``item`` describes each element."""
    item: Any
    """The type of a plain value: the field's own, or its list items' (unwrapped)."""
    refs: tuple[str, ...]
    """Kinds of record a plain value (or each item) must be the id of."""
    markdown: bool
    """A plain value (or each item) is editor Markdown."""
    models: tuple[type[BaseModel], ...]
    """Nested models a value (or each item) can be (several for a tagged union)."""
    markers: tuple[Any, ...]
    """Every ``Annotated`` marker met: the field's own, then its items' (JSON-schema hints,
    length constraints, validators)."""

    @property
    def description(self) -> str:
        return self.info.description or ""

    @property
    def required(self) -> bool:
        return self.info.is_required()

    @property
    def choices(self) -> tuple[str, ...]:
        """The values of a controlled vocabulary (empty if the field is not one)."""
        return typing.get_args(self.item) if typing.get_origin(self.item) is Literal else ()

    @property
    def text(self) -> bool:
        """A single text value (an editor's ``--field NAME=VALUE`` is taken as written)."""
        return not self.many and (self.item is str or bool(self.choices))

    @property
    def checked(self) -> bool:
        """Whether the link stage looks inside: a reference, Markdown or a nested model."""
        return bool(self.refs or self.markdown or self.models)

    @functools.cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """Validates one value of this field on its own (the rest of a record may be broken)."""
        metadata = self.info.metadata
        annotation = self.info.annotation
        return TypeAdapter(Annotated[annotation, *metadata] if metadata else annotation)

    @functools.cached_property
    def item_adapter(self) -> TypeAdapter[Any]:
        """Validates one item of a list field on its own."""
        return TypeAdapter(typing.get_args(self.core)[0] if self.many else self.core)


def unwrap(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """Drop ``Annotated`` and ``| None`` wrappers; return the type and the markers found."""
    markers: tuple[Any, ...] = ()
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            markers += tuple(extra)
        elif origin in (typing.Union, types.UnionType):
            arms = [arm for arm in typing.get_args(annotation) if arm is not type(None)]
            if len(arms) != 1:
                return annotation, markers
            annotation = arms[0]
        else:
            return annotation, markers


def models_in(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The models a value of this type can be (each arm of a union of models)."""
    core, _ = unwrap(annotation)
    if isinstance(core, type) and issubclass(core, BaseModel):
        return (core,)
    if typing.get_origin(core) in (typing.Union, types.UnionType):
        return tuple(model for arm in typing.get_args(core) for model in models_in(arm))
    return ()


def _spec(name: str, info: FieldInfo) -> FieldSpec:
    core, markers = unwrap(info.annotation)
    markers = (*info.metadata, *markers)
    many = typing.get_origin(core) is list
    item = core
    if many:
        item, item_markers = unwrap(typing.get_args(core)[0])
        markers = (*markers, *item_markers)
    return FieldSpec(
        name=name, info=info, core=core, many=many, item=item,
        refs=tuple(marker.kind for marker in markers if isinstance(marker, Ref)),
        markdown=any(isinstance(marker, MarkdownMarker) for marker in markers),
        models=models_in(item), markers=markers)


@functools.cache
def specs(model: type[BaseModel]) -> dict[str, FieldSpec]:
    """Field name → spec, in the model's order (computed once per model)."""
    return {name: _spec(name, info) for name, info in model.model_fields.items()}


@functools.cache
def checked(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The fields the link stage looks inside."""
    return tuple(spec for spec in specs(model).values() if spec.checked)


def owners(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[type[BaseModel], ...]:
    """The models the mapping at ``loc`` inside ``model`` can be (every arm of a union)."""
    current: tuple[type[BaseModel], ...] = (model,)
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: the same models as the list's
        current = tuple(nested for candidate in current
                        for nested in (specs(candidate)[part].models
                                       if part in specs(candidate) else ()))
    return current


def allowed_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed in the mapping at ``loc`` inside ``model``, sorted (for
    did-you-mean on an unknown key)."""
    return sorted({name for owner in owners(model, loc) for name in specs(owner)})
